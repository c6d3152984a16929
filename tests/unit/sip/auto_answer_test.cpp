#include <doctest/doctest.h>

#include "dialtone/sip/auto_answer.hpp"
#include "dialtone/sip/parser.hpp"
#include "message_test_util.hpp"

using namespace dialtone::sip;

namespace {

std::optional<std::uint32_t> hint(std::string_view extra_headers) {
    std::string text = "INVITE sip:bob@example.com SIP/2.0\n"
                       "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK74bf9\n"
                       "Max-Forwards: 70\n"
                       "From: <sip:alice@example.com>;tag=9fxced76sl\n"
                       "To: <sip:bob@example.com>\n"
                       "Call-ID: 3848276298220188511@example.com\n"
                       "CSeq: 1 INVITE\n";
    text += extra_headers;
    text += "Content-Length: 0\n\n";
    auto m = parse_message(test::crlf(text));
    REQUIRE(m.ok());
    return requested_answer_after(*m);
}

}  // namespace

TEST_CASE("auto-answer request: none without the headers") {
    CHECK_FALSE(hint(""));
    CHECK_FALSE(hint("Call-Info: <http://example.com/photo.jpg>;purpose=icon\n"));
    CHECK_FALSE(hint("Alert-Info: <http://example.com/ring.wav>\n"));
}

TEST_CASE("auto-answer request: Call-Info answer-after gives the delay") {
    CHECK(hint("Call-Info: <sip:pbx.example.com>;answer-after=3\n") == 3u);
    CHECK(hint("Call-Info: <http://example.com/a>;purpose=icon, <sip:pbx.example.com>;answer-after=0\n") == 0u);
}

TEST_CASE("auto-answer request: Alert-Info info=alert-autoanswer answers at once") {
    CHECK(hint("Alert-Info: <http://127.0.0.1/auto-answer>;info=alert-autoanswer\n") == 0u);
}

TEST_CASE("auto-answer request: RFC 5373 Answer-Mode Auto, not Manual") {
    CHECK(hint("Answer-Mode: Auto\n") == 0u);
    CHECK(hint("Answer-Mode: auto;require\n") == 0u);
    CHECK(hint("Priv-Answer-Mode: Auto\n") == 0u);
    CHECK_FALSE(hint("Answer-Mode: Manual\n"));
}

TEST_CASE("auto-answer request: the shortest delay wins; a malformed Call-Info is no request") {
    CHECK(hint("Call-Info: <sip:pbx.example.com>;answer-after=5\nAnswer-Mode: Auto\n") == 0u);
    CHECK_FALSE(hint("Call-Info: <sip:pbx.example.com>;answer-after=soon\n"));
}
