#include <doctest/doctest.h>

#include "dialtone/sip/contact.hpp"
#include "dialtone/sip/route.hpp"

using namespace dialtone::sip;

namespace {
std::vector<Contact> must_parse(std::string_view text) {
    auto r = parse_contact_list(text);
    INFO(text);
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
    for (const Contact& c : r.value()) {
        auto again = parse_contact(c.to_string());
        REQUIRE(again.ok());
        CHECK(again.value() == c);
    }
    return r.value();
}
std::string error_of(std::string_view text) {
    auto r = parse_contact_list(text);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().status == 400);
    return r.error().message;
}
}  // namespace

TEST_CASE("Contact: a list with expires and q (RFC 3261 §20.10)") {
    auto cs = must_parse("\"Mr. Watson\" <sip:watson@worcester.bell-telephone.com>;q=0.7; expires=3600, "
                         "\"Mr. Watson\" <mailto:watson@bell-telephone.com> ;q=0.1");
    REQUIRE(cs.size() == 2);
    CHECK_FALSE(cs[0].wildcard);
    CHECK(cs[0].address.display_name == "Mr. Watson");
    CHECK(cs[0].q_millis() == 700);
    CHECK(cs[0].expires() == 3600u);
    CHECK(cs[1].address.uri.scheme() == Scheme::Other);
    CHECK(cs[1].q_millis() == 100);
    CHECK_FALSE(cs[1].expires());
}

TEST_CASE("Contact: addr-spec parameters belong to the contact, not the URI") {
    auto cs = must_parse("sip:alice@192.0.2.4;expires=60");
    REQUIRE(cs.size() == 1);
    CHECK(cs[0].expires() == 60u);
    CHECK(cs[0].address.uri.params().empty());
}

TEST_CASE("Contact: '*' alone removes all bindings") {
    auto cs = must_parse(" * ");
    REQUIRE(cs.size() == 1);
    CHECK(cs[0].wildcard);
    CHECK(cs[0].to_string() == "*");
    CHECK(error_of("*, <sip:a@b.example>") == "Contact: '*' must be the only contact");
}

TEST_CASE("Contact: q is 0 to 1 with at most three decimals") {
    CHECK(parse_qvalue("0") == 0);
    CHECK(parse_qvalue("1") == 1000);
    CHECK(parse_qvalue("1.000") == 1000);
    CHECK(parse_qvalue("0.5") == 500);
    CHECK(parse_qvalue("0.001") == 1);
    CHECK(parse_qvalue("0.") == 0);
    CHECK_FALSE(parse_qvalue("1.5"));
    CHECK_FALSE(parse_qvalue("0.1234"));
    CHECK_FALSE(parse_qvalue("2"));
    CHECK_FALSE(parse_qvalue(".5"));
    CHECK(error_of("<sip:a@b.example>;q=1.5") == "Contact: bad q value '1.5'");
    CHECK(error_of("<sip:a@b.example>;q") == "Contact: bad q value ''");
}

TEST_CASE("Contact: expires is delta-seconds up to 2^32-1") {
    CHECK(must_parse("<sip:a@b.example>;expires=4294967295")[0].expires() == 4294967295u);
    CHECK(error_of("<sip:a@b.example>;expires=4294967296") == "Contact: bad expires '4294967296'");
    CHECK(error_of("<sip:a@b.example>;expires=-1") == "Contact: bad expires '-1'");
    CHECK(error_of("<sip:a@b.example>;expires=\"Thu, 01 Dec 1994 16:00:00 GMT\"") ==
          "Contact: bad expires 'Thu, 01 Dec 1994 16:00:00 GMT'");
}

TEST_CASE("Contact: set_expires writes the parameter") {
    Contact c = must_parse("<sip:a@b.example>")[0];
    c.set_expires(0);
    CHECK(c.to_string() == "<sip:a@b.example>;expires=0");
    CHECK(c.expires() == 0u);
}

TEST_CASE("Contact: faults name the header") {
    CHECK(error_of("") == "Contact: empty list element");
    CHECK(error_of("<sip:a@b.example>,") == "Contact: empty list element");
    CHECK(error_of("<sip:a@b.example:123456>") == "Contact: bad URI port '123456'");
}

TEST_CASE("Record-Route: name-addrs in order, lr flags kept") {
    auto r = parse_route_list("<sip:p1.example.com;lr>, <sip:p2.domain.com;lr;ftag=Ab12>;x=y", "Record-Route");
    REQUIRE(r.ok());
    REQUIRE(r->size() == 2);
    CHECK((*r)[0].uri.lr());
    CHECK((*r)[1].uri.params().get("ftag") == "Ab12");
    CHECK((*r)[1].params.get("x") == "y");
    CHECK(route_list_to_string(r.value()) == "<sip:p1.example.com;lr>, <sip:p2.domain.com;lr;ftag=Ab12>;x=y");
    auto again = parse_route_list(route_list_to_string(r.value()));
    REQUIRE(again.ok());
    CHECK(again.value() == r.value());
}

TEST_CASE("Route: an addr-spec without brackets is an error (§20.34)") {
    auto r = parse_route_list("sip:p1.example.com;lr", "Route");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message == "Route: URI must be enclosed in '<' and '>'");
    auto ipv6 = parse_route_list("<sip:[2001:db8::1]:5060;lr>");
    REQUIRE(ipv6.ok());
    CHECK((*ipv6)[0].uri.host().kind == HostKind::IPv6);
}
