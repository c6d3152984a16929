#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "dialtone/media/telephone_event.hpp"

using namespace dialtone::media;

namespace {

std::vector<EventPacket> run_sender(TelephoneEventSender& s, std::uint32_t ts0, std::uint32_t step,
                                    std::size_t max_ticks = 10000) {
    std::vector<EventPacket> out;
    std::uint32_t ts = ts0;
    for (std::size_t i = 0; i < max_ticks && s.busy(); ++i, ts += step) {
        for (const auto& p : s.tick(ts)) out.push_back(p);
    }
    return out;
}

EventPacket pkt(std::uint32_t ts, bool marker, std::uint8_t event, bool end, std::uint16_t duration) {
    return EventPacket{ts, marker, TelephoneEvent{event, end, 10, duration}};
}

}  // namespace

TEST_CASE("RFC 4733 §2.3: payload layout is event, E|R|volume, duration in network order") {
    const TelephoneEvent ev{11, true, 10, 0x0320};
    const auto bytes = encode_telephone_event(ev);
    CHECK(bytes == std::array<std::uint8_t, 4>{0x0B, 0x8A, 0x03, 0x20});
    CHECK(parse_telephone_event(bytes).value() == ev);
}

TEST_CASE("RFC 4733 §2.3.4: the R bit is ignored on receipt; a short payload is an error") {
    const std::uint8_t with_r[] = {0x05, 0x4A, 0x00, 0xA0};
    auto ev = parse_telephone_event(with_r).value();
    CHECK(ev.event == 5);
    CHECK_FALSE(ev.end);
    CHECK(ev.volume == 10);
    CHECK(ev.duration == 160);
    const std::uint8_t short_payload[] = {0x05, 0x4A, 0x00};
    auto bad = parse_telephone_event(short_payload);
    REQUIRE_FALSE(bad);
    CHECK(bad.error().message.find("3 bytes") != std::string::npos);
}

TEST_CASE("RFC 4733 §3.2: DTMF digits map to events 0-15 and flash to 16") {
    const std::string digits = "0123456789*#ABCD!";
    for (std::size_t i = 0; i < digits.size(); ++i) {
        CHECK(event_for_digit(digits[i]) == static_cast<std::uint8_t>(i));
        CHECK(digit_for_event(static_cast<std::uint8_t>(i)) == digits[i]);
    }
    CHECK(event_for_digit('b') == 13);
    CHECK_FALSE(event_for_digit('x'));
    CHECK_FALSE(digit_for_event(17));
}

TEST_CASE("RFC 4733 §2.5.1: a 100 ms '5' at 8 kHz / 20 ms is marker, updates, and three ends") {
    TelephoneEventSender s({.clock_rate = 8000, .ptime_ms = 20, .volume = 10});
    REQUIRE(s.send('5', 100));
    CHECK(s.busy());
    const auto packets = run_sender(s, 1000, 160);
    const std::vector<EventPacket> expected = {
        pkt(1000, true, 5, false, 160),  pkt(1000, false, 5, false, 320), pkt(1000, false, 5, false, 480),
        pkt(1000, false, 5, false, 640), pkt(1000, false, 5, true, 800),  pkt(1000, false, 5, true, 800),
        pkt(1000, false, 5, true, 800),
    };
    CHECK(packets == expected);
    CHECK_FALSE(s.busy());
    CHECK(s.tick(99999).empty());
}

TEST_CASE("RFC 4733 sender: a duration that is not a multiple of ptime ends on the exact duration") {
    TelephoneEventSender s({.clock_rate = 48000, .ptime_ms = 20});
    REQUIRE(s.send('#', 50));  // 2400 samples at 48 kHz, ptime 960
    const auto packets = run_sender(s, 7, 960);
    REQUIRE(packets.size() == 5);
    CHECK(packets[0].payload.duration == 960);
    CHECK(packets[1].payload.duration == 1920);
    CHECK(packets[2] == pkt(7, false, 11, true, 2400));
    CHECK(packets[4] == pkt(7, false, 11, true, 2400));
}

TEST_CASE("RFC 4733 sender: queued digits each get their own timestamp and marker") {
    TelephoneEventSender s;
    REQUIRE(s.send('1', 40));
    REQUIRE(s.send('2', 40));
    const auto packets = run_sender(s, 0, 160);
    REQUIRE(packets.size() == 8);  // 2 ticks + 2 repeats each
    CHECK(packets[0] == pkt(0, true, 1, false, 160));
    CHECK(packets[3].payload.end);
    // '2' starts on the tick after the last end packet of '1'.
    CHECK(packets[4] == pkt(640, true, 2, false, 160));
    CHECK(packets[7] == pkt(640, false, 2, true, 320));
}

TEST_CASE("RFC 4733 sender: bad digits and zero durations are refused") {
    TelephoneEventSender s;
    auto bad = s.send('x', 100);
    REQUIRE_FALSE(bad);
    CHECK(bad.error().message.find("'x'") != std::string::npos);
    CHECK_FALSE(s.send('1', 0));
    CHECK_FALSE(s.busy());
}

TEST_CASE("RFC 4733 §2.5.1.3: an event longer than 0xFFFF is split into segments") {
    TelephoneEventSender s({.clock_rate = 8000, .ptime_ms = 20});
    REQUIRE(s.send('0', 10000));  // 80000 samples
    const auto packets = run_sender(s, 500, 160);
    REQUIRE(packets.size() == 504);  // 500 ticks, 2 repeats of the segment end, 2 of the event end
    // Tick 409 reaches 65600 > 65535: the first segment closes at 0xFFFF.
    const auto closed = pkt(500, false, 0, false, 0xFFFF);
    CHECK(packets[408] == pkt(500, false, 0, false, 65440));
    CHECK(packets[409] == closed);
    // The next two ticks repeat that final packet, then send the next segment, which starts
    // 0xFFFF later, without the marker.
    CHECK(packets[410] == closed);
    CHECK(packets[411] == pkt(500 + 0xFFFF, false, 0, false, 65760 - 0xFFFF));
    CHECK(packets[412] == closed);
    CHECK(packets[413] == pkt(500 + 0xFFFF, false, 0, false, 65920 - 0xFFFF));
    CHECK(packets[501] == pkt(500 + 0xFFFF, false, 0, true, 80000 - 0xFFFF));
    CHECK(packets[503] == packets[501]);

    // Per tick: the segment's repeated end travels with the new segment's update.
    TelephoneEventSender again({.clock_rate = 8000, .ptime_ms = 20});
    REQUIRE(again.send('0', 10000));
    for (std::uint32_t t = 0; t < 410; ++t) CHECK(again.tick(500 + t * 160).size() == 1);
    const auto both = again.tick(500 + 410 * 160);
    REQUIRE(both.size() == 2);
    CHECK(both[0] == closed);
    CHECK(both[1].timestamp == 500 + 0xFFFF);

    // The receiver adds the segments back up into one event.
    TelephoneEventReceiver r(800);
    std::uint64_t now = 0;
    for (const auto& p : packets) r.on_packet(p, now += 160);
    auto got = r.poll();
    REQUIRE(got);
    CHECK(got->digit == '0');
    CHECK(got->timestamp == 500);
    CHECK(got->duration == 80000);
    CHECK_FALSE(got->end_lost);
    CHECK_FALSE(r.poll());
}

TEST_CASE("RFC 4733 §2.5.2: the receiver reports a digit once however often it repeats") {
    TelephoneEventSender s;
    REQUIRE(s.send('7', 100));
    const auto packets = run_sender(s, 4242, 160);
    TelephoneEventReceiver r(800);
    std::uint64_t now = 0;
    for (const auto& p : packets) {
        // Every packet arrives twice.
        r.on_packet(p, now);
        r.on_packet(p, now);
        now += 160;
        r.on_tick(now);
    }
    for (int i = 0; i < 20; ++i) r.on_tick(now += 160);
    auto got = r.poll();
    REQUIRE(got);
    CHECK(got == ReceivedEvent{'7', 7, 4242, 800, 10, false});
    CHECK_FALSE(r.poll());
}

TEST_CASE("RFC 4733 receiver: losing the first packet still reports the digit once") {
    TelephoneEventSender s;
    REQUIRE(s.send('*', 100));
    auto packets = run_sender(s, 100, 160);
    packets.erase(packets.begin());
    TelephoneEventReceiver r(800);
    std::uint64_t now = 0;
    for (const auto& p : packets) r.on_packet(p, now += 160);
    auto got = r.poll();
    REQUIRE(got);
    CHECK(got->digit == '*');
    CHECK(got->duration == 800);
    CHECK_FALSE(r.poll());
}

TEST_CASE("RFC 4733 receiver: losing all end packets reports on timeout with the last duration") {
    TelephoneEventSender s;
    REQUIRE(s.send('9', 100));
    auto packets = run_sender(s, 100, 160);
    packets.resize(4);  // updates only
    TelephoneEventReceiver r(800);
    std::uint64_t now = 0;
    for (const auto& p : packets) r.on_packet(p, now += 160);
    r.on_tick(now + 799);
    CHECK_FALSE(r.poll());
    CHECK(r.in_event());
    r.on_tick(now + 800);
    auto got = r.poll();
    REQUIRE(got);
    CHECK(got->digit == '9');
    CHECK(got->duration == 640);
    CHECK(got->end_lost);
    // A late end packet of the same event is not a second digit.
    r.on_packet(pkt(100, false, 9, true, 800), now + 900);
    CHECK_FALSE(r.poll());
}

TEST_CASE("RFC 4733 receiver: a new event ends one whose end packets were lost") {
    TelephoneEventReceiver r(8000);
    r.on_packet(pkt(1000, true, 1, false, 160), 0);
    r.on_packet(pkt(1000, false, 1, false, 320), 160);
    // '2' arrives, and only its end packet got through.
    r.on_packet(pkt(2000, false, 2, true, 480), 1000);
    auto first = r.poll();
    REQUIRE(first);
    CHECK(first->digit == '1');
    CHECK(first->duration == 320);
    CHECK(first->end_lost);
    auto second = r.poll();
    REQUIRE(second);
    CHECK(second->digit == '2');
    CHECK(second->duration == 480);
    CHECK_FALSE(second->end_lost);
    // Retransmitted ends of both are absorbed; a stale update of '1' too.
    r.on_packet(pkt(2000, false, 2, true, 480), 1160);
    r.on_packet(pkt(1000, false, 1, true, 480), 1160);
    CHECK_FALSE(r.poll());
    CHECK_FALSE(r.in_event());
}

TEST_CASE("RFC 4733 receiver: the same digit pressed twice is two events") {
    TelephoneEventSender s;
    REQUIRE(s.send('3', 60));
    REQUIRE(s.send('3', 60));
    const auto packets = run_sender(s, 0, 160);
    TelephoneEventReceiver r(800);
    std::uint64_t now = 0;
    for (const auto& p : packets) r.on_packet(p, now += 160);
    std::string digits;
    while (auto e = r.poll()) digits += e->digit;
    CHECK(digits == "33");
}

TEST_CASE("RFC 4733 receiver: events beyond flash are ignored; reset() forgets a stream") {
    TelephoneEventReceiver r(800);
    r.on_packet(pkt(10, true, 32, true, 160), 0);  // a modem tone (RFC 4734), not ours
    CHECK_FALSE(r.poll());
    r.on_packet(pkt(5000, true, 16, true, 1600), 0);
    auto flash = r.poll();
    REQUIRE(flash);
    CHECK(flash->digit == kFlash);
    // After a restart the timestamp base may fall just before the old one.
    r.reset();
    r.on_packet(pkt(4000, true, 4, true, 800), 10);
    auto after = r.poll();
    REQUIRE(after);
    CHECK(after->digit == '4');
}
