#pragma once
// RFC 4733 telephone-events (DTMF over RTP): the 4-octet payload, a sender that turns a digit
// into the packet sequence of §2.5.1, and a receiver that reports each event exactly once.
// Time is counted in samples of the RTP clock; nothing here reads a clock.
#include <array>
#include <cstdint>
#include <deque>
#include <optional>
#include <span>

#include "dialtone/base/result.hpp"

namespace dialtone::media {

// Event codes 0-15 are the keys 0-9 * # A-D; 16 is flash (RFC 4733 §3.2). Flash is written '!'.
inline constexpr char kFlash = '!';
std::optional<std::uint8_t> event_for_digit(char digit);  // accepts a-d too
std::optional<char> digit_for_event(std::uint8_t event);

// §2.3: event (8) | E (1) R (1) volume (6) | duration (16), network byte order.
struct TelephoneEvent {
    std::uint8_t event = 0;
    bool end = false;
    std::uint8_t volume = 0;  // 0..63, power level in -dBm0
    std::uint16_t duration = 0;  // in RTP clock units since the event's timestamp

    bool operator==(const TelephoneEvent&) const = default;
};

std::array<std::uint8_t, 4> encode_telephone_event(const TelephoneEvent& ev);
// Reads the first event of a payload; the R bit is ignored on receipt (§2.3.4).
base::Result<TelephoneEvent> parse_telephone_event(std::span<const std::uint8_t> payload);

// An event packet as the RTP layer sends or receives it: header fields plus payload.
struct EventPacket {
    std::uint32_t timestamp = 0;  // RTP timestamp: the event's start
    bool marker = false;          // set on the first packet of an event (§2.5.1.1)
    TelephoneEvent payload;

    bool operator==(const EventPacket&) const = default;
};

struct TelephoneEventSenderConfig {
    std::uint32_t clock_rate = 8000;  // of the telephone-event payload type (8000, or 48000 with Opus)
    std::uint32_t ptime_ms = 20;      // interval between updates
    std::uint8_t volume = 10;         // -10 dBm0
    unsigned end_packets = 3;         // the final packet is sent this many times (§2.5.1.4)
};

// The packets of one tick, in sending order: none, one, or, while a long event changes segment,
// the closed segment's repeated final packet and then the new segment's update.
struct EventPackets {
    std::array<EventPacket, 2> items{};
    std::size_t count = 0;

    bool empty() const { return count == 0; }
    std::size_t size() const { return count; }
    const EventPacket& operator[](std::size_t i) const { return items[i]; }
    const EventPacket* begin() const { return items.data(); }
    const EventPacket* end() const { return items.data() + count; }
    void push(const EventPacket& p) { items[count++] = p; }
};

// Driven once per packet time by the media thread. While busy() the stream sends the returned
// packets instead of audio.
class TelephoneEventSender {
public:
    explicit TelephoneEventSender(TelephoneEventSenderConfig config = {});

    // Queues a digit (0-9 * # A-D or '!') lasting `duration_ms`; starts on the next free tick.
    base::Status send(char digit, std::uint32_t duration_ms);

    // `rtp_timestamp` is the timestamp an audio packet sent now would carry; a starting event
    // takes it as its own.
    EventPackets tick(std::uint32_t rtp_timestamp);

    bool busy() const { return active_.has_value() || !queue_.empty(); }

private:
    struct Queued {
        std::uint8_t event;
        std::uint32_t duration;  // samples
    };
    struct Active {
        Queued what;
        std::uint32_t timestamp;     // of the current segment
        std::uint64_t elapsed = 0;   // samples since the event began, up to the last update
        std::uint64_t segment_start = 0;
        unsigned ends_sent = 0;
        bool first = true;
        // The last closed segment's final packet, still to be repeated (§2.5.1.4).
        EventPacket closed_segment{};
        unsigned closed_repeats_left = 0;
    };
    TelephoneEventSenderConfig config_;
    std::uint32_t ptime_samples_;
    std::deque<Queued> queue_;
    std::optional<Active> active_;
};

// A received event, reported once.
struct ReceivedEvent {
    char digit = 0;
    std::uint8_t event = 0;
    std::uint32_t timestamp = 0;    // RTP timestamp of the event (its first segment)
    std::uint64_t duration = 0;     // in clock units; segments of long events added up
    std::uint8_t volume = 0;
    bool end_lost = false;          // no end packet came (timeout, or a later event began);
                                    // the duration is the last one seen

    bool operator==(const ReceivedEvent&) const = default;
};

// Reports each event once: on its first end packet, when a later event begins, or when no
// packet has come for `timeout` samples. Packets are keyed by timestamp, so repeats, updates
// after a lost first packet and retransmitted ends of a reported event are absorbed (§2.5.2).
class TelephoneEventReceiver {
public:
    // `timeout_samples` in the event clock: 4000 is 0.5 s at 8 kHz; use 24000 at 48 kHz.
    explicit TelephoneEventReceiver(std::uint32_t timeout_samples = 8000 / 2);

    // `now` counts samples of the RTP clock (any origin, monotonic).
    void on_packet(const EventPacket& packet, std::uint64_t now);
    void on_tick(std::uint64_t now);
    std::optional<ReceivedEvent> poll();

    bool in_event() const { return current_.has_value(); }
    // Forgets everything (the stream changed SSRC or timestamp base); nothing is reported.
    void reset();

private:
    struct Current {
        ReceivedEvent event;
        std::uint32_t segment_timestamp;
        std::uint64_t earlier_segments = 0;  // sum of the durations of finished segments
        std::uint16_t segment_duration = 0;
        std::uint64_t last_seen;
    };
    void finish(bool end_lost);
    void remember(std::uint32_t timestamp);
    bool recently_reported(std::uint32_t timestamp) const;

    std::uint32_t timeout_;
    std::optional<Current> current_;
    std::array<std::uint32_t, 8> reported_{};  // timestamps of the last events reported
    std::size_t reported_count_ = 0, reported_next_ = 0;
    std::optional<std::uint32_t> newest_reported_;
    std::deque<ReceivedEvent> out_;
};

}  // namespace dialtone::media
