#include <doctest/doctest.h>

#include "dialtone/base/random.hpp"
#include "dialtone/sip/digest_client.hpp"
#include "dialtone/sip/parser.hpp"
#include "fake_digest_hash.hpp"

#include <vector>

using namespace dialtone::sip;
using dialtone::base::SeededRandom;
using dialtone::sip::testing::SymbolicHash;

namespace {
DigestChallenge challenge(std::string nonce, bool stale = false) {
    DigestChallenge ch;
    ch.realm = "biloxi.com";
    ch.nonce = std::move(nonce);
    ch.qop = {"auth"};
    ch.stale = stale;
    return ch;
}
}  // namespace

TEST_CASE("digest client: the first challenge is answered with nc=00000001 and a fresh cnonce") {
    SeededRandom rng(1);
    SymbolicHash h;
    DigestClient client("bob", "zanzibar");
    CHECK(client.challenge() == nullptr);
    CHECK(client.on_challenge(challenge("n1"), Attempt::WithoutCredentials, rng) == AuthDecision::Retry);
    auto cr = client.authorize(h, "REGISTER", "sip:biloxi.com");
    REQUIRE(cr);
    CHECK(cr->username == "bob");
    CHECK(cr->realm == "biloxi.com");
    CHECK(cr->nonce == "n1");
    CHECK(cr->uri == "sip:biloxi.com");
    CHECK(cr->qop == Qop::Auth);
    CHECK(cr->nc == 1u);
    REQUIRE(cr->cnonce);
    CHECK(cr->cnonce->size() == 32);
    CHECK(*cr->cnonce == client.cnonce());
    CHECK(cr->algorithm.empty());
    CHECK(cr->response == "MD5(MD5(bob:biloxi.com:zanzibar):n1:00000001:" + *cr->cnonce +
                              ":auth:MD5(REGISTER:sip:biloxi.com))");
}

TEST_CASE("digest client: reusing a nonce counts 00000001, 00000002, … with one cnonce") {
    SeededRandom rng(2);
    SymbolicHash h;
    DigestClient client("bob", "zanzibar");
    REQUIRE(client.on_challenge(challenge("n1"), Attempt::WithoutCredentials, rng) == AuthDecision::Retry);
    auto a = client.authorize(h, "REGISTER", "sip:biloxi.com");
    auto b = client.authorize(h, "REGISTER", "sip:biloxi.com");
    auto c = client.authorize(h, "INVITE", "sip:alice@atlanta.com");
    REQUIRE((a && b && c));
    CHECK(format_nonce_count(*a->nc) == "00000001");
    CHECK(format_nonce_count(*b->nc) == "00000002");
    CHECK(format_nonce_count(*c->nc) == "00000003");
    CHECK(*a->cnonce == *c->cnonce);
    CHECK(a->response != b->response);
    CHECK(client.nonce_count() == 3);
}

TEST_CASE("digest client: a repeated challenge with the same nonce means the password was refused") {
    SeededRandom rng(3);
    SymbolicHash h;
    DigestClient client("bob", "wrong");
    REQUIRE(client.on_challenge(challenge("n1"), Attempt::WithoutCredentials, rng) == AuthDecision::Retry);
    REQUIRE(client.authorize(h, "REGISTER", "sip:biloxi.com"));
    CHECK(client.on_challenge(challenge("n1"), Attempt::WithCredentials, rng) == AuthDecision::Refused);
    // Even marked stale, the nonce just used is not answered again.
    CHECK(client.on_challenge(challenge("n1", true), Attempt::WithCredentials, rng) == AuthDecision::Refused);
}

TEST_CASE("digest client: a fresh nonce without stale after a first answer is a refusal (RFC 7616 §3.3)") {
    SeededRandom rng(4);
    SymbolicHash h;
    DigestClient client("bob", "wrong");
    REQUIRE(client.on_challenge(challenge("n1"), Attempt::WithoutCredentials, rng) == AuthDecision::Retry);
    REQUIRE(client.authorize(h, "REGISTER", "sip:biloxi.com"));
    CHECK(client.on_challenge(challenge("n2"), Attempt::WithCredentials, rng) == AuthDecision::Refused);
}

TEST_CASE("digest client: stale=true retries with the new nonce, nc restarting and a new cnonce") {
    SeededRandom rng(5);
    SymbolicHash h;
    DigestClient client("bob", "zanzibar");
    REQUIRE(client.on_challenge(challenge("n1"), Attempt::WithoutCredentials, rng) == AuthDecision::Retry);
    REQUIRE(client.authorize(h, "REGISTER", "sip:biloxi.com"));
    REQUIRE(client.authorize(h, "REGISTER", "sip:biloxi.com"));
    const std::string first_cnonce = client.cnonce();
    CHECK(client.on_challenge(challenge("n2", true), Attempt::WithCredentials, rng) == AuthDecision::Retry);
    auto cr = client.authorize(h, "REGISTER", "sip:biloxi.com");
    REQUIRE(cr);
    CHECK(cr->nonce == "n2");
    CHECK(cr->nc == 1u);
    CHECK(*cr->cnonce != first_cnonce);
}

TEST_CASE("digest client: stale=true right after a first answer is retried once, not forever") {
    SeededRandom rng(6);
    SymbolicHash h;
    DigestClient client("bob", "zanzibar");
    REQUIRE(client.on_challenge(challenge("n1"), Attempt::WithoutCredentials, rng) == AuthDecision::Retry);
    REQUIRE(client.authorize(h, "REGISTER", "sip:biloxi.com"));
    CHECK(client.on_challenge(challenge("n2", true), Attempt::WithCredentials, rng) == AuthDecision::Retry);
    REQUIRE(client.authorize(h, "REGISTER", "sip:biloxi.com"));
    CHECK(client.on_challenge(challenge("n3", true), Attempt::WithCredentials, rng) == AuthDecision::Refused);
}

TEST_CASE("digest client: a new nonce after the old one was reused is its expiry, answered once") {
    SeededRandom rng(7);
    SymbolicHash h;
    DigestClient client("bob", "zanzibar");
    REQUIRE(client.on_challenge(challenge("n1"), Attempt::WithoutCredentials, rng) == AuthDecision::Retry);
    REQUIRE(client.authorize(h, "REGISTER", "sip:biloxi.com"));  // accepted
    REQUIRE(client.authorize(h, "REGISTER", "sip:biloxi.com"));  // a refresh, challenged:
    CHECK(client.on_challenge(challenge("n2"), Attempt::WithCredentials, rng) == AuthDecision::Retry);
    REQUIRE(client.authorize(h, "REGISTER", "sip:biloxi.com"));
    CHECK(client.on_challenge(challenge("n3"), Attempt::WithCredentials, rng) == AuthDecision::Refused);
}

TEST_CASE("digest client: a request sent without credentials may always be challenged") {
    SeededRandom rng(8);
    SymbolicHash h;
    DigestClient client("bob", "zanzibar");
    REQUIRE(client.on_challenge(challenge("n1"), Attempt::WithoutCredentials, rng) == AuthDecision::Retry);
    REQUIRE(client.authorize(h, "INVITE", "sip:alice@atlanta.com"));
    // A BYE sent without credentials gets its own challenge.
    CHECK(client.on_challenge(challenge("n2"), Attempt::WithoutCredentials, rng) == AuthDecision::Retry);
    auto cr = client.authorize(h, "BYE", "sip:alice@atlanta.com");
    REQUIRE(cr);
    CHECK(cr->nonce == "n2");
    CHECK(cr->nc == 1u);
}

TEST_CASE("digest client: the same challenge seen twice before answering keeps the nc and cnonce") {
    SeededRandom rng(9);
    SymbolicHash h;
    DigestClient client("bob", "zanzibar");
    REQUIRE(client.on_challenge(challenge("n1"), Attempt::WithoutCredentials, rng) == AuthDecision::Retry);
    REQUIRE(client.authorize(h, "REGISTER", "sip:biloxi.com"));
    const std::string cnonce = client.cnonce();
    CHECK(client.on_challenge(challenge("n1"), Attempt::WithoutCredentials, rng) == AuthDecision::Retry);
    CHECK(client.cnonce() == cnonce);
    auto cr = client.authorize(h, "OPTIONS", "sip:biloxi.com");
    REQUIRE(cr);
    CHECK(cr->nc == 2u);
}

TEST_CASE("digest client: auth is preferred over auth-int; auth-int alone hashes the body") {
    SeededRandom rng(10);
    SymbolicHash h;
    DigestClient client("bob", "zanzibar");
    auto both = challenge("n1");
    both.qop = {"auth-int", "auth"};
    REQUIRE(client.on_challenge(both, Attempt::WithoutCredentials, rng) == AuthDecision::Retry);
    auto cr = client.authorize(h, "INVITE", "sip:a@b", "v=0");
    REQUIRE(cr);
    CHECK(cr->qop == Qop::Auth);

    DigestClient client2("bob", "zanzibar");
    auto only_int = challenge("n1");
    only_int.qop = {"auth-int"};
    REQUIRE(client2.on_challenge(only_int, Attempt::WithoutCredentials, rng) == AuthDecision::Retry);
    auto cr2 = client2.authorize(h, "INVITE", "sip:a@b", "v=0");
    REQUIRE(cr2);
    CHECK(cr2->qop == Qop::AuthInt);
    CHECK(cr2->response.find("MD5(INVITE:sip:a@b:MD5(v=0))") != std::string::npos);
}

TEST_CASE("digest client: without qop the RFC 2069 response has no cnonce and no nc") {
    SeededRandom rng(11);
    SymbolicHash h;
    DigestClient client("bob", "zanzibar");
    auto ch = challenge("n1");
    ch.qop.clear();
    ch.opaque = "op";
    ch.algorithm = "md5";
    REQUIRE(client.on_challenge(ch, Attempt::WithoutCredentials, rng) == AuthDecision::Retry);
    auto cr = client.authorize(h, "REGISTER", "sip:biloxi.com");
    REQUIRE(cr);
    CHECK_FALSE(cr->qop);
    CHECK_FALSE(cr->cnonce);
    CHECK_FALSE(cr->nc);
    CHECK(cr->opaque == std::optional<std::string>("op"));
    CHECK(cr->algorithm == "MD5");
    CHECK(cr->response == "MD5(MD5(bob:biloxi.com:zanzibar):n1:MD5(REGISTER:sip:biloxi.com))");
}

TEST_CASE("digest client: userhash=true sends H(username:realm) in place of the user name") {
    SeededRandom rng(12);
    SymbolicHash h;
    DigestClient client("bob", "zanzibar");
    auto ch = challenge("n1");
    ch.userhash = true;
    ch.algorithm = "SHA-256";
    REQUIRE(client.on_challenge(ch, Attempt::WithoutCredentials, rng) == AuthDecision::Retry);
    auto cr = client.authorize(h, "REGISTER", "sip:biloxi.com");
    REQUIRE(cr);
    CHECK(cr->userhash);
    CHECK(cr->username == "SHA256(bob:biloxi.com)");
    CHECK(cr->response.rfind("SHA256(SHA256(bob:biloxi.com:zanzibar):", 0) == 0);
}

TEST_CASE("digest client: the topmost challenge it can answer is chosen (RFC 8760 §2.4)") {
    auto aka = challenge("n0");
    aka.algorithm = "AKAv1-MD5";
    auto sha = challenge("n1");
    sha.algorithm = "SHA-256";
    auto md5 = challenge("n2");
    const std::vector<DigestChallenge> offered{aka, sha, md5};
    const DigestChallenge* pick = select_challenge(offered);
    REQUIRE(pick != nullptr);
    CHECK(pick->nonce == "n1");

    SeededRandom rng(13);
    DigestClient client("bob", "zanzibar");
    CHECK(client.on_challenge(offered, Attempt::WithoutCredentials, rng) == AuthDecision::Retry);
    REQUIRE(client.challenge() != nullptr);
    CHECK(client.challenge()->algorithm == "SHA-256");
}

TEST_CASE("digest client: challenges it cannot answer are unsupported") {
    auto aka = challenge("n0");
    aka.algorithm = "AKAv1-MD5";
    auto conf = challenge("n1");
    conf.qop = {"auth-conf"};
    auto sess_without_qop = challenge("n2");
    sess_without_qop.qop.clear();
    sess_without_qop.algorithm = "MD5-sess";
    CHECK_FALSE(can_answer(aka));
    CHECK_FALSE(can_answer(conf));
    CHECK_FALSE(can_answer(sess_without_qop));
    sess_without_qop.qop = {"auth"};
    CHECK(can_answer(sess_without_qop));

    SeededRandom rng(14);
    SymbolicHash h;
    DigestClient client("bob", "zanzibar");
    CHECK(client.on_challenge(std::vector<DigestChallenge>{aka, conf}, Attempt::WithoutCredentials, rng) ==
          AuthDecision::Unsupported);
    CHECK(client.on_challenge(std::vector<DigestChallenge>{}, Attempt::WithoutCredentials, rng) ==
          AuthDecision::Unsupported);
    auto cr = client.authorize(h, "REGISTER", "sip:biloxi.com");
    REQUIRE_FALSE(cr);
    CHECK(cr.error().message == "no Digest challenge to answer");
}

TEST_CASE("digest client: the same seed gives the same cnonce, so runs replay exactly") {
    SeededRandom a(42), b(42);
    DigestClient x("bob", "pw"), y("bob", "pw");
    REQUIRE(x.on_challenge(challenge("n1"), Attempt::WithoutCredentials, a) == AuthDecision::Retry);
    REQUIRE(y.on_challenge(challenge("n1"), Attempt::WithoutCredentials, b) == AuthDecision::Retry);
    CHECK(x.cnonce() == y.cnonce());
    CHECK_FALSE(x.cnonce().empty());
}

TEST_CASE("401 and 407 name their challenge and credentials headers (RFC 3261 §22.2, §22.3)") {
    auto www = auth_headers_for(401);
    REQUIRE(www);
    CHECK(www->challenge == HeaderId::WwwAuthenticate);
    CHECK(www->credentials == HeaderId::Authorization);
    auto proxy = auth_headers_for(407);
    REQUIRE(proxy);
    CHECK(proxy->challenge == HeaderId::ProxyAuthenticate);
    CHECK(proxy->credentials == HeaderId::ProxyAuthorization);
    CHECK_FALSE(auth_headers_for(403));
}

TEST_CASE("digest challenges of a 401: every WWW-Authenticate line, other schemes left out") {
    auto m = parse_message(
        "SIP/2.0 401 Unauthorized\r\n"
        "Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bKnashds8\r\n"
        "From: Bob <sip:bob@biloxi.com>;tag=a73kszlfl\r\n"
        "To: Bob <sip:bob@biloxi.com>;tag=1410948204\r\n"
        "Call-ID: 1j9FpLxk3uxtm8tn@biloxi.com\r\n"
        "CSeq: 1 REGISTER\r\n"
        "WWW-Authenticate: Basic realm=\"biloxi.com\"\r\n"
        "WWW-Authenticate: Digest realm=\"biloxi.com\", qop=\"auth\",\r\n"
        " nonce=\"ea9c8e88df84f1cec4341ae6cbe5a359\", algorithm=SHA-256, opaque=\"\"\r\n"
        "www-authenticate: Digest realm=\"biloxi.com\", qop=\"auth\", nonce=\"ea9c8e88df84f1cec4341ae6cbe5a359\"\r\n"
        "Content-Length: 0\r\n\r\n");
    REQUIRE(m);
    auto chs = digest_challenges(*m);
    REQUIRE(chs);
    REQUIRE(chs->size() == 2);
    CHECK((*chs)[0].algorithm == "SHA-256");
    CHECK((*chs)[0].nonce == "ea9c8e88df84f1cec4341ae6cbe5a359");
    CHECK((*chs)[1].digest_algorithm() == DigestAlgorithm::Md5);

    SeededRandom rng(15);
    DigestClient client("bob", "zanzibar");
    CHECK(client.on_challenge(*chs, Attempt::WithoutCredentials, rng) == AuthDecision::Retry);
    CHECK(client.challenge()->algorithm == "SHA-256");
}

TEST_CASE("digest challenges of a 407: a malformed line is skipped when another one answers") {
    auto m = parse_message(
        "SIP/2.0 407 Proxy Authentication Required\r\n"
        "Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds\r\n"
        "From: Alice <sip:alice@atlanta.com>;tag=1928301774\r\n"
        "To: Bob <sip:bob@biloxi.com>;tag=a6c85cf\r\n"
        "Call-ID: a84b4c76e66710\r\n"
        "CSeq: 314159 INVITE\r\n"
        "Proxy-Authenticate: Digest realm=\"atlanta.com\", nonce=\"unterminated\r\n"
        "Proxy-Authenticate: Digest realm=\"atlanta.com\", nonce=\"wf84f1ceczx41ae6cbe5aea9c8e88d359\"\r\n"
        "Content-Length: 0\r\n\r\n");
    REQUIRE(m);
    auto chs = digest_challenges(*m);
    REQUIRE(chs);
    REQUIRE(chs->size() == 1);
    CHECK(chs->front().realm == "atlanta.com");
}

TEST_CASE("digest challenges: a 401 without WWW-Authenticate, or only malformed lines, is an error") {
    auto bare = parse_message(
        "SIP/2.0 401 Unauthorized\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:a@b>;tag=1\r\n"
        "To: <sip:a@b>;tag=2\r\nCall-ID: c\r\nCSeq: 1 REGISTER\r\nContent-Length: 0\r\n\r\n");
    REQUIRE(bare);
    auto none = digest_challenges(*bare);
    REQUIRE_FALSE(none);
    CHECK(none.error().message == "401 without WWW-Authenticate");

    auto broken = parse_message(
        "SIP/2.0 401 Unauthorized\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:a@b>;tag=1\r\n"
        "To: <sip:a@b>;tag=2\r\nCall-ID: c\r\nCSeq: 1 REGISTER\r\nWWW-Authenticate: Digest nonce=\"n\"\r\n"
        "Content-Length: 0\r\n\r\n");
    REQUIRE(broken);
    auto bad = digest_challenges(*broken);
    REQUIRE_FALSE(bad);
    CHECK(bad.error().message == "Digest challenge without realm");

    auto ok = parse_message(
        "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:a@b>;tag=1\r\n"
        "To: <sip:a@b>;tag=2\r\nCall-ID: c\r\nCSeq: 1 REGISTER\r\nContent-Length: 0\r\n\r\n");
    REQUIRE(ok);
    auto wrong_status = digest_challenges(*ok);
    REQUIRE_FALSE(wrong_status);
    CHECK(wrong_status.error().message == "status 200 carries no challenge");
}

TEST_CASE("digest realm: the password goes only to challenges for its realm; * takes any") {
    DigestChallenge biloxi = challenge("n1");
    DigestChallenge atlanta = challenge("n2");
    atlanta.realm = "atlanta.com";
    const std::vector<DigestChallenge> offered{atlanta, biloxi};
    auto mine = challenges_for_realm(offered, "biloxi.com");
    REQUIRE(mine.size() == 1);
    CHECK(mine[0].nonce == "n1");
    CHECK(challenges_for_realm(offered, "*").size() == 2);
    CHECK(challenges_for_realm(offered, "example.com").empty());
    CHECK(realm_mismatch(offered, "example.com") ==
          "challenged for realm \"atlanta.com\" and \"biloxi.com\", but the password is for realm \"example.com\"");
    CHECK(realm_mismatch(std::vector<DigestChallenge>{biloxi}, "x") ==
          "challenged for realm \"biloxi.com\", but the password is for realm \"x\"");
}
