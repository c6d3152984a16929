#pragma once
// Two or more UserAgents joined by a wire with no sockets: every datagram one sends is handed to
// the one whose address it names, at the same instant, unless `drop` says it is lost. Time is a
// manual clock the test moves, so timers fire at exact instants.
#include "dialtone/base/random.hpp"
#include "dialtone/ua/user_agent.hpp"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace dialtone::ua::test {

struct Node {
    std::string name;
    std::unique_ptr<base::SeededRandom> random;
    std::unique_ptr<UserAgent> ua;
    std::vector<Event> events;

    template <class T>
    std::vector<T> all() const {
        std::vector<T> out;
        for (const Event& e : events)
            if (auto* v = std::get_if<T>(&e)) out.push_back(*v);
        return out;
    }
    template <class T>
    const T* last() const {
        for (auto it = events.rbegin(); it != events.rend(); ++it)
            if (auto* v = std::get_if<T>(&*it)) return v;
        return nullptr;
    }
};

struct Sent {
    base::TimePoint at;
    std::string from;
    std::string to;
    std::string bytes;
    bool dropped = false;
    std::string first_line() const { return bytes.substr(0, bytes.find("\r\n")); }
};

inline UserAgentConfig node_config(const std::string& user, std::uint16_t port) {
    UserAgentConfig c;
    c.account.aor = sip::Uri::sip(user, sip::Host{"127.0.0.1", sip::HostKind::IPv4}, port);
    c.local = Address{"127.0.0.1", port};
    c.media.address = "127.0.0.1";
    c.media.codecs = {sdp::Codec::pcmu(), sdp::Codec::pcma()};
    c.rtp_ports = RtpPortRange{static_cast<std::uint16_t>(port * 2), static_cast<std::uint16_t>(port * 2 + 100)};
    return c;
}

class Wire {
public:
    base::TimePoint now{};
    std::vector<Sent> log;
    std::function<bool(const Sent&)> drop;  // true: the datagram is lost

    Node& add(const std::string& name, UserAgentConfig config, std::uint64_t seed,
              const sip::DigestHash* hash = nullptr, KeySource* keys = nullptr) {
        auto n = std::make_unique<Node>();
        n->name = name;
        n->random = std::make_unique<base::SeededRandom>(seed);
        n->ua = std::make_unique<UserAgent>(std::move(config), *n->random, hash, keys);
        nodes_.push_back(std::move(n));
        return *nodes_.back();
    }

    sip::Uri uri_of(const Node& n) const {
        return sip::Uri::sip(n.ua->config().account.aor.user(), sip::Host{"127.0.0.1", sip::HostKind::IPv4},
                             n.ua->config().local.port);
    }

    // Delivers everything queued, repeatedly, until nobody has anything to send.
    void flush() {
        for (bool busy = true; busy;) {
            busy = false;
            for (auto& n : nodes_) {
                while (auto d = n->ua->poll_transmit()) {
                    busy = true;
                    Node* to = by_port(d->remote.port);
                    Sent s{now, n->name, to ? to->name : "?", d->bytes, false};
                    s.dropped = !to || (drop && drop(s));
                    log.push_back(s);
                    if (s.dropped) continue;
                    Datagram in;
                    in.transport = d->transport;
                    in.local = to->ua->config().local;
                    in.remote = n->ua->config().local;
                    in.bytes = d->bytes;
                    to->ua->on_datagram(in, now);
                }
            }
            drain();
        }
    }

    // Runs every timer up to `until`, then sets the clock there.
    void run_until(base::TimePoint until) {
        flush();
        for (;;) {
            std::optional<base::TimePoint> next;
            for (auto& n : nodes_) {
                auto d = n->ua->next_deadline();
                if (d && (!next || *d < *next)) next = d;
            }
            if (!next || *next > until) break;
            if (*next > now) now = *next;
            for (auto& n : nodes_) n->ua->on_timer(now);
            flush();
        }
        now = until;
        flush();
    }
    void advance(base::Duration d) { run_until(now + d); }

    // Datagrams sent so far whose first line starts with `prefix` (a method or "SIP/2.0 200").
    std::vector<Sent> sent(const std::string& prefix, const std::string& from = {}) const {
        std::vector<Sent> out;
        for (const Sent& s : log)
            if (s.bytes.rfind(prefix, 0) == 0 && (from.empty() || s.from == from)) out.push_back(s);
        return out;
    }

    void drain() {
        for (auto& n : nodes_)
            while (auto e = n->ua->poll_event()) n->events.push_back(std::move(*e));
    }

private:
    Node* by_port(std::uint16_t port) {
        for (auto& n : nodes_)
            if (n->ua->config().local.port == port) return n.get();
        return nullptr;
    }
    std::vector<std::unique_ptr<Node>> nodes_;
};

}  // namespace dialtone::ua::test
