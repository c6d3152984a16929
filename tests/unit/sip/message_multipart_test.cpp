#include "dialtone/sip/multipart.hpp"
#include "dialtone/sip/parser.hpp"
#include "message_test_util.hpp"

#include <doctest/doctest.h>

using namespace dialtone::sip;
using dialtone::sip::test::crlf;

namespace {

const std::string kBody = crlf("preamble is ignored\n"
                               "--unique-boundary-1\n"
                               "Content-Type: application/sdp\n"
                               "\n"
                               "v=0\n"
                               "o=- 1 1 IN IP4 192.0.2.1\n"
                               "\n"
                               "--unique-boundary-1\n"
                               "Content-Type: application/isup;version=itu-t92+\n"
                               "Content-Disposition: signal; handling=optional\n"
                               "\n"
                               "\x01\x02\x03\n"
                               "--unique-boundary-1--\n"
                               "epilogue\n");

}  // namespace

TEST_CASE("multipart: the boundary comes from the Content-Type parameter (RFC 2046 §5.1.1)") {
    CHECK(multipart_boundary("multipart/mixed;boundary=abc") == std::optional<std::string_view>{"abc"});
    CHECK(multipart_boundary("multipart/mixed; charset=x ; BOUNDARY=\"a;b c\"") ==
          std::optional<std::string_view>{"a;b c"});
    CHECK_FALSE(multipart_boundary("multipart/mixed").has_value());
    CHECK(media_type(" Multipart/Mixed ; boundary=x") == "Multipart/Mixed");
}

TEST_CASE("multipart/mixed: every part with its content type and body (RFC 2046 §5.1)") {
    auto parts = parse_multipart("multipart/mixed;boundary=unique-boundary-1", kBody);
    REQUIRE(parts.ok());
    REQUIRE(parts->size() == 2);
    CHECK((*parts)[0].content_type == "application/sdp");
    CHECK((*parts)[0].body == "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\n");
    CHECK((*parts)[1].content_type == "application/isup;version=itu-t92+");
    CHECK((*parts)[1].body == "\x01\x02\x03");
}

TEST_CASE("multipart/mixed: find the SDP part") {
    auto sdp = find_part("multipart/mixed; boundary=\"unique-boundary-1\"", kBody, "APPLICATION/SDP");
    REQUIRE(sdp.ok());
    REQUIRE(sdp->has_value());
    CHECK(sdp->value().starts_with("v=0\r\n"));
    auto none = find_part("multipart/mixed;boundary=unique-boundary-1", kBody, "text/html");
    REQUIRE(none.ok());
    CHECK_FALSE(none->has_value());
}

TEST_CASE("multipart: a part without headers is text/plain (RFC 2046 §5.1)") {
    auto parts = parse_multipart("multipart/mixed;boundary=b", "--b\r\n\r\nplain\r\n--b--");
    REQUIRE(parts.ok());
    REQUIRE(parts->size() == 1);
    CHECK((*parts)[0].content_type == "text/plain");
    CHECK((*parts)[0].body == "plain");
}

TEST_CASE("multipart: faults are named") {
    auto no_boundary = parse_multipart("multipart/mixed", kBody);
    REQUIRE_FALSE(no_boundary.ok());
    CHECK(no_boundary.error().message == "multipart Content-Type without a boundary parameter");
    auto not_multipart = parse_multipart("application/sdp", kBody);
    REQUIRE_FALSE(not_multipart.ok());
    CHECK(not_multipart.error().message == "body is not multipart");
    auto unclosed = parse_multipart("multipart/mixed;boundary=b", "--b\r\nContent-Type: a/b\r\n\r\nx\r\n");
    REQUIRE_FALSE(unclosed.ok());
    CHECK(unclosed.error().message == "multipart body without its closing delimiter");
    auto missing = parse_multipart("multipart/mixed;boundary=zzz", kBody);
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().message == "multipart body without its boundary delimiter");
    auto long_boundary = parse_multipart("multipart/mixed;boundary=" + std::string(71, 'a'), kBody);
    REQUIRE_FALSE(long_boundary.ok());
    CHECK(long_boundary.error().message == "bad boundary parameter in multipart Content-Type");
    auto empty = parse_multipart("multipart/mixed;boundary=b", "--b--\r\n");
    REQUIRE_FALSE(empty.ok());
    CHECK(empty.error().message == "multipart body without parts");
}

TEST_CASE("body_of_type: a plain SDP body or the SDP part of a multipart/mixed INVITE (RFC 5621)") {
    auto plain = parse_message(crlf("INVITE sip:x@y SIP/2.0\nContent-Type: application/sdp\n\nv=0\n"));
    REQUIRE(plain.ok());
    auto a = body_of_type(*plain, "application/sdp");
    REQUIRE(a.ok());
    REQUIRE(a->has_value());
    CHECK(a->value() == "v=0\r\n");

    auto mixed = parse_message(crlf("INVITE sip:x@y SIP/2.0\nContent-Type: multipart/mixed;boundary=unique-boundary-1\n\n") +
                               kBody);
    REQUIRE(mixed.ok());
    auto b = body_of_type(*mixed, "application/sdp");
    REQUIRE(b.ok());
    REQUIRE(b->has_value());
    CHECK(b->value() == "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\n");

    auto empty = parse_message(crlf("BYE sip:x@y SIP/2.0\n\n"));
    REQUIRE(empty.ok());
    auto c = body_of_type(*empty, "application/sdp");
    REQUIRE(c.ok());
    CHECK_FALSE(c->has_value());
}

TEST_CASE("multipart: nested multipart/alternative is searched too") {
    const std::string inner = "--in\r\nContent-Type: application/sdp\r\n\r\nv=0\r\n--in--";
    const std::string outer = "--out\r\nContent-Type: multipart/alternative;boundary=in\r\n\r\n" + inner + "\r\n--out--\r\n";
    auto r = find_part("multipart/mixed;boundary=out", outer, "application/sdp");
    REQUIRE(r.ok());
    REQUIRE(r->has_value());
    CHECK(r->value() == "v=0");
}

TEST_CASE("multipart: a line that only begins with the boundary is content, not a delimiter") {
    auto parts = parse_multipart("multipart/mixed;boundary=b",
                                 "--b\r\nContent-Type: text/plain\r\n\r\n--bc is text\r\n--b-c too\r\n--b  \r\n\r\nsecond\r\n--b--\r\n");
    REQUIRE(parts.ok());
    REQUIRE(parts->size() == 2);
    CHECK((*parts)[0].body == "--bc is text\r\n--b-c too");
    CHECK((*parts)[1].body == "second");
}
