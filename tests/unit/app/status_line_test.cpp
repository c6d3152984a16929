#include <doctest/doctest.h>

#include "dialtone/app/status_line.hpp"

using namespace dialtone::app;

TEST_CASE("status line: a ringing call shows state, peer and zero duration") {
    CallStatus s;
    s.call = 2;
    s.state = "ringing";
    s.peer = "sip:bob@example.com";
    CHECK(format_status_line(s, false) == "[2] ringing  sip:bob@example.com  00:00");
}

TEST_CASE("status line: an answered call adds codec, SRTP, jitter, loss, round trip and MOS") {
    CallStatus s;
    s.call = 1;
    s.state = "answered";
    s.peer = "sip:bob@example.com";
    s.duration_s = 75.9;
    s.codec = "opus";
    s.srtp = true;
    s.jitter_ms = 1.25;
    s.loss_percent = 0.5;
    s.rtt_ms = 42;
    s.mos = 4.38;
    CHECK(format_status_line(s, false) ==
          "[1] answered  sip:bob@example.com  01:15  opus  SRTP on  jitter 1.2 ms  loss 0.5%  rtt 42 ms  MOS 4.4");
}

TEST_CASE("status line: colour wraps only the state, and NO_COLOR output has no escapes") {
    CallStatus s;
    s.call = 1;
    s.state = "answered";
    s.peer = "p";
    s.muted = true;
    CHECK(format_status_line(s, true) == "[1] \033[32manswered (muted)\033[0m  p  00:00");
    CHECK(format_status_line(s, false).find('\033') == std::string::npos);
}

TEST_CASE("status line: a narrow terminal cuts the line, colour codes not counted") {
    CallStatus s;
    s.call = 1;
    s.state = "answered";
    s.peer = "sip:someone-with-a-long-name@example.com";
    CHECK(format_status_line(s, false, 20) == "[1] answered  sip:so");
    CHECK(format_status_line(s, true, 20) == "[1] \033[32manswered\033[0m  sip:so");
    CHECK(format_status_line(s, true, 6) == "[1] \033[32man\033[0m");
}

TEST_CASE("status line: durations past an hour show hours") {
    CHECK(format_duration(59.9) == "00:59");
    CHECK(format_duration(3725) == "1:02:05");
    CHECK(format_duration(-3) == "00:00");
}
