#pragma once
// The two messages a transaction writes itself: the ACK to a non-2xx final (§17.1.1.3) and the
// 100 (Trying) of an INVITE server transaction (§17.2.1, §8.2.6).
#include "dialtone/sip/message.hpp"

namespace dialtone::txn::detail {

sip::Message build_ack(const sip::Message& invite, const sip::Message& final_response);
sip::Message build_trying(const sip::Message& request);

}  // namespace dialtone::txn::detail
