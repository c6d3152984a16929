#pragma once
// Tone generators: sines, DTMF dual tones (ITU-T Q.23) and ringback with a cadence. Each keeps
// its position as an exact sample count, so a tone generated in pieces of any size is the same
// signal as one generated in a single call: no phase drift, no clicks at buffer edges.
#include <cstdint>
#include <span>
#include <vector>

#include "dialtone/base/result.hpp"

namespace dialtone::media {

// On/off pattern; on_ms == 0 means continuous.
struct Cadence {
    std::uint32_t on_ms = 0;
    std::uint32_t off_ms = 0;
};

// Level in dBFS: 0 dBFS is a full-scale sine (AES17), so the peak is 32767 × 10^(dBFS/20).
class ToneGenerator {
public:
    // Frequencies are kept to 1 mHz. Each component has `level_dbfs`; the sum saturates.
    ToneGenerator(std::vector<double> frequencies_hz, double level_dbfs, int sample_rate,
                  Cadence cadence = {});

    // Overwrites `out` with the next samples.
    void generate(std::span<std::int16_t> out);
    // Restarts at phase zero and at the start of the cadence.
    void reset() { position_ = 0; }
    int sample_rate() const { return rate_; }

private:
    struct Component {
        std::uint64_t millihertz;
        double amplitude;
    };
    std::vector<Component> components_;
    int rate_;
    std::uint64_t on_samples_;
    std::uint64_t period_samples_;  // cadence period; 0 when continuous
    std::uint64_t position_ = 0;    // samples since start, modulo a whole number of periods
};

// One sine.
ToneGenerator make_sine(double frequency_hz, double level_dbfs, int sample_rate);

// DTMF row + column frequencies for 0-9 * # A-D (either case); each tone at `level_dbfs`.
base::Result<ToneGenerator> make_dtmf_tone(char digit, double level_dbfs, int sample_rate);
// The two frequencies of a DTMF digit: {row (low group), column (high group)}.
base::Result<std::pair<double, double>> dtmf_frequencies(char digit);

enum class RingbackStyle {
    Europe,        // 425 Hz, 1 s on, 4 s off (ETSI ES 201 970)
    NorthAmerica,  // 440 + 480 Hz, 2 s on, 4 s off
};
ToneGenerator make_ringback(RingbackStyle style, double level_dbfs, int sample_rate);

}  // namespace dialtone::media
