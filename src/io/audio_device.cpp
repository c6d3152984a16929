#include "dialtone/io/audio_device.hpp"

#include <portaudio.h>

#include <dlfcn.h>

#include <algorithm>
#include <charconv>
#include <optional>
#include <cstring>
#include <mutex>

namespace dialtone::io {
namespace {

// With no sound card ALSA and JACK print ~100 lines while PortAudio probes. Both libraries are
// already loaded by PortAudio; look their error hooks up at run time and give them no-ops.
extern "C" void alsa_quiet(const char*, int, const char*, int, const char*, ...) {}
extern "C" void jack_quiet(const char*) {}

void silence_backends() {
    using AlsaHandler = void (*)(const char*, int, const char*, int, const char*, ...);
    using AlsaSet = int (*)(AlsaHandler);
    using JackSet = void (*)(void (*)(const char*));
    if (void* f = dlsym(RTLD_DEFAULT, "snd_lib_error_set_handler")) reinterpret_cast<AlsaSet>(f)(&alsa_quiet);
    if (void* f = dlsym(RTLD_DEFAULT, "jack_set_error_function")) reinterpret_cast<JackSet>(f)(&jack_quiet);
    if (void* f = dlsym(RTLD_DEFAULT, "jack_set_info_function")) reinterpret_cast<JackSet>(f)(&jack_quiet);
}

// Pa_Initialize/Pa_Terminate are process-wide and counted by PortAudio; serialise them.
std::mutex& pa_mutex() {
    static std::mutex m;
    return m;
}

base::Status pa_init() {
    std::lock_guard lock(pa_mutex());
    silence_backends();
    const PaError e = Pa_Initialize();
    if (e != paNoError) return base::make_error(std::string("cannot start PortAudio: ") + Pa_GetErrorText(e));
    return {};
}

void pa_done() {
    std::lock_guard lock(pa_mutex());
    Pa_Terminate();
}

AudioDeviceInfo info_for(int index) {
    const PaDeviceInfo* d = Pa_GetDeviceInfo(index);
    AudioDeviceInfo i;
    i.index = index;
    if (!d) return i;
    i.name = d->name ? d->name : "";
    if (const PaHostApiInfo* h = Pa_GetHostApiInfo(d->hostApi)) i.host_api = h->name ? h->name : "";
    i.max_input_channels = d->maxInputChannels;
    i.max_output_channels = d->maxOutputChannels;
    i.default_rate = d->defaultSampleRate;
    return i;
}

// A spec of digits only is an index: "99999999999" is an error, not an abort (std::stoi threw).
base::Result<std::optional<int>> device_index(const std::string& spec) {
    if (spec.empty() || !std::all_of(spec.begin(), spec.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return std::optional<int>{};
    int index = 0;
    const auto [end, ec] = std::from_chars(spec.data(), spec.data() + spec.size(), index);
    if (ec != std::errc() || end != spec.data() + spec.size())
        return base::make_error("audio device index " + spec + " is out of range (see dialtone devices)");
    return std::optional<int>{index};
}

// "3", an exact name, or a unique substring; empty: the default device.
base::Result<int> find_device(const std::string& spec, bool input) {
    const int count = Pa_GetDeviceCount();
    auto usable = [input](const PaDeviceInfo* d) { return d && (input ? d->maxInputChannels : d->maxOutputChannels) > 0; };
    if (spec.empty()) {
        const int def = input ? Pa_GetDefaultInputDevice() : Pa_GetDefaultOutputDevice();
        if (def != paNoDevice) return def;
        for (int i = 0; i < count; ++i) {
            if (usable(Pa_GetDeviceInfo(i))) return i;
        }
        return base::make_error("no audio device: use --null-audio or --play/--record");
    }
    if (auto n = device_index(spec); !n) {
        return n.error();
    } else if (*n) {
        const int index = **n;
        if (index < count && usable(Pa_GetDeviceInfo(index))) return index;
        return base::make_error("audio device " + spec + " does not exist or has no " + (input ? "input" : "output"));
    }
    int found = -1, matches = 0;
    for (int i = 0; i < count; ++i) {
        const PaDeviceInfo* d = Pa_GetDeviceInfo(i);
        if (!usable(d)) continue;
        if (spec == d->name) return i;
        if (std::strstr(d->name, spec.c_str())) {
            found = i;
            ++matches;
        }
    }
    if (matches == 1) return found;
    if (matches > 1) return base::make_error("audio device name \"" + spec + "\" matches several devices; give its index");
    return base::make_error("no audio " + std::string(input ? "input" : "output") + " device named \"" + spec + "\"");
}

}  // namespace

// Real-time callbacks: copy to or from a ring, count, return. No lock, no allocation, no log.
struct AudioDeviceCallbacks {
    static int capture(const void* input, void*, unsigned long frames, const PaStreamCallbackTimeInfo*,
                       PaStreamCallbackFlags, void* self) {
        auto* dev = static_cast<AudioDevice*>(self);
        dev->capture_callbacks_.fetch_add(1, std::memory_order_relaxed);
        if (!input) return paContinue;
        const std::span<const std::int16_t> in(static_cast<const std::int16_t*>(input), frames);
        if (dev->capture_ring_.push(in) < frames) dev->capture_overflow_.fetch_add(1, std::memory_order_relaxed);
        return paContinue;
    }
    static int playback(const void*, void* output, unsigned long frames, const PaStreamCallbackTimeInfo*,
                        PaStreamCallbackFlags, void* self) {
        auto* dev = static_cast<AudioDevice*>(self);
        const std::span<std::int16_t> out(static_cast<std::int16_t*>(output), frames);
        const std::size_t got = dev->playback_ring_.pop(out);
        if (got < frames) {
            std::fill(out.begin() + static_cast<std::ptrdiff_t>(got), out.end(), std::int16_t{0});
            dev->playback_underrun_.fetch_add(1, std::memory_order_relaxed);
        }
        return paContinue;
    }
};

base::Result<std::vector<AudioDeviceInfo>> list_audio_devices() {
    if (auto st = pa_init(); !st) return st.error();
    std::vector<AudioDeviceInfo> out;
    const int count = Pa_GetDeviceCount();
    for (int i = 0; i < count; ++i) out.push_back(info_for(i));
    pa_done();
    return out;
}

base::Result<std::shared_ptr<AudioDevice>> AudioDevice::open(const AudioDeviceOptions& options) {
    for (const std::string* spec : {&options.capture, &options.playback})
        if (auto n = device_index(*spec); !n) return n.error();
    if (auto st = pa_init(); !st) return st.error();
    const std::size_t ring = std::max<std::size_t>(options.ring_ms, 40) * kDeviceRate / 1000;
    std::shared_ptr<AudioDevice> dev(new AudioDevice(ring));
    dev->initialized_ = true;
    if (Pa_GetDeviceCount() <= 0) return base::make_error("no audio device: use --null-audio or --play/--record");

    auto open_one = [&](bool input, const std::string& spec) -> base::Status {
        auto index = find_device(spec, input);
        if (!index) return index.error();
        const PaDeviceInfo* d = Pa_GetDeviceInfo(*index);
        PaStreamParameters p{};
        p.device = *index;
        p.channelCount = 1;
        p.sampleFormat = paInt16;
        p.suggestedLatency = std::max(options.latency_s, input ? d->defaultLowInputLatency : d->defaultLowOutputLatency);
        PaStream* stream = nullptr;
        const PaError e = Pa_OpenStream(&stream, input ? &p : nullptr, input ? nullptr : &p, kDeviceRate,
                                        static_cast<unsigned long>(options.frames_per_buffer), paClipOff,
                                        input ? &AudioDeviceCallbacks::capture : &AudioDeviceCallbacks::playback, dev.get());
        const std::string what = std::string(input ? "capture" : "playback") + " device \"" + d->name + "\"";
        if (e != paNoError) return base::make_error("cannot open " + what + ": " + Pa_GetErrorText(e));
        if (const PaError s = Pa_StartStream(stream); s != paNoError) {
            Pa_CloseStream(stream);
            return base::make_error("cannot start " + what + ": " + Pa_GetErrorText(s));
        }
        (input ? dev->capture_ : dev->playback_) = stream;
        (input ? dev->capture_name_ : dev->playback_name_) = d->name;
        return {};
    };
    if (options.open_capture) {
        if (auto st = open_one(true, options.capture); !st) return st.error();
    }
    if (options.open_playback) {
        if (auto st = open_one(false, options.playback); !st) return st.error();
    }
    return dev;
}

AudioDevice::~AudioDevice() {
    close();
    if (initialized_) pa_done();
}

void AudioDevice::close() {
    for (void** s : {&capture_, &playback_}) {
        if (*s) {
            Pa_StopStream(static_cast<PaStream*>(*s));
            Pa_CloseStream(static_cast<PaStream*>(*s));
            *s = nullptr;
        }
    }
}

}  // namespace dialtone::io
