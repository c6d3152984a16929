#pragma once
// What the media side reports to the app: RFC 4733 digits, a file source that ended, statistics.
// Plain values only, so that an event can cross from the media thread through a lock-free ring.
#include <array>
#include <cstdint>

#include "dialtone/io/media_stats.hpp"

namespace dialtone::io {

using StreamId = std::uint32_t;

struct MediaEvent {
    enum class Kind {
        Digit,           // an RFC 4733 digit arrived (reported once)
        DigitSent,       // a digit given to send_digit went out: its first RFC 4733 packet
        SourceFinished,  // the stream's file source played to its end
        Stats,           // periodic statistics of one stream
        StreamRemoved,   // final statistics; the recording is closed
        Error,           // a command failed on the media thread; `message` says why
    };
    Kind kind = Kind::Stats;
    StreamId stream = 0;
    char digit = 0;
    std::uint32_t duration_ms = 0;
    bool end_lost = false;
    MediaStats stats;
    std::array<char, 128> message{};
};

}  // namespace dialtone::io
