#pragma once
// The media stack as the app sees it: sound cards, audio sources and sinks, and streams on the
// media thread. Everything behind this interface (oRTP, PortAudio, libsndfile, libsrtp2, Opus,
// speexdsp) lives in the module dialtone-media.so, loaded on first use (media_module.hpp): the
// dynamic loader spends more time and memory on those libraries than dialtone spends on
// registering or sending an INVITE, and signalling alone needs none of them.
//
// The app and the module are built from one tree and share these types as they are (std::string,
// std::unique_ptr, base::Result); kMediaBackendVersion guards against a module from another build.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "dialtone/base/result.hpp"
#include "dialtone/io/audio_device.hpp"
#include "dialtone/io/audio_endpoints.hpp"
#include "dialtone/io/log.hpp"
#include "dialtone/io/media_event.hpp"
#include "dialtone/io/media_stream.hpp"
#include "dialtone/sdp/negotiated_media.hpp"

namespace dialtone::io {

// Bump whenever this interface or a type it passes (MediaStreamConfig, MediaEvent, the audio
// endpoint classes, …) changes shape.
inline constexpr std::uint32_t kMediaBackendVersion = 1;

struct MediaBackendConfig {
    Logger logger;  // also called from the media thread: must be thread-safe
};

class MediaBackend {
public:
    // Stops the media thread first: every stream closes and recordings are finalised.
    virtual ~MediaBackend() = default;

    // Sound cards (PortAudio).
    virtual base::Result<std::vector<AudioDeviceInfo>> list_devices() = 0;
    virtual base::Result<std::shared_ptr<AudioDevice>> open_device(const AudioDeviceOptions& options) = 0;

    // Where a stream's audio comes from and goes to (audio_endpoints.hpp).
    virtual base::Result<std::unique_ptr<AudioSource>> open_wav_source(const std::string& path, bool loop) = 0;
    virtual base::Result<std::unique_ptr<AudioSink>> create_wav_sink(const std::string& path,
                                                                     WavSinkChannels channels) = 0;
    virtual std::unique_ptr<AudioSource> silence_source() = 0;
    virtual std::unique_ptr<AudioSink> null_sink() = 0;
    virtual std::unique_ptr<AudioSource> device_source(std::shared_ptr<AudioDevice> device) = 0;
    virtual std::unique_ptr<AudioSink> device_sink(std::shared_ptr<AudioDevice> device) = 0;

    // Streams (MediaEngine): the control calls must all come from one thread.
    // Binds the RTP port, applies the negotiated media and hands the stream to the media thread.
    virtual base::Result<StreamId> add(const MediaStreamConfig& config, const sdp::NegotiatedMedia& media,
                                       std::unique_ptr<AudioSource> source, std::unique_ptr<AudioSink> sink) = 0;
    virtual base::Status update(StreamId id, const sdp::NegotiatedMedia& media) = 0;
    virtual base::Status set_muted(StreamId id, bool muted) = 0;
    virtual base::Status send_digit(StreamId id, char digit, std::uint32_t duration_ms) = 0;
    virtual base::Status remove(StreamId id) = 0;
    virtual std::optional<MediaEvent> poll_event() = 0;
    // Runs the commands still queued and closes every stream; events stay readable. Safe twice.
    virtual void stop() = 0;
};

// The one symbol the module exports, found with dlsym(kMediaModuleSymbol).
struct MediaModuleEntry {
    std::uint32_t version;  // kMediaBackendVersion of the build that made the module
    base::Result<std::unique_ptr<MediaBackend>> (*create)(const MediaBackendConfig& config);
};

inline constexpr const char* kMediaModuleSymbol = "dialtone_media_module";
inline constexpr const char* kMediaModuleFile = "dialtone-media.so";

}  // namespace dialtone::io
