#pragma once
// Media-level attributes with a small grammar: rtcp (RFC 3605), rtcp-mux (RFC 5761),
// ptime and maxptime (RFC 8866 §6.4, §6.5).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "dialtone/base/result.hpp"
#include "dialtone/sdp/session.hpp"

namespace dialtone::sdp {

// a=rtcp:<port> [IN <addrtype> <address>]  (RFC 3605 §2.1)
struct Rtcp {
    std::uint16_t port = 0;
    std::optional<Connection> connection;
};
base::Result<Rtcp> parse_rtcp(std::string_view value);
std::string format_rtcp(const Rtcp& r);

// Milliseconds, a positive integer ("20"); a fraction as some devices write ("20.0") is rounded down.
base::Result<std::uint32_t> parse_packet_time(std::string_view value);

// a=ptime / a=maxptime of a media section, falling back to the session level.
std::optional<std::uint32_t> packet_time(const SessionDescription& s, const MediaDescription& m);
std::optional<std::uint32_t> max_packet_time(const SessionDescription& s, const MediaDescription& m);

// a=rtcp-mux at media level (RFC 5761 §5.1.1).
bool rtcp_mux(const MediaDescription& m);

}  // namespace dialtone::sdp
