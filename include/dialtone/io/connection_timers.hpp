#pragma once
// The clocks of TCP/TLS connections, kept apart from the sockets so the rules can be tested with
// a manual clock: a connect (and TLS handshake) timeout, closing a connection idle for too long,
// and CRLF keep-alive pings on connections we opened (RFC 5626 §3.5.1, §4.4.1). The transport
// arms one timer at next_deadline(): nothing wakes it when nothing is due.
#include "dialtone/base/time.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <utility>
#include <vector>

namespace dialtone::io {

struct ConnectionTimerConfig {
    base::Duration connect_timeout = base::seconds(10);  // connect + TLS handshake; 0: no limit
    // Close a connection on which nothing was received and no message sent for this long; 0: never.
    base::Duration idle_timeout{0};
    // On connections we opened, send a double-CRLF ping after this long without sending; 0: never.
    // The interval is fixed (RFC 5626 §4.4.1 asks for 80-100 % jitter: a caller can vary it).
    base::Duration keepalive_interval{0};
    // After a ping, the flow has failed if nothing (the pong, or anything else) arrives within
    // this time (RFC 5626 §4.4.1: 10 s); 0: do not check.
    base::Duration pong_timeout = base::seconds(10);
    // false: idle_timeout closes only connections the peer opened. Ours may be a registration's
    // flow, the only way a server behind a NAT reaches us, and servers need not answer pings.
    bool close_idle_outbound = true;
};

enum class ConnectionDue : std::uint8_t { ConnectTimeout, Idle, Ping, PongTimeout };

class ConnectionTimers {
public:
    explicit ConnectionTimers(ConnectionTimerConfig config = {}) : config_(config) {}

    const ConnectionTimerConfig& config() const { return config_; }
    // Takes effect at once: deadlines are computed from it, never stored.
    void set_idle_timeout(base::Duration idle_timeout) { config_.idle_timeout = idle_timeout; }

    void opening(std::uint64_t id, base::TimePoint now);  // connect / handshake started
    void opened(std::uint64_t id, base::TimePoint now, bool outbound);
    void received(std::uint64_t id, base::TimePoint now);  // any bytes, pings and pongs too
    void sent(std::uint64_t id, base::TimePoint now);      // a SIP message
    void remove(std::uint64_t id);

    std::optional<base::TimePoint> next_deadline() const;
    // Everything due at `now`, by connection id. A Ping is rescheduled one interval on; after a
    // ConnectTimeout, Idle or PongTimeout the connection's timers are removed (the caller closes it).
    std::vector<std::pair<std::uint64_t, ConnectionDue>> expire(base::TimePoint now);

    std::size_t size() const { return entries_.size(); }

private:
    struct Entry {
        bool open = false;
        bool outbound = false;
        base::TimePoint since;          // when opening / opened
        base::TimePoint last_activity;  // bytes received or a message sent
        base::TimePoint last_sent;      // a message or a ping sent
        std::optional<base::TimePoint> ping_sent;  // a ping not answered yet
    };
    std::optional<base::TimePoint> deadline(const Entry& e) const;
    bool closes_when_idle(const Entry& e) const;

    ConnectionTimerConfig config_;
    std::map<std::uint64_t, Entry> entries_;
};

}  // namespace dialtone::io
