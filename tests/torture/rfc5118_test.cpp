// RFC 5118 §4: IPv6 references in SIP messages.
#include "torture_util.hpp"

using namespace torture;

TEST_CASE("RFC 5118 4.1 ipv6-good: valid SIP message with an IPv6 reference") {
    const Message m = parse_file("torture/rfc5118/ipv6-good.sip");
    const Uri ruri = request_uri(m);
    CHECK(ruri.host().kind == HostKind::IPv6);
    CHECK(ruri.host().name == "2001:db8::10");
    CHECK(vias(m).at(0).host.name == "2001:db8::9:1");
    CHECK(contacts(m).at(0).uri.host().name == "2001:db8::1");
    CHECK_FALSE(validate(m).has_value());
    check_fixed_point(m);
}

TEST_CASE("RFC 5118 4.2 ipv6-bad: IPv6 reference without brackets in the Request-URI") {
    expect_rejected("torture/rfc5118/ipv6-bad.sip", 400, {"Request-URI"});
}

TEST_CASE("RFC 5118 4.3 port-ambiguous: port inside the brackets is part of the address") {
    const Message m = parse_file("torture/rfc5118/port-ambiguous.sip");
    const Uri ruri = request_uri(m);
    CHECK(ruri.host().kind == HostKind::IPv6);
    CHECK(ruri.host().name == "2001:db8::10:5070");
    CHECK_FALSE(ruri.port().has_value());
    CHECK_FALSE(validate(m).has_value());
    check_fixed_point(m);
}

TEST_CASE("RFC 5118 4.4 port-unambiguous: port after the closing bracket") {
    const Message m = parse_file("torture/rfc5118/port-unambiguous.sip");
    const Uri ruri = request_uri(m);
    CHECK(ruri.host().name == "2001:db8::10");
    CHECK(ruri.port() == std::optional<std::uint16_t>(5070));
    CHECK_FALSE(validate(m).has_value());
    check_fixed_point(m);
}

TEST_CASE("RFC 5118 4.5 via-received-param-with-delim: received with IPv6 brackets") {
    const Message m = parse_file("torture/rfc5118/via-received-param-with-delim.sip");
    CHECK(m.method() == Method::Bye);
    const Via v = vias(m).at(0);
    CHECK(v.host.name == "2001:db8::9:1");
    REQUIRE(v.received().has_value());
    CHECK(v.received()->find("2001:db8::9:255") != std::string_view::npos);
    CHECK_FALSE(validate(m).has_value());
    check_fixed_point(m);
}

TEST_CASE("RFC 5118 4.5 via-received-param-no-delim: received without IPv6 brackets") {
    const Message m = parse_file("torture/rfc5118/via-received-param-no-delim.sip");
    const Via v = vias(m).at(0);
    CHECK(v.received() == std::optional<std::string_view>("2001:db8::9:255"));
    CHECK_FALSE(validate(m).has_value());
    check_fixed_point(m);
}

TEST_CASE("RFC 5118 4.6 ipv6-in-sdp: SIP request with IPv6 addresses in the SDP body") {
    const Message m = parse_file("torture/rfc5118/ipv6-in-sdp.sip");
    CHECK(name_addr(m, HeaderId::To).uri.host().name == "2001:db8::10");
    CHECK(m.body().find("c=IN IP6 2001:db8::20\r\n") != std::string_view::npos);
    CHECK_FALSE(validate(m).has_value());
    check_fixed_point(m);
}

TEST_CASE("RFC 5118 4.7 mult-ip-in-header: multiple IP addresses in SIP headers") {
    const Message m = parse_file("torture/rfc5118/mult-ip-in-header.sip");
    const std::vector<Via> v = vias(m);
    REQUIRE(v.size() == 3);
    CHECK(v[0].host.kind == HostKind::IPv6);
    CHECK(v[0].port == std::optional<std::uint16_t>(6050));
    CHECK(v[1].host.kind == HostKind::IPv4);
    CHECK(v[2].transport == "TCP");
    CHECK(v[2].host.name == "2001:db8::9:255");
    CHECK(v[2].received() == std::optional<std::string_view>("192.0.2.200"));
    CHECK_FALSE(validate(m).has_value());
    check_fixed_point(m);
}

TEST_CASE("RFC 5118 4.8 mult-ip-in-sdp: multiple IP addresses in SDP") {
    const Message m = parse_file("torture/rfc5118/mult-ip-in-sdp.sip");
    CHECK(m.body().find("c=IN IP4 192.0.2.1\r\n") != std::string_view::npos);
    CHECK(m.body().find("c=IN IP6 2001:db8::1\r\n") != std::string_view::npos);
    CHECK_FALSE(validate(m).has_value());
    check_fixed_point(m);
}

TEST_CASE("RFC 5118 4.9 ipv4-mapped-ipv6: IPv4-mapped IPv6 addresses") {
    const Message m = parse_file("torture/rfc5118/ipv4-mapped-ipv6.sip");
    const std::vector<Via> v = vias(m);
    REQUIRE(v.size() == 2);
    CHECK(v[0].host.kind == HostKind::IPv6);
    CHECK(v[0].port == std::optional<std::uint16_t>(19823));
    CHECK(contacts(m).at(0).uri.host().kind == HostKind::IPv6);
    CHECK_FALSE(validate(m).has_value());
    check_fixed_point(m);
}

TEST_CASE("RFC 5118 4.10 ipv6-bug-abnf-3-colons: three colons before an IPv4 tail are invalid") {
    expect_rejected("torture/rfc5118/ipv6-bug-abnf-3-colons.sip", 400, {"Request-URI"});
}

TEST_CASE("RFC 5118 4.10 ipv6-correct-abnf-2-colons: the corrected form is valid") {
    const Message m = parse_file("torture/rfc5118/ipv6-correct-abnf-2-colons.sip");
    CHECK(request_uri(m).host().kind == HostKind::IPv6);
    CHECK_FALSE(validate(m).has_value());
    check_fixed_point(m);
}
