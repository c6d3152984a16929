#pragma once
// Per-stream media statistics for the status line and `stats` events. Plain values only, so a
// snapshot can cross from the media thread to the app through a lock-free ring.
#include <array>
#include <cstdint>
#include <string_view>

namespace dialtone::io {

struct MediaStats {
    std::uint64_t packets_sent = 0;
    std::uint64_t bytes_sent = 0;         // RTP payload and header bytes handed to the socket
    std::uint64_t packets_received = 0;
    std::uint64_t bytes_received = 0;
    std::int64_t packets_lost = 0;        // RFC 3550 §6.4.1 cumulative number of packets lost
    std::uint64_t packets_late = 0;       // arrived after their play-out time
    std::uint64_t frames_concealed = 0;   // frames made up by PLC or rebuilt by in-band FEC
    std::uint64_t srtp_auth_failures = 0; // SRTP/SRTCP packets dropped: authentication or replay
    std::uint64_t rtcp_sent = 0;
    std::uint64_t rtcp_received = 0;
    std::uint32_t digits_sent = 0;
    std::uint32_t digits_received = 0;
    double jitter_ms = 0;                 // RFC 3550 §6.4.1 interarrival jitter
    double round_trip_ms = -1;            // from RTCP LSR/DLSR (§6.4.1); -1 until known
    std::array<char, 16> codec{};         // "PCMU", "PCMA", "opus"

    std::string_view codec_name() const;
    void set_codec_name(std::string_view name);
};

}  // namespace dialtone::io
