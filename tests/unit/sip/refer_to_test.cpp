#include <doctest/doctest.h>

#include "dialtone/sip/refer_to.hpp"

using namespace dialtone::sip;

TEST_CASE("Replaces: Call-ID, both tags and early-only (RFC 3891 §6.1)") {
    auto r = parse_replaces("98732@sip.example.com;from-tag=r33th4x0r;to-tag=ff87ff;early-only");
    REQUIRE(r.ok());
    CHECK(r->call_id == "98732@sip.example.com");
    CHECK(r->from_tag() == "r33th4x0r");
    CHECK(r->to_tag() == "ff87ff");
    CHECK(r->early_only());
    CHECK(r->to_string() == "98732@sip.example.com;from-tag=r33th4x0r;to-tag=ff87ff;early-only");
    auto again = parse_replaces(r->to_string());
    REQUIRE(again.ok());
    CHECK(again.value() == r.value());
    auto no_early = parse_replaces("abc;to-tag=1;from-tag=2");
    REQUIRE(no_early.ok());
    CHECK_FALSE(no_early->early_only());
}

TEST_CASE("Replaces: both tags are mandatory") {
    auto no_to = parse_replaces("98732@sip.example.com;from-tag=r33th4x0r");
    REQUIRE_FALSE(no_to.ok());
    CHECK(no_to.error().message == "Replaces: missing to-tag");
    auto no_from = parse_replaces("98732@sip.example.com;to-tag=x");
    REQUIRE_FALSE(no_from.ok());
    CHECK(no_from.error().message == "Replaces: missing from-tag");
    auto empty = parse_replaces(" ");
    REQUIRE_FALSE(empty.ok());
    CHECK(empty.error().message == "Replaces: missing Call-ID");
    auto bad = parse_replaces("a@b@c;to-tag=1;from-tag=2");
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().message == "Replaces: bad Call-ID 'a@b@c'");
    auto early = parse_replaces("a;to-tag=1;from-tag=2;early-only=yes");
    REQUIRE_FALSE(early.ok());
    CHECK(early.error().message == "Replaces: early-only takes no value");
}

TEST_CASE("Refer-To: a target URI with an embedded Replaces (RFC 3891 §7.1)") {
    auto r = parse_refer_to("<sip:bob@biloxi.example.net?Replaces=12345%40192.168.118.3%3Bto-tag%3D12345%3Bfrom-tag%3D5FFE-3994>");
    REQUIRE(r.ok());
    CHECK(r->uri.user() == "bob");
    auto rep = embedded_replaces(r->uri);
    REQUIRE(rep.ok());
    REQUIRE(rep->has_value());
    CHECK((*rep)->call_id == "12345@192.168.118.3");
    CHECK((*rep)->to_tag() == "12345");
    CHECK((*rep)->from_tag() == "5FFE-3994");
    auto again = parse_refer_to(r->to_string());
    REQUIRE(again.ok());
    CHECK(again.value() == r.value());
}

TEST_CASE("Refer-To: addr-spec form, no Replaces, and named faults") {
    auto r = parse_refer_to("sip:carol@cleveland.example.org;method=INVITE");
    REQUIRE(r.ok());
    CHECK(r->params.get("method") == "INVITE");
    auto none = embedded_replaces(r->uri);
    REQUIRE(none.ok());
    CHECK_FALSE(none->has_value());

    auto bad = parse_refer_to("<sip:carol@cleveland.example.org");
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().message == "Refer-To: missing '>' after URI");

    auto target = parse_refer_to("<sip:b@x.example?Replaces=abc%3Bto-tag%3D1>");
    REQUIRE(target.ok());
    auto broken = embedded_replaces(target->uri);
    REQUIRE_FALSE(broken.ok());
    CHECK(broken.error().message == "Replaces: missing from-tag");
}

TEST_CASE("Referred-By: name-addr with parameters (RFC 3892)") {
    auto r = parse_referred_by("<sip:referrer@referrer.example>;cid=\"20398823.2UWQFN309shb3@referrer.example\"");
    REQUIRE(r.ok());
    CHECK(r->params.get("cid") == "20398823.2UWQFN309shb3@referrer.example");
    auto bad = parse_referred_by("");
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().message == "Referred-By: empty value");
}
