#pragma once
// The client transaction state machines of RFC 3261 §17.1: INVITE (§17.1.1, Figure 5, with the
// Accepted state of RFC 6026 §7.2) and non-INVITE (§17.1.2, Figure 6). Pure state and timers:
// the owner sends what the returned Actions say.
#include "dialtone/base/time.hpp"
#include "dialtone/txn/actions.hpp"
#include "dialtone/txn/state.hpp"
#include "dialtone/txn/timer.hpp"
#include "dialtone/txn/timer_set.hpp"

#include <optional>

namespace dialtone::txn {

class ClientMachine {
public:
    // Starts the transaction: the request is sent now (Calling or Trying) and the timers armed.
    // `invite` picks the INVITE machine; `reliable` turns off retransmissions (§17.1.1.2).
    ClientMachine(bool invite, bool reliable, const TimerConfig& config, base::TimePoint now);

    // A response matched to this transaction (§17.1.3), by status code.
    Actions on_response(int status, base::TimePoint now);
    // Fires every timer due at `now`.
    Actions on_timer(base::TimePoint now);
    // A CANCEL for this INVITE went out (§9.1): without a final response within 64*T1 the
    // transaction is given up (Timer B re-armed, also in Proceeding, where it is otherwise off).
    void on_cancel_sent(base::TimePoint now);
    // The transport could not send the request or the ACK (§17.1.1.2, §17.1.2.2).
    Actions on_transport_error(base::TimePoint now);

    Kind kind() const { return invite_ ? Kind::InviteClient : Kind::NonInviteClient; }
    State state() const { return state_; }
    bool reliable() const { return reliable_; }
    std::optional<base::TimePoint> next_deadline() const { return timers_.earliest(); }
    std::optional<base::TimePoint> deadline(Timer t) const { return timers_.deadline(t); }

private:
    Actions invite_response(int status, base::TimePoint now);
    Actions non_invite_response(int status, base::TimePoint now);
    Actions terminate();

    TimerConfig config_;
    TimerSet timers_;
    base::Duration interval_{};  // the current Timer A / E interval
    State state_;
    bool invite_;
    bool reliable_;
};

}  // namespace dialtone::txn
