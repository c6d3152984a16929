#include "dialtone/sip/message.hpp"
#include "dialtone/sip/parser.hpp"
#include "message_test_util.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace dialtone::sip;
using dialtone::sip::test::crlf;

namespace {

std::string reserialize(std::string_view bytes) {
    auto r = parse_message(bytes);
    REQUIRE(r.ok());
    return r->serialize();
}

}  // namespace

TEST_CASE("serialize writes canonical names, one space after the colon and CRLF line ends") {
    const std::string in = "INVITE sip:bob@b.example SIP/2.0\n"
                           "v:SIP/2.0/UDP h;branch=z9hG4bK1\n"
                           "call-id:   abc  \n"
                           "cseq: 1 INVITE\n"
                           "X-Thing:  kept as is\n"
                           "l: 3\n"
                           "\n"
                           "abc";
    CHECK(reserialize(in) == crlf("INVITE sip:bob@b.example SIP/2.0\n"
                                  "Via: SIP/2.0/UDP h;branch=z9hG4bK1\n"
                                  "Call-ID: abc\n"
                                  "CSeq: 1 INVITE\n"
                                  "X-Thing: kept as is\n"
                                  "Content-Length: 3\n"
                                  "\n"
                                  "abc"));
}

TEST_CASE("serialize writes one Content-Length that matches the body (RFC 3261 §20.14)") {
    // A datagram whose Content-Length truncated the body, with a repeated header.
    CHECK(reserialize(crlf("MESSAGE sip:x@y SIP/2.0\nContent-Length: 2\nTo: <sip:x@y>\nl: 2\n\nhello")) ==
          crlf("MESSAGE sip:x@y SIP/2.0\nContent-Length: 2\nTo: <sip:x@y>\n\nhe"));
    // No Content-Length at all: one is added at the end.
    CHECK(reserialize(crlf("MESSAGE sip:x@y SIP/2.0\nTo: <sip:x@y>\n\nhello")) ==
          crlf("MESSAGE sip:x@y SIP/2.0\nTo: <sip:x@y>\nContent-Length: 5\n\nhello"));
}

TEST_CASE("serialize unfolds folded lines and keeps the status line's reason phrase") {
    CHECK(reserialize(crlf("SIP/2.0 486 Busy  Here\nSubject: a\n  b\nContent-Length: 0\n\n")) ==
          crlf("SIP/2.0 486 Busy  Here\nSubject: a b\nContent-Length: 0\n\n"));
    CHECK(reserialize(crlf("sip/2.0 200 OK\n\n")) == crlf("SIP/2.0 200 OK\nContent-Length: 0\n\n"));
}

TEST_CASE("parse → serialize → parse reaches a fixed point") {
    const std::string inputs[] = {
        crlf("\n\nINVITE sip:a@b;transport=tcp SIP/2.0\nVia: SIP/2.0/TCP h:5060;branch=z9hG4bK1;rport\n"
             "v: SIP/2.0/UDP g;branch=z9hG4bK0, SIP/2.0/UDP f;branch=z9hG4bKz\nm: <sip:a@h>;expires=5\n"
             "Subject: one\n two\nc: application/sdp\nl: 10\n\nv=0\no=x\n\n"),
        "SIP/2.0 200 OK\nTo: <sip:x@y>;tag=1\nX-Unknown:  1, 2 ,3\n\n",
        crlf("NEWMETHOD sip:x@y SIP/7.0\nMax-Forwards: 70\n\n"),
    };
    for (const auto& in : inputs) {
        CAPTURE(in);
        const std::string once = reserialize(in);
        const std::string twice = reserialize(once);
        CHECK(once == twice);
        auto a = parse_message(in);
        auto b = parse_message(once);
        REQUIRE(a.ok());
        REQUIRE(b.ok());
        REQUIRE(a->headers().size() <= b->headers().size());
        for (std::size_t i = 0; i < a->headers().size(); ++i) {
            CHECK(a->headers()[i].id == b->headers()[i].id);
            CHECK(a->headers()[i].value == b->headers()[i].value);
        }
        CHECK(a->body() == b->body());
    }
}

TEST_CASE("building a request from scratch") {
    Message m = Message::request(Method::Invite, "sip:bob@biloxi.example.com");
    m.add_header(HeaderId::Via, "SIP/2.0/UDP h;branch=z9hG4bK1");
    m.add_header(HeaderId::MaxForwards, "70");
    m.add_header("X-Custom", "yes");
    m.set_body("application/sdp", "v=0\r\n");
    CHECK(m.is_request());
    CHECK(m.method_text() == "INVITE");
    CHECK(m.find(HeaderId::ContentLength)->value == "5");
    CHECK(m.serialize() == crlf("INVITE sip:bob@biloxi.example.com SIP/2.0\n"
                                "Via: SIP/2.0/UDP h;branch=z9hG4bK1\n"
                                "Max-Forwards: 70\n"
                                "X-Custom: yes\n"
                                "Content-Type: application/sdp\n"
                                "Content-Length: 5\n"
                                "\n"
                                "v=0\n"));
}

TEST_CASE("building a response and an extension request") {
    Message r = Message::response(180, "Ringing");
    CHECK(r.is_response());
    CHECK(r.serialize() == crlf("SIP/2.0 180 Ringing\nContent-Length: 0\n\n"));
    Message x = Message::request("FOO", "sip:x@y");
    CHECK(x.method() == Method::Unknown);
    CHECK(x.method_text() == "FOO");
    Message known = Message::request("BYE", "sip:x@y");
    CHECK(known.method() == Method::Bye);
}

TEST_CASE("set_header replaces every line of a header in place; remove_header removes them") {
    auto r = parse_message(crlf("OPTIONS sip:x@y SIP/2.0\nRoute: <sip:a>\nTo: <sip:x@y>\nroute: <sip:b>\n"
                                "X-A: 1\nx-a: 2\n\n"));
    REQUIRE(r.ok());
    Message m = *r;
    m.set_header(HeaderId::Route, "<sip:c>");
    CHECK(m.values(HeaderId::Route) == std::vector<std::string_view>{"<sip:c>"});
    CHECK(m.headers()[0].id == HeaderId::Route);
    m.set_header("X-A", "3");
    CHECK(m.values("x-a") == std::vector<std::string_view>{"3"});
    CHECK(m.remove_header(HeaderId::Route) == 1);
    CHECK(m.remove_header("X-A") == 1);
    CHECK(m.remove_header(HeaderId::Route) == 0);
    CHECK(m.headers().size() == 1);
    m.set_header("Call-ID", "new");
    CHECK(m.find(HeaderId::CallId)->value == "new");
}

TEST_CASE("prepend_header puts a Via above the existing ones (RFC 3261 §16.6 step 8)") {
    auto r = parse_message(crlf("OPTIONS sip:x@y SIP/2.0\nTo: <sip:x@y>\nVia: SIP/2.0/UDP a;branch=z9hG4bK1\n\n"));
    REQUIRE(r.ok());
    Message m = std::move(r).value();
    m.prepend_header(HeaderId::Via, "SIP/2.0/UDP b;branch=z9hG4bK2");
    CHECK(m.headers()[1].value == "SIP/2.0/UDP b;branch=z9hG4bK2");
    CHECK(m.values(HeaderId::Via).front() == "SIP/2.0/UDP b;branch=z9hG4bK2");
    m.prepend_header(HeaderId::RecordRoute, "<sip:p;lr>");
    CHECK(m.headers().back().id == HeaderId::RecordRoute);
}

TEST_CASE("set_body with no content type removes Content-Type") {
    Message m = Message::request(Method::Message, "sip:x@y");
    m.set_body("text/plain", "hi");
    m.set_body("", "");
    CHECK(m.find(HeaderId::ContentType) == nullptr);
    CHECK(m.find(HeaderId::ContentLength)->value == "0");
    CHECK(m.body().empty());
}

TEST_CASE("a copied message owns its bytes; a moved one keeps them") {
    Message copy;
    {
        auto r = parse_message(crlf("MESSAGE sip:x@y SIP/2.0\nTo: <sip:x@y>\nl: 2\n\nhi"));
        REQUIRE(r.ok());
        r->add_header("X-Added", "later");
        r->set_request_uri("sip:z@w");
        copy = *r;
        Message moved = std::move(r).value();
        CHECK(moved.find(HeaderId::To)->value == "<sip:x@y>");
    }
    CHECK(copy.request_uri() == "sip:z@w");
    CHECK(copy.find(HeaderId::To)->value == "<sip:x@y>");
    CHECK(copy.find("X-Added")->value == "later");
    CHECK(copy.body() == "hi");
    CHECK(copy.find(HeaderId::ContentLength)->name == "l");
    CHECK(copy.serialize() == crlf("MESSAGE sip:z@w SIP/2.0\nTo: <sip:x@y>\nContent-Length: 2\nX-Added: later\n\nhi"));
}

TEST_CASE("many built headers, some longer than a storage chunk, survive copies and moves") {
    Message m = Message::request(Method::Options, "sip:x@y");
    const std::string long_value(2000, 'v');
    for (int i = 0; i < 100; ++i) m.add_header("X-N" + std::to_string(i), i % 10 == 0 ? long_value : std::to_string(i));
    Message copy = m;
    Message moved = std::move(m);
    REQUIRE(copy.headers().size() == 100);
    CHECK(copy.serialize() == moved.serialize());
    CHECK(copy.find("x-n7")->value == "7");
    CHECK(copy.find("X-N90")->value == long_value);
    CHECK(copy.find("X-N99")->value.data() != moved.find("X-N99")->value.data());
}

TEST_CASE("serialized_size counts what serialize writes") {
    for (std::string_view text : {
             "INVITE sip:bob@biloxi.com SIP/2.0\nVia: SIP/2.0/UDP pc33;branch=z9hG4bK1\nv: SIP/2.0/TCP x.example.com\n"
             "To: <sip:bob@biloxi.com>\nl: 4\nX-Other: 1\n\nabcd",
             "SIP/2.0 180 Ringing\nVia: SIP/2.0/UDP pc33;branch=z9hG4bK1\n\n",
             "SIP/2.0 200 OK\ncontent-type: application/sdp\nContent-Length:   10\n\n0123456789"}) {
        CAPTURE(text);
        auto m = parse_message(crlf(std::string(text)));
        REQUIRE(m.ok());
        CHECK(m->serialized_size() == m->serialize().size());
    }
    Message built = Message::request(Method::Message, "sip:bob@biloxi.com");
    built.add_header(HeaderId::CallId, "a@b");
    built.set_body("text/plain", std::string(1234, 'x'));
    CHECK(built.serialized_size() == built.serialize().size());
}
