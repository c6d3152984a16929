#pragma once
// The interactive status line of one call: state, peer, duration, codec, SRTP, jitter, loss,
// round trip and the E-model MOS, as one terminal line (colour only when asked for).
#include <cstdint>
#include <optional>
#include <string>

namespace dialtone::app {

struct CallStatus {
    std::uint64_t call = 0;
    std::string state;          // calling, ringing, incoming, answered, on hold, ended
    std::string peer;
    double duration_s = 0;      // since the answer
    std::string codec;          // empty before the answer
    bool srtp = false;
    bool muted = false;
    std::optional<double> jitter_ms;
    std::optional<double> loss_percent;
    std::optional<double> rtt_ms;
    std::optional<double> mos;
};

// One line, no line end. `width` > 0 cuts it to that many columns (colour codes do not count).
std::string format_status_line(const CallStatus& status, bool color, int width = 0);

// "mm:ss", or "h:mm:ss" from an hour on.
std::string format_duration(double seconds);

}  // namespace dialtone::app
