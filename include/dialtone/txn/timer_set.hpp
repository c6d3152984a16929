#pragma once
// The armed timers of one transaction: at most a few deadlines, no allocation.
#include "dialtone/base/time.hpp"
#include "dialtone/txn/timer.hpp"

#include <array>
#include <optional>

namespace dialtone::txn {

class TimerSet {
public:
    void arm(Timer t, base::TimePoint deadline) { at_[index(t)] = deadline; }
    void disarm(Timer t) { at_[index(t)] = never(); }
    void disarm_all() { at_.fill(never()); }
    bool armed(Timer t) const { return at_[index(t)] != never(); }
    std::optional<base::TimePoint> deadline(Timer t) const;
    // Whether `t` is armed and due at `now`.
    bool due(Timer t, base::TimePoint now) const { return armed(t) && at_[index(t)] <= now; }
    std::optional<base::TimePoint> earliest() const;

private:
    static constexpr base::TimePoint never() { return base::TimePoint::max(); }
    static constexpr int index(Timer t) { return static_cast<int>(t); }

    std::array<base::TimePoint, timer_count> at_ = filled();
    static constexpr std::array<base::TimePoint, timer_count> filled() {
        std::array<base::TimePoint, timer_count> a{};
        a.fill(never());
        return a;
    }
};

}  // namespace dialtone::txn
