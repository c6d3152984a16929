// Damaged and truncated values: parsing never crashes, and whatever parses writes back to a
// fixed point (parse → write → parse gives the same value and the same text).
#include <doctest/doctest.h>

#include "dialtone/base/random.hpp"
#include "dialtone/sip/auth.hpp"

#include <string>
#include <vector>

using namespace dialtone::sip;
using dialtone::base::SeededRandom;

namespace {

const char* const kChallenges[] = {
    "Digest realm=\"atlanta.com\", domain=\"sip:boxesbybob.com\", qop=\"auth\", "
    "nonce=\"f84f1cec41e6cbe5aea9c8e88d359\", opaque=\"\", stale=FALSE, algorithm=MD5",
    "Digest realm=\"http-auth@example.org\", qop=\"auth, auth-int\", algorithm=SHA-256, "
    "nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\", opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\"",
    "Digest realm=\"a \\\"b\\\" c\", nonce=YWJj+/d==, charset=UTF-8, userhash=true, ext=\"x,y\", tok=z",
};

const char* const kCredentials[] = {
    "Digest username=\"Mufasa\", realm=\"testrealm@host.com\", nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", "
    "uri=\"/dir/index.html\", qop=auth, nc=00000001, cnonce=\"0a4f113b\", "
    "response=\"6629fae49393a05397450978507c4ef1\", opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"",
    "Digest username*=UTF-8''J%C3%A4s%C3%B8n%20Doe, realm=\"api@example.org\", uri=\"/doe.json\", "
    "algorithm=SHA-512-256, nonce=\"5TsQWLVdgBdmrQ0XsxbDODV+57QdFR34I9HAbC/RVvkK\", nc=00000001, "
    "cnonce=\"NTg6RKcb9boFIAS3KrFK9BGeh+iDa/sm6jUMp2wds69v\", qop=auth-int, response=\"ae66e67d\", userhash=false",
};

constexpr char kAlphabet[] = {'"', '\\', ',', '=', ' ', '\t', '\0', '\r', '\n', 'a', 'Z', '0', '%', '\'', '\x7f', '\xc3'};

std::string mutate(std::string s, SeededRandom& rng) {
    const int edits = static_cast<int>(rng.uniform(1, 3));
    for (int i = 0; i < edits; ++i) {
        const char c = kAlphabet[rng.uniform(0, sizeof(kAlphabet) - 1)];
        const std::size_t at = rng.uniform(0, s.size());
        switch (rng.uniform(0, 2)) {
            case 0: if (at < s.size()) s[at] = c; break;
            case 1: s.insert(s.begin() + static_cast<std::ptrdiff_t>(at), c); break;
            default: if (at < s.size()) s.erase(at, 1); break;
        }
    }
    return s;
}

struct Tally {
    int parsed = 0;
    int refused = 0;
};

void check_challenge(const std::string& text, Tally& tally) {
    auto first = parse_digest_challenge(text);
    if (!first) {
        ++tally.refused;
        CHECK(!first.error().message.empty());
        return;
    }
    ++tally.parsed;
    const std::string written = first->to_string();
    auto second = parse_digest_challenge(written);
    REQUIRE_MESSAGE(second, written);
    CHECK(*second == *first);
    CHECK(second->to_string() == written);
    CHECK(written.find_first_of("\r\n") == std::string::npos);
}

void check_credentials(const std::string& text, Tally& tally) {
    auto first = parse_digest_credentials(text);
    if (!first) {
        ++tally.refused;
        CHECK(!first.error().message.empty());
        return;
    }
    ++tally.parsed;
    const std::string written = first->to_string();
    auto second = parse_digest_credentials(written);
    REQUIRE_MESSAGE(second, written);
    CHECK(*second == *first);
    CHECK(second->to_string() == written);
    CHECK(written.find_first_of("\r\n") == std::string::npos);
}

}  // namespace

TEST_CASE("auth values: every prefix of a challenge parses to a fixed point or names its fault") {
    Tally tally;
    for (const char* full : kChallenges) {
        const std::string s(full);
        for (std::size_t n = 0; n <= s.size(); ++n) check_challenge(s.substr(0, n), tally);
    }
    CHECK(tally.parsed > 0);
    CHECK(tally.refused > 0);
}

TEST_CASE("auth values: every prefix of credentials parses to a fixed point or names its fault") {
    Tally tally;
    for (const char* full : kCredentials) {
        const std::string s(full);
        for (std::size_t n = 0; n <= s.size(); ++n) check_credentials(s.substr(0, n), tally);
    }
    CHECK(tally.parsed > 0);
    CHECK(tally.refused > 0);
}

TEST_CASE("auth values: damaged challenges and credentials parse to a fixed point or name their fault") {
    SeededRandom rng(20261122);
    Tally challenges, credentials;
    for (int i = 0; i < 3000; ++i) {
        for (const char* c : kChallenges) check_challenge(mutate(c, rng), challenges);
        for (const char* c : kCredentials) check_credentials(mutate(c, rng), credentials);
    }
    CHECK(challenges.parsed > 100);
    CHECK(challenges.refused > 100);
    CHECK(credentials.parsed > 100);
    CHECK(credentials.refused > 100);
}

TEST_CASE("auth values: control characters in quoted-strings are refused, and never written raw") {
    auto ch = parse_digest_challenge(std::string("Digest realm=\"a\x01" "b\", nonce=\"n\""));
    REQUIRE_FALSE(ch);
    CHECK(ch.error().message == "control character 0x01 in quoted-string of parameter 'realm'");
    auto lf = parse_digest_challenge("Digest realm=\"a\\\nb\", nonce=\"n\"");
    REQUIRE_FALSE(lf);
    CHECK(lf.error().message == "escaped line break in quoted-string of parameter 'realm'");

    DigestChallenge built;
    built.realm = "evil\r\nVia: x";
    built.nonce = std::string("n\0", 2);
    const std::string text = built.to_string();
    CHECK(text == std::string("Digest realm=\"evil  Via: x\", nonce=\"n\\\0\"", 40));
}
