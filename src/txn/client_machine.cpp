#include "dialtone/txn/client_machine.hpp"

#include <algorithm>

namespace dialtone::txn {

namespace {
constexpr bool provisional(int status) { return status >= 100 && status <= 199; }
constexpr bool success(int status) { return status >= 200 && status <= 299; }
constexpr bool final_status(int status) { return status >= 200 && status <= 699; }
}  // namespace

ClientMachine::ClientMachine(bool invite, bool reliable, const TimerConfig& config, base::TimePoint now)
    : config_(config), state_(invite ? State::Calling : State::Trying), invite_(invite), reliable_(reliable) {
    // §17.1.1.2 / §17.1.2.2: retransmit over unreliable transports only, starting at T1;
    // Timer B / F bound the whole attempt at 64*T1 on every transport.
    if (!reliable_) {
        interval_ = config_.t1;
        timers_.arm(invite_ ? Timer::A : Timer::E, now + interval_);
    }
    const Timer limit = invite_ ? Timer::B : Timer::F;
    timers_.arm(limit, now + config_.initial(limit, reliable_));
}

Actions ClientMachine::terminate() {
    state_ = State::Terminated;
    timers_.disarm_all();
    Actions a;
    a.terminated = true;
    return a;
}

Actions ClientMachine::on_response(int status, base::TimePoint now) {
    if (state_ == State::Terminated || status < 100 || status > 699) return {};
    return invite_ ? invite_response(status, now) : non_invite_response(status, now);
}

Actions ClientMachine::invite_response(int status, base::TimePoint now) {
    Actions a;
    switch (state_) {
        case State::Calling:
        case State::Proceeding:
            // §17.1.1.2: any response stops the retransmissions; Timer B only guards Calling.
            timers_.disarm(Timer::A);
            timers_.disarm(Timer::B);
            a.pass_to_tu = true;
            if (provisional(status)) {
                state_ = State::Proceeding;
            } else if (success(status)) {
                // RFC 6026 §7.2: Accepted, so retransmitted and forked 2xx still reach the TU.
                state_ = State::Accepted;
                timers_.arm(Timer::M, now + config_.initial(Timer::M, reliable_));
            } else {
                // §17.1.1.2: ACK the non-2xx final, then wait out its retransmissions (Timer D).
                state_ = State::Completed;
                a.send_ack = true;
                const base::Duration d = config_.initial(Timer::D, reliable_);
                if (d == base::Duration::zero()) {
                    a |= terminate();
                } else {
                    timers_.arm(Timer::D, now + d);
                }
            }
            return a;
        case State::Completed:
            // §17.1.1.2: a retransmitted final gets the ACK again and stays from the TU.
            if (final_status(status) && !success(status)) a.send_ack = true;
            return a;
        case State::Accepted:
            // RFC 6026 §7.2: every 2xx goes up; the TU ACKs each one (§13.2.2.4).
            if (success(status)) a.pass_to_tu = true;
            return a;
        default: return a;
    }
}

Actions ClientMachine::non_invite_response(int status, base::TimePoint now) {
    Actions a;
    if (state_ != State::Trying && state_ != State::Proceeding) return a;  // Completed absorbs
    a.pass_to_tu = true;
    if (provisional(status)) {
        state_ = State::Proceeding;
        return a;
    }
    // §17.1.2.2: a final moves to Completed, where Timer K absorbs its retransmissions.
    state_ = State::Completed;
    timers_.disarm(Timer::E);
    timers_.disarm(Timer::F);
    const base::Duration k = config_.initial(Timer::K, reliable_);
    if (k == base::Duration::zero()) {
        a |= terminate();
    } else {
        timers_.arm(Timer::K, now + k);
    }
    return a;
}

Actions ClientMachine::on_timer(base::TimePoint now) {
    Actions a;
    if (state_ == State::Terminated) return a;
    if (invite_) {
        if (timers_.due(Timer::B, now)) {
            // §17.1.1.2: Timer B in Calling means no response at all; in Proceeding it is the
            // §9.1 limit after a CANCEL. Either way the TU hears of the timeout.
            a.timeout = Timer::B;
            a |= terminate();
            return a;
        }
        if (timers_.due(Timer::D, now) || timers_.due(Timer::M, now)) return terminate();
        if (timers_.due(Timer::A, now)) {
            // §17.1.1.2: retransmit and double the interval, with no cap (B ends it).
            a.send_request = true;
            interval_ *= 2;
            timers_.arm(Timer::A, now + interval_);
        }
        return a;
    }
    if (timers_.due(Timer::F, now)) {
        a.timeout = Timer::F;
        a |= terminate();
        return a;
    }
    if (timers_.due(Timer::K, now)) return terminate();
    if (timers_.due(Timer::E, now)) {
        // §17.1.2.2: doubling up to T2 in Trying; every T2 once a provisional was heard.
        a.send_request = true;
        interval_ = state_ == State::Trying ? std::min(2 * interval_, config_.t2) : config_.t2;
        timers_.arm(Timer::E, now + interval_);
    }
    return a;
}

void ClientMachine::on_cancel_sent(base::TimePoint now) {
    if (!invite_ || (state_ != State::Calling && state_ != State::Proceeding)) return;
    const base::TimePoint limit = now + config_.initial(Timer::B, reliable_);
    if (const auto b = timers_.deadline(Timer::B); !b || *b > limit) timers_.arm(Timer::B, limit);
}

Actions ClientMachine::on_transport_error(base::TimePoint) {
    switch (state_) {
        case State::Calling:
        case State::Trying:
        case State::Proceeding: {
            // §17.1.1.2, §17.1.2.2: the request could not be sent: the TU hears it as a failure.
            Actions a = terminate();
            a.transport_error = true;
            return a;
        }
        case State::Completed:
            // The ACK could not be sent; the TU already has the final response.
            return terminate();
        default: return {};
    }
}

}  // namespace dialtone::txn
