#include "dialtone/sip/parser.hpp"
#include "dialtone/sip/validate.hpp"

#include <doctest/doctest.h>

#include <string>
#include <string_view>

using namespace dialtone::sip;

namespace {

// Lines joined with CRLF, then the empty line, then the body.
Message parse(std::string_view head, std::string_view body = {}) {
    std::string wire;
    for (char c : head) {
        if (c == '\n') wire += "\r\n";
        else wire += c;
    }
    wire += "\r\n";
    wire += body;
    auto m = parse_message(wire);
    REQUIRE_MESSAGE(m.ok(), (m.ok() ? std::string() : m.error().message));
    return std::move(m).value();
}

constexpr std::string_view options_head =
    "OPTIONS sip:bob@example.com SIP/2.0\n"
    "Via: SIP/2.0/UDP pc.example.com;branch=z9hG4bK776asdhds\n"
    "Max-Forwards: 70\n"
    "To: <sip:bob@example.com>\n"
    "From: Alice <sip:alice@example.com>;tag=1928301774\n"
    "Call-ID: a84b4c76e66710@pc.example.com\n"
    "CSeq: 63104 OPTIONS\n"
    "Content-Length: 0\n";

std::string with(std::string_view head, std::string_view line) { return std::string(head) + std::string(line) + "\n"; }

std::string replace(std::string_view head, std::string_view from, std::string_view to) {
    std::string s(head);
    const auto at = s.find(from);
    REQUIRE(at != std::string::npos);
    s.replace(at, from.size(), to);
    return s;
}

}  // namespace

TEST_CASE("a well-formed OPTIONS request passes every receipt check") {
    CHECK_FALSE(validate_request(parse(options_head)).has_value());
    CHECK_FALSE(validate(parse(options_head)).has_value());
}

TEST_CASE("§21.5.6: a SIP version other than 2.0 earns 505") {
    auto r = validate_request(parse(replace(options_head, "SIP/2.0\n", "SIP/7.0\n")));
    REQUIRE(r.has_value());
    CHECK(r->status == 505);
    CHECK(r->reason.find("SIP/7.0") != std::string::npos);
}

TEST_CASE("§8.1.1: every missing mandatory header is named in one 400") {
    auto r = validate_request(parse("INVITE sip:bob@example.com SIP/2.0\n"
                                    "CSeq: 1 INVITE\n"
                                    "Via: SIP/2.0/UDP pc.example.com;branch=z9hG4bK1\n"
                                    "Content-Length: 0\n"));
    REQUIRE(r.has_value());
    CHECK(r->status == 400);
    CHECK(r->reason == "Missing To, From, Call-ID headers");
}

TEST_CASE("§8.1.1: a single missing Via is named alone") {
    auto r = validate_request(parse(replace(options_head, "Via: SIP/2.0/UDP pc.example.com;branch=z9hG4bK776asdhds\n", "")));
    REQUIRE(r.has_value());
    CHECK(r->status == 400);
    CHECK(r->reason == "Missing Via header");
}

TEST_CASE("Max-Forwards may be absent: RFC 2543 peers omit it") {
    CHECK_FALSE(validate_request(parse(replace(options_head, "Max-Forwards: 70\n", ""))).has_value());
}

TEST_CASE("a second Call-ID line is a 400 naming Call-ID") {
    auto r = validate_request(parse(with(options_head, "Call-ID: other@pc.example.com")));
    REQUIRE(r.has_value());
    CHECK(r->status == 400);
    CHECK(r->reason == "More than one Call-ID header");
}

TEST_CASE("§8.1.1.5: the CSeq method must equal the request method") {
    auto r = validate_request(parse(replace(options_head, "CSeq: 63104 OPTIONS", "CSeq: 63104 INVITE")));
    REQUIRE(r.has_value());
    CHECK(r->status == 400);
    CHECK(r->reason.find("CSeq method INVITE") != std::string::npos);
    CHECK(r->reason.find("OPTIONS") != std::string::npos);
}

TEST_CASE("§8.1.1.5: a CSeq number of 2**31 or more is a 400 naming CSeq") {
    auto r = validate_request(parse(replace(options_head, "CSeq: 63104", "CSeq: 2147483648")));
    REQUIRE(r.has_value());
    CHECK(r->status == 400);
    CHECK(r->reason.find("CSeq") != std::string::npos);
    CHECK_FALSE(validate_request(parse(replace(options_head, "CSeq: 63104", "CSeq: 2147483647"))).has_value());
}

TEST_CASE("CSeq without a method or with a non-numeric sequence is a 400") {
    for (std::string_view bad : {"CSeq: 63104", "CSeq: OPTIONS", "CSeq: 12a OPTIONS", "CSeq: -1 OPTIONS"}) {
        auto r = validate_request(parse(replace(options_head, "CSeq: 63104 OPTIONS", bad)));
        REQUIRE(r.has_value());
        CHECK(r->status == 400);
        CHECK(r->reason.find("CSeq") != std::string::npos);
    }
}

TEST_CASE("§20.22: Max-Forwards keeps leading zeros but not values over 255") {
    CHECK_FALSE(validate_request(parse(replace(options_head, "Max-Forwards: 70", "Max-Forwards: 0068"))).has_value());
    auto r = validate_request(parse(replace(options_head, "Max-Forwards: 70", "Max-Forwards: 300")));
    REQUIRE(r.has_value());
    CHECK(r->status == 400);
    CHECK(r->reason.find("Max-Forwards") != std::string::npos);
    auto x = validate_request(parse(replace(options_head, "Max-Forwards: 70", "Max-Forwards: seventy")));
    REQUIRE(x.has_value());
    CHECK(x->reason.find("Max-Forwards") != std::string::npos);
}

TEST_CASE("Max-Forwards 0 is answered by the UA it is addressed to") {
    const std::string zero = replace(options_head, "Max-Forwards: 70", "Max-Forwards: 0");
    CHECK_FALSE(validate_request(parse(zero)).has_value());
    ReceiptPolicy proxy;
    proxy.forwards = true;
    // §16.3 step 3: an element that would forward may still answer OPTIONS itself ...
    CHECK_FALSE(validate_request(parse(zero), proxy).has_value());
    // ... but any other method has run out of hops.
    auto r = validate_request(parse(replace(replace(zero, "OPTIONS sip", "INFO sip"), "63104 OPTIONS", "63104 INFO")), proxy);
    REQUIRE(r.has_value());
    CHECK(r->status == 483);
}

TEST_CASE("§8.2.2.1: a Request-URI scheme other than sip, sips or tel earns 416") {
    auto r = validate_request(parse(replace(options_head, "OPTIONS sip:bob@example.com", "OPTIONS mailto:bob@example.com")));
    REQUIRE(r.has_value());
    CHECK(r->status == 416);
    CHECK(r->reason.find("mailto") != std::string::npos);
    CHECK_FALSE(validate_request(parse(replace(options_head, "OPTIONS sip:bob@example.com", "OPTIONS tel:+1-201-555-0123"))).has_value());
}

TEST_CASE("a Request-URI in angle brackets has no scheme: 400, not 416") {
    auto r = validate_request(parse(replace(options_head, "OPTIONS sip:bob@example.com", "OPTIONS <sip:bob@example.com>")));
    REQUIRE(r.has_value());
    CHECK(r->status == 400);
    CHECK(r->reason.find("Request-URI") != std::string::npos);
}

TEST_CASE("§19.1.1: a SIP Request-URI must not carry headers") {
    auto r = validate_request(parse(replace(options_head, "OPTIONS sip:bob@example.com", "OPTIONS sip:bob@example.com?Subject=hi")));
    REQUIRE(r.has_value());
    CHECK(r->status == 400);
    CHECK(r->reason.find("Request-URI") != std::string::npos);
}

TEST_CASE("§8.2.1: an unknown method earns 501, a known but refused one 405") {
    auto r = validate_request(parse(replace(replace(options_head, "OPTIONS sip", "FROBNICATE sip"), "63104 OPTIONS", "63104 FROBNICATE")));
    REQUIRE(r.has_value());
    CHECK(r->status == 501);
    CHECK(r->reason.find("FROBNICATE") != std::string::npos);

    ReceiptPolicy ua;
    ua.allowed_methods = {"INVITE", "ACK", "BYE", "CANCEL"};
    auto n = validate_request(parse(options_head), ua);
    REQUIRE(n.has_value());
    CHECK(n->status == 405);
}

TEST_CASE("§8.2.2.3: unsupported Require tags earn 420 listing each of them") {
    const std::string head = with(options_head, "Require: 100rel, foo,  bar");
    ReceiptPolicy ua;
    ua.supported = {"100rel"};
    auto r = validate_request(parse(head), ua);
    REQUIRE(r.has_value());
    CHECK(r->status == 420);
    REQUIRE(r->unsupported.size() == 2);
    CHECK(r->unsupported[0] == "foo");
    CHECK(r->unsupported[1] == "bar");
    CHECK(r->reason == "Bad Extension: foo, bar");
}

TEST_CASE("§8.2.2.3: Require is not checked on CANCEL") {
    const std::string cancel = replace(replace(options_head, "OPTIONS sip", "CANCEL sip"), "63104 OPTIONS", "63104 CANCEL");
    CHECK_FALSE(validate_request(parse(with(cancel, "Require: foo"))).has_value());
}

TEST_CASE("§8.2.3: a body of an unknown type earns 415 naming the type") {
    const std::string head = replace(options_head, "Content-Length: 0\n", "Content-Type: application/x-unknown\nContent-Length: 3\n");
    auto r = validate_request(parse(head, "abc"));
    REQUIRE(r.has_value());
    CHECK(r->status == 415);
    CHECK(r->reason.find("application/x-unknown") != std::string::npos);
}

TEST_CASE("§8.2.3: an unknown Content-Encoding earns 415") {
    const std::string head = replace(options_head, "Content-Length: 0\n",
                                     "Content-Type: application/sdp\nContent-Encoding: gzip\nContent-Length: 3\n");
    auto r = validate_request(parse(head, "abc"));
    REQUIRE(r.has_value());
    CHECK(r->status == 415);
    CHECK(r->reason.find("gzip") != std::string::npos);
}

TEST_CASE("§7.4.1: a non-empty body needs a Content-Type") {
    auto r = validate_request(parse(replace(options_head, "Content-Length: 0", "Content-Length: 3"), "abc"));
    REQUIRE(r.has_value());
    CHECK(r->status == 400);
    CHECK(r->reason.find("Content-Type") != std::string::npos);
}

TEST_CASE("§21.4.7: an INVITE whose Accept rules out SDP earns 406; wildcards allow it") {
    const std::string invite = replace(replace(options_head, "OPTIONS sip", "INVITE sip"), "63104 OPTIONS", "63104 INVITE");
    auto r = validate_request(parse(with(invite, "Accept: text/plain")));
    REQUIRE(r.has_value());
    CHECK(r->status == 406);
    CHECK_FALSE(validate_request(parse(with(invite, "Accept: application/*"))).has_value());
    CHECK_FALSE(validate_request(parse(with(invite, "Accept: text/plain, application/sdp;level=1"))).has_value());
}

TEST_CASE("§20.17: a Date not in GMT is a 400 naming Date") {
    auto r = validate_request(parse(with(options_head, "Date: Fri, 01 Jan 2010 16:00:00 EST")));
    REQUIRE(r.has_value());
    CHECK(r->status == 400);
    CHECK(r->reason.find("Date") != std::string::npos);
    CHECK_FALSE(validate_request(parse(with(options_head, "Date: Sat, 13 Nov 2010 23:29:00 GMT"))).has_value());
}

TEST_CASE("§20.10: a Contact URI with headers outside <> is a 400 naming Contact") {
    auto r = validate_request(parse(with(options_head, "Contact: sip:a@example.com?Route=%3Csip:b%3E")));
    REQUIRE(r.has_value());
    CHECK(r->status == 400);
    CHECK(r->reason.find("Contact") != std::string::npos);
    CHECK_FALSE(validate_request(parse(with(options_head, "Contact: <sip:a@example.com?Route=%3Csip:b%3E>"))).has_value());
}

TEST_CASE("§20.10: an unterminated quoted display name is a 400 naming the header") {
    auto r = validate_request(parse(replace(options_head, "To: <sip:bob@example.com>", "To: \"Mr. B <sip:bob@example.com>")));
    REQUIRE(r.has_value());
    CHECK(r->status == 400);
    CHECK(r->reason.rfind("Bad To header", 0) == 0);
}

TEST_CASE("§25.1: a display name of non-token characters must be quoted") {
    auto r = validate_request(parse(replace(options_head, "From: Alice <", "From: Liddell, Alice <")));
    REQUIRE(r.has_value());
    CHECK(r->status == 400);
    CHECK(r->reason.rfind("Bad From header", 0) == 0);
}

TEST_CASE("§20.42: a Via with empty parameters is a 400 naming Via") {
    auto r = validate_request(parse(replace(options_head, "pc.example.com;branch=z9hG4bK776asdhds", "192.0.2.15;;,;,,")));
    REQUIRE(r.has_value());
    CHECK(r->status == 400);
    CHECK(r->reason.rfind("Bad Via header", 0) == 0);
}

TEST_CASE("Contact: * is accepted alone") {
    CHECK_FALSE(validate_request(parse(with(options_head, "Contact: *"))).has_value());
}

TEST_CASE("Via: a branch that is the magic cookie alone is a 400") {
    auto r = validate_request(parse(replace(options_head, "branch=z9hG4bK776asdhds", "branch=z9hG4bK")));
    REQUIRE(r.has_value());
    CHECK(r->status == 400);
    CHECK(r->reason.find("Via") != std::string::npos);
}

TEST_CASE("reason phrases never carry control characters from the message") {
    auto r = validate_request(parse(replace(options_head, "OPTIONS sip:bob@example.com", "OPTIONS x\x01y:bob")));
    REQUIRE(r.has_value());
    for (char c : r->reason) CHECK(static_cast<unsigned char>(c) >= 0x20);
}

TEST_CASE("§8.1.3.3: a response with more than one Via is discarded") {
    constexpr std::string_view ok = "SIP/2.0 200 OK\n"
                                    "Via: SIP/2.0/UDP pc.example.com;branch=z9hG4bK776asdhds\n"
                                    "To: <sip:bob@example.com>;tag=a6c85cf\n"
                                    "From: Alice <sip:alice@example.com>;tag=1928301774\n"
                                    "Call-ID: a84b4c76e66710@pc.example.com\n"
                                    "CSeq: 63104 OPTIONS\n"
                                    "Content-Length: 0\n";
    CHECK_FALSE(validate_response(parse(ok)).has_value());
    auto r = validate_response(parse(with(ok, "Via: SIP/2.0/UDP proxy.example.com;branch=z9hG4bK2")));
    REQUIRE(r.has_value());
    CHECK(r->reason.find("Via") != std::string::npos);
}

TEST_CASE("§21: a status code outside 100-699 is discarded") {
    Message m = Message::response(700, "Odd");
    m.add_header(HeaderId::Via, "SIP/2.0/UDP pc.example.com;branch=z9hG4bK776asdhds");
    m.add_header(HeaderId::To, "<sip:bob@example.com>;tag=a6c85cf");
    m.add_header(HeaderId::From, "<sip:alice@example.com>;tag=1928301774");
    m.add_header(HeaderId::CallId, "a84b4c76e66710@pc.example.com");
    m.add_header(HeaderId::CSeq, "63104 OPTIONS");
    auto r = validate_response(m);
    REQUIRE(r.has_value());
    CHECK(r->reason == "Bad status code 700");
    CHECK(validate(m).has_value());
    CHECK(validate_request(m).has_value());  // a response is not a request
}
