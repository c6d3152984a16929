#include <doctest/doctest.h>

#include "dialtone/sip/call_info.hpp"
#include "dialtone/sip/reason.hpp"
#include "dialtone/sip/warning.hpp"

using namespace dialtone::sip;

TEST_CASE("Call-Info: URIs of any scheme with purpose (§20.9)") {
    auto r = parse_call_info_list("<http://wwww.example.com/alice/photo.jpg> ;purpose=icon, "
                                  "<http://www.example.com/alice/> ;purpose=info");
    REQUIRE(r.ok());
    REQUIRE(r->size() == 2);
    CHECK((*r)[0].uri.scheme_name() == "http");
    CHECK((*r)[0].purpose() == "icon");
    CHECK((*r)[1].purpose() == "info");
    CHECK((*r)[0].to_string() == "<http://wwww.example.com/alice/photo.jpg>;purpose=icon");
}

TEST_CASE("Call-Info: answer-after asks for an automatic answer") {
    auto r = parse_call_info_list("<sip:pbx.example.com>;answer-after=0");
    REQUIRE(r.ok());
    CHECK((*r)[0].answer_after() == 0u);
    auto again = parse_call_info_list((*r)[0].to_string());
    REQUIRE(again.ok());
    CHECK(again.value() == r.value());
    auto bad = parse_call_info_list("<sip:pbx.example.com>;answer-after=soon");
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().message == "Call-Info: bad answer-after 'soon'");
}

TEST_CASE("Alert-Info: brackets are required; info=alert-autoanswer is kept") {
    auto r = parse_alert_info_list("<http://www.example.com/sounds/moo.wav>, <urn:alert:service:normal>;info=alert-autoanswer");
    REQUIRE(r.ok());
    REQUIRE(r->size() == 2);
    CHECK((*r)[1].uri.scheme_name() == "urn");
    CHECK((*r)[1].info() == "alert-autoanswer");
    auto bare = parse_alert_info_list("http://www.example.com/sounds/moo.wav");
    REQUIRE_FALSE(bare.ok());
    CHECK(bare.error().message == "Alert-Info: URI must be enclosed in '<' and '>'");
    auto named = parse_alert_info_list("\"ring\" <http://x.example/r.wav>");
    REQUIRE_FALSE(named.ok());
    CHECK(named.error().message == "Alert-Info: unexpected display name");
}

TEST_CASE("Reason: protocol, cause and text (RFC 3326 §2)") {
    auto r = parse_reason_list("SIP ;cause=200 ;text=\"Call completed elsewhere\"");
    REQUIRE(r.ok());
    REQUIRE(r->size() == 1);
    CHECK((*r)[0].protocol == "SIP");
    CHECK((*r)[0].cause() == 200u);
    CHECK((*r)[0].text() == "Call completed elsewhere");
    CHECK((*r)[0].to_string() == "SIP;cause=200;text=\"Call completed elsewhere\"");

    auto two = parse_reason_list("Q.850;cause=16;text=\"Terminated\", SIP;cause=487");
    REQUIRE(two.ok());
    CHECK((*two)[0].protocol == "Q.850");
    CHECK((*two)[0].cause() == 16u);
    CHECK((*two)[1].cause() == 487u);

    Reason made = Reason::make("SIP", 200, "Call completed elsewhere");
    CHECK(made == (*r)[0]);
    auto again = parse_reason_list(made.to_string());
    REQUIRE(again.ok());
    CHECK(again->front() == made);
}

TEST_CASE("Reason: faults are named") {
    auto bad = parse_reason_list("SIP;cause=abc");
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().message == "Reason: bad cause 'abc'");
    auto none = parse_reason_list(";cause=1");
    REQUIRE_FALSE(none.ok());
    CHECK(none.error().message == "Reason: missing protocol");
    auto text = parse_reason_list("SIP;text");
    REQUIRE_FALSE(text.ok());
    CHECK(text.error().message == "Reason: text parameter without a value");
}

TEST_CASE("Warning: code, agent and quoted text (§20.43)") {
    auto r = parse_warning_list("307 isi.edu \"Session parameter 'foo' not understood\", "
                                "301 [2001:db8::1]:5060 \"Incompatible \\\"address\\\"\"");
    REQUIRE(r.ok());
    REQUIRE(r->size() == 2);
    CHECK((*r)[0].code == 307);
    CHECK((*r)[0].agent == "isi.edu");
    CHECK((*r)[0].text == "Session parameter 'foo' not understood");
    CHECK((*r)[1].agent == "[2001:db8::1]:5060");
    CHECK((*r)[1].text == "Incompatible \"address\"");
    CHECK((*r)[1].to_string() == "301 [2001:db8::1]:5060 \"Incompatible \\\"address\\\"\"");
    auto again = parse_warning_list((*r)[1].to_string());
    REQUIRE(again.ok());
    CHECK(again->front() == (*r)[1]);
}

TEST_CASE("Warning: faults are named") {
    auto code = parse_warning_list("30 isi.edu \"x\"");
    REQUIRE_FALSE(code.ok());
    CHECK(code.error().message == "Warning: bad warn-code '30'");
    auto agent = parse_warning_list("399 [::1 \"x\"");
    REQUIRE_FALSE(agent.ok());
    CHECK(agent.error().message == "Warning: bad warn-agent '[::1'");
    auto text = parse_warning_list("399 isi.edu unquoted");
    REQUIRE_FALSE(text.ok());
    CHECK(text.error().message == "Warning: warn-text must be a quoted string");
    auto missing = parse_warning_list("399");
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().message == "Warning: missing warn-agent");
}
