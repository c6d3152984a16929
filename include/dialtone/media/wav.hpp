#pragma once
// WAV files through libsndfile: a reader that gives mono 16-bit samples at the rate the caller
// asks for (any file rate and channel count; channels are averaged), optionally looping, and a
// writer of 16-bit PCM in one channel or two (far end left, near end right).
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "dialtone/base/result.hpp"
#include "dialtone/media/resampler.hpp"

struct sf_private_tag;  // libsndfile's SNDFILE

namespace dialtone::media {

struct WavReaderOptions {
    int sample_rate = 8000;  // rate of the samples read() gives
    bool loop = false;       // start again at the end instead of ending
    int resample_quality = 5;
};

class WavReader {
public:
    // Errors name the file: "cannot open <path>: <reason>", "<path>: not a WAV file", …
    static base::Result<WavReader> open(const std::string& path, const WavReaderOptions& options);

    // Fills `out` with the next samples and returns how many; fewer than out.size() only when
    // the file has ended (never, when looping a non-empty file).
    std::size_t read(std::span<std::int16_t> out);
    // True once read() has given every sample of a non-looping file.
    bool at_end() const { return file_done_ && pending_pos_ == pending_.size(); }

    const std::string& path() const { return path_; }
    int file_sample_rate() const { return file_rate_; }
    int file_channels() const { return file_channels_; }
    std::int64_t file_frames() const { return file_frames_; }

private:
    struct Close { void operator()(sf_private_tag* f) const; };
    WavReader() = default;
    void refill();

    std::unique_ptr<sf_private_tag, Close> file_;
    std::string path_;
    WavReaderOptions options_;
    int file_rate_ = 0;
    int file_channels_ = 0;
    std::int64_t file_frames_ = 0;
    std::optional<Resampler> resampler_;
    std::vector<std::int16_t> frames_;   // interleaved, as read from the file
    std::vector<std::int16_t> mono_;
    std::vector<std::int16_t> pending_;  // converted samples not yet given out
    std::size_t pending_pos_ = 0;
    bool file_done_ = false;
};

class WavWriter {
public:
    // channels: 1, or 2 for far end (left) and near end (right).
    static base::Result<WavWriter> create(const std::string& path, int sample_rate, int channels = 1);

    WavWriter(WavWriter&&) noexcept = default;
    WavWriter& operator=(WavWriter&&) noexcept = default;  // closes the file it replaces
    ~WavWriter() = default;  // closes (and so finalises) the file if close() was not called

    // Interleaved frames: size must be a multiple of channels().
    base::Status write(std::span<const std::int16_t> interleaved);
    // Two-channel files: one buffer per side; the shorter is padded with silence.
    base::Status write_stereo(std::span<const std::int16_t> far_end, std::span<const std::int16_t> near_end);
    // Finalises the header and closes the file; later writes fail. Safe to call twice.
    base::Status close();

    bool is_open() const { return file_ != nullptr; }
    int channels() const { return channels_; }
    int sample_rate() const { return rate_; }
    std::int64_t frames_written() const { return frames_; }
    const std::string& path() const { return path_; }

private:
    struct Close { void operator()(sf_private_tag* f) const; };
    WavWriter() = default;

    std::unique_ptr<sf_private_tag, Close> file_;
    std::string path_;
    int rate_ = 0;
    int channels_ = 1;
    std::int64_t frames_ = 0;
    std::vector<std::int16_t> interleave_;
};

}  // namespace dialtone::media
