// Call scenarios after RFC 3665 §3 over the simulated network: UserAgents, the registrar/proxy
// double, seeded delay and loss, and a manual clock, so every instant asserted is exact.
#include "phone.hpp"
#include "registrar_double.hpp"
#include "sim_network.hpp"
#include "test_hash.hpp"

#include "dialtone/sip/parser.hpp"
#include "dialtone/sip/typed.hpp"

#include <doctest/doctest.h>

#include <set>
#include <string>
#include <vector>

using namespace dialtone;
using base::milliseconds;
using base::seconds;
using base::TimePoint;
using scenario::Phone;
using scenario::SimNetwork;

namespace {

const ua::Address kAlice{"192.0.2.1", 5060};
const ua::Address kBob{"192.0.2.4", 5060};
const ua::Address kCarol{"192.0.2.7", 5060};
const ua::Address kProxy{"192.0.2.10", 5060};
const TimePoint t0{};

double secs(TimePoint t) { return static_cast<double>(base::to_milliseconds(t - t0)) / 1000.0; }

sip::Uri uri(const std::string& text) { return *sip::parse_uri(text); }

ua::UserAgentConfig phone_config(const std::string& user, const ua::Address& at) {
    ua::UserAgentConfig c;
    c.account.aor = uri("sip:" + user + "@biloxi.com");
    c.account.password = "zanzibar";
    c.local = at;
    c.media.address = at.host;
    c.media.codecs = {sdp::Codec::pcmu(), sdp::Codec::pcma()};
    c.rtp_ports = ua::RtpPortRange{20000, 20100};
    return c;
}

sip::Uri direct(const std::string& user, const ua::Address& at) {
    return uri("sip:" + user + "@" + at.host + ":" + std::to_string(at.port));
}

// Alice and Bob on a 10 ms network, talking directly.
struct Direct {
    explicit Direct(std::uint64_t seed = 1, ua::UserAgentConfig a = phone_config("alice", kAlice),
                    ua::UserAgentConfig b = phone_config("bob", kBob))
        : net(seed), alice(std::move(a), seed * 7 + 1, &hash), bob(std::move(b), seed * 7 + 2, &hash) {
        net.attach(kAlice, alice);
        net.attach(kBob, bob);
    }
    ua::CallId dial(const ua::CallOptions& o = {}) {
        ua::CallId id = alice.ua().call(direct("bob", kBob), o, net.now());
        alice.drain(net.now());
        return id;
    }
    ua::CallId bob_call() const { return bob.last<ua::IncomingCall>() ? bob.last<ua::IncomingCall>()->call : 0; }
    bool until(const std::function<bool()>& f, base::Duration limit = seconds(60)) { return net.run_until(f, limit); }
    // Alice calls, Bob answers as soon as it rings; both sides report the answer.
    std::pair<ua::CallId, ua::CallId> establish(const ua::CallOptions& o = {}) {
        ua::CallId a = dial(o);
        REQUIRE(until([&] { return bob_call() != 0; }));
        ua::CallId b = bob_call();
        REQUIRE(bob.ua().answer(b, net.now()).ok());
        bob.drain(net.now());
        REQUIRE(until([&] { return alice.last<ua::CallAnswered>() && bob.ua().find_call(b)->state == ua::CallState::Confirmed; }));
        return {a, b};
    }
    std::vector<std::string> first_lines(const ua::Address& from) const {
        std::vector<std::string> out;
        for (const auto& t : net.trace())
            if (t.from == from) out.push_back(t.bytes.substr(0, t.bytes.find("\r\n")));
        return out;
    }

    SimNetwork net;
    scenario::ScenarioHash hash;
    Phone alice;
    Phone bob;
};

bool starts(const std::string& s, const std::string& p) { return s.rfind(p, 0) == 0; }

}  // namespace

TEST_CASE("RFC 3665 §3.1 successful session establishment: INVITE, 180, 200, ACK, BYE, 200") {
    Direct w(3);
    ua::CallId a = w.dial();
    REQUIRE(w.until([&] { return w.alice.last<ua::CallRinging>() != nullptr; }));
    CHECK(secs(*w.alice.last_at<ua::CallRinging>()) == 0.02);
    REQUIRE(w.bob.ua().answer(w.bob_call(), w.net.now()).ok());
    w.bob.drain(w.net.now());
    REQUIRE(w.until([&] { return w.alice.last<ua::CallAnswered>() != nullptr; }));
    CHECK(secs(*w.alice.last_at<ua::CallAnswered>()) == 0.03);  // answered at 20 ms
    w.net.run_for(seconds(5));
    REQUIRE(w.alice.ua().hangup(a, w.net.now()).ok());
    w.alice.drain(w.net.now());
    REQUIRE(w.until([&] { return w.bob.last<ua::CallEnded>() != nullptr; }));
    w.net.run_for(seconds(1));
    CHECK(w.bob.last<ua::CallEnded>()->by_peer);
    CHECK(w.alice.last<ua::CallEnded>()->status == 200);
    CHECK(w.first_lines(kAlice) == std::vector<std::string>{"INVITE sip:bob@192.0.2.4:5060 SIP/2.0",
                                                            "ACK sip:bob@192.0.2.4:5060 SIP/2.0",
                                                            "BYE sip:bob@192.0.2.4:5060 SIP/2.0"});
    CHECK(w.first_lines(kBob) == std::vector<std::string>{"SIP/2.0 180 Ringing", "SIP/2.0 200 OK", "SIP/2.0 200 OK"});
    // The two media descriptions point at each other.
    const auto& am = w.alice.last<ua::CallAnswered>()->media.at(0);
    const auto& bm = w.bob.last<ua::CallAnswered>()->media.at(0);
    CHECK(am.remote_port == bm.local_port);
    CHECK(bm.remote_port == am.local_port);
    CHECK(am.remote.address == "192.0.2.4");
    CHECK(w.alice.ua().call_count() == 0);
    CHECK(w.bob.ua().call_count() == 0);
}

TEST_CASE("session establishment through one proxy (RFC 3665 §3.2 has two): registered callee, Record-Route keeps the proxy in the path") {
    SimNetwork net(5);
    scenario::ScenarioHash hash;
    base::SeededRandom proxy_random(97);
    scenario::RegistrarConfig rc;
    rc.users["bob"] = "zanzibar";
    scenario::RegistrarDouble proxy(kProxy, rc, hash, proxy_random);
    auto bob_cfg = phone_config("bob", kBob);
    bob_cfg.account.registrar = uri("sip:192.0.2.10");
    Phone bob(bob_cfg, 2, &hash);
    auto alice_cfg = phone_config("alice", kAlice);
    alice_cfg.outbound_proxy = uri("sip:192.0.2.10;lr");
    Phone alice(alice_cfg, 1, &hash);
    net.attach(kProxy, proxy);
    net.attach(kBob, bob);
    net.attach(kAlice, alice);
    REQUIRE(bob.ua().register_account(net.now()).ok());
    REQUIRE(net.run_until([&] { bob.drain(net.now()); return bob.last<ua::Registered>() != nullptr; }, seconds(5)));

    ua::CallId a = alice.ua().call(uri("sip:bob@biloxi.com"), {}, net.now());
    alice.drain(net.now());
    REQUIRE(net.run_until([&] { return bob.last<ua::IncomingCall>() != nullptr; }, seconds(5)));
    ua::CallId b = bob.last<ua::IncomingCall>()->call;
    REQUIRE(bob.ua().answer(b, net.now()).ok());
    bob.drain(net.now());
    REQUIRE(net.run_until([&] { return alice.last<ua::CallAnswered>() != nullptr; }, seconds(5)));
    REQUIRE(alice.ua().hangup(a, net.now()).ok());
    alice.drain(net.now());
    REQUIRE(net.run_until([&] { return bob.last<ua::CallEnded>() != nullptr; }, seconds(5)));
    net.run_for(seconds(1));
    CHECK(bob.last<ua::CallEnded>()->by_peer);
    CHECK(alice.last<ua::CallEnded>()->status == 200);
    // Every request of Alice's went to the proxy, the ACK and BYE too (its Record-Route).
    std::vector<std::string> alice_requests;
    for (const auto& t : net.trace()) {
        if (t.from != kAlice || t.bytes.rfind("SIP/2.0", 0) == 0) continue;
        alice_requests.push_back(t.bytes.substr(0, t.bytes.find(' ')));
        CHECK(t.to == kProxy);
    }
    CHECK(alice_requests == std::vector<std::string>{"INVITE", "ACK", "BYE"});
    CHECK(alice.ua().call_count() == 0);
    CHECK(bob.ua().call_count() == 0);
}

TEST_CASE("unsuccessful 404 from a proxy: calling an AOR nobody registered") {
    SimNetwork net(4);
    scenario::ScenarioHash hash;
    base::SeededRandom proxy_random(98);
    scenario::RegistrarDouble proxy(kProxy, scenario::RegistrarConfig{}, hash, proxy_random);
    Phone alice(phone_config("alice", kAlice), 1, &hash);
    net.attach(kProxy, proxy);
    net.attach(kAlice, alice);
    alice.ua().call(uri("sip:nobody@192.0.2.10"), {}, net.now());
    REQUIRE(net.run_until([&] { return alice.last<ua::CallEnded>() != nullptr; }, seconds(5)));
    CHECK(alice.last<ua::CallEnded>()->status == 404);
    CHECK(alice.last<ua::CallEnded>()->by_peer);
}

TEST_CASE("RFC 3665 §3.9 unsuccessful busy: 486 ends the caller's call") {
    Direct w;
    w.dial();
    REQUIRE(w.until([&] { return w.bob_call() != 0; }));
    REQUIRE(w.bob.ua().reject(w.bob_call(), 486, "Busy Here", w.net.now()).ok());
    REQUIRE(w.until([&] { return w.alice.last<ua::CallEnded>() != nullptr; }));
    CHECK(w.alice.last<ua::CallEnded>()->status == 486);
    auto lines = w.first_lines(kAlice);
    CHECK(lines == std::vector<std::string>{"INVITE sip:bob@192.0.2.4:5060 SIP/2.0", "ACK sip:bob@192.0.2.4:5060 SIP/2.0"});
}

TEST_CASE("RFC 3665 §3.8 unsuccessful no answer: the ring timeout CANCELs, 487 ends both sides") {
    auto a = phone_config("alice", kAlice);
    a.ring_timeout = seconds(30);
    Direct w(5, a);
    w.dial();
    REQUIRE(w.until([&] { return w.alice.last<ua::CallEnded>() != nullptr; }));
    CHECK(w.alice.last<ua::CallEnded>()->status == 487);
    CHECK(secs(*w.alice.last_at<ua::CallEnded>()) == 30.02);  // CANCEL at 30 s, 487 back 20 ms later
    REQUIRE(w.bob.last<ua::CallEnded>());
    CHECK(w.bob.last<ua::CallEnded>()->status == 487);
    auto cancels = w.net.sent_times(kAlice, "CANCEL ");
    REQUIRE(cancels.size() == 1);
    CHECK(secs(cancels[0]) == 30.0);
}

TEST_CASE("RFC 3665 §3.10 unsuccessful no response from user agent: INVITE retransmitted at 0.5/1/2/4/8/16 s intervals, Timer B at 32 s") {
    SimNetwork net(6);
    scenario::ScenarioHash hash;
    Phone alice(phone_config("alice", kAlice), 1, &hash);
    net.attach(kAlice, alice);  // nobody at Bob's address
    alice.ua().call(direct("bob", kBob), {}, net.now());
    REQUIRE(net.run_until([&] { return alice.last<ua::CallEnded>() != nullptr; }, seconds(40)));
    std::vector<double> at;
    for (TimePoint t : net.sent_times(kAlice, "INVITE ")) at.push_back(secs(t));
    CHECK(at == std::vector<double>{0, 0.5, 1.5, 3.5, 7.5, 15.5, 31.5});
    CHECK(secs(*alice.last_at<ua::CallEnded>()) == 32.0);
    CHECK(alice.last<ua::CallEnded>()->status == 408);
}

namespace {

// Alice alone on the network: whatever she sends to Bob finds nobody.
struct Alone {
    explicit Alone(std::uint64_t seed, ua::UserAgentConfig a = phone_config("alice", kAlice))
        : net(seed), alice(std::move(a), 1, &hash) {
        net.attach(kAlice, alice);
    }
    SimNetwork net;
    scenario::ScenarioHash hash;
    Phone alice;
};

}  // namespace

TEST_CASE("ring timeout with a silent callee: the call ends 408 at the deadline, not at Timer B, and no CANCEL goes (§9.1)") {
    auto a = phone_config("alice", kAlice);
    a.ring_timeout = seconds(5);
    Alone w(24, a);
    w.alice.ua().call(direct("bob", kBob), {}, w.net.now());
    REQUIRE(w.net.run_until([&] { return w.alice.last<ua::CallEnded>() != nullptr; }, seconds(40)));
    CHECK(secs(*w.alice.last_at<ua::CallEnded>()) == 5.0);
    const ua::CallEnded& ended = *w.alice.last<ua::CallEnded>();
    CHECK(ended.status == 408);
    CHECK_FALSE(ended.network_failure);
    CHECK_FALSE(ended.by_peer);
    CHECK(w.alice.ua().call_count() == 0);
    // The INVITE transaction runs out its Timer B; nothing else is sent and nothing more reported.
    w.net.run_for(seconds(40));
    CHECK(w.net.sent_times(kAlice, "CANCEL ").empty());
    CHECK(w.net.sent_times(kAlice, "INVITE ").size() == 7);
    CHECK(w.alice.all<ua::CallEnded>().size() == 1);
    CHECK(w.alice.ua().transactions().size() == 0);
}

namespace {

// Alice's requests take 6 s to reach Bob; his answers come back in 10 ms. Alice gives up at 5 s.
struct SlowToBob : Direct {
    static ua::UserAgentConfig impatient() {
        auto a = phone_config("alice", kAlice);
        a.ring_timeout = seconds(5);
        return a;
    }
    explicit SlowToBob(std::uint64_t seed, ua::UserAgentConfig b = phone_config("bob", kBob))
        : Direct(seed, impatient(), std::move(b)) {
        scenario::LinkConditions slow;
        slow.delay = seconds(6);
        net.set_link(kAlice, kBob, slow);
    }
};

}  // namespace

TEST_CASE("ring timeout before any provisional: the CANCEL goes when the late 180 arrives, and 487 ends Bob's side") {
    SlowToBob w(25);
    w.dial();
    REQUIRE(w.until([&] { return w.alice.last<ua::CallEnded>() != nullptr; }));
    CHECK(secs(*w.alice.last_at<ua::CallEnded>()) == 5.0);
    CHECK(w.alice.last<ua::CallEnded>()->status == 408);
    REQUIRE(w.until([&] { return w.bob.last<ua::CallEnded>() != nullptr; }));
    w.net.run_for(seconds(10));
    auto cancels = w.net.sent_times(kAlice, "CANCEL ");
    // Sent when the 180 of 6 s arrives, then Timer E's retransmissions until its 200 at 12.02 s.
    std::vector<double> at;
    for (TimePoint t : cancels) at.push_back(secs(t));
    CHECK(at == std::vector<double>{6.01, 6.51, 7.51, 9.51});
    CHECK(secs(*w.bob.last_at<ua::CallEnded>()) == 12.01);
    CHECK(w.bob.last<ua::CallEnded>()->status == 487);
    CHECK(w.alice.all<ua::CallEnded>().size() == 1);
    CHECK(w.alice.ua().call_count() == 0);
    CHECK(w.bob.ua().call_count() == 0);
}

TEST_CASE("ring timeout before any provisional: a 2xx that comes later is ACKed and ended with BYE") {
    auto b = phone_config("bob", kBob);
    b.auto_ring = false;
    SlowToBob w(26, b);
    w.dial();
    REQUIRE(w.until([&] { return w.bob_call() != 0; }));
    REQUIRE(w.alice.last<ua::CallEnded>());
    CHECK(w.alice.last<ua::CallEnded>()->status == 408);
    REQUIRE(w.bob.ua().answer(w.bob_call(), w.net.now()).ok());
    REQUIRE(w.until([&] { return w.bob.last<ua::CallEnded>() != nullptr; }));
    CHECK(w.bob.last<ua::CallEnded>()->by_peer);
    CHECK(w.net.sent_times(kAlice, "CANCEL ").empty());
    CHECK(secs(w.net.sent_times(kAlice, "ACK ").at(0)) == 6.01);  // when the 200 arrives
    CHECK(secs(w.net.sent_times(kAlice, "BYE ").at(0)) == 6.01);
    // Bob's 200 comes again until the ACK reaches him 6 s later: each copy is ACKed again, and
    // only one BYE transaction (one branch, its own retransmissions) ends the call.
    w.net.run_for(seconds(40));
    std::set<std::string> bye_branches;
    for (const auto& t : w.net.trace())
        if (t.from == kAlice && starts(t.bytes, "BYE "))
            bye_branches.insert(std::string(*sip::top_via(*sip::parse_message(t.bytes))->branch()));
    CHECK(bye_branches.size() == 1);
    std::size_t invite_2xx = 0;
    for (const auto& t : w.net.trace())
        invite_2xx += t.from == kBob && starts(t.bytes, "SIP/2.0 200") && t.bytes.find(" INVITE\r\n") != std::string::npos;
    CHECK(invite_2xx == 4);  // at 6, 6.5, 7.5 and 9.5 s
    CHECK(w.net.sent_times(kAlice, "ACK ").size() == invite_2xx);
    CHECK(w.alice.last<ua::CallAnswered>() == nullptr);
}

TEST_CASE("transport error: a refused destination ends the call with 503 one round trip later, not at Timer B") {
    // §8.1.3.1, §17.1.4: the transport's failure reaches the INVITE transaction as a 503.
    Alone w(16);
    SimNetwork& net = w.net;
    Phone& alice = w.alice;
    net.refuse(kBob, "tcp connect to 192.0.2.4:5060 failed: Connection refused");
    alice.ua().call(direct("bob", kBob), {}, net.now());
    REQUIRE(net.run_until([&] { return alice.last<ua::CallEnded>() != nullptr; }, seconds(40)));
    CHECK(secs(*alice.last_at<ua::CallEnded>()) == 0.02);
    const ua::CallEnded& ended = *alice.last<ua::CallEnded>();
    CHECK(ended.status == 503);
    CHECK(ended.reason == "tcp connect to 192.0.2.4:5060 failed: Connection refused");
    CHECK(ended.network_failure);
    CHECK_FALSE(ended.by_peer);
    CHECK(net.sent_times(kAlice, "INVITE ").size() == 1);
    CHECK(alice.ua().call_count() == 0);
    CHECK(alice.ua().transactions().size() == 0);
}

TEST_CASE("transport error: a 503 sent by the peer is not a network failure") {
    Direct w(17);
    ua::CallId a = w.dial();
    REQUIRE(w.until([&] { return w.bob_call() != 0; }));
    REQUIRE(w.bob.ua().reject(w.bob_call(), 503, "Service Unavailable", w.net.now()).ok());
    REQUIRE(w.until([&] { return w.alice.last<ua::CallEnded>() != nullptr; }));
    CHECK(w.alice.last<ua::CallEnded>()->call == a);
    CHECK(w.alice.last<ua::CallEnded>()->status == 503);
    CHECK_FALSE(w.alice.last<ua::CallEnded>()->network_failure);
}

TEST_CASE("transport error: OPTIONS and MESSAGE to a refused destination fail at once with 503") {
    Alone w(18);
    SimNetwork& net = w.net;
    Phone& alice = w.alice;
    net.refuse(kBob, "no route to 192.0.2.4");
    ua::RequestId options = alice.ua().send_options(direct("bob", kBob), net.now());
    ua::RequestId message = alice.ua().send_message(direct("bob", kBob), "text/plain", "hello", net.now());
    REQUIRE(net.run_until([&] { return alice.last<ua::MessageResult>() && alice.last<ua::OptionsResult>(); }, seconds(40)));
    CHECK(alice.last<ua::OptionsResult>()->request == options);
    CHECK(alice.last<ua::OptionsResult>()->status == 503);
    CHECK(alice.last<ua::OptionsResult>()->network_failure);
    CHECK(alice.last<ua::MessageResult>()->request == message);
    CHECK(alice.last<ua::MessageResult>()->reason == "no route to 192.0.2.4");
    CHECK(alice.last<ua::MessageResult>()->network_failure);
    CHECK(secs(net.now()) == 0.02);
}

TEST_CASE("RFC 3665 §3.10 without any answer, Timer B's 408 is a network failure too") {
    Alone w(19);  // nobody at Bob's address, and nobody says so
    w.alice.ua().call(direct("bob", kBob), {}, w.net.now());
    REQUIRE(w.net.run_until([&] { return w.alice.last<ua::CallEnded>() != nullptr; }, seconds(40)));
    CHECK(w.alice.last<ua::CallEnded>()->status == 408);
    CHECK(w.alice.last<ua::CallEnded>()->network_failure);
}

TEST_CASE("one challenge on INVITE (RFC 3665 §3.3 has one per proxy): 401 and 407 are answered with Digest credentials and the call completes") {
    for (int status : {401, 407}) {
        CAPTURE(status);
        SimNetwork net(7);
        scenario::ScenarioHash hash;
        Phone alice(phone_config("alice", kAlice), 1, &hash);
        Phone bob(phone_config("bob", kBob), 2, &hash);
        scenario::AuthGate gate(bob, status, "alice", "zanzibar", hash);
        net.attach(kAlice, alice);
        net.attach(kBob, gate);
        alice.ua().call(direct("bob", kBob), {}, net.now());
        REQUIRE(net.run_until([&] { return bob.last<ua::IncomingCall>() != nullptr; }, seconds(5)));
        CHECK(gate.challenges() == 1);
        CHECK(gate.accepted() == 1);
        REQUIRE(bob.ua().answer(bob.last<ua::IncomingCall>()->call, net.now()).ok());
        REQUIRE(net.run_until([&] { return alice.last<ua::CallAnswered>() != nullptr; }, seconds(5)));
        auto invites = net.sent_times(kAlice, "INVITE ");
        CHECK(invites.size() == 2);
    }
}

TEST_CASE("401 with a wrong password is not retried: the call ends with 401") {
    SimNetwork net(8);
    scenario::ScenarioHash hash;
    Phone alice(phone_config("alice", kAlice), 1, &hash);
    Phone bob(phone_config("bob", kBob), 2, &hash);
    scenario::AuthGate gate(bob, 401, "alice", "other-password", hash);
    net.attach(kAlice, alice);
    net.attach(kBob, gate);
    alice.ua().call(direct("bob", kBob), {}, net.now());
    REQUIRE(net.run_until([&] { return alice.last<ua::CallEnded>() != nullptr; }, seconds(5)));
    CHECK(alice.last<ua::CallEnded>()->status == 401);
    CHECK(gate.challenges() == 2);
    CHECK(net.sent_times(kAlice, "INVITE ").size() == 2);
}

namespace {

// Alice calls Bob, who sits behind an AuthGate challenging `methods` with `status`.
struct Gated {
    Gated(std::uint64_t seed, int status, std::set<std::string> methods, std::string password = "zanzibar",
          ua::UserAgentConfig alice_config = phone_config("alice", kAlice))
        : net(seed), alice(std::move(alice_config), seed * 7 + 1, &hash), bob(phone_config("bob", kBob), seed * 7 + 2, &hash),
          gate(bob, status, "alice", std::move(password), hash, std::move(methods)) {
        net.attach(kAlice, alice);
        net.attach(kBob, gate);
    }
    std::pair<ua::CallId, ua::CallId> establish() {
        ua::CallId a = alice.ua().call(direct("bob", kBob), {}, net.now());
        REQUIRE(net.run_until([&] { return bob.last<ua::IncomingCall>() != nullptr; }, seconds(5)));
        ua::CallId b = bob.last<ua::IncomingCall>()->call;
        REQUIRE(bob.ua().answer(b, net.now()).ok());
        REQUIRE(net.run_until([&] { return bob.ua().find_call(b)->state == ua::CallState::Confirmed; }, seconds(5)));
        return {a, b};
    }
    // The requests Alice sent whose first line starts with `method`, parsed.
    std::vector<sip::Message> sent(const std::string& method) const {
        std::vector<sip::Message> out;
        for (const auto& t : net.trace())
            if (t.from == kAlice && starts(t.bytes, method + " ")) out.push_back(*sip::parse_message(t.bytes));
        return out;
    }

    SimNetwork net;
    scenario::ScenarioHash hash;
    Phone alice;
    Phone bob;
    scenario::AuthGate gate;
};

std::uint32_t cseq_of(const sip::Message& m) { return sip::cseq(m)->number; }
std::string call_id_of(const sip::Message& m) { return std::string(m.find(sip::HeaderId::CallId)->value); }

}  // namespace

TEST_CASE("401 and 407 on OPTIONS and MESSAGE: answered with credentials, the next CSeq and the same Call-ID") {
    for (int status : {401, 407}) {
        CAPTURE(status);
        Gated w(40, status, {"OPTIONS", "MESSAGE"});
        ua::RequestId options = w.alice.ua().send_options(direct("bob", kBob), w.net.now());
        ua::RequestId message = w.alice.ua().send_message(direct("bob", kBob), "text/plain", "hello", w.net.now());
        REQUIRE(w.net.run_until([&] { return w.alice.last<ua::OptionsResult>() && w.alice.last<ua::MessageResult>(); },
                                seconds(5)));
        CHECK(w.alice.last<ua::OptionsResult>()->request == options);
        CHECK(w.alice.last<ua::OptionsResult>()->status == 200);
        CHECK(w.alice.last<ua::MessageResult>()->request == message);
        CHECK(w.alice.last<ua::MessageResult>()->status == 200);
        CHECK(w.gate.challenges() == 2);
        CHECK(w.gate.accepted() == 2);
        REQUIRE(w.bob.all<ua::MessageReceived>().size() == 1);
        CHECK(w.bob.last<ua::MessageReceived>()->text == "hello");
        const auto credentials = status == 401 ? sip::HeaderId::Authorization : sip::HeaderId::ProxyAuthorization;
        for (const std::string method : {"OPTIONS", "MESSAGE"}) {
            CAPTURE(method);
            auto sent = w.sent(method);
            REQUIRE(sent.size() == 2);
            CHECK_FALSE(sent[0].find(credentials));
            REQUIRE(sent[1].find(credentials));
            CHECK(cseq_of(sent[1]) == cseq_of(sent[0]) + 1);
            CHECK(call_id_of(sent[1]) == call_id_of(sent[0]));
            CHECK(sip::top_via(sent[1])->branch() != sip::top_via(sent[0])->branch());
        }
    }
}

TEST_CASE("a MESSAGE refused with a wrong password is retried once for the nonce, then its 401 is final") {
    Gated w(41, 401, {"MESSAGE"}, "other-password");
    w.alice.ua().send_message(direct("bob", kBob), "text/plain", "hello", w.net.now());
    REQUIRE(w.net.run_until([&] { return w.alice.last<ua::MessageResult>() != nullptr; }, seconds(5)));
    CHECK(w.alice.last<ua::MessageResult>()->status == 401);
    CHECK_FALSE(w.alice.last<ua::MessageResult>()->network_failure);
    CHECK(w.gate.challenges() == 2);
    CHECK(w.sent("MESSAGE").size() == 2);
    CHECK(w.bob.all<ua::MessageReceived>().empty());
}

TEST_CASE("407 inside the dialog: INFO, re-INVITE and BYE are answered with credentials under the dialog's CSeq") {
    Gated w(42, 407, {"INVITE", "INFO", "BYE"});
    auto [a, b] = w.establish();
    CHECK(w.gate.challenges() == 1);  // the INVITE
    REQUIRE(w.alice.ua().send_dtmf(a, "12", w.net.now()).ok());
    REQUIRE(w.net.run_until([&] { return w.alice.all<ua::DtmfSent>().size() == 2; }, seconds(10)));
    for (const auto& d : w.alice.all<ua::DtmfSent>()) CHECK(d.status == 200);
    std::string digits;
    for (const auto& d : w.bob.all<ua::DtmfReceived>()) digits += d.digit;
    CHECK(digits == "12");
    REQUIRE(w.alice.ua().hold(a, w.net.now()).ok());
    REQUIRE(w.net.run_until([&] { return w.bob.ua().find_call(b)->remote_hold && w.alice.ua().find_call(a)->local_hold; },
                            seconds(10)));
    REQUIRE(w.alice.ua().hangup(a, w.net.now()).ok());
    REQUIRE(w.net.run_until([&] { return w.bob.last<ua::CallEnded>() != nullptr; }, seconds(10)));
    CHECK(w.bob.last<ua::CallEnded>()->by_peer);
    // Each of INFO, INFO, re-INVITE and BYE challenged once and sent again with credentials.
    CHECK(w.gate.challenges() == 5);
    CHECK(w.gate.accepted() == 5);
    CHECK(w.sent("INFO").size() == 4);
    CHECK(w.sent("BYE").size() == 2);
    // §12.2.1.1: every request in the dialog, retries included, takes the next CSeq.
    std::vector<std::uint32_t> numbers;
    for (const auto& t : w.net.trace()) {
        if (t.from != kAlice || starts(t.bytes, "SIP/2.0") || starts(t.bytes, "ACK ")) continue;
        auto m = sip::parse_message(t.bytes);
        REQUIRE(m.ok());
        if (call_id_of(*m) != call_id_of(w.sent("INVITE").front())) continue;
        numbers.push_back(cseq_of(*m));
    }
    REQUIRE(numbers.size() == 10);  // INVITE ×2, INFO ×4, re-INVITE ×2, BYE ×2
    for (std::size_t i = 1; i < numbers.size(); ++i) CHECK(numbers[i] == numbers[i - 1] + 1);
}

TEST_CASE("401 inside the dialog: UPDATE and REFER are answered with credentials") {
    auto cfg = phone_config("alice", kAlice);
    cfg.hold_by_update = true;
    Gated w(43, 401, {"UPDATE", "REFER"}, "zanzibar", cfg);
    Phone carol(phone_config("carol", kCarol), 3, &w.hash);
    w.net.attach(kCarol, carol);
    auto [a, b] = w.establish();
    REQUIRE(w.alice.ua().hold(a, w.net.now()).ok());
    REQUIRE(w.net.run_until([&] { return w.bob.ua().find_call(b)->remote_hold && w.alice.ua().find_call(a)->local_hold; },
                            seconds(10)));
    CHECK(w.sent("UPDATE").size() == 2);
    REQUIRE(w.alice.ua().transfer(a, direct("carol", kCarol), w.net.now()).ok());
    REQUIRE(w.net.run_until([&] { return carol.last<ua::IncomingCall>() != nullptr; }, seconds(10)));
    CHECK(w.sent("REFER").size() == 2);
    CHECK(w.gate.challenges() == 2);
    CHECK(w.gate.accepted() == 2);
    REQUIRE(w.bob.last<ua::TransferRequested>());
}

TEST_CASE("redirect (RFC 3665 §3.6 without SDP in the ACK): the 302's Contact is called next, with the original To") {
    SimNetwork net(9);
    scenario::ScenarioHash hash;
    scenario::Redirector redirector({"<sip:bob@192.0.2.4:5060>"});
    Phone alice(phone_config("alice", kAlice), 1, &hash);
    Phone bob(phone_config("bob", kBob), 2, &hash);
    net.attach(kProxy, redirector);
    net.attach(kAlice, alice);
    net.attach(kBob, bob);
    alice.ua().call(uri("sip:bob@192.0.2.10"), {}, net.now());
    REQUIRE(net.run_until([&] { return bob.last<ua::IncomingCall>() != nullptr; }, seconds(5)));
    CHECK(redirector.redirected() == 1);
    CHECK(bob.last<ua::IncomingCall>()->to.uri.host().name == "192.0.2.10");  // §8.1.3.4: To unchanged
    CHECK(bob.last<ua::IncomingCall>()->request_uri.host().name == "192.0.2.4");
    REQUIRE(bob.ua().answer(bob.last<ua::IncomingCall>()->call, net.now()).ok());
    REQUIRE(net.run_until([&] { return alice.last<ua::CallAnswered>() != nullptr; }, seconds(5)));
}

TEST_CASE("3xx loop: a redirect back to a target already tried is not followed") {
    SimNetwork net(10);
    scenario::ScenarioHash hash;
    const ua::Address kOther{"192.0.2.11", 5060};
    scenario::Redirector first({"<sip:bob@192.0.2.11:5060>"});
    scenario::Redirector second({"<sip:bob@192.0.2.10:5060>"});  // back to the first
    Phone alice(phone_config("alice", kAlice), 1, &hash);
    net.attach(kProxy, first);
    net.attach(kOther, second);
    net.attach(kAlice, alice);
    alice.ua().call(uri("sip:bob@192.0.2.10:5060"), {}, net.now());
    REQUIRE(net.run_until([&] { return alice.last<ua::CallEnded>() != nullptr; }, seconds(5)));
    CHECK(alice.last<ua::CallEnded>()->status == 302);
    CHECK(first.redirected() == 1);
    CHECK(second.redirected() == 1);
    CHECK(net.sent_times(kAlice, "INVITE ").size() == 2);
}

TEST_CASE("3xx chain longer than max_redirects: the redirects stop at the bound and the last 302 ends the call") {
    SimNetwork net(27);
    scenario::ScenarioHash hash;
    const ua::Address hops[] = {{"192.0.2.20", 5060}, {"192.0.2.21", 5060}, {"192.0.2.22", 5060}, {"192.0.2.23", 5060}};
    scenario::Redirector r0({"<sip:bob@192.0.2.21:5060>"}), r1({"<sip:bob@192.0.2.22:5060>"}),
        r2({"<sip:bob@192.0.2.23:5060>"}), r3({"<sip:bob@192.0.2.24:5060>"});
    scenario::Redirector* chain[] = {&r0, &r1, &r2, &r3};
    for (int i = 0; i < 4; ++i) net.attach(hops[i], *chain[i]);
    auto cfg = phone_config("alice", kAlice);
    cfg.max_redirects = 2;
    Phone alice(cfg, 1, &hash);
    net.attach(kAlice, alice);
    alice.ua().call(uri("sip:bob@192.0.2.20:5060"), {}, net.now());
    REQUIRE(net.run_until([&] { return alice.last<ua::CallEnded>() != nullptr; }, seconds(5)));
    CHECK(alice.last<ua::CallEnded>()->status == 302);
    CHECK(alice.last<ua::CallEnded>()->reason.find("too many redirects") != std::string::npos);
    CHECK(net.sent_times(kAlice, "INVITE ").size() == 3);  // the first, then two redirects
    CHECK(r2.redirected() == 1);
    CHECK(r3.redirected() == 0);
}

TEST_CASE("CANCEL/200 race: the 2xx that crossed the CANCEL is ACKed, then the call ended with BYE") {
    Direct w(11);
    ua::CallId a = w.dial();
    REQUIRE(w.until([&] { return w.alice.last<ua::CallRinging>() != nullptr; }));
    // At the same instant Bob answers and Alice gives up.
    REQUIRE(w.bob.ua().answer(w.bob_call(), w.net.now()).ok());
    REQUIRE(w.alice.ua().hangup(a, w.net.now()).ok());
    w.alice.drain(w.net.now());
    REQUIRE(w.until([&] { return w.bob.last<ua::CallEnded>() != nullptr; }));
    auto lines = w.first_lines(kAlice);
    REQUIRE(lines.size() >= 4);
    CHECK(starts(lines[1], "CANCEL "));
    CHECK(starts(lines[2], "ACK "));
    CHECK(starts(lines[3], "BYE "));
    CHECK(w.bob.last<ua::CallEnded>()->by_peer);
    REQUIRE(w.alice.last<ua::CallEnded>());
    CHECK(w.alice.last<ua::CallAnswered>() == nullptr);
}

TEST_CASE("hold and resume over the network") {
    Direct w(12);
    auto [a, b] = w.establish();
    REQUIRE(w.alice.ua().hold(a, w.net.now()).ok());
    REQUIRE(w.until([&] { return w.bob.last<ua::HoldChanged>() != nullptr && w.alice.last<ua::HoldChanged>() != nullptr; }));
    CHECK(w.bob.last<ua::HoldChanged>()->remote);
    CHECK(w.alice.last<ua::HoldChanged>()->local);
    REQUIRE(w.alice.ua().resume(a, w.net.now()).ok());
    REQUIRE(w.until([&] { return !w.bob.last<ua::HoldChanged>()->remote && !w.alice.last<ua::HoldChanged>()->local; }));
    CHECK(w.bob.all<ua::HoldChanged>().size() == 2);
    (void)b;
}

TEST_CASE("glare: both hold at once, 491 both ways, both retries succeed after the §14.1 waits") {
    Direct w(13);
    auto [a, b] = w.establish();
    const TimePoint start = w.net.now();
    REQUIRE(w.alice.ua().hold(a, start).ok());
    REQUIRE(w.bob.ua().hold(b, start).ok());
    REQUIRE(w.until([&] {
        return w.alice.ua().find_call(a)->local_hold && w.bob.ua().find_call(b)->local_hold;
    }, seconds(10)));
    CHECK(w.net.sent_times(kAlice, "SIP/2.0 491").size() == 1);
    CHECK(w.net.sent_times(kBob, "SIP/2.0 491").size() == 1);
    auto alice_invites = w.net.sent_times(kAlice, "INVITE ");
    auto bob_invites = w.net.sent_times(kBob, "INVITE ");
    REQUIRE(alice_invites.size() == 3);  // initial, glare, retry
    REQUIRE(bob_invites.size() == 2);
    const auto alice_wait = base::to_milliseconds(alice_invites[2] - start);
    const auto bob_wait = base::to_milliseconds(bob_invites[1] - start);
    // Alice owns the Call-ID: 2.1-4 s after the 491 arrived (20 ms); Bob 0-2 s.
    CHECK(alice_wait >= 2120);
    CHECK(alice_wait <= 4020);
    CHECK(bob_wait >= 20);
    CHECK(bob_wait <= 2020);
}

TEST_CASE("INVITE without SDP over the network: offer in the 200, answer in the ACK") {
    Direct w(14);
    ua::CallOptions o;
    o.offer_in_invite = false;
    w.establish(o);
    REQUIRE(w.until([&] { return w.bob.last<ua::CallAnswered>() != nullptr; }));
    CHECK(w.bob.last<ua::CallAnswered>()->media.size() == 1);
    CHECK(w.alice.last<ua::CallAnswered>()->media[0].remote_port == w.bob.last<ua::CallAnswered>()->media[0].local_port);
}

TEST_CASE("session timer refresh: re-INVITE every half interval keeps the call for ten minutes") {
    auto a = phone_config("alice", kAlice);
    a.session_expires = 180;
    Direct w(15, a);
    w.establish();
    const TimePoint answered = *w.alice.last_at<ua::CallAnswered>();
    w.net.run_for(seconds(600));
    auto invites = w.net.sent_times(kAlice, "INVITE ");
    REQUIRE(invites.size() == 7);  // the initial one, then every 90 s
    CHECK(invites[1] - answered == seconds(90));
    CHECK(invites[2] - invites[1] == seconds(90) + milliseconds(20));
    CHECK(w.alice.last<ua::CallEnded>() == nullptr);
    CHECK(w.bob.last<ua::CallEnded>() == nullptr);
}

TEST_CASE("PRACK: reliable 180 and the PRACK before the 200") {
    Direct w(16);
    ua::CallOptions o;
    o.require_100rel = true;
    w.establish(o);
    auto lines = w.first_lines(kAlice);
    REQUIRE(lines.size() >= 3);
    CHECK(starts(lines[1], "PRACK "));
    auto bob_lines = w.first_lines(kBob);
    CHECK(starts(bob_lines[0], "SIP/2.0 180"));
    CHECK(starts(bob_lines[1], "SIP/2.0 200"));  // to the PRACK
}

TEST_CASE("blind transfer over the network: Alice is referred from Bob to Carol") {
    SimNetwork net(17);
    scenario::ScenarioHash hash;
    Phone alice(phone_config("alice", kAlice), 1, &hash);
    Phone bob(phone_config("bob", kBob), 2, &hash);
    Phone carol(phone_config("carol", kCarol), 3, &hash);
    net.attach(kAlice, alice);
    net.attach(kBob, bob);
    net.attach(kCarol, carol);
    alice.ua().call(direct("bob", kBob), {}, net.now());
    REQUIRE(net.run_until([&] { return bob.last<ua::IncomingCall>() != nullptr; }, seconds(5)));
    ua::CallId b = bob.last<ua::IncomingCall>()->call;
    REQUIRE(bob.ua().answer(b, net.now()).ok());
    REQUIRE(net.run_until([&] { return bob.ua().find_call(b)->state == ua::CallState::Confirmed; }, seconds(5)));
    REQUIRE(bob.ua().transfer(b, direct("carol", kCarol), net.now()).ok());
    REQUIRE(net.run_until([&] { return carol.last<ua::IncomingCall>() != nullptr; }, seconds(5)));
    REQUIRE(carol.ua().answer(carol.last<ua::IncomingCall>()->call, net.now()).ok());
    REQUIRE(net.run_until([&] {
        bob.drain(net.now());
        return bob.last<ua::TransferProgress>() && bob.last<ua::TransferProgress>()->final;
    }, seconds(5)));
    CHECK(bob.last<ua::TransferProgress>()->status == 200);
    REQUIRE(alice.last<ua::TransferRequested>());
    CHECK(alice.all<ua::CallAnswered>().size() == 2);
    // Bob's BYE ends his leg (RFC 5589 §6.1); Alice's call with Carol goes on.
    REQUIRE(net.run_until([&] { return alice.last<ua::CallEnded>() != nullptr; }, seconds(5)));
    CHECK(alice.last<ua::CallEnded>()->by_peer);
    REQUIRE(bob.last<ua::CallEnded>());
    CHECK(bob.last<ua::CallEnded>()->reason == "transferred");
    CHECK(carol.all<ua::CallEnded>().empty());
}

TEST_CASE("30 % loss, 10 % duplication and 30 ms jitter both ways: the call completes and eight INFO digits arrive once each, in order, each answered 200") {
    for (std::uint64_t seed : {21, 22, 23}) {
        CAPTURE(seed);
        Direct w(seed);
        scenario::LinkConditions lossy;
        lossy.loss = 0.3;
        lossy.duplicate = 0.1;
        lossy.jitter = milliseconds(30);
        w.net.set_path(kAlice, kBob, lossy);
        auto [a, b] = w.establish();
        REQUIRE(w.alice.ua().send_dtmf(a, "1234567#", w.net.now()).ok());
        w.alice.drain(w.net.now());
        REQUIRE(w.until([&] { return w.alice.all<ua::DtmfSent>().size() == 8; }, seconds(300)));
        w.net.run_for(seconds(40));
        std::string digits;
        for (const auto& d : w.bob.all<ua::DtmfReceived>()) digits += d.digit;
        CHECK(digits == "1234567#");
        for (const auto& d : w.alice.all<ua::DtmfSent>()) CHECK(d.status == 200);
        CHECK(w.alice.last<ua::CallEnded>() == nullptr);
        CHECK(w.bob.last<ua::CallEnded>() == nullptr);
        (void)b;
    }
}

TEST_CASE("the UserAgent registers through its account, reports Registered, and unregisters") {
    SimNetwork net(30);
    scenario::ScenarioHash hash;
    base::SeededRandom registrar_random(96);
    scenario::RegistrarConfig rc;
    rc.users["bob"] = "zanzibar";
    scenario::RegistrarDouble registrar(kProxy, rc, hash, registrar_random);
    auto cfg = phone_config("bob", kBob);
    cfg.account.registrar = uri("sip:192.0.2.10");
    cfg.account.register_expires = 600;
    Phone bob(cfg, 2, &hash);
    net.attach(kProxy, registrar);
    net.attach(kBob, bob);
    REQUIRE(bob.ua().register_account(net.now()).ok());
    REQUIRE(net.run_until([&] { bob.drain(net.now()); return bob.last<ua::Registered>() != nullptr; }, seconds(5)));
    CHECK(bob.last<ua::Registered>()->expires == 600);
    CHECK(registrar.challenges() == 1);
    CHECK(registrar.bindings("bob@biloxi.com", net.now()).size() == 1);
    REQUIRE(bob.ua().unregister_account(net.now()).ok());
    REQUIRE(net.run_until([&] { bob.drain(net.now()); return bob.last<ua::Unregistered>() != nullptr; }, seconds(5)));
    CHECK(registrar.bindings("bob@biloxi.com", net.now()).empty());
}

TEST_CASE("transport error: a refused registrar fails the REGISTER with 503 at once, and it is retried later") {
    SimNetwork net(31);
    scenario::ScenarioHash hash;
    auto cfg = phone_config("bob", kBob);
    cfg.account.registrar = uri("sip:192.0.2.10");
    Phone bob(cfg, 2, &hash);
    net.attach(kBob, bob);
    net.refuse(kProxy, "tcp connect to 192.0.2.10:5060 failed: Connection refused");
    REQUIRE(bob.ua().register_account(net.now()).ok());
    REQUIRE(net.run_until([&] { return bob.last<ua::RegistrationFailed>() != nullptr; }, seconds(40)));
    const ua::RegistrationFailed& failed = *bob.last<ua::RegistrationFailed>();
    CHECK(secs(*bob.last_at<ua::RegistrationFailed>()) == 0.02);
    CHECK(failed.status == 503);
    CHECK(failed.reason == "tcp connect to 192.0.2.10:5060 failed: Connection refused");
    CHECK(failed.network_failure);
    CHECK(failed.retry_at.has_value());
    CHECK(net.sent_times(kBob, "REGISTER ").size() == 1);
}

TEST_CASE("without a registrar in the account, register_account says so") {
    Phone alice(phone_config("alice", kAlice), 1);
    auto st = alice.ua().register_account(t0);
    REQUIRE_FALSE(st.ok());
    CHECK(st.error().message == "no registrar configured, or no Digest hash given");
}
