// The event loop: one re-armed timer and SIGINT/SIGTERM delivered to a callback.
#include "harness.hpp"

#include <csignal>

using namespace loopback;

TEST_SUITE("loopback: event loop") {
    TEST_CASE("the timer fires once at the armed deadline, and re-arming replaces it") {
        io::EventLoop loop;
        std::vector<base::TimePoint> fired;
        loop.on_timer([&](base::TimePoint now) { fired.push_back(now); });
        const auto start = loop.now();
        loop.arm(start + base::seconds(60));
        loop.arm(start + base::milliseconds(20));  // replaces the first
        CHECK(loop.armed() == start + base::milliseconds(20));
        REQUIRE(wait_for(loop, [&] { return !fired.empty(); }));
        CHECK(fired[0] >= start + base::milliseconds(20));
        CHECK_FALSE(loop.armed().has_value());
        // Nothing else armed: a short run sees no second firing.
        CHECK_FALSE(loop.run_until([&] { return fired.size() > 1; }, base::milliseconds(100)));
        CHECK(fired.size() == 1);
    }

    TEST_CASE("disarming cancels the timer") {
        io::EventLoop loop;
        int fired = 0;
        loop.on_timer([&](base::TimePoint) { ++fired; });
        loop.arm(loop.now() + base::milliseconds(10));
        loop.arm(std::nullopt);
        CHECK_FALSE(loop.run_until([&] { return fired > 0; }, base::milliseconds(100)));
        CHECK(fired == 0);
    }

    TEST_CASE("a deadline already past fires on the next turn") {
        io::EventLoop loop;
        int fired = 0;
        loop.on_timer([&](base::TimePoint) { ++fired; });
        loop.arm(loop.now() - base::seconds(1));
        REQUIRE(wait_for(loop, [&] { return fired == 1; }));
    }

    TEST_CASE("SIGTERM and SIGINT reach the signal callback on the loop") {
        io::EventLoop loop;
        std::vector<int> signals;
        loop.on_signal([&](int s) { signals.push_back(s); });
        std::raise(SIGTERM);
        REQUIRE(wait_for(loop, [&] { return signals.size() == 1; }));
        std::raise(SIGINT);
        REQUIRE(wait_for(loop, [&] { return signals.size() == 2; }));
        CHECK(signals[0] == SIGTERM);
        CHECK(signals[1] == SIGINT);
    }
}
