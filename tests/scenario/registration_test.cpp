// Registration scenarios after RFC 3665 §2, over the simulated network: Bob's UA registers with
// the registrar double; every instant asserted is exact (ManualClock, seeded impairments).
#include "registrar_double.hpp"
#include "registration_ua.hpp"
#include "sim_network.hpp"
#include "test_hash.hpp"

#include "dialtone/sip/parser.hpp"
#include "dialtone/sip/typed.hpp"

#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

using namespace dialtone;
using base::milliseconds;
using base::seconds;
using base::TimePoint;
using scenario::RegistrarDouble;
using scenario::RegistrationUa;
using scenario::SimNetwork;

namespace {

const ua::Address kBob{"192.0.2.4", 5060};
const ua::Address kRegistrar{"192.0.2.10", 5060};
const TimePoint t0{};

ua::RegistrationConfig bob_config(std::string password = "zanzibar") {
    ua::RegistrationConfig c;
    c.aor = *sip::parse_uri("sip:bob@biloxi.com");
    c.registrar = *sip::parse_uri("sip:192.0.2.10");
    c.contact = *sip::parse_uri("sip:bob@192.0.2.4");
    c.password = std::move(password);
    c.expires = 3600;
    c.via.host = sip::Host{"192.0.2.4", sip::HostKind::IPv4};
    c.via.port = 5060;
    return c;
}

scenario::RegistrarConfig registrar_config() {
    scenario::RegistrarConfig c;
    c.users["bob"] = "zanzibar";
    return c;
}

// Bob, the registrar and the network between them (10 ms each way unless told otherwise).
struct World {
    explicit World(std::uint64_t seed = 1, ua::RegistrationConfig bob = bob_config(),
                   scenario::RegistrarConfig reg = registrar_config())
        : net(seed),
          client_random(seed * 31 + 1),
          server_random(seed * 31 + 2),
          ua(kBob, std::move(bob), client_random, hash),
          registrar(kRegistrar, std::move(reg), hash, server_random) {
        net.attach(kBob, ua);
        net.attach(kRegistrar, registrar);
    }
    bool run_until_event(std::size_t events, base::Duration limit = seconds(60)) {
        return net.run_until([&] { return ua.events().size() >= events; }, limit);
    }

    SimNetwork net;
    scenario::ScenarioHash hash;
    base::SeededRandom client_random;
    base::SeededRandom server_random;
    RegistrationUa ua;
    RegistrarDouble registrar;
};

std::vector<double> as_seconds(const std::vector<TimePoint>& ts) {
    std::vector<double> out;
    for (TimePoint t : ts) out.push_back(static_cast<double>(base::to_milliseconds(t - t0)) / 1000.0);
    return out;
}

std::string header(const sip::Message& m, sip::HeaderId id) {
    const sip::HeaderField* f = m.find(id);
    return f ? std::string(f->value) : std::string();
}

}  // namespace

TEST_CASE("registration: successful new registration, 401 then 200 (RFC 3665 §2.1)") {
    World w;
    w.ua.start(w.net.now());
    REQUIRE(w.run_until_event(1));
    const auto& e = w.ua.events().front();
    const auto* reg = std::get_if<ua::Registered>(&e.event);
    REQUIRE(reg != nullptr);
    CHECK(e.at == t0 + milliseconds(40));  // REGISTER, 401, REGISTER, 200: four 10 ms hops
    CHECK(reg->expires == 3600);
    REQUIRE(reg->bindings.size() == 1);
    CHECK(reg->bindings[0].address.uri.to_string() == "sip:bob@192.0.2.4");
    CHECK(w.registrar.challenges() == 1);
    REQUIRE(w.registrar.registers().size() == 2);
    const sip::Message& f1 = w.registrar.registers()[0].message;
    const sip::Message& f3 = w.registrar.registers()[1].message;
    CHECK(f1.find(sip::HeaderId::Authorization) == nullptr);
    CHECK(f3.find(sip::HeaderId::Authorization) != nullptr);
    CHECK(header(f1, sip::HeaderId::CallId) == header(f3, sip::HeaderId::CallId));
    CHECK(header(f3, sip::HeaderId::CSeq) == "2 REGISTER");
    CHECK(w.registrar.bindings("bob@biloxi.com", w.net.now()).size() == 1);
    CHECK(as_seconds(w.net.sent_times(kBob, "REGISTER ")) == std::vector<double>{0.0, 0.02});
}

TEST_CASE("registration: update of contact list (RFC 3665 §2.2)") {
    World w;
    w.ua.start(w.net.now());
    REQUIRE(w.run_until_event(1));
    sip::Contact mail;
    mail.address.uri = *sip::parse_uri("mailto:bob@biloxi.com");
    w.ua.update_contacts({mail}, w.net.now());
    REQUIRE(w.run_until_event(2));
    const auto* listed = w.ua.last<ua::BindingsListed>();
    REQUIRE(listed != nullptr);
    REQUIRE(listed->bindings.size() == 2);
    CHECK(listed->bindings[0].address.uri.to_string() == "sip:bob@192.0.2.4");
    CHECK(listed->bindings[1].address.uri.to_string() == "mailto:bob@biloxi.com");
    CHECK(w.registrar.challenges() == 1);  // the update went out with credentials already
}

TEST_CASE("registration: request current contact list (RFC 3665 §2.3)") {
    World w;
    w.ua.start(w.net.now());
    REQUIRE(w.run_until_event(1));
    w.net.run_for(seconds(100));
    w.ua.query(w.net.now());
    REQUIRE(w.run_until_event(2));
    const auto* listed = w.ua.last<ua::BindingsListed>();
    REQUIRE(listed != nullptr);
    REQUIRE(listed->bindings.size() == 1);
    // Registered at 0.04 s for 3600 s; asked at 100.04 s, answered 10 ms later.
    CHECK(listed->bindings[0].expires() == 3500u);
    CHECK(w.registrar.registers().back().message.find(sip::HeaderId::Contact) == nullptr);
}

TEST_CASE("registration: cancellation of registration, Contact * and Expires 0 (RFC 3665 §2.4)") {
    World w;
    w.ua.start(w.net.now());
    REQUIRE(w.run_until_event(1));
    w.ua.remove_all(w.net.now());
    REQUIRE(w.run_until_event(2));
    CHECK(w.ua.count<ua::Unregistered>() == 1);
    CHECK(header(w.registrar.registers().back().message, sip::HeaderId::Contact) == "*");
    CHECK(w.registrar.bindings("bob@biloxi.com", w.net.now()).empty());
    // No more refreshes.
    w.net.run_for(seconds(7200));
    CHECK(w.registrar.registers().size() == 3);
}

TEST_CASE("registration: stop removes our binding with Expires 0 (§10.2.2)") {
    World w;
    w.ua.start(w.net.now());
    REQUIRE(w.run_until_event(1));
    w.ua.stop(w.net.now());
    REQUIRE(w.run_until_event(2));
    CHECK(w.ua.count<ua::Unregistered>() == 1);
    CHECK(header(w.registrar.registers().back().message, sip::HeaderId::Expires) == "0");
    CHECK(w.registrar.bindings("bob@biloxi.com", w.net.now()).empty());
}

TEST_CASE("registration: unsuccessful registration, wrong password, no loop (RFC 3665 §2.5)") {
    World w(1, bob_config("wrong"));
    w.ua.start(w.net.now());
    REQUIRE(w.run_until_event(1));
    const auto* failed = w.ua.last<ua::RegistrationFailed>();
    REQUIRE(failed != nullptr);
    CHECK(failed->status == 401);
    CHECK(failed->reason == "credentials refused");
    CHECK_FALSE(failed->retry_at.has_value());
    w.net.run_for(seconds(3600));
    CHECK(w.registrar.registers().size() == 2);  // one try with credentials, then nothing
    CHECK(w.ua.events().size() == 1);
    CHECK(w.registrar.bindings("bob@biloxi.com", w.net.now()).empty());
}

TEST_CASE("registration: 423 Interval Too Brief, retried with Min-Expires (§10.2.8)") {
    auto bob = bob_config();
    bob.expires = 600;
    auto reg = registrar_config();
    reg.min_expires = 1800;
    World w(1, bob, reg);
    w.ua.start(w.net.now());
    REQUIRE(w.run_until_event(1));
    const auto* ok = w.ua.last<ua::Registered>();
    REQUIRE(ok != nullptr);
    CHECK(ok->expires == 1800);
    // REGISTER, 401, REGISTER (credentials), 423, REGISTER (Expires 1800), 200.
    REQUIRE(w.registrar.registers().size() == 3);
    CHECK(header(w.registrar.registers()[1].message, sip::HeaderId::Expires) == "600");
    CHECK(header(w.registrar.registers()[2].message, sip::HeaderId::Expires) == "1800");
    CHECK(w.ua.events().front().at == t0 + milliseconds(60));
}

TEST_CASE("registration: the refresh goes out at exactly half the granted interval (§10.2.4)") {
    auto reg = registrar_config();
    reg.max_expires = 600;  // Bob asks 3600, gets 600
    World w(1, bob_config(), reg);
    w.ua.start(w.net.now());
    REQUIRE(w.run_until_event(1));
    CHECK(w.ua.last<ua::Registered>()->expires == 600);
    REQUIRE(w.run_until_event(2, seconds(400)));
    CHECK(as_seconds(w.net.sent_times(kBob, "REGISTER ")) == std::vector<double>{0.0, 0.02, 300.04});
    CHECK(w.ua.events()[1].at == t0 + milliseconds(300060));
    CHECK(w.registrar.challenges() == 1);  // the refresh carried credentials (nc=2)
    CHECK(header(w.registrar.registers()[2].message, sip::HeaderId::CSeq) == "3 REGISTER");
    // And the next one half an interval later again.
    w.net.run_for(seconds(301));
    CHECK(as_seconds(w.net.sent_times(kBob, "REGISTER ")).back() == doctest::Approx(600.06));
}

TEST_CASE("registration: a nonce gone stale is answered again without asking the user (RFC 7616 §3.3)") {
    auto reg = registrar_config();
    reg.max_expires = 600;
    reg.nonce_lifetime = seconds(200);
    World w(1, bob_config(), reg);
    w.ua.start(w.net.now());
    REQUIRE(w.run_until_event(2, seconds(400)));
    CHECK(w.ua.count<ua::Registered>() == 2);
    CHECK(w.registrar.challenges() == 2);
    const std::string www = header(w.registrar.registers()[3].message, sip::HeaderId::Authorization);
    CHECK(www.find("nc=00000001") != std::string::npos);  // a fresh nonce, counted from 1
}

TEST_CASE("registration: SHA-256 challenge (RFC 8760)") {
    auto reg = registrar_config();
    reg.algorithm = sip::DigestAlgorithm::Sha256;
    World w(1, bob_config(), reg);
    w.ua.start(w.net.now());
    REQUIRE(w.run_until_event(1));
    CHECK(w.ua.count<ua::Registered>() == 1);
    auto cr = sip::parse_digest_credentials(header(w.registrar.registers()[1].message, sip::HeaderId::Authorization));
    REQUIRE(cr.ok());
    CHECK(cr->algorithm == "SHA-256");
    CHECK(cr->response.size() == 64);
}

TEST_CASE("registration: no registrar, REGISTER at 0, 0.5, 1.5, 3.5 … every T2, Timer F at 32 s, retry at 62 s") {
    World w;
    w.net.detach(kRegistrar);
    w.ua.start(w.net.now());
    REQUIRE(w.run_until_event(1, seconds(40)));
    CHECK(as_seconds(w.net.sent_times(kBob, "REGISTER ")) ==
          std::vector<double>{0.0, 0.5, 1.5, 3.5, 7.5, 11.5, 15.5, 19.5, 23.5, 27.5, 31.5});
    const auto& e = w.ua.events().front();
    CHECK(e.at == t0 + seconds(32));
    const auto* failed = std::get_if<ua::RegistrationFailed>(&e.event);
    REQUIRE(failed != nullptr);
    CHECK(failed->status == 408);
    CHECK(failed->reason == "no response (Timer F)");
    CHECK(failed->retry_at == t0 + seconds(62));
    // The registrar comes back; the retry finds it.
    w.net.attach(kRegistrar, w.registrar);
    REQUIRE(w.run_until_event(2, seconds(40)));
    CHECK(w.registrar.registers().front().at == t0 + seconds(62) + milliseconds(10));
    CHECK(w.ua.count<ua::Registered>() == 1);
}

TEST_CASE("registration: under 30 % loss both ways it still completes, and the seed replays it exactly") {
    for (std::uint64_t seed : {1u, 2u, 3u, 4u, 5u, 6u, 7u, 8u}) {
        CAPTURE(seed);
        std::vector<double> first_run;
        for (int run = 0; run < 2; ++run) {
            World w(seed);
            scenario::LinkConditions lossy;
            lossy.loss = 0.3;
            lossy.delay = milliseconds(20);
            lossy.jitter = milliseconds(30);
            lossy.duplicate = 0.05;
            w.net.set_path(kBob, kRegistrar, lossy);
            w.ua.start(w.net.now());
            REQUIRE(w.net.run_until([&] { return w.ua.count<ua::Registered>() == 1; }, seconds(600)));
            CHECK(w.registrar.bindings("bob@biloxi.com", w.net.now()).size() == 1);
            auto times = as_seconds(w.net.sent_times(kBob, "REGISTER "));
            if (run == 0) first_run = times;
            else CHECK(times == first_run);
        }
    }
}

TEST_CASE("registration: through an outbound proxy, the REGISTER goes to the proxy with a loose Route (§8.1.2)") {
    auto bob = bob_config();
    bob.registrar = *sip::parse_uri("sip:biloxi.com");  // a domain the simulation cannot reach
    bob.outbound_proxy = *sip::parse_uri("sip:192.0.2.10");
    World w(1, bob);
    w.ua.start(w.net.now());
    REQUIRE(w.run_until_event(1));
    CHECK(w.ua.count<ua::Registered>() == 1);
    for (const auto& t : w.net.trace())
        if (t.from == kBob) CHECK(t.to == kRegistrar);
    const sip::Message& last = w.registrar.registers().back().message;
    CHECK(last.request_uri() == "sip:biloxi.com");
    CHECK(header(last, sip::HeaderId::Route) == "<sip:192.0.2.10;lr>");
    auto cr = sip::parse_digest_credentials(header(last, sip::HeaderId::Authorization));
    REQUIRE(cr.ok());
    CHECK(cr->uri == "sip:biloxi.com");  // digest-uri is the Request-URI (§22.4)
}
