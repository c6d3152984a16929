#include "dialtone/txn/timer.hpp"

#include <algorithm>

namespace dialtone::txn {

std::string_view to_string(Timer t) {
    switch (t) {
        case Timer::A: return "Timer A";
        case Timer::B: return "Timer B";
        case Timer::D: return "Timer D";
        case Timer::E: return "Timer E";
        case Timer::F: return "Timer F";
        case Timer::G: return "Timer G";
        case Timer::H: return "Timer H";
        case Timer::I: return "Timer I";
        case Timer::J: return "Timer J";
        case Timer::K: return "Timer K";
        case Timer::L: return "Timer L";
        case Timer::M: return "Timer M";
        case Timer::Trying: return "100 Trying timer";
    }
    return "unknown timer";
}

base::Duration TimerConfig::initial(Timer t, bool reliable) const {
    const base::Duration zero{};
    switch (t) {
        case Timer::A:
        case Timer::E:
        case Timer::G: return t1;
        case Timer::B:
        case Timer::F:
        case Timer::H:
        case Timer::L:
        case Timer::M: return 64 * t1;
        // Table 4: "> 32s for UDP, 0s for TCP/SCTP"; 64*T1 is the 32 s of the defaults and grows
        // with a larger T1 the way B does, so a late retransmitted final still finds us.
        case Timer::D: return reliable ? zero : std::max<base::Duration>(base::seconds(32), 64 * t1);
        case Timer::I:
        case Timer::K: return reliable ? zero : t4;
        case Timer::J: return reliable ? zero : 64 * t1;
        case Timer::Trying: return trying;
    }
    return zero;
}

}  // namespace dialtone::txn
