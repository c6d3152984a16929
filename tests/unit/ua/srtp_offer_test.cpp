// SDES keys of a call (RFC 4568): one a=crypto line per configured suite, each with its own key,
// and the answer takes whichever line the answerer supports.
#include "call_wire.hpp"

#include "dialtone/sdp/crypto.hpp"
#include "dialtone/sdp/parser.hpp"

#include <doctest/doctest.h>

#include <set>

using namespace dialtone;
using namespace dialtone::ua;
using namespace dialtone::ua::test;
using sdp::SrtpSuite;

namespace {

// Distinct bytes on every call, so two keys can only be equal if one was reused.
class CountingKeys final : public KeySource {
public:
    std::string random_bytes(std::size_t n) override {
        std::string out(n, '\0');
        for (char& c : out) c = static_cast<char>(++next_);
        return out;
    }

private:
    unsigned char next_ = 0;
};

UserAgentConfig srtp_node(const std::string& user, std::uint16_t port, std::vector<SrtpSuite> suites) {
    auto c = node_config(user, port);
    c.media.srtp = sdp::SrtpMode::Mandatory;
    c.srtp_suites = std::move(suites);
    return c;
}

std::vector<sdp::CryptoAttribute> crypto_of(const Sent& s) {
    auto body = s.bytes.substr(s.bytes.find("\r\n\r\n") + 4);
    auto d = sdp::parse(body);
    REQUIRE(d.ok());
    REQUIRE(d->media.size() == 1);
    auto c = sdp::crypto_attributes(d->media[0]);
    REQUIRE(c.ok());
    return *c;
}

struct SrtpPair {
    CountingKeys alice_keys, bob_keys;
    Wire wire;
    Node* alice;
    Node* bob;
    SrtpPair(std::vector<SrtpSuite> alice_suites, std::vector<SrtpSuite> bob_suites) {
        alice = &wire.add("alice", srtp_node("alice", 5060, std::move(alice_suites)), 1, nullptr, &alice_keys);
        bob = &wire.add("bob", srtp_node("bob", 5070, std::move(bob_suites)), 2, nullptr, &bob_keys);
    }
    std::pair<CallId, CallId> establish() {
        CallId a = alice->ua->call(wire.uri_of(*bob), {}, wire.now);
        wire.flush();
        auto incoming = bob->all<IncomingCall>();
        REQUIRE(incoming.size() == 1);
        REQUIRE(bob->ua->answer(incoming.back().call, wire.now).ok());
        wire.flush();
        REQUIRE(alice->last<CallAnswered>());
        REQUIRE(bob->last<CallAnswered>());
        return {a, incoming.back().call};
    }
};

const std::vector<SrtpSuite> kAll{SrtpSuite::AesCm128HmacSha1_80, SrtpSuite::AesCm128HmacSha1_32,
                                  SrtpSuite::AeadAes128Gcm, SrtpSuite::AeadAes256Gcm};

}  // namespace

TEST_CASE("SRTP offer: one crypto line per suite, AES_CM_128_HMAC_SHA1_80 first, each with its own key") {
    SrtpPair p(UserAgentConfig{}.srtp_suites, kAll);
    p.establish();
    auto offered = crypto_of(p.wire.sent("INVITE", "alice").front());
    REQUIRE(offered.size() == 4);
    std::set<std::string> keys;
    for (std::size_t i = 0; i < offered.size(); ++i) {
        CAPTURE(i);
        CHECK(offered[i].tag == i + 1);
        CHECK(offered[i].suite == kAll[i]);
        REQUIRE(offered[i].keys.size() == 1);
        CHECK(offered[i].keys[0].key_salt.size() == sdp::key_salt_length(kAll[i]));
        keys.insert(offered[i].keys[0].key_salt);
    }
    CHECK(keys.size() == 4);
    // The answerer takes the offerer's first line; both sides agree on suite and keys.
    const auto& a = p.alice->last<CallAnswered>()->media.at(0);
    const auto& b = p.bob->last<CallAnswered>()->media.at(0);
    REQUIRE(a.srtp);
    REQUIRE(b.srtp);
    CHECK(a.srtp->suite == SrtpSuite::AesCm128HmacSha1_80);
    CHECK(a.srtp->local.key_salt == offered[0].keys[0].key_salt);
    CHECK(a.srtp->local.key_salt == b.srtp->remote.key_salt);
    CHECK(a.srtp->remote.key_salt == b.srtp->local.key_salt);
}

TEST_CASE("SRTP offer: the configured order is the offer's order, and the answerer takes any suite it has") {
    struct Row {
        std::vector<SrtpSuite> alice, bob;
        SrtpSuite expected;
    };
    const std::vector<Row> table = {
        {{SrtpSuite::AeadAes256Gcm, SrtpSuite::AesCm128HmacSha1_80}, kAll, SrtpSuite::AeadAes256Gcm},
        {kAll, {SrtpSuite::AesCm128HmacSha1_32}, SrtpSuite::AesCm128HmacSha1_32},
        {kAll, {SrtpSuite::AeadAes256Gcm, SrtpSuite::AeadAes128Gcm}, SrtpSuite::AeadAes128Gcm},
        {{SrtpSuite::AeadAes256Gcm}, {SrtpSuite::AeadAes256Gcm}, SrtpSuite::AeadAes256Gcm},
    };
    for (const auto& row : table) {
        CAPTURE(sdp::to_string(row.expected));
        SrtpPair p(row.alice, row.bob);
        p.establish();
        auto offered = crypto_of(p.wire.sent("INVITE", "alice").front());
        REQUIRE(offered.size() == row.alice.size());
        for (std::size_t i = 0; i < offered.size(); ++i) CHECK(offered[i].suite == row.alice[i]);
        auto answered = crypto_of(p.wire.sent("SIP/2.0 200", "bob").front());
        REQUIRE(answered.size() == 1);
        CHECK(answered[0].suite == row.expected);
        REQUIRE(p.alice->last<CallAnswered>()->media.at(0).srtp);
        CHECK(p.alice->last<CallAnswered>()->media.at(0).srtp->suite == row.expected);
        CHECK(p.bob->last<CallAnswered>()->media.at(0).srtp->suite == row.expected);
    }
}

TEST_CASE("SRTP offer: hold and resume re-offer the same keys (RFC 4568 §6.1), so the contexts are kept") {
    SrtpPair p(kAll, kAll);
    const CallId a = p.establish().first;
    const auto first = crypto_of(p.wire.sent("INVITE", "alice").front());
    const auto keys = *p.alice->last<CallAnswered>()->media.at(0).srtp;
    REQUIRE(p.alice->ua->hold(a, p.wire.now).ok());
    p.wire.flush();
    REQUIRE(p.alice->ua->resume(a, p.wire.now).ok());
    p.wire.flush();
    const auto invites = p.wire.sent("INVITE", "alice");
    REQUIRE(invites.size() == 3);
    for (const auto& reinvite : {invites[1], invites[2]}) CHECK(crypto_of(reinvite) == first);
    auto holds = p.alice->all<HoldChanged>();
    REQUIRE(holds.size() == 2);
    const auto& now = holds.back().media.at(0).srtp;
    REQUIRE(now);
    CHECK(now->suite == keys.suite);
    CHECK(now->local == keys.local);
    CHECK(now->remote == keys.remote);
}

TEST_CASE("SRTP offer: a peer without SRTP refuses RTP/SAVP with 488, and the reason carries its Warning") {
    CountingKeys keys;
    Wire wire;
    Node& alice = wire.add("alice", srtp_node("alice", 5060, kAll), 1, nullptr, &keys);
    Node& bob = wire.add("bob", node_config("bob", 5070), 2);
    alice.ua->call(wire.uri_of(bob), {}, wire.now);
    wire.flush();
    CHECK(bob.all<IncomingCall>().empty());
    REQUIRE(alice.last<CallEnded>());
    CHECK(alice.last<CallEnded>()->status == 488);
    CHECK(alice.last<CallEnded>()->reason == "Not Acceptable Here (RTP/SAVP offered but SRTP is off)");
}
