#include <doctest/doctest.h>

#include "dialtone/sip/name_addr.hpp"

using namespace dialtone::sip;

namespace {
NameAddr must_parse(std::string_view text, AddrForm form = AddrForm::Any) {
    auto r = parse_name_addr(text, "From", form);
    INFO(text);
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
    auto again = parse_name_addr(r->to_string(), "From", form);
    REQUIRE(again.ok());
    CHECK(again.value() == r.value());  // parse(write(x)) == x
    return r.value();
}
std::string error_of(std::string_view text, AddrForm form = AddrForm::Any) {
    auto r = parse_name_addr(text, "From", form);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().status == 400);
    return r.error().message;
}
}  // namespace

TEST_CASE("name-addr: quoted display name with escapes, URI in brackets, tag") {
    NameAddr na = must_parse(R"("Bob \"the builder\" \\o/" <sip:bob@biloxi.com>;tag=a6c85cf)");
    REQUIRE(na.display_name);
    CHECK(*na.display_name == R"(Bob "the builder" \o/)");
    CHECK(na.uri.user() == "bob");
    CHECK(na.tag() == "a6c85cf");
    CHECK(na.to_string() == R"("Bob \"the builder\" \\o/" <sip:bob@biloxi.com>;tag=a6c85cf)");
}

TEST_CASE("name-addr: a display name of tokens keeps single spaces") {
    NameAddr na = must_parse("Bob   Smith\t<sip:bob@biloxi.com>");
    CHECK(*na.display_name == "Bob Smith");
    CHECK(na.to_string() == "\"Bob Smith\" <sip:bob@biloxi.com>");
    CHECK(must_parse("Anonymous<sip:c8oqz84zk7z@privacy.org>").display_name == "Anonymous");
}

TEST_CASE("name-addr: no display name, and an empty quoted one") {
    CHECK_FALSE(must_parse("<sip:alice@atlanta.com>").display_name);
    NameAddr empty = must_parse("\"\" <sip:alice@atlanta.com>");
    REQUIRE(empty.display_name);
    CHECK(empty.display_name->empty());
}

TEST_CASE("name-addr: URI parameters stay inside the brackets, header parameters outside") {
    NameAddr na = must_parse("<sip:alice@atlanta.com;transport=tcp>;expires=60;tag=x");
    CHECK(na.uri.transport() == "tcp");
    CHECK_FALSE(na.params.has("transport"));
    CHECK(na.params.get("expires") == "60");
    CHECK(na.tag() == "x");
}

TEST_CASE("addr-spec: parameters after the URI belong to the header (§20.10)") {
    NameAddr na = must_parse("sip:alice@atlanta.com;tag=1928301774");
    CHECK_FALSE(na.display_name);
    CHECK(na.uri.params().empty());
    CHECK(na.tag() == "1928301774");
    CHECK(na.to_string() == "<sip:alice@atlanta.com>;tag=1928301774");
    CHECK(must_parse("  sip:alice@atlanta.com  ").uri.host().name == "atlanta.com");
}

TEST_CASE("name-addr: header parameters may be quoted or flags") {
    NameAddr na = must_parse("<sip:a@b.example> ; x = \"y; z\" ; flag");
    REQUIRE(na.params.size() == 2);
    CHECK(na.params.get("x") == "y; z");
    CHECK(na.params.find("x")->quoted);
    CHECK(na.params.has("flag"));
    CHECK(na.to_string() == "<sip:a@b.example>;x=\"y; z\";flag");
}

TEST_CASE("name-addr: other URI schemes parse (a UA answers 416 for them, not 400)") {
    NameAddr na = must_parse("<http://example.com/x>");
    CHECK(na.uri.scheme() == Scheme::Other);
    CHECK(must_parse("<tel:+1-201-555-0123>").uri.scheme() == Scheme::Tel);
}

TEST_CASE("name-addr: faults are named") {
    CHECK(error_of("") == "From: empty value");
    CHECK(error_of("\"Bob <sip:bob@biloxi.com>") == "From: unterminated quoted display name");
    CHECK(error_of("\"Bob\" sip:bob@biloxi.com") == "From: missing '<' after display name");
    CHECK(error_of("<sip:bob@biloxi.com") == "From: missing '>' after URI");
    CHECK(error_of("<sip:bob@biloxi.com:99999>") == "From: bad URI port '99999'");
    CHECK(error_of("<sip:bob@biloxi.com> junk") == "From: unexpected 'junk'");
    CHECK(error_of("sip:bob@biloxi.com x") == "From: unexpected 'x'");
    CHECK(error_of("<sip:bob@biloxi.com>;tag=") == "From: parameter 'tag' has an empty value");
    CHECK(error_of("<sip:bob@biloxi.com>;=x") == "From: empty parameter name");
    CHECK(error_of("<sip:bob@biloxi.com>;x=\"open") == "From: unterminated quoted value of parameter 'x'");
    CHECK(error_of("Bob@home <sip:bob@biloxi.com>") == "From: display name must be quoted or tokens: 'Bob@home'");
    CHECK(error_of("Bell, Alexander <sip:a.g.bell@example.com>;tag=43") ==
          "From: display name must be quoted or tokens: 'Bell, Alexander'");
    CHECK(error_of("Bob <sip:bob@biloxi.com") == "From: missing '>' after URI");
    CHECK(error_of("bob") == "From: missing scheme in URI 'bob'");
}

TEST_CASE("name-addr: no whitespace inside the brackets (RFC 4475 §3.1.2.14)") {
    CHECK(error_of("\"Watson, Thomas\" < sip:t.watson@example.org >") == "From: whitespace inside '<' and '>'");
}

TEST_CASE("addr-spec: a URI with headers must be in brackets (RFC 4475 §3.1.2.13)") {
    CHECK(error_of("sip:user@example.com?Route=%3Csip:sip.example.com%3E") ==
          "From: URI with headers must be enclosed in '<' and '>'");
    NameAddr ok = must_parse("<sip:user@example.com?Route=%3Csip:sip.example.com%3E>");
    CHECK(ok.uri.header("Route") == "<sip:sip.example.com>");
}

TEST_CASE("name-addr: Route and Record-Route require brackets") {
    CHECK(must_parse("<sip:p1.example.com;lr>", AddrForm::NameAddrOnly).uri.lr());
    CHECK(error_of("sip:p1.example.com;lr", AddrForm::NameAddrOnly) == "From: URI must be enclosed in '<' and '>'");
}

TEST_CASE("name-addr lists split on commas outside quotes and brackets") {
    auto r = parse_name_addr_list("\"Doe, John\" <sip:j@a.example;x=1>, <sip:k@b.example?h=a%2Cb>", "Contact");
    REQUIRE(r.ok());
    REQUIRE(r->size() == 2);
    CHECK((*r)[0].display_name == "Doe, John");
    CHECK((*r)[1].uri.header("h") == "a,b");
    auto bad = parse_name_addr_list("<sip:a@b.example>,,<sip:c@d.example>", "Contact");
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().message == "Contact: empty list element");
}

TEST_CASE("name-addr: set_tag replaces or appends the tag") {
    NameAddr na = must_parse("<sip:a@b.example>;x=1");
    na.set_tag("abc");
    CHECK(na.to_string() == "<sip:a@b.example>;x=1;tag=abc");
    na.set_tag("def");
    CHECK(na.tag() == "def");
    CHECK(na.params.size() == 2);
}

TEST_CASE("params: parse_params reads a standalone parameter list") {
    auto p = parse_params(" ;a=1; b ;c=\"q\"");
    REQUIRE(p.ok());
    CHECK(p->size() == 3);
    CHECK(p->get("A") == "1");
    CHECK(p->get("b") == "");
    CHECK(p->get("missing") == std::nullopt);
    CHECK(p->to_string() == ";a=1;b;c=\"q\"");
    CHECK(parse_params("").ok());
    auto bad = parse_params("a=1");
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().message == "parameters: unexpected 'a=1'");
    Params q = p.value();
    CHECK(q.remove("B") == 1);
    CHECK_FALSE(q.has("b"));
}
