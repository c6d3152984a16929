#include <doctest/doctest.h>

#include "dialtone/sip/parser.hpp"
#include "dialtone/sip/typed.hpp"

using namespace dialtone::sip;

namespace {

// RFC 3665 §3.1-style INVITE, with lines that exercise lists and compact forms.
constexpr std::string_view kInvite =
    "INVITE sip:bob@biloxi.example.com SIP/2.0\r\n"
    "Via: SIP/2.0/TCP client.atlanta.example.com:5060;branch=z9hG4bK74bf9;rport\r\n"
    "v: SIP/2.0/UDP [2001:db8::1]:5070;branch=z9hG4bKa, SIP/2.0/UDP 192.0.2.3;received=192.0.2.9\r\n"
    "Max-Forwards: 70\r\n"
    "f: Alice <sip:alice@atlanta.example.com>;tag=9fxced76sl\r\n"
    "t: \"Bob\" <sip:bob@biloxi.example.com>\r\n"
    "i: 3848276298220188511@atlanta.example.com\r\n"
    "CSeq: 1 INVITE\r\n"
    "m: <sip:alice@client.atlanta.example.com;transport=tcp>;expires=60\r\n"
    "Route: <sip:p1.example.com;lr>\r\n"
    "Route: <sip:p2.example.com;lr>, <sip:p3.example.com;lr>\r\n"
    "Supported: 100rel, timer\r\n"
    "k: replaces\r\n"
    "Allow: INVITE, ACK, BYE\r\n"
    "Allow: CANCEL\r\n"
    "Session-Expires: 1800;refresher=uac\r\n"
    "Call-Info: <sip:pbx.example.com>;answer-after=0\r\n"
    "Reason: SIP;cause=200;text=\"Call completed elsewhere\"\r\n"
    "c: application/sdp\r\n"
    "l: 0\r\n"
    "\r\n";

Message parsed(std::string_view bytes) {
    auto r = parse_message(bytes);
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
    return std::move(r).value();
}

Message minimal_request() {
    Message m = Message::request(Method::Options, "sip:bob@biloxi.example.com");
    m.add_header(HeaderId::Via, "SIP/2.0/UDP h.example;branch=z9hG4bK1");
    m.add_header(HeaderId::From, "<sip:alice@atlanta.example.com>;tag=1");
    m.add_header(HeaderId::To, "<sip:bob@biloxi.example.com>");
    m.add_header(HeaderId::CallId, "abc@h.example");
    m.add_header(HeaderId::CSeq, "1 OPTIONS");
    return m;
}

}  // namespace

TEST_CASE("typed: the mandatory headers of an INVITE") {
    Message m = parsed(kInvite);
    auto uri = request_uri(m);
    REQUIRE(uri.ok());
    CHECK(uri->user() == "bob");

    auto top = top_via(m);
    REQUIRE(top.ok());
    CHECK(top->transport == "TCP");
    CHECK(top->branch() == "z9hG4bK74bf9");
    CHECK(top->has_rport());

    auto all = vias(m);
    REQUIRE(all.ok());
    REQUIRE(all->size() == 3);
    CHECK((*all)[1].host.kind == HostKind::IPv6);
    CHECK((*all)[2].received() == "192.0.2.9");

    auto f = from(m);
    REQUIRE(f.ok());
    CHECK(f->display_name == "Alice");
    CHECK(f->tag() == "9fxced76sl");
    auto t = to(m);
    REQUIRE(t.ok());
    CHECK_FALSE(t->tag());
    CHECK(call_id(m).value() == "3848276298220188511@atlanta.example.com");
    auto cs = cseq(m);
    REQUIRE(cs.ok());
    CHECK(cs->number == 1u);
    CHECK(cs->method() == Method::Invite);
}

TEST_CASE("typed: lists gather every line and every comma-separated element") {
    Message m = parsed(kInvite);
    auto rs = routes(m);
    REQUIRE(rs.ok());
    REQUIRE(rs->size() == 3);
    CHECK((*rs)[2].uri.host().name == "p3.example.com");
    CHECK(record_routes(m).value().empty());

    auto sup = supported(m);
    REQUIRE(sup.ok());
    CHECK(sup->tokens.size() == 3);
    CHECK(sup->contains("replaces"));
    auto al = allow(m);
    REQUIRE(al.ok());
    CHECK(al->contains_exact("CANCEL"));
    CHECK(require(m).value().empty());

    auto cs = contacts(m);
    REQUIRE(cs.ok());
    REQUIRE(cs->size() == 1);
    CHECK(cs->front().expires() == 60u);
    CHECK(cs->front().address.uri.transport() == "tcp");
}

TEST_CASE("typed: optional single values") {
    Message m = parsed(kInvite);
    CHECK(max_forwards(m).value() == std::optional<std::uint8_t>(70));
    CHECK(content_length(m).value() == std::optional<std::uint32_t>(0));
    auto ct = content_type(m);
    REQUIRE(ct.ok());
    REQUIRE(ct->has_value());
    CHECK((*ct)->is("application", "sdp"));
    auto se = session_expires(m);
    REQUIRE(se.ok());
    REQUIRE(se->has_value());
    CHECK((*se)->refresher() == Refresher::Uac);
    CHECK((*se)->delta_seconds == 1800u);
    auto ci = call_info(m);
    REQUIRE(ci.ok());
    CHECK(ci->front().answer_after() == 0u);
    auto rs = reasons(m);
    REQUIRE(rs.ok());
    CHECK(rs->front().cause() == 200u);

    CHECK_FALSE(expires(m).value().has_value());
    CHECK_FALSE(rack(m).value().has_value());
    CHECK_FALSE(event(m).value().has_value());
    CHECK_FALSE(refer_to(m).value().has_value());
    CHECK_FALSE(replaces(m).value().has_value());
    CHECK_FALSE(accept(m).value().has_value());
    CHECK(warnings(m).value().empty());
}

TEST_CASE("typed: a missing mandatory header is named") {
    Message m = Message::request(Method::Options, "sip:bob@biloxi.example.com");
    auto v = top_via(m);
    REQUIRE_FALSE(v.ok());
    CHECK(v.error().message == "missing Via header");
    CHECK(v.error().status == 400);
    CHECK(vias(m).error().message == "missing Via header");
    CHECK(from(m).error().message == "missing From header");
    CHECK(to(m).error().message == "missing To header");
    CHECK(call_id(m).error().message == "missing Call-ID header");
    CHECK(cseq(m).error().message == "missing CSeq header");
}

TEST_CASE("typed: a single-valued header given twice is an error (RFC 4475 §3.3.8)") {
    Message m = minimal_request();
    m.add_header(HeaderId::From, "<sip:mallory@example.com>;tag=2");
    CHECK(from(m).error().message == "From: appears 2 times");
    m.add_header(HeaderId::MaxForwards, "70");
    m.add_header(HeaderId::MaxForwards, "69");
    CHECK(max_forwards(m).error().message == "Max-Forwards: appears 2 times");
}

TEST_CASE("typed: malformed values report the header and the fault") {
    Message m = minimal_request();
    m.set_header(HeaderId::Via, "SIP/2.0/UDP h.example:70000;branch=z9hG4bK1");
    CHECK(top_via(m).error().message == "Via: bad sent-by port '70000'");
    m.set_header(HeaderId::CSeq, "2147483648 OPTIONS");
    CHECK(cseq(m).error().message == "CSeq: sequence number '2147483648' above 2^31-1");
    m.set_header(HeaderId::CallId, "a b");
    CHECK(call_id(m).error().message == "Call-ID: bad value 'a b'");
    m.add_header(HeaderId::Contact, "*");
    m.add_header(HeaderId::Contact, "<sip:a@b.example>");
    CHECK(contacts(m).error().message == "Contact: '*' must be the only contact");
    m.add_header(HeaderId::Require, "");
    CHECK(require(m).error().message == "Require: empty value");
    m.add_header(HeaderId::Expires, "soon");
    CHECK(expires(m).error().message == "Expires: bad value 'soon'");
}

TEST_CASE("typed: the Request-URI of an unknown scheme parses, and a response has none") {
    Message m = Message::request(Method::Invite, "mailto:bob@example.com");
    auto u = request_uri(m);
    REQUIRE(u.ok());
    CHECK(u->scheme() == Scheme::Other);
    Message bad = Message::request(Method::Invite, "sip:bob@example.com:99999");
    CHECK(request_uri(bad).error().message == "Request-URI: bad URI port '99999'");
    Message resp = Message::response(200, "OK");
    CHECK(request_uri(resp).error().message == "Request-URI: not a request");
}

TEST_CASE("typed: a REFER with Refer-To carrying Replaces, and a PRACK's RAck") {
    Message m = minimal_request();
    m.add_header(HeaderId::ReferTo, "<sip:carol@c.example?Replaces=xyz%40h.example%3Bto-tag%3Da%3Bfrom-tag%3Db>");
    m.add_header(HeaderId::ReferredBy, "<sip:alice@atlanta.example.com>");
    m.add_header(HeaderId::Event, "refer;id=7");
    m.add_header(HeaderId::RAck, "776656 1 INVITE");
    auto rt = refer_to(m);
    REQUIRE(rt.ok());
    REQUIRE(rt->has_value());
    auto rep = embedded_replaces((*rt)->uri);
    REQUIRE(rep.ok());
    CHECK((*rep)->call_id == "xyz@h.example");
    CHECK(referred_by(m).value()->uri.user() == "alice");
    CHECK(event(m).value()->id() == "7");
    CHECK(rack(m).value()->rseq == 776656u);
}
