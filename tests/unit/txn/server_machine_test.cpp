// RFC 3261 §17.2 server transactions, driven by a manual clock to exact instants.
#include "dialtone/txn/server_machine.hpp"

#include <doctest/doctest.h>

#include <vector>

using namespace dialtone;
using namespace dialtone::txn;

namespace {

base::TimePoint at_ms(std::int64_t ms) { return base::TimePoint{} + base::milliseconds(ms); }
std::int64_t ms_of(base::TimePoint t) { return base::to_milliseconds(t.time_since_epoch()); }

Actions respond(ServerMachine& m, int status, std::int64_t ms) {
    auto r = m.on_tu_response(status, at_ms(ms));
    REQUIRE(r.ok());
    return *r;
}

}  // namespace

TEST_CASE("server INVITE: 100 Trying goes out when the TU has not answered within 200 ms") {
    ServerMachine m(true, false, TimerConfig{}, at_ms(0));
    CHECK(m.state() == State::Proceeding);
    CHECK(m.next_deadline() == at_ms(200));
    CHECK_FALSE(m.on_timer(at_ms(199)).send_trying);
    CHECK(m.on_timer(at_ms(200)).send_trying);
    CHECK(m.responded());
    CHECK_FALSE(m.next_deadline());
}

TEST_CASE("server INVITE: no 100 Trying when the TU answers within 200 ms") {
    ServerMachine m(true, false, TimerConfig{}, at_ms(0));
    CHECK(respond(m, 180, 150).send_response);
    CHECK_FALSE(m.next_deadline());
    CHECK_FALSE(m.on_timer(at_ms(200)).send_trying);
}

TEST_CASE("server INVITE: a retransmitted INVITE gets the latest provisional again") {
    ServerMachine m(true, false, TimerConfig{}, at_ms(0));
    respond(m, 180, 50);
    Actions a = m.on_request(false, at_ms(500));
    CHECK(a.resend_response);
    CHECK_FALSE(a.pass_to_tu);
}

TEST_CASE("server INVITE: a retransmission before any response brings the 100 Trying forward") {
    ServerMachine m(true, false, TimerConfig{}, at_ms(0));
    Actions a = m.on_request(false, at_ms(100));
    CHECK(a.send_trying);
    CHECK_FALSE(m.deadline(Timer::Trying));
    CHECK(m.on_request(false, at_ms(150)).resend_response);
}

TEST_CASE("server INVITE: Timer G doubles up to T2 and Timer H fires at 64*T1") {
    ServerMachine m(true, false, TimerConfig{}, at_ms(0));
    respond(m, 486, 0);
    CHECK(m.state() == State::Completed);
    std::vector<std::int64_t> resent;
    std::optional<Timer> timeout;
    std::int64_t ended = -1;
    while (auto d = m.next_deadline()) {
        Actions a = m.on_timer(*d);
        if (a.resend_response) resent.push_back(ms_of(*d));
        if (a.terminated) {
            ended = ms_of(*d);
            timeout = a.timeout;
        }
    }
    CHECK(resent ==
          std::vector<std::int64_t>{500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500});
    CHECK(ended == 32000);
    CHECK(timeout == Timer::H);
}

TEST_CASE("server INVITE: over TCP the final is not retransmitted but Timer H still runs") {
    ServerMachine m(true, true, TimerConfig{}, at_ms(0));
    respond(m, 404, 1000);
    CHECK_FALSE(m.deadline(Timer::G));
    CHECK(m.deadline(Timer::H) == at_ms(33000));
}

TEST_CASE("server INVITE: the ACK confirms and Timer I runs T4 over UDP") {
    ServerMachine m(true, false, TimerConfig{}, at_ms(0));
    respond(m, 486, 0);
    CHECK(m.on_request(false, at_ms(300)).resend_response);  // INVITE retransmission in Completed
    Actions a = m.on_request(true, at_ms(1000));
    CHECK_FALSE(a.pass_to_tu);  // §17.2.1: the ACK is absorbed
    CHECK(m.state() == State::Confirmed);
    CHECK_FALSE(m.deadline(Timer::G));
    CHECK_FALSE(m.deadline(Timer::H));
    CHECK(m.deadline(Timer::I) == at_ms(6000));
    Actions again = m.on_request(true, at_ms(1500));
    CHECK_FALSE(again.pass_to_tu);
    CHECK_FALSE(again.resend_response);
    CHECK(m.on_timer(at_ms(6000)).terminated);
}

TEST_CASE("server INVITE: Timer I is zero over TCP") {
    ServerMachine m(true, true, TimerConfig{}, at_ms(0));
    respond(m, 486, 0);
    CHECK(m.on_request(true, at_ms(1000)).terminated);
    CHECK(m.state() == State::Terminated);
}

TEST_CASE("server INVITE: a 2xx moves to Accepted (RFC 6026): INVITE absorbed, ACK to the TU, Timer L") {
    ServerMachine m(true, false, TimerConfig{}, at_ms(0));
    respond(m, 200, 1000);
    CHECK(m.state() == State::Accepted);
    CHECK(m.deadline(Timer::L) == at_ms(33000));
    Actions inv = m.on_request(false, at_ms(1500));
    CHECK_FALSE(inv.pass_to_tu);
    CHECK_FALSE(inv.resend_response);
    CHECK(m.on_request(true, at_ms(1600)).pass_to_tu);
    CHECK(respond(m, 200, 1700).send_response);  // the TU's own 2xx retransmission
    CHECK_FALSE(m.on_tu_response(486, at_ms(1800)).ok());
    CHECK(m.on_timer(at_ms(33000)).terminated);
}

TEST_CASE("server INVITE: a second final response is refused with a reason") {
    ServerMachine m(true, false, TimerConfig{}, at_ms(0));
    respond(m, 486, 0);
    auto r = m.on_tu_response(200, at_ms(10));
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message == "a final response has already been sent in this INVITE transaction");
    CHECK_FALSE(m.on_tu_response(99, at_ms(10)).ok());
}

TEST_CASE("server non-INVITE: retransmissions absorbed in Trying, answered afterwards, Timer J 64*T1") {
    ServerMachine m(false, false, TimerConfig{}, at_ms(0));
    CHECK(m.state() == State::Trying);
    CHECK_FALSE(m.next_deadline());  // no 100 Trying for non-INVITE
    Actions a = m.on_request(false, at_ms(500));
    CHECK_FALSE(a.resend_response);
    CHECK_FALSE(a.pass_to_tu);
    respond(m, 100, 600);
    CHECK(m.state() == State::Proceeding);
    CHECK(m.on_request(false, at_ms(1500)).resend_response);
    respond(m, 200, 2000);
    CHECK(m.state() == State::Completed);
    CHECK(m.deadline(Timer::J) == at_ms(34000));
    CHECK(m.on_request(false, at_ms(3500)).resend_response);
    CHECK_FALSE(m.on_tu_response(200, at_ms(3600)).ok());
    CHECK_FALSE(m.on_timer(at_ms(33999)).terminated);
    CHECK(m.on_timer(at_ms(34000)).terminated);
}

TEST_CASE("server non-INVITE: Timer J is zero over TCP") {
    ServerMachine m(false, true, TimerConfig{}, at_ms(0));
    CHECK(respond(m, 200, 10).terminated);
}

TEST_CASE("server: a transport error ends the transaction and tells the TU") {
    ServerMachine m(false, false, TimerConfig{}, at_ms(0));
    respond(m, 200, 0);
    Actions a = m.on_transport_error(at_ms(1));
    CHECK(a.transport_error);
    CHECK(a.terminated);
}
