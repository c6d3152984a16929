#include "dialtone/sdp/parser.hpp"

#include <array>
#include <set>
#include <string>

#include "dialtone/base/strings.hpp"
#include "dialtone/sdp/crypto.hpp"
#include "dialtone/sdp/fmtp.hpp"
#include "dialtone/sdp/media_attributes.hpp"
#include "dialtone/sdp/rtpmap.hpp"
#include "grammar.hpp"

namespace dialtone::sdp {
namespace {

struct Line {
    std::size_t number = 0;
    std::string_view text;   // the whole line, without its end
    char type = 0;
    std::string_view value;  // after "x="
};

base::Error line_error(const Line& l, std::string_view fault) {
    constexpr std::size_t max_shown = 60;
    std::string shown(l.text.substr(0, max_shown));
    if (l.text.size() > max_shown) shown += "...";
    return base::make_error("SDP line " + std::to_string(l.number) + " \"" + shown + "\": " + std::string(fault),
                            400);
}

base::Error line_error(const Line& l, const base::Error& inner) { return line_error(l, inner.message); }

// RFC 8866 §5: session lines v o s i u e p c b (t r)+ z k a, media lines m i c b k a.
constexpr std::string_view kSessionOrder = "vosiuepcbtrzka";
constexpr std::string_view kMediaOrder = "micbka";
constexpr std::string_view kKnownTypes = "vosiuepcbtrzkam";

int session_rank(char t) {
    if (t == 'r') return static_cast<int>(kSessionOrder.find('t'));
    auto p = kSessionOrder.find(t);
    return p == std::string_view::npos ? -1 : static_cast<int>(p);
}

int media_rank(char t) {
    auto p = kMediaOrder.find(t);
    return p == std::string_view::npos ? -1 : static_cast<int>(p);
}

bool session_singleton(char t) { return std::string_view("vosiuczk").find(t) != std::string_view::npos; }
bool media_singleton(char t) { return t == 'm' || t == 'i' || t == 'k'; }

// Counts lines of each known type in the current section, for placing unknown lines.
struct SectionCounter {
    std::array<std::size_t, 26> counts{};
    char last = 0;
    int last_rank = -1;
    void seen(char t, int rank) {
        ++counts[static_cast<std::size_t>(t - 'a')];
        last = t;
        last_rank = rank;
    }
    std::size_t count(char t) const { return counts[static_cast<std::size_t>(t - 'a')]; }
};

base::Result<Origin> parse_origin(std::string_view v) {
    auto f = detail::split_fields(v);
    if (f.size() != 6) return base::make_error("o= needs 6 fields, found " + std::to_string(f.size()), 400);
    Origin o;
    o.username = std::string(f[0]);
    for (char c : f[1])
        if (!base::is_digit(c)) return base::make_error("session id is not a number", 400);
    o.session_id = std::string(f[1]);
    auto version = base::parse_u64(f[2]);
    if (!version) return base::make_error("session version is not a 64-bit number", 400);
    o.session_version = *version;
    auto c = detail::parse_connection(f[3], f[4], f[5]);
    if (!c) return c.error();
    o.address_type = c->address_type;
    o.address = c->address;
    return o;
}

base::Result<Connection> parse_c_line(std::string_view v) {
    auto f = detail::split_fields(v);
    if (f.size() != 3) return base::make_error("c= needs 3 fields, found " + std::to_string(f.size()), 400);
    return detail::parse_connection(f[0], f[1], f[2]);
}

base::Result<Bandwidth> parse_bandwidth(std::string_view v) {
    auto colon = v.find(':');
    if (colon == std::string_view::npos) return base::make_error("b= needs <type>:<bandwidth>", 400);
    auto type = v.substr(0, colon);
    if (!detail::is_token(type)) return base::make_error("bandwidth type is not a token", 400);
    auto value = base::parse_u64(v.substr(colon + 1));
    if (!value) return base::make_error("bandwidth is not a number", 400);
    return Bandwidth{std::string(type), *value};
}

base::Result<Timing> parse_timing(std::string_view v) {
    auto f = detail::split_fields(v);
    if (f.size() != 2) return base::make_error("t= needs <start> <stop>", 400);
    auto start = base::parse_u64(f[0]);
    auto stop = base::parse_u64(f[1]);
    if (!start || !stop) return base::make_error("t= times must be decimal numbers", 400);
    return Timing{*start, *stop, {}};
}

base::Result<MediaDescription> parse_media(std::string_view v) {
    auto f = detail::split_fields(v);
    if (f.size() < 3) return base::make_error("m= needs <media> <port> <proto> <fmt>...", 400);
    MediaDescription m;
    if (!detail::is_token(f[0])) return base::make_error("media type is not a token", 400);
    m.media = std::string(f[0]);
    auto port_field = f[1];
    auto slash = port_field.find('/');
    auto port = base::parse_u32(port_field.substr(0, slash));
    if (!port || *port > 65535) return base::make_error("port is not a number from 0 to 65535", 400);
    m.port = static_cast<std::uint16_t>(*port);
    if (slash != std::string_view::npos) {
        auto count = base::parse_u32(port_field.substr(slash + 1));
        if (!count || *count == 0) return base::make_error("number of ports is not a positive number", 400);
        m.port_count = *count;
    }
    m.proto = std::string(f[2]);
    bool rtp = m.proto.find("RTP/") != std::string::npos;
    for (std::size_t i = 3; i < f.size(); ++i) {
        if (rtp) {
            auto pt = base::parse_u32(f[i]);
            if (!pt || *pt > 127)
                return base::make_error("RTP payload type \"" + std::string(f[i]) + "\" is not 0-127", 400);
        }
        m.formats.emplace_back(f[i]);
    }
    // RFC 8866 §5.14 wants a format; a declined stream from a lax peer may have none.
    if (m.formats.empty() && m.port != 0) return base::make_error("m= lists no format", 400);
    return m;
}

// The grammar of the attributes the model has views for; others pass untouched.
base::Status check_attribute(const Attribute& a, std::set<std::uint32_t>& crypto_tags) {
    const std::string_view value = a.value ? std::string_view(*a.value) : std::string_view();
    auto need_value = [&]() -> base::Status {
        if (!a.value) return base::make_error("a=" + a.name + " needs a value", 400);
        return {};
    };
    if (base::iequals(a.name, "rtpmap")) {
        if (auto s = need_value(); !s) return s;
        if (auto r = parse_rtpmap(value); !r) return r.error();
    } else if (base::iequals(a.name, "fmtp")) {
        if (auto s = need_value(); !s) return s;
        if (auto r = parse_fmtp(value); !r) return r.error();
    } else if (base::iequals(a.name, "ptime") || base::iequals(a.name, "maxptime")) {
        if (auto s = need_value(); !s) return s;
        if (auto r = parse_packet_time(value); !r) return r.error();
    } else if (base::iequals(a.name, "rtcp")) {
        if (auto s = need_value(); !s) return s;
        if (auto r = parse_rtcp(value); !r) return r.error();
    } else if (base::iequals(a.name, "crypto")) {
        if (auto s = need_value(); !s) return s;
        auto r = parse_crypto(value);
        if (!r) return r.error();
        // RFC 4568 §9.1: the tag is unique among the crypto attributes of a media section.
        if (!crypto_tags.insert(r->tag).second)
            return base::make_error("duplicate crypto tag " + std::to_string(r->tag), 400);
    }
    return {};
}

base::Result<Attribute> parse_attribute(std::string_view v) {
    Attribute a;
    auto colon = v.find(':');
    auto name = v.substr(0, colon);
    if (name.empty()) return base::make_error("attribute name missing", 400);
    if (!detail::is_token(name)) return base::make_error("attribute name is not a token", 400);
    a.name = std::string(name);
    if (colon != std::string_view::npos) a.value = std::string(v.substr(colon + 1));
    return a;
}

}  // namespace

base::Result<SessionDescription> parse(std::string_view text) {
    // Split into lines, accepting CRLF or bare LF (RFC 8866 §5 asks parsers to accept LF).
    std::vector<Line> lines;
    lines.reserve(24);  // a typical offer's line count: one allocation
    {
        std::size_t pos = 0, number = 0;
        while (pos < text.size()) {
            auto nl = text.find('\n', pos);
            auto end = nl == std::string_view::npos ? text.size() : nl;
            auto l = text.substr(pos, end - pos);
            if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
            lines.push_back(Line{++number, l, 0, {}});
            pos = nl == std::string_view::npos ? text.size() : nl + 1;
        }
        // Blank lines at the end (a body closed by an extra CRLF) are harmless.
        while (!lines.empty() && lines.back().text.empty()) lines.pop_back();
    }
    if (lines.empty()) return base::make_error("SDP is empty", 400);

    for (auto& l : lines) {
        if (l.text.size() < 2 || l.text[1] != '=' || l.text[0] < 'a' || l.text[0] > 'z')
            return line_error(l, l.text.empty() ? "empty line" : "not of the form <type>=<value>");
        l.type = l.text[0];
        l.value = l.text.substr(2);
        for (char c : l.value)
            if (c == '\0' || c == '\r') return line_error(l, "NUL or CR inside a line");
    }
    if (lines[0].type != 'v') return line_error(lines[0], "SDP must begin with v=0");

    SessionDescription s;
    s.timings.clear();
    SectionCounter counter;
    MediaDescription* media = nullptr;
    std::set<std::uint32_t> crypto_tags;

    for (const auto& l : lines) {
        const char t = l.type;
        const bool known = kKnownTypes.find(t) != std::string_view::npos;
        if (!known) {
            auto& target = media ? media->unknown_lines : s.unknown_lines;
            target.push_back(UnknownLine{t, std::string(l.value), counter.last, counter.count(counter.last)});
            continue;
        }
        if (t == 'm') {
            if (s.timings.empty()) return line_error(l, "t= missing before the first m=");
            auto m = parse_media(l.value);
            if (!m) return line_error(l, m.error());
            s.media.push_back(std::move(*m));
            media = &s.media.back();
            counter = SectionCounter{};
            counter.seen('m', 0);
            crypto_tags.clear();
            continue;
        }

        const int rank = media ? media_rank(t) : session_rank(t);
        if (rank < 0) return line_error(l, std::string(1, t) + "= is not allowed in a media section");
        if (rank < counter.last_rank)
            return line_error(l, std::string("out of order: ") + t + "= after " + counter.last + "=");
        const bool singleton = media ? media_singleton(t) : session_singleton(t);
        if (singleton && counter.count(t) > 0) return line_error(l, std::string("second ") + t + "= line");
        if (t == 'r' && counter.last != 't' && counter.last != 'r') return line_error(l, "r= must follow t=");
        if (!media && t != 'v' && counter.count('v') == 0) return line_error(l, "SDP must begin with v=0");
        if (!media && t != 'o' && t != 'v' && counter.count('o') == 0) return line_error(l, "o= must follow v=");
        if (!media && t != 'o' && t != 'v' && t != 's' && counter.count('s') == 0)
            return line_error(l, "s= must follow o=");

        switch (t) {
        case 'v':
            if (l.value != "0") return line_error(l, "unsupported SDP version (only 0)");
            break;
        case 'o': {
            auto o = parse_origin(l.value);
            if (!o) return line_error(l, o.error());
            s.origin = std::move(*o);
            break;
        }
        case 's': s.name = std::string(l.value); break;
        case 'i': (media ? media->title : s.information) = std::string(l.value); break;
        case 'u': s.uri = std::string(l.value); break;
        case 'e': s.emails.emplace_back(l.value); break;
        case 'p': s.phones.emplace_back(l.value); break;
        case 'c': {
            auto c = parse_c_line(l.value);
            if (!c) return line_error(l, c.error());
            if (media) media->connections.push_back(std::move(*c));
            else s.connection = std::move(*c);
            break;
        }
        case 'b': {
            auto b = parse_bandwidth(l.value);
            if (!b) return line_error(l, b.error());
            (media ? media->bandwidths : s.bandwidths).push_back(std::move(*b));
            break;
        }
        case 't': {
            auto timing = parse_timing(l.value);
            if (!timing) return line_error(l, timing.error());
            s.timings.push_back(std::move(*timing));
            break;
        }
        case 'r': s.timings.back().repeats.emplace_back(l.value); break;
        case 'z': s.zone = std::string(l.value); break;
        case 'k': (media ? media->key : s.key) = std::string(l.value); break;
        case 'a': {
            auto a = parse_attribute(l.value);
            if (!a) return line_error(l, a.error());
            if (auto ok = check_attribute(*a, crypto_tags); !ok) return line_error(l, ok.error());
            (media ? media->attributes : s.attributes).push_back(std::move(*a));
            break;
        }
        default: break;
        }
        counter.seen(t, rank);
    }

    if (!media && counter.count('o') == 0) return line_error(lines.back(), "o= missing");
    if (!media && counter.count('s') == 0) return line_error(lines.back(), "s= missing");
    if (s.timings.empty()) return line_error(lines.back(), "t= missing");
    return s;
}

}  // namespace dialtone::sdp
