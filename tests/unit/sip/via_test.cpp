#include <doctest/doctest.h>

#include "dialtone/sip/via.hpp"

using namespace dialtone::sip;

namespace {
Via must_parse(std::string_view text) {
    auto r = parse_via(text);
    INFO(text);
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
    auto again = parse_via(r->to_string());
    REQUIRE(again.ok());
    CHECK(again.value() == r.value());
    return r.value();
}
std::string error_of(std::string_view text) {
    auto r = parse_via(text);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().status == 400);
    return r.error().message;
}
}  // namespace

TEST_CASE("Via: protocol, transport, sent-by and branch") {
    Via v = must_parse("SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds");
    CHECK(v.protocol == "SIP");
    CHECK(v.version == "2.0");
    CHECK(v.transport == "UDP");
    CHECK(v.host.name == "pc33.atlanta.com");
    CHECK_FALSE(v.port);
    CHECK(v.branch() == "z9hG4bK776asdhds");
    CHECK(v.has_magic_cookie());
    CHECK(v.to_string() == "SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds");
}

TEST_CASE("Via: transport and protocol name are case-insensitive and written in upper case") {
    Via v = must_parse("sip/2.0/tcp host.example:5070");
    CHECK(v.transport == "TCP");
    CHECK(v.port == 5070);
    CHECK(v.to_string() == "SIP/2.0/TCP host.example:5070");
}

TEST_CASE("Via: whitespace around the slashes and the colon is allowed (RFC 4475 §3.1.1.1)") {
    Via v = must_parse("SIP  /   2.0 /  UDP   192.0.2.2 : 5060 ;rport;branch=z9hG4bK1");
    CHECK(v.transport == "UDP");
    CHECK(v.host.kind == HostKind::IPv4);
    CHECK(v.port == 5060);
    CHECK(v.has_rport());
}

TEST_CASE("Via: a missing branch is not an error (RFC 2543 peers)") {
    Via v = must_parse("SIP/2.0/UDP 192.0.2.1");
    CHECK_FALSE(v.branch());
    CHECK_FALSE(v.has_magic_cookie());
    CHECK_FALSE(must_parse("SIP/2.0/UDP h.example;branch=776asdhds").has_magic_cookie());
}

TEST_CASE("Via: rport without a value is kept as a flag (RFC 3581)") {
    Via v = must_parse("SIP/2.0/UDP 10.0.0.1:5060;rport;branch=z9hG4bKx");
    CHECK(v.has_rport());
    CHECK_FALSE(v.rport());
    CHECK(v.to_string() == "SIP/2.0/UDP 10.0.0.1:5060;rport;branch=z9hG4bKx");
    v.set_rport(5061);
    v.set_received("192.0.2.7");
    CHECK(v.rport() == 5061);
    CHECK(v.to_string() == "SIP/2.0/UDP 10.0.0.1:5060;rport=5061;branch=z9hG4bKx;received=192.0.2.7");
}

TEST_CASE("Via: received, maddr and ttl") {
    Via v = must_parse("SIP/2.0/UDP h.example;received=192.0.2.1;maddr=224.2.0.1;ttl=16;x=\"y\"");
    CHECK(v.received() == "192.0.2.1");
    CHECK(v.maddr() == "224.2.0.1");
    CHECK(v.ttl() == 16);
    CHECK(v.params.get("x") == "y");
}

TEST_CASE("Via: IPv6 sent-by and received, with and without brackets (RFC 5118 §4.5)") {
    Via v = must_parse("SIP/2.0/UDP [2001:db8::9:1]:5070;received=[2001:db8::9:255];branch=z9hG4bKas3-111");
    CHECK(v.host.kind == HostKind::IPv6);
    CHECK(v.host.name == "2001:db8::9:1");
    CHECK(v.port == 5070);
    CHECK(v.received() == "[2001:db8::9:255]");
    CHECK(v.to_string() == "SIP/2.0/UDP [2001:db8::9:1]:5070;received=[2001:db8::9:255];branch=z9hG4bKas3-111");
    CHECK(must_parse("SIP/2.0/UDP [2001:db8::9:1];received=2001:db8::9:255").received() == "2001:db8::9:255");
}

TEST_CASE("Via: faults are named") {
    CHECK(error_of("SIP/2.0/UDP host.example:70000") == "Via: bad sent-by port '70000'");
    CHECK(error_of("SIP/2.0/UDP host.example:") == "Via: bad sent-by port ''");
    CHECK(error_of("SIP/2.0/UDP") == "Via: missing space before sent-by");
    CHECK(error_of("SIP/2.0 host.example") == "Via: missing '/' after protocol version");
    CHECK(error_of("SIP host.example") == "Via: missing '/' after protocol name");
    CHECK(error_of("") == "Via: missing protocol name");
    CHECK(error_of("SIP/2.0/UDP [2001:db8::1") == "Via: unterminated IPv6 reference in sent-by");
    CHECK(error_of("SIP/2.0/UDP host_1.example") == "Via: bad sent-by host 'host_1.example'");
    CHECK(error_of("SIP/2.0/UDP h.example;ttl=256") == "Via: bad ttl '256'");
    CHECK(error_of("SIP/2.0/UDP h.example;rport=65536") == "Via: bad rport '65536'");
    CHECK(error_of("SIP/2.0/UDP h.example;received=not_an_ip") == "Via: bad received 'not_an_ip'");
    CHECK(error_of("SIP/2.0/UDP h.example;branch") == "Via: branch parameter without a value");
    CHECK(error_of("SIP/2.0/UDP h.example;branch=\"a b\"") == "Via: bad branch 'a b'");
    CHECK(error_of("SIP/2.0/UDP h.example junk") == "Via: unexpected 'junk'");
}

TEST_CASE("Via: a header line may carry several via-parms") {
    auto r = parse_via_list("SIP/2.0/UDP a.example;branch=z9hG4bK1, SIP/2.0/TCP b.example:5070;branch=z9hG4bK2");
    REQUIRE(r.ok());
    REQUIRE(r->size() == 2);
    CHECK((*r)[1].transport == "TCP");
    CHECK((*r)[1].branch() == "z9hG4bK2");
    auto bad = parse_via_list("SIP/2.0/UDP a.example, ");
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().message == "Via: empty list element");
}
