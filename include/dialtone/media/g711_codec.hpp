#pragma once
// PCMU and PCMA (RFC 3551 §4.5.14) as Codecs: 8 kHz, one octet per sample.
#include "dialtone/media/codec.hpp"

namespace dialtone::media {

class G711Codec final : public Codec {
public:
    enum class Law { Mu, A };
    explicit G711Codec(Law law) : law_(law) {}

    std::string_view name() const override { return law_ == Law::Mu ? "PCMU" : "PCMA"; }
    int sample_rate() const override { return 8000; }
    base::Result<Bytes> encode(std::span<const std::int16_t> pcm) override;
    base::Result<Samples> decode(std::span<const std::uint8_t> payload) override;
    // Repeats the last good frame, 6 dB quieter each time, and is silent after a few frames.
    Samples conceal(std::size_t samples) override;

private:
    Law law_;
    Samples last_;
    int concealed_ = 0;
};

}  // namespace dialtone::media
