// RFC 3261 §10.2 (client registration), §22 (Digest), RFC 3665 §2 (registration flows).
#include "dialtone/ua/registration.hpp"

#include "dialtone/base/random.hpp"
#include "dialtone/sip/auth.hpp"
#include "dialtone/sip/parser.hpp"
#include "dialtone/sip/typed.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace dialtone;
using base::seconds;
using base::TimePoint;
using ua::Registration;

namespace {

// A stand-in hash (FNV-1a, as hex): deterministic and well-formed, not cryptographic. The
// Digest maths themselves are tested against the RFC examples in tests/unit/io.
class TestHash final : public sip::DigestHash {
public:
    base::Result<std::string> hex(sip::HashFunction, std::string_view data) const override {
        std::uint64_t h = 1469598103934665603ULL;
        for (char c : data) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
        static const char digits[] = "0123456789abcdef";
        std::string out;
        for (int i = 60; i >= 0; i -= 4) out.push_back(digits[(h >> i) & 0xf]);
        return out + out;
    }
};

const TimePoint t0{};

ua::RegistrationConfig bob_config() {
    ua::RegistrationConfig c;
    c.aor = *sip::parse_uri("sip:bob@biloxi.com");
    c.registrar = *sip::parse_uri("sip:registrar.biloxi.com");
    c.contact = *sip::parse_uri("sip:bob@192.0.2.4");
    c.password = "zanzibar";
    c.expires = 7200;
    c.via.host.name = "192.0.2.4";
    c.via.host.kind = sip::HostKind::IPv4;
    c.via.port = 5060;
    return c;
}

struct Fixture {
    base::SeededRandom random{7};
    TestHash hash;
    Registration reg;
    explicit Fixture(ua::RegistrationConfig c = bob_config()) : reg(std::move(c), random, hash) {}

    sip::Message next() {
        auto out = reg.poll_request();
        REQUIRE(out.has_value());
        // Through the wire and back, as the registrar would see it.
        auto parsed = sip::parse_message(out->request.serialize());
        REQUIRE(parsed.ok());
        last_hop = out->next_hop;
        return std::move(parsed).value();
    }
    sip::Uri last_hop;
};

std::string value(const sip::Message& m, sip::HeaderId id) {
    const sip::HeaderField* f = m.find(id);
    return f ? std::string(f->value) : std::string();
}

// The registrar's response to `req`: the headers §8.2.6.2 copies, a To tag, then `extra` lines.
sip::Message respond(const sip::Message& req, int status, std::string_view reason,
                     const std::vector<std::string>& extra = {}) {
    sip::Message r = sip::Message::response(status, reason);
    for (const sip::HeaderField& f : req.headers())
        if (f.id == sip::HeaderId::Via || f.id == sip::HeaderId::From || f.id == sip::HeaderId::CallId ||
            f.id == sip::HeaderId::CSeq)
            r.add_header(f.id, f.value);
    r.add_header(sip::HeaderId::To, std::string(value(req, sip::HeaderId::To)) + ";tag=37GkEhwl6");
    for (const std::string& line : extra) {
        auto colon = line.find(':');
        r.add_header(std::string_view(line).substr(0, colon), std::string_view(line).substr(colon + 2));
    }
    auto parsed = sip::parse_message(r.serialize());
    REQUIRE(parsed.ok());
    return std::move(parsed).value();
}

const std::string kChallenge =
    "WWW-Authenticate: Digest realm=\"biloxi.com\", qop=\"auth\", nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", "
    "opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"";

template <class T>
T expect_event(Registration& reg) {
    auto e = reg.poll_event();
    REQUIRE(e.has_value());
    REQUIRE(std::holds_alternative<T>(*e));
    return std::get<T>(std::move(*e));
}

// Registers Bob through one 401 (RFC 3665 §2.1); returns the time the 200 came.
void register_with_challenge(Fixture& f, std::uint32_t granted = 7200) {
    f.reg.start(t0);
    sip::Message first = f.next();
    f.reg.on_response(respond(first, 401, "Unauthorized", {kChallenge}), t0);
    sip::Message second = f.next();
    f.reg.on_response(respond(second, 200, "OK",
                              {"Contact: <sip:bob@192.0.2.4>;expires=" + std::to_string(granted)}),
                      t0 + seconds(1));
}

}  // namespace

TEST_CASE("REGISTER: AOR in To and From, our Contact, Expires, a fresh branch (§10.2)") {
    Fixture f;
    f.reg.start(t0);
    CHECK(f.reg.state() == ua::RegistrationState::Registering);
    sip::Message m = f.next();
    CHECK(m.method() == sip::Method::Register);
    CHECK(m.request_uri() == "sip:registrar.biloxi.com");
    CHECK(value(m, sip::HeaderId::To) == "<sip:bob@biloxi.com>");
    CHECK(sip::from(m)->uri.to_string() == "sip:bob@biloxi.com");
    CHECK(sip::from(m)->tag().has_value());
    CHECK(value(m, sip::HeaderId::Contact) == "<sip:bob@192.0.2.4>");
    CHECK(value(m, sip::HeaderId::Expires) == "7200");
    CHECK(value(m, sip::HeaderId::CSeq) == "1 REGISTER");
    CHECK(value(m, sip::HeaderId::MaxForwards) == "70");
    CHECK(m.find(sip::HeaderId::Authorization) == nullptr);
    auto via = sip::top_via(m);
    REQUIRE(via.ok());
    CHECK(via->has_magic_cookie());
    CHECK(via->host.name == "192.0.2.4");
    CHECK(f.last_hop.to_string() == "sip:registrar.biloxi.com");
    CHECK_FALSE(f.reg.poll_request().has_value());  // one at a time
}

TEST_CASE("REGISTER: Contact carries +sip.instance when an instance id is configured (RFC 5626 §4.1)") {
    auto c = bob_config();
    c.instance_id = "urn:uuid:00000000-0000-1000-8000-000A95A0E128";
    Fixture f(c);
    f.reg.start(t0);
    CHECK(value(f.next(), sip::HeaderId::Contact) ==
          "<sip:bob@192.0.2.4>;+sip.instance=\"<urn:uuid:00000000-0000-1000-8000-000A95A0E128>\"");
}

TEST_CASE("REGISTER: an outbound proxy is a loose Route and the next hop (§8.1.2)") {
    auto c = bob_config();
    c.outbound_proxy = *sip::parse_uri("sip:proxy.biloxi.com:5070");
    Fixture f(c);
    f.reg.start(t0);
    sip::Message m = f.next();
    CHECK(value(m, sip::HeaderId::Route) == "<sip:proxy.biloxi.com:5070;lr>");
    CHECK(m.request_uri() == "sip:registrar.biloxi.com");
    CHECK(f.last_hop.to_string() == "sip:proxy.biloxi.com:5070");
}

TEST_CASE("200: the granted interval is our Contact's expires, and the refresh comes at half of it (§10.2.4)") {
    Fixture f;
    f.reg.start(t0);
    sip::Message m = f.next();
    CHECK(f.reg.on_response(
        respond(m, 200, "OK",
                {"Contact: <sip:bob@192.0.2.4>;expires=3600, <sip:bob@203.0.113.9>;expires=100", "Expires: 7200"}),
        t0 + seconds(2)));
    auto ev = expect_event<ua::Registered>(f.reg);
    CHECK(ev.expires == 3600);
    CHECK(ev.bindings.size() == 2);
    CHECK(ev.aor.to_string() == "sip:bob@biloxi.com");
    CHECK(f.reg.state() == ua::RegistrationState::Registered);
    CHECK(f.reg.refresh_at() == t0 + seconds(2) + seconds(1800));
    CHECK(f.reg.next_deadline() == t0 + seconds(1802));
}

TEST_CASE("200: without expires on our Contact the Expires header is the granted interval (§10.2.4)") {
    Fixture f;
    f.reg.start(t0);
    f.reg.on_response(respond(f.next(), 200, "OK", {"Contact: <sip:bob@192.0.2.4>", "Expires: 600"}), t0);
    CHECK(expect_event<ua::Registered>(f.reg).expires == 600);
    CHECK(f.reg.refresh_at() == t0 + seconds(300));
}

TEST_CASE("refresh: same Call-ID, CSeq one higher, sent at the refresh instant (§10.2.4)") {
    Fixture f;
    f.reg.start(t0);
    sip::Message first = f.next();
    f.reg.on_response(respond(first, 200, "OK", {"Contact: <sip:bob@192.0.2.4>;expires=120"}), t0);
    (void)f.reg.poll_event();
    f.reg.on_timer(t0 + seconds(59));
    CHECK_FALSE(f.reg.poll_request().has_value());
    f.reg.on_timer(t0 + seconds(60));
    sip::Message refresh = f.next();
    CHECK(value(refresh, sip::HeaderId::CallId) == value(first, sip::HeaderId::CallId));
    CHECK(value(refresh, sip::HeaderId::CSeq) == "2 REGISTER");
    CHECK(sip::from(refresh)->tag() == sip::from(first)->tag());
    CHECK(sip::top_via(refresh)->branch() != sip::top_via(first)->branch());
    CHECK(f.reg.state() == ua::RegistrationState::Registered);  // still bound while refreshing
}

TEST_CASE("401: answered once with Digest credentials for the Request-URI (§22.2, RFC 3665 §2.1)") {
    Fixture f;
    f.reg.start(t0);
    sip::Message first = f.next();
    CHECK(f.reg.on_response(respond(first, 401, "Unauthorized", {kChallenge}), t0));
    CHECK_FALSE(f.reg.poll_event().has_value());
    sip::Message second = f.next();
    CHECK(value(second, sip::HeaderId::CSeq) == "2 REGISTER");
    auto cr = sip::parse_digest_credentials(value(second, sip::HeaderId::Authorization));
    REQUIRE(cr.ok());
    CHECK(cr->username == "bob");
    CHECK(cr->realm == "biloxi.com");
    CHECK(cr->uri == "sip:registrar.biloxi.com");
    CHECK(cr->nc == 1u);
    CHECK(cr->opaque == "5ccc069c403ebaf9f0171e9517f40e41");
    f.reg.on_response(respond(second, 200, "OK", {"Contact: <sip:bob@192.0.2.4>;expires=7200"}), t0);
    CHECK(expect_event<ua::Registered>(f.reg).expires == 7200);
}

TEST_CASE("401 again with the same nonce: credentials refused, no loop (RFC 3665 §2.5)") {
    Fixture f;
    f.reg.start(t0);
    f.reg.on_response(respond(f.next(), 401, "Unauthorized", {kChallenge}), t0);
    f.reg.on_response(respond(f.next(), 401, "Unauthorized", {kChallenge}), t0);
    auto ev = expect_event<ua::RegistrationFailed>(f.reg);
    CHECK(ev.status == 401);
    CHECK(ev.reason == "credentials refused");
    CHECK_FALSE(ev.retry_at.has_value());
    CHECK_FALSE(f.reg.poll_request().has_value());
    CHECK_FALSE(f.reg.next_deadline().has_value());
    CHECK(f.reg.state() == ua::RegistrationState::Failed);
}

TEST_CASE("401 with stale=true after credentials: answered with the new nonce (RFC 7616 §3.3)") {
    Fixture f;
    f.reg.start(t0);
    f.reg.on_response(respond(f.next(), 401, "Unauthorized", {kChallenge}), t0);
    f.reg.on_response(respond(f.next(), 401, "Unauthorized",
                              {"WWW-Authenticate: Digest realm=\"biloxi.com\", qop=\"auth\", nonce=\"fresh\", stale=true"}),
                      t0);
    CHECK_FALSE(f.reg.poll_event().has_value());
    sip::Message third = f.next();
    auto cr = sip::parse_digest_credentials(value(third, sip::HeaderId::Authorization));
    REQUIRE(cr.ok());
    CHECK(cr->nonce == "fresh");
    CHECK(cr->nc == 1u);
}

TEST_CASE("407: answered with Proxy-Authorization (§22.3)") {
    Fixture f;
    f.reg.start(t0);
    f.reg.on_response(respond(f.next(), 407, "Proxy Authentication Required",
                              {"Proxy-Authenticate: Digest realm=\"biloxi.com\", nonce=\"p1\""}),
                      t0);
    sip::Message second = f.next();
    CHECK(second.find(sip::HeaderId::Authorization) == nullptr);
    auto cr = sip::parse_digest_credentials(value(second, sip::HeaderId::ProxyAuthorization));
    REQUIRE(cr.ok());
    CHECK(cr->nonce == "p1");
    CHECK_FALSE(cr->qop.has_value());  // no qop offered: the RFC 2069 form
}

TEST_CASE("401 with a scheme dialtone cannot answer: failed, not retried") {
    Fixture f;
    f.reg.start(t0);
    f.reg.on_response(respond(f.next(), 401, "Unauthorized", {"WWW-Authenticate: Basic realm=\"biloxi.com\""}), t0);
    auto ev = expect_event<ua::RegistrationFailed>(f.reg);
    CHECK(ev.reason == "no Digest challenge dialtone can answer");
    CHECK_FALSE(f.reg.poll_request().has_value());
}

TEST_CASE("refresh: credentials for the known nonce go out unasked, nc counting up (§22.3)") {
    Fixture f;
    register_with_challenge(f, 600);
    (void)f.reg.poll_event();
    f.reg.on_timer(t0 + seconds(301));
    sip::Message refresh = f.next();
    auto cr = sip::parse_digest_credentials(value(refresh, sip::HeaderId::Authorization));
    REQUIRE(cr.ok());
    CHECK(cr->nc == 2u);
    CHECK(value(refresh, sip::HeaderId::CSeq) == "3 REGISTER");
    // The registrar retired the nonce: a new one without stale after a used nonce is answered.
    f.reg.on_response(respond(refresh, 401, "Unauthorized",
                              {"WWW-Authenticate: Digest realm=\"biloxi.com\", qop=\"auth\", nonce=\"n2\""}),
                      t0 + seconds(301));
    sip::Message again = f.next();
    CHECK(sip::parse_digest_credentials(value(again, sip::HeaderId::Authorization))->nonce == "n2");
}

TEST_CASE("423: retried with Min-Expires, which the refreshes keep (§10.2.8)") {
    auto c = bob_config();
    c.expires = 60;
    Fixture f(c);
    f.reg.start(t0);
    f.reg.on_response(respond(f.next(), 423, "Interval Too Brief", {"Min-Expires: 1800"}), t0);
    CHECK_FALSE(f.reg.poll_event().has_value());
    sip::Message second = f.next();
    CHECK(value(second, sip::HeaderId::Expires) == "1800");
    f.reg.on_response(respond(second, 200, "OK", {"Contact: <sip:bob@192.0.2.4>;expires=1800"}), t0);
    CHECK(expect_event<ua::Registered>(f.reg).expires == 1800);
    f.reg.on_timer(t0 + seconds(900));
    CHECK(value(f.next(), sip::HeaderId::Expires) == "1800");
}

TEST_CASE("423 whose Min-Expires does not raise ours: failed, no loop") {
    Fixture f;
    f.reg.start(t0);
    f.reg.on_response(respond(f.next(), 423, "Interval Too Brief", {"Min-Expires: 60"}), t0);
    auto ev = expect_event<ua::RegistrationFailed>(f.reg);
    CHECK(ev.status == 423);
    CHECK(ev.reason == "Interval Too Brief without a usable Min-Expires");
    CHECK_FALSE(f.reg.poll_request().has_value());
}

TEST_CASE("no response (Timer F): failed with 408, retried after 30 s, 60 s, 120 s … capped") {
    auto c = bob_config();
    c.retry_max = seconds(100);
    Fixture f(c);
    f.reg.start(t0);
    (void)f.next();
    f.reg.on_request_failed(408, "no response (Timer F)", t0 + seconds(32));
    auto ev = expect_event<ua::RegistrationFailed>(f.reg);
    CHECK(ev.status == 408);
    CHECK(ev.reason == "no response (Timer F)");
    CHECK(ev.retry_at == t0 + seconds(62));
    CHECK(f.reg.next_deadline() == t0 + seconds(62));
    f.reg.on_timer(t0 + seconds(62));
    sip::Message retry = f.next();
    CHECK(value(retry, sip::HeaderId::CSeq) == "2 REGISTER");
    f.reg.on_request_failed(503, "transport error", t0 + seconds(62));
    CHECK(expect_event<ua::RegistrationFailed>(f.reg).retry_at == t0 + seconds(122));
    f.reg.on_timer(t0 + seconds(122));
    (void)f.next();
    f.reg.on_request_failed(408, "no response (Timer F)", t0 + seconds(154));
    CHECK(expect_event<ua::RegistrationFailed>(f.reg).retry_at == t0 + seconds(254));  // capped at 100 s
    // Success resets the backoff.
    f.reg.on_timer(t0 + seconds(254));
    f.reg.on_response(respond(f.next(), 200, "OK", {"Contact: <sip:bob@192.0.2.4>;expires=60"}), t0 + seconds(254));
    CHECK(expect_event<ua::Registered>(f.reg).expires == 60);
    f.reg.on_timer(t0 + seconds(284));
    f.reg.on_request_failed(408, "no response (Timer F)", t0 + seconds(316));
    CHECK(expect_event<ua::RegistrationFailed>(f.reg).retry_at == t0 + seconds(346));
}

TEST_CASE("503 with Retry-After: the retry waits as long as the registrar asks (§21.5.4)") {
    Fixture f;
    f.reg.start(t0);
    f.reg.on_response(respond(f.next(), 503, "Service Unavailable", {"Retry-After: 120 (maintenance)"}), t0);
    auto ev = expect_event<ua::RegistrationFailed>(f.reg);
    CHECK(ev.status == 503);
    CHECK(ev.reason == "Service Unavailable");
    CHECK(ev.retry_at == t0 + seconds(120));
}

TEST_CASE("403: failed and not retried") {
    Fixture f;
    f.reg.start(t0);
    f.reg.on_response(respond(f.next(), 403, "Forbidden"), t0);
    auto ev = expect_event<ua::RegistrationFailed>(f.reg);
    CHECK(ev.status == 403);
    CHECK_FALSE(ev.retry_at.has_value());
    CHECK_FALSE(f.reg.next_deadline().has_value());
}

TEST_CASE("stop: Expires 0 for our contact, then Unregistered and no more refreshes (§10.2.2)") {
    Fixture f;
    register_with_challenge(f);
    (void)f.reg.poll_event();
    f.reg.stop(t0 + seconds(10));
    CHECK_FALSE(f.reg.next_deadline().has_value());
    sip::Message bye = f.next();
    CHECK(value(bye, sip::HeaderId::Expires) == "0");
    CHECK(value(bye, sip::HeaderId::Contact) == "<sip:bob@192.0.2.4>");
    CHECK(bye.find(sip::HeaderId::Authorization) != nullptr);
    CHECK(f.reg.state() == ua::RegistrationState::Unregistering);
    f.reg.on_response(respond(bye, 200, "OK"), t0 + seconds(10));
    CHECK(expect_event<ua::Unregistered>(f.reg).aor.to_string() == "sip:bob@biloxi.com");
    CHECK(f.reg.state() == ua::RegistrationState::Unregistered);
    f.reg.on_timer(t0 + seconds(100000));
    CHECK_FALSE(f.reg.poll_request().has_value());
}

TEST_CASE("stop before anything was registered: Unregistered at once, nothing sent") {
    Fixture f;
    f.reg.stop(t0);
    CHECK(std::holds_alternative<ua::Unregistered>(*f.reg.poll_event()));
    CHECK_FALSE(f.reg.poll_request().has_value());
}

TEST_CASE("remove_all: Contact * with Expires 0 (RFC 3665 §2.4)") {
    Fixture f;
    f.reg.remove_all(t0);
    sip::Message m = f.next();
    CHECK(value(m, sip::HeaderId::Contact) == "*");
    CHECK(value(m, sip::HeaderId::Expires) == "0");
    f.reg.on_response(respond(m, 200, "OK"), t0);
    CHECK(std::holds_alternative<ua::Unregistered>(*f.reg.poll_event()));
}

TEST_CASE("query: no Contact, and the 200's bindings are reported (§10.2.3, RFC 3665 §2.3)") {
    Fixture f;
    f.reg.query(t0);
    sip::Message m = f.next();
    CHECK(m.find(sip::HeaderId::Contact) == nullptr);
    CHECK(m.find(sip::HeaderId::Expires) == nullptr);
    f.reg.on_response(respond(m, 200, "OK", {"Contact: <sip:bob@192.0.2.4>;expires=3400, <mailto:bob@biloxi.com>;expires=4000"}),
                      t0);
    auto ev = expect_event<ua::BindingsListed>(f.reg);
    REQUIRE(ev.bindings.size() == 2);
    CHECK(ev.bindings[1].address.uri.to_string() == "mailto:bob@biloxi.com");
    CHECK(f.reg.state() == ua::RegistrationState::Unregistered);
}

TEST_CASE("update_contacts: the given contacts, and the listed bindings back (RFC 3665 §2.2)") {
    Fixture f;
    sip::Contact mail;
    mail.address.uri = *sip::parse_uri("mailto:bob@biloxi.com");
    f.reg.update_contacts({mail}, t0);
    sip::Message m = f.next();
    CHECK(value(m, sip::HeaderId::Contact) == "<mailto:bob@biloxi.com>");
    f.reg.on_response(respond(m, 200, "OK", {"Contact: <mailto:bob@biloxi.com>;expires=3600"}), t0);
    CHECK(expect_event<ua::BindingsListed>(f.reg).bindings.size() == 1);
}

TEST_CASE("one REGISTER at a time: a query asked for meanwhile waits for the final response (§10.2)") {
    Fixture f;
    f.reg.start(t0);
    sip::Message first = f.next();
    f.reg.query(t0);
    CHECK_FALSE(f.reg.poll_request().has_value());
    CHECK(f.reg.on_response(respond(first, 100, "Trying"), t0));
    CHECK_FALSE(f.reg.poll_request().has_value());
    f.reg.on_response(respond(first, 200, "OK", {"Contact: <sip:bob@192.0.2.4>;expires=60"}), t0);
    sip::Message q = f.next();
    CHECK(q.find(sip::HeaderId::Contact) == nullptr);
    CHECK(value(q, sip::HeaderId::CSeq) == "2 REGISTER");
}

TEST_CASE("a response to another request is not the registration's") {
    Fixture f;
    f.reg.start(t0);
    sip::Message m = f.next();
    sip::Message other = respond(m, 200, "OK");
    std::string wire = other.serialize();
    wire.replace(wire.find("1 REGISTER"), 10, "9 REGISTER");
    CHECK_FALSE(f.reg.on_response(*sip::parse_message(wire), t0));
    CHECK_FALSE(f.reg.poll_event().has_value());
    CHECK(f.reg.busy());
}
