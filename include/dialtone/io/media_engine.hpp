#pragma once
// The media thread: one clock for every stream. It ticks each packet time on an absolute
// deadline (clock_nanosleep TIMER_ABSTIME: no drift), or follows the capture device when one
// paces it, and moves every active stream's audio in both directions. The signalling thread
// adds, updates and removes streams through a lock-free command queue and reads digits, "file
// finished" and stats through a lock-free event queue; nothing locks the audio path, and no
// thread is made per call. With no stream (and no device pacing it) the thread sleeps until a
// command arrives.
//
// The control functions (add, update, …, poll_event) must all be called from one thread.
#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <thread>
#include <unordered_map>

#include "dialtone/base/result.hpp"
#include "dialtone/io/audio_device.hpp"
#include "dialtone/io/log.hpp"
#include "dialtone/io/media_event.hpp"
#include "dialtone/io/media_stream.hpp"
#include "dialtone/media/spsc_ring.hpp"
#include "dialtone/sdp/negotiated_media.hpp"

namespace dialtone::io {

struct MediaEngineConfig {
    int tick_ms = 20;
    int stats_interval_ms = 1000;     // 0: no periodic Stats events
    // When set, each tick waits for a tick's worth of captured audio instead of the clock.
    std::shared_ptr<AudioDevice> pace_device;
    std::size_t command_capacity = 1024;
    std::size_t event_capacity = 8192;
    Logger logger;
};

class MediaEngine {
public:
    explicit MediaEngine(MediaEngineConfig config = {});
    ~MediaEngine();  // stop()
    MediaEngine(const MediaEngine&) = delete;
    MediaEngine& operator=(const MediaEngine&) = delete;

    // Starts the media thread.
    base::Status start();
    // Stops the thread, runs commands still queued, and closes every stream (recordings are
    // finalised). Safe twice.
    void stop();
    bool running() const { return thread_.joinable(); }

    base::Result<StreamId> add(std::unique_ptr<MediaStream> stream, std::unique_ptr<AudioSource> source,
                               std::unique_ptr<AudioSink> sink);
    base::Status update(StreamId id, const sdp::NegotiatedMedia& media);
    base::Status set_muted(StreamId id, bool muted);
    base::Status send_digit(StreamId id, char digit, std::uint32_t duration_ms);
    base::Status set_source(StreamId id, std::unique_ptr<AudioSource> source);
    base::Status set_sink(StreamId id, std::unique_ptr<AudioSink> sink);
    base::Status remove(StreamId id);

    std::optional<MediaEvent> poll_event();

    // One tick on the calling thread, for tests and benchmarks that drive time themselves.
    // Only while the thread is not running.
    void run_once();
    std::uint64_t ticks() const { return ticks_.load(std::memory_order_relaxed); }
    std::uint64_t late_ticks() const { return late_ticks_.load(std::memory_order_relaxed); }

private:
    using Command = std::function<void()>;
    base::Status post(Command command);
    void run_commands();
    void tick_streams();
    void loop();
    void wake();
    // With no stream: runs queued commands, then sleeps until the next post() or stop(). False
    // when there is a stream to tick (or the engine stops) and no sleep happened.
    bool sleep_while_idle();
    void wait_for_device(std::int64_t& deadline_ns);
    void emit(const MediaEvent& event);
    void emit_error(StreamId id, std::string_view message);
    void close_stream(StreamId id);

    MediaEngineConfig config_;
    media::SpscRing<Command*> commands_;
    media::SpscRing<MediaEvent> events_;
    // Owned by the media thread (or by the caller of run_once / stop once it has joined).
    std::unordered_map<StreamId, std::unique_ptr<MediaStream>> streams_;
    std::uint64_t stats_every_ticks_ = 0;
    std::thread thread_;
    std::atomic<bool> stop_{false};
    // Bumped by every post() and by stop(): the clock-paced thread with no stream sleeps on it
    // instead of ticking, so an idle process makes no wake-ups.
    std::atomic<std::uint32_t> posted_{0};
    std::atomic<std::uint64_t> ticks_{0};
    std::atomic<std::uint64_t> late_ticks_{0};
    StreamId next_id_ = 1;
};

}  // namespace dialtone::io
