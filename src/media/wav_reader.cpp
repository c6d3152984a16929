#include <sndfile.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "dialtone/media/wav.hpp"

namespace dialtone::media {

namespace {

constexpr std::size_t kChunkFrames = 1024;

bool is_wav(int format) {
    const int major = format & SF_FORMAT_TYPEMASK;
    return major == SF_FORMAT_WAV || major == SF_FORMAT_WAVEX || major == SF_FORMAT_RF64;
}

std::string major_format_name(int format) {
    SF_FORMAT_INFO info{};
    info.format = format & SF_FORMAT_TYPEMASK;
    if (sf_command(nullptr, SFC_GET_FORMAT_INFO, &info, sizeof(info)) == 0 && info.name != nullptr) {
        return info.name;
    }
    return "another format";
}

}  // namespace

void WavReader::Close::operator()(sf_private_tag* f) const { sf_close(f); }

base::Result<WavReader> WavReader::open(const std::string& path, const WavReaderOptions& options) {
    if (options.sample_rate <= 0) {
        return base::make_error("cannot read " + path + ": sample rate " + std::to_string(options.sample_rate) +
                                " is not positive");
    }
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) return base::make_error("cannot open " + path + ": Is a directory");

    SF_INFO info{};
    errno = 0;
    SNDFILE* raw = sf_open(path.c_str(), SFM_READ, &info);
    if (raw == nullptr) {
        const int err = sf_error(nullptr);
        if (err == SF_ERR_SYSTEM) {
            return base::make_error("cannot open " + path + ": " + std::strerror(errno != 0 ? errno : EIO));
        }
        if (err == SF_ERR_UNRECOGNISED_FORMAT) return base::make_error(path + ": not a WAV file");
        return base::make_error(path + ": not a readable WAV file (" + sf_strerror(nullptr) + ")");
    }
    WavReader r;
    r.file_.reset(raw);
    if (!is_wav(info.format)) {
        return base::make_error(path + ": not a WAV file (it is " + major_format_name(info.format) + ")");
    }
    if (info.channels <= 0 || info.samplerate <= 0) {
        return base::make_error(path + ": WAV header gives " + std::to_string(info.channels) + " channels at " +
                                std::to_string(info.samplerate) + " Hz");
    }
    r.path_ = path;
    r.options_ = options;
    r.file_rate_ = info.samplerate;
    r.file_channels_ = info.channels;
    r.file_frames_ = info.frames;
    if (info.samplerate != options.sample_rate) {
        auto rs = Resampler::create(info.samplerate, options.sample_rate, options.resample_quality);
        if (!rs) return base::make_error("cannot read " + path + ": " + rs.error().message);
        r.resampler_.emplace(std::move(rs).value());
    }
    r.frames_.resize(kChunkFrames * static_cast<std::size_t>(info.channels));
    r.mono_.reserve(kChunkFrames);
    return r;
}

void WavReader::refill() {
    pending_.clear();
    pending_pos_ = 0;
    if (file_done_) return;
    sf_count_t got = sf_readf_short(file_.get(), frames_.data(), static_cast<sf_count_t>(kChunkFrames));
    if (got <= 0 && options_.loop && file_frames_ > 0) {
        // Looping: back to the first frame; the resampler's state carries over the seam.
        if (sf_seek(file_.get(), 0, SEEK_SET) == 0) {
            got = sf_readf_short(file_.get(), frames_.data(), static_cast<sf_count_t>(kChunkFrames));
        }
    }
    if (got <= 0) {
        file_done_ = true;
        // Push the filter's last samples out with silence so the end of the file is heard.
        if (resampler_) {
            mono_.assign(static_cast<std::size_t>(resampler_->input_latency()), 0);
            resampler_->process(mono_, pending_);
        }
        return;
    }
    // Mono mixdown: the mean of the channels.
    const auto channels = static_cast<std::size_t>(file_channels_);
    mono_.resize(static_cast<std::size_t>(got));
    for (std::size_t i = 0; i < mono_.size(); ++i) {
        int sum = 0;
        for (std::size_t c = 0; c < channels; ++c) sum += frames_[i * channels + c];
        mono_[i] = static_cast<std::int16_t>(sum / static_cast<int>(channels));
    }
    if (resampler_) {
        resampler_->process(mono_, pending_);
    } else {
        pending_.swap(mono_);
    }
}

std::size_t WavReader::read(std::span<std::int16_t> out) {
    std::size_t written = 0;
    while (written < out.size()) {
        if (pending_pos_ == pending_.size()) {
            if (file_done_) break;
            refill();
            continue;
        }
        const std::size_t n = std::min(out.size() - written, pending_.size() - pending_pos_);
        std::copy_n(pending_.begin() + static_cast<std::ptrdiff_t>(pending_pos_), n,
                    out.begin() + static_cast<std::ptrdiff_t>(written));
        pending_pos_ += n;
        written += n;
    }
    return written;
}

}  // namespace dialtone::media
