#pragma once
// A request a UA state machine wants sent: the whole message (Via with a fresh branch
// included) and the URI of the next hop (§8.1.2), which the UA resolves to a destination.
#include "dialtone/sip/message.hpp"
#include "dialtone/sip/uri.hpp"

namespace dialtone::ua {

struct OutgoingRequest {
    sip::Message request;
    sip::Uri next_hop;
};

}  // namespace dialtone::ua
