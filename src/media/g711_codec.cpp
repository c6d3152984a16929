#include "dialtone/media/g711_codec.hpp"

#include "dialtone/media/g711.hpp"

namespace dialtone::media {

namespace {
constexpr int kMaxConcealedFrames = 3;
}

base::Result<Bytes> G711Codec::encode(std::span<const std::int16_t> pcm) {
    Bytes out(pcm.size());
    if (law_ == Law::Mu) {
        g711::encode_ulaw(pcm, out);
    } else {
        g711::encode_alaw(pcm, out);
    }
    return out;
}

base::Result<Samples> G711Codec::decode(std::span<const std::uint8_t> payload) {
    Samples out(payload.size());
    if (law_ == Law::Mu) {
        g711::decode_ulaw(payload, out);
    } else {
        g711::decode_alaw(payload, out);
    }
    last_ = out;
    concealed_ = 0;
    return out;
}

Samples G711Codec::conceal(std::size_t samples) {
    Samples out(samples, 0);
    ++concealed_;
    if (last_.empty() || concealed_ > kMaxConcealedFrames) return out;
    const int shift = concealed_;  // each repeat halves the amplitude
    for (std::size_t i = 0; i < samples; ++i) {
        out[i] = static_cast<std::int16_t>(last_[i % last_.size()] >> shift);
    }
    return out;
}

}  // namespace dialtone::media
