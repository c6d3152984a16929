#include "dialtone/io/connection_timers.hpp"

#include <algorithm>

namespace dialtone::io {

namespace {

void earliest(std::optional<base::TimePoint>& out, base::TimePoint t) {
    if (!out || t < *out) out = t;
}

}  // namespace

void ConnectionTimers::opening(std::uint64_t id, base::TimePoint now) {
    entries_[id] = Entry{false, false, now, now, now, std::nullopt};
}

void ConnectionTimers::opened(std::uint64_t id, base::TimePoint now, bool outbound) {
    entries_[id] = Entry{true, outbound, now, now, now, std::nullopt};
}

void ConnectionTimers::received(std::uint64_t id, base::TimePoint now) {
    auto it = entries_.find(id);
    if (it == entries_.end()) return;
    it->second.last_activity = std::max(it->second.last_activity, now);
    it->second.ping_sent.reset();  // the peer is alive
}

void ConnectionTimers::sent(std::uint64_t id, base::TimePoint now) {
    auto it = entries_.find(id);
    if (it == entries_.end()) return;
    it->second.last_activity = std::max(it->second.last_activity, now);
    it->second.last_sent = std::max(it->second.last_sent, now);
}

void ConnectionTimers::remove(std::uint64_t id) { entries_.erase(id); }

bool ConnectionTimers::closes_when_idle(const Entry& e) const {
    return config_.idle_timeout > base::Duration{0} && (!e.outbound || config_.close_idle_outbound);
}

std::optional<base::TimePoint> ConnectionTimers::deadline(const Entry& e) const {
    const base::Duration zero{0};
    std::optional<base::TimePoint> out;
    if (!e.open) {
        if (config_.connect_timeout > zero) earliest(out, e.since + config_.connect_timeout);
        return out;
    }
    if (closes_when_idle(e)) earliest(out, e.last_activity + config_.idle_timeout);
    if (e.outbound && config_.keepalive_interval > zero) earliest(out, e.last_sent + config_.keepalive_interval);
    if (e.ping_sent && config_.pong_timeout > zero) earliest(out, *e.ping_sent + config_.pong_timeout);
    return out;
}

std::optional<base::TimePoint> ConnectionTimers::next_deadline() const {
    std::optional<base::TimePoint> out;
    for (const auto& [id, e] : entries_) {
        if (auto d = deadline(e)) earliest(out, *d);
    }
    return out;
}

std::vector<std::pair<std::uint64_t, ConnectionDue>> ConnectionTimers::expire(base::TimePoint now) {
    const base::Duration zero{0};
    std::vector<std::pair<std::uint64_t, ConnectionDue>> due;
    for (auto it = entries_.begin(); it != entries_.end();) {
        Entry& e = it->second;
        const std::uint64_t id = it->first;
        if (!e.open) {
            if (config_.connect_timeout > zero && now >= e.since + config_.connect_timeout) {
                due.emplace_back(id, ConnectionDue::ConnectTimeout);
                it = entries_.erase(it);
                continue;
            }
        } else {
            if (closes_when_idle(e) && now >= e.last_activity + config_.idle_timeout) {
                due.emplace_back(id, ConnectionDue::Idle);
                it = entries_.erase(it);
                continue;
            }
            if (e.ping_sent && config_.pong_timeout > zero && now >= *e.ping_sent + config_.pong_timeout) {
                due.emplace_back(id, ConnectionDue::PongTimeout);
                it = entries_.erase(it);
                continue;
            }
            if (e.outbound && config_.keepalive_interval > zero && now >= e.last_sent + config_.keepalive_interval) {
                due.emplace_back(id, ConnectionDue::Ping);
                e.last_sent = now;
                if (!e.ping_sent) e.ping_sent = now;
            }
        }
        ++it;
    }
    return due;
}

}  // namespace dialtone::io
