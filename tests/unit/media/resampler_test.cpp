#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "dialtone/media/resampler.hpp"
#include "dialtone/media/tone.hpp"
#include "dialtone/media/tone_detect.hpp"

using namespace dialtone::media;

TEST_CASE("resampler: a tone keeps its frequency and level, 48 kHz ⇄ 8 and 16 kHz") {
    const std::pair<int, int> pairs[] = {{48000, 8000}, {8000, 48000}, {48000, 16000}, {16000, 48000}};
    for (const auto& rates : pairs) {
        const int from = rates.first;
        const int to = rates.second;
        CAPTURE(from);
        CAPTURE(to);
        std::vector<std::int16_t> in(static_cast<std::size_t>(from));  // 1 s
        make_sine(1000, -10, from).generate(in);
        auto r = Resampler::create(from, to).value();
        std::vector<std::int16_t> out;
        // 20 ms pieces, as the media thread feeds it.
        const std::size_t piece = static_cast<std::size_t>(from / 50);
        for (std::size_t i = 0; i < in.size(); i += piece) r.process(std::span(in).subspan(i, piece), out);
        // The output length follows the rate ratio (less the filter's delay).
        CHECK(out.size() <= static_cast<std::size_t>(to));
        CHECK(out.size() + static_cast<std::size_t>(r.input_latency()) * static_cast<std::size_t>(to) / static_cast<std::size_t>(from) + 2 >=
              static_cast<std::size_t>(to));
        auto steady = std::span(out).subspan(out.size() / 4, out.size() / 2);
        auto t = analyze_tone(steady, to).value();
        CHECK(t.frequency_hz == doctest::Approx(1000).epsilon(0.002));
        CHECK(t.level_dbfs == doctest::Approx(-10).epsilon(0.03));
    }
}

TEST_CASE("resampler: equal rates pass samples through unchanged") {
    auto r = Resampler::create(8000, 8000).value();
    const std::vector<std::int16_t> in = {1, -2, 3, 32767, -32768};
    CHECK(r.process(in) == in);
    CHECK(r.input_latency() == 0);
}

TEST_CASE("resampler: content above the new Nyquist frequency is filtered, not aliased") {
    std::vector<std::int16_t> in(48000);
    make_sine(6000, -6, 48000).generate(in);  // above 4 kHz, the Nyquist frequency of 8 kHz
    auto r = Resampler::create(48000, 8000).value();
    auto out = r.process(in);
    CHECK(rms_dbfs(std::span(out).subspan(1000)) < -40.0);
}

TEST_CASE("resampler: bad rates and qualities are refused with the values") {
    auto bad_rate = Resampler::create(0, 8000);
    REQUIRE_FALSE(bad_rate);
    CHECK(bad_rate.error().message.find("0") != std::string::npos);
    auto bad_quality = Resampler::create(48000, 8000, 11);
    REQUIRE_FALSE(bad_quality);
    CHECK(bad_quality.error().message.find("11") != std::string::npos);
}
