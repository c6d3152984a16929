// Retransmissions cost no allocation: the bytes are serialized once and shared, the queues and
// the timer heap keep their capacity. Counted by replacing the global operator new in this test.
#include "dialtone/sip/parser.hpp"
#include "dialtone/txn/transaction_layer.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <new>

namespace {
std::size_t allocations = 0;
bool counting = false;
}  // namespace

void* operator new(std::size_t n) {
    if (counting) ++allocations;
    if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
    throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

using namespace dialtone;
using namespace dialtone::txn;

namespace {

base::TimePoint at_ms(std::int64_t ms) { return base::TimePoint{} + base::milliseconds(ms); }

sip::Message parse(std::string_view text) {
    auto m = sip::parse_message(text);
    REQUIRE(m.ok());
    return std::move(m).value();
}

// Fires the timers at each instant and drains what goes out; returns how many messages went
// out and counts the allocations made meanwhile.
std::size_t fire_counting(TransactionLayer& layer, std::initializer_list<std::int64_t> instants) {
    std::size_t sent = 0;
    allocations = 0;
    counting = true;
    for (std::int64_t ms : instants) {
        layer.on_timer(at_ms(ms));
        while (layer.poll_transmit()) ++sent;
        (void)layer.next_deadline();
    }
    counting = false;
    return sent;
}

}  // namespace

TEST_CASE("client INVITE retransmissions allocate nothing") {
    TransactionLayer layer;
    auto id = layer.send_request(parse("INVITE sip:bob@biloxi.example.com SIP/2.0\r\n"
                                       "Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bKnoalloc\r\n"
                                       "Max-Forwards: 70\r\nTo: <sip:bob@biloxi.example.com>\r\n"
                                       "From: <sip:alice@atlanta.example.com>;tag=1\r\nCall-ID: c1\r\n"
                                       "CSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n"),
                                 Destination{}, at_ms(0));
    REQUIRE(id.ok());
    while (layer.poll_transmit()) {
    }
    CHECK(fire_counting(layer, {500}) == 1);  // warms the queue and the heap up
    CHECK(fire_counting(layer, {1500, 3500, 7500, 15500, 31500}) == 5);
    CHECK(allocations == 0);
}

TEST_CASE("INVITE server final-response retransmissions (Timer G) allocate nothing") {
    TransactionLayer layer;
    REQUIRE(layer
                .on_message(parse("INVITE sip:bob@biloxi.example.com SIP/2.0\r\n"
                                  "Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bKsrv\r\n"
                                  "Max-Forwards: 70\r\nTo: <sip:bob@biloxi.example.com>\r\n"
                                  "From: <sip:alice@atlanta.example.com>;tag=1\r\nCall-ID: c2\r\n"
                                  "CSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n"),
                            Destination{}, at_ms(0))
                .ok());
    auto request = layer.poll_event();
    REQUIRE(request);
    REQUIRE(layer
                .send_response(request->txn,
                               parse("SIP/2.0 486 Busy Here\r\n"
                                     "Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bKsrv\r\n"
                                     "To: <sip:bob@biloxi.example.com>;tag=2\r\n"
                                     "From: <sip:alice@atlanta.example.com>;tag=1\r\nCall-ID: c2\r\n"
                                     "CSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n"),
                               at_ms(0))
                .ok());
    while (layer.poll_transmit()) {
    }
    CHECK(fire_counting(layer, {500}) == 1);
    CHECK(fire_counting(layer, {1500, 3500, 7500, 11500, 15500}) == 5);
    CHECK(allocations == 0);
}
