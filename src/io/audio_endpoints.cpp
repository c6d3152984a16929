#include "dialtone/io/audio_endpoints.hpp"

#include <algorithm>

#include "dialtone/io/audio_device.hpp"

namespace dialtone::io {

bool SilenceSource::read(std::span<std::int16_t> out, int) {
    std::fill(out.begin(), out.end(), std::int16_t{0});
    return true;
}

bool ToneSource::read(std::span<std::int16_t> out, int rate) {
    if (!tone_ || tone_->sample_rate() != rate) tone_.emplace(media::make_sine(frequency_, level_, rate));
    tone_->generate(out);
    return true;
}

base::Result<std::unique_ptr<WavFileSource>> WavFileSource::open(const std::string& path, bool loop) {
    media::WavReaderOptions options;
    options.loop = loop;
    auto reader = media::WavReader::open(path, options);
    if (!reader) return reader.error();
    return std::unique_ptr<WavFileSource>(new WavFileSource(path, loop, std::move(reader).value(), options.sample_rate));
}

bool WavFileSource::read(std::span<std::int16_t> out, int rate) {
    if (rate != rate_ && reader_) {
        // The stream's codec rate is known only now; reopen at it (nothing has been read yet,
        // or the codec changed mid-call and the file starts over).
        media::WavReaderOptions options;
        options.loop = loop_;
        options.sample_rate = rate;
        auto r = media::WavReader::open(path_, options);
        if (r) reader_.emplace(std::move(r).value());
        else reader_.reset();
        rate_ = rate;
    }
    std::size_t n = reader_ ? reader_->read(out) : 0;
    std::fill(out.begin() + static_cast<std::ptrdiff_t>(n), out.end(), std::int16_t{0});
    if (n < out.size() && (!reader_ || reader_->at_end())) {
        finished_.store(true, std::memory_order_release);
        return n > 0;
    }
    return true;
}

base::Result<std::unique_ptr<WavFileSink>> WavFileSink::create(const std::string& path, WavSinkChannels channels,
                                                               int sample_rate) {
    std::unique_ptr<WavFileSink> sink(new WavFileSink(path, channels, sample_rate));
    if (sample_rate > 0) {
        // Create the file now so a bad path fails before the call.
        auto w = media::WavWriter::create(path, sample_rate, channels == WavSinkChannels::FarEnd ? 1 : 2);
        if (!w) return w.error();
        sink->writer_.emplace(std::move(w).value());
    }
    return sink;
}

WavFileSink::~WavFileSink() { (void)close(); }

void WavFileSink::write(std::span<const std::int16_t> far_end, std::span<const std::int16_t> near_end, int rate) {
    if (closed_ || error_) return;
    if (!writer_) {
        if (rate_ <= 0) rate_ = rate;
        auto w = media::WavWriter::create(path_, rate_, channels_ == WavSinkChannels::FarEnd ? 1 : 2);
        if (!w) {
            error_ = w.error();
            return;
        }
        writer_.emplace(std::move(w).value());
    }
    std::span<const std::int16_t> far = far_end, near = near_end;
    if (rate != rate_) {
        if (!far_resampler_ || far_resampler_->in_rate() != rate) {
            auto a = media::Resampler::create(rate, rate_);
            auto b = media::Resampler::create(rate, rate_);
            if (!a || !b) {
                error_ = base::make_error("cannot resample the recording from " + std::to_string(rate) + " Hz");
                return;
            }
            far_resampler_.emplace(std::move(a).value());
            near_resampler_.emplace(std::move(b).value());
        }
        far_.clear();
        far_resampler_->process(far_end, far_);
        far = far_;
        if (channels_ == WavSinkChannels::FarAndNear) {
            near_.clear();
            near_resampler_->process(near_end, near_);
            near = near_;
        }
    }
    auto st = channels_ == WavSinkChannels::FarEnd ? writer_->write(far) : writer_->write_stereo(far, near);
    if (!st) error_ = st.error();
}

base::Status WavFileSink::close() {
    if (closed_) return {};
    closed_ = true;
    if (!writer_) {
        // Nothing was ever received: still leave a valid (empty) recording behind.
        auto w = media::WavWriter::create(path_, rate_ > 0 ? rate_ : 8000, channels_ == WavSinkChannels::FarEnd ? 1 : 2);
        if (!w) return w.error();
        writer_.emplace(std::move(w).value());
    }
    auto st = writer_->close();
    if (!st) return st;
    if (error_) return *error_;
    return {};
}

bool DeviceSource::read(std::span<std::int16_t> out, int rate) {
    auto& ring = device_->capture_ring();
    const std::size_t frames_48k = out.size() * static_cast<std::size_t>(kDeviceRate) / static_cast<std::size_t>(rate);
    if (!primed_) {
        // Start from the newest audio: whatever queued before the call began is old.
        const std::size_t have = ring.size();
        if (have > frames_48k) ring.discard(have - frames_48k);
        primed_ = true;
    }
    if (rate != kDeviceRate && (!resampler_ || resampler_->out_rate() != rate)) {
        auto r = media::Resampler::create(kDeviceRate, rate);
        if (r) resampler_.emplace(std::move(r).value());
    }
    in_.resize(frames_48k);
    const std::size_t got = ring.pop(in_);
    std::fill(in_.begin() + static_cast<std::ptrdiff_t>(got), in_.end(), std::int16_t{0});
    // Keep the ring from building latency: more than 3 ticks behind, drop the excess.
    if (ring.size() > 3 * frames_48k) ring.discard(ring.size() - frames_48k);
    if (rate == kDeviceRate || !resampler_) {
        std::copy_n(in_.begin(), std::min(in_.size(), out.size()), out.begin());
        return true;
    }
    resampler_->process(in_, pending_);
    const std::size_t n = std::min(out.size(), pending_.size());
    std::copy_n(pending_.begin(), n, out.begin());
    std::fill(out.begin() + static_cast<std::ptrdiff_t>(n), out.end(), std::int16_t{0});
    pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(n));
    return true;
}

void DeviceSink::write(std::span<const std::int16_t> far_end, std::span<const std::int16_t>, int rate) {
    std::span<const std::int16_t> out = far_end;
    if (rate != kDeviceRate) {
        if (!resampler_ || resampler_->in_rate() != rate) {
            auto r = media::Resampler::create(rate, kDeviceRate);
            if (!r) return;
            resampler_.emplace(std::move(r).value());
        }
        out_.clear();
        resampler_->process(far_end, out_);
        out = out_;
    }
    auto& ring = device_->playback_ring();
    // Bound the play-out latency: if the device fell behind, drop what does not fit.
    (void)ring.push(out);
}

}  // namespace dialtone::io
