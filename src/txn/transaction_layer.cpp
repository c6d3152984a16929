#include "dialtone/txn/transaction_layer.hpp"

#include "message_builders.hpp"
#include "message_keys.hpp"

#include "dialtone/sip/typed.hpp"

#include <algorithm>
#include <utility>

namespace dialtone::txn {

namespace {

using detail::MessageKeys;

bool later(const auto& a, const auto& b) { return a.at > b.at; }  // min-heap on deadline

std::shared_ptr<const std::string> serialized(const sip::Message& m) {
    return std::make_shared<const std::string>(m.serialize());
}

}  // namespace

std::string_view to_string(EventKind k) {
    switch (k) {
        case EventKind::RequestReceived: return "request received";
        case EventKind::ResponseReceived: return "response received";
        case EventKind::AckReceived: return "ACK received";
        case EventKind::StrayResponse: return "stray response";
        case EventKind::Timeout: return "timeout";
        case EventKind::TransportError: return "transport error";
        case EventKind::Terminated: return "terminated";
    }
    return "unknown";
}

TransactionLayer::TransactionLayer(TimerConfig config) : config_(config) {}

// --- the TU's side -------------------------------------------------------------------------

base::Result<TransactionId> TransactionLayer::send_request(sip::Message request, Destination to,
                                                           base::TimePoint now) {
    if (!request.is_request()) return base::make_error("send_request was given a response");
    if (request.method() == sip::Method::Ack) {
        return base::make_error("an ACK is not sent in a client transaction (send_stateless)");
    }
    auto req = std::make_shared<const sip::Message>(std::move(request));
    auto keys = detail::read_keys(*req);
    if (!keys) return keys.error();
    if (!keys->has_cookie()) {
        return base::make_error("top Via branch '" + std::string(keys->branch) +
                                "' does not start with z9hG4bK (RFC 3261 §8.1.1.7)");
    }
    std::string key = detail::client_key(keys->branch, keys->cseq_method);
    if (client_index_.contains(key)) {
        return base::make_error("a client transaction with branch '" + std::string(keys->branch) +
                                "' and method " + std::string(keys->cseq_method) + " already exists");
    }
    if (req->method() == sip::Method::Cancel) {
        // §9.1: the CANCEL carries the INVITE's branch; the INVITE now gets 64*T1 to finish.
        if (auto found = client_index_.find(detail::client_key(keys->branch, "INVITE"));
            found != client_index_.end()) {
            Client& invite = clients_.at(found->second);
            invite.machine.on_cancel_sent(now);
            reschedule(found->second, invite);
        }
    }
    const std::uint64_t id = next_id_++;
    const bool invite = req->method() == sip::Method::Invite;
    auto [it, inserted] = clients_.try_emplace(id, Client{ClientMachine(invite, to.reliable(), config_, now),
                                                          req, serialized(*req), nullptr, to, key});
    client_index_.emplace(std::move(key), id);
    transmits_.push(Transmit{TransactionId{id}, to, it->second.bytes});
    reschedule(id, it->second);
    return TransactionId{id};
}

base::Status TransactionLayer::send_response(TransactionId txn, const sip::Message& response,
                                             base::TimePoint now) {
    auto it = servers_.find(txn.value);
    if (it == servers_.end()) {
        return base::make_error("no server transaction " + std::to_string(txn.value) +
                                " (it has ended or never was)");
    }
    if (!response.is_response()) return base::make_error("send_response was given a request");
    Server& s = it->second;
    auto actions = s.machine.on_tu_response(response.status_code(), now);
    if (!actions) return actions.error();
    s.last_response = serialized(response);
    if (s.legacy && response.find(sip::HeaderId::To)) s.response_to_tag = detail::tag_of(sip::parsed_to(response));
    apply(txn.value, s, *actions, nullptr);
    if (!actions->terminated) reschedule(txn.value, s);
    return {};
}

void TransactionLayer::send_stateless(const sip::Message& message, Destination to) {
    transmits_.push(Transmit{TransactionId{}, to, serialized(message)});
}

// --- the transport's side ------------------------------------------------------------------

base::Status TransactionLayer::on_message(sip::Message message, Destination from, base::TimePoint now) {
    return message.is_request() ? on_request(std::move(message), from, now)
                                : on_response(std::move(message), from, now);
}

std::uint64_t TransactionLayer::find_server(const MessageKeys& keys, std::string_view request_uri,
                                            std::string_view method) const {
    if (keys.has_cookie()) {
        // §17.2.3: branch, sent-by and method (ACK matching its INVITE).
        auto it = server_index_.find(detail::server_key(keys, method));
        return it == server_index_.end() ? 0 : it->second;
    }
    // §17.2.3, RFC 2543 peers: the ACK's To tag must be the one of the response we sent; any
    // other request must repeat the To tag and method of the one that created the transaction.
    auto [first, last] = legacy_index_.equal_range(detail::legacy_key(keys, request_uri));
    for (auto it = first; it != last; ++it) {
        const Server& s = servers_.at(it->second);
        const std::string_view created_by = s.request->method_text();
        const bool match = method == "ACK" ? created_by == "INVITE" && keys.to_tag == s.response_to_tag
                                           : created_by == method && keys.to_tag == s.request_to_tag;
        if (match) return it->second;
    }
    return 0;
}

base::Status TransactionLayer::on_request(sip::Message message, Destination from, base::TimePoint now) {
    auto msg = std::make_shared<const sip::Message>(std::move(message));
    auto keys = detail::read_keys(*msg);
    if (!keys) return keys.error();
    const std::string_view method = msg->method_text();
    const bool ack = method == "ACK";

    if (const std::uint64_t id = find_server(*keys, msg->request_uri(), method)) {
        Server& s = servers_.at(id);
        const Actions a = s.machine.on_request(ack, now);
        apply(id, s, a, msg);
        if (!a.terminated) reschedule(id, s);
        return {};
    }
    if (ack) {
        // No transaction: the ACK to a 2xx is its own transaction and belongs to the TU (§17).
        emit(EventKind::AckReceived, 0, Kind::InviteServer, std::move(msg), from);
        return {};
    }
    const std::uint64_t id = next_id_++;
    const bool invite = msg->method() == sip::Method::Invite;
    Server s{ServerMachine(invite, from.reliable(), config_, now), msg};
    s.peer = from;
    s.legacy = !keys->has_cookie();
    s.request_to_tag = keys->to_tag;
    if (s.legacy) {
        s.key = detail::legacy_key(*keys, msg->request_uri());
        legacy_index_.emplace(s.key, id);
    } else {
        s.key = detail::server_key(*keys, method);
        server_index_.emplace(s.key, id);
    }
    auto [it, inserted] = servers_.try_emplace(id, std::move(s));
    emit(EventKind::RequestReceived, id, it->second.machine.kind(), std::move(msg), from);
    reschedule(id, it->second);
    return {};
}

base::Status TransactionLayer::on_response(sip::Message message, Destination from, base::TimePoint now) {
    auto msg = std::make_shared<const sip::Message>(std::move(message));
    auto keys = detail::read_keys(*msg);
    if (!keys) return keys.error();
    // §17.1.3: the top Via branch and the CSeq method; §18.1.2: no match goes to the core.
    auto found = keys->branch.empty()
                     ? client_index_.end()
                     : client_index_.find(detail::client_key(keys->branch, keys->cseq_method));
    if (found == client_index_.end()) {
        emit(EventKind::StrayResponse, 0, Kind::NonInviteClient, std::move(msg), from);
        return {};
    }
    const std::uint64_t id = found->second;
    Client& c = clients_.at(id);
    const Actions a = c.machine.on_response(msg->status_code(), now);
    apply(id, c, a, std::move(msg), now);
    if (!a.terminated) reschedule(id, c);
    return {};
}

void TransactionLayer::on_transport_error(TransactionId txn, base::TimePoint now) {
    if (auto it = clients_.find(txn.value); it != clients_.end()) {
        const Actions a = it->second.machine.on_transport_error(now);
        apply(txn.value, it->second, a, nullptr, now);
        if (!a.terminated) reschedule(txn.value, it->second);
    } else if (auto its = servers_.find(txn.value); its != servers_.end()) {
        const Actions a = its->second.machine.on_transport_error(now);
        apply(txn.value, its->second, a, nullptr);
        if (!a.terminated) reschedule(txn.value, its->second);
    }
}

void TransactionLayer::on_transport_error(Destination to, base::TimePoint now) {
    std::vector<std::uint64_t> failed;
    for (const auto& [id, c] : clients_)
        if (c.destination == to) failed.push_back(id);
    std::sort(failed.begin(), failed.end());  // the TU hears of them in the order they began
    for (std::uint64_t id : failed) on_transport_error(TransactionId{id}, now);
}

void TransactionLayer::on_timer(base::TimePoint now) {
    while (!heap_.empty() && heap_.front().at <= now) {
        std::pop_heap(heap_.begin(), heap_.end(), later<Due, Due>);
        const Due due = heap_.back();
        heap_.pop_back();
        if (auto it = clients_.find(due.id); it != clients_.end()) {
            if (it->second.scheduled != due.at) continue;  // superseded
            it->second.scheduled = base::TimePoint::max();
            const Actions a = it->second.machine.on_timer(now);
            apply(due.id, it->second, a, nullptr, now);
            if (!a.terminated) reschedule(due.id, it->second);
        } else if (auto its = servers_.find(due.id); its != servers_.end()) {
            if (its->second.scheduled != due.at) continue;
            its->second.scheduled = base::TimePoint::max();
            const Actions a = its->second.machine.on_timer(now);
            apply(due.id, its->second, a, nullptr);
            if (!a.terminated) reschedule(due.id, its->second);
        }
    }
}

// --- outputs -------------------------------------------------------------------------------

bool TransactionLayer::stale(const Due& d) const {
    if (auto it = clients_.find(d.id); it != clients_.end()) return it->second.scheduled != d.at;
    if (auto it = servers_.find(d.id); it != servers_.end()) return it->second.scheduled != d.at;
    return true;
}

std::optional<base::TimePoint> TransactionLayer::next_deadline() const {
    while (!heap_.empty() && stale(heap_.front())) {
        std::pop_heap(heap_.begin(), heap_.end(), later<Due, Due>);
        heap_.pop_back();
    }
    if (heap_.empty()) return std::nullopt;
    return heap_.front().at;
}

std::optional<Transmit> TransactionLayer::poll_transmit() { return transmits_.pop(); }

std::optional<Event> TransactionLayer::poll_event() { return events_.pop(); }

// --- inspection ----------------------------------------------------------------------------

std::optional<State> TransactionLayer::state(TransactionId txn) const {
    if (auto it = clients_.find(txn.value); it != clients_.end()) return it->second.machine.state();
    if (auto it = servers_.find(txn.value); it != servers_.end()) return it->second.machine.state();
    return std::nullopt;
}

std::optional<Kind> TransactionLayer::kind(TransactionId txn) const {
    if (auto it = clients_.find(txn.value); it != clients_.end()) return it->second.machine.kind();
    if (auto it = servers_.find(txn.value); it != servers_.end()) return it->second.machine.kind();
    return std::nullopt;
}

std::shared_ptr<const sip::Message> TransactionLayer::request(TransactionId txn) const {
    if (auto it = clients_.find(txn.value); it != clients_.end()) return it->second.request;
    if (auto it = servers_.find(txn.value); it != servers_.end()) return it->second.request;
    return nullptr;
}

TransactionId TransactionLayer::find_cancel_target(const sip::Message& cancel) const {
    // §9.2: apply the §17.2.3 matching as if the CANCEL were the request it cancels.
    auto keys = detail::read_keys(cancel);
    if (!keys) return {};
    return TransactionId{find_server(*keys, cancel.request_uri(), "INVITE")};
}

// --- carrying out a machine's actions ------------------------------------------------------

void TransactionLayer::apply(std::uint64_t id, Client& c, const Actions& a,
                             std::shared_ptr<const sip::Message> received, base::TimePoint) {
    if (a.send_request) transmits_.push(Transmit{TransactionId{id}, c.destination, c.bytes});
    if (a.send_ack && received) {
        // §17.1.1.3: built once from the INVITE and the first final; resent as the same bytes.
        if (!c.ack_bytes) c.ack_bytes = serialized(detail::build_ack(*c.request, *received));
        transmits_.push(Transmit{TransactionId{id}, c.destination, c.ack_bytes});
    }
    const Kind k = c.machine.kind();
    if (a.pass_to_tu) emit(EventKind::ResponseReceived, id, k, std::move(received), c.destination);
    if (a.timeout) emit(EventKind::Timeout, id, k, nullptr, c.destination, a.timeout);
    if (a.transport_error) emit(EventKind::TransportError, id, k, nullptr, c.destination);
    if (a.terminated) {
        const Destination d = c.destination;
        erase_client(id);  // `c` is gone from here on
        emit(EventKind::Terminated, id, k, nullptr, d);
    }
}

void TransactionLayer::apply(std::uint64_t id, Server& s, const Actions& a,
                             std::shared_ptr<const sip::Message> received) {
    if (a.send_trying) s.last_response = serialized(detail::build_trying(*s.request));
    if ((a.send_response || a.resend_response || a.send_trying) && s.last_response) {
        transmits_.push(Transmit{TransactionId{id}, s.peer, s.last_response});
    }
    const Kind k = s.machine.kind();
    if (a.pass_to_tu) emit(EventKind::AckReceived, id, k, std::move(received), s.peer);
    if (a.timeout) emit(EventKind::Timeout, id, k, nullptr, s.peer, a.timeout);
    if (a.transport_error) emit(EventKind::TransportError, id, k, nullptr, s.peer);
    if (a.terminated) {
        const Destination d = s.peer;
        erase_server(id);  // `s` is gone from here on
        emit(EventKind::Terminated, id, k, nullptr, d);
    }
}

template <class Entry>
void TransactionLayer::reschedule(std::uint64_t id, Entry& e) {
    const auto next = e.machine.next_deadline();
    if (!next) {
        e.scheduled = base::TimePoint::max();
        return;
    }
    if (*next == e.scheduled) return;
    e.scheduled = *next;
    heap_.push_back(Due{*next, id});
    std::push_heap(heap_.begin(), heap_.end(), later<Due, Due>);
}

void TransactionLayer::emit(EventKind kind, std::uint64_t id, Kind txn_kind,
                            std::shared_ptr<const sip::Message> message, Destination peer,
                            std::optional<Timer> timer) {
    events_.push(Event{kind, TransactionId{id}, txn_kind, std::move(message), peer, timer});
}

void TransactionLayer::erase_client(std::uint64_t id) {
    auto it = clients_.find(id);
    if (it == clients_.end()) return;
    if (auto idx = client_index_.find(it->second.key); idx != client_index_.end() && idx->second == id) {
        client_index_.erase(idx);
    }
    clients_.erase(it);
}

void TransactionLayer::erase_server(std::uint64_t id) {
    auto it = servers_.find(id);
    if (it == servers_.end()) return;
    if (it->second.legacy) {
        auto [first, last] = legacy_index_.equal_range(it->second.key);
        for (auto idx = first; idx != last; ++idx) {
            if (idx->second == id) {
                legacy_index_.erase(idx);
                break;
            }
        }
    } else if (auto idx = server_index_.find(it->second.key);
               idx != server_index_.end() && idx->second == id) {
        server_index_.erase(idx);
    }
    servers_.erase(it);
}

}  // namespace dialtone::txn
