#include "dialtone/media/tone.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>
#include <utility>

namespace dialtone::media {

ToneGenerator::ToneGenerator(std::vector<double> frequencies_hz, double level_dbfs, int sample_rate,
                             Cadence cadence)
    : rate_(sample_rate > 0 ? sample_rate : 8000) {
    const double amplitude = 32767.0 * std::pow(10.0, level_dbfs / 20.0);
    for (double f : frequencies_hz) {
        const double mhz = std::max(0.0, std::round(f * 1000.0));
        components_.push_back({static_cast<std::uint64_t>(mhz), amplitude});
    }
    const auto rate = static_cast<std::uint64_t>(rate_);
    on_samples_ = rate * cadence.on_ms / 1000;
    period_samples_ = cadence.on_ms == 0 ? 0 : rate * (std::uint64_t{cadence.on_ms} + cadence.off_ms) / 1000;
}

void ToneGenerator::generate(std::span<std::int16_t> out) {
    // Phase of a component at sample n is frac(f·n / rate); with f in mHz the exact cycle count is
    // f_mHz·n / (1000·rate), reduced modulo 1 in integers. n wraps at 1000·rate (a whole number
    // of cycles for every component), so the position never grows and never drifts.
    const std::uint64_t wrap = 1000u * static_cast<std::uint64_t>(rate_);
    for (auto& sample : out) {
        const std::uint64_t n = position_ % wrap;
        bool sounding = true;
        if (period_samples_ != 0) sounding = (position_ % period_samples_) < on_samples_;
        double v = 0.0;
        if (sounding) {
            for (const auto& c : components_) {
                const std::uint64_t cycles_num = (c.millihertz * n) % wrap;
                const double phase = static_cast<double>(cycles_num) / static_cast<double>(wrap);
                v += c.amplitude * std::sin(2.0 * std::numbers::pi * phase);
            }
        }
        sample = static_cast<std::int16_t>(std::clamp(std::lround(v), -32768L, 32767L));
        ++position_;
        // Keep the position bounded: it only matters modulo wrap and modulo the cadence period.
        const std::uint64_t bound = period_samples_ == 0 ? wrap : wrap * period_samples_;
        if (position_ >= bound) position_ -= bound;
    }
}

ToneGenerator make_sine(double frequency_hz, double level_dbfs, int sample_rate) {
    return ToneGenerator({frequency_hz}, level_dbfs, sample_rate);
}

base::Result<std::pair<double, double>> dtmf_frequencies(char digit) {
    // ITU-T Q.23 keypad: rows 697/770/852/941 Hz, columns 1209/1336/1477/1633 Hz.
    static constexpr double kRows[4] = {697, 770, 852, 941};
    static constexpr double kCols[4] = {1209, 1336, 1477, 1633};
    static constexpr char kKeys[4][5] = {"123A", "456B", "789C", "*0#D"};
    const char key = (digit >= 'a' && digit <= 'd') ? static_cast<char>(digit - 32) : digit;
    for (int r = 0; r < 4; ++r) {
        for (int c = 0; c < 4; ++c) {
            if (kKeys[r][c] == key) return std::pair{kRows[r], kCols[c]};
        }
    }
    return base::make_error(std::string("'") + digit + "' is not a DTMF digit (0-9 * # A-D)");
}

base::Result<ToneGenerator> make_dtmf_tone(char digit, double level_dbfs, int sample_rate) {
    auto f = dtmf_frequencies(digit);
    if (!f) return f.error();
    return ToneGenerator({f->first, f->second}, level_dbfs, sample_rate);
}

ToneGenerator make_ringback(RingbackStyle style, double level_dbfs, int sample_rate) {
    if (style == RingbackStyle::Europe) return ToneGenerator({425.0}, level_dbfs, sample_rate, {1000, 4000});
    return ToneGenerator({440.0, 480.0}, level_dbfs, sample_rate, {2000, 4000});
}

}  // namespace dialtone::media
