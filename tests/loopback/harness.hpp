#pragma once
// A SIP transport on the real loopback interface with everything it reports recorded, and a
// bounded way to wait for it: every wait runs the loop with a deadline and fails the test when
// the deadline passes.
#include "dialtone/io/event_loop.hpp"
#include "dialtone/io/host_port.hpp"
#include "dialtone/io/sip_transport.hpp"

#include <doctest/doctest.h>

#include <functional>
#include <string>
#include <vector>

namespace loopback {

using namespace dialtone;

inline constexpr base::Duration wait_limit = base::seconds(10);

// Runs `loop` until `done` holds; a test that waits longer has failed.
inline bool wait_for(io::EventLoop& loop, const std::function<bool()>& done, base::Duration limit = wait_limit) {
    return loop.run_until(done, limit);
}

// Built field by field: GCC 12 at -O3 warns falsely about a braced Datagram temporary.
inline ua::Datagram datagram(ua::Transport transport, ua::Address local, ua::Address remote, std::uint64_t connection,
                             std::string bytes) {
    ua::Datagram d;
    d.transport = transport;
    d.local = std::move(local);
    d.remote = std::move(remote);
    d.connection = connection;
    d.bytes = std::move(bytes);
    return d;
}

struct Peer {
    explicit Peer(io::EventLoop& loop, io::TransportOptions options = {})
        : transport(loop, std::move(options), io::Logger([this](io::LogLevel level, std::string_view line) {
              logs.push_back(std::string(io::to_string(level)) + ": " + std::string(line));
          })) {
        transport.on_receive([this](ua::Datagram d) { received.push_back(std::move(d)); });
        transport.on_send_failure([this](io::SendFailure f) { failures.push_back(std::move(f)); });
        transport.on_connection_closed([this](const io::ConnectionInfo& c) { closed.push_back(c); });
    }

    ua::Address listen(ua::Transport t, const std::string& host) {
        auto bound = transport.listen(t, ua::Address{host, 0});
        REQUIRE_MESSAGE(bound.ok(), (bound.ok() ? std::string() : bound.error().message));
        CHECK(bound->port != 0);
        return bound.value();
    }

    bool logged(std::string_view text) const {
        for (const auto& l : logs)
            if (l.find(text) != std::string::npos) return true;
        return false;
    }

    std::vector<ua::Datagram> received;
    std::vector<io::SendFailure> failures;
    std::vector<io::ConnectionInfo> closed;
    std::vector<std::string> logs;
    io::SipTransport transport;
};

// A small request whose Content-Length is right, so it frames on a stream (RFC 3261 §18.3).
inline std::string request(ua::Transport t, const std::string& tag, const std::string& body = "") {
    std::string via = t == ua::Transport::Udp ? "UDP" : t == ua::Transport::Tcp ? "TCP" : "TLS";
    return "OPTIONS sip:bob@example.com SIP/2.0\r\n"
           "Via: SIP/2.0/" + via + " client.example.com;branch=z9hG4bK" + tag + "\r\n"
           "Max-Forwards: 70\r\n"
           "To: <sip:bob@example.com>\r\n"
           "From: <sip:alice@example.com>;tag=" + tag + "\r\n"
           "Call-ID: " + tag + "@client.example.com\r\n"
           "CSeq: 1 OPTIONS\r\n"
           "Content-Length: " + std::to_string(body.size()) + "\r\n"
           "\r\n" + body;
}

inline std::string response_to(const std::string& tag) {
    return "SIP/2.0 200 OK\r\n"
           "Via: SIP/2.0/TCP client.example.com;branch=z9hG4bK" + tag + "\r\n"
           "To: <sip:bob@example.com>;tag=srv\r\n"
           "From: <sip:alice@example.com>;tag=" + tag + "\r\n"
           "Call-ID: " + tag + "@client.example.com\r\n"
           "CSeq: 1 OPTIONS\r\n"
           "Content-Length: 0\r\n"
           "\r\n";
}

}  // namespace loopback
