#include "dialtone/ua/info_dtmf.hpp"

#include <doctest/doctest.h>

using namespace dialtone::ua;

TEST_CASE("INFO DTMF: application/dtmf-relay with Signal and Duration") {
    auto d = parse_info_dtmf("application/dtmf-relay", "Signal=5\r\nDuration=160\r\n");
    REQUIRE(d.ok());
    CHECK(d->digit == '5');
    CHECK(d->duration_ms == 160);
}

TEST_CASE("INFO DTMF: field names in any case, spaces around '=', bare LF") {
    auto d = parse_info_dtmf("Application/DTMF-Relay", "signal = #\nDURATION= 250\n");
    REQUIRE(d.ok());
    CHECK(d->digit == '#');
    CHECK(d->duration_ms == 250);
}

TEST_CASE("INFO DTMF: numeric signals 10-16 are * # A-D and flash") {
    const char expected[] = {'*', '#', 'A', 'B', 'C', 'D', '!'};
    for (int code = 10; code <= 16; ++code) {
        auto d = parse_info_dtmf("application/dtmf-relay", "Signal=" + std::to_string(code) + "\r\n");
        REQUIRE(d.ok());
        CHECK(d->digit == expected[code - 10]);
    }
}

TEST_CASE("INFO DTMF: a missing Duration is zero, a lower-case letter is upper-cased") {
    auto d = parse_info_dtmf("application/dtmf-relay", "Signal=b\r\n");
    REQUIRE(d.ok());
    CHECK(d->digit == 'B');
    CHECK(d->duration_ms == 0);
}

TEST_CASE("INFO DTMF: application/dtmf carries the digit alone") {
    auto d = parse_info_dtmf("application/dtmf", "7\r\n");
    REQUIRE(d.ok());
    CHECK(d->digit == '7');
    auto star = parse_info_dtmf("application/dtmf", "10");
    REQUIRE(star.ok());
    CHECK(star->digit == '*');
}

TEST_CASE("INFO DTMF: faults are named, other types are 415") {
    auto none = parse_info_dtmf("application/dtmf-relay", "Duration=100\r\n");
    REQUIRE_FALSE(none.ok());
    CHECK(none.error().message == "dtmf-relay: no Signal line");
    CHECK(none.error().status == 400);
    auto bad = parse_info_dtmf("application/dtmf-relay", "Signal=17\r\n");
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().message == "dtmf-relay: bad Signal '17'");
    auto dur = parse_info_dtmf("application/dtmf-relay", "Signal=1\r\nDuration=long\r\n");
    REQUIRE_FALSE(dur.ok());
    CHECK(dur.error().message == "dtmf-relay: bad Duration 'long'");
    auto other = parse_info_dtmf("application/media_control+xml", "<x/>");
    REQUIRE_FALSE(other.ok());
    CHECK(other.error().status == 415);
    CHECK_FALSE(is_dtmf_content_type("text/plain"));
    CHECK(is_dtmf_content_type("application/dtmf-relay;charset=utf-8"));
}

TEST_CASE("INFO DTMF: the relay body we send reads back") {
    const std::string body = format_dtmf_relay('5', 160);
    CHECK(body == "Signal=5\r\nDuration=160\r\n");
    auto d = parse_info_dtmf("application/dtmf-relay", body);
    REQUIRE(d.ok());
    CHECK(d->digit == '5');
    CHECK_FALSE(is_dtmf_digit('E'));
    CHECK(is_dtmf_digit('D'));
}
