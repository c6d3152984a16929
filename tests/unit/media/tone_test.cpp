#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "dialtone/media/codec.hpp"
#include "dialtone/media/tone.hpp"
#include "dialtone/media/tone_detect.hpp"

using namespace dialtone::media;

namespace {
std::vector<std::int16_t> render(ToneGenerator g, std::size_t n) {
    std::vector<std::int16_t> out(n);
    g.generate(out);
    return out;
}
}  // namespace

TEST_CASE("sine generator: frequency and level read back by the detector at 8, 16 and 48 kHz") {
    for (int rate : {8000, 16000, 48000}) {
        for (double hz : {300.0, 1000.0, 3333.0}) {
            CAPTURE(rate);
            CAPTURE(hz);
            auto s = render(make_sine(hz, -20.0, rate), static_cast<std::size_t>(rate / 2));
            auto t = analyze_tone(s, rate).value();
            CHECK(t.frequency_hz == doctest::Approx(hz).epsilon(0.001));
            CHECK(t.level_dbfs == doctest::Approx(-20.0).epsilon(0.005));
        }
    }
}

TEST_CASE("sine generator: a full-scale sine reads 0 dBFS and silence reads the floor") {
    auto s = render(make_sine(1000, 0.0, 8000), 4000);
    CHECK(rms_dbfs(s) == doctest::Approx(0.0).epsilon(0.001));
    std::vector<std::int16_t> silence(4000, 0);
    CHECK(rms_dbfs(silence) == kSilenceDbfs);
}

TEST_CASE("sine generator: output in pieces of any size equals output in one call (no drift)") {
    auto whole = render(make_sine(440.0, -6.0, 44100), 100000);
    auto g = make_sine(440.0, -6.0, 44100);
    std::vector<std::int16_t> pieces;
    std::size_t sizes[] = {1, 7, 160, 441, 1023, 3};
    std::size_t i = 0;
    while (pieces.size() < whole.size()) {
        std::vector<std::int16_t> part(std::min(sizes[i++ % 6], whole.size() - pieces.size()));
        g.generate(part);
        pieces.insert(pieces.end(), part.begin(), part.end());
    }
    CHECK(pieces == whole);
}

TEST_CASE("sine generator: phase after a day of samples is exact") {
    // 1 kHz at 8 kHz repeats every 8 samples: sample n and n + k·8000·1000 are equal.
    auto g = make_sine(1000.0, -6.0, 8000);
    std::vector<std::int16_t> first(8);
    g.generate(first);
    std::vector<std::int16_t> chunk(8000);
    for (int s = 0; s < 2000; ++s) g.generate(chunk);  // past the internal wrap at 8e6 samples
    std::vector<std::int16_t> later(8);
    g.generate(later);
    CHECK(later == first);
}

TEST_CASE("DTMF tones: each digit has its row and column frequency and nothing else") {
    const std::string digits = "123A456B789C*0#D";
    for (char d : digits) {
        CAPTURE(d);
        auto f = dtmf_frequencies(d).value();
        auto s = render(make_dtmf_tone(d, -10.0, 8000).value(), 800);
        CHECK(goertzel_share(s, f.first, 8000) == doctest::Approx(0.5).epsilon(0.05));
        CHECK(goertzel_share(s, f.second, 8000) == doctest::Approx(0.5).epsilon(0.05));
        CHECK(goertzel_share(s, 1000.0, 8000) < 0.01);
    }
    CHECK(dtmf_frequencies('5').value() == std::pair{770.0, 1336.0});
    CHECK(dtmf_frequencies('d').value() == std::pair{941.0, 1633.0});
    auto bad = make_dtmf_tone('x', -10, 8000);
    REQUIRE_FALSE(bad);
    CHECK(bad.error().message.find("'x'") != std::string::npos);
}

TEST_CASE("ringback: Europe is 425 Hz for 1 s then 4 s of silence, and repeats") {
    auto g = make_ringback(RingbackStyle::Europe, -15.0, 8000);
    std::vector<std::int16_t> on(8000), off(32000), again(8000);
    g.generate(on);
    g.generate(off);
    g.generate(again);
    CHECK(analyze_tone(on, 8000).value().frequency_hz == doctest::Approx(425).epsilon(0.002));
    CHECK(rms_dbfs(on) == doctest::Approx(-15).epsilon(0.01));
    CHECK(rms_dbfs(off) == kSilenceDbfs);
    CHECK(rms_dbfs(again) == doctest::Approx(-15).epsilon(0.01));
}

TEST_CASE("ringback: North America is 440 + 480 Hz for 2 s, 4 s off") {
    auto g = make_ringback(RingbackStyle::NorthAmerica, -20.0, 16000);
    std::vector<std::int16_t> on(32000), off(64000);
    g.generate(on);
    g.generate(off);
    CHECK(goertzel_share(on, 440, 16000) == doctest::Approx(0.5).epsilon(0.05));
    CHECK(goertzel_share(on, 480, 16000) == doctest::Approx(0.5).epsilon(0.05));
    CHECK(rms_dbfs(off) == kSilenceDbfs);
}

TEST_CASE("tone analysis: too short a buffer is an error that says so") {
    std::vector<std::int16_t> s(10, 100);
    auto r = analyze_tone(s, 8000);
    REQUIRE_FALSE(r);
    CHECK(r.error().message.find("64 samples") != std::string::npos);
}

TEST_CASE("tone analysis: the dominant tone wins over a weaker one") {
    std::vector<std::int16_t> a(24000), b(24000), sum(24000);
    make_sine(700, -10, 48000).generate(a);
    make_sine(2100, -20, 48000).generate(b);
    for (std::size_t i = 0; i < sum.size(); ++i) sum[i] = static_cast<std::int16_t>(a[i] + b[i]);
    CHECK(analyze_tone(sum, 48000).value().frequency_hz == doctest::Approx(700).epsilon(0.001));
}

TEST_CASE("in-band DTMF detector: a dialled string is reported once per key") {
    for (int rate : {8000, 48000}) {
        CAPTURE(rate);
        DtmfDetector det(rate);
        const std::string dialled = "159#*0D";
        std::vector<std::int16_t> gap(static_cast<std::size_t>(rate / 20), 0);  // 50 ms
        std::string heard;
        for (char d : dialled) {
            auto s = render(make_dtmf_tone(d, -12.0, rate).value(), static_cast<std::size_t>(rate / 10));
            // Feed in 20 ms pieces as the media thread would.
            for (std::size_t i = 0; i < s.size(); i += static_cast<std::size_t>(rate / 50)) {
                det.process(std::span(s).subspan(i, std::min<std::size_t>(rate / 50, s.size() - i)));
            }
            det.process(gap);
            while (auto got = det.poll()) heard += *got;
        }
        CHECK(heard == dialled);
    }
}

TEST_CASE("in-band DTMF detector: a single tone, speech-like chords and silence are not digits") {
    DtmfDetector det(8000);
    auto single = render(make_sine(697, -10, 8000), 8000);
    det.process(single);
    auto chord = render(ToneGenerator({697, 770, 1209}, -10, 8000), 8000);
    det.process(chord);
    std::vector<std::int16_t> silence(8000, 0);
    det.process(silence);
    CHECK_FALSE(det.poll());
}

TEST_CASE("in-band DTMF detector: digits survive G.711 coding and low-level noise") {
    auto codec = make_codec("pcmu").value();
    DtmfDetector det(8000);
    std::uint32_t noise = 12345;
    std::string heard;
    for (char d : std::string("2580")) {
        auto tone = render(make_dtmf_tone(d, -20.0, 8000).value(), 640);  // 80 ms
        tone.resize(640 + 400, 0);                                        // then 50 ms quiet
        for (auto& s : tone) {
            noise = noise * 1664525u + 1013904223u;  // LCG: about -50 dBFS of white noise
            s = static_cast<std::int16_t>(s + static_cast<std::int16_t>((noise >> 16) % 201) - 100);
        }
        for (std::size_t i = 0; i < tone.size(); i += 160) {
            auto frame = std::span<const std::int16_t>(tone).subspan(i, std::min<std::size_t>(160, tone.size() - i));
            det.process(codec->decode(codec->encode(frame).value()).value());
        }
        while (auto got = det.poll()) heard += *got;
    }
    CHECK(heard == "2580");
}
