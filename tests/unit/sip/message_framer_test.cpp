#include "dialtone/sip/framer.hpp"
#include "message_test_util.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace dialtone::sip;
using dialtone::sip::test::crlf;

namespace {

const std::string kOptions = crlf("OPTIONS sip:x@y SIP/2.0\nCall-ID: 1\nContent-Length: 0\n\n");
const std::string kMessage = crlf("MESSAGE sip:x@y SIP/2.0\nCall-ID: 2\nl: 5\n\nhello");

std::optional<Message> pop_ok(StreamFramer& f) {
    auto r = f.pop();
    REQUIRE(r.ok());
    return std::move(r).value();
}

}  // namespace

TEST_CASE("stream: a message fed one byte at a time comes out whole") {
    StreamFramer f;
    for (std::size_t i = 0; i + 1 < kMessage.size(); ++i) {
        REQUIRE(f.feed(kMessage.substr(i, 1)).ok());
        CHECK_FALSE(pop_ok(f).has_value());
    }
    REQUIRE(f.feed(kMessage.substr(kMessage.size() - 1)).ok());
    auto m = pop_ok(f);
    REQUIRE(m.has_value());
    CHECK(m->body() == "hello");
    CHECK(f.buffered() == 0);
}

TEST_CASE("stream: several messages in one read, with CRLF keep-alives between (RFC 5626 §3.5.1)") {
    StreamFramer f;
    REQUIRE(f.feed("\r\n\r\n" + kOptions + "\r\n\r\n" + kMessage + kOptions.substr(0, 10)).ok());
    auto a = pop_ok(f);
    REQUIRE(a.has_value());
    CHECK(a->find(HeaderId::CallId)->value == "1");
    auto b = pop_ok(f);
    REQUIRE(b.has_value());
    CHECK(b->find(HeaderId::CallId)->value == "2");
    CHECK(b->body() == "hello");
    CHECK_FALSE(pop_ok(f).has_value());
    CHECK(f.pings() == 2);
    CHECK(f.buffered() == 10);
    REQUIRE(f.feed(kOptions.substr(10)).ok());
    auto c = pop_ok(f);
    REQUIRE(c.has_value());
    CHECK(c->method() == Method::Options);
}

TEST_CASE("stream: a keep-alive split across reads is counted once") {
    StreamFramer f;
    REQUIRE(f.feed("\r").ok());
    CHECK_FALSE(pop_ok(f).has_value());
    REQUIRE(f.feed("\n\r").ok());
    CHECK_FALSE(pop_ok(f).has_value());
    REQUIRE(f.feed("\n").ok());
    CHECK_FALSE(pop_ok(f).has_value());
    CHECK(f.pings() == 1);
    REQUIRE(f.feed("\r\n").ok());  // a pong, not a ping
    CHECK_FALSE(pop_ok(f).has_value());
    CHECK(f.pings() == 1);
}

TEST_CASE("stream: the empty line that ends the headers may straddle two reads") {
    StreamFramer f;
    const std::size_t cut = kMessage.find("\r\n\r\n") + 1;
    REQUIRE(f.feed(kMessage.substr(0, cut)).ok());
    CHECK_FALSE(pop_ok(f).has_value());
    REQUIRE(f.feed(kMessage.substr(cut, 2)).ok());
    CHECK_FALSE(pop_ok(f).has_value());
    REQUIRE(f.feed(kMessage.substr(cut + 2)).ok());
    CHECK(pop_ok(f).has_value());
}

TEST_CASE("stream: a missing Content-Length breaks the stream (RFC 3261 §18.3)") {
    StreamFramer f;
    REQUIRE(f.feed(crlf("OPTIONS sip:x@y SIP/2.0\nCall-ID: 1\n\n")).ok());
    auto r = f.pop();
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message == "missing Content-Length header (mandatory over TCP and TLS)");
    CHECK(r.error().status == 400);
    CHECK(f.failed());
    CHECK_FALSE(f.feed(kOptions).ok());
    auto again = f.pop();
    REQUIRE_FALSE(again.ok());
    CHECK(again.error().message == r.error().message);
}

TEST_CASE("stream: a bad or conflicting Content-Length breaks the stream") {
    StreamFramer bad;
    REQUIRE(bad.feed(crlf("OPTIONS sip:x@y SIP/2.0\nContent-Length: ten\n\n")).ok());
    auto r = bad.pop();
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message == "bad Content-Length header");
    StreamFramer conflict;
    REQUIRE(conflict.feed(crlf("OPTIONS sip:x@y SIP/2.0\nContent-Length: 1\nl: 2\n\nab")).ok());
    auto c = conflict.pop();
    REQUIRE_FALSE(c.ok());
    CHECK(c.error().message == "conflicting Content-Length headers");
}

TEST_CASE("stream: a message over the maximum size is an error, not unbounded buffering") {
    StreamFramer f(64);
    REQUIRE(f.feed(crlf("MESSAGE sip:x@y SIP/2.0\nContent-Length: 100000\n\n")).ok());
    auto r = f.pop();
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message == "message of 51 + 100000 bytes exceeds the maximum message size of 64 bytes");
    CHECK(f.buffered() == 0);

    StreamFramer endless(64);
    REQUIRE(endless.feed("OPTIONS sip:x@y SIP/2.0\r\n").ok());
    CHECK_FALSE(pop_ok(endless).has_value());
    REQUIRE(endless.feed(std::string(100, 'X')).ok());
    auto e = endless.pop();
    REQUIRE_FALSE(e.ok());
    CHECK(e.error().message == "header section longer than the maximum message size of 64 bytes");
}

TEST_CASE("stream: a well-framed but malformed message is reported and the stream goes on") {
    StreamFramer f;
    REQUIRE(f.feed(crlf("OPTIONS sip:x@y\nContent-Length: 0\n\n") + kOptions).ok());
    auto bad = f.pop();
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().message == "missing SIP version in request line");
    CHECK_FALSE(f.failed());
    auto good = pop_ok(f);
    REQUIRE(good.has_value());
    CHECK(good->method() == Method::Options);
}

TEST_CASE("stream: any split of two messages yields the same two messages") {
    const std::string both = kMessage + "\r\n" + kOptions;
    for (std::size_t cut = 0; cut <= both.size(); ++cut) {
        StreamFramer f;
        std::vector<std::string> calls;
        for (std::string_view part : {std::string_view(both).substr(0, cut), std::string_view(both).substr(cut)}) {
            REQUIRE(f.feed(part).ok());
            for (;;) {
                auto r = f.pop();
                REQUIRE(r.ok());
                if (!r->has_value()) break;
                calls.emplace_back((*r)->find(HeaderId::CallId)->value);
            }
        }
        CAPTURE(cut);
        CHECK(calls == std::vector<std::string>{"2", "1"});
    }
}

TEST_CASE("stream: pop_frame hands out each message's bytes as received, keep-alives removed") {
    StreamFramer f;
    REQUIRE(f.feed("\r\n" + kMessage + "\r\n\r\n" + kOptions).ok());
    auto a = f.pop_frame();
    REQUIRE(a.ok());
    REQUIRE(a->has_value());
    auto b = f.pop_frame();
    REQUIRE(b.ok());
    REQUIRE(b->has_value());
    // Both views stay valid until the next feed().
    CHECK(**a == kMessage);
    CHECK(**b == kOptions);
    CHECK(f.pings() == 1);
    auto none = f.pop_frame();
    REQUIRE(none.ok());
    CHECK_FALSE(none->has_value());
}

TEST_CASE("stream: a frame handed out survives the stream breaking after it") {
    StreamFramer f;
    REQUIRE(f.feed(kOptions + crlf("OPTIONS sip:x@y SIP/2.0\n\n")).ok());
    auto a = f.pop_frame();
    REQUIRE(a.ok());
    REQUIRE(a->has_value());
    auto broken = f.pop_frame();
    REQUIRE_FALSE(broken.ok());
    CHECK(**a == kOptions);
    CHECK(f.buffered() == 0);
}
