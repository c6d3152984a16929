#include <doctest/doctest.h>

#include <set>

#include "dialtone/base/random.hpp"

using namespace dialtone::base;

TEST_CASE("SeededRandom replays the same sequence for the same seed") {
    SeededRandom a(42), b(42), c(43);
    for (int i = 0; i < 100; ++i) {
        auto x = a.next_u64();
        CHECK(x == b.next_u64());
        (void)c.next_u64();
    }
    CHECK(a.next_u64() != c.next_u64());
}

TEST_CASE("uniform stays inside its bounds and reaches both ends") {
    SeededRandom r(7);
    std::set<std::uint64_t> seen;
    for (int i = 0; i < 2000; ++i) {
        auto v = r.uniform(3, 9);
        CHECK(v >= 3);
        CHECK(v <= 9);
        seen.insert(v);
    }
    CHECK(seen.size() == 7);
}

TEST_CASE("token and hex produce the requested alphabet and length") {
    SeededRandom r(1);
    auto t = r.token(16);
    CHECK(t.size() == 16);
    for (char ch : t) CHECK(((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z')));
    auto h = r.hex(8);
    CHECK(h.size() == 16);
    CHECK(h.find_first_not_of("0123456789abcdef") == std::string::npos);
}
