#pragma once
// ITU-T G.711 companding of 16-bit linear PCM: μ-law (PCMU) and A-law (PCMA).
// Decoding is a table lookup; encoding follows the G.711 decision values with the input's
// magnitude taken as a one's complement, so the quantiser is symmetric about -1/2 as in the
// ITU-T G.191 reference implementation.
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

namespace dialtone::media::g711 {

namespace detail {

// μ-law: the transmitted octet is the complement of sign (1 = negative), 3-bit segment and
// 4-bit step; the reconstruction is ((2q + 33) << s) - 33 in 14-bit units (G.711 Table 2a).
constexpr std::int16_t ulaw_decode_one(std::uint8_t code) {
    const unsigned u = static_cast<std::uint8_t>(~code);
    const unsigned seg = (u >> 4) & 0x7;
    const unsigned step = u & 0xF;
    const int magnitude = static_cast<int>((((step << 3) + 0x84) << seg) - 0x84);
    return static_cast<std::int16_t>((u & 0x80) ? -magnitude : magnitude);
}

// A-law: the even bits are inverted (XOR 0x55); sign 1 = positive; segment 0 and 1 share the
// same step (G.711 Table 1a).
constexpr std::int16_t alaw_decode_one(std::uint8_t code) {
    const unsigned a = code ^ 0x55u;
    const unsigned seg = (a >> 4) & 0x7;
    unsigned mantissa = a & 0xF;
    if (seg > 0) mantissa += 16;
    int magnitude = static_cast<int>((mantissa << 4) + 8);
    if (seg > 1) magnitude <<= (seg - 1);
    return static_cast<std::int16_t>((a & 0x80) ? magnitude : -magnitude);
}

template <std::int16_t (*F)(std::uint8_t)>
constexpr std::array<std::int16_t, 256> make_table() {
    std::array<std::int16_t, 256> t{};
    for (unsigned i = 0; i < 256; ++i) t[i] = F(static_cast<std::uint8_t>(i));
    return t;
}

inline constexpr std::array<std::int16_t, 256> ulaw_table = make_table<ulaw_decode_one>();
inline constexpr std::array<std::int16_t, 256> alaw_table = make_table<alaw_decode_one>();

}  // namespace detail

inline std::int16_t ulaw_to_linear(std::uint8_t code) { return detail::ulaw_table[code]; }
inline std::int16_t alaw_to_linear(std::uint8_t code) { return detail::alaw_table[code]; }

std::uint8_t linear_to_ulaw(std::int16_t sample);
std::uint8_t linear_to_alaw(std::int16_t sample);

// Whole buffers; `out` must be at least as long as `in`.
void encode_ulaw(std::span<const std::int16_t> in, std::span<std::uint8_t> out);
void encode_alaw(std::span<const std::int16_t> in, std::span<std::uint8_t> out);
void decode_ulaw(std::span<const std::uint8_t> in, std::span<std::int16_t> out);
void decode_alaw(std::span<const std::uint8_t> in, std::span<std::int16_t> out);

}  // namespace dialtone::media::g711
