#include <doctest/doctest.h>

#include "dialtone/sip/content_type.hpp"
#include "dialtone/sip/token_list.hpp"

using namespace dialtone::sip;

namespace {
MediaType must_parse(std::string_view text) {
    auto r = parse_content_type(text);
    INFO(text);
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
    auto again = parse_content_type(r->to_string());
    REQUIRE(again.ok());
    CHECK(again.value() == r.value());
    return r.value();
}
std::string error_of(std::string_view text) {
    auto r = parse_content_type(text);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().status == 400);
    return r.error().message;
}
}  // namespace

TEST_CASE("Content-Type: type and subtype are case-insensitive, parameter values keep their case") {
    MediaType m = must_parse("Application/SDP");
    CHECK(m.type == "application");
    CHECK(m.subtype == "sdp");
    CHECK(m.is("application", "sdp"));
    CHECK(m.to_string() == "application/sdp");

    MediaType mp = must_parse("multipart/mixed ; boundary=\"Unique Boundary-1\";charset=UTF-8");
    CHECK(mp.is("MULTIPART", "mixed"));
    CHECK(mp.param("Boundary") == "Unique Boundary-1");
    CHECK(mp.param("charset") == "UTF-8");
    CHECK(mp.to_string() == "multipart/mixed;boundary=\"Unique Boundary-1\";charset=UTF-8");
}

TEST_CASE("Content-Type: whitespace around the slash is allowed (SWS)") {
    CHECK(must_parse(" text / plain ").is("text", "plain"));
}

TEST_CASE("Content-Type: faults are named") {
    CHECK(error_of("") == "Content-Type: missing media type");
    CHECK(error_of("application") == "Content-Type: missing '/' after media type 'application'");
    CHECK(error_of("application/") == "Content-Type: missing media subtype");
    CHECK(error_of("application/*") == "Content-Type: bad media type 'application/*'");
    CHECK(error_of("application/sdp;charset") == "Content-Type: parameter 'charset' without a value");
    CHECK(error_of("application/sdp junk") == "Content-Type: unexpected 'junk'");
    CHECK(error_of("application/sdp, text/plain") == "Content-Type: unexpected ', text/plain'");
}

TEST_CASE("Accept: media ranges with wildcards and q (§20.1)") {
    auto r = parse_accept("application/sdp;level=1, application/x-private, text/*;q=0.5, */*;q=0.1");
    REQUIRE(r.ok());
    REQUIRE(r->size() == 4);
    CHECK((*r)[0].param("level") == "1");
    CHECK((*r)[2].covers("text", "html"));
    CHECK_FALSE((*r)[2].covers("application", "sdp"));
    CHECK((*r)[3].covers("audio", "anything"));
    CHECK((*r)[0].covers("Application", "SDP"));
    CHECK_FALSE((*r)[1].covers("application", "sdp"));
}

TEST_CASE("Accept: an empty value accepts no body; a half wildcard is an error") {
    auto e = parse_accept("  ");
    REQUIRE(e.ok());
    CHECK(e->empty());
    auto bad = parse_accept("*/sdp");
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().message == "Accept: bad media type '*/sdp'");
    auto bad2 = parse_accept("application/sdp,,text/plain");
    REQUIRE_FALSE(bad2.ok());
    CHECK(bad2.error().message == "Accept: empty list element");
}

TEST_CASE("token lists: Allow, Supported, Require (§20.5, §20.37, §20.32)") {
    auto allow = parse_token_list("INVITE, ACK,OPTIONS , CANCEL, BYE", "Allow");
    REQUIRE(allow.ok());
    CHECK(allow->tokens.size() == 5);
    CHECK(allow->contains_exact("OPTIONS"));
    CHECK_FALSE(allow->contains_exact("options"));  // methods are case-sensitive
    CHECK(allow->to_string() == "INVITE, ACK, OPTIONS, CANCEL, BYE");

    auto supported = parse_token_list("100rel, Timer", "Supported");
    REQUIRE(supported.ok());
    CHECK(supported->contains("timer"));  // option tags are tokens: case-insensitive
    CHECK_FALSE(supported->contains("replaces"));

    auto again = parse_token_list(supported->to_string(), "Supported");
    REQUIRE(again.ok());
    CHECK(again.value() == supported.value());
}

TEST_CASE("token lists: Supported may be empty, Require may not") {
    auto s = parse_token_list("", "Supported");
    REQUIRE(s.ok());
    CHECK(s->empty());
    auto r = parse_token_list(" ", "Require", EmptyList::Rejected);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message == "Require: empty value");
    auto bad = parse_token_list("100rel, time r", "Require", EmptyList::Rejected);
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().message == "Require: bad token 'time r'");
    auto hole = parse_token_list("100rel,,timer", "Unsupported");
    REQUIRE_FALSE(hole.ok());
    CHECK(hole.error().message == "Unsupported: empty list element");
}
