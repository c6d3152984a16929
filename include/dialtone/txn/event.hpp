#pragma once
// What the transaction layer hands out: bytes to send, and events for the transaction user (TU).
#include "dialtone/sip/message.hpp"
#include "dialtone/txn/destination.hpp"
#include "dialtone/txn/state.hpp"
#include "dialtone/txn/timer.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace dialtone::txn {

// Names one transaction for as long as the layer keeps it; never reused. 0 is "none".
struct TransactionId {
    std::uint64_t value = 0;

    explicit operator bool() const { return value != 0; }
    friend bool operator==(const TransactionId&, const TransactionId&) = default;
};

// Bytes for the transport. Retransmissions share the buffer serialized once, so resending
// allocates nothing. `txn` lets io report a send failure back (on_transport_error).
struct Transmit {
    TransactionId txn;  // none for stateless sends
    Destination destination;
    std::shared_ptr<const std::string> bytes;
};

enum class EventKind {
    RequestReceived,   // a new request: a server transaction was created for it
    ResponseReceived,  // a response for a client transaction, to be acted on by the TU
    AckReceived,       // an ACK for the TU: to a 2xx (a transaction of its own, §17) or in Accepted
    StrayResponse,     // a response matching no client transaction (§18.1.2: passed to the core)
    Timeout,           // Timer B or F (no final response) or H (no ACK)
    TransportError,    // the transport failed; a client TU treats it as a 503 (§8.1.3.1)
    Terminated,        // the transaction is gone; its id will not appear again
};

std::string_view to_string(EventKind k);

struct Event {
    EventKind kind = EventKind::Terminated;
    TransactionId txn;                            // none for StrayResponse and a stray ACK
    Kind txn_kind = Kind::NonInviteServer;        // meaningful when txn is set
    std::shared_ptr<const sip::Message> message;  // the request or response, when there is one
    Destination peer;                             // where it came from, or where the txn sends
    std::optional<Timer> timer;                   // for Timeout: B, F or H
};

}  // namespace dialtone::txn
