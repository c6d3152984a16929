// SIP over UDP on 127.0.0.1 and ::1 (RFC 3261 §18.1.1, §18.2.1).
#include "harness.hpp"

#include <asio/ip/udp.hpp>

using namespace loopback;
using dialtone::ua::Transport;

TEST_SUITE("loopback: udp") {
    TEST_CASE("UDP: a datagram goes each way over IPv4 and IPv6, from the socket of its family") {
        for (const std::string host : {"127.0.0.1", "::1"}) {
            CAPTURE(host);
            io::EventLoop loop;
            Peer a(loop), b(loop);
            const auto a_addr = a.listen(Transport::Udp, host);
            const auto b_addr = b.listen(Transport::Udp, host);

            b.transport.send(datagram(Transport::Udp, {}, a_addr, 0, request(Transport::Udp, "u1")));
            REQUIRE(wait_for(loop, [&] { return a.received.size() == 1; }));
            const auto& in = a.received[0];
            CHECK(in.transport == Transport::Udp);
            CHECK(in.bytes == request(Transport::Udp, "u1"));
            CHECK(in.remote == b_addr);  // sent from b's listening socket
            CHECK(in.local == a_addr);
            CHECK(in.connection == 0);

            a.transport.send(datagram(Transport::Udp, in.local, in.remote, 0, response_to("u1")));
            REQUIRE(wait_for(loop, [&] { return b.received.size() == 1; }));
            CHECK(b.received[0].bytes == response_to("u1"));
            CHECK(b.received[0].remote == a_addr);
            CHECK(a.failures.empty());
            CHECK(b.failures.empty());
        }
    }

    TEST_CASE("UDP: a host name is resolved before sending") {
        io::EventLoop loop;
        Peer a(loop), b(loop);
        const auto a_addr = a.listen(Transport::Udp, "127.0.0.1");
        b.listen(Transport::Udp, "127.0.0.1");
        b.transport.send(datagram(Transport::Udp, {}, {"localhost", a_addr.port}, 0, request(Transport::Udp, "n1")));
        REQUIRE(wait_for(loop, [&] { return a.received.size() == 1; }));
        CHECK(a.received[0].bytes == request(Transport::Udp, "n1"));
    }

    TEST_CASE("UDP: with no socket of the destination's family the failure says so") {
        io::EventLoop loop;
        Peer b(loop);
        b.listen(Transport::Udp, "127.0.0.1");
        b.transport.send(datagram(Transport::Udp, {}, {"::1", 5060}, 0, request(Transport::Udp, "f1")));
        REQUIRE(wait_for(loop, [&] { return b.failures.size() == 1; }));
        CHECK(b.failures[0].reason == "no udp socket for IPv6");
        CHECK(b.failures[0].datagram.bytes == request(Transport::Udp, "f1"));
    }

    TEST_CASE("UDP: an unresolvable name is reported as a send failure") {
        io::EventLoop loop;
        Peer b(loop);
        b.listen(Transport::Udp, "127.0.0.1");
        b.transport.send(datagram(Transport::Udp, {}, {"no-such-host.invalid", 5060}, 0, "x"));
        REQUIRE(wait_for(loop, [&] { return b.failures.size() == 1; }));
        CHECK(b.failures[0].reason.find("cannot resolve 'no-such-host.invalid'") == 0);
    }

    TEST_CASE("UDP: CRLF keep-alive datagrams are not handed on; the next request is") {
        io::EventLoop loop;
        Peer a(loop);
        const auto a_addr = a.listen(Transport::Udp, "127.0.0.1");
        asio::ip::udp::socket raw(loop.context(), asio::ip::udp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
        const asio::ip::udp::endpoint to(asio::ip::make_address(a_addr.host), a_addr.port);
        raw.send_to(asio::buffer(std::string("\r\n\r\n")), to);
        raw.send_to(asio::buffer(request(Transport::Udp, "k1")), to);
        REQUIRE(wait_for(loop, [&] { return !a.received.empty(); }));
        CHECK(a.received.size() == 1);
        CHECK(a.received[0].bytes == request(Transport::Udp, "k1"));
    }

    TEST_CASE("listening refuses a host name and reports a port in use") {
        io::EventLoop loop;
        Peer a(loop), b(loop);
        auto named = a.transport.listen(Transport::Udp, ua::Address{"localhost", 0});
        REQUIRE_FALSE(named.ok());
        CHECK(named.error().message == "cannot listen on udp localhost:0: not a numeric IPv4 or IPv6 address");
        const auto bound = a.listen(Transport::Udp, "127.0.0.1");
        auto again = b.transport.listen(Transport::Udp, bound);
        REQUIRE_FALSE(again.ok());
        CHECK(again.error().message.find("cannot listen on udp 127.0.0.1:") == 0);
        CHECK(a.transport.listen_points().size() == 1);
    }
}

TEST_SUITE("loopback: sending") {
    TEST_CASE("unsupported transports and a closed transport fail the send, naming why") {
        io::EventLoop loop;
        Peer b(loop);
        b.listen(Transport::Udp, "127.0.0.1");
        b.transport.send(datagram(Transport::Sctp, {}, {"127.0.0.1", 5060}, 0, "x"));
        b.transport.send(datagram(Transport::Udp, {}, {"127.0.0.1", 0}, 0, "y"));
        b.transport.close();
        b.transport.send(datagram(Transport::Udp, {}, {"127.0.0.1", 5060}, 0, "z"));
        REQUIRE(b.failures.size() == 3);
        CHECK(b.failures[0].reason == "transport sctp not supported");
        CHECK(b.failures[1].reason == "no destination host and port");
        CHECK(b.failures[2].reason == "the SIP transport is closed");
        CHECK(b.failures[2].datagram.bytes == "z");
        CHECK(b.transport.listen_points().empty());
    }
}

TEST_CASE("local_address_towards: the kernel's source address for a loopback target, per family") {
    CHECK(dialtone::io::local_address_towards("127.0.0.1") == "127.0.0.1");
    CHECK(dialtone::io::local_address_towards("127.0.0.2") == "127.0.0.1");
    CHECK(dialtone::io::local_address_towards("::1") == "::1");
    // Not a numeric address: the loopback of the family it seems to be.
    CHECK(dialtone::io::local_address_towards("pbx.example.com") == "127.0.0.1");
}
