#pragma once
// A simulated network for scenario tests: endpoints (anything with on_datagram, on_timer,
// next_deadline and poll_transmit taking `now`) attached at addresses exchange ua::Datagrams
// under seeded loss, delay, jitter (hence reordering) and duplication, set per direction. Time
// is a ManualClock that jumps straight to the next delivery or deadline: a 32 s Timer F runs in
// microseconds and every instant is exact and replayable from the seed.
#include "dialtone/base/clock.hpp"
#include "dialtone/base/random.hpp"
#include "dialtone/base/time.hpp"
#include "dialtone/ua/datagram.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace dialtone::scenario {

struct LinkConditions {
    base::Duration delay = base::milliseconds(10);  // one-way latency
    base::Duration jitter{};  // plus a uniform extra in [0, jitter]: later datagrams may overtake
    double loss = 0.0;        // probability that a datagram is dropped
    double duplicate = 0.0;   // probability that it arrives twice (the copy with its own delay)
};

// One datagram handed to the network, as it was sent.
struct TraceEntry {
    base::TimePoint sent;
    ua::Address from;
    ua::Address to;
    std::string bytes;
    bool dropped = false;  // lost on the link, or nobody at `to`
};

class SimNetwork {
public:
    explicit SimNetwork(std::uint64_t seed, base::TimePoint start = base::TimePoint{});
    SimNetwork(const SimNetwork&) = delete;
    SimNetwork& operator=(const SimNetwork&) = delete;

    // The endpoint must outlive the network (or be detached).
    template <class E>
    void attach(const ua::Address& address, E& endpoint) {
        endpoints_[key(address)] = Slot{address, std::make_unique<Adapter<E>>(endpoint)};
    }
    void detach(const ua::Address& address) { endpoints_.erase(key(address)); }

    // Nothing listens at `address` and the sender is told so (a refused TCP connection, an ICMP
    // error): one round trip after each send there, the sender's on_transport_error(datagram as
    // sent, reason, now) is called, when it has one.
    void refuse(const ua::Address& address, std::string reason) { refused_[key(address)] = std::move(reason); }

    void set_default(LinkConditions c) { default_ = c; }
    void set_link(const ua::Address& from, const ua::Address& to, LinkConditions c);
    // Both directions between a and b.
    void set_path(const ua::Address& a, const ua::Address& b, LinkConditions c) {
        set_link(a, b, c);
        set_link(b, a, c);
    }

    base::TimePoint now() const { return clock_.now(); }
    const base::ManualClock& clock() const { return clock_; }

    // Runs until `done` holds (checked whenever nothing else is due at the current instant) or
    // the clock would pass now + limit. Returns whether `done` held.
    bool run_until(const std::function<bool()>& done, base::Duration limit);
    // Runs everything due up to now + d, then leaves the clock at now + d.
    void run_for(base::Duration d);

    const std::vector<TraceEntry>& trace() const { return trace_; }
    // Send instants of the datagrams from `from` whose bytes start with `prefix`
    // (e.g. "REGISTER ", "SIP/2.0 200").
    std::vector<base::TimePoint> sent_times(const ua::Address& from, std::string_view prefix) const;
    std::size_t delivered() const { return delivered_; }

private:
    struct Endpoint {
        virtual ~Endpoint() = default;
        virtual void on_datagram(const ua::Datagram& d, base::TimePoint now) = 0;
        virtual void on_timer(base::TimePoint now) = 0;
        virtual std::optional<base::TimePoint> next_deadline() const = 0;
        virtual std::optional<ua::Datagram> poll_transmit() = 0;
        virtual void on_transport_error(const ua::Datagram& d, std::string_view reason, base::TimePoint now) = 0;
    };
    template <class E>
    struct Adapter final : Endpoint {
        explicit Adapter(E& e) : e_(e) {}
        void on_datagram(const ua::Datagram& d, base::TimePoint now) override { e_.on_datagram(d, now); }
        void on_timer(base::TimePoint now) override { e_.on_timer(now); }
        std::optional<base::TimePoint> next_deadline() const override { return e_.next_deadline(); }
        std::optional<ua::Datagram> poll_transmit() override { return e_.poll_transmit(); }
        void on_transport_error(const ua::Datagram& d, std::string_view reason, base::TimePoint now) override {
            if constexpr (requires { e_.on_transport_error(d, reason, now); }) e_.on_transport_error(d, reason, now);
        }
        E& e_;
    };
    struct Slot {
        ua::Address address;
        std::unique_ptr<Endpoint> endpoint;
    };
    struct InFlight {
        base::TimePoint at;
        std::uint64_t seq;  // ties broken by send order
        ua::Datagram datagram;  // local = receiver, remote = sender; or as sent, for a failure
        std::optional<std::string> failure{};  // set: report this to `sender` instead of delivering
        ua::Address sender{};
    };

    static std::string key(const ua::Address& a) { return a.host + "|" + std::to_string(a.port); }
    const LinkConditions& link(const ua::Address& from, const ua::Address& to) const;
    double chance();
    base::Duration draw_delay(const LinkConditions& c);
    void collect(base::TimePoint now);
    std::optional<base::TimePoint> next_event() const;
    void step(base::TimePoint now);

    base::ManualClock clock_;
    base::SeededRandom random_;
    LinkConditions default_;
    std::map<std::string, LinkConditions> links_;  // key(from) + ">" + key(to)
    std::map<std::string, Slot> endpoints_;
    std::map<std::string, std::string> refused_;  // key(address) → what the sender is told
    std::vector<InFlight> in_flight_;
    std::uint64_t seq_ = 0;
    std::vector<TraceEntry> trace_;
    std::size_t delivered_ = 0;
};

}  // namespace dialtone::scenario
