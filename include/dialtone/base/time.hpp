#pragma once
// Time as a value. The protocol core never reads a clock: every entry point takes `now`.
#include <chrono>
#include <cstdint>

namespace dialtone::base {

// A monotonic clock type with no now(): only io/ produces TimePoints from the system clock.
struct MonotonicClock {
    using rep = std::int64_t;
    using period = std::nano;
    using duration = std::chrono::duration<rep, period>;
    using time_point = std::chrono::time_point<MonotonicClock>;
    static constexpr bool is_steady = true;
};

using Duration = MonotonicClock::duration;
using TimePoint = MonotonicClock::time_point;

constexpr Duration milliseconds(std::int64_t ms) { return std::chrono::milliseconds(ms); }
constexpr Duration seconds(std::int64_t s) { return std::chrono::seconds(s); }

constexpr std::int64_t to_milliseconds(Duration d) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
}

}  // namespace dialtone::base
