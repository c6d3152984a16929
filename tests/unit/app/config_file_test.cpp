#include <doctest/doctest.h>

#include "dialtone/app/config_file.hpp"

using namespace dialtone::app;

TEST_CASE("config: keys, tables, strings, numbers, booleans and arrays") {
    auto c = parse_config(R"(# defaults
account = "work"
codecs = ["pcmu", 'pcma',]
max-calls = 4

[account.work]
id = "sip:alice@example.com"   # trailing comment
null-audio = true

[account."home office"]
password = "a \"quoted\" secret"
)", "cfg.toml");
    REQUIRE(c.ok());
    CHECK(c->find("", "account")->values == std::vector<std::string>{"work"});
    CHECK(c->find("", "codecs")->is_array);
    CHECK(c->find("", "codecs")->values == std::vector<std::string>{"pcmu", "pcma"});
    CHECK(c->find("", "max-calls")->values.front() == "4");
    CHECK(c->find("", "max-calls")->line == 4);
    CHECK(c->find("account.work", "id")->values.front() == "sip:alice@example.com");
    CHECK(c->find("account.work", "null-audio")->values.front() == "true");
    CHECK(c->find("account.home office", "password")->values.front() == "a \"quoted\" secret");
    CHECK(c->find("account.work", "password") == nullptr);
}

TEST_CASE("config: an unquoted word is an error naming the file and line") {
    auto c = parse_config("id = sip:alice@example.com\n", "x.toml");
    REQUIRE_FALSE(c.ok());
    CHECK(c.error().message == "x.toml:1: value 'sip:alice@example.com' is not a quoted string, a number or true/false");
}

TEST_CASE("config: a key set twice in one table is an error") {
    auto c = parse_config("[listen]\nauto-answer = true\nauto-answer = false\n", "x.toml");
    REQUIRE_FALSE(c.ok());
    CHECK(c.error().message == "x.toml:3: key 'auto-answer' set twice");
}

TEST_CASE("config: an unclosed string, a missing '=' and junk after a value are errors") {
    CHECK(parse_config("a = \"open\n", "f").error().message == "f:1: string not closed on this line");
    CHECK(parse_config("a \"x\"\n", "f").error().message == "f:1: expected '=' after key 'a'");
    CHECK(parse_config("a = 1 2\n", "f").error().message == "f:1: unexpected '2' after the value");
    CHECK(parse_config("[[a]]\n", "f").error().message == "f:1: arrays of tables ([[...]]) are not supported");
    CHECK(parse_config("a = [1, 2\n", "f").error().message ==
          "f:1: expected ',' or ']' in an array (arrays must fit on one line)");
}

TEST_CASE("config: CRLF line ends and blank lines are accepted") {
    auto c = parse_config("\r\n  \r\njson = true\r\n", "f");
    REQUIRE(c.ok());
    CHECK(c->find("", "json")->values.front() == "true");
    CHECK(c->find("", "json")->line == 3);
}

TEST_CASE("config: a missing file names the path") {
    auto c = load_config("/nonexistent/dialtone.toml");
    REQUIRE_FALSE(c.ok());
    CHECK(c.error().message.rfind("cannot read config file /nonexistent/dialtone.toml: ", 0) == 0);
}
