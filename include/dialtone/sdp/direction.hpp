#pragma once
// Stream direction attributes: sendrecv, sendonly, recvonly, inactive (RFC 8866 §6.7, RFC 3264 §5.1).
#include <optional>
#include <string_view>
#include <vector>

#include "dialtone/sdp/session.hpp"

namespace dialtone::sdp {

enum class Direction { SendRecv, SendOnly, RecvOnly, Inactive };

std::string_view to_string(Direction d);
std::optional<Direction> direction_from_name(std::string_view name);

constexpr bool sends(Direction d) { return d == Direction::SendRecv || d == Direction::SendOnly; }
constexpr bool receives(Direction d) { return d == Direction::SendRecv || d == Direction::RecvOnly; }
constexpr Direction make_direction(bool send, bool receive) {
    return send ? (receive ? Direction::SendRecv : Direction::SendOnly)
                : (receive ? Direction::RecvOnly : Direction::Inactive);
}
// The same stream seen from the other end: sendonly ↔ recvonly.
constexpr Direction reverse(Direction d) { return make_direction(receives(d), sends(d)); }

// The last direction attribute in a list, if any.
std::optional<Direction> find_direction(const std::vector<Attribute>& attrs);

// Media level wins over session level; sendrecv when neither says (RFC 3264 §5.1).
Direction effective_direction(const SessionDescription& s, const MediaDescription& m);

}  // namespace dialtone::sdp
