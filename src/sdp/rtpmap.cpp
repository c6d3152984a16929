#include "dialtone/sdp/rtpmap.hpp"

#include "dialtone/base/strings.hpp"
#include "grammar.hpp"

namespace dialtone::sdp {

base::Result<Rtpmap> parse_rtpmap(std::string_view value) {
    std::string_view f[2];
    if (detail::split_fields(value, f, 2) != 2) return base::make_error("rtpmap needs <payload type> <encoding>/<clock rate>", 400);
    Rtpmap r;
    auto pt = base::parse_u32(f[0]);
    if (!pt || *pt > 127) return base::make_error("rtpmap payload type is not 0-127", 400);
    r.payload_type = *pt;
    auto spec = f[1];
    auto slash = spec.find('/');
    if (slash == std::string_view::npos || slash == 0) return base::make_error("rtpmap needs <encoding>/<clock rate>", 400);
    r.encoding = std::string(spec.substr(0, slash));
    if (!detail::is_token(r.encoding)) return base::make_error("rtpmap encoding name is not a token", 400);
    auto rest = spec.substr(slash + 1);
    auto slash2 = rest.find('/');
    auto clock = base::parse_u32(rest.substr(0, slash2));
    if (!clock || *clock == 0) return base::make_error("rtpmap clock rate is not a positive number", 400);
    r.clock_rate = *clock;
    if (slash2 != std::string_view::npos) {
        auto channels = base::parse_u32(rest.substr(slash2 + 1));
        if (!channels || *channels == 0) return base::make_error("rtpmap channel count is not a positive number", 400);
        r.channels = *channels;
    }
    return r;
}

std::string format_rtpmap(const Rtpmap& r) {
    std::string out = std::to_string(r.payload_type) + " " + r.encoding + "/" + std::to_string(r.clock_rate);
    if (r.channels) out += "/" + std::to_string(*r.channels);
    return out;
}

std::optional<Rtpmap> static_payload_type(unsigned pt) {
    // RFC 3551 §6, table 4 (audio). G722 is written 8000 although it samples at 16 kHz (§4.5.2).
    struct Entry {
        unsigned pt;
        const char* name;
        std::uint32_t clock;
        std::uint32_t channels;
    };
    static constexpr Entry table[] = {
        {0, "PCMU", 8000, 1},  {3, "GSM", 8000, 1},    {4, "G723", 8000, 1},  {5, "DVI4", 8000, 1},
        {6, "DVI4", 16000, 1}, {7, "LPC", 8000, 1},    {8, "PCMA", 8000, 1},  {9, "G722", 8000, 1},
        {10, "L16", 44100, 2}, {11, "L16", 44100, 1},  {12, "QCELP", 8000, 1}, {13, "CN", 8000, 1},
        {14, "MPA", 90000, 1}, {15, "G728", 8000, 1},  {16, "DVI4", 11025, 1}, {17, "DVI4", 22050, 1},
        {18, "G729", 8000, 1},
    };
    for (const auto& e : table)
        if (e.pt == pt) {
            Rtpmap r{e.pt, e.name, e.clock, std::nullopt};
            if (e.channels != 1) r.channels = e.channels;
            return r;
        }
    return std::nullopt;
}

std::optional<Rtpmap> rtpmap_for(const MediaDescription& m, std::string_view format) {
    // Called for every format of every offer and answer: no allocation until the match.
    for (const Attribute& a : m.attributes) {
        if (!a.value || !base::iequals(a.name, "rtpmap")) continue;
        const std::string_view v = base::trim_left(*a.value);
        if (v.substr(0, v.find_first_of(" \t")) != format) continue;
        if (auto r = parse_rtpmap(*a.value)) return *r;
    }
    auto pt = base::parse_u32(format);
    if (!pt) return std::nullopt;
    return static_payload_type(*pt);
}

}  // namespace dialtone::sdp
