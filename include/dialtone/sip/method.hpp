#pragma once
// SIP request methods (RFC 3261 §7.1 and the extensions dialtone speaks). Method names are
// case-sensitive tokens; anything else is Unknown and kept byte-exact by the Message.
#include <string_view>

namespace dialtone::sip {

enum class Method {
    Invite,
    Ack,
    Bye,
    Cancel,
    Register,
    Options,
    Info,
    Message,
    Update,
    Prack,
    Refer,
    Notify,
    Subscribe,
    Publish,
    Unknown,
};

// Exact, case-sensitive match ("INVITE" → Invite, "invite" → Unknown).
Method parse_method(std::string_view text);
// Upper-case name; empty for Unknown.
std::string_view to_string(Method m);

}  // namespace dialtone::sip
