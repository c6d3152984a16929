// RFC 3261 §17.1 client transactions, driven by a manual clock to exact instants.
#include "dialtone/txn/client_machine.hpp"

#include <doctest/doctest.h>

#include <vector>

using namespace dialtone;
using namespace dialtone::txn;

namespace {

base::TimePoint at_ms(std::int64_t ms) { return base::TimePoint{} + base::milliseconds(ms); }
std::int64_t ms_of(base::TimePoint t) { return base::to_milliseconds(t.time_since_epoch()); }

// Runs the machine's own deadlines until it terminates or `until`, recording every instant a
// retransmission went out and the instant and kind of the timeout.
struct Trace {
    std::vector<std::int64_t> retransmits;
    std::int64_t ended_at = -1;
    std::optional<Timer> timeout;
};

Trace run(ClientMachine& m, std::int64_t until_ms) {
    Trace t;
    while (auto d = m.next_deadline()) {
        if (ms_of(*d) > until_ms) break;
        Actions a = m.on_timer(*d);
        if (a.send_request) t.retransmits.push_back(ms_of(*d));
        if (a.terminated) {
            t.ended_at = ms_of(*d);
            t.timeout = a.timeout;
            break;
        }
    }
    return t;
}

}  // namespace

TEST_CASE("client INVITE: Timer A doubles from T1 until Timer B fires at 64*T1") {
    ClientMachine m(true, false, TimerConfig{}, at_ms(0));
    CHECK(m.state() == State::Calling);
    Trace t = run(m, 100'000);
    CHECK(t.retransmits == std::vector<std::int64_t>{500, 1500, 3500, 7500, 15500, 31500});
    CHECK(t.ended_at == 32000);
    CHECK(t.timeout == Timer::B);
    CHECK(m.state() == State::Terminated);
}

TEST_CASE("client INVITE: no retransmissions over a reliable transport, Timer B still at 64*T1") {
    ClientMachine m(true, true, TimerConfig{}, at_ms(0));
    CHECK_FALSE(m.deadline(Timer::A));
    Trace t = run(m, 100'000);
    CHECK(t.retransmits.empty());
    CHECK(t.ended_at == 32000);
    CHECK(t.timeout == Timer::B);
}

TEST_CASE("client INVITE: T1 is configurable and scales Timers A and B") {
    TimerConfig c;
    c.t1 = base::milliseconds(100);
    ClientMachine m(true, false, c, at_ms(0));
    Trace t = run(m, 100'000);
    CHECK(t.retransmits == std::vector<std::int64_t>{100, 300, 700, 1500, 3100, 6300});
    CHECK(t.ended_at == 6400);
}

TEST_CASE("client INVITE: a provisional response stops retransmissions and Timer B (Proceeding)") {
    ClientMachine m(true, false, TimerConfig{}, at_ms(0));
    CHECK(m.on_timer(at_ms(500)).send_request);
    Actions a = m.on_response(180, at_ms(700));
    CHECK(a.pass_to_tu);
    CHECK(m.state() == State::Proceeding);
    CHECK_FALSE(m.next_deadline());
    CHECK(m.on_response(183, at_ms(900)).pass_to_tu);
}

TEST_CASE("client INVITE: a non-2xx final is ACKed and Timer D runs 32 s over UDP") {
    ClientMachine m(true, false, TimerConfig{}, at_ms(0));
    Actions a = m.on_response(486, at_ms(1000));
    CHECK(a.send_ack);
    CHECK(a.pass_to_tu);
    CHECK_FALSE(a.terminated);
    CHECK(m.state() == State::Completed);
    CHECK(m.deadline(Timer::D) == at_ms(33000));
    CHECK_FALSE(m.deadline(Timer::A));
    CHECK_FALSE(m.deadline(Timer::B));

    // A retransmitted final is ACKed again and not passed up (§17.1.1.2).
    Actions again = m.on_response(486, at_ms(1500));
    CHECK(again.send_ack);
    CHECK_FALSE(again.pass_to_tu);

    CHECK_FALSE(m.on_timer(at_ms(32999)).terminated);
    CHECK(m.on_timer(at_ms(33000)).terminated);
    CHECK(m.state() == State::Terminated);
}

TEST_CASE("client INVITE: Timer D is zero over TCP: Completed ends at once") {
    ClientMachine m(true, true, TimerConfig{}, at_ms(0));
    Actions a = m.on_response(603, at_ms(200));
    CHECK(a.send_ack);
    CHECK(a.pass_to_tu);
    CHECK(a.terminated);
    CHECK(m.state() == State::Terminated);
}

TEST_CASE("client INVITE: a 2xx moves to Accepted and further 2xx still reach the TU until Timer M") {
    ClientMachine m(true, false, TimerConfig{}, at_ms(0));
    Actions a = m.on_response(200, at_ms(2000));
    CHECK(a.pass_to_tu);
    CHECK_FALSE(a.send_ack);  // the TU ACKs a 2xx itself (§13.2.2.4)
    CHECK(m.state() == State::Accepted);
    CHECK(m.deadline(Timer::M) == at_ms(34000));
    CHECK(m.on_response(200, at_ms(2500)).pass_to_tu);
    CHECK_FALSE(m.on_response(486, at_ms(2600)).pass_to_tu);
    CHECK(m.on_timer(at_ms(34000)).terminated);
}

TEST_CASE("client INVITE: a transport error in Calling ends the transaction and tells the TU") {
    ClientMachine m(true, false, TimerConfig{}, at_ms(0));
    Actions a = m.on_transport_error(at_ms(10));
    CHECK(a.transport_error);
    CHECK(a.terminated);
    CHECK_FALSE(m.next_deadline());
}

TEST_CASE("client non-INVITE: Timer E doubles up to T2, Timer F at 64*T1") {
    ClientMachine m(false, false, TimerConfig{}, at_ms(0));
    CHECK(m.state() == State::Trying);
    Trace t = run(m, 100'000);
    CHECK(t.retransmits ==
          std::vector<std::int64_t>{500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500});
    CHECK(t.ended_at == 32000);
    CHECK(t.timeout == Timer::F);
}

TEST_CASE("client non-INVITE: in Proceeding Timer E fires every T2") {
    ClientMachine m(false, false, TimerConfig{}, at_ms(0));
    CHECK(m.on_timer(at_ms(500)).send_request);  // next at 1500
    CHECK(m.on_response(100, at_ms(600)).pass_to_tu);
    CHECK(m.state() == State::Proceeding);
    Trace t = run(m, 12000);
    CHECK(t.retransmits == std::vector<std::int64_t>{1500, 5500, 9500});
}

TEST_CASE("client non-INVITE: a final response starts Timer K (T4) and later ones are absorbed") {
    ClientMachine m(false, false, TimerConfig{}, at_ms(0));
    Actions a = m.on_response(200, at_ms(300));
    CHECK(a.pass_to_tu);
    CHECK(m.state() == State::Completed);
    CHECK(m.deadline(Timer::K) == at_ms(5300));
    CHECK_FALSE(m.deadline(Timer::E));
    CHECK_FALSE(m.deadline(Timer::F));
    CHECK_FALSE(m.on_response(200, at_ms(400)).pass_to_tu);
    CHECK(m.on_timer(at_ms(5300)).terminated);
}

TEST_CASE("client non-INVITE: Timer K is zero over TCP") {
    ClientMachine m(false, true, TimerConfig{}, at_ms(0));
    CHECK_FALSE(m.deadline(Timer::E));
    CHECK(m.deadline(Timer::F) == at_ms(32000));
    Actions a = m.on_response(404, at_ms(300));
    CHECK(a.pass_to_tu);
    CHECK(a.terminated);
}

TEST_CASE("client non-INVITE: T2 is configurable and caps Timer E") {
    TimerConfig c;
    c.t2 = base::seconds(2);
    ClientMachine m(false, false, c, at_ms(0));
    Trace t = run(m, 8000);
    CHECK(t.retransmits == std::vector<std::int64_t>{500, 1500, 3500, 5500, 7500});
}

TEST_CASE("client INVITE: after a CANCEL in Proceeding, no final within 64*T1 gives up (§9.1)") {
    ClientMachine m(true, false, TimerConfig{}, at_ms(0));
    CHECK(m.on_response(180, at_ms(100)).pass_to_tu);
    CHECK_FALSE(m.next_deadline());
    m.on_cancel_sent(at_ms(10000));
    CHECK(m.deadline(Timer::B) == at_ms(42000));
    Actions a = m.on_timer(at_ms(42000));
    CHECK(a.timeout == Timer::B);
    CHECK(a.terminated);
}

TEST_CASE("client INVITE: a CANCEL in Calling keeps the earlier Timer B") {
    ClientMachine m(true, false, TimerConfig{}, at_ms(0));
    m.on_cancel_sent(at_ms(1000));
    CHECK(m.deadline(Timer::B) == at_ms(32000));
}
