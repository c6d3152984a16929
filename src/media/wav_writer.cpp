#include <sndfile.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "dialtone/media/wav.hpp"

namespace dialtone::media {

void WavWriter::Close::operator()(sf_private_tag* f) const { sf_close(f); }

base::Result<WavWriter> WavWriter::create(const std::string& path, int sample_rate, int channels) {
    if (channels != 1 && channels != 2) {
        return base::make_error("cannot create " + path + ": " + std::to_string(channels) +
                                " channels (a recording has 1 or 2)");
    }
    if (sample_rate <= 0) {
        return base::make_error("cannot create " + path + ": sample rate " + std::to_string(sample_rate) +
                                " is not positive");
    }
    SF_INFO info{};
    info.samplerate = sample_rate;
    info.channels = channels;
    info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
    errno = 0;
    SNDFILE* raw = sf_open(path.c_str(), SFM_WRITE, &info);
    if (raw == nullptr) {
        const int err = sf_error(nullptr);
        if (err == SF_ERR_SYSTEM && errno != 0) return base::make_error("cannot create " + path + ": " + std::strerror(errno));
        return base::make_error("cannot create " + path + ": " + sf_strerror(nullptr));
    }
    WavWriter w;
    w.file_.reset(raw);
    // Rewrite the header after every write, so a file cut short by a crash or SIGKILL still
    // says how long it is; close() writes it a final time.
    sf_command(raw, SFC_SET_UPDATE_HEADER_AUTO, nullptr, SF_TRUE);
    w.path_ = path;
    w.rate_ = sample_rate;
    w.channels_ = channels;
    return w;
}

base::Status WavWriter::write(std::span<const std::int16_t> interleaved) {
    if (!file_) return base::make_error("cannot write " + path_ + ": the file is closed");
    const auto channels = static_cast<std::size_t>(channels_);
    if (interleaved.size() % channels != 0) {
        return base::make_error("cannot write " + path_ + ": " + std::to_string(interleaved.size()) +
                                " samples is not a whole number of " + std::to_string(channels_) + "-channel frames");
    }
    const auto frames = static_cast<sf_count_t>(interleaved.size() / channels);
    const sf_count_t done = sf_writef_short(file_.get(), interleaved.data(), frames);
    frames_ += done;
    if (done != frames) return base::make_error("cannot write " + path_ + ": " + sf_strerror(file_.get()));
    return {};
}

base::Status WavWriter::write_stereo(std::span<const std::int16_t> far_end, std::span<const std::int16_t> near_end) {
    if (channels_ != 2) return base::make_error("cannot write two channels to the mono file " + path_);
    const std::size_t frames = std::max(far_end.size(), near_end.size());
    interleave_.assign(frames * 2, 0);
    for (std::size_t i = 0; i < far_end.size(); ++i) interleave_[2 * i] = far_end[i];
    for (std::size_t i = 0; i < near_end.size(); ++i) interleave_[2 * i + 1] = near_end[i];
    return write(interleave_);
}

base::Status WavWriter::close() {
    if (!file_) return {};
    const int rc = sf_close(file_.release());
    if (rc != 0) return base::make_error("cannot finish " + path_ + ": " + sf_error_number(rc));
    return {};
}

}  // namespace dialtone::media
