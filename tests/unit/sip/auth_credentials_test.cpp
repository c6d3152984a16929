#include <doctest/doctest.h>

#include "dialtone/sip/auth.hpp"

using namespace dialtone::sip;

TEST_CASE("Authorization: the RFC 3261 §20.7 example credentials") {
    auto cr = parse_digest_credentials(
        "Digest username=\"Alice\", realm=\"atlanta.com\", nonce=\"84a4cc6f3082121f32b42a2187831a9e\", "
        "response=\"7587245234b3434cc3412213e5f113a5432\"");
    // The RFC's example has no uri, which the grammar requires.
    REQUIRE_FALSE(cr);
    CHECK(cr.error().message == "Digest credentials without uri");
    CHECK(cr.error().status == 400);
}

TEST_CASE("Authorization: the RFC 2617 §3.5 credentials parse field by field") {
    auto cr = parse_digest_credentials(
        "Digest username=\"Mufasa\",\n realm=\"testrealm@host.com\",\n"
        " nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\",\n uri=\"/dir/index.html\",\n"
        " qop=auth,\n nc=00000001,\n cnonce=\"0a4f113b\",\n"
        " response=\"6629fae49393a05397450978507c4ef1\",\n opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"");
    REQUIRE(cr);
    CHECK(cr->username == "Mufasa");
    CHECK(cr->realm == "testrealm@host.com");
    CHECK(cr->nonce == "dcd98b7102dd2f0e8b11d0f600bfb0c093");
    CHECK(cr->uri == "/dir/index.html");
    CHECK(cr->qop == Qop::Auth);
    CHECK(cr->nc == 1u);
    CHECK(*cr->cnonce == "0a4f113b");
    CHECK(cr->response == "6629fae49393a05397450978507c4ef1");
    CHECK(*cr->opaque == "5ccc069c403ebaf9f0171e9517f40e41");
    CHECK(cr->algorithm.empty());
    CHECK(cr->digest_algorithm() == DigestAlgorithm::Md5);
    CHECK_FALSE(cr->userhash);
}

TEST_CASE("Authorization: credentials are written in canonical order, nc as 8 hex digits") {
    DigestCredentials cr;
    cr.username = "bob";
    cr.realm = "biloxi.com";
    cr.nonce = "dcd98b7102dd2f0e8b11d0f600bfb0c093";
    cr.uri = "sip:bob@biloxi.com";
    cr.response = "245f23415f11432b3434341c022";
    cr.algorithm = "SHA-256-sess";
    cr.cnonce = "0a4f113b";
    cr.opaque = "";
    cr.qop = Qop::AuthInt;
    cr.nc = 0x1a;
    cr.userhash = true;
    const std::string text = cr.to_string();
    CHECK(text ==
          "Digest username=\"bob\", realm=\"biloxi.com\", nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", "
          "uri=\"sip:bob@biloxi.com\", response=\"245f23415f11432b3434341c022\", algorithm=SHA-256-sess, "
          "cnonce=\"0a4f113b\", opaque=\"\", qop=auth-int, nc=0000001a, userhash=true");
    auto back = parse_digest_credentials(text);
    REQUIRE(back);
    CHECK(*back == cr);
}

TEST_CASE("Authorization: without qop, cnonce and nc are left out (RFC 2069 form)") {
    DigestCredentials cr;
    cr.username = "a";
    cr.realm = "r";
    cr.nonce = "n";
    cr.uri = "sip:r";
    cr.response = "00";
    CHECK(cr.to_string() == "Digest username=\"a\", realm=\"r\", nonce=\"n\", uri=\"sip:r\", response=\"00\"");
}

TEST_CASE("Authorization: a quoted qop and an upper-case nc are tolerated") {
    auto cr = parse_digest_credentials(
        "Digest username=\"u\", realm=\"r\", nonce=\"n\", uri=\"sip:x\", response=\"AB12\", "
        "qop=\"auth\", nc=0000000A, cnonce=\"c\"");
    REQUIRE(cr);
    CHECK(cr->qop == Qop::Auth);
    CHECK(cr->nc == 10u);
}

TEST_CASE("Authorization: username* carries a UTF-8 user name (RFC 7616 §3.4)") {
    auto cr = parse_digest_credentials(
        "Digest username*=UTF-8''J%C3%A4s%C3%B8n%20Doe, realm=\"r\", nonce=\"n\", uri=\"/\", response=\"00\"");
    REQUIRE(cr);
    CHECK(cr->username == "J\xC3\xA4s\xC3\xB8n Doe");
}

TEST_CASE("Authorization: unknown parameters are kept") {
    auto cr = parse_digest_credentials(
        "Digest username=\"u\", realm=\"r\", nonce=\"n\", uri=\"sip:x\", response=\"00\", auts=\"abc\"");
    REQUIRE(cr);
    REQUIRE(cr->other.size() == 1);
    CHECK(cr->other[0] == AuthParam{"auts", "abc", true});
    CHECK(cr->to_string() ==
          "Digest username=\"u\", realm=\"r\", nonce=\"n\", uri=\"sip:x\", response=\"00\", auts=\"abc\"");
}

TEST_CASE("Authorization: malformed credentials name the fault") {
    const std::string ok = "Digest username=\"u\", realm=\"r\", nonce=\"n\", uri=\"sip:x\", response=\"00\"";
    struct Row {
        std::string value;
        const char* error;
    };
    const Row rows[] = {
        {"Digest realm=\"r\", nonce=\"n\", uri=\"sip:x\", response=\"00\"", "Digest credentials without username"},
        {"Digest username=\"u\", nonce=\"n\", uri=\"sip:x\", response=\"00\"", "Digest credentials without realm"},
        {"Digest username=\"u\", realm=\"r\", uri=\"sip:x\", response=\"00\"", "Digest credentials without nonce"},
        {"Digest username=\"u\", realm=\"r\", nonce=\"n\", uri=\"sip:x\"", "Digest credentials without response"},
        {ok + ", qop=auth, nc=00000001", "Digest credentials with qop but without cnonce"},
        {ok + ", qop=auth, cnonce=\"c\"", "Digest credentials with qop but without nc"},
        {ok + ", qop=auth-conf, nc=00000001, cnonce=\"c\"", "unknown qop 'auth-conf' in Digest credentials"},
        {ok + ", qop=auth, nc=1, cnonce=\"c\"", "bad nc '1': want 8 hex digits"},
        {ok + ", qop=auth, nc=0000000g, cnonce=\"c\"", "bad nc '0000000g': want 8 hex digits"},
        {ok + ", realm=\"s\"", "duplicate parameter 'realm' in Digest credentials"},
        {"Digest username=\"u\", realm=\"r\", nonce=\"n\", uri=\"sip:x\", response=\"xyz\"",
         "response in Digest credentials is not hex"},
        {ok + ", username*=UTF-8''x", "Digest credentials with both username and username*"},
        {"Digest username*=latin1''x, realm=\"r\", nonce=\"n\", uri=\"/\", response=\"00\"",
         "bad username*: charset is not UTF-8"},
        {ok + ", Digest username=\"v\"", "expected one set of credentials, found 2"},
    };
    for (const Row& row : rows) {
        CAPTURE(row.value);
        auto cr = parse_digest_credentials(row.value);
        REQUIRE_FALSE(cr);
        CHECK(cr.error().message == row.error);
    }
    CHECK(parse_digest_credentials(ok));
}

TEST_CASE("Authorization: a scheme other than Digest is unsupported, not a syntax error") {
    auto cr = parse_digest_credentials("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
    REQUIRE_FALSE(cr);
    CHECK(cr.error().message == "unsupported authorization scheme 'Basic'");
    CHECK(cr.error().status == 0);
}

TEST_CASE("nonce-count is always eight lower-case hex digits") {
    CHECK(format_nonce_count(1) == "00000001");
    CHECK(format_nonce_count(0xabcdef) == "00abcdef");
    CHECK(format_nonce_count(0xffffffff) == "ffffffff");
}
