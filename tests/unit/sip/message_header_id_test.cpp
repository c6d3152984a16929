#include "dialtone/sip/comma_list.hpp"
#include "dialtone/sip/header_id.hpp"
#include "dialtone/sip/method.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace dialtone::sip;

TEST_CASE("header names are case-insensitive (RFC 3261 §7.3.1)") {
    CHECK(header_id("Via") == HeaderId::Via);
    CHECK(header_id("VIA") == HeaderId::Via);
    CHECK(header_id("call-id") == HeaderId::CallId);
    CHECK(header_id("CALL-ID") == HeaderId::CallId);
    CHECK(header_id("cseq") == HeaderId::CSeq);
    CHECK(header_id("www-authenticate") == HeaderId::WwwAuthenticate);
    CHECK(header_id("Min-Se") == HeaderId::MinSE);
    CHECK(header_id("rack") == HeaderId::RAck);
    CHECK(header_id("Proxy-Authentication-Info") == HeaderId::ProxyAuthenticationInfo);
}

TEST_CASE("compact forms map to their long names (RFC 3261 §7.3.3, §20)") {
    CHECK(header_id("i") == HeaderId::CallId);
    CHECK(header_id("m") == HeaderId::Contact);
    CHECK(header_id("e") == HeaderId::ContentEncoding);
    CHECK(header_id("l") == HeaderId::ContentLength);
    CHECK(header_id("c") == HeaderId::ContentType);
    CHECK(header_id("f") == HeaderId::From);
    CHECK(header_id("s") == HeaderId::Subject);
    CHECK(header_id("k") == HeaderId::Supported);
    CHECK(header_id("t") == HeaderId::To);
    CHECK(header_id("v") == HeaderId::Via);
    CHECK(header_id("V") == HeaderId::Via);
    CHECK(header_id("o") == HeaderId::Event);
    CHECK(header_id("u") == HeaderId::AllowEvents);
    CHECK(header_id("r") == HeaderId::ReferTo);
    CHECK(header_id("b") == HeaderId::ReferredBy);
    CHECK(header_id("x") == HeaderId::SessionExpires);
    CHECK(header_id("y") == HeaderId::Identity);
    CHECK(header_id("a") == HeaderId::AcceptContact);
    CHECK(header_id("z") == HeaderId::Other);
}

TEST_CASE("unknown header names are Other") {
    CHECK(header_id("X-Custom") == HeaderId::Other);
    CHECK(header_id("") == HeaderId::Other);
    CHECK(header_id("Via2") == HeaderId::Other);
    CHECK(header_id(std::string(200, 'a')) == HeaderId::Other);
    CHECK(canonical_name(HeaderId::Other).empty());
}

TEST_CASE("every known header id round-trips through its canonical name") {
    for (int i = 0; i < static_cast<int>(HeaderId::Other); ++i) {
        const auto id = static_cast<HeaderId>(i);
        CAPTURE(i);
        REQUIRE_FALSE(canonical_name(id).empty());
        CHECK(header_id(canonical_name(id)) == id);
    }
    CHECK(canonical_name(HeaderId::CallId) == "Call-ID");
    CHECK(canonical_name(HeaderId::CSeq) == "CSeq");
    CHECK(canonical_name(HeaderId::WwwAuthenticate) == "WWW-Authenticate");
}

TEST_CASE("comma lists: Via, Contact and Allow are; From, Date and Authorization are not (RFC 3261 §7.3.1)") {
    CHECK(is_comma_list(HeaderId::Via));
    CHECK(is_comma_list(HeaderId::Contact));
    CHECK(is_comma_list(HeaderId::Route));
    CHECK(is_comma_list(HeaderId::Allow));
    CHECK(is_comma_list(HeaderId::Supported));
    CHECK_FALSE(is_comma_list(HeaderId::From));
    CHECK_FALSE(is_comma_list(HeaderId::Date));
    CHECK_FALSE(is_comma_list(HeaderId::Authorization));
    CHECK_FALSE(is_comma_list(HeaderId::WwwAuthenticate));
    CHECK_FALSE(is_comma_list(HeaderId::Other));
}

TEST_CASE("comma splitting ignores commas inside quoted strings and angle brackets") {
    auto v = split_comma_list(R"("Doe, John" <sip:a@b;x=1,2>;q=0.5 , <sip:c@d>,sip:e@f)");
    REQUIRE(v.size() == 3);
    CHECK(v[0] == R"("Doe, John" <sip:a@b;x=1,2>;q=0.5)");
    CHECK(v[1] == "<sip:c@d>");
    CHECK(v[2] == "sip:e@f");
}

TEST_CASE("comma splitting honours quoted-pair escapes (RFC 3261 §25.1)") {
    auto v = split_comma_list(R"("a \", b" <sip:x@y>, <sip:z@w>)");
    REQUIRE(v.size() == 2);
    CHECK(v[0] == R"("a \", b" <sip:x@y>)");
    CHECK(v[1] == "<sip:z@w>");
}

TEST_CASE("comma splitting drops empty elements and survives unbalanced input") {
    CHECK(split_comma_list("INVITE, ,ACK,").size() == 2);
    CHECK(split_comma_list("").empty());
    CHECK(split_comma_list(R"("open, quote)").size() == 1);
    CHECK(split_comma_list(R"("trailing escape\)").size() == 1);
    CHECK(split_comma_list("a>, b").size() == 2);
}

TEST_CASE("methods are case-sensitive tokens (RFC 3261 §7.1)") {
    CHECK(parse_method("INVITE") == Method::Invite);
    CHECK(parse_method("PRACK") == Method::Prack);
    CHECK(parse_method("invite") == Method::Unknown);
    CHECK(parse_method("NEWMETHOD") == Method::Unknown);
    CHECK(to_string(Method::Subscribe) == "SUBSCRIBE");
    CHECK(to_string(Method::Unknown).empty());
    for (int i = 0; i < static_cast<int>(Method::Unknown); ++i)
        CHECK(parse_method(to_string(static_cast<Method>(i))) == static_cast<Method>(i));
}
