#include <doctest/doctest.h>

#include <string>

#include "dialtone/base/clock.hpp"
#include "dialtone/base/result.hpp"

using namespace dialtone::base;

namespace {
Result<int> half(int x) {
    if (x % 2) return make_error("odd number", 400);
    return x / 2;
}
}  // namespace

TEST_CASE("Result carries a value or an error with a status") {
    auto a = half(8);
    REQUIRE(a.ok());
    CHECK(*a == 4);
    auto b = half(3);
    REQUIRE_FALSE(b.ok());
    CHECK(b.error().message == "odd number");
    CHECK(b.error().status == 400);
    Status s = make_error("bad");
    CHECK_FALSE(s.ok());
    CHECK(Status{}.ok());
}

TEST_CASE("ManualClock moves only when advanced") {
    ManualClock clock;
    auto t0 = clock.now();
    clock.advance(milliseconds(500));
    CHECK(clock.now() - t0 == milliseconds(500));
    CHECK(to_milliseconds(clock.now() - t0) == 500);
}
