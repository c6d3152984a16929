#include "dialtone/io/system_clock.hpp"

namespace dialtone::io {

base::TimePoint from_steady(std::chrono::steady_clock::time_point t) {
    return base::TimePoint(std::chrono::duration_cast<base::Duration>(t.time_since_epoch()));
}

std::chrono::steady_clock::time_point to_steady(base::TimePoint t) {
    using Steady = std::chrono::steady_clock;
    // TimePoint::max() (no deadline) must not overflow steady_clock's representation.
    const auto since = t.time_since_epoch();
    if (since >= std::chrono::duration_cast<base::Duration>(Steady::duration::max()))
        return Steady::time_point::max();
    return Steady::time_point(std::chrono::duration_cast<Steady::duration>(since));
}

base::TimePoint SystemClock::now() const { return from_steady(std::chrono::steady_clock::now()); }

}  // namespace dialtone::io
