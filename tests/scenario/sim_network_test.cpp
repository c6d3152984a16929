// The simulated network itself: delivery instants, loss, duplication, reordering, replay.
#include "sim_network.hpp"

#include <doctest/doctest.h>

#include <deque>
#include <string>
#include <vector>

using namespace dialtone;
using base::milliseconds;
using base::seconds;
using base::TimePoint;
using scenario::LinkConditions;
using scenario::SimNetwork;

namespace {

const ua::Address kA{"192.0.2.1", 5060};
const ua::Address kB{"192.0.2.2", 5060};
const TimePoint t0{};

// Sends what it is told to, at the instant it is told to, and records what arrives.
struct Probe {
    struct Arrival {
        TimePoint at;
        ua::Address from;
        std::string bytes;
    };
    std::deque<ua::Datagram> out;
    std::vector<Arrival> in;
    std::optional<TimePoint> wake;  // one timer, to test deadlines
    std::vector<TimePoint> woken;

    void send(const ua::Address& to, std::string bytes) {
        ua::Datagram d;
        d.remote = to;
        d.bytes = std::move(bytes);
        out.push_back(std::move(d));
    }
    void on_datagram(const ua::Datagram& d, TimePoint now) { in.push_back({now, d.remote, d.bytes}); }
    void on_timer(TimePoint now) {
        if (wake && *wake <= now) {
            woken.push_back(now);
            wake.reset();
        }
    }
    std::optional<TimePoint> next_deadline() const { return wake; }
    std::optional<ua::Datagram> poll_transmit() {
        if (out.empty()) return std::nullopt;
        ua::Datagram d = std::move(out.front());
        out.pop_front();
        return d;
    }
};

}  // namespace

TEST_CASE("sim network: a clean link delivers each datagram once, after its delay, with the sender's address") {
    SimNetwork net(1);
    Probe a, b;
    net.attach(kA, a);
    net.attach(kB, b);
    LinkConditions c;
    c.delay = milliseconds(25);
    net.set_link(kA, kB, c);
    a.send(kB, "one");
    a.send(kB, "two");
    CHECK(net.run_until([&] { return b.in.size() == 2; }, seconds(1)));
    CHECK(b.in[0].at == t0 + milliseconds(25));
    CHECK(b.in[0].bytes == "one");
    CHECK(b.in[1].bytes == "two");
    CHECK(b.in[0].from == kA);
    CHECK(net.now() == t0 + milliseconds(25));
    CHECK(net.trace().size() == 2);
}

TEST_CASE("sim network: the clock jumps to the next deadline, and run_for stops exactly at its end") {
    SimNetwork net(1);
    Probe a;
    net.attach(kA, a);
    a.wake = t0 + seconds(32);
    net.run_for(seconds(31));
    CHECK(a.woken.empty());
    CHECK(net.now() == t0 + seconds(31));
    net.run_for(seconds(5));
    REQUIRE(a.woken.size() == 1);
    CHECK(a.woken[0] == t0 + seconds(32));
    CHECK(net.now() == t0 + seconds(36));
}

TEST_CASE("sim network: loss 1 drops everything and nobody at an address drops too") {
    SimNetwork net(1);
    Probe a, b;
    net.attach(kA, a);
    net.attach(kB, b);
    LinkConditions lost;
    lost.loss = 1.0;
    net.set_link(kA, kB, lost);
    a.send(kB, "x");
    a.send(ua::Address{"192.0.2.99", 5060}, "y");
    net.run_for(seconds(1));
    CHECK(b.in.empty());
    REQUIRE(net.trace().size() == 2);
    CHECK(net.trace()[0].dropped);
    CHECK(net.trace()[1].dropped);
    // The other direction is untouched.
    b.send(kA, "z");
    net.run_for(seconds(1));
    CHECK(a.in.size() == 1);
}

TEST_CASE("sim network: 30 % loss loses about 30 %, duplication delivers twice, jitter reorders") {
    SimNetwork net(42);
    Probe a, b;
    net.attach(kA, a);
    net.attach(kB, b);
    LinkConditions c;
    c.loss = 0.3;
    net.set_link(kA, kB, c);
    for (int i = 0; i < 1000; ++i) a.send(kB, std::to_string(i));
    net.run_for(seconds(1));
    CHECK(b.in.size() > 650);
    CHECK(b.in.size() < 750);

    Probe c1, c2;
    SimNetwork dup(7);
    dup.attach(kA, c1);
    dup.attach(kB, c2);
    LinkConditions d;
    d.duplicate = 1.0;
    d.jitter = milliseconds(50);
    dup.set_link(kA, kB, d);
    for (int i = 0; i < 20; ++i) c1.send(kB, std::to_string(i));
    dup.run_for(seconds(1));
    CHECK(c2.in.size() == 40);
    bool reordered = false;
    for (std::size_t i = 1; i < c2.in.size(); ++i)
        if (std::stoi(c2.in[i].bytes) < std::stoi(c2.in[i - 1].bytes)) reordered = true;
    CHECK(reordered);
}

TEST_CASE("sim network: one seed, one run") {
    auto run = [](std::uint64_t seed) {
        SimNetwork net(seed);
        Probe a, b;
        net.attach(kA, a);
        net.attach(kB, b);
        LinkConditions c;
        c.loss = 0.3;
        c.jitter = milliseconds(40);
        c.duplicate = 0.1;
        net.set_path(kA, kB, c);
        for (int i = 0; i < 50; ++i) a.send(kB, std::to_string(i));
        net.run_for(seconds(1));
        std::vector<std::pair<std::int64_t, std::string>> out;
        for (const auto& x : b.in) out.emplace_back(base::to_milliseconds(x.at - t0), x.bytes);
        return out;
    };
    CHECK(run(5) == run(5));
    CHECK(run(5) != run(6));
}

namespace {

// A Probe that also hears of the datagrams the network could not deliver.
struct RefusedProbe : Probe {
    struct Failure {
        TimePoint at;
        ua::Address to;
        std::string bytes;
        std::string reason;
    };
    std::vector<Failure> failures;
    void on_transport_error(const ua::Datagram& d, std::string_view reason, TimePoint now) {
        failures.push_back({now, d.remote, d.bytes, std::string(reason)});
    }
};

}  // namespace

TEST_CASE("sim network: a refused address is reported to the sender one round trip later, with the datagram") {
    SimNetwork net(1);
    RefusedProbe a;
    Probe b;
    net.attach(kA, a);
    net.attach(kB, b);  // attached, but refusing: nothing reaches it
    LinkConditions there, back;
    there.delay = milliseconds(30);
    back.delay = milliseconds(20);
    net.set_link(kA, kB, there);
    net.set_link(kB, kA, back);
    net.refuse(kB, "connection refused");
    a.send(kB, "hello");
    net.run_for(seconds(1));
    CHECK(b.in.empty());
    REQUIRE(a.failures.size() == 1);
    CHECK(a.failures[0].at == t0 + milliseconds(50));
    CHECK(a.failures[0].to == kB);
    CHECK(a.failures[0].bytes == "hello");
    CHECK(a.failures[0].reason == "connection refused");
    REQUIRE(net.trace().size() == 1);
    CHECK(net.trace()[0].dropped);
}
