#pragma once
// SDP parser (RFC 8866 §5, §9). Accepts CRLF or bare LF line ends, enforces the line order of
// §5 and checks the grammar of the attributes the model knows (rtpmap, fmtp, ptime, maxptime,
// rtcp, crypto). Lines of unknown type and unknown attributes are kept as written.
#include <string_view>

#include "dialtone/base/result.hpp"
#include "dialtone/sdp/session.hpp"

namespace dialtone::sdp {

// Errors read `SDP line 4 "c=IN IP9 x": unknown address type "IP9"` and carry status 400.
base::Result<SessionDescription> parse(std::string_view text);

}  // namespace dialtone::sdp
