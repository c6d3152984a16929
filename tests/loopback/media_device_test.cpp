// PortAudio for real: a user-mode PulseAudio with a null sink gives the process a playback and
// a capture device; what is played into the sink comes back through its monitor source.
#include <doctest/doctest.h>

#include <dlfcn.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "dialtone/io/audio_device.hpp"
#include "dialtone/io/audio_endpoints.hpp"
#include "dialtone/io/media_engine.hpp"
#include "dialtone/media/tone.hpp"
#include "dialtone/media/tone_detect.hpp"
#include "media_test_util.hpp"

extern char** environ;

using namespace dialtone;

namespace {

// ALSA dlopens its PulseAudio plugins and unloads them when PortAudio terminates, so
// LeakSanitizer could only blame "unknown module"s for their small one-off leaks. Pinned, the
// reports name them, and the suppressions below keep them out of ours.
const bool alsa_plugins_pinned = [] {
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator("/usr/lib/x86_64-linux-gnu/alsa-lib", ec)) {
        if (entry.path().extension() == ".so") (void)dlopen(entry.path().c_str(), RTLD_NOW | RTLD_NODELETE);
    }
    return true;
}();

std::string find_program(const std::string& name) {
    const char* path = std::getenv("PATH");
    std::string p = path ? path : "/usr/bin:/bin";
    std::size_t start = 0;
    while (start <= p.size()) {
        const std::size_t end = std::min(p.find(':', start), p.size());
        const auto candidate = std::filesystem::path(p.substr(start, end - start)) / name;
        if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
        start = end + 1;
    }
    return {};
}

int run(const std::vector<std::string>& argv, bool wait, pid_t* pid_out = nullptr) {
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    pid_t pid = 0;
    const int rc = posix_spawn(&pid, args[0], &fa, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) return -1;
    if (pid_out) *pid_out = pid;
    if (!wait) return 0;
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// A PulseAudio daemon of our own in a temporary runtime directory, stopped by PID.
class PulseServer {
public:
    PulseServer() {
        const std::string pulseaudio = find_program("pulseaudio");
        if (pulseaudio.empty()) {
            error_ = "pulseaudio is not installed (./run setup installs it): the PortAudio test needs it";
            return;
        }
        dir_ = media_test::temp_dir() / "pulse";
        std::filesystem::create_directories(dir_);
        socket_ = (dir_ / "pulse-native").string();
        ::setenv("XDG_RUNTIME_DIR", dir_.c_str(), 1);
        ::setenv("HOME", dir_.c_str(), 1);  // its cookie and state stay in the temp dir
        ::setenv("PULSE_SERVER", ("unix:" + socket_).c_str(), 1);
        run({pulseaudio, "-n", "--daemonize=no", "--exit-idle-time=-1", "--use-pid-file=no",
             "-L", "module-null-sink sink_name=dt_sink rate=48000 channels=1",
             "-L", "module-native-protocol-unix auth-anonymous=1 socket=" + socket_, "-L", "module-always-sink"},
            false, &pid_);
        const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (!std::filesystem::exists(socket_) && std::chrono::steady_clock::now() < give_up) media_test::sleep_ms(50);
        if (!std::filesystem::exists(socket_)) {
            error_ = "pulseaudio did not open its socket within 10 s";
            return;
        }
        const std::string pactl = find_program("pactl");
        // PortAudio reaches PulseAudio through ALSA's "pulse" device, which records from the
        // default source: make that the sink's monitor, chosen by name.
        if (pactl.empty() || run({pactl, "set-default-source", "dt_sink.monitor"}, true) != 0 ||
            run({pactl, "set-default-sink", "dt_sink"}, true) != 0) {
            error_ = "pactl could not select dt_sink.monitor";
        }
    }
    ~PulseServer() {
        if (pid_ > 0) {
            ::kill(pid_, SIGTERM);
            int status = 0;
            waitpid(pid_, &status, 0);
        }
        ::unsetenv("PULSE_SERVER");
    }
    const std::string& error() const { return error_; }

private:
    std::filesystem::path dir_;
    std::string socket_;
    pid_t pid_ = -1;
    std::string error_;
};

}  // namespace

extern "C" const char* __lsan_default_suppressions() {
    return "leak:libasound_module_\n";
}

TEST_CASE("PortAudio: a 1 kHz tone played to the PulseAudio null sink comes back through its monitor") {
    PulseServer pulse;
    INFO(pulse.error());
    REQUIRE(pulse.error().empty());

    auto devices = io::list_audio_devices();
    REQUIRE(devices.ok());
    bool has_pulse = false;
    for (const auto& d : *devices) has_pulse = has_pulse || d.name == "pulse";
    INFO("PortAudio sees " << devices->size() << " devices");
    REQUIRE(has_pulse);

    io::AudioDeviceOptions options;
    options.capture = "pulse";
    options.playback = "pulse";
    auto device = io::AudioDevice::open(options);
    INFO((device.ok() ? std::string() : device.error().message));
    REQUIRE(device.ok());

    // Through the endpoints, as a call uses them: 8 kHz codec audio resampled to 48 kHz and back.
    io::DeviceSink sink(*device);
    io::DeviceSource source(*device);
    auto tone = media::make_sine(1000.0, -12.0, 8000);
    std::vector<std::int16_t> frame(160), silence(160), captured_frame(160), captured;
    const auto start = std::chrono::steady_clock::now();
    auto next = start;
    for (int tick = 0; tick < 100; ++tick) {  // 2 s of 20 ms ticks
        tone.generate(frame);
        sink.write(frame, silence, 8000);
        (void)source.read(captured_frame, 8000);
        captured.insert(captured.end(), captured_frame.begin(), captured_frame.end());
        next += std::chrono::milliseconds(20);
        std::this_thread::sleep_until(next);
    }
    (*device)->close();
    INFO("capture callbacks " << (*device)->capture_callbacks() << ", playback underruns "
                              << (*device)->playback_underruns());
    REQUIRE(captured.size() == 16000);
    const std::vector<std::int16_t> tail(captured.end() - 6000, captured.end());
    auto t = media::analyze_tone(tail, 8000);
    REQUIRE(t.ok());
    INFO("captured " << t->frequency_hz << " Hz at " << t->level_dbfs << " dBFS");
    CHECK(std::abs(t->frequency_hz - 1000.0) <= 20.0);
    CHECK(t->level_dbfs > -30.0);
}

TEST_CASE("PortAudio: an unknown device name is a clear error") {
    PulseServer pulse;
    REQUIRE(pulse.error().empty());
    io::AudioDeviceOptions options;
    options.capture = "no-such-card-xyz";
    auto device = io::AudioDevice::open(options);
    REQUIRE_FALSE(device.ok());
    CHECK(device.error().message == "no audio input device named \"no-such-card-xyz\"");
}

TEST_CASE("PortAudio: a call through the device, paced by its capture clock, end to end over Opus") {
    PulseServer pulse;
    INFO(pulse.error());
    REQUIRE(pulse.error().empty());
    io::AudioDeviceOptions options;
    options.capture = "pulse";
    options.playback = "pulse";
    auto device = io::AudioDevice::open(options);
    INFO((device.ok() ? std::string() : device.error().message));
    REQUIRE(device.ok());

    // A sends a tone; B plays it on the device and sends back what the device captures (the
    // null sink's monitor); A records that. The media thread follows the capture callbacks.
    io::MediaEngineConfig ec;
    ec.pace_device = *device;
    io::MediaEngine engine(ec);
    io::MediaStreamConfig sc;
    sc.rtp.local_address = "127.0.0.1";
    auto a = io::MediaStream::create(sc);
    auto b = io::MediaStream::create(sc);
    REQUIRE(a.ok());
    REQUIRE(b.ok());
    const auto pa = (*a)->local_port(), pb = (*b)->local_port();
    REQUIRE((*a)->configure(media_test::negotiated("opus", pa, pb, media_test::Security::SrtpGcm128, true)).ok());
    REQUIRE((*b)->configure(media_test::negotiated("opus", pb, pa, media_test::Security::SrtpGcm128, false)).ok());
    const std::string file = (media_test::temp_dir() / "device-call-a.wav").string();
    auto rec = io::WavFileSink::create(file, io::WavSinkChannels::FarEnd, 16000);
    REQUIRE(rec.ok());
    auto ida = engine.add(std::move(a).value(), std::make_unique<io::ToneSource>(1000.0, -12.0), std::move(rec).value());
    auto idb = engine.add(std::move(b).value(), std::make_unique<io::DeviceSource>(*device),
                          std::make_unique<io::DeviceSink>(*device));
    REQUIRE(ida.ok());
    REQUIRE(idb.ok());
    REQUIRE(engine.start().ok());
    media_test::sleep_ms(2500);
    engine.stop();
    (*device)->close();
    INFO("ticks " << engine.ticks() << ", capture callbacks " << (*device)->capture_callbacks());
    CHECK(engine.ticks() > 20);  // ~125 on an idle machine; a starved PulseAudio gives fewer
    const auto heard = media_test::read_wav(file, 16000);
    REQUIRE(heard.size() > 16000);
    const std::vector<std::int16_t> tail(heard.end() - 8000, heard.end());
    auto t = media::analyze_tone(tail, 16000);
    REQUIRE(t.ok());
    INFO("A hears " << t->frequency_hz << " Hz at " << t->level_dbfs << " dBFS");
    CHECK(std::abs(t->frequency_hz - 1000.0) <= 20.0);
    CHECK(t->level_dbfs > -30.0);
}
