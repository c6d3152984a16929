#pragma once
// The table of transactions (RFC 3261 §17): creates client and server transactions, matches
// every received message to one (§17.1.3, §17.2.3, with the RFC 2543 fallback), runs their
// timers and queues what they send and tell the TU. Sans-I/O: every entry point takes `now`;
// the caller drains poll_transmit() and poll_event() and arms one timer at next_deadline().
//
// 2xx to INVITE follows RFC 6026 rather than §17.1.1.2 / §17.2.1, which end the transaction at
// once: the server transaction moves to Accepted for Timer L (64*T1), absorbing retransmitted
// INVITEs that would otherwise reach the TU as new calls, passing the TU's own 2xx
// retransmissions (§13.3.1.4) through send_response() and any matching ACK up as AckReceived;
// the client transaction moves to Accepted for Timer M (64*T1), passing every 2xx (retransmitted
// or forked) up so the TU can ACK each one (§13.2.2.4). The ACK to a 2xx carries a new branch,
// so it matches no transaction and reaches the TU as AckReceived without one.
#include "dialtone/base/result.hpp"
#include "dialtone/base/time.hpp"
#include "dialtone/sip/message.hpp"
#include "dialtone/txn/client_machine.hpp"
#include "dialtone/txn/destination.hpp"
#include "dialtone/txn/event.hpp"
#include "dialtone/txn/fifo.hpp"
#include "dialtone/txn/server_machine.hpp"
#include "dialtone/txn/timer.hpp"

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace dialtone::txn {

namespace detail {
struct MessageKeys;
}

class TransactionLayer {
public:
    explicit TransactionLayer(TimerConfig config = {});

    const TimerConfig& config() const { return config_; }

    // --- the TU's side ---------------------------------------------------------------------
    // Starts a client transaction and sends `request` (its top Via must carry a branch starting
    // with z9hG4bK, §8.1.1.7, unique to this transaction). ACK is refused: the ACK to a non-2xx
    // is the INVITE transaction's own, and the ACK to a 2xx goes out with send_stateless().
    base::Result<TransactionId> send_request(sip::Message request, Destination to, base::TimePoint now);
    // Sends a response in a server transaction, to where its request came from (§17.2).
    base::Status send_response(TransactionId server, const sip::Message& response, base::TimePoint now);
    // Sends a message outside any transaction (the ACK to a 2xx, §13.2.2.4).
    void send_stateless(const sip::Message& message, Destination to);

    // --- the transport's side --------------------------------------------------------------
    // A parsed message and where it came from. An error when it cannot be matched at all: no
    // Via, no CSeq, no branch or sent-by (the caller validates before, so this is a last guard).
    base::Status on_message(sip::Message message, Destination from, base::TimePoint now);
    // Sending a Transmit of this transaction failed (§17.1.1.2, §17.1.2.2, §17.2.4).
    void on_transport_error(TransactionId txn, base::TimePoint now);
    // The transport cannot reach `to` (a refused connection, no route): every client
    // transaction sending there ends as if a 503 had arrived (§8.1.3.1, §17.1.4).
    void on_transport_error(Destination to, base::TimePoint now);
    // Fires every timer due at `now`.
    void on_timer(base::TimePoint now);

    // --- outputs ---------------------------------------------------------------------------
    std::optional<base::TimePoint> next_deadline() const;
    std::optional<Transmit> poll_transmit();
    std::optional<Event> poll_event();

    // --- inspection ------------------------------------------------------------------------
    std::optional<State> state(TransactionId txn) const;
    std::optional<Kind> kind(TransactionId txn) const;
    // The request that created the transaction (for the TU to build a CANCEL or a response).
    std::shared_ptr<const sip::Message> request(TransactionId txn) const;
    std::size_t size() const { return clients_.size() + servers_.size(); }
    // §9.2: the INVITE server transaction a received CANCEL refers to (none if there is none):
    // same branch and sent-by with the cookie, else the RFC 2543 comparison without the To tag.
    TransactionId find_cancel_target(const sip::Message& cancel) const;

private:
    struct Client {
        ClientMachine machine;
        std::shared_ptr<const sip::Message> request;
        std::shared_ptr<const std::string> bytes;      // the request, serialized once
        std::shared_ptr<const std::string> ack_bytes;  // the ACK to a non-2xx, built once
        Destination destination;
        std::string key;
        base::TimePoint scheduled = base::TimePoint::max();
    };
    struct Server {
        ServerMachine machine;
        std::shared_ptr<const sip::Message> request;
        std::shared_ptr<const std::string> last_response{};
        Destination peer{};
        std::string key{};              // §17.2.3 key, or the RFC 2543 key
        bool legacy = false;            // matched by the RFC 2543 rules
        std::string request_to_tag{};   // RFC 2543 match of a retransmitted request
        std::string response_to_tag{};  // RFC 2543 match of the ACK (To tag of the response sent)
        base::TimePoint scheduled = base::TimePoint::max();
    };
    struct Due {
        base::TimePoint at;
        std::uint64_t id;
    };

    base::Status on_request(sip::Message message, Destination from, base::TimePoint now);
    base::Status on_response(sip::Message message, Destination from, base::TimePoint now);
    std::uint64_t find_server(const detail::MessageKeys& keys, std::string_view request_uri,
                              std::string_view method) const;
    bool stale(const Due& d) const;

    void apply(std::uint64_t id, Client& c, const Actions& a, std::shared_ptr<const sip::Message> received,
               base::TimePoint now);
    void apply(std::uint64_t id, Server& s, const Actions& a, std::shared_ptr<const sip::Message> received);
    template <class Entry>
    void reschedule(std::uint64_t id, Entry& e);
    void emit(EventKind kind, std::uint64_t id, Kind txn_kind, std::shared_ptr<const sip::Message> message,
              Destination peer, std::optional<Timer> timer = std::nullopt);
    void erase_client(std::uint64_t id);
    void erase_server(std::uint64_t id);

    TimerConfig config_;
    std::uint64_t next_id_ = 1;
    std::unordered_map<std::uint64_t, Client> clients_;
    std::unordered_map<std::uint64_t, Server> servers_;
    std::unordered_map<std::string, std::uint64_t> client_index_;       // §17.1.3
    std::unordered_map<std::string, std::uint64_t> server_index_;       // §17.2.3
    std::unordered_multimap<std::string, std::uint64_t> legacy_index_;  // RFC 2543, §17.2.3
    mutable std::vector<Due> heap_;  // min-heap of deadlines; stale entries dropped lazily
    Fifo<Transmit> transmits_;
    Fifo<Event> events_;
};

}  // namespace dialtone::txn
