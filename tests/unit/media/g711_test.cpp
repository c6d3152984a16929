#include <doctest/doctest.h>

#include <cstdint>
#include <cstdlib>
#include <vector>

#include "dialtone/media/g711.hpp"

using namespace dialtone::media;

namespace {

// G.711 Table 2a (μ-law): decoder output for segment s, step q is ((2q + 33)·2^s − 33) in units
// where the overload point is 8159; 16-bit PCM carries it ×4. Character bits are inverted.
int itu_ulaw(std::uint8_t code) {
    const int inv = static_cast<std::uint8_t>(~code);
    const int s = (inv >> 4) & 7, q = inv & 15;
    const int y = ((2 * q + 33) << s) - 33;
    return 4 * ((inv & 0x80) ? -y : y);
}

// G.711 Table 1a (A-law): segment 1 outputs 2q+1, segment s ≥ 2 outputs (2q+33)·2^(s−2), in
// units where the overload point is 4096; 16-bit PCM carries it ×8. Even bits inverted; sign
// bit 1 is positive.
int itu_alaw(std::uint8_t code) {
    const int x = code ^ 0x55;
    const int s = (x >> 4) & 7, q = x & 15;
    const int y = s == 0 ? 2 * q + 1 : (2 * q + 33) << (s - 1);
    return 8 * ((x & 0x80) ? y : -y);
}

}  // namespace

TEST_CASE("G.711 μ-law: all 256 codes decode to the ITU-T reconstruction values") {
    for (int c = 0; c < 256; ++c) {
        CAPTURE(c);
        CHECK(g711::ulaw_to_linear(static_cast<std::uint8_t>(c)) == itu_ulaw(static_cast<std::uint8_t>(c)));
    }
    CHECK(g711::ulaw_to_linear(0xFF) == 0);
    CHECK(g711::ulaw_to_linear(0x7F) == 0);
    CHECK(g711::ulaw_to_linear(0x80) == 32124);
    CHECK(g711::ulaw_to_linear(0x00) == -32124);
    CHECK(g711::ulaw_to_linear(0xFE) == 8);
    CHECK(g711::ulaw_to_linear(0xEF) == 4 * 33);  // first step of segment 1
}

TEST_CASE("G.711 A-law: all 256 codes decode to the ITU-T reconstruction values") {
    for (int c = 0; c < 256; ++c) {
        CAPTURE(c);
        CHECK(g711::alaw_to_linear(static_cast<std::uint8_t>(c)) == itu_alaw(static_cast<std::uint8_t>(c)));
    }
    CHECK(g711::alaw_to_linear(0xD5) == 8);
    CHECK(g711::alaw_to_linear(0x55) == -8);
    CHECK(g711::alaw_to_linear(0xAA) == 32256);
    CHECK(g711::alaw_to_linear(0x2A) == -32256);
}

TEST_CASE("G.711 μ-law: encoding at the decision boundaries") {
    // Zero and -1 share the smallest step; the sign keeps them apart.
    CHECK(g711::linear_to_ulaw(0) == 0xFF);
    CHECK(g711::linear_to_ulaw(-1) == 0x7F);
    // Decision value 1 (×4 in 16-bit): 3 stays in step 0, 4 moves to step 1.
    CHECK(g711::linear_to_ulaw(3) == 0xFF);
    CHECK(g711::linear_to_ulaw(4) == 0xFE);
    CHECK(g711::linear_to_ulaw(-4) == 0x7F);
    CHECK(g711::linear_to_ulaw(-5) == 0x7E);
    // Decision value 31 ends segment 0: 123 is the last of it, 124 the first of segment 1.
    CHECK(g711::linear_to_ulaw(123) == 0xF0);
    CHECK(g711::linear_to_ulaw(124) == 0xEF);
    // Overload: everything beyond the last decision value clips to the largest code.
    CHECK(g711::linear_to_ulaw(32767) == 0x80);
    CHECK(g711::linear_to_ulaw(32124) == 0x80);
    CHECK(g711::linear_to_ulaw(-32768) == 0x00);
}

TEST_CASE("G.711 A-law: encoding at the decision boundaries") {
    CHECK(g711::linear_to_alaw(0) == 0xD5);
    CHECK(g711::linear_to_alaw(-1) == 0x55);
    // Decision value 2 (×8 in 16-bit): 15 stays in step 0, 16 moves to step 1.
    CHECK(g711::linear_to_alaw(15) == 0xD5);
    CHECK(g711::linear_to_alaw(16) == 0xD4);
    // Segments 0 and 1 have the same step; 255/256 crosses into segment 1.
    CHECK(g711::linear_to_alaw(255) == (0x8F ^ 0x55));
    CHECK(g711::linear_to_alaw(256) == (0x90 ^ 0x55));
    CHECK(g711::linear_to_alaw(32767) == 0xAA);
    CHECK(g711::linear_to_alaw(-32768) == 0x2A);
}

TEST_CASE("G.711: encoding a decoded value gives the same code back") {
    for (int c = 0; c < 256; ++c) {
        CAPTURE(c);
        const auto code = static_cast<std::uint8_t>(c);
        // μ-law has two zeros (0xFF and 0x7F); both decode to 0, which encodes as 0xFF.
        const std::uint8_t expected_u = code == 0x7F ? 0xFF : code;
        CHECK(g711::linear_to_ulaw(g711::ulaw_to_linear(code)) == expected_u);
        CHECK(g711::linear_to_alaw(g711::alaw_to_linear(code)) == code);
    }
}

TEST_CASE("G.711: decode(encode(x)) is a fixed point for every 16-bit value") {
    for (int x = -32768; x <= 32767; ++x) {
        const auto s = static_cast<std::int16_t>(x);
        const auto u = g711::ulaw_to_linear(g711::linear_to_ulaw(s));
        const auto a = g711::alaw_to_linear(g711::linear_to_alaw(s));
        if (g711::ulaw_to_linear(g711::linear_to_ulaw(u)) != u || g711::alaw_to_linear(g711::linear_to_alaw(a)) != a) {
            FAIL("not idempotent at " << x);
        }
        // The quantisation error stays within half the largest step (μ: 1024, A: 1024).
        if (std::abs(u - x) > 1024 + 132 || std::abs(a - x) > 1024) FAIL("error too large at " << x);
    }
    CHECK(true);
}

TEST_CASE("G.711: buffer encode and decode agree with the single-sample functions") {
    const std::vector<std::int16_t> pcm = {0, 1, -1, 1000, -1000, 32767, -32768, 12345};
    std::vector<std::uint8_t> u(pcm.size()), a(pcm.size());
    g711::encode_ulaw(pcm, u);
    g711::encode_alaw(pcm, a);
    std::vector<std::int16_t> du(pcm.size()), da(pcm.size());
    g711::decode_ulaw(u, du);
    g711::decode_alaw(a, da);
    for (std::size_t i = 0; i < pcm.size(); ++i) {
        CHECK(u[i] == g711::linear_to_ulaw(pcm[i]));
        CHECK(a[i] == g711::linear_to_alaw(pcm[i]));
        CHECK(du[i] == g711::ulaw_to_linear(u[i]));
        CHECK(da[i] == g711::alaw_to_linear(a[i]));
    }
}
