// SIP over TCP on 127.0.0.1 and ::1: framing (RFC 3261 §18.3), connection reuse and responses
// over the request's connection (§18.2.2), keep-alives (RFC 5626 §3.5.1), idle close.
#include "harness.hpp"

#include <asio/ip/tcp.hpp>
#include <asio/read.hpp>
#include <asio/write.hpp>

using namespace loopback;
using dialtone::ua::Transport;

namespace {

// A plain TCP client on the same loop, standing in for a peer that writes whatever it likes.
struct RawClient {
    RawClient(io::EventLoop& loop, const ua::Address& to) : socket(loop.context()) {
        socket.connect(asio::ip::tcp::endpoint(asio::ip::make_address(to.host), to.port));
        socket.set_option(asio::ip::tcp::no_delay(true));
        read();
    }
    void read() {
        socket.async_read_some(asio::buffer(buffer), [this](const asio::error_code& ec, std::size_t n) {
            if (ec) {
                eof = true;
                return;
            }
            received.append(buffer.data(), n);
            read();
        });
    }
    void write(const std::string& bytes) { asio::write(socket, asio::buffer(bytes)); }

    asio::ip::tcp::socket socket;
    std::array<char, 4096> buffer{};
    std::string received;
    bool eof = false;
};

}  // namespace

TEST_SUITE("loopback: tcp") {
    TEST_CASE("TCP: a request and its response over one connection, IPv4 and IPv6") {
        for (const std::string host : {"127.0.0.1", "::1"}) {
            CAPTURE(host);
            io::EventLoop loop;
            Peer a(loop), b(loop);
            const auto a_addr = a.listen(Transport::Tcp, host);

            b.transport.send(datagram(Transport::Tcp, {}, a_addr, 0, request(Transport::Tcp, "t1", "hello")));
            REQUIRE(wait_for(loop, [&] { return a.received.size() == 1; }));
            const ua::Datagram in = a.received[0];
            CHECK(in.transport == Transport::Tcp);
            CHECK(in.bytes == request(Transport::Tcp, "t1", "hello"));
            CHECK(in.local == a_addr);
            CHECK(in.remote.host == host);
            CHECK(in.connection != 0);

            // §18.2.2: the response goes back over the connection the request came on.
            a.transport.send(datagram(Transport::Tcp, in.local, in.remote, in.connection, response_to("t1")));
            REQUIRE(wait_for(loop, [&] { return b.received.size() == 1; }));
            CHECK(b.received[0].bytes == response_to("t1"));
            CHECK(b.received[0].remote == a_addr);
            CHECK(a.transport.connections().size() == 1);
            CHECK(b.transport.connections().size() == 1);
            CHECK(b.transport.connections()[0].outbound);
            CHECK(b.received[0].connection == b.transport.connections()[0].id);
            CHECK(a.failures.empty());
            CHECK(b.failures.empty());
        }
    }

    TEST_CASE("TCP: two sends to the same remote share one connection") {
        io::EventLoop loop;
        Peer a(loop), b(loop);
        const auto a_addr = a.listen(Transport::Tcp, "127.0.0.1");
        // The second is queued on the connection still being opened.
        b.transport.send(datagram(Transport::Tcp, {}, a_addr, 0, request(Transport::Tcp, "r1")));
        b.transport.send(datagram(Transport::Tcp, {}, a_addr, 0, request(Transport::Tcp, "r2")));
        REQUIRE(wait_for(loop, [&] { return a.received.size() == 2; }));
        // And a third once it is open.
        b.transport.send(datagram(Transport::Tcp, {}, a_addr, 0, request(Transport::Tcp, "r3")));
        REQUIRE(wait_for(loop, [&] { return a.received.size() == 3; }));
        CHECK(a.received[0].bytes == request(Transport::Tcp, "r1"));
        CHECK(a.received[1].bytes == request(Transport::Tcp, "r2"));
        CHECK(a.received[2].bytes == request(Transport::Tcp, "r3"));
        CHECK(a.received[0].connection == a.received[1].connection);
        CHECK(a.received[1].connection == a.received[2].connection);
        CHECK(b.transport.connections().size() == 1);
        CHECK(a.transport.connections().size() == 1);
    }

    TEST_CASE("TCP: a response whose connection closed is sent over a new one to the address given") {
        io::EventLoop loop;
        Peer a(loop), b(loop);
        const auto a_addr = a.listen(Transport::Tcp, "127.0.0.1");
        const auto b_addr = b.listen(Transport::Tcp, "127.0.0.1");
        b.transport.send(datagram(Transport::Tcp, {}, a_addr, 0, request(Transport::Tcp, "c1")));
        REQUIRE(wait_for(loop, [&] { return a.received.size() == 1; }));
        const std::uint64_t first = a.received[0].connection;
        a.transport.close_connection(first);
        CHECK_FALSE(a.transport.connection(first).has_value());
        REQUIRE(wait_for(loop, [&] { return b.closed.size() == 1; }));
        // The Via's sent-by would name b's listening address (§18.2.2).
        a.transport.send(datagram(Transport::Tcp, {}, b_addr, first, response_to("c1")));
        REQUIRE(wait_for(loop, [&] { return b.received.size() == 1; }));
        CHECK(b.received[0].bytes == response_to("c1"));
        const auto now_open = a.transport.connections();
        REQUIRE(now_open.size() == 1);
        CHECK(now_open[0].id > first);  // ids are never reused
    }

    TEST_CASE("RFC 5923 §3: a connection we open leaves from our listening port, and the peer's requests come back over it") {
        for (const std::string host : {"127.0.0.1", "::1"}) {
            CAPTURE(host);
            io::EventLoop loop;
            Peer a(loop), b(loop);
            const auto a_addr = a.listen(Transport::Tcp, host);
            const auto b_addr = b.listen(Transport::Tcp, host);
            b.transport.send(datagram(Transport::Tcp, b_addr, a_addr, 0, request(Transport::Tcp, "p1")));
            REQUIRE(wait_for(loop, [&] { return a.received.size() == 1; }));
            CHECK(a.received[0].remote == b_addr);  // the address b's Via and Contact name
            // A request to b's Contact, as a registrar sends it, takes that connection.
            a.transport.send(datagram(Transport::Tcp, a_addr, b_addr, 0, request(Transport::Tcp, "p2")));
            REQUIRE(wait_for(loop, [&] { return b.received.size() == 1; }));
            CHECK(b.received[0].bytes == request(Transport::Tcp, "p2"));
            REQUIRE(b.transport.connections().size() == 1);
            CHECK(b.transport.connections()[0].outbound);
            CHECK(b.received[0].connection == b.transport.connections()[0].id);
            CHECK(a.transport.connections().size() == 1);
        }
    }

    TEST_CASE("a new connection to a peer just left (its port pair in TIME_WAIT) still gets through") {
        io::EventLoop loop;
        Peer a(loop), b(loop);
        const auto a_addr = a.listen(Transport::Tcp, "127.0.0.1");
        const auto b_addr = b.listen(Transport::Tcp, "127.0.0.1");
        b.transport.send(datagram(Transport::Tcp, b_addr, a_addr, 0, request(Transport::Tcp, "q1")));
        REQUIRE(wait_for(loop, [&] { return a.received.size() == 1; }));
        // b closes first, so its port and a's stay in TIME_WAIT on b's side.
        b.transport.close_connection(b.transport.connections().at(0).id);
        REQUIRE(wait_for(loop, [&] { return a.transport.connections().empty(); }));
        b.transport.send(datagram(Transport::Tcp, b_addr, a_addr, 0, request(Transport::Tcp, "q2")));
        REQUIRE(wait_for(loop, [&] { return a.received.size() == 2 || !b.failures.empty(); }));
        CHECK(b.failures.empty());
        CHECK(a.received[1].bytes == request(Transport::Tcp, "q2"));
    }

    TEST_CASE("§18.3: a message written a byte at a time arrives once, whole") {
        io::EventLoop loop;
        Peer a(loop);
        const auto a_addr = a.listen(Transport::Tcp, "127.0.0.1");
        RawClient raw(loop, a_addr);
        const std::string message = request(Transport::Tcp, "s1", "split body");
        for (std::size_t i = 0; i < message.size(); ++i) {
            raw.write(message.substr(i, 1));
            loop.context().poll();
            if (i + 1 < message.size()) REQUIRE(a.received.empty());
        }
        REQUIRE(wait_for(loop, [&] { return a.received.size() == 1; }));
        CHECK(a.received[0].bytes == message);
    }

    TEST_CASE("§18.3: three messages in one write arrive as three") {
        io::EventLoop loop;
        Peer a(loop);
        const auto a_addr = a.listen(Transport::Tcp, "::1");
        RawClient raw(loop, a_addr);
        raw.write(request(Transport::Tcp, "m1") + request(Transport::Tcp, "m2", "two") + request(Transport::Tcp, "m3"));
        REQUIRE(wait_for(loop, [&] { return a.received.size() == 3; }));
        CHECK(a.received[0].bytes == request(Transport::Tcp, "m1"));
        CHECK(a.received[1].bytes == request(Transport::Tcp, "m2", "two"));
        CHECK(a.received[2].bytes == request(Transport::Tcp, "m3"));
    }

    TEST_CASE("RFC 5626 §3.5.1: a double-CRLF ping is answered with a single CRLF") {
        io::EventLoop loop;
        Peer a(loop);
        const auto a_addr = a.listen(Transport::Tcp, "127.0.0.1");
        RawClient raw(loop, a_addr);
        raw.write("\r\n\r\n");
        REQUIRE(wait_for(loop, [&] { return !raw.received.empty(); }));
        CHECK(raw.received == "\r\n");
        CHECK(a.received.empty());
        // The connection carries on.
        raw.write(request(Transport::Tcp, "p1"));
        REQUIRE(wait_for(loop, [&] { return a.received.size() == 1; }));
    }

    TEST_CASE("§18.3: a message without Content-Length closes the connection, with a log line") {
        io::EventLoop loop;
        Peer a(loop);
        const auto a_addr = a.listen(Transport::Tcp, "127.0.0.1");
        RawClient raw(loop, a_addr);
        raw.write("OPTIONS sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/TCP h;branch=z9hG4bK1\r\n\r\n");
        REQUIRE(wait_for(loop, [&] { return raw.eof; }));
        CHECK(a.received.empty());
        CHECK(a.logged("framing error: missing Content-Length"));
        REQUIRE(a.closed.size() == 1);
        CHECK(a.transport.connections().empty());
    }

    TEST_CASE("a message over the maximum size closes the connection") {
        io::EventLoop loop;
        io::TransportOptions options;
        options.max_message_size = 1024;
        Peer a(loop, options);
        const auto a_addr = a.listen(Transport::Tcp, "127.0.0.1");
        RawClient raw(loop, a_addr);
        raw.write(request(Transport::Tcp, "big", std::string(2000, 'x')));
        REQUIRE(wait_for(loop, [&] { return raw.eof; }));
        CHECK(a.received.empty());
        CHECK(a.logged("exceeds the maximum message size of 1024 bytes"));
    }

    TEST_CASE("a framed but malformed message is still handed on (the core answers 400)") {
        io::EventLoop loop;
        Peer a(loop);
        const auto a_addr = a.listen(Transport::Tcp, "127.0.0.1");
        RawClient raw(loop, a_addr);
        const std::string bad = "GARBAGE\r\nContent-Length: 0\r\n\r\n";
        raw.write(bad + request(Transport::Tcp, "after"));
        REQUIRE(wait_for(loop, [&] { return a.received.size() == 2; }));
        CHECK(a.received[0].bytes == bad);
        CHECK(a.received[1].bytes == request(Transport::Tcp, "after"));
    }

    TEST_CASE("connections idle longer than the idle timeout are closed") {
        io::EventLoop loop;
        io::TransportOptions options;
        options.timers.idle_timeout = base::milliseconds(150);
        Peer a(loop, options), b(loop);
        const auto a_addr = a.listen(Transport::Tcp, "127.0.0.1");
        b.transport.send(datagram(Transport::Tcp, {}, a_addr, 0, request(Transport::Tcp, "i1")));
        REQUIRE(wait_for(loop, [&] { return a.received.size() == 1; }));
        const auto t0 = loop.now();
        REQUIRE(wait_for(loop, [&] { return a.closed.size() == 1 && b.closed.size() == 1; }));
        CHECK(loop.now() - t0 >= base::milliseconds(100));  // not before it was idle
        CHECK(a.logged("idle for 150 ms"));
        CHECK(a.transport.connections().empty());
        CHECK(b.transport.connections().empty());
    }

    TEST_CASE("RFC 5626 §4.4.1: an outbound connection pings after the keep-alive interval") {
        io::EventLoop loop;
        asio::ip::tcp::acceptor acceptor(loop.context(), asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
        asio::ip::tcp::socket server(loop.context());
        std::array<char, 256> buffer{};
        std::string got;
        std::function<void()> read = [&] {
            server.async_read_some(asio::buffer(buffer), [&](const asio::error_code& ec, std::size_t n) {
                if (ec) return;
                got.append(buffer.data(), n);
                read();
            });
        };
        acceptor.async_accept(server, [&](const asio::error_code& ec) {
            if (!ec) read();
        });
        io::TransportOptions options;
        options.timers.keepalive_interval = base::milliseconds(50);
        Peer b(loop, options);
        const ua::Address to{"127.0.0.1", acceptor.local_endpoint().port()};
        const std::string message = request(Transport::Tcp, "ka");
        b.transport.send(datagram(Transport::Tcp, {}, to, 0, message));
        REQUIRE(wait_for(loop, [&] { return got.size() >= message.size() + 4; }));
        CHECK(got.substr(0, message.size()) == message);
        CHECK(got.substr(message.size(), 4) == "\r\n\r\n");
        // Two pongs look like a ping, but where we ping, CRLFs coming back are pongs: nothing
        // is sent for them, so what follows the message stays whole double-CRLF pings.
        asio::write(server, asio::buffer(std::string("\r\n\r\n")));
        REQUIRE(wait_for(loop, [&] { return got.size() >= message.size() + 12; }));
        const std::string after = got.substr(message.size());
        CHECK(after.find_first_not_of("\r\n") == std::string::npos);
        CHECK(after.size() % 4 == 0);
        CHECK(b.received.empty());
    }

    TEST_CASE("RFC 5626 §4.4.1: a server that never answers a ping is dropped") {
        io::EventLoop loop;
        asio::ip::tcp::acceptor acceptor(loop.context(), asio::ip::tcp::endpoint(asio::ip::make_address("::1"), 0));
        asio::ip::tcp::socket server(loop.context());
        acceptor.async_accept(server, [](const asio::error_code&) {});  // accepts, never reads
        io::TransportOptions options;
        options.timers.keepalive_interval = base::milliseconds(40);
        options.timers.pong_timeout = base::milliseconds(80);
        Peer b(loop, options);
        b.transport.send(datagram(Transport::Tcp, {}, {"::1", acceptor.local_endpoint().port()}, 0, request(Transport::Tcp, "pt")));
        REQUIRE(wait_for(loop, [&] { return b.closed.size() == 1; }));
        CHECK(b.logged("no answer to a keep-alive ping within 80 ms"));
        CHECK(b.transport.connections().empty());
    }

    TEST_CASE("TCP: a message beyond the send queue limit fails at once; the rest go out") {
        io::EventLoop loop;
        io::TransportOptions options;
        options.max_queued_bytes = 1000;
        Peer a(loop), b(loop, options);
        const auto a_addr = a.listen(Transport::Tcp, "127.0.0.1");
        const std::string body(500, 'q');
        // All three are queued while the connection is being opened.
        b.transport.send(datagram(Transport::Tcp, {}, a_addr, 0, request(Transport::Tcp, "q1", body)));
        b.transport.send(datagram(Transport::Tcp, {}, a_addr, 0, request(Transport::Tcp, "q2", body)));
        b.transport.send(datagram(Transport::Tcp, {}, a_addr, 0, request(Transport::Tcp, "q3", "")));
        REQUIRE(b.failures.size() == 1);
        CHECK(b.failures[0].datagram.bytes == request(Transport::Tcp, "q2", body));
        CHECK(b.failures[0].reason.find("full") != std::string::npos);
        REQUIRE(wait_for(loop, [&] { return a.received.size() == 2; }));
        CHECK(a.received[0].bytes == request(Transport::Tcp, "q1", body));
        CHECK(a.received[1].bytes == request(Transport::Tcp, "q3"));
    }

    TEST_CASE("TCP: a refused connection reports every queued message as failed") {
        io::EventLoop loop;
        Peer b(loop);
        // A port that was just free and has no listener.
        ua::Address to;
        {
            asio::ip::tcp::acceptor probe(loop.context(), asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
            to = ua::Address{"127.0.0.1", probe.local_endpoint().port()};
        }
        b.transport.send(datagram(Transport::Tcp, {}, to, 0, request(Transport::Tcp, "x1")));
        b.transport.send(datagram(Transport::Tcp, {}, to, 0, request(Transport::Tcp, "x2")));
        REQUIRE(wait_for(loop, [&] { return b.failures.size() == 2; }));
        CHECK(b.failures[0].datagram.bytes == request(Transport::Tcp, "x1"));
        CHECK(b.failures[1].datagram.bytes == request(Transport::Tcp, "x2"));
        CHECK(b.failures[0].reason.find("tcp connect to 127.0.0.1:" + std::to_string(to.port) + " failed") == 0);
        CHECK(b.transport.connections().empty());
        CHECK(b.closed.empty());  // it never opened
    }
}
