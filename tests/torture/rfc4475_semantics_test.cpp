// RFC 4475 §3.3 (application-layer semantics) and §3.4 (backward compatibility): messages that
// parse, and the answer a UA gives each.
#include "torture_util.hpp"

using namespace torture;

TEST_CASE("RFC 4475 3.3.1 insuf: missing required header fields") {
    const Message m = parse_file("torture/rfc4475/insuf.sip");
    auto r = validate(m);
    REQUIRE(r.has_value());
    CHECK(r->status == 400);
    CHECK(r->reason == "Missing To, From, Call-ID headers");
}

TEST_CASE("RFC 4475 3.3.2 unkscm: Request-URI with unknown scheme") {
    const Message m = parse_file("torture/rfc4475/unkscm.sip");
    CHECK(m.request_uri() == "nobodyKnowsThisScheme:totallyopaquecontent");
    auto r = validate(m);
    REQUIRE(r.has_value());
    CHECK(r->status == 416);
    CHECK(r->reason.find("nobodyKnowsThisScheme") != std::string::npos);
    check_fixed_point(m);
}

TEST_CASE("RFC 4475 3.3.3 novelsc: Request-URI with known but atypical scheme") {
    const Message m = parse_file("torture/rfc4475/novelsc.sip");
    auto r = validate(m);  // a UA never accepts soap.beep in a Request-URI
    REQUIRE(r.has_value());
    CHECK(r->status == 416);
    CHECK(r->reason.find("soap.beep") != std::string::npos);
    check_fixed_point(m);
}

TEST_CASE("RFC 4475 3.3.4 unksm2: unknown URI schemes in header fields") {
    const Message m = parse_file("torture/rfc4475/unksm2.sip");
    const NameAddr to = name_addr(m, HeaderId::To);
    CHECK(to.uri.scheme() == Scheme::Other);
    CHECK(to.uri.scheme_name() == "isbn");
    CHECK(name_addr(m, HeaderId::From).uri.scheme_name() == "http");
    CHECK(contacts(m).at(0).uri.scheme_name() == "name");
    CHECK_FALSE(validate(m).has_value());  // well formed; what a registrar makes of it is its own
    check_fixed_point(m);
}

TEST_CASE("RFC 4475 3.3.5 bext01: Proxy-Require and Require") {
    const Message m = parse_file("torture/rfc4475/bext01.sip");
    auto r = validate(m);  // a UAS ignores Proxy-Require and refuses the Require tags
    REQUIRE(r.has_value());
    CHECK(r->status == 420);
    REQUIRE(r->unsupported.size() == 2);
    CHECK(r->unsupported[0] == "nothingSupportsThis");
    CHECK(r->unsupported[1] == "nothingSupportsThisEither");
    check_fixed_point(m);
}

TEST_CASE("RFC 4475 3.3.6 invut: unknown Content-Type") {
    const Message m = parse_file("torture/rfc4475/invut.sip");
    auto r = validate(m);
    REQUIRE(r.has_value());
    CHECK(r->status == 415);
    CHECK(r->reason.find("application/unknownformat") != std::string::npos);
    check_fixed_point(m);
}

TEST_CASE("RFC 4475 3.3.7 regaut01: unknown authorization scheme") {
    const Message m = parse_file("torture/rfc4475/regaut01.sip");
    REQUIRE(m.find(HeaderId::Authorization) != nullptr);
    CHECK(m.find(HeaderId::Authorization)->value == "NoOneKnowsThisScheme opaque-data=here");
    CHECK(m.body().empty());  // "Content-Length:0" without a space
    CHECK_FALSE(validate(m).has_value());
    check_fixed_point(m);
}

TEST_CASE("RFC 4475 3.3.8 multi01: multiple values in single-value required fields") {
    const Message m = parse_file("torture/rfc4475/multi01.sip");
    auto r = validate(m);
    REQUIRE(r.has_value());
    CHECK(r->status == 400);
    CHECK(r->reason.find("More than one") != std::string::npos);
}

TEST_CASE("RFC 4475 3.3.9 mcl01: multiple Content-Length values") {
    expect_rejected("torture/rfc4475/mcl01.sip", 400, {"Content-Length"});
}

TEST_CASE("RFC 4475 3.3.10 bcast: 200 OK response with broadcast Via header field value") {
    const Message m = parse_file("torture/rfc4475/bcast.sip");
    const std::vector<Via> v = vias(m);
    REQUIRE(v.size() == 2);
    CHECK(v[1].host.name == "255.255.255.255");
    check_fixed_point(m);
    // Well formed, but a UAC discards a response with more than one Via (§8.1.3.3).
    auto r = validate(m);
    REQUIRE(r.has_value());
    CHECK(r->reason.find("Via") != std::string::npos);
}

TEST_CASE("RFC 4475 3.3.11 zeromf: Max-Forwards of zero") {
    const Message m = parse_file("torture/rfc4475/zeromf.sip");
    CHECK(m.find(HeaderId::MaxForwards)->value == "0");
    CHECK_FALSE(validate(m).has_value());  // the UA is the last hop and answers it
    ReceiptPolicy proxy;
    proxy.forwards = true;
    CHECK_FALSE(validate(m, proxy).has_value());  // OPTIONS: a proxy may answer it itself
    check_fixed_point(m);
}

TEST_CASE("RFC 4475 3.3.12 cparam01: REGISTER with a Contact header parameter") {
    const Message m = parse_file("torture/rfc4475/cparam01.sip");
    const NameAddr c = contacts(m).at(0);
    // addr-spec form: ";unknownparam" belongs to the Contact, not to the URI.
    CHECK(c.params.has("unknownparam"));
    CHECK_FALSE(c.uri.params().has("unknownparam"));
    CHECK(c.uri.user() == "+19725552222");
    CHECK_FALSE(validate(m).has_value());
    check_fixed_point(m);
}

TEST_CASE("RFC 4475 3.3.13 cparam02: REGISTER with a url-parameter") {
    const Message m = parse_file("torture/rfc4475/cparam02.sip");
    const NameAddr c = contacts(m).at(0);
    CHECK(c.uri.params().has("unknownparam"));
    CHECK_FALSE(c.params.has("unknownparam"));
    CHECK_FALSE(validate(m).has_value());
    check_fixed_point(m);
}

TEST_CASE("RFC 4475 3.3.14 regescrt: REGISTER with a URL escaped header") {
    const Message m = parse_file("torture/rfc4475/regescrt.sip");
    const NameAddr c = contacts(m).at(0);  // "M:"
    CHECK(c.uri.header("Route") == std::optional<std::string_view>("<sip:sip.example.com>"));
    CHECK_FALSE(validate(m).has_value());
    check_fixed_point(m);
}

TEST_CASE("RFC 4475 3.3.15 sdp01: unacceptable Accept offering") {
    const Message m = parse_file("torture/rfc4475/sdp01.sip");
    auto r = validate(m);  // our answer would be SDP, which Accept rules out
    REQUIRE(r.has_value());
    CHECK(r->status == 406);
    check_fixed_point(m);
}

TEST_CASE("RFC 4475 3.4.1 inv2543: INVITE with RFC 2543 syntax") {
    // No Max-Forwards, no Content-Length, a Via without branch: accepted for compatibility.
    const Message m = parse_file("torture/rfc4475/inv2543.sip");
    CHECK(m.method() == Method::Invite);
    CHECK(m.find(HeaderId::MaxForwards) == nullptr);
    CHECK_FALSE(vias(m).at(0).branch().has_value());
    CHECK(m.body().size() == 105);  // the rest of the datagram
    CHECK(name_addr(m, HeaderId::From).uri.user_param() == std::optional<std::string_view>("phone"));
    CHECK_FALSE(validate(m).has_value());
    check_fixed_point(m);
}
