// The transaction table of RFC 3261 §17: matching (§17.1.3, §17.2.3 and the RFC 2543 fallback),
// the messages it writes itself, and its timers through next_deadline() and a manual clock.
#include "dialtone/txn/transaction_layer.hpp"
#include "dialtone/sip/parser.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace dialtone;
using namespace dialtone::txn;

namespace {

base::TimePoint at_ms(std::int64_t ms) { return base::TimePoint{} + base::milliseconds(ms); }
std::int64_t ms_of(base::TimePoint t) { return base::to_milliseconds(t.time_since_epoch()); }

const Destination udp{7, Transport::Udp};
const Destination tcp{8, Transport::Tcp};

sip::Message parse(std::string text) {
    std::string crlf;
    for (char c : text) {
        if (c == '\n') crlf += '\r';
        crlf += c;
    }
    auto m = sip::parse_message(crlf);
    REQUIRE_MESSAGE(m.ok(), (m.ok() ? "" : m.error().message));
    return std::move(m).value();
}

// RFC 3261 §24.2 (F1), with a Route added.
std::string invite_text(std::string branch = "z9hG4bK776asdhds",
                        std::string sent_by = "pc33.atlanta.example.com") {
    return "INVITE sip:bob@biloxi.example.com SIP/2.0\n"
           "Via: SIP/2.0/UDP " +
           sent_by + ";branch=" + branch +
           "\n"
           "Via: SIP/2.0/UDP proxy.example.com;branch=z9hG4bKouter\n"
           "Max-Forwards: 70\n"
           "Route: <sip:p1.example.com;lr>\n"
           "Route: <sip:p2.example.com;lr>\n"
           "To: Bob <sip:bob@biloxi.example.com>\n"
           "From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\n"
           "Call-ID: a84b4c76e66710@pc33.atlanta.example.com\n"
           "CSeq: 314159 INVITE\n"
           "Timestamp: 54\n"
           "Contact: <sip:alice@pc33.atlanta.example.com>\n"
           "Content-Length: 0\n\n";
}

std::string request_text(std::string method, std::string branch, std::string to_tag = "",
                         std::string cseq_method = "") {
    if (cseq_method.empty()) cseq_method = method;
    return method +
           " sip:bob@biloxi.example.com SIP/2.0\n"
           "Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=" +
           branch +
           "\n"
           "Max-Forwards: 70\n"
           "To: Bob <sip:bob@biloxi.example.com>" +
           (to_tag.empty() ? "" : ";tag=" + to_tag) +
           "\n"
           "From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\n"
           "Call-ID: a84b4c76e66710@pc33.atlanta.example.com\n"
           "CSeq: 314159 " +
           cseq_method +
           "\n"
           "Content-Length: 0\n\n";
}

std::string response_text(int code, std::string reason, std::string branch = "z9hG4bK776asdhds",
                          std::string cseq_method = "INVITE", std::string to_tag = "a6c85cf") {
    return "SIP/2.0 " + std::to_string(code) + " " + reason +
           "\n"
           "Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=" +
           branch +
           ";received=192.0.2.1\n"
           "To: Bob <sip:bob@biloxi.example.com>" +
           (to_tag.empty() ? "" : ";tag=" + to_tag) +
           "\n"
           "From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\n"
           "Call-ID: a84b4c76e66710@pc33.atlanta.example.com\n"
           "CSeq: 314159 " +
           cseq_method +
           "\n"
           "Content-Length: 0\n\n";
}

std::vector<Transmit> drain_transmits(TransactionLayer& l) {
    std::vector<Transmit> out;
    while (auto t = l.poll_transmit()) out.push_back(std::move(*t));
    return out;
}

std::vector<Event> drain_events(TransactionLayer& l) {
    std::vector<Event> out;
    while (auto e = l.poll_event()) out.push_back(std::move(*e));
    return out;
}

sip::Message parse_bytes(const Transmit& t) {
    auto m = sip::parse_message(*t.bytes);
    REQUIRE(m.ok());
    return std::move(m).value();
}

// Follows next_deadline() up to `until_ms`, recording the instant of every transmit and event.
struct Timeline {
    std::vector<std::int64_t> sends;
    std::vector<std::pair<std::int64_t, Event>> events;
    std::vector<const std::string*> buffers;
};

Timeline follow(TransactionLayer& l, std::int64_t until_ms) {
    Timeline tl;
    while (auto d = l.next_deadline()) {
        if (ms_of(*d) > until_ms) break;
        l.on_timer(*d);
        for (auto& t : drain_transmits(l)) {
            tl.sends.push_back(ms_of(*d));
            tl.buffers.push_back(t.bytes.get());
        }
        for (auto& e : drain_events(l)) tl.events.emplace_back(ms_of(*d), std::move(e));
    }
    return tl;
}

}  // namespace

TEST_CASE(
    "layer, client INVITE over UDP: sent at 0, retransmitted at 0.5 1.5 3.5 7.5 15.5 31.5 s, Timer B at 32 "
    "s") {
    TransactionLayer layer;
    auto id = layer.send_request(parse(invite_text()), udp, at_ms(0));
    REQUIRE(id.ok());
    auto first = drain_transmits(layer);
    REQUIRE(first.size() == 1);
    CHECK(first[0].txn == *id);
    CHECK(first[0].destination == udp);
    CHECK(layer.state(*id) == State::Calling);

    Timeline tl = follow(layer, 100'000);
    CHECK(tl.sends == std::vector<std::int64_t>{500, 1500, 3500, 7500, 15500, 31500});
    // Every retransmission is the buffer serialized once: nothing is rebuilt or copied.
    for (const std::string* b : tl.buffers) CHECK(b == first[0].bytes.get());
    REQUIRE(tl.events.size() == 2);
    CHECK(tl.events[0].first == 32000);
    CHECK(tl.events[0].second.kind == EventKind::Timeout);
    CHECK(tl.events[0].second.timer == Timer::B);
    CHECK(tl.events[0].second.txn == *id);
    CHECK(tl.events[1].second.kind == EventKind::Terminated);
    CHECK(layer.size() == 0);
    CHECK_FALSE(layer.next_deadline());
}

TEST_CASE("layer, client non-INVITE: Timer E doubles to T2, Timer F at 32 s") {
    TransactionLayer layer;
    REQUIRE(layer.send_request(parse(request_text("OPTIONS", "z9hG4bKopt1")), udp, at_ms(0)).ok());
    CHECK(drain_transmits(layer).size() == 1);
    Timeline tl = follow(layer, 100'000);
    CHECK(tl.sends ==
          std::vector<std::int64_t>{500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500});
    REQUIRE_FALSE(tl.events.empty());
    CHECK(tl.events[0].first == 32000);
    CHECK(tl.events[0].second.timer == Timer::F);
}

TEST_CASE("layer, client INVITE: the ACK to a non-2xx final follows §17.1.1.3 and is resent as is") {
    TransactionLayer layer;
    auto id = layer.send_request(parse(invite_text()), udp, at_ms(0));
    REQUIRE(id.ok());
    drain_transmits(layer);

    REQUIRE(layer.on_message(parse(response_text(486, "Busy Here")), udp, at_ms(800)).ok());
    auto events = drain_events(layer);
    REQUIRE(events.size() == 1);
    CHECK(events[0].kind == EventKind::ResponseReceived);
    CHECK(events[0].txn == *id);
    CHECK(events[0].message->status_code() == 486);

    auto sent = drain_transmits(layer);
    REQUIRE(sent.size() == 1);
    sip::Message ack = parse_bytes(sent[0]);
    CHECK(ack.method() == sip::Method::Ack);
    CHECK(ack.request_uri() == "sip:bob@biloxi.example.com");
    CHECK(ack.values(sip::HeaderId::Via) ==
          std::vector<std::string_view>{"SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds"});
    CHECK(ack.find(sip::HeaderId::To)->value == "Bob <sip:bob@biloxi.example.com>;tag=a6c85cf");
    CHECK(ack.find(sip::HeaderId::From)->value == "Alice <sip:alice@atlanta.example.com>;tag=1928301774");
    CHECK(ack.find(sip::HeaderId::CallId)->value == "a84b4c76e66710@pc33.atlanta.example.com");
    CHECK(ack.find(sip::HeaderId::CSeq)->value == "314159 ACK");
    CHECK(ack.values(sip::HeaderId::Route) ==
          std::vector<std::string_view>{"<sip:p1.example.com;lr>", "<sip:p2.example.com;lr>"});
    CHECK(layer.state(*id) == State::Completed);

    // The final is retransmitted: the same ACK bytes go out again; the TU hears nothing.
    REQUIRE(layer.on_message(parse(response_text(486, "Busy Here")), udp, at_ms(1300)).ok());
    auto again = drain_transmits(layer);
    REQUIRE(again.size() == 1);
    CHECK(again[0].bytes.get() == sent[0].bytes.get());
    CHECK(drain_events(layer).empty());

    // Timer D: 32 s after the final.
    CHECK(layer.next_deadline() == at_ms(32800));
    layer.on_timer(at_ms(32800));
    CHECK_FALSE(layer.state(*id));
}

TEST_CASE("layer, client INVITE: Timer D is zero over TCP") {
    TransactionLayer layer;
    auto id = layer.send_request(parse(invite_text()), tcp, at_ms(0));
    REQUIRE(id.ok());
    CHECK(layer.next_deadline() == at_ms(32000));  // Timer B only; no Timer A over TCP
    REQUIRE(layer.on_message(parse(response_text(404, "Not Found")), tcp, at_ms(100)).ok());
    CHECK(drain_transmits(layer).size() == 2);  // the INVITE, then the ACK
    auto events = drain_events(layer);
    REQUIRE(events.size() == 2);
    CHECK(events[0].kind == EventKind::ResponseReceived);
    CHECK(events[1].kind == EventKind::Terminated);
    CHECK(layer.size() == 0);
}

TEST_CASE("layer, client: a response matches by top Via branch and CSeq method (§17.1.3)") {
    TransactionLayer layer;
    auto invite = layer.send_request(parse(invite_text()), udp, at_ms(0));
    auto cancel = layer.send_request(parse(request_text("CANCEL", "z9hG4bK776asdhds")), udp, at_ms(100));
    REQUIRE(invite.ok());
    REQUIRE(cancel.ok());
    CHECK(layer.kind(*cancel) == Kind::NonInviteClient);

    // 200 to the CANCEL: the same branch, but CSeq method CANCEL.
    REQUIRE(layer.on_message(parse(response_text(200, "OK", "z9hG4bK776asdhds", "CANCEL")), udp, at_ms(200))
                .ok());
    auto e1 = drain_events(layer);
    REQUIRE_FALSE(e1.empty());
    CHECK(e1[0].kind == EventKind::ResponseReceived);
    CHECK(e1[0].txn == *cancel);
    CHECK(layer.state(*invite) == State::Calling);

    REQUIRE(layer.on_message(parse(response_text(487, "Request Terminated")), udp, at_ms(300)).ok());
    auto e2 = drain_events(layer);
    REQUIRE_FALSE(e2.empty());
    CHECK(e2[0].txn == *invite);
    CHECK(layer.state(*invite) == State::Completed);

    // Another branch matches nothing: passed to the core as stray (§18.1.2).
    REQUIRE(layer.on_message(parse(response_text(200, "OK", "z9hG4bKother")), udp, at_ms(400)).ok());
    auto e3 = drain_events(layer);
    REQUIRE(e3.size() == 1);
    CHECK(e3[0].kind == EventKind::StrayResponse);
    CHECK_FALSE(e3[0].txn);
}

TEST_CASE("layer, client INVITE: 2xx retransmissions reach the TU while Accepted (RFC 6026)") {
    TransactionLayer layer;
    auto id = layer.send_request(parse(invite_text()), udp, at_ms(0));
    REQUIRE(id.ok());
    REQUIRE(layer.on_message(parse(response_text(200, "OK")), udp, at_ms(100)).ok());
    REQUIRE(layer.on_message(parse(response_text(200, "OK")), udp, at_ms(600)).ok());
    auto events = drain_events(layer);
    REQUIRE(events.size() == 2);
    CHECK(events[0].kind == EventKind::ResponseReceived);
    CHECK(events[1].kind == EventKind::ResponseReceived);
    CHECK(drain_transmits(layer).size() == 1);     // only the INVITE: the TU ACKs a 2xx
    CHECK(layer.next_deadline() == at_ms(32100));  // Timer M
}

TEST_CASE("layer, client: requests it refuses, with the reason") {
    TransactionLayer layer;
    auto ack = layer.send_request(parse(request_text("ACK", "z9hG4bKack")), udp, at_ms(0));
    REQUIRE_FALSE(ack.ok());
    CHECK(ack.error().message == "an ACK is not sent in a client transaction (send_stateless)");

    auto old = layer.send_request(parse(request_text("OPTIONS", "776asdhds")), udp, at_ms(0));
    REQUIRE_FALSE(old.ok());
    CHECK(old.error().message ==
          "top Via branch '776asdhds' does not start with z9hG4bK (RFC 3261 §8.1.1.7)");

    REQUIRE(layer.send_request(parse(request_text("OPTIONS", "z9hG4bKdup")), udp, at_ms(0)).ok());
    auto dup = layer.send_request(parse(request_text("OPTIONS", "z9hG4bKdup")), udp, at_ms(0));
    REQUIRE_FALSE(dup.ok());
    CHECK(dup.error().message ==
          "a client transaction with branch 'z9hG4bKdup' and method OPTIONS already exists");
}

TEST_CASE("layer, client: a transport error is reported and ends the transaction") {
    TransactionLayer layer;
    auto id = layer.send_request(parse(request_text("BYE", "z9hG4bKbye")), udp, at_ms(0));
    REQUIRE(id.ok());
    auto t = drain_transmits(layer);
    REQUIRE(t.size() == 1);
    layer.on_transport_error(t[0].txn, at_ms(1));
    auto events = drain_events(layer);
    REQUIRE(events.size() == 2);
    CHECK(events[0].kind == EventKind::TransportError);
    CHECK(events[0].txn == *id);
    CHECK(events[1].kind == EventKind::Terminated);
    CHECK_FALSE(layer.next_deadline());
}

TEST_CASE("layer, client: a destination the transport cannot reach ends every client transaction sending there") {
    // §8.1.3.1, §17.1.4: a refused connection is a 503 for each request waiting on it, at once
    // rather than at Timer B or F; a transaction to another destination carries on.
    TransactionLayer layer;
    const Destination refused{9, Transport::Tcp};
    auto invite = layer.send_request(parse(invite_text("z9hG4bKinv")), refused, at_ms(0));
    auto options = layer.send_request(parse(request_text("OPTIONS", "z9hG4bKopt")), refused, at_ms(0));
    auto elsewhere = layer.send_request(parse(request_text("OPTIONS", "z9hG4bKother")), tcp, at_ms(0));
    REQUIRE((invite.ok() && options.ok() && elsewhere.ok()));
    (void)drain_transmits(layer);
    layer.on_transport_error(refused, at_ms(3));
    auto events = drain_events(layer);
    REQUIRE(events.size() == 4);
    CHECK(events[0].kind == EventKind::TransportError);
    CHECK(events[0].txn == *invite);
    CHECK(events[0].txn_kind == Kind::InviteClient);
    CHECK(events[1].kind == EventKind::Terminated);
    CHECK(events[2].kind == EventKind::TransportError);
    CHECK(events[2].txn == *options);
    CHECK(events[3].kind == EventKind::Terminated);
    CHECK_FALSE(layer.state(*invite));
    CHECK(layer.state(*elsewhere) == State::Trying);
    CHECK(layer.size() == 1);
}

TEST_CASE("layer, client: a transport error after the 2xx leaves the INVITE's Accepted state alone") {
    TransactionLayer layer;
    auto invite = layer.send_request(parse(invite_text()), udp, at_ms(0));
    REQUIRE(invite.ok());
    REQUIRE(layer.on_message(parse(response_text(200, "OK")), udp, at_ms(50)).ok());
    (void)drain_events(layer);
    layer.on_transport_error(udp, at_ms(60));
    CHECK(drain_events(layer).empty());
    CHECK(layer.state(*invite) == State::Accepted);
}

TEST_CASE("layer, server INVITE: 100 Trying at 200 ms, copying Via, From, To, Call-ID, CSeq, Timestamp") {
    TransactionLayer layer;
    REQUIRE(layer.on_message(parse(invite_text()), udp, at_ms(1000)).ok());
    auto events = drain_events(layer);
    REQUIRE(events.size() == 1);
    CHECK(events[0].kind == EventKind::RequestReceived);
    CHECK(events[0].txn_kind == Kind::InviteServer);
    CHECK(events[0].peer == udp);
    const TransactionId id = events[0].txn;
    CHECK(layer.next_deadline() == at_ms(1200));

    layer.on_timer(at_ms(1199));
    CHECK(drain_transmits(layer).empty());
    layer.on_timer(at_ms(1200));
    auto sent = drain_transmits(layer);
    REQUIRE(sent.size() == 1);
    CHECK(sent[0].destination == udp);
    sip::Message trying = parse_bytes(sent[0]);
    CHECK(trying.status_code() == 100);
    CHECK(trying.values(sip::HeaderId::Via).size() == 2);
    CHECK(trying.find(sip::HeaderId::CSeq)->value == "314159 INVITE");
    CHECK(trying.find(sip::HeaderId::Timestamp)->value == "54");
    CHECK(trying.find(sip::HeaderId::Contact) == nullptr);

    // The retransmitted INVITE is absorbed and gets the 100 again.
    REQUIRE(layer.on_message(parse(invite_text()), udp, at_ms(1500)).ok());
    CHECK(drain_events(layer).empty());
    auto resent = drain_transmits(layer);
    REQUIRE(resent.size() == 1);
    CHECK(resent[0].bytes.get() == sent[0].bytes.get());
    CHECK(layer.state(id) == State::Proceeding);
}

TEST_CASE("layer, server INVITE: no 100 Trying when the TU answers within 200 ms") {
    TransactionLayer layer;
    REQUIRE(layer.on_message(parse(invite_text()), udp, at_ms(0)).ok());
    const TransactionId id = drain_events(layer).at(0).txn;
    REQUIRE(layer.send_response(id, parse(response_text(180, "Ringing")), at_ms(150)).ok());
    CHECK(drain_transmits(layer).size() == 1);
    CHECK_FALSE(layer.next_deadline());
    layer.on_timer(at_ms(200));
    CHECK(drain_transmits(layer).empty());
}

TEST_CASE("layer, server INVITE: Timer G resends the final until the ACK, which is absorbed; Timer I T4") {
    TransactionLayer layer;
    REQUIRE(layer.on_message(parse(invite_text()), udp, at_ms(0)).ok());
    const TransactionId id = drain_events(layer).at(0).txn;
    REQUIRE(layer.send_response(id, parse(response_text(486, "Busy Here")), at_ms(0)).ok());
    CHECK(drain_transmits(layer).size() == 1);
    Timeline tl = follow(layer, 8000);
    CHECK(tl.sends == std::vector<std::int64_t>{500, 1500, 3500, 7500});

    // The ACK of the non-2xx carries the INVITE's branch (§17.1.1.3).
    REQUIRE(
        layer.on_message(parse(request_text("ACK", "z9hG4bK776asdhds", "a6c85cf")), udp, at_ms(9000)).ok());
    CHECK(drain_events(layer).empty());
    CHECK(layer.state(id) == State::Confirmed);
    CHECK(layer.next_deadline() == at_ms(14000));
    layer.on_timer(at_ms(14000));
    CHECK_FALSE(layer.state(id));
}

TEST_CASE("layer, server INVITE: Timer H at 64*T1 tells the TU no ACK came") {
    TransactionLayer layer;
    REQUIRE(layer.on_message(parse(invite_text()), udp, at_ms(0)).ok());
    const TransactionId id = drain_events(layer).at(0).txn;
    REQUIRE(layer.send_response(id, parse(response_text(603, "Decline")), at_ms(1000)).ok());
    Timeline tl = follow(layer, 100'000);
    CHECK(tl.sends.back() == 32500);
    REQUIRE_FALSE(tl.events.empty());
    CHECK(tl.events[0].first == 33000);
    CHECK(tl.events[0].second.kind == EventKind::Timeout);
    CHECK(tl.events[0].second.timer == Timer::H);
}

TEST_CASE("layer, server INVITE: the ACK to a 2xx has its own branch and does not match the transaction") {
    TransactionLayer layer;
    REQUIRE(layer.on_message(parse(invite_text()), udp, at_ms(0)).ok());
    const TransactionId id = drain_events(layer).at(0).txn;
    REQUIRE(layer.send_response(id, parse(response_text(200, "OK")), at_ms(100)).ok());
    CHECK(layer.state(id) == State::Accepted);

    REQUIRE(layer.on_message(parse(request_text("ACK", "z9hG4bKnewack", "a6c85cf")), udp, at_ms(300)).ok());
    auto events = drain_events(layer);
    REQUIRE(events.size() == 1);
    CHECK(events[0].kind == EventKind::AckReceived);
    CHECK_FALSE(events[0].txn);
    CHECK(layer.state(id) == State::Accepted);

    // A retransmitted INVITE is absorbed in Accepted: no new transaction, nothing sent.
    drain_transmits(layer);
    REQUIRE(layer.on_message(parse(invite_text()), udp, at_ms(500)).ok());
    CHECK(drain_events(layer).empty());
    CHECK(drain_transmits(layer).empty());
    CHECK(layer.size() == 1);

    // The TU's own 2xx retransmission still goes out through the transaction.
    REQUIRE(layer.send_response(id, parse(response_text(200, "OK")), at_ms(600)).ok());
    CHECK(drain_transmits(layer).size() == 1);

    CHECK(layer.next_deadline() == at_ms(32100));  // Timer L
    layer.on_timer(at_ms(32100));
    CHECK_FALSE(layer.state(id));
}

TEST_CASE(
    "layer, server: a CANCEL with the INVITE's branch is its own transaction and finds the INVITE (§9.2)") {
    TransactionLayer layer;
    REQUIRE(layer.on_message(parse(invite_text()), udp, at_ms(0)).ok());
    const TransactionId invite = drain_events(layer).at(0).txn;

    const sip::Message cancel = parse(request_text("CANCEL", "z9hG4bK776asdhds"));
    REQUIRE(layer.on_message(cancel, udp, at_ms(100)).ok());
    auto events = drain_events(layer);
    REQUIRE(events.size() == 1);
    CHECK(events[0].kind == EventKind::RequestReceived);
    CHECK(events[0].txn_kind == Kind::NonInviteServer);
    CHECK(events[0].txn != invite);
    CHECK(events[0].message->method() == sip::Method::Cancel);
    CHECK(layer.find_cancel_target(cancel) == invite);
    CHECK(layer.state(invite) == State::Proceeding);

    const sip::Message other = parse(request_text("CANCEL", "z9hG4bKunknown"));
    CHECK_FALSE(layer.find_cancel_target(other));
}

TEST_CASE("layer, server: the same branch from another sent-by is another transaction (§17.2.3)") {
    TransactionLayer layer;
    REQUIRE(layer.on_message(parse(invite_text("z9hG4bKsame", "a.example.com")), udp, at_ms(0)).ok());
    REQUIRE(layer.on_message(parse(invite_text("z9hG4bKsame", "b.example.com:5070")), udp, at_ms(0)).ok());
    REQUIRE(layer.on_message(parse(invite_text("z9hG4bKsame", "A.EXAMPLE.COM")), udp, at_ms(0)).ok());
    auto events = drain_events(layer);
    REQUIRE(events.size() == 2);  // the third is a retransmission: host names compare case-insensitively
    CHECK(events[0].txn != events[1].txn);
}

TEST_CASE("layer, server non-INVITE: absorbed in Trying, last response resent, Timer J at 32 s, 0 over TCP") {
    TransactionLayer layer;
    REQUIRE(layer.on_message(parse(request_text("OPTIONS", "z9hG4bKo1")), udp, at_ms(0)).ok());
    const TransactionId id = drain_events(layer).at(0).txn;
    REQUIRE(layer.on_message(parse(request_text("OPTIONS", "z9hG4bKo1")), udp, at_ms(500)).ok());
    CHECK(drain_events(layer).empty());
    CHECK(drain_transmits(layer).empty());
    CHECK_FALSE(layer.next_deadline());  // no 100 Trying for non-INVITE

    REQUIRE(
        layer.send_response(id, parse(response_text(200, "OK", "z9hG4bKo1", "OPTIONS")), at_ms(600)).ok());
    auto sent = drain_transmits(layer);
    REQUIRE(layer.on_message(parse(request_text("OPTIONS", "z9hG4bKo1")), udp, at_ms(1500)).ok());
    auto resent = drain_transmits(layer);
    REQUIRE(resent.size() == 1);
    CHECK(resent[0].bytes.get() == sent.at(0).bytes.get());
    auto twice =
        layer.send_response(id, parse(response_text(200, "OK", "z9hG4bKo1", "OPTIONS")), at_ms(1600));
    REQUIRE_FALSE(twice.ok());
    CHECK(twice.error().message == "a final response has already been sent in this transaction");
    CHECK(layer.next_deadline() == at_ms(32600));

    REQUIRE(layer.on_message(parse(request_text("OPTIONS", "z9hG4bKo2")), tcp, at_ms(0)).ok());
    const TransactionId over_tcp = drain_events(layer).at(0).txn;
    REQUIRE(layer.send_response(over_tcp, parse(response_text(200, "OK", "z9hG4bKo2", "OPTIONS")), at_ms(10))
                .ok());
    CHECK_FALSE(layer.state(over_tcp));
}

TEST_CASE(
    "layer, server: RFC 2543 peers (no z9hG4bK) are matched by Request-URI, tags, Call-ID, CSeq and top "
    "Via") {
    TransactionLayer layer;
    REQUIRE(layer.on_message(parse(invite_text("old1")), udp, at_ms(0)).ok());
    auto created = drain_events(layer);
    REQUIRE(created.size() == 1);
    const TransactionId id = created[0].txn;

    // A retransmission is absorbed.
    REQUIRE(layer.on_message(parse(invite_text("old1")), udp, at_ms(500)).ok());
    CHECK(drain_events(layer).empty());

    // Another CSeq is another transaction.
    std::string next = invite_text("old1");
    next.replace(next.find("314159 INVITE"), 13, "314160 INVITE");
    REQUIRE(layer.on_message(parse(next), udp, at_ms(600)).ok());
    auto second = drain_events(layer);
    REQUIRE(second.size() == 1);
    CHECK(second[0].txn != id);

    // The ACK matches by the To tag of the response sent (§17.2.3).
    REQUIRE(layer.send_response(id, parse(response_text(486, "Busy Here", "old1")), at_ms(700)).ok());
    REQUIRE(layer.on_message(parse(request_text("ACK", "old1", "wrongtag")), udp, at_ms(800)).ok());
    CHECK(layer.state(id) == State::Completed);
    auto stray = drain_events(layer);
    REQUIRE(stray.size() == 1);
    CHECK(stray[0].kind == EventKind::AckReceived);
    CHECK_FALSE(stray[0].txn);

    REQUIRE(layer.on_message(parse(request_text("ACK", "old1", "a6c85cf")), udp, at_ms(900)).ok());
    CHECK(drain_events(layer).empty());
    CHECK(layer.state(id) == State::Confirmed);
}

TEST_CASE("layer: a message that cannot be matched is refused with the header at fault") {
    TransactionLayer layer;
    auto no_via = layer.on_message(parse("OPTIONS sip:a@b SIP/2.0\nCSeq: 1 OPTIONS\nCall-ID: x\n"
                                         "Content-Length: 0\n\n"),
                                   udp, at_ms(0));
    REQUIRE_FALSE(no_via.ok());
    CHECK(no_via.error().message == "missing Via header");
    auto bad_cseq = layer.on_message(parse("OPTIONS sip:a@b SIP/2.0\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\n"
                                           "CSeq: OPTIONS\nCall-ID: x\nContent-Length: 0\n\n"),
                                     udp, at_ms(0));
    REQUIRE_FALSE(bad_cseq.ok());
    CHECK(bad_cseq.error().message.starts_with("CSeq: "));  // the CSeq grammar's own message
    CHECK(bad_cseq.error().status == 400);
    CHECK(layer.size() == 0);
    auto unknown = layer.send_response(TransactionId{99}, parse(response_text(200, "OK")), at_ms(0));
    REQUIRE_FALSE(unknown.ok());
}

TEST_CASE("layer, server: an RFC 2543 ACK to a 2xx matches the Accepted transaction and goes to the TU") {
    TransactionLayer layer;
    REQUIRE(layer.on_message(parse(invite_text("old2")), udp, at_ms(0)).ok());
    const TransactionId id = drain_events(layer).at(0).txn;
    REQUIRE(layer.send_response(id, parse(response_text(200, "OK", "old2")), at_ms(100)).ok());
    REQUIRE(layer.on_message(parse(request_text("ACK", "old2", "a6c85cf")), udp, at_ms(200)).ok());
    auto events = drain_events(layer);
    REQUIRE(events.size() == 1);
    CHECK(events[0].kind == EventKind::AckReceived);
    CHECK(events[0].txn == id);
    CHECK(layer.state(id) == State::Accepted);
}

TEST_CASE("layer, server: a transport error on a response is reported and ends the transaction") {
    TransactionLayer layer;
    REQUIRE(layer.on_message(parse(request_text("BYE", "z9hG4bKbye2", "a6c85cf")), tcp, at_ms(0)).ok());
    const TransactionId id = drain_events(layer).at(0).txn;
    REQUIRE(
        layer.send_response(id, parse(response_text(100, "Trying", "z9hG4bKbye2", "BYE")), at_ms(1)).ok());
    auto sent = drain_transmits(layer);
    REQUIRE(sent.size() == 1);
    CHECK(sent[0].destination == tcp);
    layer.on_transport_error(sent[0].txn, at_ms(2));
    auto events = drain_events(layer);
    REQUIRE(events.size() == 2);
    CHECK(events[0].kind == EventKind::TransportError);
    CHECK(events[1].kind == EventKind::Terminated);
    CHECK_FALSE(layer.state(id));
}

TEST_CASE("layer: a stateless send (the ACK to a 2xx) goes out with no transaction") {
    TransactionLayer layer;
    const sip::Message ack = parse(request_text("ACK", "z9hG4bKack2xx", "a6c85cf"));
    layer.send_stateless(ack, udp);
    auto sent = drain_transmits(layer);
    REQUIRE(sent.size() == 1);
    CHECK_FALSE(sent[0].txn);
    CHECK(*sent[0].bytes == ack.serialize());
    CHECK(layer.size() == 0);
    CHECK_FALSE(layer.next_deadline());
}

TEST_CASE("layer: next_deadline is the earliest timer across transactions") {
    TransactionLayer layer;
    REQUIRE(layer.send_request(parse(request_text("OPTIONS", "z9hG4bKa")), tcp, at_ms(0)).ok());  // F at 32 s
    CHECK(layer.next_deadline() == at_ms(32000));
    REQUIRE(layer.on_message(parse(invite_text()), udp, at_ms(1000)).ok());  // 100 Trying at 1.2 s
    CHECK(layer.next_deadline() == at_ms(1200));
    REQUIRE(
        layer.send_request(parse(request_text("OPTIONS", "z9hG4bKb")), udp, at_ms(1100)).ok());  // E at 1.6 s
    layer.on_timer(at_ms(1200));
    CHECK(layer.next_deadline() == at_ms(1600));
    layer.on_timer(at_ms(1600));
    CHECK(layer.next_deadline() == at_ms(2600));
}

TEST_CASE(
    "layer, client: sending a CANCEL gives the ringing INVITE 64*T1 to end before it is dropped (§9.1)") {
    TransactionLayer layer;
    auto invite = layer.send_request(parse(invite_text()), udp, at_ms(0));
    REQUIRE(invite.ok());
    REQUIRE(layer.on_message(parse(response_text(180, "Ringing")), udp, at_ms(100)).ok());
    CHECK_FALSE(layer.next_deadline());  // Proceeding: no Timer A, no Timer B
    auto cancel = layer.send_request(parse(request_text("CANCEL", "z9hG4bK776asdhds")), udp, at_ms(5000));
    REQUIRE(cancel.ok());
    REQUIRE(layer.on_message(parse(response_text(200, "OK", "z9hG4bK776asdhds", "CANCEL")), udp, at_ms(5100))
                .ok());
    drain_events(layer);
    Timeline tl = follow(layer, 100'000);
    bool invite_timed_out = false;
    for (auto& [ms, e] : tl.events) {
        if (e.txn == *invite && e.kind == EventKind::Timeout) {
            CHECK(ms == 37000);
            CHECK(e.timer == Timer::B);
            invite_timed_out = true;
        }
    }
    CHECK(invite_timed_out);
    CHECK(layer.size() == 0);
}
