#include <doctest/doctest.h>

#include "dialtone/sip/uri.hpp"

using namespace dialtone::sip;

namespace {
Uri must_parse(std::string_view text) {
    auto r = parse_uri(text);
    INFO(text);
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
    return r.value();
}
std::string error_of(std::string_view text) {
    auto r = parse_uri(text);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().status == 400);
    return r.error().message;
}
void check_round_trip(std::string_view text) {
    Uri u = must_parse(text);
    auto again = parse_uri(u.to_string());
    REQUIRE(again.ok());
    CHECK(again.value() == u);
    CHECK(again->to_string() == u.to_string());
}
}  // namespace

TEST_CASE("URI: sip with user, password, host, port, parameters and headers") {
    Uri u = must_parse("sip:alice:secretword@atlanta.com:5061;transport=tcp;lr?subject=project&priority=urgent");
    CHECK(u.scheme() == Scheme::Sip);
    CHECK(u.user() == "alice");
    REQUIRE(u.password());
    CHECK(*u.password() == "secretword");
    CHECK(u.host().name == "atlanta.com");
    CHECK(u.host().kind == HostKind::Name);
    CHECK(u.port() == 5061);
    CHECK(u.transport() == "tcp");
    CHECK(u.lr());
    REQUIRE(u.headers().size() == 2);
    CHECK(u.header("Subject") == "project");
    CHECK(u.header("priority") == "urgent");
    CHECK(u.to_string() == "sip:alice:secretword@atlanta.com:5061;transport=tcp;lr?subject=project&priority=urgent");
}

TEST_CASE("URI: the scheme is case-insensitive and written in lower case") {
    Uri u = must_parse("SIPS:Bob@Biloxi.COM");
    CHECK(u.scheme() == Scheme::Sips);
    CHECK(u.is_secure());
    CHECK(u.user() == "Bob");
    CHECK(u.to_string() == "sips:Bob@Biloxi.COM");
}

TEST_CASE("URI: a host without user part") {
    Uri u = must_parse("sip:biloxi.com;transport=udp");
    CHECK(u.user().empty());
    CHECK(u.host().name == "biloxi.com");
    CHECK_FALSE(u.port());
}

TEST_CASE("URI: parameters without a value are flags, '=' with nothing after is an empty value") {
    Uri u = must_parse("sip:p1.example.com;lr;maddr=;x=y");
    REQUIRE(u.params().size() == 3);
    CHECK(u.params().items()[0].name == "lr");
    CHECK_FALSE(u.params().items()[0].value);
    REQUIRE(u.maddr());
    CHECK(u.maddr()->empty());
    CHECK(u.params().find("maddr")->value.has_value());
    CHECK(u.to_string() == "sip:p1.example.com;lr;maddr=;x=y");
}

TEST_CASE("URI: parameter names are found regardless of case and kept as written") {
    Uri u = must_parse("sip:a@b.example;Transport=TCP");
    CHECK(u.transport() == "TCP");
    CHECK(u.to_string() == "sip:a@b.example;Transport=TCP");
}

TEST_CASE("URI: %XX escapes are decoded and written back canonically (RFC 4475 §3.1.1.1)") {
    Uri u = must_parse("sip:%61lice@atlanta.com");
    CHECK(u.user() == "alice");
    CHECK(u.to_string() == "sip:alice@atlanta.com");

    Uri v = must_parse("sip:sips%3Auser%40example.com@example.net");
    CHECK(v.user() == "sips:user@example.com");
    CHECK(v.host().name == "example.net");
    CHECK(v.to_string() == "sip:sips%3Auser%40example.com@example.net");

    Uri w = must_parse("sip:user;par=u%40example.net@example.com");
    CHECK(w.user() == "user;par=u@example.net");
    CHECK(w.host().name == "example.com");
    CHECK(w.params().empty());

    Uri x = must_parse("sip:bob@biloxi.com?to=sip:bob%40biloxi.com&subject=project%20x");
    CHECK(x.header("to") == "sip:bob@biloxi.com");
    CHECK(x.header("subject") == "project x");
    CHECK(x.to_string() == "sip:bob@biloxi.com?to=sip:bob%40biloxi.com&subject=project%20x");
}

TEST_CASE("URI: a malformed escape is rejected") {
    CHECK(error_of("sip:%6@atlanta.com") == "URI: bad %-escape in URI user");
    CHECK(error_of("sip:%zzice@atlanta.com") == "URI: bad %-escape in URI user");
}

TEST_CASE("URI: IPv4 and IPv6 hosts (RFC 5118)") {
    Uri v4 = must_parse("sip:192.0.2.4:5060");
    CHECK(v4.host().kind == HostKind::IPv4);
    CHECK(v4.port() == 5060);

    Uri v6 = must_parse("sip:user@[2001:db8::10]:5070;transport=udp");
    CHECK(v6.host().kind == HostKind::IPv6);
    CHECK(v6.host().name == "2001:db8::10");
    CHECK(v6.port() == 5070);
    CHECK(v6.to_string() == "sip:user@[2001:db8::10]:5070;transport=udp");

    // RFC 5118 §4.2: the whole text in brackets is the address, there is no port.
    Uri noport = must_parse("sip:[2001:db8::10:5070]");
    CHECK(noport.host().name == "2001:db8::10:5070");
    CHECK_FALSE(noport.port());

    Uri mapped = must_parse("sip:[::ffff:192.0.2.1]");
    CHECK(mapped.host().kind == HostKind::IPv6);
}

TEST_CASE("URI: broken IPv6 references are rejected (RFC 5118 §4.1)") {
    CHECK(error_of("sip:user@[2001:db8::10") == "URI: unterminated IPv6 reference in URI host");
    CHECK(error_of("sip:user@2001:db8::10") == "URI: IPv6 address without brackets in URI host '2001:db8::10'");
    CHECK(error_of("sip:user@[2001:db8:::10]") == "URI: bad URI host '[2001:db8:::10]'");
    CHECK(error_of("sip:user@[1:2:3:4:5:6:7:8:9]") == "URI: bad URI host '[1:2:3:4:5:6:7:8:9]'");
    CHECK(error_of("sip:user@[2001:db8::10]x") == "URI: unexpected 'x' after URI host");
}

TEST_CASE("URI: the port must be 0-65535") {
    CHECK(must_parse("sip:a@host.example:65535").port() == 65535);
    CHECK(must_parse("sip:a@host.example:0").port() == 0);
    CHECK(error_of("sip:a@host.example:70000") == "URI: bad URI port '70000'");
    CHECK(error_of("sip:a@host.example:") == "URI: bad URI port ''");
    CHECK(error_of("sip:a@host.example:5o60") == "URI: bad URI port '5o60'");
}

TEST_CASE("URI: malformed hosts and user parts are named") {
    CHECK(error_of("sip:a@") == "URI: missing URI host");
    CHECK(error_of("sip:@host.example") == "URI: empty URI user");
    CHECK(error_of("sip:a@192.0.2.300") == "URI: bad URI host '192.0.2.300'");
    CHECK(error_of("sip:a@exa_mple.com") == "URI: bad URI host 'exa_mple.com'");
    CHECK(error_of("sip:a b@host.example") == "URI: bad character ' ' in URI");
    CHECK(error_of("sip:a[b@host.example") == "URI: bad character '[' in URI user");
    CHECK(error_of("host.example") == "URI: missing scheme in URI 'host.example'");
    CHECK(error_of("1sip:host.example") == "URI: bad URI scheme '1sip'");
    CHECK(error_of("sip:host.example;;lr") == "URI: empty URI parameter name");
    CHECK(error_of("sip:host.example;lr;LR") == "URI: duplicate URI parameter 'LR'");
    CHECK(error_of("tel:+1234;ext=1;ext=2") == "URI: duplicate URI parameter 'ext'");
    CHECK(error_of("sip:host.example?") == "URI: empty URI headers after '?'");
    CHECK(error_of("sip:host.example?novalue") == "URI: bad URI header 'novalue'");
    auto r = parse_uri("sip:a@host.example:99999", "Contact");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message == "Contact: bad URI port '99999'");
}

TEST_CASE("URI: tel numbers (RFC 3966)") {
    Uri g = must_parse("tel:+1-201-555-0123;ext=1234");
    CHECK(g.scheme() == Scheme::Tel);
    CHECK(g.is_global_number());
    CHECK(g.number() == "+1-201-555-0123");
    CHECK(g.params().get("ext") == "1234");
    CHECK(g.to_string() == "tel:+1-201-555-0123;ext=1234");

    Uri l = must_parse("TEL:7042;phone-context=example.com");
    CHECK_FALSE(l.is_global_number());
    CHECK(l.params().get("phone-context") == "example.com");

    CHECK(error_of("tel:+1-201-CALL") == "URI: bad character 'C' in tel URI number");
    CHECK(error_of("tel:+--") == "URI: tel URI without a number");
    CHECK(error_of("tel:123?x=y") == "URI: bad character '?' in tel URI number");
}

TEST_CASE("URI: other schemes are kept as text with their scheme") {
    Uri h = must_parse("HTTP://www.example.com/alice/photo.jpg");
    CHECK(h.scheme() == Scheme::Other);
    CHECK(h.scheme_name() == "http");
    CHECK(h.opaque() == "//www.example.com/alice/photo.jpg");
    CHECK(h.to_string() == "http://www.example.com/alice/photo.jpg");
    CHECK(must_parse("urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6").scheme_name() == "urn");
    CHECK(error_of("mailto:") == "URI: empty mailto URI");
}

TEST_CASE("URI: write then parse gives the same URI") {
    for (const char* text : {"sip:alice@atlanta.com", "sips:bob:pw@[::1]:5061;transport=tls;maddr=[2001:db8::1]",
                             "sip:%61lice@atlanta.com;transport=TCP",
                             "sip:biloxi.com;transport=tcp;method=REGISTER?to=sip:bob%40biloxi.com",
                             "sip:a%20b;c@d.example;p=%3b?h=%26", "tel:+1-201-555-0123;ext=1234",
                             "sip:host.example;lr;maddr=", "http://example.com/x?y=z"})
        check_round_trip(text);

    Uri built = Uri::sip("a b@c", Host{"example.com", HostKind::Name}, 5060);
    built.params().set("transport", "tcp");
    built.headers().push_back({"Replaces", "abc@d;to-tag=1;from-tag=2"});
    CHECK(built.to_string() == "sip:a%20b%40c@example.com:5060;transport=tcp?Replaces=abc%40d%3Bto-tag%3D1%3Bfrom-tag%3D2");
    auto back = parse_uri(built.to_string());
    REQUIRE(back.ok());
    CHECK(back.value() == built);
}

// RFC 3261 §19.1.4: the examples of equivalent and non-equivalent URIs.
TEST_CASE("URI equivalence: the equal pairs of RFC 3261 §19.1.4") {
    auto eq = [](const char* a, const char* b) {
        INFO(a << " vs " << b);
        CHECK(must_parse(a).equivalent(must_parse(b)));
        CHECK(must_parse(b).equivalent(must_parse(a)));
    };
    eq("sip:%61lice@atlanta.com;transport=TCP", "sip:alice@AtLanTa.CoM;Transport=tcp");
    eq("sip:carol@chicago.com", "sip:carol@chicago.com;newparam=5");
    eq("sip:carol@chicago.com", "sip:carol@chicago.com;security=on");
    eq("sip:carol@chicago.com;newparam=5", "sip:carol@chicago.com;security=on");
    eq("sip:biloxi.com;transport=tcp;method=REGISTER?to=sip:bob%40biloxi.com",
       "sip:biloxi.com;method=REGISTER;transport=tcp?to=sip:bob%40biloxi.com");
    eq("sip:alice@atlanta.com?subject=project%20x&priority=urgent",
       "sip:alice@atlanta.com?priority=urgent&subject=project%20x");
}

TEST_CASE("URI equivalence: the unequal pairs of RFC 3261 §19.1.4") {
    auto ne = [](const char* a, const char* b) {
        INFO(a << " vs " << b);
        CHECK_FALSE(must_parse(a).equivalent(must_parse(b)));
        CHECK_FALSE(must_parse(b).equivalent(must_parse(a)));
    };
    ne("SIP:ALICE@AtLanTa.CoM;Transport=udp", "sip:alice@AtLanTa.CoM;Transport=UDP");
    ne("sip:bob@biloxi.com", "sip:bob@biloxi.com:5060");
    ne("sip:bob@biloxi.com", "sip:bob@biloxi.com;transport=udp");
    ne("sip:bob@biloxi.com", "sip:bob@biloxi.com:6000;transport=tcp");
    ne("sip:carol@chicago.com", "sip:carol@chicago.com?Subject=next%20meeting");
    ne("sip:bob@phone21.boxesbybob.com", "sip:bob@192.0.2.4");
    ne("sip:carol@chicago.com;security=on", "sip:carol@chicago.com;security=off");
    ne("sip:a@example.com", "sips:a@example.com");
    ne("sip:a@example.com", "sip:a@example.com;maddr=192.0.2.1");
}

TEST_CASE("URI equivalence: IPv6 addresses compare by value (RFC 5118 §4.4)") {
    CHECK(must_parse("sip:[::1]").equivalent(must_parse("sip:[0:0:0:0:0:0:0:1]")));
    CHECK(must_parse("sip:[2001:DB8::1]").equivalent(must_parse("sip:[2001:db8:0::1]")));
    CHECK_FALSE(must_parse("sip:[::1]").equivalent(must_parse("sip:[::2]")));
    CHECK(must_parse("sip:[::ffff:192.0.2.1]").equivalent(must_parse("sip:[::ffff:c000:201]")));
}

TEST_CASE("URI equivalence: tel numbers ignore visual separators (RFC 3966 §4)") {
    CHECK(must_parse("tel:+1-201-555-0123").equivalent(must_parse("tel:+1(201)5550123")));
    CHECK_FALSE(must_parse("tel:+12015550123").equivalent(must_parse("tel:12015550123;phone-context=+1")));
    CHECK(must_parse("tel:7042;phone-context=EXAMPLE.com").equivalent(must_parse("tel:7042;Phone-Context=example.com")));
    CHECK_FALSE(must_parse("tel:7042;phone-context=a.example").equivalent(must_parse("tel:7042")));
    CHECK(must_parse("http://a/b").equivalent(must_parse("HTTP://a/b")));
}
