// The call state machine between UserAgents on a direct wire (RFC 3261 §13–§15 and extensions).
#include "call_wire.hpp"

#include "dialtone/sip/parser.hpp"
#include "dialtone/sip/typed.hpp"

#include <doctest/doctest.h>

using namespace dialtone;
using namespace dialtone::ua;
using namespace dialtone::ua::test;
using base::milliseconds;
using base::seconds;

namespace {

struct Pair {
    Wire wire;
    Node* alice;
    Node* bob;
    explicit Pair(UserAgentConfig a = node_config("alice", 5060), UserAgentConfig b = node_config("bob", 5070)) {
        alice = &wire.add("alice", std::move(a), 1);
        bob = &wire.add("bob", std::move(b), 2);
    }
    CallId dial(const CallOptions& o = {}) {
        CallId id = alice->ua->call(wire.uri_of(*bob), o, wire.now);
        wire.flush();
        return id;
    }
    CallId incoming() const {
        auto v = bob->all<IncomingCall>();
        return v.empty() ? 0 : v.back().call;
    }
    // Alice calls, Bob answers at once.
    std::pair<CallId, CallId> establish(const CallOptions& o = {}) {
        CallId a = dial(o);
        CallId b = incoming();
        REQUIRE(b != 0);
        REQUIRE(bob->ua->answer(b, wire.now).ok());
        wire.flush();
        return {a, b};
    }
};

double at_seconds(base::TimePoint t) { return static_cast<double>(base::to_milliseconds(t.time_since_epoch())) / 1000.0; }

}  // namespace

TEST_CASE("basic call: INVITE, 180, 200, ACK, then BYE from the caller") {
    Pair p;
    CallId a = p.dial();
    CallId b = p.incoming();
    REQUIRE(b != 0);
    CHECK(p.bob->all<IncomingCall>().front().has_offer);
    REQUIRE(p.alice->last<CallRinging>());
    CHECK(p.alice->last<CallRinging>()->status == 180);
    REQUIRE(p.bob->ua->answer(b, p.wire.now).ok());
    p.wire.flush();
    REQUIRE(p.alice->last<CallAnswered>());
    REQUIRE(p.bob->last<CallAnswered>());
    const auto& media = p.alice->last<CallAnswered>()->media;
    REQUIRE(media.size() == 1);
    CHECK(media[0].codec.name == "PCMU");
    CHECK(media[0].remote_port == p.bob->last<CallAnswered>()->media[0].local_port);
    CHECK(p.wire.sent("ACK", "alice").size() == 1);
    CHECK(p.bob->ua->find_call(b)->state == CallState::Confirmed);

    REQUIRE(p.alice->ua->hangup(a, p.wire.now).ok());
    p.wire.flush();
    REQUIRE(p.bob->last<CallEnded>());
    CHECK(p.bob->last<CallEnded>()->by_peer);
    CHECK(p.bob->last<CallEnded>()->status == 200);
    CHECK(p.wire.sent("SIP/2.0 200", "bob").size() == 2);  // the INVITE's and the BYE's
    CHECK(p.alice->ua->call_count() == 0);
    CHECK(p.bob->ua->call_count() == 0);
}

TEST_CASE("busy: the callee rejects with 486 and the caller's call ends with it") {
    Pair p;
    CallId a = p.dial();
    REQUIRE(p.bob->ua->reject(p.incoming(), 486, "Busy Here", p.wire.now).ok());
    p.wire.flush();
    REQUIRE(p.alice->last<CallEnded>());
    CHECK(p.alice->last<CallEnded>()->call == a);
    CHECK(p.alice->last<CallEnded>()->status == 486);
    CHECK(p.alice->last<CallEnded>()->by_peer);
    CHECK(p.wire.sent("ACK", "alice").size() == 1);  // the transaction's ACK to the non-2xx
}

TEST_CASE("CANCEL: hanging up while ringing ends both sides with 487") {
    Pair p;
    CallId a = p.dial();
    REQUIRE(p.alice->ua->hangup(a, p.wire.now).ok());
    p.wire.flush();
    CHECK(p.wire.sent("CANCEL", "alice").size() == 1);
    REQUIRE(p.bob->last<CallEnded>());
    CHECK(p.bob->last<CallEnded>()->status == 487);
    REQUIRE(p.alice->last<CallEnded>());
    CHECK(p.alice->last<CallEnded>()->status == 487);
    CHECK(p.wire.sent("SIP/2.0 487", "bob").size() == 1);
}

TEST_CASE("CANCEL waits for a provisional response (§9.1)") {
    auto b = node_config("bob", 5070);
    b.auto_ring = false;
    Pair p(node_config("alice", 5060), b);
    CallId a = p.alice->ua->call(p.wire.uri_of(*p.bob), {}, p.wire.now);
    // The INVITE is lost on its way: hang up before anything came back.
    REQUIRE(p.alice->ua->hangup(a, p.wire.now).ok());
    p.wire.flush();
    CHECK(p.wire.sent("CANCEL").empty());
    p.wire.advance(milliseconds(200));  // Bob's transaction sends 100 Trying at 200 ms
    CHECK(p.wire.sent("SIP/2.0 100", "bob").size() == 1);
    CHECK(p.wire.sent("CANCEL", "alice").size() == 1);
    REQUIRE(p.alice->last<CallEnded>());
    CHECK(p.alice->last<CallEnded>()->status == 487);
}

TEST_CASE("no answer: the ring timeout sends CANCEL and the call ends with 487") {
    auto a = node_config("alice", 5060);
    a.ring_timeout = seconds(20);
    Pair p(a);
    p.dial();
    p.wire.advance(seconds(19));
    CHECK(p.wire.sent("CANCEL").empty());
    p.wire.advance(seconds(1));
    auto cancels = p.wire.sent("CANCEL", "alice");
    REQUIRE(cancels.size() == 1);
    CHECK(at_seconds(cancels[0].at) == 20.0);
    REQUIRE(p.alice->last<CallEnded>());
    CHECK(p.alice->last<CallEnded>()->status == 487);
    CHECK(p.bob->last<CallEnded>()->status == 487);
}

TEST_CASE("INVITE over UDP is retransmitted at 0.5, 1, 2, 4, 8, 16 s intervals; Timer B ends the call at 32 s") {
    Pair p;
    p.wire.drop = [](const Sent& s) { return s.to == "bob"; };
    p.dial();
    p.wire.advance(seconds(40));
    auto invites = p.wire.sent("INVITE", "alice");
    std::vector<double> at;
    for (const Sent& s : invites) at.push_back(at_seconds(s.at));
    CHECK(at == std::vector<double>{0, 0.5, 1.5, 3.5, 7.5, 15.5, 31.5});
    REQUIRE(p.alice->last<CallEnded>());
    CHECK(p.alice->last<CallEnded>()->status == 408);
    CHECK(p.alice->ua->call_count() == 0);
}

TEST_CASE("the UAS retransmits its 2xx until the ACK, T1 doubling to T2, and sends BYE after 64*T1 (§13.3.1.4)") {
    Pair p;
    // Every ACK is lost.
    p.wire.drop = [](const Sent& s) { return s.bytes.rfind("ACK", 0) == 0; };
    p.establish();
    p.wire.advance(seconds(40));
    auto oks = p.wire.sent("SIP/2.0 200", "bob");
    std::vector<double> at;
    for (const Sent& s : oks)
        if (s.bytes.find("INVITE\r\n") != std::string::npos) at.push_back(at_seconds(s.at));
    CHECK(at == std::vector<double>{0, 0.5, 1.5, 3.5, 7.5, 11.5, 15.5, 19.5, 23.5, 27.5, 31.5});
    CHECK(p.wire.sent("ACK", "alice").size() == at.size());  // every 2xx is ACKed again
    REQUIRE(p.bob->last<CallEnded>());
    CHECK(p.bob->last<CallEnded>()->status == 408);
    CHECK(p.wire.sent("BYE", "bob").size() == 1);
    CHECK(at_seconds(p.wire.sent("BYE", "bob")[0].at) == 32.0);
    REQUIRE(p.alice->last<CallEnded>());
    CHECK(p.alice->last<CallEnded>()->by_peer);
}

TEST_CASE("INVITE without SDP: the offer comes in the 200, the answer in the ACK") {
    Pair p;
    CallOptions o;
    o.offer_in_invite = false;
    p.establish(o);
    CHECK_FALSE(p.bob->all<IncomingCall>().front().has_offer);
    auto acks = p.wire.sent("ACK", "alice");
    REQUIRE(acks.size() == 1);
    CHECK(acks[0].bytes.find("application/sdp") != std::string::npos);
    REQUIRE(p.alice->last<CallAnswered>());
    REQUIRE(p.bob->last<CallAnswered>());
    CHECK(p.alice->last<CallAnswered>()->media.size() == 1);
    CHECK(p.bob->last<CallAnswered>()->media.size() == 1);
}

TEST_CASE("hold and resume by re-INVITE: both ends see HoldChanged") {
    Pair p;
    auto [a, b] = p.establish();
    REQUIRE(p.alice->ua->hold(a, p.wire.now).ok());
    p.wire.flush();
    REQUIRE(p.alice->last<HoldChanged>());
    CHECK(p.alice->last<HoldChanged>()->local);
    CHECK(p.alice->last<HoldChanged>()->media[0].direction == sdp::Direction::SendOnly);
    REQUIRE(p.bob->last<HoldChanged>());
    CHECK(p.bob->last<HoldChanged>()->remote);
    CHECK(p.bob->last<HoldChanged>()->media[0].direction == sdp::Direction::RecvOnly);
    CHECK(p.wire.sent("ACK", "alice").size() == 2);

    REQUIRE(p.alice->ua->resume(a, p.wire.now).ok());
    p.wire.flush();
    CHECK_FALSE(p.alice->last<HoldChanged>()->local);
    CHECK_FALSE(p.bob->last<HoldChanged>()->remote);
    CHECK(p.bob->last<HoldChanged>()->media[0].direction == sdp::Direction::SendRecv);
}

TEST_CASE("hold by UPDATE (RFC 3311) needs no ACK") {
    auto a = node_config("alice", 5060);
    a.hold_by_update = true;
    Pair p(a);
    auto [ca, cb] = p.establish();
    REQUIRE(p.alice->ua->hold(ca, p.wire.now).ok());
    p.wire.flush();
    CHECK(p.wire.sent("UPDATE", "alice").size() == 1);
    CHECK(p.wire.sent("ACK", "alice").size() == 1);
    REQUIRE(p.bob->last<HoldChanged>());
    CHECK(p.bob->last<HoldChanged>()->remote);
}

TEST_CASE("glare: crossing re-INVITEs both get 491 and retry after the §14.1 random times") {
    Pair p;
    auto [a, b] = p.establish();
    const auto start = p.wire.now;
    // Both hold at the same instant: each re-INVITE reaches the other while its own is pending.
    REQUIRE(p.alice->ua->hold(a, p.wire.now).ok());
    REQUIRE(p.bob->ua->hold(b, p.wire.now).ok());
    p.wire.flush();
    CHECK(p.wire.sent("SIP/2.0 491").size() == 2);
    const Call* ca = p.alice->ua->find_call(a);
    const Call* cb = p.bob->ua->find_call(b);
    REQUIRE(ca->glare_retry_at);
    REQUIRE(cb->glare_retry_at);
    // Alice sent the initial INVITE and owns the Call-ID: 2.1-4 s; Bob: 0-2 s; 10 ms units.
    const auto wait_a = base::to_milliseconds(*ca->glare_retry_at - start);
    const auto wait_b = base::to_milliseconds(*cb->glare_retry_at - start);
    CHECK(wait_a >= 2100);
    CHECK(wait_a <= 4000);
    CHECK(wait_b >= 0);
    CHECK(wait_b <= 2000);
    CHECK(wait_a % 10 == 0);
    CHECK(wait_b % 10 == 0);
    p.wire.advance(seconds(5));
    CHECK(p.alice->ua->find_call(a)->local_hold);
    CHECK(p.bob->ua->find_call(b)->local_hold);
    CHECK(p.alice->ua->find_call(a)->remote_hold);
    CHECK(p.bob->ua->find_call(b)->remote_hold);
}

TEST_CASE("INFO DTMF: digits go one at a time and arrive in order") {
    Pair p;
    auto [a, b] = p.establish();
    REQUIRE(p.alice->ua->send_dtmf(a, "12*#", p.wire.now).ok());
    p.wire.flush();
    auto got = p.bob->all<DtmfReceived>();
    std::string digits;
    for (const auto& d : got) digits += d.digit;
    CHECK(digits == "12*#");
    CHECK(got[0].duration_ms == 160);
    CHECK(got[0].method == DtmfMethod::Info);
    CHECK(p.alice->all<DtmfSent>().size() == 4);
    CHECK_FALSE(p.alice->ua->send_dtmf(a, "1x", p.wire.now).ok());
}

TEST_CASE("session timer (RFC 4028): the refresher re-INVITEs at half the interval") {
    auto a = node_config("alice", 5060);
    a.session_expires = 120;
    Pair p(a);
    auto [ca, cb] = p.establish();
    const Call* call = p.alice->ua->find_call(ca);
    REQUIRE(call->session_interval == 120);
    CHECK(call->we_refresh);  // Bob leaves the refresh to the UAC, which supports timers
    const auto answered = p.wire.now;
    p.wire.advance(seconds(59));
    CHECK(p.wire.sent("INVITE", "alice").size() == 1);
    p.wire.advance(seconds(1));
    auto invites = p.wire.sent("INVITE", "alice");
    REQUIRE(invites.size() == 2);
    CHECK(invites[1].at - answered == seconds(60));
    CHECK(invites[1].bytes.find("Session-Expires: 120;refresher=uac") != std::string::npos);
    p.wire.advance(seconds(300));
    CHECK(p.alice->last<CallEnded>() == nullptr);
    CHECK(p.bob->last<CallEnded>() == nullptr);
    CHECK(p.wire.sent("INVITE", "alice").size() == 7);
}

TEST_CASE("session timer: without refreshes the other end sends BYE before expiry") {
    auto a = node_config("alice", 5060);
    a.session_expires = 90;
    Pair p(a);
    p.establish();
    // Alice's refreshes are lost from now on.
    p.wire.drop = [](const Sent& s) { return s.from == "alice"; };
    p.wire.advance(seconds(100));
    auto byes = p.wire.sent("BYE", "bob");
    REQUIRE(byes.size() >= 1);
    CHECK(byes[0].at - p.wire.log.front().at == seconds(60));  // 90 - min(32, 30)
    REQUIRE(p.bob->last<CallEnded>());
    CHECK(p.bob->last<CallEnded>()->status == 408);
}

TEST_CASE("session timer: an interval below Min-SE earns 422 and the UAC retries with it") {
    auto a = node_config("alice", 5060);
    a.session_expires = 100;
    auto b = node_config("bob", 5070);
    b.min_se = 300;
    Pair p(a, b);
    auto [ca, cb] = p.establish();
    CHECK(p.wire.sent("SIP/2.0 422", "bob").size() == 1);
    auto invites = p.wire.sent("INVITE", "alice");
    REQUIRE(invites.size() == 2);
    CHECK(invites[1].bytes.find("Session-Expires: 300") != std::string::npos);
    REQUIRE(p.alice->last<CallAnswered>());
    CHECK(p.alice->ua->find_call(ca)->session_interval == 300);
}

TEST_CASE("100rel (RFC 3262): the reliable 180 is PRACKed and the call completes") {
    Pair p;
    CallOptions o;
    o.require_100rel = true;
    p.establish(o);
    auto rings = p.wire.sent("SIP/2.0 180", "bob");
    REQUIRE(rings.size() == 1);
    CHECK(rings[0].bytes.find("RSeq: ") != std::string::npos);
    CHECK(rings[0].bytes.find("Require: 100rel") != std::string::npos);
    auto pracks = p.wire.sent("PRACK", "alice");
    REQUIRE(pracks.size() == 1);
    CHECK(pracks[0].bytes.find("RAck: ") != std::string::npos);
    CHECK(p.wire.sent("SIP/2.0 200", "bob").size() == 2);  // PRACK and INVITE
    REQUIRE(p.alice->last<CallAnswered>());
}

TEST_CASE("100rel: an unacknowledged reliable 180 is retransmitted T1 doubling") {
    Pair p;
    p.wire.drop = [](const Sent& s) { return s.bytes.rfind("PRACK", 0) == 0; };
    CallOptions o;
    o.require_100rel = true;
    p.dial(o);
    p.wire.advance(seconds(5));
    std::vector<double> at;
    for (const Sent& s : p.wire.sent("SIP/2.0 180", "bob")) at.push_back(at_seconds(s.at));
    CHECK(at == std::vector<double>{0, 0.5, 1.5, 3.5});
}

TEST_CASE("OPTIONS is answered with Allow, Accept and Supported") {
    Pair p;
    RequestId id = p.alice->ua->send_options(p.wire.uri_of(*p.bob), p.wire.now);
    p.wire.flush();
    REQUIRE(p.alice->last<OptionsResult>());
    CHECK(p.alice->last<OptionsResult>()->request == id);
    CHECK(p.alice->last<OptionsResult>()->status == 200);
    const auto& allow = p.alice->last<OptionsResult>()->allow;
    CHECK(std::find(allow.begin(), allow.end(), "INVITE") != allow.end());
    CHECK(std::find(allow.begin(), allow.end(), "REFER") != allow.end());
    auto ok = p.wire.sent("SIP/2.0 200", "bob");
    REQUIRE(ok.size() == 1);
    CHECK(ok[0].bytes.find("Accept: application/sdp") != std::string::npos);
    CHECK(ok[0].bytes.find("Supported: ") != std::string::npos);
}

TEST_CASE("MESSAGE (RFC 3428) is delivered and answered 200") {
    Pair p;
    RequestId id = p.alice->ua->send_message(p.wire.uri_of(*p.bob), "text/plain", "hello bob", p.wire.now);
    p.wire.flush();
    REQUIRE(p.bob->last<MessageReceived>());
    CHECK(p.bob->last<MessageReceived>()->text == "hello bob");
    CHECK(p.bob->last<MessageReceived>()->content_type == "text/plain");
    CHECK(p.bob->last<MessageReceived>()->from.uri.user() == "alice");
    REQUIRE(p.alice->last<MessageResult>());
    CHECK(p.alice->last<MessageResult>()->request == id);
    CHECK(p.alice->last<MessageResult>()->status == 200);
}

TEST_CASE("more calls than max_calls earn 486") {
    auto b = node_config("bob", 5070);
    b.max_calls = 1;
    Pair p(node_config("alice", 5060), b);
    p.dial();
    CallId second = p.dial();
    CHECK(p.wire.sent("SIP/2.0 486", "bob").size() == 1);
    REQUIRE(p.alice->last<CallEnded>());
    CHECK(p.alice->last<CallEnded>()->call == second);
    CHECK(p.alice->last<CallEnded>()->status == 486);
    CHECK(p.bob->all<IncomingCall>().size() == 1);
}

TEST_CASE("blind transfer (RFC 3515): REFER, the transferee calls the target, NOTIFY reports 200") {
    Wire w;
    Node& alice = w.add("alice", node_config("alice", 5060), 1);
    Node& bob = w.add("bob", node_config("bob", 5070), 2);
    Node& carol = w.add("carol", node_config("carol", 5080), 3);
    CallId ab = alice.ua->call(w.uri_of(bob), {}, w.now);
    w.flush();
    REQUIRE(bob.ua->answer(bob.all<IncomingCall>().back().call, w.now).ok());
    w.flush();
    // Bob transfers Alice to Carol.
    CallId ba = bob.all<IncomingCall>().back().call;
    REQUIRE(bob.ua->transfer(ba, w.uri_of(carol), w.now).ok());
    w.flush();
    REQUIRE(alice.last<TransferRequested>());
    CHECK(alice.last<TransferRequested>()->call == ab);
    REQUIRE(carol.last<IncomingCall>());
    REQUIRE(carol.ua->answer(carol.last<IncomingCall>()->call, w.now).ok());
    w.flush();
    auto progress = bob.all<TransferProgress>();
    REQUIRE_FALSE(progress.empty());
    CHECK(progress.front().status == 202);
    CHECK(progress.back().status == 200);
    CHECK(progress.back().final);
    REQUIRE(alice.last<CallAnswered>());
    CHECK(alice.last<CallAnswered>()->call == alice.last<TransferRequested>()->new_call);
    // RFC 5589 §6.1: with the transfer done, Bob leaves the call; Alice stays with Carol.
    REQUIRE(bob.last<CallEnded>());
    CHECK(bob.last<CallEnded>()->call == ba);
    CHECK(bob.last<CallEnded>()->reason == "transferred");
    CHECK_FALSE(bob.last<CallEnded>()->by_peer);
    REQUIRE(alice.all<CallEnded>().size() == 1);
    CHECK(alice.last<CallEnded>()->call == ab);
    CHECK(alice.last<CallEnded>()->by_peer);
    CHECK(carol.all<CallEnded>().empty());
}

TEST_CASE("blind transfer that fails: the target is busy, NOTIFY reports 486, the call stays") {
    Wire w;
    Node& alice = w.add("alice", node_config("alice", 5060), 1);
    Node& bob = w.add("bob", node_config("bob", 5070), 2);
    Node& carol = w.add("carol", node_config("carol", 5080), 3);
    alice.ua->call(w.uri_of(bob), {}, w.now);
    w.flush();
    CallId ba = bob.all<IncomingCall>().back().call;
    REQUIRE(bob.ua->answer(ba, w.now).ok());
    w.flush();
    REQUIRE(bob.ua->transfer(ba, w.uri_of(carol), w.now).ok());
    w.flush();
    REQUIRE(carol.last<IncomingCall>());
    REQUIRE(carol.ua->reject(carol.last<IncomingCall>()->call, 486, "Busy Here", w.now).ok());
    w.flush();
    REQUIRE(bob.last<TransferProgress>());
    CHECK(bob.last<TransferProgress>()->status == 486);
    CHECK(bob.last<TransferProgress>()->final);
    CHECK(bob.all<CallEnded>().empty());
    CHECK(bob.ua->find_call(ba)->state == CallState::Confirmed);
}

TEST_CASE("a callee hanging up before the ACK sends its BYE only once the ACK arrives (§15)") {
    Pair p;
    p.wire.drop = [](const Sent& s) { return s.bytes.rfind("ACK", 0) == 0; };  // the first ACK is lost
    p.dial();
    CallId b = p.incoming();
    REQUIRE(p.bob->ua->answer(b, p.wire.now).ok());
    p.wire.flush();
    REQUIRE(p.bob->ua->hangup(b, p.wire.now).ok());
    p.wire.flush();
    CHECK(p.wire.sent("BYE").empty());
    CHECK(p.bob->last<CallEnded>() == nullptr);
    p.wire.drop = nullptr;
    p.wire.advance(base::milliseconds(500));  // the 2xx retransmission draws a new ACK
    auto byes = p.wire.sent("BYE", "bob");
    REQUIRE(byes.size() == 1);
    CHECK(at_seconds(byes[0].at) == 0.5);
    REQUIRE(p.bob->last<CallEnded>());
    CHECK(p.bob->last<CallEnded>()->status == 200);
    REQUIRE(p.alice->last<CallEnded>());
    CHECK(p.alice->last<CallEnded>()->by_peer);
}

TEST_CASE("incoming call: the caller's auto-answer request is reported, not acted on") {
    Pair p;
    CallOptions asks;
    asks.headers = {{"Call-Info", "<sip:pbx.example.com>;answer-after=2"}};
    p.dial(asks);
    auto in = p.bob->all<IncomingCall>();
    REQUIRE(in.size() == 1);
    CHECK(in[0].answer_after == 2u);
    CHECK_FALSE(p.bob->last<CallAnswered>());
    p.dial();
    in = p.bob->all<IncomingCall>();
    REQUIRE(in.size() == 2);
    CHECK_FALSE(in[1].answer_after);
}

TEST_CASE("session timer required (RFC 4028 §7.1): the INVITE carries Require: timer beside 100rel") {
    Pair p;
    CallOptions o;
    o.require_100rel = true;
    o.require_timer = true;
    p.establish(o);
    auto invites = p.wire.sent("INVITE", "alice");
    REQUIRE(invites.size() == 1);
    CHECK(invites[0].bytes.find("Require: 100rel, timer\r\n") != std::string::npos);
    CHECK(invites[0].bytes.find("Session-Expires: ") != std::string::npos);
    REQUIRE(p.alice->last<CallAnswered>());
}
