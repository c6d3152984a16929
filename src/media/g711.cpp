#include "dialtone/media/g711.hpp"

#include <algorithm>
#include <bit>
#include <cassert>

namespace dialtone::media::g711 {

std::uint8_t linear_to_ulaw(std::int16_t sample) {
    const bool negative = sample < 0;
    // 14-bit magnitude; one's complement for negatives keeps -1 and 0 in the same step.
    unsigned magnitude = static_cast<unsigned>(negative ? ~sample : sample) >> 2;
    // Bias by 33 so every segment starts at a power of two; clip at the top decision value.
    const unsigned biased = std::min(magnitude + 33u, 0x1FFFu);
    const unsigned seg = static_cast<unsigned>(std::bit_width(biased)) - 6;  // 0..7
    const unsigned step = (biased >> (seg + 1)) & 0xF;
    const unsigned code = (negative ? 0x80u : 0u) | (seg << 4) | step;
    return static_cast<std::uint8_t>(~code);
}

std::uint8_t linear_to_alaw(std::int16_t sample) {
    const bool negative = sample < 0;
    // 12-bit magnitude (0..2047), one's complement for negatives as above.
    const unsigned magnitude = static_cast<unsigned>(negative ? ~sample : sample) >> 4;
    unsigned seg = 0;
    unsigned step = magnitude;
    if (magnitude >= 16) {
        seg = static_cast<unsigned>(std::bit_width(magnitude)) - 4;  // 1..7
        step = (magnitude >> (seg - 1)) & 0xF;
    }
    const unsigned code = (negative ? 0u : 0x80u) | (seg << 4) | step;
    return static_cast<std::uint8_t>(code ^ 0x55u);
}

void encode_ulaw(std::span<const std::int16_t> in, std::span<std::uint8_t> out) {
    assert(out.size() >= in.size());
    std::transform(in.begin(), in.end(), out.begin(), linear_to_ulaw);
}

void encode_alaw(std::span<const std::int16_t> in, std::span<std::uint8_t> out) {
    assert(out.size() >= in.size());
    std::transform(in.begin(), in.end(), out.begin(), linear_to_alaw);
}

void decode_ulaw(std::span<const std::uint8_t> in, std::span<std::int16_t> out) {
    assert(out.size() >= in.size());
    std::transform(in.begin(), in.end(), out.begin(), ulaw_to_linear);
}

void decode_alaw(std::span<const std::uint8_t> in, std::span<std::int16_t> out) {
    assert(out.size() >= in.size());
    std::transform(in.begin(), in.end(), out.begin(), alaw_to_linear);
}

}  // namespace dialtone::media::g711
