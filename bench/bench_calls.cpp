// bench-calls: how many complete calls one core carries through two in-process UserAgents.
//
// Each call is INVITE (with an SDP offer), 180, 200 (with the answer), ACK, BYE, 200: the
// caller's UserAgent hands its datagrams straight to the callee's and back, with no sockets,
// and both parse, validate, match transactions and dialogs, negotiate SDP and serialize as they
// would on the wire. The manual clock moves 10 ms per call, so transactions end on their own
// timers and the tables stay at their steady size. Prints calls per second per core (the loop
// is single-threaded). Usage: bench-calls [calls]   (default 200,000)
#include "dialtone/base/random.hpp"
#include "dialtone/ua/user_agent.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <time.h>

using namespace dialtone;

namespace {

double thread_cpu_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

ua::UserAgentConfig config(const char* user, std::uint16_t port, std::uint16_t rtp) {
    ua::UserAgentConfig c;
    c.account.aor = sip::Uri::sip(user, sip::Host{"192.0.2.1", sip::HostKind::IPv4}, port);
    c.local = ua::Address{port == 5060 ? "192.0.2.1" : "192.0.2.2", port};
    c.media.address = c.local.host;
    c.rtp_ports = ua::RtpPortRange{rtp, static_cast<std::uint16_t>(rtp + 1000)};
    c.ring_timeout = base::Duration::zero();
    return c;
}

// Hands every queued datagram to the other side until both are quiet; returns how many moved.
std::size_t exchange(ua::UserAgent& a, ua::UserAgent& b, base::TimePoint now) {
    std::size_t moved = 0;
    for (bool busy = true; busy;) {
        busy = false;
        while (auto d = a.poll_transmit()) {
            std::swap(d->local, d->remote);
            b.on_datagram(*d, now);
            busy = true;
            ++moved;
        }
        while (auto d = b.poll_transmit()) {
            std::swap(d->local, d->remote);
            a.on_datagram(*d, now);
            busy = true;
            ++moved;
        }
    }
    return moved;
}

}  // namespace

int main(int argc, char** argv) {
    long calls = 200000;
    if (argc > 1) {
        calls = std::strtol(argv[1], nullptr, 10);
        if (calls <= 0) {
            std::fprintf(stderr, "bench-calls: the number of calls must be a positive number\n");
            return 2;
        }
    }
    base::SeededRandom ra(1), rb(2);
    ua::UserAgent alice(config("alice", 5060, 20000), ra);
    ua::UserAgent bob(config("bob", 5062, 30000), rb);
    const sip::Uri target = sip::Uri::sip("bob", sip::Host{"192.0.2.2", sip::HostKind::IPv4}, 5062);
    base::TimePoint now{};
    std::size_t datagrams = 0;
    long answered = 0, ended = 0;

    const double cpu0 = thread_cpu_seconds();
    const auto wall0 = std::chrono::steady_clock::now();
    for (long i = 0; i < calls; ++i) {
        ua::CallId a = alice.call(target, {}, now);
        datagrams += exchange(alice, bob, now);
        ua::CallId b = 0;
        while (auto e = bob.poll_event())
            if (auto* in = std::get_if<ua::IncomingCall>(&*e)) b = in->call;
        if (!b || !bob.answer(b, now).ok()) {
            std::fprintf(stderr, "bench-calls: call %ld did not arrive\n", i);
            return 1;
        }
        datagrams += exchange(alice, bob, now);
        while (auto e = alice.poll_event()) answered += std::holds_alternative<ua::CallAnswered>(*e);
        if (!alice.hangup(a, now).ok()) {
            std::fprintf(stderr, "bench-calls: call %ld could not be hung up\n", i);
            return 1;
        }
        datagrams += exchange(alice, bob, now);
        while (auto e = bob.poll_event()) ended += std::holds_alternative<ua::CallEnded>(*e);
        while (alice.poll_event()) {}
        now += base::milliseconds(10);
        alice.on_timer(now);
        bob.on_timer(now);
        datagrams += exchange(alice, bob, now);
    }
    const double cpu = thread_cpu_seconds() - cpu0;
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
    if (answered != calls || ended != calls) {
        std::fprintf(stderr, "bench-calls: %ld answered and %ld ended of %ld calls\n", answered, ended, calls);
        return 1;
    }
    std::printf("bench-calls: %ld calls (INVITE, 180, 200, ACK, BYE, 200), %zu datagrams, one thread\n", calls,
                datagrams);
    std::printf("%10.0f calls/s per core (CPU time)  %7.2f us each  (wall clock: %10.0f calls/s)\n",
                static_cast<double>(calls) / cpu, cpu * 1e6 / static_cast<double>(calls),
                static_cast<double>(calls) / wall);
    return 0;
}
