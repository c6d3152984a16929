// bench-parse: how many SIP messages one core parses and serializes per second.
//
// Parses a realistic INVITE with an SDP body (~900 bytes) and a 200 OK a fixed number of times
// each, then serializes the parsed INVITE, and prints messages per second per core (the loop is
// single-threaded). Usage: bench-parse [iterations]   (default 3,000,000)
#include "dialtone/sip/message.hpp"
#include "dialtone/sip/parser.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <time.h>

namespace {

std::string crlf(std::string_view text) {
    std::string out;
    for (char c : text) {
        if (c == '\n') out += "\r\n";
        else out += c;
    }
    return out;
}

const std::string kSdp = crlf(
    "v=0\n"
    "o=alice 2890844526 2890844526 IN IP4 192.0.2.101\n"
    "s=-\n"
    "c=IN IP4 192.0.2.101\n"
    "t=0 0\n"
    "m=audio 49170 RTP/AVP 111 0 8 101\n"
    "a=rtpmap:111 opus/48000/2\n"
    "a=fmtp:111 useinbandfec=1\n"
    "a=rtpmap:0 PCMU/8000\n"
    "a=rtpmap:8 PCMA/8000\n"
    "a=rtpmap:101 telephone-event/8000\n"
    "a=fmtp:101 0-16\n"
    "a=ptime:20\n"
    "a=sendrecv\n");

const std::string kInvite = crlf(
    "INVITE sip:bob@biloxi.example.com SIP/2.0\n"
    "Via: SIP/2.0/UDP 192.0.2.101:5060;branch=z9hG4bK74bf9a8c2e1d;rport\n"
    "Max-Forwards: 70\n"
    "To: \"Bob\" <sip:bob@biloxi.example.com>\n"
    "From: \"Alice\" <sip:alice@atlanta.example.com>;tag=9fxced76sl\n"
    "Call-ID: 3848276298220188511@atlanta.example.com\n"
    "CSeq: 31862 INVITE\n"
    "Contact: <sip:alice@192.0.2.101:5060;transport=udp>;+sip.instance=\"<urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6>\"\n"
    "Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, MESSAGE, UPDATE, PRACK, REFER, NOTIFY\n"
    "Supported: replaces, timer, 100rel, norefersub\n"
    "Content-Type: application/sdp\n"
    "Content-Length: " + std::to_string(kSdp.size()) + "\n"
    "User-Agent: dialtone/0.1.0\n"
    "\n") + kSdp;

const std::string kOk = crlf(
    "SIP/2.0 200 OK\n"
    "Via: SIP/2.0/UDP 192.0.2.101:5060;branch=z9hG4bK74bf9a8c2e1d;rport=5060;received=192.0.2.101\n"
    "To: \"Bob\" <sip:bob@biloxi.example.com>;tag=8321234356\n"
    "From: \"Alice\" <sip:alice@atlanta.example.com>;tag=9fxced76sl\n"
    "Call-ID: 3848276298220188511@atlanta.example.com\n"
    "CSeq: 31862 INVITE\n"
    "Contact: <sip:bob@192.0.2.4:5060>\n"
    "Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, INFO\n"
    "Supported: replaces, timer\n"
    "Content-Length: 0\n"
    "\n");

// The CPU time of this thread, so that other load on the machine does not count against us:
// "per core" means per second of one core actually spent on the loop.
double thread_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

struct Rate {
    double per_cpu_second;
    double per_wall_second;
};

template <class F>
Rate measure(long iterations, F&& f) {
    const auto wall_start = std::chrono::steady_clock::now();
    const double cpu_start = thread_seconds();
    for (long i = 0; i < iterations; ++i) f();
    const double cpu = thread_seconds() - cpu_start;
    const std::chrono::duration<double> wall = std::chrono::steady_clock::now() - wall_start;
    return {static_cast<double>(iterations) / cpu, static_cast<double>(iterations) / wall.count()};
}

void report(const char* what, std::size_t bytes, Rate rate) {
    std::printf("%-24s %5zu bytes  %10.0f /s per core  %7.1f ns each  (wall clock: %10.0f /s)\n", what, bytes,
                rate.per_cpu_second, 1e9 / rate.per_cpu_second, rate.per_wall_second);
}

}  // namespace

int main(int argc, char** argv) {
    using namespace dialtone::sip;
    const long iterations = argc > 1 ? std::atol(argv[1]) : 3'000'000;
    if (iterations <= 0) {
        std::fprintf(stderr, "bench-parse: iterations must be a positive number\n");
        return 2;
    }

    // Check once that the messages parse as intended, so the loops measure the real path.
    auto invite = parse_message(kInvite);
    auto ok = parse_message(kOk);
    if (!invite || !ok || invite->headers().size() != 12 || invite->body() != kSdp) {
        std::fprintf(stderr, "bench-parse: the benchmark messages do not parse\n");
        return 1;
    }

    std::size_t sink = 0;  // keeps the optimiser from dropping the work
    std::printf("bench-parse: %ld iterations each, one thread\n", iterations);
    report("parse INVITE with SDP", kInvite.size(), measure(iterations, [&] {
        auto m = parse_message(kInvite);
        sink += m->headers().size() + m->body().size();
    }));
    report("parse 200 OK", kOk.size(), measure(iterations, [&] {
        auto m = parse_message(kOk);
        sink += m->headers().size();
    }));
    std::string out;
    report("serialize INVITE", kInvite.size(), measure(iterations, [&] {
        out.clear();
        invite->serialize_to(out);
        sink += out.size();
    }));
    report("parse+serialize INVITE", kInvite.size(), measure(iterations / 2, [&] {
        auto m = parse_message(kInvite);
        sink += m->serialize().size();
    }));
    return sink == 0 ? 1 : 0;
}
