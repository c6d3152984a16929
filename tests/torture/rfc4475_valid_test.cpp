// RFC 4475 §3.1.1: valid messages. Each parses, shows the field values the RFC describes,
// passes (or earns the answer the RFC names from) the receipt checks, and reaches the
// serialize → parse → serialize fixed point.
#include "torture_util.hpp"

#include "dialtone/sip/framer.hpp"
#include "dialtone/sip/multipart.hpp"

using namespace torture;

TEST_CASE("RFC 4475 3.1.1.1 wsinv: short tortuous INVITE") {
    const Message m = parse_file("torture/rfc4475/wsinv.sip");
    CHECK(m.method() == Method::Invite);
    CHECK(m.request_uri() == "sip:vivekg@chair-dnrc.example.com;unknownparam");
    const Uri ruri = request_uri(m);
    CHECK(ruri.user() == "vivekg");
    CHECK(ruri.host().name == "chair-dnrc.example.com");
    CHECK(ruri.params().get("unknownparam") == std::optional<std::string_view>(""));

    const NameAddr to = name_addr(m, HeaderId::To);
    CHECK_FALSE(to.display_name.has_value());
    CHECK(to.uri.user() == "vivekg");
    CHECK(to.tag() == std::optional<std::string_view>("1918181833n"));
    // "J Rosenberg \\\"" : an escaped backslash and an escaped quote.
    const NameAddr from = name_addr(m, HeaderId::From);
    CHECK(from.display_name == std::optional<std::string>("J Rosenberg \\\""));
    CHECK(from.tag() == std::optional<std::string_view>("98asjd8"));

    CHECK(m.find(HeaderId::MaxForwards)->value == "0068");
    CHECK(m.find(HeaderId::CallId)->value == "wsinv.ndaksdj@192.0.2.1");
    CHECK(m.find(HeaderId::CSeq)->value == "0009 INVITE");  // folded over two lines
    const HeaderField* subject = m.find(HeaderId::Subject);  // "s :" — compact, empty
    REQUIRE(subject != nullptr);
    CHECK(subject->value.empty());
    REQUIRE(m.find("NewFangledHeader") != nullptr);
    CHECK(m.find("NewFangledHeader")->value == "newfangled value continued newfangled value");
    REQUIRE(m.find("UnknownHeaderWithUnusualValue") != nullptr);
    CHECK(m.find("UnknownHeaderWithUnusualValue")->value == ";;,,;;,;");

    const std::vector<Via> v = vias(m);  // one "Via" line, one "v" line with two values
    REQUIRE(v.size() == 3);
    CHECK(v[0].transport == "UDP");
    CHECK(v[0].host.name == "192.0.2.2");
    CHECK(v[0].branch() == std::optional<std::string_view>("390skdjuw"));
    CHECK(v[1].transport == "TCP");
    CHECK(v[1].host.name == "spindle.example.com");
    CHECK(v[1].branch() == std::optional<std::string_view>("z9hG4bK9ikj8"));
    CHECK(v[2].host.name == "192.168.255.111");
    CHECK(v[2].branch() == std::optional<std::string_view>("z9hG4bK30239"));

    auto route = parse_name_addr(m.find(HeaderId::Route)->value, "Route", AddrForm::NameAddrOnly);
    REQUIRE(route.ok());
    CHECK(route->uri.lr());
    CHECK(route->uri.params().get("unknownwith") == std::optional<std::string_view>("value"));
    CHECK(route->uri.params().has("unknown-no-value"));

    const std::vector<NameAddr> c = contacts(m);
    REQUIRE(c.size() == 1);
    CHECK(c[0].display_name == std::optional<std::string>("Quoted string \"\""));
    CHECK(c[0].params.get("newparam") == std::optional<std::string_view>("newvalue"));
    CHECK(c[0].params.get("secondparam") == std::optional<std::string_view>(""));
    CHECK(c[0].params.get("q") == std::optional<std::string_view>("0.33"));

    CHECK(m.find(HeaderId::ContentType)->value == "application/sdp");
    CHECK(m.body().size() == 150);
    CHECK_FALSE(validate(m).has_value());
    check_fixed_point(m);
}

TEST_CASE("RFC 4475 3.1.1.2 intmeth: wide range of valid characters") {
    const Message m = parse_file("torture/rfc4475/intmeth.sip");
    CHECK(m.method() == Method::Unknown);
    CHECK(m.method_text() == "!interesting-Method0123456789_*+`.%indeed'~");
    const Uri ruri = request_uri(m);
    CHECK(ruri.user() == "1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");
    CHECK(ruri.password() == std::optional<std::string>("&it+has=1,weird!*pas$wo~d_too.(doesn't-it)"));
    CHECK(ruri.host().name == "example.com");
    CHECK(vias(m).at(0).branch() == std::optional<std::string_view>("z9hG4bK-.!%66*_+`'~"));

    // Quoted pairs of BEL, NUL and DEL in the To display name.
    const NameAddr to = name_addr(m, HeaderId::To);
    CHECK(to.display_name == std::optional<std::string>(std::string("BEL:\x07 NUL:\0 DEL:\x7f", 17)));
    CHECK(to.uri.user() == "1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");

    const NameAddr from = name_addr(m, HeaderId::From);
    CHECK(from.display_name == std::optional<std::string>("token1~` token2'+_ token3*%!.-"));
    CHECK(from.params.get("fromParam''~+*_!.-%") ==
          std::optional<std::string_view>("\xD1\x80\xD0\xB0\xD0\xB1\xD0\xBE\xD1\x82\xD0\xB0\xD1\x8E\xD1\x89\xD0\xB8\xD0\xB9"));
    CHECK(from.tag() == std::optional<std::string_view>("_token~1'+`*%!-."));
    CHECK(m.find(HeaderId::CallId)->value == "intmeth.word%ZK-!.*_+'@word`~)(><:\\/\"][?}{");
    const HeaderField* ext = m.find("extensionHeader-!.%*+_`'~");
    REQUIRE(ext != nullptr);
    CHECK(ext->value == "\xEF\xBB\xBF\xE5\xA4\xA7\xE5\x81\x9C\xE9\x9B\xBB");

    // "Endpoints will generate a 501 listing the methods they understand."
    auto r = validate(m);
    REQUIRE(r.has_value());
    CHECK(r->status == 501);
    check_fixed_point(m);
}

TEST_CASE("RFC 4475 3.1.1.3 esc01: valid use of the % escaping mechanism") {
    const Message m = parse_file("torture/rfc4475/esc01.sip");
    const Uri ruri = request_uri(m);
    CHECK(ruri.user() == "sips:user@example.com");
    CHECK(ruri.host().name == "example.net");
    CHECK(name_addr(m, HeaderId::To).uri.user() == "user");
    CHECK(name_addr(m, HeaderId::From).uri.user() == "I have spaces");
    CHECK(m.find(HeaderId::CallId)->value == "esc01.239409asdfakjkn23onasd0-3234");  // "i:"
    CHECK(m.find(HeaderId::ContentType)->value == "application/sdp");               // "C:"
    const std::vector<NameAddr> c = contacts(m);
    REQUIRE(c.size() == 1);
    CHECK(c[0].uri.user() == "caller");
    CHECK(c[0].uri.lr());  // ";%6C%72"
    CHECK(c[0].uri.params().get("name") == std::optional<std::string_view>("value%41"));
    CHECK_FALSE(validate(m).has_value());
    check_fixed_point(m);
}

TEST_CASE("RFC 4475 3.1.1.4 escnull: escaped NULs in URIs") {
    const Message m = parse_file("torture/rfc4475/escnull.sip");
    CHECK(m.method() == Method::Register);
    CHECK(name_addr(m, HeaderId::To).uri.user() == std::string("null-\0-null", 11));
    CHECK(name_addr(m, HeaderId::From).uri.user() == std::string("null-\0-null", 11));
    const std::vector<NameAddr> c = contacts(m);
    REQUIRE(c.size() == 2);
    CHECK(c[0].uri.user() == std::string(1, '\0'));
    CHECK(c[1].uri.user() == std::string(2, '\0'));
    CHECK(m.body().empty());  // "L:0"
    CHECK_FALSE(validate(m).has_value());
    check_fixed_point(m);
}

TEST_CASE("RFC 4475 3.1.1.5 esc02: use of % when it is not an escape") {
    const Message m = parse_file("torture/rfc4475/esc02.sip");
    CHECK(m.method() == Method::Unknown);
    CHECK(m.method_text() == "RE%47IST%45R");
    CHECK(name_addr(m, HeaderId::To).display_name == std::optional<std::string>("%Z%45"));
    CHECK(vias(m).at(0).branch() == std::optional<std::string_view>("z9hG4bK209%fzsnel234"));
    // "C%6Fntact" is not Contact: two Contact values, one unknown header.
    CHECK(m.values(HeaderId::Contact).size() == 2);
    REQUIRE(m.find("C%6Fntact") != nullptr);
    CHECK(m.find("C%6Fntact")->value == "<sip:alias2@host2.example.com>");
    auto r = validate(m);  // an endpoint rejects the unknown method with 501
    REQUIRE(r.has_value());
    CHECK(r->status == 501);
    check_fixed_point(m);
}

TEST_CASE("RFC 4475 3.1.1.6 lwsdisp: no LWS between display name and <") {
    const Message m = parse_file("torture/rfc4475/lwsdisp.sip");
    const NameAddr from = name_addr(m, HeaderId::From);
    CHECK(from.display_name == std::optional<std::string>("caller"));
    CHECK(from.uri.user() == "caller");
    CHECK(from.tag() == std::optional<std::string_view>("323"));
    CHECK_FALSE(validate(m).has_value());
    check_fixed_point(m);
}

TEST_CASE("RFC 4475 3.1.1.7 longreq: long values in header fields") {
    const Message m = parse_file("torture/rfc4475/longreq.sip");
    auto repeat = [](std::string_view s, int n) {
        std::string out;
        for (int i = 0; i < n; ++i) out += s;
        return out;
    };
    const NameAddr to = name_addr(m, HeaderId::To);
    CHECK(to.display_name == std::optional<std::string>("I have a user name of " + repeat("extreme", 10) + " proportion"));
    CHECK(to.uri.port() == std::optional<std::uint16_t>(6000));
    CHECK(to.uri.params().get("unknownparam1") == std::optional<std::string_view>("very" + repeat("long", 20) + "value"));
    CHECK(to.uri.params().has("very" + repeat("long", 25) + "ParameterNameWithNoValue"));
    const NameAddr from = name_addr(m, HeaderId::From);  // "F:"
    CHECK(from.uri.user() == repeat("amazinglylongcallername", 5));
    CHECK(from.tag() == std::optional<std::string_view>("12" + repeat("982", 50) + "424"));
    CHECK(m.find(HeaderId::CallId)->value == "longreq.one" + repeat("really", 20) + "longcallid");
    REQUIRE(m.find("Unknown-" + repeat("Long", 20) + "-Name") != nullptr);
    const std::vector<Via> v = vias(m);  // Via, v, V, ViA, … in every case and spacing
    REQUIRE(v.size() == 34);
    CHECK(v.front().host.name == "sip33.example.com");
    CHECK(v[32].host.name == "sip1.example.com");
    CHECK(v.back().received() == std::optional<std::string_view>("192.0.2.5"));
    CHECK(v.back().branch() == std::optional<std::string_view>("very" + repeat("long", 50) + "branchvalue"));
    CHECK(contacts(m).at(0).uri.user() == repeat("amazinglylongcallername", 5));
    CHECK(m.body().size() == 150);
    CHECK_FALSE(validate(m).has_value());
    check_fixed_point(m);
}

TEST_CASE("RFC 4475 3.1.1.8 dblreq: extra trailing octets in a UDP datagram") {
    const Message m = parse_file("torture/rfc4475/dblreq.sip");
    // Content-Length 0: the INVITE after the REGISTER is not part of this message (§18.3).
    CHECK(m.method() == Method::Register);
    CHECK(m.find(HeaderId::CallId)->value == "dblreq.0ha0isndaksdj99sdfafnl3lk233412");
    CHECK(m.body().empty());
    CHECK_FALSE(validate(m).has_value());
    CHECK(m.serialize().find("INVITE") == std::string::npos);
    check_fixed_point(m);
}

TEST_CASE("RFC 4475 3.1.1.9 semiuri: semicolon-separated parameters in the URI user part") {
    const Message m = parse_file("torture/rfc4475/semiuri.sip");
    const Uri ruri = request_uri(m);
    CHECK(ruri.user() == "user;par=u@example.net");
    CHECK(ruri.host().name == "example.com");
    CHECK(ruri.params().empty());
    const std::vector<std::string_view> accept = m.values(HeaderId::Accept);  // folded over three lines
    REQUIRE(accept.size() == 6);
    CHECK(accept.front() == "application/sdp");
    CHECK(accept.back() == "message/sipfrag");
    CHECK_FALSE(validate(m).has_value());
    check_fixed_point(m);
}

TEST_CASE("RFC 4475 3.1.1.10 transports: varied and unknown transport types") {
    const Message m = parse_file("torture/rfc4475/transports.sip");
    const std::vector<Via> v = vias(m);
    REQUIRE(v.size() == 5);
    CHECK(v[0].transport == "UDP");
    CHECK(v[1].transport == "SCTP");
    CHECK(v[2].transport == "TLS");
    CHECK(v[3].transport == "UNKNOWN");
    CHECK(v[4].transport == "TCP");
    CHECK(m.find(HeaderId::CallId)->value == "transports.kijh4akdnaqjkwendsasfdj");
    CHECK_FALSE(validate(m).has_value());
    check_fixed_point(m);
}

TEST_CASE("RFC 4475 3.1.1.11 mpart01: multipart MIME message with a binary part") {
    const std::string wire = load("torture/rfc4475/mpart01.sip");
    const Message m = parse_file("torture/rfc4475/mpart01.sip");
    CHECK(m.method() == Method::Message);
    REQUIRE(m.body().size() == 553);
    CHECK(m.body() == std::string_view(wire).substr(wire.size() - 553));
    CHECK(m.body().find('\0') != std::string_view::npos);
    auto text = find_part(m.find(HeaderId::ContentType)->value, m.body(), "text/plain");
    REQUIRE(text.ok());
    REQUIRE(text->has_value());
    CHECK(**text == "Hello");
    auto binary = find_part(m.find(HeaderId::ContentType)->value, m.body(), "application/octet-stream");
    REQUIRE(binary.ok());
    REQUIRE(binary->has_value());
    CHECK((*binary)->size() == 342);
    CHECK((*binary)->substr(0, 4) == std::string_view("\x30\x82\x01\x52", 4));
    CHECK_FALSE(validate(m).has_value());
    check_fixed_point(m);

    // The same bytes over a stream, one octet per read, frame to the same message.
    StreamFramer framer;
    std::optional<Message> framed;
    for (char c : wire) {
        REQUIRE(framer.feed(std::string_view(&c, 1)).ok());
        auto popped = framer.pop();
        REQUIRE(popped.ok());
        if (popped->has_value()) framed = std::move(**popped);
    }
    REQUIRE(framed.has_value());
    CHECK(framed->body() == m.body());
}

TEST_CASE("RFC 4475 3.1.1.12 unreason: unusual reason phrase") {
    const Message m = parse_file("torture/rfc4475/unreason.sip");
    CHECK(m.is_response());
    CHECK(m.status_code() == 200);
    CHECK(m.reason() == "= 2**3 * 5**2 \xD0\xBD\xD0\xBE \xD1\x81\xD1\x82\xD0\xBE \xD0\xB4\xD0\xB5\xD0\xB2\xD1\x8F"
                        "\xD0\xBD\xD0\xBE\xD1\x81\xD1\x82\xD0\xBE \xD0\xB4\xD0\xB5\xD0\xB2\xD1\x8F\xD1\x82\xD1\x8C"
                        " - \xD0\xBF\xD1\x80\xD0\xBE\xD1\x81\xD1\x82\xD0\xBE\xD0\xB5");
    CHECK(m.body().size() == 154);
    CHECK_FALSE(validate(m).has_value());
    check_fixed_point(m);
}

TEST_CASE("RFC 4475 3.1.1.13 noreason: empty reason phrase") {
    const Message m = parse_file("torture/rfc4475/noreason.sip");
    CHECK(m.is_response());
    CHECK(m.status_code() == 100);
    CHECK(m.reason().empty());
    CHECK_FALSE(validate(m).has_value());
    check_fixed_point(m);
}
