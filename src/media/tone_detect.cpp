#include "dialtone/media/tone_detect.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <complex>
#include <numbers>
#include <string>
#include <vector>

namespace dialtone::media {

namespace {

// In-place iterative radix-2 FFT; a.size() is a power of two.
void fft(std::vector<std::complex<double>>& a) {
    const std::size_t n = a.size();
    for (std::size_t i = 1, j = 0; i < n; ++i) {
        std::size_t bit = n >> 1;
        for (; j & bit; bit >>= 1) j ^= bit;
        j ^= bit;
        if (i < j) std::swap(a[i], a[j]);
    }
    for (std::size_t len = 2; len <= n; len <<= 1) {
        const double angle = -2.0 * std::numbers::pi / static_cast<double>(len);
        const std::complex<double> wlen(std::cos(angle), std::sin(angle));
        for (std::size_t i = 0; i < n; i += len) {
            std::complex<double> w(1.0, 0.0);
            for (std::size_t k = 0; k < len / 2; ++k) {
                const auto u = a[i + k];
                const auto v = a[i + k + len / 2] * w;
                a[i + k] = u + v;
                a[i + k + len / 2] = u - v;
                w *= wlen;
            }
        }
    }
}

double goertzel_power(std::span<const std::int16_t> samples, double frequency_hz, int sample_rate) {
    const double coeff = 2.0 * std::cos(2.0 * std::numbers::pi * frequency_hz / sample_rate);
    double s1 = 0, s2 = 0;
    for (std::int16_t x : samples) {
        const double s0 = x + coeff * s1 - s2;
        s2 = s1;
        s1 = s0;
    }
    return s1 * s1 + s2 * s2 - coeff * s1 * s2;
}

double energy(std::span<const std::int16_t> samples) {
    double e = 0;
    for (std::int16_t x : samples) e += static_cast<double>(x) * x;
    return e;
}

}  // namespace

double rms_dbfs(std::span<const std::int16_t> samples) {
    if (samples.empty()) return kSilenceDbfs;
    const double mean_square = energy(samples) / static_cast<double>(samples.size());
    if (mean_square <= 0) return kSilenceDbfs;
    // A full-scale sine (peak 32767) has mean square 32767²/2.
    const double db = 10.0 * std::log10(mean_square / (32767.0 * 32767.0 / 2.0));
    return std::max(db, kSilenceDbfs);
}

base::Result<ToneAnalysis> analyze_tone(std::span<const std::int16_t> samples, int sample_rate) {
    if (samples.size() < 64) {
        return base::make_error("tone analysis needs at least 64 samples, got " + std::to_string(samples.size()));
    }
    if (sample_rate <= 0) return base::make_error("tone analysis: sample rate must be positive");
    constexpr std::size_t kMaxFft = std::size_t{1} << 20;
    const std::size_t used = std::min(samples.size(), kMaxFft);
    const std::size_t n = std::bit_ceil(used);
    const auto window = samples.subspan((samples.size() - used) / 2, used);

    double mean = 0;
    for (std::int16_t x : window) mean += x;
    mean /= static_cast<double>(used);

    // Hann window over the samples, zero padding to a power of two.
    std::vector<std::complex<double>> a(n);
    for (std::size_t i = 0; i < used; ++i) {
        const double w = 0.5 - 0.5 * std::cos(2.0 * std::numbers::pi * static_cast<double>(i) /
                                              static_cast<double>(used - 1));
        a[i] = (window[i] - mean) * w;
    }
    fft(a);

    ToneAnalysis result;
    result.level_dbfs = rms_dbfs(samples);
    std::size_t peak = 0;
    double peak_mag = 0;
    for (std::size_t k = 1; k + 1 < n / 2; ++k) {
        const double m = std::abs(a[k]);
        if (m > peak_mag) {
            peak_mag = m;
            peak = k;
        }
    }
    if (peak == 0) return result;  // silence or DC only
    // Gaussian interpolation: fit a parabola to the log magnitudes around the peak.
    const double l = std::log(std::abs(a[peak - 1]) + 1e-12);
    const double c = std::log(peak_mag);
    const double r = std::log(std::abs(a[peak + 1]) + 1e-12);
    const double denom = l - 2.0 * c + r;
    const double delta = denom != 0 ? 0.5 * (l - r) / denom : 0.0;
    result.frequency_hz = (static_cast<double>(peak) + delta) * sample_rate / static_cast<double>(n);
    return result;
}

double goertzel_share(std::span<const std::int16_t> samples, double frequency_hz, int sample_rate) {
    const double e = energy(samples);
    if (e <= 0 || samples.empty()) return 0.0;
    // A sine of amplitude A over N samples gives power (A·N/2)² and energy A²·N/2.
    return 2.0 * goertzel_power(samples, frequency_hz, sample_rate) / (static_cast<double>(samples.size()) * e);
}

// --- DTMF ---------------------------------------------------------------------------------

namespace {
constexpr double kRows[4] = {697, 770, 852, 941};
constexpr double kCols[4] = {1209, 1336, 1477, 1633};
constexpr char kKeys[4][5] = {"123A", "456B", "789C", "*0#D"};
}  // namespace

DtmfDetector::DtmfDetector(int sample_rate, double min_level_dbfs)
    : rate_(sample_rate > 0 ? sample_rate : 8000), min_level_dbfs_(min_level_dbfs) {
    // 205 samples at 8 kHz (25.6 ms) resolves the keypad frequencies; scale for other rates.
    block_size_ = std::clamp<std::size_t>(static_cast<std::size_t>(205.0 * rate_ / 8000.0 + 0.5), 64,
                                          sizeof(block_) / sizeof(block_[0]));
}

void DtmfDetector::process(std::span<const std::int16_t> samples) {
    while (!samples.empty()) {
        const std::size_t take = std::min(samples.size(), block_size_ - filled_);
        std::copy_n(samples.begin(), take, block_ + filled_);
        filled_ += take;
        samples = samples.subspan(take);
        if (filled_ == block_size_) {
            on_block(classify(std::span<const std::int16_t>(block_, block_size_)));
            filled_ = 0;
        }
    }
}

std::optional<char> DtmfDetector::classify(std::span<const std::int16_t> block) const {
    if (rms_dbfs(block) < min_level_dbfs_) return std::nullopt;
    double rows[4], cols[4];
    for (int i = 0; i < 4; ++i) {
        rows[i] = goertzel_share(block, kRows[i], rate_);
        cols[i] = goertzel_share(block, kCols[i], rate_);
    }
    const int r = static_cast<int>(std::max_element(rows, rows + 4) - rows);
    const int c = static_cast<int>(std::max_element(cols, cols + 4) - cols);
    // The two tones carry most of the energy (speech and noise spread it out).
    if (rows[r] + cols[c] < 0.6) return std::nullopt;
    // Twist: the tones' levels differ by less than 8 dB either way (ITU-T Q.24 allows 4–8 dB).
    const double twist_db = 10.0 * std::log10(std::max(rows[r], 1e-12) / std::max(cols[c], 1e-12));
    if (std::abs(twist_db) > 8.0) return std::nullopt;
    // Each tone stands 6 dB above the others of its group.
    for (int i = 0; i < 4; ++i) {
        if (i != r && rows[i] * 4.0 > rows[r]) return std::nullopt;
        if (i != c && cols[i] * 4.0 > cols[c]) return std::nullopt;
    }
    return kKeys[r][c];
}

void DtmfDetector::on_block(std::optional<char> digit) {
    if (digit && previous_ == digit && reported_ != digit) {
        reported_ = digit;
        if (pending_count_ < sizeof(pending_)) {
            pending_[(pending_head_ + pending_count_) % sizeof(pending_)] = *digit;
            ++pending_count_;
        }
    }
    if (!digit) reported_.reset();
    previous_ = digit;
}

std::optional<char> DtmfDetector::poll() {
    if (pending_count_ == 0) return std::nullopt;
    const char d = pending_[pending_head_];
    pending_head_ = (pending_head_ + 1) % sizeof(pending_);
    --pending_count_;
    return d;
}

}  // namespace dialtone::media
