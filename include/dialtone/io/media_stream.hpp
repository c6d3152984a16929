#pragma once
// One call's audio stream: an RTP session, the codec, RFC 4733 events both ways, play-out with
// loss concealment, and its source and sink. Created on the signalling thread (so the local port
// is known for the SDP offer), then handed to the MediaEngine, which alone drives it.
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <vector>

#include "dialtone/base/result.hpp"
#include "dialtone/io/audio_endpoints.hpp"
#include "dialtone/io/media_stats.hpp"
#include "dialtone/io/rtp_session.hpp"
#include "dialtone/media/codec.hpp"
#include "dialtone/media/telephone_event.hpp"
#include "dialtone/sdp/negotiated_media.hpp"

namespace dialtone::io {

struct MediaStreamConfig {
    RtpSessionConfig rtp;
    int tick_ms = 20;             // the engine's packet time; our ptime is a multiple of it
    int opus_complexity = 1;      // libopus 0-10: 1 keeps an Opus stream under 1 % of a core (docs/benchmarks.md)
    int max_conceal_frames = 5;   // after this many frames with nothing received, play silence
    // The echo test: each audio packet received is sent back as it is, in the tick that reads
    // it, instead of the source's audio. Pair it with rtp.jitter_buffer = false.
    bool echo = false;
};

// SDP's suite names to the SRTP layer's profiles; nullopt for a suite we cannot run.
std::optional<media::SrtpProfile> srtp_profile_for(sdp::SrtpSuite suite);

class MediaStream {
public:
    static base::Result<std::unique_ptr<MediaStream>> create(const MediaStreamConfig& config);

    std::uint16_t local_port() const { return rtp_->local_port(); }
    std::uint16_t local_rtcp_port() const { return rtp_->local_rtcp_port(); }

    // Applies an offer/answer outcome: codec, payload numbers, remote address, SRTP keys,
    // direction (hold is a direction change, RFC 3264 §8.4). Called again on re-INVITE.
    base::Status configure(const sdp::NegotiatedMedia& media);

    void set_source(std::unique_ptr<AudioSource> source) { source_ = std::move(source); }
    void set_sink(std::unique_ptr<AudioSink> sink);
    void set_muted(bool muted) { muted_ = muted; }
    bool muted() const { return muted_; }
    sdp::Direction direction() const { return direction_; }

    // Queues an RFC 4733 digit (0-9 * # A-D, '!' flash).
    base::Status send_digit(char digit, std::uint32_t duration_ms);

    // One packet time: RTP in → jitter buffer → decode (FEC/PLC on loss) → sink, and
    // source → encode → RTP out (RFC 4733 packets instead of audio while a digit plays).
    void tick();

    std::optional<media::ReceivedEvent> poll_digit();
    // A queued digit whose first RTP packet has gone out, reported once.
    std::optional<char> poll_sent_digit();
    // True once the source has ended; reported once by take_source_finished().
    bool take_source_finished();
    MediaStats stats() const;
    // Finalises the sink (a recording's WAV header). Safe twice.
    base::Status close();

    int codec_rate() const { return codec_ ? codec_->sample_rate() : 8000; }
    // The clock RFC 4733 durations count in (poll_digit's `duration`).
    std::uint32_t event_clock_rate() const { return event_clock_rate_ ? event_clock_rate_ : 8000; }

private:
    explicit MediaStream(const MediaStreamConfig& config) : config_(config) {}
    void receive_tick(std::span<std::int16_t> far);
    void decode_packet(const ReceivedPacket& p);
    void send_tick(std::span<const std::int16_t> near);
    void echo_packet(const ReceivedPacket& p);
    void reset_playout();

    MediaStreamConfig config_;
    std::unique_ptr<RtpSession> rtp_;
    std::unique_ptr<media::Codec> codec_;
    std::string codec_key_;  // name/clock/fec the codec was built for
    std::unique_ptr<AudioSource> source_;
    std::unique_ptr<AudioSink> sink_;
    std::optional<media::TelephoneEventSender> event_tx_;
    std::deque<char> sent_digits_;
    std::optional<media::TelephoneEventReceiver> event_rx_;
    sdp::Direction direction_ = sdp::Direction::Inactive;
    bool remote_set_ = false;
    bool muted_ = false;
    bool source_done_reported_ = false;
    bool configured_ = false;

    std::size_t frame_ = 160;        // samples per tick at the codec rate
    std::size_t packet_frames_ = 1;  // ticks per packet we send (ptime / tick)
    std::uint32_t send_ts_ = 0;
    std::uint32_t receive_ts_ = 0;
    std::uint64_t event_clock_ = 0;
    std::uint32_t event_clock_rate_ = 0;
    bool first_packet_ = true;
    std::optional<std::uint32_t> echo_offset_;  // our timestamp minus the peer's, for echoed packets
    std::vector<std::int16_t> pending_send_;
    std::vector<std::int16_t> source_buf_, far_buf_;

    std::vector<ReceivedPacket> packets_;
    std::deque<std::int16_t> playout_;
    bool playing_ = false;
    std::uint32_t next_ts_ = 0;      // RTP timestamp of the sample after the last one buffered
    int empty_ticks_ = 0;
    std::uint64_t frames_concealed_ = 0;
    std::uint64_t late_ = 0;
    std::uint32_t digits_sent_ = 0, digits_received_ = 0;
    std::deque<media::ReceivedEvent> digits_;
};

}  // namespace dialtone::io
