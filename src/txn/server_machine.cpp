#include "dialtone/txn/server_machine.hpp"

#include <algorithm>
#include <string>

namespace dialtone::txn {

namespace {
constexpr bool provisional(int status) { return status >= 100 && status <= 199; }
constexpr bool success(int status) { return status >= 200 && status <= 299; }
}  // namespace

ServerMachine::ServerMachine(bool invite, bool reliable, const TimerConfig& config, base::TimePoint now)
    : config_(config),
      state_(invite ? State::Proceeding : State::Trying),
      invite_(invite),
      reliable_(reliable) {
    // §17.2.1: 100 (Trying) unless the TU answers within 200 ms.
    if (invite_) timers_.arm(Timer::Trying, now + config_.initial(Timer::Trying, reliable_));
}

Actions ServerMachine::terminate() {
    state_ = State::Terminated;
    timers_.disarm_all();
    Actions a;
    a.terminated = true;
    return a;
}

Actions ServerMachine::on_request(bool is_ack, base::TimePoint now) {
    Actions a;
    if (!invite_) {
        // §17.2.2: absorbed in Trying; the last response is resent in Proceeding and Completed.
        if (!is_ack && (state_ == State::Proceeding || state_ == State::Completed)) a.resend_response = true;
        return a;
    }
    switch (state_) {
        case State::Proceeding:
            if (is_ack) return a;
            // §17.2.1: resend the most recent provisional. With none yet the peer is evidently
            // retransmitting, so the 100 (Trying) goes out now rather than at 200 ms.
            if (responded_) {
                a.resend_response = true;
            } else {
                a.send_trying = true;
                responded_ = true;
                timers_.disarm(Timer::Trying);
            }
            return a;
        case State::Completed:
            if (!is_ack) {
                a.resend_response = true;  // §17.2.1: INVITE retransmission gets the final again
                return a;
            }
            // §17.2.1: the ACK confirms; Timer I absorbs its retransmissions.
            state_ = State::Confirmed;
            timers_.disarm(Timer::G);
            timers_.disarm(Timer::H);
            if (const base::Duration i = config_.initial(Timer::I, reliable_); i == base::Duration::zero()) {
                a |= terminate();
            } else {
                timers_.arm(Timer::I, now + i);
            }
            return a;
        case State::Accepted:
            // RFC 6026 §7.1: INVITE retransmissions are absorbed (the TU retransmits the 2xx);
            // an ACK that matches goes to the TU.
            if (is_ack) a.pass_to_tu = true;
            return a;
        default: return a;  // Confirmed absorbs everything (§17.2.1)
    }
}

base::Result<Actions> ServerMachine::on_tu_response(int status, base::TimePoint now) {
    if (status < 100 || status > 699) {
        return base::make_error("response status " + std::to_string(status) + " is outside 100-699");
    }
    if (state_ == State::Terminated) return base::make_error("the server transaction has terminated");
    return invite_ ? invite_tu_response(status, now) : non_invite_tu_response(status, now);
}

base::Result<Actions> ServerMachine::invite_tu_response(int status, base::TimePoint now) {
    Actions a;
    if (state_ == State::Accepted) {
        // RFC 6026 §7.1: the TU's 2xx retransmissions pass through the Accepted state.
        if (!success(status)) {
            return base::make_error("a 2xx has been sent: only 2xx retransmissions may follow");
        }
        a.send_response = true;
        return a;
    }
    if (state_ != State::Proceeding) {
        return base::make_error("a final response has already been sent in this INVITE transaction");
    }
    a.send_response = true;
    responded_ = true;
    timers_.disarm(Timer::Trying);
    if (provisional(status)) return a;
    if (success(status)) {
        // RFC 6026 §7.1 instead of §17.2.1's Terminated: absorb INVITE retransmissions for 64*T1
        // so they do not reach the TU as new requests.
        state_ = State::Accepted;
        timers_.arm(Timer::L, now + config_.initial(Timer::L, reliable_));
        return a;
    }
    // §17.2.1: Completed, retransmitting the final (Timer G) until the ACK or Timer H.
    state_ = State::Completed;
    if (!reliable_) {
        interval_ = config_.t1;
        timers_.arm(Timer::G, now + interval_);
    }
    timers_.arm(Timer::H, now + config_.initial(Timer::H, reliable_));
    return a;
}

base::Result<Actions> ServerMachine::non_invite_tu_response(int status, base::TimePoint now) {
    if (state_ != State::Trying && state_ != State::Proceeding) {
        return base::make_error("a final response has already been sent in this transaction");
    }
    Actions a;
    a.send_response = true;
    responded_ = true;
    if (provisional(status)) {
        state_ = State::Proceeding;
        return a;
    }
    // §17.2.2: Completed; Timer J absorbs request retransmissions.
    state_ = State::Completed;
    if (const base::Duration j = config_.initial(Timer::J, reliable_); j == base::Duration::zero()) {
        a |= terminate();
    } else {
        timers_.arm(Timer::J, now + j);
    }
    return a;
}

Actions ServerMachine::on_timer(base::TimePoint now) {
    Actions a;
    if (state_ == State::Terminated) return a;
    if (!invite_) {
        if (timers_.due(Timer::J, now)) return terminate();
        return a;
    }
    if (timers_.due(Timer::H, now)) {
        // §17.2.1: no ACK came: the TU hears of the failure.
        a.timeout = Timer::H;
        a |= terminate();
        return a;
    }
    if (timers_.due(Timer::I, now) || timers_.due(Timer::L, now)) return terminate();
    if (timers_.due(Timer::G, now)) {
        // §17.2.1: retransmit the final, doubling the interval up to T2.
        a.resend_response = true;
        interval_ = std::min(2 * interval_, config_.t2);
        timers_.arm(Timer::G, now + interval_);
    }
    if (timers_.due(Timer::Trying, now)) {
        timers_.disarm(Timer::Trying);
        if (state_ == State::Proceeding && !responded_) {
            a.send_trying = true;
            responded_ = true;
        }
    }
    return a;
}

Actions ServerMachine::on_transport_error(base::TimePoint) {
    switch (state_) {
        case State::Trying:
        case State::Proceeding:
        case State::Completed: {
            // §17.2.4: the response could not be sent: tell the TU and give up.
            Actions a = terminate();
            a.transport_error = true;
            return a;
        }
        case State::Accepted: {
            // Stay in Accepted so INVITE retransmissions are still absorbed until Timer L.
            Actions a;
            a.transport_error = true;
            return a;
        }
        default: return {};
    }
}

}  // namespace dialtone::txn
