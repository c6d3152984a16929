#pragma once
// Opus (RFC 6716, RTP payload RFC 7587) over libopus: 48 kHz mono, OPUS_APPLICATION_VOIP.
// In-band FEC is switched on when the peer signals useinbandfec=1; a lost frame is then rebuilt
// from the next packet (decode_fec=1), and plain PLC (no packet) covers the rest.
#include <memory>

#include "dialtone/media/codec.hpp"

struct OpusEncoder;
struct OpusDecoder;

namespace dialtone::media::opus {

inline constexpr int kSampleRate = 48000;
inline constexpr std::size_t kMaxFrameSamples = 5760;  // 120 ms at 48 kHz

// Applies the peer's a=fmtp parameters for opus (RFC 7587 §6.1) to encoder options:
// useinbandfec=1 turns in-band FEC on, maxaveragebitrate caps the bitrate. Other parameters
// (stereo, maxplaybackrate, …) do not change a mono VoIP encoder and are ignored, as are
// malformed ones: the peer's fmtp never makes a call fail.
CodecOptions apply_fmtp(CodecOptions options, std::string_view fmtp);

class Encoder {
public:
    static base::Result<Encoder> create(const CodecOptions& options);

    // One frame of 2.5, 5, 10, 20, 40 or 60 ms (120 … 2880 samples).
    base::Result<Bytes> encode(std::span<const std::int16_t> pcm);

    base::Status set_bitrate(int bits_per_second);  // 0: let libopus choose
    base::Status set_inband_fec(bool on);
    base::Status set_packet_loss_percent(int percent);  // 0..100

private:
    struct Free { void operator()(::OpusEncoder* e) const; };
    explicit Encoder(::OpusEncoder* e) : enc_(e) {}
    std::unique_ptr<::OpusEncoder, Free> enc_;
};

class Decoder {
public:
    static base::Result<Decoder> create();

    base::Result<Samples> decode(std::span<const std::uint8_t> packet);
    // The frame lost just before `next_packet`, from the FEC data inside it; `samples` is the
    // lost frame's length. Without FEC data libopus falls back to PLC.
    base::Result<Samples> decode_fec(std::span<const std::uint8_t> next_packet, std::size_t samples);
    // PLC: `samples` (a multiple of 2.5 ms) of concealment when nothing arrived.
    Samples conceal(std::size_t samples);

private:
    struct Free { void operator()(::OpusDecoder* d) const; };
    explicit Decoder(::OpusDecoder* d) : dec_(d) {}
    std::unique_ptr<::OpusDecoder, Free> dec_;
};

}  // namespace dialtone::media::opus

namespace dialtone::media {

class OpusCodec final : public Codec {
public:
    static base::Result<std::unique_ptr<OpusCodec>> create(const CodecOptions& options);

    std::string_view name() const override { return "opus"; }
    int sample_rate() const override { return opus::kSampleRate; }
    base::Result<Bytes> encode(std::span<const std::int16_t> pcm) override { return enc_.encode(pcm); }
    base::Result<Samples> decode(std::span<const std::uint8_t> payload) override { return dec_.decode(payload); }
    Samples conceal(std::size_t samples) override { return dec_.conceal(samples); }
    base::Result<Samples> recover(std::span<const std::uint8_t> next_payload, std::size_t samples) override {
        return dec_.decode_fec(next_payload, samples);
    }

    opus::Encoder& encoder() { return enc_; }

private:
    OpusCodec(opus::Encoder enc, opus::Decoder dec) : enc_(std::move(enc)), dec_(std::move(dec)) {}
    opus::Encoder enc_;
    opus::Decoder dec_;
};

}  // namespace dialtone::media
