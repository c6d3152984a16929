#pragma once
// Mono 16-bit sample-rate conversion over the speexdsp resampler, e.g. 48 kHz device audio to
// and from 8/16 kHz codecs. State carries across calls, so a stream converted in pieces has no
// seams.
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "dialtone/base/result.hpp"

struct SpeexResamplerState_;

namespace dialtone::media {

class Resampler {
public:
    // quality 0 (fastest) .. 10 (best); speexdsp's VoIP default is 3, 5 is transparent for speech.
    static base::Result<Resampler> create(int in_rate, int out_rate, int quality = 5);

    // Converts all of `in`, appending to `out`. Over a long run the output length tracks
    // in.size() × out_rate / in_rate exactly; a single call may differ by a sample.
    void process(std::span<const std::int16_t> in, std::vector<std::int16_t>& out);
    std::vector<std::int16_t> process(std::span<const std::int16_t> in) {
        std::vector<std::int16_t> out;
        process(in, out);
        return out;
    }

    // Samples of delay the filter adds, in input samples.
    int input_latency() const;
    // Clears the filter history (a new stream).
    void reset();

    int in_rate() const { return in_rate_; }
    int out_rate() const { return out_rate_; }

private:
    struct Free { void operator()(SpeexResamplerState_* s) const; };
    Resampler(SpeexResamplerState_* s, int in_rate, int out_rate) : state_(s), in_rate_(in_rate), out_rate_(out_rate) {}
    std::unique_ptr<SpeexResamplerState_, Free> state_;  // null when the rates are equal
    int in_rate_;
    int out_rate_;
};

}  // namespace dialtone::media
