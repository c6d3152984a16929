#pragma once
// SDP serializer: the lines of RFC 8866 §5 in their order, each ending in CRLF.
#include <string>

#include "dialtone/sdp/session.hpp"

namespace dialtone::sdp {

std::string serialize(const SessionDescription& s);

}  // namespace dialtone::sdp
