#include "dialtone/txn/timer_set.hpp"

namespace dialtone::txn {

std::optional<base::TimePoint> TimerSet::deadline(Timer t) const {
    if (!armed(t)) return std::nullopt;
    return at_[index(t)];
}

std::optional<base::TimePoint> TimerSet::earliest() const {
    base::TimePoint best = never();
    for (const auto& at : at_) {
        if (at < best) best = at;
    }
    if (best == never()) return std::nullopt;
    return best;
}

}  // namespace dialtone::txn
