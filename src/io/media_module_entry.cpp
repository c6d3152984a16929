// The media module's side of media_backend.hpp: the backend over MediaEngine, PortAudio and the
// audio endpoints, and the one symbol dialtone-media.so exports. Built into the module only.
#include "dialtone/io/media_backend.hpp"
#include "dialtone/io/media_engine.hpp"

namespace dialtone::io {

namespace {

class EngineBackend final : public MediaBackend {
public:
    explicit EngineBackend(const MediaBackendConfig& config) : engine_(engine_config(config)) {}
    ~EngineBackend() override { engine_.stop(); }

    base::Status start() { return engine_.start(); }

    base::Result<std::vector<AudioDeviceInfo>> list_devices() override { return list_audio_devices(); }
    base::Result<std::shared_ptr<AudioDevice>> open_device(const AudioDeviceOptions& options) override {
        return AudioDevice::open(options);
    }

    base::Result<std::unique_ptr<AudioSource>> open_wav_source(const std::string& path, bool loop) override {
        auto source = WavFileSource::open(path, loop);
        if (!source) return source.error();
        return std::unique_ptr<AudioSource>(std::move(*source));
    }
    base::Result<std::unique_ptr<AudioSink>> create_wav_sink(const std::string& path,
                                                             WavSinkChannels channels) override {
        auto sink = WavFileSink::create(path, channels);
        if (!sink) return sink.error();
        return std::unique_ptr<AudioSink>(std::move(*sink));
    }
    std::unique_ptr<AudioSource> silence_source() override { return std::make_unique<SilenceSource>(); }
    std::unique_ptr<AudioSink> null_sink() override { return std::make_unique<NullSink>(); }
    std::unique_ptr<AudioSource> device_source(std::shared_ptr<AudioDevice> device) override {
        return std::make_unique<DeviceSource>(std::move(device));
    }
    std::unique_ptr<AudioSink> device_sink(std::shared_ptr<AudioDevice> device) override {
        return std::make_unique<DeviceSink>(std::move(device));
    }

    base::Result<StreamId> add(const MediaStreamConfig& config, const sdp::NegotiatedMedia& media,
                               std::unique_ptr<AudioSource> source, std::unique_ptr<AudioSink> sink) override {
        auto stream = MediaStream::create(config);
        if (!stream) return stream.error();
        if (auto s = (*stream)->configure(media); !s) return s.error();
        return engine_.add(std::move(*stream), std::move(source), std::move(sink));
    }
    base::Status update(StreamId id, const sdp::NegotiatedMedia& media) override { return engine_.update(id, media); }
    base::Status set_muted(StreamId id, bool muted) override { return engine_.set_muted(id, muted); }
    base::Status send_digit(StreamId id, char digit, std::uint32_t duration_ms) override {
        return engine_.send_digit(id, digit, duration_ms);
    }
    base::Status remove(StreamId id) override { return engine_.remove(id); }
    std::optional<MediaEvent> poll_event() override { return engine_.poll_event(); }
    void stop() override { engine_.stop(); }

private:
    static MediaEngineConfig engine_config(const MediaBackendConfig& config) {
        MediaEngineConfig c;
        c.logger = config.logger;
        return c;
    }

    MediaEngine engine_;
};

base::Result<std::unique_ptr<MediaBackend>> create_backend(const MediaBackendConfig& config) {
    auto backend = std::make_unique<EngineBackend>(config);
    if (auto s = backend->start(); !s) return s.error();
    return std::unique_ptr<MediaBackend>(std::move(backend));
}

}  // namespace

}  // namespace dialtone::io

extern "C" __attribute__((visibility("default"))) const dialtone::io::MediaModuleEntry dialtone_media_module{
    dialtone::io::kMediaBackendVersion, &dialtone::io::create_backend};
