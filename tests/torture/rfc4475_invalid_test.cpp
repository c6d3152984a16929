// RFC 4475 §3.1.2: invalid messages. Each is refused by the parser or by the receipt checks
// with the status the RFC asks for and a reason naming the element at fault. Where the RFC
// allows an element to be liberal instead, the test accepts either outcome but checks that the
// liberal one is right.
#include "torture_util.hpp"

#include "dialtone/sip/framer.hpp"

using namespace torture;

TEST_CASE("RFC 4475 3.1.2.1 badinv01: extraneous header field separators") {
    expect_rejected("torture/rfc4475/badinv01.sip", 400, {"Via"});
}

TEST_CASE("RFC 4475 3.1.2.2 clerr: Content-Length larger than the message") {
    const std::string wire = load("torture/rfc4475/clerr.sip");
    auto m = parse_message(wire);  // a datagram: the declared body is not there (§18.3)
    REQUIRE_FALSE(m.ok());
    CHECK(m.error().status == 400);
    CHECK(m.error().message.find("Content-Length") != std::string::npos);
    // On a stream the framer keeps waiting for the rest of the body.
    StreamFramer framer;
    REQUIRE(framer.feed(wire).ok());
    auto popped = framer.pop();
    REQUIRE(popped.ok());
    CHECK_FALSE(popped->has_value());
}

TEST_CASE("RFC 4475 3.1.2.3 ncl: negative Content-Length") {
    auto m = parse_message(load("torture/rfc4475/ncl.sip"));
    REQUIRE_FALSE(m.ok());
    CHECK(m.error().status == 400);
    CHECK(m.error().message.find("Content-Length") != std::string::npos);
}

TEST_CASE("RFC 4475 3.1.2.4 scalar02: request scalar fields with overlarge values") {
    // CSeq, Max-Forwards, Expires and the Contact expires are all out of range; the RFC asks
    // for a 400 "due to the CSeq error".
    expect_rejected("torture/rfc4475/scalar02.sip", 400, {"CSeq"});
}

TEST_CASE("RFC 4475 3.1.2.5 scalarlg: response scalar fields with overlarge values") {
    // A response is not answered: the receipt checks say to discard it.
    const Message m = parse_file("torture/rfc4475/scalarlg.sip");
    auto r = validate(m);
    REQUIRE(r.has_value());
    CHECK(r->reason.find("CSeq") != std::string::npos);
}

TEST_CASE("RFC 4475 3.1.2.6 quotbal: unterminated quoted string in display name") {
    expect_rejected("torture/rfc4475/quotbal.sip", 400, {"To"});
}

TEST_CASE("RFC 4475 3.1.2.7 ltgtruri: <> enclosing Request-URI") {
    expect_rejected("torture/rfc4475/ltgtruri.sip", 400, {"Request-URI", "request line"});
}

TEST_CASE("RFC 4475 3.1.2.8 lwsruri: malformed SIP Request-URI (embedded LWS)") {
    expect_rejected("torture/rfc4475/lwsruri.sip", 400, {"Request-URI", "request line"});
}

TEST_CASE("RFC 4475 3.1.2.9 lwsstart: multiple SP separating Request-Line elements") {
    // Either rejected as malformed, or read liberally and forwarded without the extra SPs.
    auto m = parse_message(load("torture/rfc4475/lwsstart.sip"));
    if (!m.ok()) {
        CHECK(m.error().status == 400);
        CHECK(mentions(m.error().message, {"request line", "Request-URI"}));
    } else {
        CHECK(m->request_uri() == "sip:user@example.com");
        CHECK(m->serialize().rfind("INVITE sip:user@example.com SIP/2.0\r\n", 0) == 0);
    }
}

TEST_CASE("RFC 4475 3.1.2.10 trws: SP characters at end of Request-Line") {
    auto m = parse_message(load("torture/rfc4475/trws.sip"));
    if (!m.ok()) {
        CHECK(m.error().status == 400);
        CHECK(mentions(m.error().message, {"request line", "version"}));
    } else {
        CHECK(m->version() == "SIP/2.0");
        CHECK(m->serialize().rfind("OPTIONS sip:remote-target@example.com SIP/2.0\r\n", 0) == 0);
    }
}

TEST_CASE("RFC 4475 3.1.2.11 escruri: escaped headers in SIP Request-URI") {
    expect_rejected("torture/rfc4475/escruri.sip", 400, {"Request-URI"});
}

TEST_CASE("RFC 4475 3.1.2.12 baddate: invalid time zone in Date header field") {
    expect_rejected("torture/rfc4475/baddate.sip", 400, {"Date"});
}

TEST_CASE("RFC 4475 3.1.2.13 regbadct: failure to enclose name-addr URI in <>") {
    expect_rejected("torture/rfc4475/regbadct.sip", 400, {"Contact"});
}

TEST_CASE("RFC 4475 3.1.2.14 badaspec: spaces within addr-spec") {
    expect_rejected("torture/rfc4475/badaspec.sip", 400, {"To"});
}

TEST_CASE("RFC 4475 3.1.2.15 baddn: non-token characters in display name") {
    expect_rejected("torture/rfc4475/baddn.sip", 400, {"From", "To"});
}

TEST_CASE("RFC 4475 3.1.2.16 badvers: unknown protocol version") {
    expect_rejected("torture/rfc4475/badvers.sip", 505, {"SIP/7.0"});
}

TEST_CASE("RFC 4475 3.1.2.17 mismatch01: start line and CSeq method mismatch") {
    expect_rejected("torture/rfc4475/mismatch01.sip", 400, {"CSeq"});
}

TEST_CASE("RFC 4475 3.1.2.18 mismatch02: unknown method with CSeq method mismatch") {
    // A 400 for the mismatch, not a 501 for the unknown method.
    expect_rejected("torture/rfc4475/mismatch02.sip", 400, {"CSeq"});
}

TEST_CASE("RFC 4475 3.1.2.19 bigcode: overlarge response code") {
    expect_rejected("torture/rfc4475/bigcode.sip", 400, {"status"});
}

TEST_CASE("RFC 4475 3.2.1 badbranch: missing transaction identifier") {
    // The branch is the magic cookie alone; rejecting it (rather than falling back to RFC 2543
    // matching) is the option the RFC lists first.
    expect_rejected("torture/rfc4475/badbranch.sip", 400, {"Via"});
}
