#pragma once
// Refer-To (RFC 3515 §2.1) and Referred-By (RFC 3892 §3): a name-addr or addr-spec with
// parameters. For an attended transfer the target URI carries the Replaces header of the
// dialog to replace as a URI header: <sip:bob@b.example?Replaces=12345%40a.example%3Bto-tag%3D…>.
#include "dialtone/base/result.hpp"
#include "dialtone/sip/name_addr.hpp"
#include "dialtone/sip/replaces.hpp"

#include <optional>
#include <string_view>

namespace dialtone::sip {

// Errors start with "Refer-To: " / "Referred-By: ".
base::Result<NameAddr> parse_refer_to(std::string_view value);
base::Result<NameAddr> parse_referred_by(std::string_view value);

// The Replaces embedded in a URI's headers; nullopt when there is none, an error when it is
// present but malformed.
base::Result<std::optional<Replaces>> embedded_replaces(const Uri& uri);

}  // namespace dialtone::sip
