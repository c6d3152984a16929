#pragma once
// The signalling loop: one asio::io_context run in the calling thread, one steady timer that the
// driver re-arms at the core's next deadline, and SIGINT/SIGTERM delivered to a callback.
// Sockets (io::SipTransport, the control channel) are created on context().
#include "dialtone/base/time.hpp"
#include "dialtone/io/system_clock.hpp"

#include <asio/io_context.hpp>
#include <asio/signal_set.hpp>
#include <asio/steady_timer.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>

namespace dialtone::io {

class EventLoop {
public:
    EventLoop();
    EventLoop(const EventLoop&) = delete;
    EventLoop& operator=(const EventLoop&) = delete;

    asio::io_context& context() { return context_; }
    const SystemClock& clock() const { return clock_; }
    base::TimePoint now() const { return clock_.now(); }

    // Called with the current time when the armed deadline is reached.
    void on_timer(std::function<void(base::TimePoint now)> handler) { timer_handler_ = std::move(handler); }
    // Arms the one timer at `deadline` (replacing the previous one); nullopt disarms it. A
    // deadline in the past fires on the next turn of the loop.
    void arm(std::optional<base::TimePoint> deadline);
    std::optional<base::TimePoint> armed() const { return armed_; }

    // SIGINT and SIGTERM call `handler` with the signal number, on the loop's thread.
    void on_signal(std::function<void(int signal)> handler);

    // Runs until stop() or until nothing is left to wait for.
    void run();
    // Runs until `done()` holds or `limit` has passed; false on timeout. For tests and for
    // bounded shutdown (flushing a last BYE).
    bool run_until(const std::function<bool()>& done, base::Duration limit);
    void stop() { context_.stop(); }

private:
    void wait_for_signal();

    asio::io_context context_;
    SystemClock clock_;
    asio::steady_timer timer_;
    std::optional<base::TimePoint> armed_;
    std::uint64_t generation_ = 0;  // a wait already queued when re-armed must not fire
    std::function<void(base::TimePoint)> timer_handler_;
    std::unique_ptr<asio::signal_set> signals_;
    std::function<void(int)> signal_handler_;
};

}  // namespace dialtone::io
