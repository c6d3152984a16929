#include "dialtone/media/telephone_event.hpp"

#include <algorithm>
#include <string>

namespace dialtone::media {

namespace {
constexpr char kDigits[] = "0123456789*#ABCD!";  // event codes 0..16
constexpr std::uint32_t kMaxSegment = 0xFFFF;
constexpr std::uint32_t kStaleWindow = 1u << 20;

// RFC 3550 timestamps wrap; a is before b when the signed distance is negative.
bool before(std::uint32_t a, std::uint32_t b) { return static_cast<std::int32_t>(a - b) < 0; }
}  // namespace

std::optional<std::uint8_t> event_for_digit(char digit) {
    if (digit >= 'a' && digit <= 'd') digit = static_cast<char>(digit - 32);
    for (std::uint8_t i = 0; i < 17; ++i) {
        if (kDigits[i] == digit) return i;
    }
    return std::nullopt;
}

std::optional<char> digit_for_event(std::uint8_t event) {
    if (event > 16) return std::nullopt;
    return kDigits[event];
}

std::array<std::uint8_t, 4> encode_telephone_event(const TelephoneEvent& ev) {
    return {ev.event,
            static_cast<std::uint8_t>((ev.end ? 0x80 : 0x00) | (ev.volume & 0x3F)),
            static_cast<std::uint8_t>(ev.duration >> 8),
            static_cast<std::uint8_t>(ev.duration & 0xFF)};
}

base::Result<TelephoneEvent> parse_telephone_event(std::span<const std::uint8_t> payload) {
    if (payload.size() < 4) {
        return base::make_error("telephone-event payload of " + std::to_string(payload.size()) +
                                " bytes is shorter than 4");
    }
    TelephoneEvent ev;
    ev.event = payload[0];
    ev.end = (payload[1] & 0x80) != 0;
    ev.volume = payload[1] & 0x3F;
    ev.duration = static_cast<std::uint16_t>((payload[2] << 8) | payload[3]);
    return ev;
}

// --- sender -----------------------------------------------------------------------------------

TelephoneEventSender::TelephoneEventSender(TelephoneEventSenderConfig config) : config_(config) {
    if (config_.clock_rate == 0) config_.clock_rate = 8000;
    if (config_.ptime_ms == 0) config_.ptime_ms = 20;
    config_.volume = std::min<std::uint8_t>(config_.volume, 63);
    config_.end_packets = std::max(config_.end_packets, 1u);
    ptime_samples_ = config_.clock_rate * config_.ptime_ms / 1000;
}

base::Status TelephoneEventSender::send(char digit, std::uint32_t duration_ms) {
    const auto event = event_for_digit(digit);
    if (!event) return base::make_error(std::string("'") + digit + "' is not a DTMF event (0-9 * # A-D !)");
    if (duration_ms == 0) return base::make_error("a telephone-event needs a duration above 0 ms");
    const std::uint64_t samples = std::uint64_t{duration_ms} * config_.clock_rate / 1000;
    queue_.push_back({*event, static_cast<std::uint32_t>(std::min<std::uint64_t>(samples, UINT32_MAX))});
    return {};
}

EventPackets TelephoneEventSender::tick(std::uint32_t rtp_timestamp) {
    EventPackets out;
    if (!active_) {
        if (queue_.empty()) return out;
        active_ = Active{queue_.front(), rtp_timestamp};
        queue_.pop_front();
    }
    Active& a = *active_;
    // §2.5.1.4: the final packet of each segment, like that of the event, goes out three times
    // at the update interval; the new segment's updates continue alongside.
    if (a.closed_repeats_left > 0) {
        out.push(a.closed_segment);
        --a.closed_repeats_left;
    }

    EventPacket p;
    p.timestamp = a.timestamp;
    p.marker = a.first;  // §2.5.1.1: the first packet of an event carries the marker bit
    a.first = false;
    p.payload.event = a.what.event;
    p.payload.volume = config_.volume;

    if (a.elapsed >= a.what.duration) {
        // Repeats of the event's final packet, unchanged.
        p.payload.end = true;
        p.payload.duration = static_cast<std::uint16_t>(a.what.duration - a.segment_start);
        out.push(p);
        if (++a.ends_sent >= config_.end_packets) active_.reset();
        return out;
    }

    a.elapsed = std::min<std::uint64_t>(a.elapsed + ptime_samples_, a.what.duration);
    if (a.elapsed - a.segment_start > kMaxSegment) {
        // §2.5.1.3: a duration past 0xFFFF closes this segment at 0xFFFF; the event goes on
        // as a new segment whose timestamp is that much later, without the marker bit.
        p.payload.duration = static_cast<std::uint16_t>(kMaxSegment);
        out.push(p);
        a.closed_segment = p;
        a.closed_segment.marker = false;
        a.closed_repeats_left = config_.end_packets - 1;
        a.segment_start += kMaxSegment;
        a.timestamp += kMaxSegment;
        return out;
    }
    p.payload.duration = static_cast<std::uint16_t>(a.elapsed - a.segment_start);
    if (a.elapsed == a.what.duration) {
        p.payload.end = true;
        if (++a.ends_sent >= config_.end_packets) active_.reset();
    }
    out.push(p);
    return out;
}

// --- receiver ---------------------------------------------------------------------------------

TelephoneEventReceiver::TelephoneEventReceiver(std::uint32_t timeout_samples)
    : timeout_(timeout_samples == 0 ? 1 : timeout_samples) {}

bool TelephoneEventReceiver::recently_reported(std::uint32_t timestamp) const {
    for (std::size_t i = 0; i < reported_count_; ++i) {
        if (reported_[i] == timestamp) return true;
    }
    // Older than the newest reported event, but only just: a far-off timestamp is a new stream.
    return newest_reported_ && before(timestamp, *newest_reported_) &&
           *newest_reported_ - timestamp < kStaleWindow;
}

void TelephoneEventReceiver::remember(std::uint32_t timestamp) {
    reported_[reported_next_] = timestamp;
    reported_next_ = (reported_next_ + 1) % reported_.size();
    reported_count_ = std::min(reported_count_ + 1, reported_.size());
    if (!newest_reported_ || before(*newest_reported_, timestamp)) newest_reported_ = timestamp;
}

void TelephoneEventReceiver::finish(bool end_lost) {
    Current& c = *current_;
    c.event.duration = c.earlier_segments + c.segment_duration;
    c.event.end_lost = end_lost;
    remember(c.event.timestamp);
    remember(c.segment_timestamp);
    out_.push_back(c.event);
    current_.reset();
}

void TelephoneEventReceiver::on_packet(const EventPacket& packet, std::uint64_t now) {
    const TelephoneEvent& ev = packet.payload;
    const auto digit = digit_for_event(ev.event);
    if (!digit) return;  // events beyond DTMF and flash are not ours to report

    if (current_ && packet.timestamp == current_->segment_timestamp) {
        if (ev.event != current_->event.event) return;  // a conflicting packet; keep the first
        // Updates may arrive out of order: the duration only grows (§2.5.2.1).
        current_->segment_duration = std::max(current_->segment_duration, ev.duration);
        current_->event.volume = ev.volume;
        current_->last_seen = now;
        if (ev.end) finish(false);
        return;
    }
    // Repeated end packets and late updates of an event already reported.
    if (recently_reported(packet.timestamp)) return;

    if (current_) {
        Current& c = *current_;
        if (!packet.marker && ev.event == c.event.event && packet.timestamp - c.segment_timestamp == kMaxSegment) {
            // §2.5.2.3: the next segment of a long event.
            c.earlier_segments += kMaxSegment;
            remember(c.segment_timestamp);
            c.segment_timestamp = packet.timestamp;
            c.segment_duration = ev.duration;
            c.last_seen = now;
            if (ev.end) finish(false);
            return;
        }
        if (before(packet.timestamp, c.segment_timestamp)) return;  // stale
        // A later event began while this one never got its end packet.
        finish(true);
    }
    Current c;
    c.event.digit = *digit;
    c.event.event = ev.event;
    c.event.timestamp = packet.timestamp;
    c.event.volume = ev.volume;
    c.segment_timestamp = packet.timestamp;
    c.segment_duration = ev.duration;
    c.last_seen = now;
    current_ = c;
    if (ev.end) finish(false);
}

void TelephoneEventReceiver::on_tick(std::uint64_t now) {
    if (current_ && now - current_->last_seen >= timeout_) finish(true);
}

void TelephoneEventReceiver::reset() {
    current_.reset();
    reported_count_ = reported_next_ = 0;
    newest_reported_.reset();
}

std::optional<ReceivedEvent> TelephoneEventReceiver::poll() {
    if (out_.empty()) return std::nullopt;
    ReceivedEvent e = out_.front();
    out_.pop_front();
    return e;
}

}  // namespace dialtone::media
