#include <doctest/doctest.h>

#include "dialtone/app/control_command.hpp"

using namespace dialtone::app;

TEST_CASE("stdin: call takes one URI") {
    auto c = parse_control_command("call sip:bob@127.0.0.1:5070\r");
    REQUIRE(c.ok());
    CHECK(c->verb == ControlVerb::Call);
    CHECK(c->uri == "sip:bob@127.0.0.1:5070");
    CHECK(parse_control_command("call").error().message == "call: missing URI");
    CHECK(parse_control_command("call sip:a@b extra").error().message == "call: unexpected 'extra' after the URI");
}

TEST_CASE("stdin: answer, hangup, hold, resume and mute take an optional call number") {
    auto bare = parse_control_command("  hangup ");
    REQUIRE(bare.ok());
    CHECK(bare->verb == ControlVerb::Hangup);
    CHECK_FALSE(bare->call);
    auto numbered = parse_control_command("ANSWER 3");
    REQUIRE(numbered.ok());
    CHECK(numbered->verb == ControlVerb::Answer);
    CHECK(numbered->call == std::optional<std::uint64_t>(3));
    CHECK(parse_control_command("hold x").error().message == "hold: 'x' is not a call number");
    CHECK(parse_control_command("mute 0").error().message == "mute: '0' is not a call number");
    CHECK(parse_control_command("resume 2 3").error().message == "resume: unexpected '3'");
}

TEST_CASE("stdin: dtmf checks its digits") {
    auto d = parse_control_command("dtmf 12#*A,9 4");
    REQUIRE(d.ok());
    CHECK(d->text == "12#*A,9");
    CHECK(d->call == std::optional<std::uint64_t>(4));
    CHECK(parse_control_command("dtmf 12x").error().message ==
          "dtmf: expected digits from 0-9 * # A-D (',' pauses), not '12x'");
    CHECK_FALSE(parse_control_command("dtmf").ok());
}

TEST_CASE("stdin: message keeps the rest of the line as its text") {
    auto m = parse_control_command("message sip:bob@example.com  hello,  world ");
    REQUIRE(m.ok());
    CHECK(m->uri == "sip:bob@example.com");
    CHECK(m->text == "hello,  world");
    CHECK(parse_control_command("message sip:bob@example.com").error().message == "message: missing text after the URI");
}

TEST_CASE("stdin: transfer, quit, comments and unknown commands") {
    auto t = parse_control_command("transfer sip:carol@example.com 2");
    REQUIRE(t.ok());
    CHECK(t->verb == ControlVerb::Transfer);
    CHECK(t->call == std::optional<std::uint64_t>(2));
    CHECK(parse_control_command("quit")->verb == ControlVerb::Quit);
    CHECK(parse_control_command("quit now").error().message == "quit takes no arguments");
    CHECK(parse_control_command("# note").error().message.empty());
    CHECK(parse_control_command("").error().message.empty());
    CHECK(parse_control_command("dial 1").error().message.rfind("unknown command 'dial'", 0) == 0);
}
