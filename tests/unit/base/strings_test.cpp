#include <doctest/doctest.h>

#include "dialtone/base/strings.hpp"

using namespace dialtone::base;

TEST_CASE("iequals compares ASCII without regard to case") {
    CHECK(iequals("Via", "vIA"));
    CHECK_FALSE(iequals("Via", "Vias"));
    CHECK(istarts_with("Content-Type", "content-"));
    CHECK_FALSE(istarts_with("Con", "content-"));
}

TEST_CASE("trim removes spaces and tabs only") {
    CHECK(trim(" \t a b \t") == "a b");
    CHECK(trim("") == "");
    CHECK(trim("\r\n") == "\r\n");
}

TEST_CASE("parse_u32 accepts digits only and rejects overflow") {
    CHECK(parse_u32("0") == 0u);
    CHECK(parse_u32("4294967295") == 4294967295u);
    CHECK_FALSE(parse_u32("4294967296"));
    CHECK_FALSE(parse_u32("-1"));
    CHECK_FALSE(parse_u32(" 1"));
    CHECK_FALSE(parse_u32(""));
    CHECK(parse_i64("-9223372036854775808") == INT64_MIN);
    CHECK_FALSE(parse_i64("9223372036854775808"));
}

TEST_CASE("to_hex writes lower-case pairs") {
    CHECK(to_hex(std::string_view("\x00\xff\x1a", 3)) == "00ff1a");
}
