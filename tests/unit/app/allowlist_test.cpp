#include <doctest/doctest.h>

#include "dialtone/app/allowlist.hpp"

using namespace dialtone::app;

TEST_CASE("allow: globs match the From URI case-insensitively") {
    CHECK(glob_match("sip:*@example.com", "sip:alice@Example.COM"));
    CHECK_FALSE(glob_match("sip:*@example.com", "sip:alice@evil.example.com.attacker"));
    CHECK(glob_match("sip:10?@*", "sip:101@pbx"));
    CHECK_FALSE(glob_match("sip:10?@*", "sip:1001@pbx"));
    CHECK(glob_match("*", ""));
    CHECK(glob_match("a*b*c", "aXXbYYbc"));
}

TEST_CASE("allow: CIDR rules match the source address") {
    auto list = Allowlist::parse({"10.0.0.0/8", "2001:db8::/32", "192.168.1.7"});
    REQUIRE(list.ok());
    CHECK(list->permits("sip:x@y", "10.200.3.4"));
    CHECK_FALSE(list->permits("sip:x@y", "11.0.0.1"));
    CHECK(list->permits("sip:x@y", "2001:db8:1::5"));
    CHECK(list->permits("sip:x@y", "[2001:db8::1]"));
    CHECK_FALSE(list->permits("sip:x@y", "2001:db9::1"));
    CHECK(list->permits("sip:x@y", "192.168.1.7"));
    CHECK_FALSE(list->permits("sip:x@y", "192.168.1.8"));
    CHECK(list->permits("sip:x@y", "::ffff:10.1.1.1"));   // IPv4-mapped
}

TEST_CASE("allow: an empty list permits everyone; a non-empty one refuses the rest") {
    CHECK(Allowlist::parse({})->permits("sip:anyone@anywhere", "203.0.113.9"));
    auto list = Allowlist::parse({"sip:*@trusted.example"});
    REQUIRE(list.ok());
    CHECK(list->permits("sip:bob@trusted.example", "203.0.113.9"));
    CHECK_FALSE(list->permits("sip:bob@other.example", "203.0.113.9"));
}

TEST_CASE("allow: a bad address or prefix names the fault") {
    CHECK(parse_allow_rule("10.0.0.0/33").error().message == "--allow: prefix length '33' is not 0-32");
    CHECK(parse_allow_rule("10.0.0/8").error().message == "--allow: '10.0.0' is not an IPv4 or IPv6 address");
    CHECK(parse_allow_rule("  ").error().message == "--allow: empty pattern");
    CHECK(parse_allow_rule("::/0")->prefix == 0);
}
