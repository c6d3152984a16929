#pragma once
// Where a message goes or came from, as far as the transaction layer cares: an opaque handle the
// caller gives (io/ maps it to a socket and address) and whether the transport is reliable, which
// decides retransmissions and the D, I, J, K timers (§17.1.1.2, §17.2.1, §17.2.2).
#include <cstdint>

namespace dialtone::txn {

enum class Transport : std::uint8_t { Udp, Tcp, Tls, Sctp, Ws, Wss };

constexpr bool is_reliable(Transport t) { return t != Transport::Udp; }

struct Destination {
    std::uint64_t handle = 0;  // opaque to the transaction layer
    Transport transport = Transport::Udp;

    bool reliable() const { return is_reliable(transport); }
    friend bool operator==(const Destination&, const Destination&) = default;
};

}  // namespace dialtone::txn
