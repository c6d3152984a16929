#include "dialtone/txn/actions.hpp"

namespace dialtone::txn {

Actions& Actions::operator|=(const Actions& o) {
    send_request |= o.send_request;
    send_ack |= o.send_ack;
    send_response |= o.send_response;
    resend_response |= o.resend_response;
    send_trying |= o.send_trying;
    pass_to_tu |= o.pass_to_tu;
    if (o.timeout) timeout = o.timeout;
    transport_error |= o.transport_error;
    terminated |= o.terminated;
    return *this;
}

}  // namespace dialtone::txn
