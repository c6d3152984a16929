#include <doctest/doctest.h>

#include "dialtone/sip/host.hpp"

using namespace dialtone::sip;

TEST_CASE("host: IPv6 text forms of RFC 4291 §2.2") {
    CHECK(parse_ipv6("::"));
    CHECK(parse_ipv6("::1"));
    CHECK(parse_ipv6("1::"));
    CHECK(parse_ipv6("2001:db8:0:0:1:0:0:1"));
    CHECK(parse_ipv6("2001:DB8::1:0:0:1"));
    CHECK(parse_ipv6("1:2:3:4:5:6:192.0.2.1"));
    CHECK(parse_ipv6("::ffff:192.0.2.1"));
    CHECK(parse_ipv6("1::2:3:4:5:6:7"));  // "::" standing for a single group

    CHECK_FALSE(parse_ipv6(""));
    CHECK_FALSE(parse_ipv6(":::"));
    CHECK_FALSE(parse_ipv6("1:::2"));
    CHECK_FALSE(parse_ipv6(":1::"));
    CHECK_FALSE(parse_ipv6("1::2:"));
    CHECK_FALSE(parse_ipv6("1::2::3"));
    CHECK_FALSE(parse_ipv6("12345::"));
    CHECK_FALSE(parse_ipv6("1:2:3:4:5:6:7"));
    CHECK_FALSE(parse_ipv6("1:2:3:4:5:6:7:8:9"));
    CHECK_FALSE(parse_ipv6("1:2:3:4:5:6:7:1.2.3.4"));
    CHECK_FALSE(parse_ipv6("::1.2.3.4:5"));
    CHECK_FALSE(parse_ipv6("1::2:3:4:5:6:7:8"));
    CHECK_FALSE(parse_ipv6("g::1"));
    CHECK_FALSE(parse_ipv6("2001:db8:::192.0.2.1"));  // RFC 5118 §4.10, RFC 5954
}

TEST_CASE("host: the value of an IPv6 address does not depend on its text") {
    auto a = parse_ipv6("2001:db8:0:0:1:0:0:1");
    auto b = parse_ipv6("2001:DB8::1:0:0:1");
    REQUIRE(a);
    CHECK(a == b);
    auto mapped = parse_ipv6("::ffff:192.0.2.1");
    REQUIRE(mapped);
    CHECK((*mapped)[10] == 0xff);
    CHECK((*mapped)[12] == 192);
    CHECK((*mapped)[15] == 1);
}

TEST_CASE("host: IPv4 dotted quads") {
    CHECK(parse_ipv4("192.0.2.1") == std::array<std::uint8_t, 4>{192, 0, 2, 1});
    CHECK(parse_ipv4("255.255.255.255"));
    CHECK_FALSE(parse_ipv4("256.0.0.1"));
    CHECK_FALSE(parse_ipv4("1.2.3"));
    CHECK_FALSE(parse_ipv4("1.2.3.4.5"));
    CHECK_FALSE(parse_ipv4("1..2.3"));
    CHECK_FALSE(parse_ipv4("1.2.3.4 "));
    CHECK_FALSE(parse_ipv4("1234.2.3.4"));
}

TEST_CASE("host: hostnames, addresses and IPv6 references") {
    auto name = parse_host("Biloxi.Example.COM.");
    REQUIRE(name.ok());
    CHECK(name->kind == HostKind::Name);
    CHECK(name->equivalent(Host{"biloxi.example.com", HostKind::Name}));

    auto v6 = parse_host("[2001:db8::1]");
    REQUIRE(v6.ok());
    CHECK(v6->kind == HostKind::IPv6);
    CHECK(v6->name == "2001:db8::1");  // stored without brackets
    CHECK(v6->to_string() == "[2001:db8::1]");
    CHECK_FALSE(parse_host("2001:db8::1").ok());
    CHECK(parse_host("2001:db8::1", "Via", true)->kind == HostKind::IPv6);

    CHECK(parse_host("192.0.2.1")->kind == HostKind::IPv4);
    CHECK_FALSE(Host{"192.0.2.1", HostKind::IPv4}.equivalent(Host{"192.0.2.1", HostKind::Name}));

    for (const char* bad : {"-a.example", "a-.example", "a..example", "a.1com", "exa mple", "a_b.example", "[::1",
                            "[]", "[1.2.3.4]", "1.2.3.256"}) {
        INFO(bad);
        auto r = parse_host(bad, "Via");
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().message == std::string("Via: bad host '") + bad + "'");
    }
    CHECK(parse_host("", "Via").error().message == "Via: empty host");
}

TEST_CASE("host: ports are 0 to 65535") {
    CHECK(parse_port("0") == 0);
    CHECK(parse_port("65535") == 65535);
    CHECK(parse_port("05060") == 5060);
    CHECK_FALSE(parse_port("65536"));
    CHECK_FALSE(parse_port(""));
    CHECK_FALSE(parse_port("+1"));
}
