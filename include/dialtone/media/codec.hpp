#pragma once
// The codec interface the media thread drives: 16-bit mono PCM in, RTP payload out, and back.
// Each instance keeps its own state (Opus encoder/decoder, concealment history); one per stream.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "dialtone/base/result.hpp"

namespace dialtone::media {

using Bytes = std::vector<std::uint8_t>;
using Samples = std::vector<std::int16_t>;

struct CodecOptions {
    int bitrate = 0;               // bits/s; 0 lets the codec choose (Opus only)
    int complexity = 5;            // 0..10 (Opus only)
    bool inband_fec = false;       // the peer asked for it: a=fmtp useinbandfec=1 (Opus only)
    int packet_loss_percent = 0;   // expected loss, sizes the in-band FEC (Opus only)
};

class Codec {
public:
    virtual ~Codec() = default;

    // Encoding name as SDP writes it: "PCMU", "PCMA", "opus".
    virtual std::string_view name() const = 0;
    // Rate of the PCM this codec takes and gives, which is also its RTP clock rate here.
    virtual int sample_rate() const = 0;
    // Samples in one frame of `ptime_ms` milliseconds at sample_rate().
    std::size_t frame_samples(int ptime_ms) const {
        return static_cast<std::size_t>(sample_rate()) * static_cast<std::size_t>(ptime_ms) / 1000;
    }

    // One frame of PCM to one RTP payload.
    virtual base::Result<Bytes> encode(std::span<const std::int16_t> pcm) = 0;
    // One RTP payload to PCM.
    virtual base::Result<Samples> decode(std::span<const std::uint8_t> payload) = 0;
    // Stand-in for a lost frame of `samples` samples (packet loss concealment).
    virtual Samples conceal(std::size_t samples) = 0;
    // Stand-in for a lost frame rebuilt from the packet that followed it (in-band FEC); codecs
    // without FEC conceal instead. Call it before decode(next_payload).
    virtual base::Result<Samples> recover(std::span<const std::uint8_t> next_payload,
                                          std::size_t samples) {
        (void)next_payload;
        return conceal(samples);
    }
};

// "pcmu", "pcma" or "opus", in any letter case.
base::Result<std::unique_ptr<Codec>> make_codec(std::string_view name, const CodecOptions& options = {});

}  // namespace dialtone::media
