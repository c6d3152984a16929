#include "dialtone/io/media_engine.hpp"

#include <algorithm>
#include <cerrno>
#include <ctime>

namespace dialtone::io {
namespace {

constexpr std::int64_t kNsPerMs = 1'000'000;

std::int64_t monotonic_ns() {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

void sleep_until_ns(std::int64_t deadline) {
    timespec ts{};
    ts.tv_sec = static_cast<time_t>(deadline / 1'000'000'000);
    ts.tv_nsec = static_cast<long>(deadline % 1'000'000'000);
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nullptr) == EINTR) {
    }
}

}  // namespace

MediaEngine::MediaEngine(MediaEngineConfig config)
    : config_(std::move(config)), commands_(config_.command_capacity), events_(config_.event_capacity) {
    if (config_.tick_ms <= 0) config_.tick_ms = 20;
    if (config_.stats_interval_ms > 0) {
        stats_every_ticks_ = static_cast<std::uint64_t>(std::max(1, config_.stats_interval_ms / config_.tick_ms));
    }
}

MediaEngine::~MediaEngine() {
    stop();
    Command* c = nullptr;
    while (commands_.pop({&c, 1}) == 1) delete c;
}

base::Status MediaEngine::start() {
    if (thread_.joinable()) return base::make_error("media engine already running");
    stop_.store(false);
    thread_ = std::thread([this] { loop(); });
    return {};
}

void MediaEngine::stop() {
    if (thread_.joinable()) {
        stop_.store(true, std::memory_order_release);
        wake();
        thread_.join();
    }
    run_commands();
    std::vector<StreamId> ids;
    for (const auto& [id, s] : streams_) ids.push_back(id);
    for (StreamId id : ids) close_stream(id);
}

base::Status MediaEngine::post(Command command) {
    auto* c = new Command(std::move(command));
    if (commands_.push({&c, 1}) != 1) {
        delete c;
        return base::make_error("media command queue full");
    }
    wake();
    return {};
}

void MediaEngine::wake() {
    posted_.fetch_add(1, std::memory_order_release);
    posted_.notify_one();
}

bool MediaEngine::sleep_while_idle() {
    // Read the counter before draining: a command posted after the drain changes it, and the
    // wait returns at once.
    const std::uint32_t seen = posted_.load(std::memory_order_acquire);
    run_commands();
    if (!streams_.empty() || stop_.load(std::memory_order_acquire)) return false;
    posted_.wait(seen, std::memory_order_acquire);
    return true;
}

base::Result<StreamId> MediaEngine::add(std::unique_ptr<MediaStream> stream, std::unique_ptr<AudioSource> source,
                                        std::unique_ptr<AudioSink> sink) {
    if (!stream) return base::make_error("no media stream to add");
    const StreamId id = next_id_++;
    stream->set_source(std::move(source));
    stream->set_sink(std::move(sink));
    // std::function needs a copyable callable: the stream travels as a raw pointer and is owned
    // again on the media thread.
    MediaStream* raw = stream.release();
    auto st = post([this, id, raw] { streams_[id].reset(raw); });
    if (!st) {
        delete raw;
        return st.error();
    }
    return id;
}

base::Status MediaEngine::update(StreamId id, const sdp::NegotiatedMedia& media) {
    return post([this, id, media] {
        auto it = streams_.find(id);
        if (it == streams_.end()) return;
        if (auto st = it->second->configure(media); !st) emit_error(id, st.error().message);
    });
}

base::Status MediaEngine::set_muted(StreamId id, bool muted) {
    return post([this, id, muted] {
        if (auto it = streams_.find(id); it != streams_.end()) it->second->set_muted(muted);
    });
}

base::Status MediaEngine::send_digit(StreamId id, char digit, std::uint32_t duration_ms) {
    return post([this, id, digit, duration_ms] {
        auto it = streams_.find(id);
        if (it == streams_.end()) return;
        if (auto st = it->second->send_digit(digit, duration_ms); !st) emit_error(id, st.error().message);
    });
}

base::Status MediaEngine::set_source(StreamId id, std::unique_ptr<AudioSource> source) {
    AudioSource* raw = source.release();
    auto st = post([this, id, raw] {
        std::unique_ptr<AudioSource> owned(raw);
        if (auto it = streams_.find(id); it != streams_.end()) it->second->set_source(std::move(owned));
    });
    if (!st) delete raw;
    return st;
}

base::Status MediaEngine::set_sink(StreamId id, std::unique_ptr<AudioSink> sink) {
    AudioSink* raw = sink.release();
    auto st = post([this, id, raw] {
        std::unique_ptr<AudioSink> owned(raw);
        if (auto it = streams_.find(id); it != streams_.end()) it->second->set_sink(std::move(owned));
    });
    if (!st) delete raw;
    return st;
}

base::Status MediaEngine::remove(StreamId id) {
    return post([this, id] { close_stream(id); });
}

std::optional<MediaEvent> MediaEngine::poll_event() {
    MediaEvent e;
    if (events_.pop({&e, 1}) != 1) return std::nullopt;
    return e;
}

void MediaEngine::emit(const MediaEvent& event) {
    (void)events_.push({&event, 1});  // a full queue drops: the app is not reading
}

void MediaEngine::emit_error(StreamId id, std::string_view message) {
    MediaEvent e;
    e.kind = MediaEvent::Kind::Error;
    e.stream = id;
    std::copy_n(message.begin(), std::min(message.size(), e.message.size() - 1), e.message.begin());
    emit(e);
}

void MediaEngine::close_stream(StreamId id) {
    auto it = streams_.find(id);
    if (it == streams_.end()) return;
    auto st = it->second->close();
    MediaEvent e;
    e.kind = MediaEvent::Kind::StreamRemoved;
    e.stream = id;
    e.stats = it->second->stats();
    streams_.erase(it);  // the RTP session and its sockets go with it
    if (!st) emit_error(id, st.error().message);
    emit(e);
}

void MediaEngine::run_commands() {
    Command* c = nullptr;
    while (commands_.pop({&c, 1}) == 1) {
        (*c)();
        delete c;
    }
}

void MediaEngine::tick_streams() {
    const std::uint64_t tick = ticks_.fetch_add(1, std::memory_order_relaxed) + 1;
    const bool stats_due = stats_every_ticks_ && tick % stats_every_ticks_ == 0;
    for (auto& [id, stream] : streams_) {
        stream->tick();
        while (auto d = stream->poll_digit()) {
            MediaEvent e;
            e.kind = MediaEvent::Kind::Digit;
            e.stream = id;
            e.digit = d->digit;
            e.duration_ms = static_cast<std::uint32_t>(d->duration * 1000 / stream->event_clock_rate());
            e.end_lost = d->end_lost;
            emit(e);
        }
        while (auto d = stream->poll_sent_digit()) {
            MediaEvent e;
            e.kind = MediaEvent::Kind::DigitSent;
            e.stream = id;
            e.digit = *d;
            emit(e);
        }
        if (stream->take_source_finished()) {
            MediaEvent e;
            e.kind = MediaEvent::Kind::SourceFinished;
            e.stream = id;
            emit(e);
        }
        if (stats_due) {
            MediaEvent e;
            e.kind = MediaEvent::Kind::Stats;
            e.stream = id;
            e.stats = stream->stats();
            emit(e);
        }
    }
}

void MediaEngine::run_once() {
    if (thread_.joinable()) return;
    run_commands();
    tick_streams();
}

void MediaEngine::wait_for_device(std::int64_t& deadline) {
    // Paced by the capture device: a tick is due when a tick's worth of samples has arrived.
    const std::size_t need = static_cast<std::size_t>(kDeviceRate) * static_cast<std::size_t>(config_.tick_ms) / 1000;
    const std::int64_t give_up = deadline + 2 * config_.tick_ms * kNsPerMs;  // a stalled device falls back to the clock
    std::int64_t t = monotonic_ns();
    while (config_.pace_device->capture_ring().size() < need && t < give_up && !stop_.load(std::memory_order_acquire)) {
        sleep_until_ns(t + kNsPerMs);
        t = monotonic_ns();
    }
    deadline = t;
}

void MediaEngine::loop() {
    const std::int64_t period = config_.tick_ms * kNsPerMs;
    std::int64_t deadline = monotonic_ns();
    const bool paced = config_.pace_device && config_.pace_device->has_capture();
    while (!stop_.load(std::memory_order_acquire)) {
        if (!paced && streams_.empty()) {
            while (sleep_while_idle()) {
            }
            deadline = monotonic_ns();  // the first stream starts a fresh clock
            continue;
        }
        run_commands();
        tick_streams();
        if (paced) {
            deadline += period;
            wait_for_device(deadline);
            continue;
        }
        deadline += period;
        const std::int64_t now = monotonic_ns();
        if (now > deadline + 5 * period) {
            // Far behind (the machine stalled): start again from now rather than burst.
            late_ticks_.fetch_add(1, std::memory_order_relaxed);
            deadline = now;
            continue;
        }
        sleep_until_ns(deadline);
    }
}

}  // namespace dialtone::io
