#pragma once
// A host as it appears in a SIP URI, a Via sent-by or a received/maddr parameter (RFC 3261
// §25.1, RFC 5118): a hostname, an IPv4 address or an IPv6 reference.
//
// `name` never carries brackets: "[2001:db8::1]" is stored as name "2001:db8::1" with kind
// IPv6, and write() puts the brackets back.
#include "dialtone/base/result.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace dialtone::sip {

enum class HostKind { Name, IPv4, IPv6 };

struct Host {
    std::string name;
    HostKind kind = HostKind::Name;

    bool is_ip() const { return kind != HostKind::Name; }
    // §19.1.4: hostnames compare case-insensitively; addresses compare by value, so
    // "[::1]" equals "[0:0:0:0:0:0:0:1]" (RFC 5118 §4.4).
    bool equivalent(const Host& other) const;
    void write(std::string& out) const;  // brackets around IPv6
    std::string to_string() const;

    friend bool operator==(const Host&, const Host&) = default;
};

// "example.com", "192.0.2.1" or "[2001:db8::1]". With allow_bare_ipv6, "2001:db8::1" is also
// taken (Via received, RFC 3261 §20.42 grammar). Errors are "<what>: bad host '...'".
base::Result<Host> parse_host(std::string_view text, std::string_view what = "host", bool allow_bare_ipv6 = false);

// Address parsers; nullopt if the text is not exactly an address of that family.
std::optional<std::array<std::uint8_t, 4>> parse_ipv4(std::string_view text);
std::optional<std::array<std::uint8_t, 16>> parse_ipv6(std::string_view text);

// 1*DIGIT in 0–65535.
std::optional<std::uint16_t> parse_port(std::string_view text);

}  // namespace dialtone::sip
