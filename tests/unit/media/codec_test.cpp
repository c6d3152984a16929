#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <vector>

#include "dialtone/media/codec.hpp"
#include "dialtone/media/opus_codec.hpp"
#include "dialtone/media/tone.hpp"
#include "dialtone/media/tone_detect.hpp"

using namespace dialtone::media;

namespace {

std::vector<std::int16_t> tone(double hz, double dbfs, int rate, std::size_t n) {
    std::vector<std::int16_t> out(n);
    make_sine(hz, dbfs, rate).generate(out);
    return out;
}

// A signal PLC cannot predict: a tone whose frequency jumps every 20 ms.
std::vector<std::int16_t> stepped_tone(std::size_t frames) {
    std::vector<std::int16_t> out;
    for (std::size_t f = 0; f < frames; ++f) {
        std::vector<std::int16_t> frame(960);
        make_sine(300.0 + 170.0 * static_cast<double>((f * 7) % 13), -12.0, 48000).generate(frame);
        out.insert(out.end(), frame.begin(), frame.end());
    }
    return out;
}

double error_energy(std::span<const std::int16_t> a, std::span<const std::int16_t> b) {
    double e = 0;
    for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) {
        const double d = static_cast<double>(a[i]) - b[i];
        e += d * d;
    }
    return e;
}

}  // namespace

TEST_CASE("codec factory: pcmu, pcma and opus by name in any case; others are refused") {
    auto u = make_codec("PCMU");
    REQUIRE(u);
    CHECK((*u)->name() == "PCMU");
    CHECK((*u)->sample_rate() == 8000);
    CHECK((*u)->frame_samples(20) == 160);
    auto a = make_codec("pcma");
    REQUIRE(a);
    CHECK((*a)->name() == "PCMA");
    auto o = make_codec("Opus");
    REQUIRE(o);
    CHECK((*o)->name() == "opus");
    CHECK((*o)->sample_rate() == 48000);
    CHECK((*o)->frame_samples(20) == 960);
    auto bad = make_codec("g729");
    REQUIRE_FALSE(bad);
    CHECK(bad.error().message.find("g729") != std::string::npos);
}

TEST_CASE("PCMU codec: one octet per sample and a tone survives the round trip") {
    auto codec = make_codec("pcmu").value();
    const auto pcm = tone(1000, -10, 8000, 4000);
    std::vector<std::int16_t> decoded;
    for (std::size_t i = 0; i < pcm.size(); i += 160) {
        auto bytes = codec->encode(std::span(pcm).subspan(i, 160));
        REQUIRE(bytes);
        CHECK(bytes->size() == 160);
        auto out = codec->decode(*bytes);
        REQUIRE(out);
        decoded.insert(decoded.end(), out->begin(), out->end());
    }
    auto t = analyze_tone(decoded, 8000).value();
    CHECK(t.frequency_hz == doctest::Approx(1000).epsilon(0.005));
    CHECK(t.level_dbfs == doctest::Approx(-10).epsilon(0.02));
}

TEST_CASE("G.711 concealment repeats the last frame more quietly, then goes silent") {
    auto codec = make_codec("pcma").value();
    const auto pcm = tone(500, -6, 8000, 160);
    auto decoded = codec->decode(codec->encode(pcm).value()).value();
    const double level = rms_dbfs(decoded);
    auto c1 = codec->conceal(160);
    auto c2 = codec->conceal(160);
    CHECK(rms_dbfs(c1) == doctest::Approx(level - 6.02).epsilon(0.02));
    CHECK(rms_dbfs(c2) == doctest::Approx(level - 12.04).epsilon(0.02));
    codec->conceal(160);
    CHECK(rms_dbfs(codec->conceal(160)) == kSilenceDbfs);
}

TEST_CASE("Opus: a 1 kHz tone keeps its frequency and level through encode and decode") {
    auto codec = make_codec("opus", {.bitrate = 32000}).value();
    const auto pcm = tone(1000, -12, 48000, 48000);
    std::vector<std::int16_t> decoded;
    for (std::size_t i = 0; i < pcm.size(); i += 960) {
        auto bytes = codec->encode(std::span(pcm).subspan(i, 960));
        REQUIRE(bytes);
        CHECK(bytes->size() < 400);
        auto out = codec->decode(*bytes);
        REQUIRE(out);
        CHECK(out->size() == 960);
        decoded.insert(decoded.end(), out->begin(), out->end());
    }
    // Skip the codec's start-up (look-ahead and first frames), then measure 0.5 s.
    const auto steady = std::span(decoded).subspan(9600, 24000);
    auto t = analyze_tone(steady, 48000).value();
    CHECK(t.frequency_hz == doctest::Approx(1000).epsilon(0.01));
    CHECK(std::abs(t.level_dbfs - (-12.0)) < 2.0);
}

TEST_CASE("Opus: frames that are not 2.5 to 60 ms are refused with the sample count") {
    auto codec = make_codec("opus").value();
    std::vector<std::int16_t> pcm(1000);
    auto r = codec->encode(pcm);
    REQUIRE_FALSE(r);
    CHECK(r.error().message.find("1000 samples") != std::string::npos);
    CHECK_FALSE(make_codec("opus", {.complexity = 11}));
    CHECK_FALSE(make_codec("opus", {.packet_loss_percent = 101}));
    CHECK_FALSE(make_codec("opus", {.bitrate = 100}));
}

TEST_CASE("Opus: a garbage packet is a decode error, not a crash") {
    auto codec = make_codec("opus").value();
    const std::vector<std::uint8_t> junk = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
    auto r = codec->decode(junk);
    CHECK_FALSE(r);
    CHECK_FALSE(codec->decode({}));
}

TEST_CASE("Opus: in-band FEC recovers a lost frame better than PLC") {
    const CodecOptions opts{.bitrate = 32000, .complexity = 5, .inband_fec = true, .packet_loss_percent = 20};
    auto sender = make_codec("opus", opts).value();
    const std::size_t frames = 40;
    const auto pcm = stepped_tone(frames);
    std::vector<Bytes> packets;
    for (std::size_t f = 0; f < frames; ++f) {
        packets.push_back(sender->encode(std::span(pcm).subspan(f * 960, 960)).value());
    }
    // Reference: every packet arrives. Then the same stream with frame `lost` missing, rebuilt by
    // FEC from the next packet or by PLC.
    auto reference = make_codec("opus").value();
    auto with_fec = make_codec("opus").value();
    auto with_plc = make_codec("opus").value();
    double fec_error = 0, plc_error = 0, signal = 0;
    std::vector<std::size_t> lost_frames = {15, 22, 31};
    for (std::size_t f = 0; f < frames; ++f) {
        auto ref = reference->decode(packets[f]).value();
        const bool lost = std::find(lost_frames.begin(), lost_frames.end(), f) != lost_frames.end();
        if (!lost) {
            with_fec->decode(packets[f]).value();
            with_plc->decode(packets[f]).value();
            continue;
        }
        auto fec = with_fec->recover(packets[f + 1], 960);
        REQUIRE(fec);
        REQUIRE(fec->size() == 960);
        auto plc = with_plc->conceal(960);
        REQUIRE(plc.size() == 960);
        fec_error += error_energy(ref, *fec);
        plc_error += error_energy(ref, plc);
        signal += error_energy(ref, std::vector<std::int16_t>(960, 0));
    }
    INFO("FEC SNR " << 10 * std::log10(signal / fec_error) << " dB, PLC SNR "
                       << 10 * std::log10(signal / plc_error) << " dB");
    // At least 3 dB less error energy than concealment.
    CHECK(fec_error * 2 < plc_error);
}

TEST_CASE("Opus: PLC without any packet gives the requested length") {
    auto codec = make_codec("opus").value();
    CHECK(codec->conceal(960).size() == 960);
    CHECK(codec->conceal(1920).size() == 1920);
    auto r = codec->recover(std::vector<std::uint8_t>{0x08}, 1000);
    CHECK_FALSE(r);
}

TEST_CASE("RFC 7587 §6.1: useinbandfec and maxaveragebitrate from the peer's fmtp") {
    auto o = opus::apply_fmtp({}, "minptime=10; useinbandfec=1; maxaveragebitrate=20000; stereo=0");
    CHECK(o.inband_fec);
    CHECK(o.bitrate == 20000);
    // A cap never raises a bitrate we chose lower.
    CHECK(opus::apply_fmtp({.bitrate = 16000}, "maxaveragebitrate=40000").bitrate == 16000);
    CHECK(opus::apply_fmtp({.bitrate = 64000}, "maxaveragebitrate=40000").bitrate == 40000);
    // Out of range or malformed values change nothing.
    auto bad = opus::apply_fmtp({.inband_fec = true}, "useinbandfec=2;maxaveragebitrate=5;junk;=1;x=");
    CHECK(bad.inband_fec);
    CHECK(bad.bitrate == 0);
    CHECK_FALSE(opus::apply_fmtp({.inband_fec = true}, "useinbandfec=0").inband_fec);
    CHECK(opus::apply_fmtp({}, "").bitrate == 0);
}
