// A client and a server TransactionLayer joined by a lossy datagram link and one manual clock:
// the retransmission rules of §17 carry an INVITE and its non-2xx final through lost packets.
#include "dialtone/sip/parser.hpp"
#include "dialtone/txn/transaction_layer.hpp"

#include <doctest/doctest.h>

#include <set>
#include <string>
#include <vector>

using namespace dialtone;
using namespace dialtone::txn;

namespace {

base::TimePoint at_ms(std::int64_t ms) { return base::TimePoint{} + base::milliseconds(ms); }
std::int64_t ms_of(base::TimePoint t) { return base::to_milliseconds(t.time_since_epoch()); }

constexpr Destination to_server{1, Transport::Udp};
constexpr Destination to_client{2, Transport::Udp};

sip::Message parse(std::string_view bytes) {
    auto m = sip::parse_message(bytes);
    REQUIRE(m.ok());
    return std::move(m).value();
}

const char* const invite =
    "INVITE sip:bob@biloxi.example.com SIP/2.0\r\n"
    "Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bKlossy\r\n"
    "Max-Forwards: 70\r\nTo: Bob <sip:bob@biloxi.example.com>\r\n"
    "From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n"
    "Call-ID: lossy@pc33.atlanta.example.com\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n";

const char* const busy =
    "SIP/2.0 486 Busy Here\r\n"
    "Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bKlossy\r\n"
    "To: Bob <sip:bob@biloxi.example.com>;tag=8321234356\r\n"
    "From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n"
    "Call-ID: lossy@pc33.atlanta.example.com\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n";

// Delivers every queued datagram at once (no delay) unless its ordinal number on its way is in
// the drop set; the server answers 486 to the first INVITE it is told about.
struct Link {
    TransactionLayer client;
    TransactionLayer server;
    std::set<int> drop_to_server;
    std::set<int> drop_to_client;
    int sent_to_server = 0;
    int sent_to_client = 0;
    std::vector<std::string> log;  // "<ms> <direction> <first line>" of what was delivered

    void pump(base::TimePoint now) {
        bool moved = true;
        while (moved) {
            moved = false;
            while (auto t = client.poll_transmit()) {
                moved = true;
                if (drop_to_server.contains(++sent_to_server)) continue;
                note(now, "C->S", *t->bytes);
                REQUIRE(server.on_message(parse(*t->bytes), to_client, now).ok());
            }
            while (auto e = server.poll_event()) {
                if (e->kind == EventKind::RequestReceived) {
                    REQUIRE(server.send_response(e->txn, parse(busy), now).ok());
                }
            }
            while (auto t = server.poll_transmit()) {
                moved = true;
                if (drop_to_client.contains(++sent_to_client)) continue;
                note(now, "S->C", *t->bytes);
                REQUIRE(client.on_message(parse(*t->bytes), to_server, now).ok());
            }
        }
    }

    void note(base::TimePoint now, const char* dir, const std::string& bytes) {
        log.push_back(std::to_string(ms_of(now)) + " " + dir + " " + bytes.substr(0, bytes.find('\r')));
    }

    // Runs both layers' timers in order until neither has one.
    void run() {
        for (;;) {
            auto a = client.next_deadline();
            auto b = server.next_deadline();
            if (!a && !b) return;
            const base::TimePoint now = !a ? *b : !b ? *a : std::min(*a, *b);
            client.on_timer(now);
            server.on_timer(now);
            pump(now);
        }
    }
};

}  // namespace

TEST_CASE("two layers over a lossy link: INVITE lost twice, 486 lost once, ACK absorbed, all end") {
    Link link;
    link.drop_to_server = {1, 2};  // the INVITE at 0 and its retransmission at 0.5 s
    link.drop_to_client = {1};     // the first 486
    auto id = link.client.send_request(parse(invite), to_server, at_ms(0));
    REQUIRE(id.ok());
    link.pump(at_ms(0));
    link.run();

    CHECK(link.log == std::vector<std::string>{
                          "1500 C->S INVITE sip:bob@biloxi.example.com SIP/2.0",  // Timer A, 2nd retransmission
                          "2000 S->C SIP/2.0 486 Busy Here",                     // Timer G at T1
                          "2000 C->S ACK sip:bob@biloxi.example.com SIP/2.0",    // §17.1.1.3
                      });
    CHECK(link.client.size() == 0);
    CHECK(link.server.size() == 0);

    // The client's TU saw the 486 once and the end of its transaction; no timeout anywhere.
    std::vector<EventKind> kinds;
    while (auto e = link.client.poll_event()) kinds.push_back(e->kind);
    CHECK(kinds == std::vector<EventKind>{EventKind::ResponseReceived, EventKind::Terminated});
}
