#include <doctest/doctest.h>

#include "dialtone/sip/cseq.hpp"
#include "dialtone/sip/rack.hpp"

using namespace dialtone::sip;

namespace {
std::string cseq_error(std::string_view text) {
    auto r = parse_cseq(text);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().status == 400);
    return r.error().message;
}
}  // namespace

TEST_CASE("CSeq: sequence number and method (§20.16)") {
    auto c = parse_cseq("4711 INVITE");
    REQUIRE(c.ok());
    CHECK(c->number == 4711u);
    CHECK(c->method() == Method::Invite);
    CHECK(c->to_string() == "4711 INVITE");
    auto ws = parse_cseq("  1\t  REGISTER ");
    REQUIRE(ws.ok());
    CHECK(ws->method() == Method::Register);
    CHECK(ws->to_string() == "1 REGISTER");
    CHECK(CSeq::make(2, Method::Bye).to_string() == "2 BYE");
}

TEST_CASE("CSeq: method names are case-sensitive; extension methods are kept") {
    auto lower = parse_cseq("1 invite");
    REQUIRE(lower.ok());
    CHECK(lower->method() == Method::Unknown);
    CHECK(lower->method_text == "invite");
    auto ext = parse_cseq("9 FOOBAR");
    REQUIRE(ext.ok());
    CHECK(ext->method_text == "FOOBAR");
    auto again = parse_cseq(ext->to_string());
    REQUIRE(again.ok());
    CHECK(again.value() == ext.value());
}

TEST_CASE("CSeq: the number must be below 2^31 (§8.1.1.5)") {
    auto max = parse_cseq("2147483647 ACK");
    REQUIRE(max.ok());
    CHECK(max->number == 2147483647u);
    CHECK(cseq_error("2147483648 INVITE") == "CSeq: sequence number '2147483648' above 2^31-1");
    CHECK(cseq_error("99999999999999999999 INVITE") == "CSeq: sequence number '99999999999999999999' above 2^31-1");
}

TEST_CASE("CSeq: faults are named") {
    CHECK(cseq_error("") == "CSeq: missing sequence number");
    CHECK(cseq_error("-1 INVITE") == "CSeq: bad sequence number '-1'");
    CHECK(cseq_error("4711INVITE") == "CSeq: bad sequence number '4711INVITE'");
    CHECK(cseq_error("4711") == "CSeq: missing method");
    CHECK(cseq_error("4711 INVITE BYE") == "CSeq: unexpected 'BYE'");
    CHECK(cseq_error("4711 INV\"ITE") == "CSeq: bad method 'INV\"ITE'");
}

TEST_CASE("RAck: response number, CSeq number and method (RFC 3262 §7.2)") {
    auto r = parse_rack("776656 1 INVITE");
    REQUIRE(r.ok());
    CHECK(r->rseq == 776656u);
    CHECK(r->cseq == 1u);
    CHECK(r->method() == Method::Invite);
    CHECK(r->to_string() == "776656 1 INVITE");
    auto again = parse_rack(r->to_string());
    REQUIRE(again.ok());
    CHECK(again.value() == r.value());
}

TEST_CASE("RAck: faults are named") {
    auto zero = parse_rack("0 1 INVITE");
    REQUIRE_FALSE(zero.ok());
    CHECK(zero.error().message == "RAck: response number '0' outside 1 to 2^31-1");
    auto short_ = parse_rack("776656");
    REQUIRE_FALSE(short_.ok());
    CHECK(short_.error().message == "RAck: missing CSeq number");
    auto no_method = parse_rack("776656 1");
    REQUIRE_FALSE(no_method.ok());
    CHECK(no_method.error().message == "RAck: missing method");
    auto big = parse_rack("1 2147483648 INVITE");
    REQUIRE_FALSE(big.ok());
    CHECK(big.error().message == "RAck: CSeq number '2147483648' above 2^31-1");
}
