#include "dialtone/sdp/media_attributes.hpp"

#include "dialtone/base/strings.hpp"
#include "grammar.hpp"

namespace dialtone::sdp {

base::Result<Rtcp> parse_rtcp(std::string_view value) {
    auto f = detail::split_fields(value);
    if (f.size() != 1 && f.size() != 4) return base::make_error("rtcp needs <port> [IN <addrtype> <address>]", 400);
    auto port = base::parse_u32(f[0]);
    if (!port || *port == 0 || *port > 65535) return base::make_error("rtcp port is not a number from 1 to 65535", 400);
    Rtcp r;
    r.port = static_cast<std::uint16_t>(*port);
    if (f.size() == 4) {
        auto c = detail::parse_connection(f[1], f[2], f[3]);
        if (!c) return c.error();
        r.connection = std::move(*c);
    }
    return r;
}

std::string format_rtcp(const Rtcp& r) {
    std::string out = std::to_string(r.port);
    if (r.connection)
        out += " IN " + std::string(to_string(r.connection->address_type)) + " " + r.connection->address;
    return out;
}

base::Result<std::uint32_t> parse_packet_time(std::string_view value) {
    auto v = base::trim(value);
    auto dot = v.find('.');
    auto whole = base::parse_u32(v.substr(0, dot));
    bool fraction_ok = true;
    if (dot != std::string_view::npos) {
        auto frac = v.substr(dot + 1);
        fraction_ok = !frac.empty() && base::parse_u32(frac).has_value();
    }
    if (!whole || !fraction_ok || *whole == 0)
        return base::make_error("packet time \"" + std::string(v) + "\" is not a positive number of milliseconds", 400);
    return *whole;
}

namespace {
std::optional<std::uint32_t> packet_time_attribute(const SessionDescription& s, const MediaDescription& m,
                                                   std::string_view name) {
    const Attribute* a = find_attribute(m.attributes, name);
    if (!a) a = find_attribute(s.attributes, name);
    if (!a || !a->value) return std::nullopt;
    auto r = parse_packet_time(*a->value);
    if (!r) return std::nullopt;
    return *r;
}
}  // namespace

std::optional<std::uint32_t> packet_time(const SessionDescription& s, const MediaDescription& m) {
    return packet_time_attribute(s, m, "ptime");
}

std::optional<std::uint32_t> max_packet_time(const SessionDescription& s, const MediaDescription& m) {
    return packet_time_attribute(s, m, "maxptime");
}

bool rtcp_mux(const MediaDescription& m) { return has_attribute(m.attributes, "rtcp-mux"); }

}  // namespace dialtone::sdp
