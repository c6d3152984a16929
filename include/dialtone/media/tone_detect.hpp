#pragma once
// Measuring tones: the dominant frequency and level of a buffer (for checking recordings of the
// far end), a Goertzel filter, and an in-band DTMF detector.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "dialtone/base/result.hpp"

namespace dialtone::media {

// Level reported for digital silence; no 16-bit signal is quieter than about -101 dBFS.
inline constexpr double kSilenceDbfs = -120.0;

// RMS level in dBFS where a full-scale sine reads 0 (AES17).
double rms_dbfs(std::span<const std::int16_t> samples);

struct ToneAnalysis {
    double frequency_hz = 0;  // strongest spectral peak, interpolated between FFT bins
    double level_dbfs = kSilenceDbfs;  // RMS of the whole buffer
};

// Needs at least 64 samples. On 0.5 s of a pure tone the frequency is within ±0.1 %.
base::Result<ToneAnalysis> analyze_tone(std::span<const std::int16_t> samples, int sample_rate);

// Fraction of the buffer's energy at `frequency_hz` (≈1 for a pure tone at that frequency,
// ≈0 far from it), from a Goertzel filter.
double goertzel_share(std::span<const std::int16_t> samples, double frequency_hz, int sample_rate);

// In-band DTMF (ITU-T Q.24 style checks): Goertzel over ~25.6 ms blocks at the 8 keypad
// frequencies, a digit when one row and one column carry most of the energy with limited twist,
// reported once per key press after two consecutive blocks agree.
class DtmfDetector {
public:
    explicit DtmfDetector(int sample_rate, double min_level_dbfs = -45.0);

    void process(std::span<const std::int16_t> samples);
    std::optional<char> poll();

private:
    std::optional<char> classify(std::span<const std::int16_t> block) const;
    void on_block(std::optional<char> digit);

    int rate_;
    double min_level_dbfs_;
    std::size_t block_size_;
    std::int16_t block_[2048] = {};
    std::size_t filled_ = 0;
    std::optional<char> previous_;   // last block's classification
    std::optional<char> reported_;   // digit reported for the current press
    char pending_[32] = {};
    std::size_t pending_head_ = 0, pending_count_ = 0;
};

}  // namespace dialtone::media
