#include "dialtone/app/status_line.hpp"

#include <cstdio>

namespace dialtone::app {

namespace {

const char* state_color(const std::string& state) {
    if (state == "answered") return "\033[32m";                       // green
    if (state == "ringing" || state == "incoming" || state == "calling") return "\033[33m";   // yellow
    if (state == "on hold") return "\033[36m";                        // cyan
    return "\033[31m";                                                // red: ended
}

std::string fixed(double v, int decimals) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

}  // namespace

std::string format_duration(double seconds) {
    auto total = static_cast<long>(seconds < 0 ? 0 : seconds);
    char buf[32];
    if (total >= 3600) std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", total / 3600, (total / 60) % 60, total % 60);
    else std::snprintf(buf, sizeof buf, "%02ld:%02ld", total / 60, total % 60);
    return buf;
}

std::string format_status_line(const CallStatus& s, bool color, int width) {
    std::string plain_state = s.state + (s.muted ? " (muted)" : "");
    std::string rest = "  " + s.peer + "  " + format_duration(s.duration_s);
    if (!s.codec.empty()) {
        rest += "  " + s.codec + "  SRTP " + (s.srtp ? "on" : "off");
        if (s.jitter_ms) rest += "  jitter " + fixed(*s.jitter_ms, 1) + " ms";
        if (s.loss_percent) rest += "  loss " + fixed(*s.loss_percent, 1) + "%";
        if (s.rtt_ms) rest += "  rtt " + fixed(*s.rtt_ms, 0) + " ms";
        if (s.mos) rest += "  MOS " + fixed(*s.mos, 1);
    }
    std::string head = "[" + std::to_string(s.call) + "] ";
    std::string text = head + plain_state + rest;
    if (width > 0 && static_cast<int>(text.size()) > width) {
        text.resize(static_cast<std::size_t>(width));
        if (!color) return text;
        // Colour only the part of the state that survived the cut.
        std::size_t state_end = std::min(text.size(), head.size() + plain_state.size());
        return head.substr(0, std::min(head.size(), text.size())) + state_color(s.state) +
               text.substr(std::min(head.size(), text.size()), state_end - std::min(head.size(), text.size())) +
               "\033[0m" + text.substr(state_end);
    }
    if (!color) return text;
    return head + state_color(s.state) + plain_state + "\033[0m" + rest;
}

}  // namespace dialtone::app
