#pragma once
// One RTP/RTCP session over oRTP 5.1: sockets, our own payload-type profile (PCMU, PCMA, opus,
// telephone-event at the negotiated numbers), the adaptive jitter buffer, RTCP SR/RR and
// symmetric RTP. oRTP makes no threads: all its work happens inside the send and receive calls,
// so a session must be used by one thread at a time (the media thread, once it is running).
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "dialtone/base/result.hpp"
#include "dialtone/io/log.hpp"
#include "dialtone/io/media_stats.hpp"
#include "dialtone/media/srtp_session.hpp"
#include "dialtone/media/telephone_event.hpp"

struct _RtpSession;
struct _RtpProfile;

namespace dialtone::io {

class SrtpTransport;
class PcapWriter;

// ortp_init() once per process, with oRTP's and bctoolbox's log lines routed to `logger`
// (bctoolbox otherwise prints warnings to stdout; without this call they are dropped). Call it
// before any stream runs: the logger is then called from the media thread, so it must be
// thread-safe, and it is not replaced while sessions log.
void init_ortp(const Logger& logger);

struct RtpSessionConfig {
    std::string local_address = "0.0.0.0";
    int local_port = 0;            // 0: a free even port in [port_min, port_max]; RTCP on the next one
    int port_min = 16384;
    int port_max = 32766;
    // Adaptive jitter buffer (ms). oRTP starts at `jitter_nominal_ms` and adapts between the two.
    int jitter_min_ms = 40;
    int jitter_nominal_ms = 60;
    int jitter_max_ms = 250;
    // Off: every packet is handed out on the first read after it arrives (an echo wants that).
    bool jitter_buffer = true;
    int rtcp_interval_ms = 5000;   // RFC 3550 §6.2 regular report interval
    int ssrc_change_packets = 5;   // packets from a new SSRC before the stream follows it
    std::string cname = "dialtone";
    // --pcap: every RTP and RTCP packet as it leaves or arrives (after SRTP protection).
    std::shared_ptr<PcapWriter> capture;
};

// Payload numbers as negotiated: we send with the peer's numbers and receive with ours.
struct RtpPayloads {
    std::string encoding = "PCMU";   // PCMU, PCMA, opus
    std::uint32_t clock_rate = 8000;
    std::uint32_t channels = 1;      // as written in rtpmap (opus is /2)
    unsigned send_pt = 0;
    unsigned receive_pt = 0;
    // RFC 4733 telephone-event, at the codec's clock (48 kHz with opus) unless negotiated at
    // another (8000 next to opus); 0: the codec's.
    std::optional<unsigned> event_send_pt;
    std::optional<unsigned> event_receive_pt;
    std::uint32_t event_clock_rate = 0;
};

struct RtpRemote {
    std::string address;
    std::uint16_t port = 0;
    std::string rtcp_address;     // empty: same as address
    std::uint16_t rtcp_port = 0;  // 0: port + 1 (RFC 3550 §11)
    bool rtcp_mux = false;        // RFC 5761: RTCP on the RTP port
};

// A packet the jitter buffer released (audio) or an RFC 4733 event as it arrived.
struct ReceivedPacket {
    enum class Kind { Audio, Event, ComfortNoise, Other };
    Kind kind = Kind::Other;
    unsigned payload_type = 0;
    std::uint32_t timestamp = 0;
    std::uint16_t sequence = 0;
    std::uint32_t ssrc = 0;
    bool marker = false;
    std::vector<std::uint8_t> payload;
};

struct ReceiveResult {
    std::size_t count = 0;   // packets[0..count) are this call's
    bool resynced = false;   // SSRC changed or timestamps jumped: play-out state must restart
};

class RtpSession {
public:
    static base::Result<std::unique_ptr<RtpSession>> create(const RtpSessionConfig& config);
    ~RtpSession();
    RtpSession(const RtpSession&) = delete;
    RtpSession& operator=(const RtpSession&) = delete;

    std::uint16_t local_port() const;
    std::uint16_t local_rtcp_port() const;

    // Builds the send and receive profiles and sets the payload types; the jitter buffer is
    // configured first, as oRTP ignores parameters set afterwards.
    base::Status set_payloads(const RtpPayloads& payloads);
    base::Status set_remote(const RtpRemote& remote);
    // SRTP with the given suite and keys (key || salt); called again, it rekeys.
    base::Status set_srtp(media::SrtpProfile profile, std::span<const std::uint8_t> local_key_salt,
                          std::span<const std::uint8_t> remote_key_salt);
    bool secure() const { return srtp_ != nullptr; }

    // `timestamp` in the RTP clock; our first timestamp and sequence number are random.
    base::Status send_audio(std::span<const std::uint8_t> payload, std::uint32_t timestamp, bool marker);
    base::Status send_event(const media::EventPacket& packet);

    // Reads the sockets and returns what is due by `timestamp` (our receive clock, advanced by
    // one frame per tick): audio the jitter buffer releases, and every RFC 4733 packet.
    ReceiveResult receive(std::uint32_t timestamp, std::vector<ReceivedPacket>& packets);

    // Counters from oRTP and the SRTP modifiers (codec name left empty).
    MediaStats stats() const;
    std::uint32_t send_ssrc() const;
    std::uint32_t first_timestamp() const { return ts_offset_; }

private:
    void take_due_packets(std::uint32_t timestamp, std::vector<ReceivedPacket>& packets);
    RtpSession() = default;
    static void on_event_packet(_RtpSession* s, void* mblk, void*, void*);
    static void on_resync(_RtpSession* s, void*, void*, void*);

    _RtpSession* session_ = nullptr;
    _RtpProfile* send_profile_ = nullptr;
    _RtpProfile* receive_profile_ = nullptr;
    std::unique_ptr<SrtpTransport> srtp_;
    RtpSessionConfig config_;
    std::optional<RtpPayloads> payloads_;
    std::uint32_t ts_offset_ = 0;
    bool resync_pending_ = false;
    std::vector<ReceivedPacket>* sink_ = nullptr;  // set during receive()
    std::size_t sink_count_ = 0;
};

}  // namespace dialtone::io
