#pragma once
// The clock interface. io/ implements it over the system clock; tests use ManualClock.
#include "dialtone/base/time.hpp"

namespace dialtone::base {

class Clock {
public:
    virtual ~Clock() = default;
    virtual TimePoint now() const = 0;
};

// A clock that only moves when told to: tests drive timers to exact instants with it.
class ManualClock final : public Clock {
public:
    explicit ManualClock(TimePoint start = TimePoint{}) : now_(start) {}
    TimePoint now() const override { return now_; }
    void advance(Duration d) { now_ += d; }
    void set(TimePoint t) { now_ = t; }

private:
    TimePoint now_;
};

}  // namespace dialtone::base
