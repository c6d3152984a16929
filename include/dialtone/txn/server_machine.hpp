#pragma once
// The server transaction state machines of RFC 3261 §17.2: INVITE (§17.2.1, Figure 7, with the
// Accepted state of RFC 6026 §7.1) and non-INVITE (§17.2.2, Figure 8). Pure state and timers:
// the owner sends what the returned Actions say.
#include "dialtone/base/result.hpp"
#include "dialtone/base/time.hpp"
#include "dialtone/txn/actions.hpp"
#include "dialtone/txn/state.hpp"
#include "dialtone/txn/timer.hpp"
#include "dialtone/txn/timer_set.hpp"

#include <optional>

namespace dialtone::txn {

class ServerMachine {
public:
    // A new request arrived: the owner passes it to the TU. INVITE starts in Proceeding with the
    // 200 ms 100 (Trying) timer armed; other methods start in Trying.
    ServerMachine(bool invite, bool reliable, const TimerConfig& config, base::TimePoint now);

    // A retransmission of the request (§17.2.1, §17.2.2), or for INVITE an ACK matched to it.
    Actions on_request(bool is_ack, base::TimePoint now);
    // The TU hands over a response; an error when the state allows none (a final already sent).
    base::Result<Actions> on_tu_response(int status, base::TimePoint now);
    // Fires every timer due at `now`.
    Actions on_timer(base::TimePoint now);
    // The transport could not send a response (§17.2.4).
    Actions on_transport_error(base::TimePoint now);

    Kind kind() const { return invite_ ? Kind::InviteServer : Kind::NonInviteServer; }
    State state() const { return state_; }
    bool reliable() const { return reliable_; }
    // Whether any response (the TU's or the generated 100 Trying) has been sent.
    bool responded() const { return responded_; }
    std::optional<base::TimePoint> next_deadline() const { return timers_.earliest(); }
    std::optional<base::TimePoint> deadline(Timer t) const { return timers_.deadline(t); }

private:
    base::Result<Actions> invite_tu_response(int status, base::TimePoint now);
    base::Result<Actions> non_invite_tu_response(int status, base::TimePoint now);
    Actions terminate();

    TimerConfig config_;
    TimerSet timers_;
    base::Duration interval_{};  // the current Timer G interval
    State state_;
    bool invite_;
    bool reliable_;
    bool responded_ = false;
};

}  // namespace dialtone::txn
