#include "sim_network.hpp"

#include <algorithm>

namespace dialtone::scenario {

SimNetwork::SimNetwork(std::uint64_t seed, base::TimePoint start) : clock_(start), random_(seed) {}

void SimNetwork::set_link(const ua::Address& from, const ua::Address& to, LinkConditions c) {
    links_[key(from) + ">" + key(to)] = c;
}

const LinkConditions& SimNetwork::link(const ua::Address& from, const ua::Address& to) const {
    auto it = links_.find(key(from) + ">" + key(to));
    return it == links_.end() ? default_ : it->second;
}

double SimNetwork::chance() { return static_cast<double>(random_.next_u64() >> 11) * 0x1.0p-53; }

base::Duration SimNetwork::draw_delay(const LinkConditions& c) {
    if (c.jitter <= base::Duration::zero()) return c.delay;
    return c.delay + base::Duration(static_cast<base::Duration::rep>(random_.uniform(0, c.jitter.count())));
}

// Takes everything the endpoints want sent and puts it on the links.
void SimNetwork::collect(base::TimePoint now) {
    for (auto& [k, slot] : endpoints_) {
        while (auto d = slot.endpoint->poll_transmit()) {
            ua::Address to = d->remote;
            const LinkConditions& c = link(slot.address, to);
            TraceEntry entry{now, slot.address, to, d->bytes, false};
            const bool present = endpoints_.count(key(to)) != 0;
            // Draws happen in a fixed order whatever the outcome, so one seed gives one run.
            const bool lost = chance() < c.loss;
            const bool twice = chance() < c.duplicate;
            const base::Duration first = draw_delay(c);
            const base::Duration second = draw_delay(c);
            if (auto refused = refused_.find(key(to)); refused != refused_.end()) {
                entry.dropped = true;
                const base::TimePoint back = now + link(slot.address, to).delay + link(to, slot.address).delay;
                in_flight_.push_back(InFlight{back, seq_++, *d, refused->second, slot.address});
            } else if (!present || lost) {
                entry.dropped = true;
            } else {
                ua::Datagram out;
                out.transport = d->transport;
                out.local = to;
                out.remote = slot.address;
                out.connection = d->connection;
                out.bytes = std::move(d->bytes);
                if (twice) in_flight_.push_back(InFlight{now + second, seq_++, out});
                in_flight_.push_back(InFlight{now + first, seq_++, std::move(out)});
            }
            trace_.push_back(std::move(entry));
        }
    }
}

std::optional<base::TimePoint> SimNetwork::next_event() const {
    std::optional<base::TimePoint> next;
    for (const InFlight& f : in_flight_)
        if (!next || f.at < *next) next = f.at;
    for (const auto& [k, slot] : endpoints_)
        if (auto d = slot.endpoint->next_deadline(); d && (!next || *d < *next)) next = *d;
    return next;
}

// Delivers what is due at `now` (in arrival order), then fires due timers.
void SimNetwork::step(base::TimePoint now) {
    std::vector<InFlight> due;
    auto split = std::stable_partition(in_flight_.begin(), in_flight_.end(),
                                       [now](const InFlight& f) { return f.at > now; });
    due.assign(std::make_move_iterator(split), std::make_move_iterator(in_flight_.end()));
    in_flight_.erase(split, in_flight_.end());
    std::sort(due.begin(), due.end(),
              [](const InFlight& a, const InFlight& b) { return a.at != b.at ? a.at < b.at : a.seq < b.seq; });
    for (InFlight& f : due) {
        if (f.failure) {
            if (auto it = endpoints_.find(key(f.sender)); it != endpoints_.end()) {
                it->second.endpoint->on_transport_error(f.datagram, *f.failure, now);
                collect(now);
            }
            continue;
        }
        auto it = endpoints_.find(key(f.datagram.local));
        if (it == endpoints_.end()) continue;
        ++delivered_;
        it->second.endpoint->on_datagram(f.datagram, now);
        collect(now);
    }
    for (auto& [k, slot] : endpoints_)
        if (auto d = slot.endpoint->next_deadline(); d && *d <= now) slot.endpoint->on_timer(now);
    collect(now);
}

bool SimNetwork::run_until(const std::function<bool()>& done, base::Duration limit) {
    const base::TimePoint end = clock_.now() + limit;
    collect(clock_.now());
    // A bound on steps at one instant catches an endpoint whose deadline never moves.
    int same_instant = 0;
    while (true) {
        if (done && done()) return true;
        auto next = next_event();
        if (!next || *next > end) {
            clock_.set(std::max(clock_.now(), end));
            return done && done();
        }
        const base::TimePoint at = std::max(*next, clock_.now());
        same_instant = at == clock_.now() ? same_instant + 1 : 0;
        if (same_instant > 100000) return false;
        clock_.set(at);
        step(at);
    }
}

void SimNetwork::run_for(base::Duration d) { (void)run_until(nullptr, d); }

std::vector<base::TimePoint> SimNetwork::sent_times(const ua::Address& from, std::string_view prefix) const {
    std::vector<base::TimePoint> out;
    for (const TraceEntry& e : trace_)
        if (e.from == from && std::string_view(e.bytes).substr(0, prefix.size()) == prefix) out.push_back(e.sent);
    return out;
}

}  // namespace dialtone::scenario
