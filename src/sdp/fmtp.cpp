#include "dialtone/sdp/fmtp.hpp"

#include <algorithm>

#include "dialtone/base/strings.hpp"
#include "grammar.hpp"

namespace dialtone::sdp {

base::Result<Fmtp> parse_fmtp(std::string_view value) {
    auto v = base::trim_left(value);
    auto space = v.find_first_of(" \t");
    auto format = v.substr(0, space);
    if (format.empty() || !detail::is_token(format)) return base::make_error("fmtp format is missing or not a token", 400);
    Fmtp f;
    f.format = std::string(format);
    if (space != std::string_view::npos) f.parameters = std::string(base::trim(v.substr(space)));
    return f;
}

std::string fmtp_for(const MediaDescription& m, std::string_view format) {
    for (const auto* a : find_attributes(m.attributes, "fmtp")) {
        if (!a->value) continue;
        auto f = parse_fmtp(*a->value);
        if (f && f->format == format) return f->parameters;
    }
    return {};
}

std::vector<FmtpParameter> split_fmtp_parameters(std::string_view parameters) {
    std::vector<FmtpParameter> out;
    std::size_t pos = 0;
    while (pos <= parameters.size()) {
        auto semi = parameters.find(';', pos);
        auto end = semi == std::string_view::npos ? parameters.size() : semi;
        auto item = base::trim(parameters.substr(pos, end - pos));
        if (!item.empty()) {
            auto eq = item.find('=');
            FmtpParameter p;
            p.name = std::string(base::trim(item.substr(0, eq)));
            if (eq != std::string_view::npos) p.value = std::string(base::trim(item.substr(eq + 1)));
            out.push_back(std::move(p));
        }
        if (semi == std::string_view::npos) break;
        pos = semi + 1;
    }
    return out;
}

std::optional<std::string> fmtp_parameter(std::string_view parameters, std::string_view name) {
    for (auto& p : split_fmtp_parameters(parameters))
        if (base::iequals(p.name, name)) return p.value;
    return std::nullopt;
}

base::Result<OpusParameters> parse_opus_parameters(std::string_view parameters) {
    OpusParameters o;
    for (const auto& p : split_fmtp_parameters(parameters)) {
        auto bad = [&](std::string_view what) {
            return base::make_error("opus fmtp " + p.name + "=" + p.value + ": " + std::string(what), 488);
        };
        auto flag = [&](std::optional<bool>& out) -> base::Status {
            if (p.value == "0") out = false;
            else if (p.value == "1") out = true;
            else return bad("must be 0 or 1");
            return {};
        };
        auto number = [&](std::optional<std::uint32_t>& out, std::uint32_t lo, std::uint32_t hi) -> base::Status {
            auto n = base::parse_u32(p.value);
            if (!n || *n < lo || *n > hi)
                return bad("must be a number from " + std::to_string(lo) + " to " + std::to_string(hi));
            out = *n;
            return {};
        };
        const std::string name = base::to_lower(p.name);
        base::Status s;
        if (name == "maxplaybackrate") s = number(o.max_playback_rate, 8000, 48000);
        else if (name == "sprop-maxcapturerate") s = number(o.sprop_max_capture_rate, 8000, 48000);
        else if (name == "maxaveragebitrate") s = number(o.max_average_bitrate, 6000, 510000);  // RFC 7587 §6.1
        else if (name == "stereo") s = flag(o.stereo);
        else if (name == "sprop-stereo") s = flag(o.sprop_stereo);
        else if (name == "cbr") s = flag(o.cbr);
        else if (name == "useinbandfec") s = flag(o.use_inband_fec);
        else if (name == "usedtx") s = flag(o.use_dtx);
        else if (name == "ptime") s = number(o.ptime, 3, 120);
        else if (name == "minptime") s = number(o.minptime, 3, 120);
        else if (name == "maxptime") s = number(o.maxptime, 3, 120);
        if (!s) return s.error();
    }
    return o;
}

base::Result<std::vector<EventRange>> parse_event_list(std::string_view parameters) {
    std::vector<EventRange> out;
    auto v = base::trim(parameters);
    if (v.empty()) return base::make_error("telephone-event list is empty", 488);
    std::size_t pos = 0;
    while (true) {
        auto comma = v.find(',', pos);
        auto item = base::trim(v.substr(pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos));
        auto dash = item.find('-');
        auto first = base::parse_u32(base::trim(item.substr(0, dash)));
        auto last = dash == std::string_view::npos ? first : base::parse_u32(base::trim(item.substr(dash + 1)));
        // RFC 4733 §7.1.1: events are 0-255.
        if (!first || !last || *first > 255 || *last > 255 || *first > *last)
            return base::make_error("telephone-event list item \"" + std::string(item) + "\" is not an event or range 0-255", 488);
        out.push_back(EventRange{*first, *last});
        if (comma == std::string_view::npos) break;
        pos = comma + 1;
    }
    return out;
}

std::string format_event_list(const std::vector<EventRange>& events) {
    std::string out;
    for (const auto& e : events) {
        if (!out.empty()) out += ',';
        out += std::to_string(e.first);
        if (e.last != e.first) out += "-" + std::to_string(e.last);
    }
    return out;
}

std::vector<EventRange> intersect_events(const std::vector<EventRange>& a, const std::vector<EventRange>& b) {
    std::vector<EventRange> out;
    for (const auto& x : a)
        for (const auto& y : b) {
            unsigned lo = std::max(x.first, y.first), hi = std::min(x.last, y.last);
            if (lo <= hi) out.push_back(EventRange{lo, hi});
        }
    std::sort(out.begin(), out.end(), [](const EventRange& l, const EventRange& r) { return l.first < r.first; });
    return out;
}

}  // namespace dialtone::sdp
