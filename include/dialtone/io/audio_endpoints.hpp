#pragma once
// Where a stream's audio comes from and goes to. The media thread calls these once per packet
// time with mono 16-bit PCM at the codec's rate; implementations convert as they need.
// Sources: WAV file (optionally looping), tone, silence, capture device.
// Sinks: WAV file (far end mono, or far + near stereo), discard, playback device.
#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "dialtone/base/result.hpp"
#include "dialtone/media/resampler.hpp"
#include "dialtone/media/tone.hpp"
#include "dialtone/media/wav.hpp"

namespace dialtone::io {

class AudioDevice;

class AudioSource {
public:
    virtual ~AudioSource() = default;
    // Fills `out` (one frame at `rate` Hz). Returns false once the source has nothing more to
    // give (a file played to its end); `out` is then silence.
    virtual bool read(std::span<std::int16_t> out, int rate) = 0;
    // True once read() has returned false: the app may hang up after a --play file.
    virtual bool finished() const { return false; }
};

class AudioSink {
public:
    virtual ~AudioSink() = default;
    // One frame of what the far end sent (decoded, concealed, or silence) and of what was sent
    // to it (near end), both at `rate` Hz and of equal length.
    virtual void write(std::span<const std::int16_t> far_end, std::span<const std::int16_t> near_end,
                       int rate) = 0;
    // Finalises whatever the sink keeps (a WAV header). Called when the stream stops; safe twice.
    virtual base::Status close() { return {}; }
};

// Digital silence: what --null-audio sends.
class SilenceSource final : public AudioSource {
public:
    bool read(std::span<std::int16_t> out, int rate) override;
};

// Received audio is decoded and counted, then dropped.
class NullSink final : public AudioSink {
public:
    void write(std::span<const std::int16_t>, std::span<const std::int16_t>, int) override {}
};

// A continuous sine (tests, the demo): generated at whatever rate is asked, phase kept.
class ToneSource final : public AudioSource {
public:
    ToneSource(double frequency_hz, double level_dbfs) : frequency_(frequency_hz), level_(level_dbfs) {}
    bool read(std::span<std::int16_t> out, int rate) override;

private:
    double frequency_;
    double level_;
    std::optional<media::ToneGenerator> tone_;
};

// A WAV file as the microphone (--play). Any rate and channel count; mixed down and resampled.
class WavFileSource final : public AudioSource {
public:
    // Opens the file now, so a bad path fails before the call: "cannot open <path>: …".
    static base::Result<std::unique_ptr<WavFileSource>> open(const std::string& path, bool loop);

    bool read(std::span<std::int16_t> out, int rate) override;
    bool finished() const override { return finished_.load(std::memory_order_acquire); }

private:
    WavFileSource(std::string path, bool loop, media::WavReader reader, int rate)
        : path_(std::move(path)), loop_(loop), reader_(std::move(reader)), rate_(rate) {}
    std::string path_;
    bool loop_;
    std::optional<media::WavReader> reader_;
    int rate_;
    std::atomic<bool> finished_{false};
};

enum class WavSinkChannels { FarEnd, FarAndNear };

// Records the call (--record): mono far end, or stereo far end left / near end right. The file is
// created at the first frame with the stream's rate unless `sample_rate` is given.
class WavFileSink final : public AudioSink {
public:
    static base::Result<std::unique_ptr<WavFileSink>> create(const std::string& path, WavSinkChannels channels,
                                                             int sample_rate = 0);

    void write(std::span<const std::int16_t> far_end, std::span<const std::int16_t> near_end, int rate) override;
    base::Status close() override;
    ~WavFileSink() override;

    const std::string& path() const { return path_; }
    // The first write or close error, if any (the media thread cannot report it as it happens).
    const std::optional<base::Error>& error() const { return error_; }

private:
    WavFileSink(std::string path, WavSinkChannels channels, int rate)
        : path_(std::move(path)), channels_(channels), rate_(rate) {}
    std::string path_;
    WavSinkChannels channels_;
    int rate_;
    std::optional<media::WavWriter> writer_;
    std::optional<media::Resampler> far_resampler_, near_resampler_;
    std::vector<std::int16_t> far_, near_;
    std::optional<base::Error> error_;
    bool closed_ = false;
};

// Capture side of an AudioDevice: 48 kHz ring → codec rate. Several sources must not share a device.
class DeviceSource final : public AudioSource {
public:
    explicit DeviceSource(std::shared_ptr<AudioDevice> device) : device_(std::move(device)) {}
    bool read(std::span<std::int16_t> out, int rate) override;

private:
    std::shared_ptr<AudioDevice> device_;
    std::optional<media::Resampler> resampler_;
    std::vector<std::int16_t> in_, pending_;
    bool primed_ = false;
};

// Playback side of an AudioDevice: codec rate → 48 kHz ring.
class DeviceSink final : public AudioSink {
public:
    explicit DeviceSink(std::shared_ptr<AudioDevice> device) : device_(std::move(device)) {}
    void write(std::span<const std::int16_t> far_end, std::span<const std::int16_t> near_end, int rate) override;

private:
    std::shared_ptr<AudioDevice> device_;
    std::optional<media::Resampler> resampler_;
    std::vector<std::int16_t> out_;
};

}  // namespace dialtone::io
