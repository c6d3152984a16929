#include "grammar.hpp"

#include <string>

#include "dialtone/base/strings.hpp"

namespace dialtone::sdp::detail {

namespace {
// Calls `take(field)` for each field in order.
template <class Take>
void for_each_field(std::string_view s, Take take) {
    std::size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && base::is_ws(s[i])) ++i;
        std::size_t start = i;
        while (i < s.size() && !base::is_ws(s[i])) ++i;
        if (i > start) take(s.substr(start, i - start));
    }
}
}  // namespace

std::vector<std::string_view> split_fields(std::string_view s) {
    std::vector<std::string_view> out;
    for_each_field(s, [&](std::string_view f) { out.push_back(f); });
    return out;
}

std::size_t split_fields(std::string_view s, std::string_view* out, std::size_t max) {
    std::size_t n = 0;
    for_each_field(s, [&](std::string_view f) {
        if (n < max) out[n] = f;
        ++n;
    });
    return n;
}

bool is_token(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s) {
        auto u = static_cast<unsigned char>(c);
        // token-char = %x21 / %x23-27 / %x2A-2B / %x2D-2E / %x30-39 / %x41-5A / %x5E-7E
        bool ok = u == 0x21 || (u >= 0x23 && u <= 0x27) || u == 0x2A || u == 0x2B || u == 0x2D ||
                  u == 0x2E || (u >= 0x30 && u <= 0x39) || (u >= 0x41 && u <= 0x5A) ||
                  (u >= 0x5E && u <= 0x7E);
        if (!ok) return false;
    }
    return true;
}

base::Result<Connection> parse_connection(std::string_view nettype, std::string_view addrtype,
                                          std::string_view address) {
    if (nettype != "IN") return base::make_error("unknown network type \"" + std::string(nettype) + "\"", 400);
    Connection c;
    if (addrtype == "IP4") c.address_type = AddressType::IP4;
    else if (addrtype == "IP6") c.address_type = AddressType::IP6;
    else return base::make_error("unknown address type \"" + std::string(addrtype) + "\"", 400);
    if (address.empty()) return base::make_error("connection address missing", 400);
    for (char ch : address)
        if (static_cast<unsigned char>(ch) <= 0x20 || static_cast<unsigned char>(ch) >= 0x7F)
            return base::make_error("connection address has a bad character", 400);
    c.address = std::string(address);
    return c;
}

}  // namespace dialtone::sdp::detail
