#pragma once
// What a transaction state machine asks of its owner after an input. The machines know only
// states and timers; the TransactionLayer owns the messages and carries these out in the order
// of the fields below (send first, then tell the TU, then forget the transaction).
#include "dialtone/txn/timer.hpp"

#include <optional>

namespace dialtone::txn {

struct Actions {
    bool send_request = false;     // client: (re)transmit the request
    bool send_ack = false;         // INVITE client: send (or resend) the ACK for a non-2xx final
    bool send_response = false;    // server: send the response the TU just handed over
    bool resend_response = false;  // server: retransmit the last response sent
    bool send_trying = false;      // INVITE server: generate and send 100 (Trying)
    bool pass_to_tu = false;       // hand the message just received to the TU
    std::optional<Timer> timeout;  // tell the TU the transaction timed out (Timer B, F or H)
    bool transport_error = false;  // tell the TU the transport failed (treated as 503, §8.1.3.1)
    bool terminated = false;       // the machine reached Terminated: the owner may forget it

    Actions& operator|=(const Actions& o);
};

}  // namespace dialtone::txn
