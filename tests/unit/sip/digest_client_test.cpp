#include <doctest/doctest.h>

#include "dialtone/base/random.hpp"
#include "dialtone/sip/digest_client.hpp"
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
