#include "dialtone/sdp/direction.hpp"

#include "dialtone/base/strings.hpp"

namespace dialtone::sdp {

std::string_view to_string(Direction d) {
    switch (d) {
    case Direction::SendRecv: return "sendrecv";
    case Direction::SendOnly: return "sendonly";
    case Direction::RecvOnly: return "recvonly";
    case Direction::Inactive: return "inactive";
    }
    return "sendrecv";
}

std::optional<Direction> direction_from_name(std::string_view name) {
    for (auto d : {Direction::SendRecv, Direction::SendOnly, Direction::RecvOnly, Direction::Inactive})
        if (base::iequals(name, to_string(d))) return d;
    return std::nullopt;
}

std::optional<Direction> find_direction(const std::vector<Attribute>& attrs) {
    std::optional<Direction> found;
    for (const auto& a : attrs)
        if (!a.value)
            if (auto d = direction_from_name(a.name)) found = d;
    return found;
}

Direction effective_direction(const SessionDescription& s, const MediaDescription& m) {
    if (auto d = find_direction(m.attributes)) return *d;
    if (auto d = find_direction(s.attributes)) return *d;
    return Direction::SendRecv;
}

}  // namespace dialtone::sdp
