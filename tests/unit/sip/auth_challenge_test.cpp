#include <doctest/doctest.h>

#include "dialtone/sip/auth.hpp"

using namespace dialtone::sip;

TEST_CASE("WWW-Authenticate: the RFC 3261 §20.44 example challenge") {
    auto ch = parse_digest_challenge(
        "Digest realm=\"atlanta.com\", domain=\"sip:boxesbybob.com\", qop=\"auth\", "
        "nonce=\"f84f1cec41e6cbe5aea9c8e88d359\", opaque=\"\", stale=FALSE, algorithm=MD5");
    REQUIRE(ch);
    CHECK(ch->realm == "atlanta.com");
    CHECK(ch->domain == std::vector<std::string>{"sip:boxesbybob.com"});
    CHECK(ch->qop == std::vector<std::string>{"auth"});
    CHECK(ch->nonce == "f84f1cec41e6cbe5aea9c8e88d359");
    REQUIRE(ch->opaque);
    CHECK(*ch->opaque == "");
    CHECK_FALSE(ch->stale);
    CHECK(ch->algorithm == "MD5");
    CHECK(ch->digest_algorithm() == DigestAlgorithm::Md5);
    CHECK(ch->offers(Qop::Auth));
    CHECK_FALSE(ch->offers(Qop::AuthInt));
}

TEST_CASE("WWW-Authenticate: the RFC 7616 §3.9.1 challenge with a qop list") {
    auto ch = parse_digest_challenge(
        "Digest\n realm=\"http-auth@example.org\",\n qop=\"auth, auth-int\",\n algorithm=SHA-256,\n"
        " nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\",\n"
        " opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\"");
    REQUIRE(ch);
    CHECK(ch->realm == "http-auth@example.org");
    CHECK(ch->qop == std::vector<std::string>{"auth", "auth-int"});
    CHECK(ch->digest_algorithm() == DigestAlgorithm::Sha256);
    CHECK(ch->nonce == "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v");
    CHECK(*ch->opaque == "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS");
}

TEST_CASE("WWW-Authenticate: scheme and parameter names are case-insensitive") {
    auto ch = parse_digest_challenge("dIGEST REALM=\"r\", Nonce=\"n\", STALE=True, Algorithm=sha-512-256-SESS, QOP=\"AUTH-INT\"");
    REQUIRE(ch);
    CHECK(ch->realm == "r");
    CHECK(ch->nonce == "n");
    CHECK(ch->stale);
    CHECK(ch->digest_algorithm() == DigestAlgorithm::Sha512_256Sess);
    CHECK(ch->offers(Qop::AuthInt));
}

TEST_CASE("WWW-Authenticate: whitespace around '=' and commas is allowed") {
    auto ch = parse_digest_challenge("Digest realm = \"r\" ,nonce= \"n\"  ,  opaque =o ,, qop\t=\tauth");
    REQUIRE(ch);
    CHECK(ch->realm == "r");
    CHECK(ch->nonce == "n");
    CHECK(*ch->opaque == "o");
    CHECK(ch->qop == std::vector<std::string>{"auth"});
}

TEST_CASE("WWW-Authenticate: quoted-pairs are unescaped and written back escaped") {
    auto ch = parse_digest_challenge(R"(Digest realm="a \"quoted\" realm\\x", nonce="n,with,commas")");
    REQUIRE(ch);
    CHECK(ch->realm == R"(a "quoted" realm\x)");
    CHECK(ch->nonce == "n,with,commas");
    CHECK(ch->to_string() == R"(Digest realm="a \"quoted\" realm\\x", nonce="n,with,commas")");
}

TEST_CASE("WWW-Authenticate: unquoted base64 nonces are taken whole") {
    auto ch = parse_digest_challenge("Digest realm=r, nonce=YWJj+/d==, algorithm=MD5");
    REQUIRE(ch);
    CHECK(ch->nonce == "YWJj+/d==");
    CHECK(ch->realm == "r");
}

TEST_CASE("WWW-Authenticate: RFC 7616 parameters userhash, charset and domain list") {
    auto ch = parse_digest_challenge(
        "Digest realm=\"api@example.org\", qop=\"auth\", algorithm=SHA-512-256, nonce=\"n\", "
        "opaque=\"o\", charset=UTF-8, userhash=true, domain=\"/a  sip:b.example.com\"");
    REQUIRE(ch);
    CHECK(ch->userhash);
    REQUIRE(ch->charset);
    CHECK(*ch->charset == "UTF-8");
    CHECK(ch->domain == std::vector<std::string>{"/a", "sip:b.example.com"});
    CHECK(ch->digest_algorithm() == DigestAlgorithm::Sha512_256);
}

TEST_CASE("WWW-Authenticate: stale and userhash other than true are false") {
    auto ch = parse_digest_challenge("Digest realm=\"r\", nonce=\"n\", stale=yes, userhash=\"1\"");
    REQUIRE(ch);
    CHECK_FALSE(ch->stale);
    CHECK_FALSE(ch->userhash);
}

TEST_CASE("WWW-Authenticate: unknown parameters are kept in order and survive a round trip") {
    const char* text = "Digest realm=\"r\", nonce=\"n\", ext1=tok, ext2=\"q v\"";
    auto ch = parse_digest_challenge(text);
    REQUIRE(ch);
    REQUIRE(ch->other.size() == 2);
    CHECK(ch->other[0] == AuthParam{"ext1", "tok", false});
    CHECK(ch->other[1] == AuthParam{"ext2", "q v", true});
    CHECK(ch->to_string() == text);
}

TEST_CASE("WWW-Authenticate: an absent algorithm means MD5, an unknown one is reported") {
    auto md5 = parse_digest_challenge("Digest realm=\"r\", nonce=\"n\"");
    REQUIRE(md5);
    CHECK(md5->algorithm.empty());
    CHECK(md5->digest_algorithm() == DigestAlgorithm::Md5);
    auto aka = parse_digest_challenge("Digest realm=\"r\", nonce=\"n\", algorithm=AKAv1-MD5");
    REQUIRE(aka);
    CHECK(aka->algorithm == "AKAv1-MD5");
    CHECK_FALSE(aka->digest_algorithm());
}

TEST_CASE("WWW-Authenticate: challenges are written canonically") {
    DigestChallenge ch;
    ch.realm = "biloxi.com";
    ch.domain = {"sip:biloxi.com", "sip:ss1.biloxi.com"};
    ch.nonce = "dcd98b7102dd2f0e8b11d0f600bfb0c093";
    ch.opaque = "5ccc069c403ebaf9f0171e9517f40e41";
    ch.stale = true;
    ch.algorithm = "SHA-256";
    ch.qop = {"auth", "auth-int"};
    ch.charset = "UTF-8";
    ch.userhash = true;
    const std::string text = ch.to_string();
    CHECK(text ==
          "Digest realm=\"biloxi.com\", domain=\"sip:biloxi.com sip:ss1.biloxi.com\", "
          "nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", opaque=\"5ccc069c403ebaf9f0171e9517f40e41\", "
          "stale=true, algorithm=SHA-256, qop=\"auth,auth-int\", charset=UTF-8, userhash=true");
    auto back = parse_digest_challenge(text);
    REQUIRE(back);
    CHECK(*back == ch);
}

TEST_CASE("WWW-Authenticate: a token value that could not be read back bare is written quoted") {
    DigestChallenge ch;
    ch.realm = "r";
    ch.nonce = "n";
    ch.algorithm = "MD5 sess";
    ch.other = {AuthParam{"x", "a,b", false}, AuthParam{"y", "", false}};
    CHECK(ch.to_string() == "Digest realm=\"r\", nonce=\"n\", algorithm=\"MD5 sess\", x=\"a,b\", y=\"\"");
    auto back = parse_digest_challenge(ch.to_string());
    REQUIRE(back);
    CHECK(back->algorithm == "MD5 sess");
    CHECK(back->other[0].value == "a,b");
}

TEST_CASE("WWW-Authenticate: several challenges in one value") {
    auto all = parse_challenges(
        "Digest realm=\"r\", nonce=\"a\", algorithm=SHA-256, Digest realm=\"r\", nonce=\"b\", "
        "Basic realm=\"r\", Newauth abc==, Digest realm=\"r\", nonce=\"c\"");
    REQUIRE(all);
    REQUIRE(all->size() == 5);
    CHECK((*all)[0].digest->nonce == "a");
    CHECK((*all)[0].digest->algorithm == "SHA-256");
    CHECK((*all)[1].digest->nonce == "b");
    CHECK((*all)[2].scheme == "Basic");
    CHECK_FALSE((*all)[2].is_digest());
    REQUIRE((*all)[2].params.size() == 1);
    CHECK((*all)[2].params[0] == AuthParam{"realm", "r", true});
    CHECK((*all)[3].scheme == "Newauth");
    CHECK((*all)[3].token68 == "abc==");
    CHECK((*all)[4].digest->nonce == "c");
}

TEST_CASE("WWW-Authenticate: other schemes are reported as unsupported, not as errors") {
    auto ch = parse_challenge("Basic realm=\"WallyWorld\"");
    REQUIRE(ch);
    CHECK(ch->scheme == "Basic");
    CHECK_FALSE(ch->is_digest());
    auto d = parse_digest_challenge("Basic realm=\"WallyWorld\"");
    REQUIRE_FALSE(d);
    CHECK(d.error().message == "unsupported authentication scheme 'Basic'");
    CHECK(d.error().status == 0);
}

TEST_CASE("WWW-Authenticate: malformed challenges name the fault") {
    struct Row {
        const char* value;
        const char* error;
    };
    const Row rows[] = {
        {"", "empty authentication header value"},
        {"Digest nonce=\"n\"", "Digest challenge without realm"},
        {"Digest realm=\"r\"", "Digest challenge without nonce"},
        {"Digest realm=\"r\", nonce=\"\"", "Digest challenge with an empty nonce"},
        {"Digest realm=\"r\", nonce=\"n", "unterminated quoted-string in parameter 'nonce'"},
        {"Digest realm=\"r\", nonce=\"n\", nonce=\"m\"", "duplicate parameter 'nonce' in Digest challenge"},
        {"Digest realm=\"r\", nonce=", "missing value for parameter 'nonce'"},
        {"Digest realm=\"r\" nonce=\"n\"", "unexpected character 'n' after parameter 'realm'"},
        {"=x", "expected an auth scheme, found '='"},
        {"Digest realm=", "Digest challenge without parameters: 'realm='"},
    };
    for (const Row& row : rows) {
        CAPTURE(row.value);
        auto ch = parse_digest_challenge(row.value);
        REQUIRE_FALSE(ch);
        CHECK(ch.error().message == row.error);
    }
    auto nul = parse_digest_challenge(std::string_view("Digest realm=r\0x, nonce=n", 25));
    REQUIRE_FALSE(nul);
    CHECK(nul.error().message == "unexpected character 0x00 after parameter 'realm'");
    auto two = parse_challenge("Digest realm=\"r\", nonce=\"a\", Digest realm=\"r\", nonce=\"b\"");
    REQUIRE_FALSE(two);
    CHECK(two.error().message == "expected one challenge, found 2");
    CHECK(two.error().status == 400);
}

TEST_CASE("algorithm and qop tokens parse without regard to case and print canonically") {
    CHECK(parse_digest_algorithm("md5-SESS") == DigestAlgorithm::Md5Sess);
    CHECK(parse_digest_algorithm("SHA-256") == DigestAlgorithm::Sha256);
    CHECK(parse_digest_algorithm("sha-512-256-sess") == DigestAlgorithm::Sha512_256Sess);
    CHECK_FALSE(parse_digest_algorithm("SHA-512"));
    CHECK_FALSE(parse_digest_algorithm(""));
    CHECK(to_string(DigestAlgorithm::Sha512_256) == "SHA-512-256");
    CHECK(to_string(DigestAlgorithm::Sha256Sess) == "SHA-256-sess");
    CHECK(parse_qop("Auth-Int") == Qop::AuthInt);
    CHECK_FALSE(parse_qop("auth-conf"));
    CHECK(to_string(Qop::AuthInt) == "auth-int");
}
