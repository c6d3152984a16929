#pragma once
// base::Clock over std::chrono::steady_clock, and the conversions between its time points and
// base::TimePoint (same epoch, nanoseconds), so a core deadline can arm an Asio steady timer.
#include "dialtone/base/clock.hpp"
#include "dialtone/base/time.hpp"

#include <chrono>

namespace dialtone::io {

base::TimePoint from_steady(std::chrono::steady_clock::time_point t);
std::chrono::steady_clock::time_point to_steady(base::TimePoint t);

class SystemClock final : public base::Clock {
public:
    base::TimePoint now() const override;
};

}  // namespace dialtone::io
