// The interactive mode (stdin and stdout are terminals, no --json): single keys act on the newest
// call, and one status line per call is redrawn in place below the event lines.
#include <unistd.h>

#include <cmath>
#include <cstdio>

#include "dialtone/app/mos.hpp"
#include "dialtone/app/status_line.hpp"
#include "driver_impl.hpp"

namespace dialtone::app {

void Driver::note_state(ua::CallId id, const char* state) {
    if (auto it = calls_.find(id); it != calls_.end()) it->second.state = state;
}

void Driver::start_keys() {
    int fd = dup(STDIN_FILENO);
    if (fd < 0) return;
    raw_.enable(STDIN_FILENO);
    stdin_ = std::make_unique<asio::posix::stream_descriptor>(loop_.context(), fd);
    std::fputs(o_.command == Command::Listen ? "keys: a answer, h hang up, 0-9*#A-D DTMF, m mute, H hold, t transfer, q quit\n"
                                             : "keys: h hang up, 0-9*#A-D DTMF, m mute, H hold, t transfer, q quit\n",
               stdout);
    std::fflush(stdout);
    read_keys();
}

void Driver::read_keys() {
    stdin_->async_read_some(asio::buffer(key_buf_), [this](const asio::error_code& ec, std::size_t n) {
        if (ec) return;
        for (std::size_t i = 0; i < n; ++i) on_key(key_buf_[i]);
        if (stdin_) read_keys();
    });
}

void Driver::on_key(char key) {
    if (typing_) {
        // A transfer target being typed: Enter sends, Escape cancels, Backspace edits.
        if (key == '\r' || key == '\n') {
            std::string uri = *typing_;
            typing_.reset();
            if (!uri.empty()) on_control_line("transfer " + uri);
        } else if (key == 27) {
            typing_.reset();
        } else if (key == 127 || key == 8) {
            if (!typing_->empty()) typing_->pop_back();
        } else if (static_cast<unsigned char>(key) >= 32) {
            *typing_ += key;
        }
        clear_status();
        render_status();
        std::fflush(stdout);
        return;
    }
    if ((key >= '0' && key <= '9') || key == '*' || key == '#' || (key >= 'A' && key <= 'D')) {
        on_control_line(std::string("dtmf ") + key);
        return;
    }
    switch (key) {
    case 'a': on_control_line("answer"); break;
    case 'h': on_control_line("hangup"); break;
    case 'm': on_control_line("mute"); break;
    case 'H': {
        ua::CallId id = pick_call(std::nullopt);
        auto it = calls_.find(id);
        on_control_line(it != calls_.end() && it->second.on_hold ? "resume" : "hold");
        break;
    }
    case 't': typing_ = std::string(); break;
    case 'q': on_control_line("quit"); break;
    default: break;
    }
    clear_status();
    render_status();
    std::fflush(stdout);
}

void Driver::clear_status() {
    if (status_lines_ == 0) return;
    std::string out = "\r\033[2K";
    for (int i = 1; i < status_lines_; ++i) out += "\033[1A\033[2K";
    std::fputs(out.c_str(), stdout);
    status_lines_ = 0;
}

void Driver::render_status() {
    base::TimePoint now = loop_.now();
    last_render_ = now;
    int width = terminal_width(STDOUT_FILENO);
    std::string out;
    int lines = 0;
    for (const auto& [id, slot] : calls_) {
        CallStatus s;
        s.call = id;
        s.state = slot.state;
        s.peer = slot.peer;
        s.muted = slot.muted;
        if (slot.answered) {
            s.duration_s = static_cast<double>(base::to_milliseconds(now - slot.answered_at)) / 1000.0;
            s.codec = slot.codec;
            s.srtp = slot.srtp;
        }
        if (slot.stats) {
            const auto& st = *slot.stats;
            double lost = static_cast<double>(std::max<std::int64_t>(0, st.packets_lost));
            double expected = static_cast<double>(st.packets_received) + lost;
            double loss = expected > 0 ? 100.0 * lost / expected : 0.0;
            s.jitter_ms = st.jitter_ms;
            s.loss_percent = loss;
            if (st.round_trip_ms >= 0) s.rtt_ms = st.round_trip_ms;
            double delay = (st.round_trip_ms < 0 ? 0.0 : st.round_trip_ms / 2) + o_.global.jitter.lo;
            s.mos = mos_from_r(r_factor(delay, loss));
        }
        if (lines) out += '\n';
        out += format_status_line(s, color_, width > 1 ? width - 1 : 0);
        ++lines;
    }
    if (typing_) {
        if (lines) out += '\n';
        out += "transfer to: " + *typing_;
        ++lines;
    }
    std::fputs(out.c_str(), stdout);
    status_lines_ = lines;
}

}  // namespace dialtone::app
