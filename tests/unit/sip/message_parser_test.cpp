#include "dialtone/sip/parser.hpp"
#include "message_test_util.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace dialtone::sip;
using dialtone::sip::test::crlf;

namespace {

const std::string kInvite = crlf(
    "INVITE sip:bob@biloxi.example.com SIP/2.0\n"
    "Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds\n"
    "Max-Forwards: 70\n"
    "To: Bob <sip:bob@biloxi.example.com>\n"
    "From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\n"
    "Call-ID: a84b4c76e66710@pc33.atlanta.example.com\n"
    "CSeq: 314159 INVITE\n"
    "Contact: <sip:alice@pc33.atlanta.example.com>\n"
    "Content-Type: application/sdp\n"
    "Content-Length: 5\n"
    "\n"
    "v=0\n");

std::string error_of(std::string_view bytes, const ParseOptions& options = {}) {
    auto r = parse_message(bytes, options);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().status == 400);
    return r.error().message;
}

}  // namespace

TEST_CASE("request line: method, Request-URI and version (RFC 3261 §7.1)") {
    auto r = parse_message(kInvite);
    REQUIRE(r.ok());
    const Message& m = *r;
    CHECK(m.is_request());
    CHECK(m.method() == Method::Invite);
    CHECK(m.method_text() == "INVITE");
    CHECK(m.request_uri() == "sip:bob@biloxi.example.com");
    CHECK(m.version() == "SIP/2.0");
    CHECK(m.status_code() == 0);
    CHECK(m.headers().size() == 9);
    CHECK(m.body() == "v=0\r\n");
}

TEST_CASE("status line: code and a reason phrase with spaces (RFC 3261 §7.2)") {
    auto r = parse_message(crlf("SIP/2.0 180 Ringing Now\nContent-Length: 0\n\n"));
    REQUIRE(r.ok());
    CHECK(r->is_response());
    CHECK(r->status_code() == 180);
    CHECK(r->reason() == "Ringing Now");
    CHECK(r->method() == Method::Unknown);
    CHECK(r->body().empty());
}

TEST_CASE("status line: an empty reason phrase is allowed") {
    auto r = parse_message(crlf("SIP/2.0 200 \nContent-Length: 0\n\n"));
    REQUIRE(r.ok());
    CHECK(r->status_code() == 200);
    CHECK(r->reason().empty());
}

TEST_CASE("status line: the status code is three digits from 100 to 699") {
    CHECK(error_of(crlf("SIP/2.0 2000 OK\n\n")) == "bad status code in status line");
    CHECK(error_of(crlf("SIP/2.0 20 OK\n\n")) == "bad status code in status line");
    CHECK(error_of(crlf("SIP/2.0 099 Odd\n\n")) == "bad status code in status line");
    CHECK(error_of(crlf("SIP/2.0 700 Odd\n\n")) == "bad status code in status line");
    CHECK(error_of(crlf("SIP/2.0 abc OK\n\n")) == "bad status code in status line");
    CHECK(error_of(crlf("SIP/2.0\n\n")) == "missing status code in status line");
}

TEST_CASE("unknown methods are kept byte-exact") {
    auto r = parse_message(crlf("NEWMETHOD sip:x@y SIP/2.0\nContent-Length: 0\n\n"));
    REQUIRE(r.ok());
    CHECK(r->method() == Method::Unknown);
    CHECK(r->method_text() == "NEWMETHOD");
    auto lower = parse_message(crlf("invite sip:x@y SIP/2.0\n\n"));
    REQUIRE(lower.ok());
    CHECK(lower->method() == Method::Unknown);
    CHECK(lower->method_text() == "invite");
}

TEST_CASE("the Request-URI is kept as text, escapes and parameters untouched") {
    auto r = parse_message(crlf("OPTIONS sip:%61lice@example.com;transport=tcp?Subject=x%20y SIP/2.0\n\n"));
    REQUIRE(r.ok());
    CHECK(r->request_uri() == "sip:%61lice@example.com;transport=tcp?Subject=x%20y");
}

TEST_CASE("request line: each fault is named") {
    CHECK(error_of(crlf("INVITE sip:bob@biloxi.com\n\n")) == "missing SIP version in request line");
    CHECK(error_of(crlf("INVITE sip:bob@biloxi.com HTTP/1.1\n\n")) == "missing SIP version in request line");
    CHECK(error_of(crlf("INVITE\n\n")) == "missing Request-URI in request line");
    CHECK(error_of(crlf("INVITE  sip:bob@biloxi.com SIP/2.0\n\n")) == "extra whitespace in request line");
    CHECK(error_of(crlf("INVITE sip:bob@biloxi.com  SIP/2.0\n\n")) == "extra whitespace in request line");
    CHECK(error_of(crlf("INVITE sip:bob@biloxi.com SIP/2.0 \n\n")) == "extra whitespace in request line");
    CHECK(error_of(crlf("INVITE sip:bob user@biloxi.com SIP/2.0\n\n")) == "whitespace inside the Request-URI");
    CHECK(error_of(crlf("INV<ITE sip:bob@biloxi.com SIP/2.0\n\n")) == "malformed method in request line");
    CHECK(error_of(crlf("INVITE sip:bob@biloxi.com SIP/2.x\n\n")) == "malformed SIP version in request line");
}

TEST_CASE("a version other than SIP/2.0 parses, so the UA can answer 505 (RFC 3261 §8.2.2)") {
    auto r = parse_message(crlf("OPTIONS sip:t@example.com SIP/7.0\n\n"));
    REQUIRE(r.ok());
    CHECK(r->version() == "SIP/7.0");
}

TEST_CASE("CRLFs before the start line are ignored (RFC 3261 §7.5)") {
    auto r = parse_message("\r\n\r\n" + kInvite);
    REQUIRE(r.ok());
    CHECK(r->method() == Method::Invite);
    CHECK(error_of("\r\n\r\n") == "empty message");
    CHECK(error_of("") == "empty message");
}

TEST_CASE("header names are case-insensitive and compact forms are recognised (RFC 3261 §7.3.3)") {
    auto r = parse_message(crlf("BYE sip:x@y SIP/2.0\nv: SIP/2.0/UDP h;branch=z9hG4bK1\ni: abc\nCALL-id: def\n"
                                "l: 0\n\n"));
    REQUIRE(r.ok());
    const HeaderField* via = r->find(HeaderId::Via);
    REQUIRE(via != nullptr);
    CHECK(via->name == "v");
    CHECK(via->value == "SIP/2.0/UDP h;branch=z9hG4bK1");
    CHECK(r->values(HeaderId::CallId) == std::vector<std::string_view>{"abc", "def"});
    CHECK(r->find("call-id")->value == "abc");
    CHECK(r->find("i")->value == "abc");
}

TEST_CASE("whitespace around the colon and at the end of a value is not part of the value (HCOLON, §25.1)") {
    auto r = parse_message(crlf("BYE sip:x@y SIP/2.0\nSubject \t:   hello there  \t\nX-Empty:\n\n"));
    REQUIRE(r.ok());
    CHECK(r->find(HeaderId::Subject)->value == "hello there");
    CHECK(r->find(HeaderId::Subject)->name == "Subject");
    REQUIRE(r->find("X-Empty") != nullptr);
    CHECK(r->find("X-Empty")->value.empty());
}

TEST_CASE("folded header lines unfold to single spaces (RFC 3261 §7.3.1)") {
    auto r = parse_message(crlf("OPTIONS sip:x@y SIP/2.0\n"
                                "Subject: I know you're there,  \n"
                                "   pick up the phone\n"
                                "\tand talk to me!\n"
                                "To: <sip:x@y>\n\n"));
    REQUIRE(r.ok());
    CHECK(r->find(HeaderId::Subject)->value == "I know you're there, pick up the phone and talk to me!");
    CHECK(r->find(HeaderId::To)->value == "<sip:x@y>");
}

TEST_CASE("a value that starts on a continuation line has no leading space") {
    auto r = parse_message(crlf("OPTIONS sip:x@y SIP/2.0\nSubject:\n  folded\n \nTo: <sip:x@y>\n\n"));
    REQUIRE(r.ok());
    CHECK(r->find(HeaderId::Subject)->value == "folded");
}

TEST_CASE("a continuation line before any header is an error") {
    CHECK(error_of(crlf("OPTIONS sip:x@y SIP/2.0\n To: <sip:x@y>\n\n")) == "continuation line before the first header");
}

TEST_CASE("unknown headers keep their name and value byte-exact") {
    auto r = parse_message(crlf("OPTIONS sip:x@y SIP/2.0\nX-Weird_Name.1: a,b;  \"c\"\n\n"));
    REQUIRE(r.ok());
    const auto& h = r->headers().front();
    CHECK(h.id == HeaderId::Other);
    CHECK(h.name == "X-Weird_Name.1");
    CHECK(h.value == "a,b;  \"c\"");
    CHECK(r->values("x-weird_name.1") == std::vector<std::string_view>{"a,b;  \"c\""});
}

TEST_CASE("comma-separated and repeated values are one list (RFC 3261 §7.3.1)") {
    auto r = parse_message(crlf("INVITE sip:x@y SIP/2.0\n"
                                "Route: <sip:p1;lr>, <sip:p2;lr>\n"
                                "Contact: \"Doe, John\" <sip:j@h>;q=0.1, <sip:k@h>\n"
                                "Route: <sip:p3;lr>\n"
                                "Allow: INVITE,ACK ,BYE\n"
                                "Date: Sat, 13 Nov 2010 23:29:00 GMT\n\n"));
    REQUIRE(r.ok());
    CHECK(r->values(HeaderId::Route) == std::vector<std::string_view>{"<sip:p1;lr>", "<sip:p2;lr>", "<sip:p3;lr>"});
    CHECK(r->values(HeaderId::Contact) == std::vector<std::string_view>{"\"Doe, John\" <sip:j@h>;q=0.1", "<sip:k@h>"});
    CHECK(r->values(HeaderId::Allow) == std::vector<std::string_view>{"INVITE", "ACK", "BYE"});
    CHECK(r->values(HeaderId::Date) == std::vector<std::string_view>{"Sat, 13 Nov 2010 23:29:00 GMT"});
    CHECK(r->count(HeaderId::Route) == 2);
    CHECK(r->values(HeaderId::Expires).empty());
    CHECK(r->find(HeaderId::Expires) == nullptr);
}

TEST_CASE("header lines: each fault is named") {
    CHECK(error_of(crlf("OPTIONS sip:x@y SIP/2.0\nTo <sip:x@y>\n\n")) == "malformed header line: no colon after To");
    CHECK(error_of(crlf("OPTIONS sip:x@y SIP/2.0\n<garbage>\n\n")) == "malformed header line (no colon)");
    CHECK(error_of(crlf("OPTIONS sip:x@y SIP/2.0\n<sip:x@y>\n\n")) == "malformed header name");
    CHECK(error_of(crlf("OPTIONS sip:x@y SIP/2.0\n: value\n\n")) == "malformed header name");
    CHECK(error_of(crlf("OPTIONS sip:x@y SIP/2.0\nTo<x>: value\n\n")) == "malformed header line: no colon after To");
    CHECK(error_of(crlf("OPTIONS sip:x@y SIP/2.0\n<x>: value\n\n")) == "malformed header name");
    CHECK(error_of(crlf("OPTIONS sip:x@y SIP/2.0\nTo: <sip:x@y>\n")) ==
          "message ends inside the header section (no empty line)");
    CHECK(error_of("OPTIONS sip:x@y SIP/2.0\r\nTo: <sip:x@y>") == "message ends inside the header section (no line end)");
    CHECK(error_of("OPTIONS sip:x@y SIP/2.0") == "message ends inside the start line (no line end)");
    CHECK(error_of(crlf("OPTIONS sip:x@y SIP/2.0\nSubject: a\n  b")) ==
          "message ends inside the header section (no empty line)");
}

TEST_CASE("a bounded number of header lines") {
    std::string msg = "OPTIONS sip:x@y SIP/2.0\r\n";
    for (int i = 0; i < 300; ++i) msg += "X-A: b\r\n";
    msg += "\r\n";
    CHECK(error_of(msg) == "too many header lines (more than 256)");
    ParseOptions more;
    more.max_header_lines = 1000;
    CHECK(parse_message(msg, more).ok());
}

TEST_CASE("bare LF line ends are accepted on receipt unless disabled") {
    const std::string lf = "OPTIONS sip:x@y SIP/2.0\nTo: <sip:x@y>\nSubject: a\n b\nContent-Length: 2\n\nhi";
    auto r = parse_message(lf);
    REQUIRE(r.ok());
    CHECK(r->find(HeaderId::To)->value == "<sip:x@y>");
    CHECK(r->find(HeaderId::Subject)->value == "a b");
    CHECK(r->body() == "hi");
    ParseOptions strict;
    strict.allow_bare_lf = false;
    CHECK(error_of(lf, strict) == "bare LF line end in the start line");
    CHECK(error_of("OPTIONS sip:x@y SIP/2.0\r\nTo: <sip:x@y>\n\r\n", strict) == "bare LF line end in the header section");
    CHECK(error_of("OPTIONS sip:x@y SIP/2.0\r\nSubject: a\r\n b\n\r\n", strict) ==
          "bare LF line end in the header section");
    CHECK(parse_message(crlf("OPTIONS sip:x@y SIP/2.0\nTo: <sip:x@y>\n\n"), strict).ok());
}

TEST_CASE("datagram without Content-Length: the body is the rest of the datagram (RFC 3261 §18.3)") {
    auto r = parse_message(crlf("MESSAGE sip:x@y SIP/2.0\nContent-Type: text/plain\n\nhello\n"));
    REQUIRE(r.ok());
    CHECK(r->body() == "hello\r\n");
}

TEST_CASE("datagram: a Content-Length shorter than the data truncates the body (RFC 3261 §18.3)") {
    auto r = parse_message(crlf("MESSAGE sip:x@y SIP/2.0\nContent-Length: 3\n\nhello"));
    REQUIRE(r.ok());
    CHECK(r->body() == "hel");
}

TEST_CASE("a Content-Length longer than the data is an error (RFC 3261 §18.3)") {
    CHECK(error_of(crlf("MESSAGE sip:x@y SIP/2.0\nContent-Length: 9999\n\nhello")) ==
          "Content-Length 9999 is larger than the 5 bytes of body");
}

TEST_CASE("Content-Length must be a decimal number, and repeated ones must agree") {
    CHECK(error_of(crlf("MESSAGE sip:x@y SIP/2.0\nContent-Length: -1\n\n")) == "bad Content-Length header");
    CHECK(error_of(crlf("MESSAGE sip:x@y SIP/2.0\nContent-Length: 5x\n\n")) == "bad Content-Length header");
    CHECK(error_of(crlf("MESSAGE sip:x@y SIP/2.0\nl:\n\n")) == "bad Content-Length header");
    CHECK(error_of(crlf("MESSAGE sip:x@y SIP/2.0\nContent-Length: 99999999999999999999999\n\n")) ==
          "bad Content-Length header");
    CHECK(error_of(crlf("MESSAGE sip:x@y SIP/2.0\nContent-Length: 1\nl: 2\n\nab")) == "conflicting Content-Length headers");
    auto same = parse_message(crlf("MESSAGE sip:x@y SIP/2.0\nContent-Length: 2\nl: 2\n\nab"));
    REQUIRE(same.ok());
    CHECK(same->body() == "ab");
}

TEST_CASE("stream framing: Content-Length is mandatory and must match exactly (RFC 3261 §18.3)") {
    ParseOptions stream;
    stream.framing = Framing::Stream;
    CHECK(error_of(crlf("MESSAGE sip:x@y SIP/2.0\n\nhello"), stream) ==
          "missing Content-Length header (mandatory over TCP and TLS)");
    CHECK(error_of(crlf("MESSAGE sip:x@y SIP/2.0\nl: 2\n\nhello"), stream) ==
          "3 bytes after the body declared by Content-Length");
    auto r = parse_message(crlf("MESSAGE sip:x@y SIP/2.0\nl: 5\n\nhello"), stream);
    REQUIRE(r.ok());
    CHECK(r->body() == "hello");
}

TEST_CASE("the body is kept byte-exact, including NULs and bare line ends") {
    std::string body("a\0b\nc\r\n\r\n", 9);
    auto r = parse_message(crlf("MESSAGE sip:x@y SIP/2.0\nContent-Length: 9\n\n") + body);
    REQUIRE(r.ok());
    CHECK(r->body() == body);
}

TEST_CASE("parse_message_owned parses a buffer handed over") {
    auto r = parse_message_owned(kInvite);
    REQUIRE(r.ok());
    CHECK(r->find(HeaderId::CSeq)->value == "314159 INVITE");
    Message copy = *r;
    CHECK(copy.find(HeaderId::CSeq)->value == "314159 INVITE");
    CHECK(copy.find(HeaderId::CSeq)->value.data() != r->find(HeaderId::CSeq)->value.data());
}

TEST_CASE("truncating a valid message anywhere never crashes and fails or parses cleanly") {
    for (std::size_t n = 0; n <= kInvite.size(); ++n) {
        auto r = parse_message(std::string_view(kInvite).substr(0, n));
        if (r.ok()) CHECK(r->body().size() <= 5);
        else CHECK_FALSE(r.error().message.empty());
    }
}

TEST_CASE("the received bytes stay as received, folded lines included") {
    const std::string in = crlf("OPTIONS sip:x@y SIP/2.0\nSubject: a\n  b\nl: 0\n\nextra");
    auto r = parse_message(in);
    REQUIRE(r.ok());
    CHECK(r->received_bytes() == in);
    CHECK(r->find(HeaderId::Subject)->value == "a b");
    CHECK(r->body().empty());
    CHECK(Message::response(200, "OK").received_bytes().empty());
}
