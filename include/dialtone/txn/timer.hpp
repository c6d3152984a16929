#pragma once
// The transaction timers of RFC 3261 §17 (Table 4) and RFC 6026 §8.11, and the values they take.
#include "dialtone/base/time.hpp"

#include <string_view>

namespace dialtone::txn {

enum class Timer {
    A,       // INVITE request retransmit, unreliable transport only (§17.1.1.2)
    B,       // INVITE client transaction timeout (§17.1.1.2)
    D,       // wait time for response retransmissions in Completed (§17.1.1.2)
    E,       // non-INVITE request retransmit, unreliable transport only (§17.1.2.2)
    F,       // non-INVITE client transaction timeout (§17.1.2.2)
    G,       // INVITE final response retransmit, unreliable transport only (§17.2.1)
    H,       // wait time for ACK receipt (§17.2.1)
    I,       // wait time for ACK retransmissions in Confirmed (§17.2.1)
    J,       // wait time for non-INVITE request retransmissions (§17.2.2)
    K,       // wait time for non-INVITE response retransmissions (§17.1.2.2)
    L,       // wait time for INVITE retransmissions after a 2xx, server side (RFC 6026 §7.1)
    M,       // wait time for 2xx retransmissions, client side (RFC 6026 §7.2)
    Trying,  // 100 (Trying) when the TU has not answered an INVITE within 200 ms (§17.2.1)
};

inline constexpr int timer_count = 13;

std::string_view to_string(Timer t);

// T1, T2 and T4 of §17.1.1.1; every timer derives from them.
struct TimerConfig {
    base::Duration t1 = base::milliseconds(500);      // RTT estimate
    base::Duration t2 = base::seconds(4);             // maximum retransmit interval
    base::Duration t4 = base::seconds(5);             // maximum duration a message remains in the network
    base::Duration trying = base::milliseconds(200);  // §17.2.1: 100 (Trying) after this long

    // Table 4 of RFC 3261 (and RFC 6026 for L and M). Timers that only retransmit (A, E, G) give
    // their initial interval; `reliable` is whether the transport is TCP, TLS, SCTP or WebSocket.
    base::Duration initial(Timer t, bool reliable) const;
};

}  // namespace dialtone::txn
