#pragma once
// A sound card through PortAudio: capture and playback as two separate callback streams at
// 48 kHz mono (one full-duplex stream through ALSA's pulse device stalls). The callbacks only
// copy samples to and from lock-free rings; the media thread does everything else.
#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "dialtone/base/result.hpp"
#include "dialtone/media/spsc_ring.hpp"

namespace dialtone::io {

inline constexpr int kDeviceRate = 48000;

struct AudioDeviceInfo {
    int index = 0;
    std::string name;
    std::string host_api;
    int max_input_channels = 0;
    int max_output_channels = 0;
    double default_rate = 0;
};

// Every device PortAudio sees (ALSA and JACK start-up noise silenced). Empty without a card.
base::Result<std::vector<AudioDeviceInfo>> list_audio_devices();

struct AudioDeviceOptions {
    // A device index ("3"), an exact name, or a unique part of one; empty: the default device.
    std::string capture;
    std::string playback;
    bool open_capture = true;
    bool open_playback = true;
    int frames_per_buffer = 480;   // 10 ms at 48 kHz
    double latency_s = 0.02;       // suggested latency for both streams
    std::size_t ring_ms = 400;     // room in each ring
};

class AudioDevice {
public:
    // "no audio device: use --null-audio or --play/--record" when nothing is there; names the
    // device and PortAudio's reason when opening fails.
    static base::Result<std::shared_ptr<AudioDevice>> open(const AudioDeviceOptions& options);
    ~AudioDevice();
    AudioDevice(const AudioDevice&) = delete;
    AudioDevice& operator=(const AudioDevice&) = delete;

    // Filled by the capture callback, drained by the media thread (48 kHz mono).
    media::SpscRing<std::int16_t>& capture_ring() { return capture_ring_; }
    // Filled by the media thread, drained by the playback callback.
    media::SpscRing<std::int16_t>& playback_ring() { return playback_ring_; }

    bool has_capture() const { return capture_ != nullptr; }
    bool has_playback() const { return playback_ != nullptr; }
    const std::string& capture_name() const { return capture_name_; }
    const std::string& playback_name() const { return playback_name_; }

    // Counters the callbacks keep (relaxed atomics).
    std::uint64_t capture_overflows() const { return capture_overflow_.load(std::memory_order_relaxed); }
    std::uint64_t playback_underruns() const { return playback_underrun_.load(std::memory_order_relaxed); }
    std::uint64_t capture_callbacks() const { return capture_callbacks_.load(std::memory_order_relaxed); }

    // Stops both streams; the rings stay readable. Safe twice.
    void close();

private:
    explicit AudioDevice(std::size_t ring_samples) : capture_ring_(ring_samples), playback_ring_(ring_samples) {}
    friend struct AudioDeviceCallbacks;  // the PortAudio callbacks

    media::SpscRing<std::int16_t> capture_ring_;
    media::SpscRing<std::int16_t> playback_ring_;
    void* capture_ = nullptr;   // PaStream*
    void* playback_ = nullptr;  // PaStream*
    std::string capture_name_, playback_name_;
    std::atomic<std::uint64_t> capture_overflow_{0}, playback_underrun_{0}, capture_callbacks_{0};
    bool initialized_ = false;
};

}  // namespace dialtone::io
