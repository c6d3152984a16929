#include "dialtone/media/resampler.hpp"

#include <speex/speex_resampler.h>

#include <string>

namespace dialtone::media {

void Resampler::Free::operator()(SpeexResamplerState_* s) const { speex_resampler_destroy(s); }

base::Result<Resampler> Resampler::create(int in_rate, int out_rate, int quality) {
    if (in_rate <= 0 || out_rate <= 0) {
        return base::make_error("resampler: rates must be positive (got " + std::to_string(in_rate) + " → " +
                                std::to_string(out_rate) + ")");
    }
    if (quality < SPEEX_RESAMPLER_QUALITY_MIN || quality > SPEEX_RESAMPLER_QUALITY_MAX) {
        return base::make_error("resampler: quality " + std::to_string(quality) + " is outside 0..10");
    }
    if (in_rate == out_rate) return Resampler(nullptr, in_rate, out_rate);
    int err = RESAMPLER_ERR_SUCCESS;
    SpeexResamplerState* s = speex_resampler_init(1, static_cast<spx_uint32_t>(in_rate),
                                                  static_cast<spx_uint32_t>(out_rate), quality, &err);
    if (s == nullptr || err != RESAMPLER_ERR_SUCCESS) {
        if (s != nullptr) speex_resampler_destroy(s);
        return base::make_error(std::string("resampler: ") + speex_resampler_strerror(err));
    }
    // Start with a primed filter rather than speexdsp's zero history, which would delay and
    // attenuate the first block.
    speex_resampler_skip_zeros(s);
    return Resampler(s, in_rate, out_rate);
}

void Resampler::process(std::span<const std::int16_t> in, std::vector<std::int16_t>& out) {
    if (!state_) {
        out.insert(out.end(), in.begin(), in.end());
        return;
    }
    while (!in.empty()) {
        // Room for this input plus a little slack for the filter's fractional phase.
        const std::size_t room = in.size() * static_cast<std::size_t>(out_rate_) / static_cast<std::size_t>(in_rate_) + 16;
        const std::size_t before = out.size();
        out.resize(before + room);
        auto in_len = static_cast<spx_uint32_t>(in.size());
        auto out_len = static_cast<spx_uint32_t>(room);
        speex_resampler_process_int(state_.get(), 0, in.data(), &in_len, out.data() + before, &out_len);
        out.resize(before + out_len);
        in = in.subspan(in_len);
        if (in_len == 0 && out_len == 0) break;  // cannot happen with room > 0; never spin
    }
}

int Resampler::input_latency() const { return state_ ? speex_resampler_get_input_latency(state_.get()) : 0; }

void Resampler::reset() {
    if (state_) {
        speex_resampler_reset_mem(state_.get());
        speex_resampler_skip_zeros(state_.get());
    }
}

}  // namespace dialtone::media
