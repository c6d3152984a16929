#pragma once
// "HOST:PORT" as written on a command line or in a log line: 127.0.0.1:5060, [::1]:5061,
// example.com:5060. IPv6 addresses are bracketed when a port follows (RFC 3986 §3.2.2).
#include "dialtone/base/result.hpp"
#include "dialtone/ua/datagram.hpp"

#include <string>
#include <string_view>

namespace dialtone::io {

// Parses HOST:PORT; the port is required (0 means "any" when listening). The host keeps no
// brackets, so an IPv6 result satisfies Address::is_ipv6().
base::Result<ua::Address> parse_host_port(std::string_view text);

// 127.0.0.1:5060, [::1]:5060; an empty host prints as "*".
std::string to_string(const ua::Address& address);

std::string_view to_string(ua::Transport transport);  // "udp", "tcp", "tls", …

// The local IP the kernel would use to reach the numeric address `host` (a UDP connect, which
// sends no packet); the loopback address of the same family when it cannot tell.
std::string local_address_towards(const std::string& host);

}  // namespace dialtone::io
