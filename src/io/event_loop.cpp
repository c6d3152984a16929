#include "dialtone/io/event_loop.hpp"

#include <csignal>

namespace dialtone::io {

// Completion handlers may capture `this`: they live in context_, which the loop owns, so none
// can run after the loop is gone.
EventLoop::EventLoop() : timer_(context_) {}

void EventLoop::arm(std::optional<base::TimePoint> deadline) {
    if (deadline == armed_) return;
    ++generation_;
    armed_ = deadline;
    timer_.cancel();
    if (!deadline) return;
    timer_.expires_at(to_steady(*deadline));
    timer_.async_wait([this, generation = generation_](const asio::error_code& ec) {
        if (ec || generation != generation_) return;
        armed_.reset();
        if (timer_handler_) timer_handler_(now());
    });
}

void EventLoop::on_signal(std::function<void(int)> handler) {
    signal_handler_ = std::move(handler);
    if (signals_) return;
    signals_ = std::make_unique<asio::signal_set>(context_, SIGINT, SIGTERM);
    wait_for_signal();
}

void EventLoop::wait_for_signal() {
    signals_->async_wait([this](const asio::error_code& ec, int signal) {
        if (ec) return;
        wait_for_signal();  // keep listening: a second Ctrl-C may follow
        if (signal_handler_) signal_handler_(signal);
    });
}

void EventLoop::run() {
    if (context_.stopped()) context_.restart();
    context_.run();
}

bool EventLoop::run_until(const std::function<bool()>& done, base::Duration limit) {
    if (context_.stopped()) context_.restart();
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration_cast<std::chrono::steady_clock::duration>(limit);
    while (!done()) {
        const auto now = std::chrono::steady_clock::now();
        if (now >= deadline) return false;
        if (context_.run_one_for(deadline - now) == 0 && context_.stopped()) {
            // stop() was called or nothing is left to wait for: nothing more can happen.
            context_.restart();
            return done();
        }
    }
    return true;
}

}  // namespace dialtone::io
