// SIP over TLS (RFC 3261 §26.3.1, RFC 5922 §7): each way over IPv4 and IPv6 with certificates
// made at test time, peer verification by CA and by host name, the no-verify option, client
// certificates.
#include "harness.hpp"
#include "test_certs.hpp"

#include "dialtone/io/tls_context.hpp"

#include <openssl/ssl.h>

using namespace loopback;
using dialtone::ua::Transport;

namespace {

io::TransportOptions server_options(const std::string& cert, const std::string& key) {
    io::TransportOptions options;
    options.tls = io::TlsOptions{};
    options.tls->certificate_file = cert;
    options.tls->private_key_file = key;
    return options;
}

io::TransportOptions client_options(const std::string& ca, bool verify = true) {
    io::TransportOptions options;
    options.tls = io::TlsOptions{};
    options.tls->ca_file = ca;
    options.tls->verify_server = verify;
    return options;
}

const TestCerts& certs() {
    const TestCerts& c = test_certs();
    REQUIRE_MESSAGE(c.error.empty(), c.error);
    return c;
}

}  // namespace

TEST_SUITE("loopback: tls") {
    TEST_CASE("TLS: a request and its response over one verified connection, IPv4 and IPv6") {
        const TestCerts& c = certs();
        for (const std::string host : {"127.0.0.1", "::1"}) {
            CAPTURE(host);
            io::EventLoop loop;
            Peer a(loop, server_options(c.server_cert, c.server_key));
            Peer b(loop, client_options(c.ca));
            const auto a_addr = a.listen(Transport::Tls, host);

            b.transport.send(datagram(Transport::Tls, {}, a_addr, 0, request(Transport::Tls, "s1", "secret")));
            REQUIRE(wait_for(loop, [&] { return a.received.size() == 1 || !b.failures.empty(); }));
            REQUIRE_MESSAGE(b.failures.empty(), (b.failures.empty() ? "" : b.failures[0].reason));
            const ua::Datagram in = a.received[0];
            CHECK(in.transport == Transport::Tls);
            CHECK(in.bytes == request(Transport::Tls, "s1", "secret"));
            CHECK(in.local == a_addr);
            CHECK(in.connection != 0);

            a.transport.send(datagram(Transport::Tls, in.local, in.remote, in.connection, response_to("s1")));
            REQUIRE(wait_for(loop, [&] { return b.received.size() == 1; }));
            CHECK(b.received[0].bytes == response_to("s1"));
            CHECK(b.received[0].transport == Transport::Tls);
            CHECK(b.received[0].remote == a_addr);

            // Reuse: a second request takes the same connection.
            b.transport.send(datagram(Transport::Tls, {}, a_addr, 0, request(Transport::Tls, "s2")));
            REQUIRE(wait_for(loop, [&] { return a.received.size() == 2; }));
            CHECK(a.received[1].connection == in.connection);
            CHECK(b.transport.connections().size() == 1);
            CHECK(a.failures.empty());
        }
    }

    TEST_CASE("TLS: a client that listens only on TCP gets requests over the connection it opened") {
        // A phone has no certificate to listen for TLS with; its Contact names its TCP port,
        // which its TLS connection leaves from (RFC 5923 §3).
        const TestCerts& c = certs();
        io::EventLoop loop;
        Peer a(loop, server_options(c.server_cert, c.server_key));
        Peer b(loop, client_options(c.ca));
        const auto a_addr = a.listen(Transport::Tls, "127.0.0.1");
        const auto b_addr = b.listen(Transport::Tcp, "127.0.0.1");
        b.transport.send(datagram(Transport::Tls, b_addr, a_addr, 0, request(Transport::Tls, "r1")));
        REQUIRE(wait_for(loop, [&] { return a.received.size() == 1 || !b.failures.empty(); }));
        REQUIRE_MESSAGE(b.failures.empty(), (b.failures.empty() ? "" : b.failures[0].reason));
        CHECK(a.received[0].remote == b_addr);
        a.transport.send(datagram(Transport::Tls, a_addr, b_addr, 0, request(Transport::Tls, "r2")));
        REQUIRE(wait_for(loop, [&] { return b.received.size() == 1 || !a.failures.empty(); }));
        REQUIRE_MESSAGE(a.failures.empty(), (a.failures.empty() ? "" : a.failures[0].reason));
        CHECK(b.received[0].bytes == request(Transport::Tls, "r2"));
        CHECK(b.received[0].transport == Transport::Tls);
        CHECK(a.transport.connections().size() == 1);
    }

    TEST_CASE("TLS: a host name is resolved, sent as SNI and matched against the certificate") {
        const TestCerts& c = certs();
        io::EventLoop loop;
        Peer a(loop, server_options(c.server_cert, c.server_key));
        Peer b(loop, client_options(c.ca));
        const auto a_addr = a.listen(Transport::Tls, "127.0.0.1");
        b.transport.send(datagram(Transport::Tls, {}, {"localhost", a_addr.port}, 0, request(Transport::Tls, "h1")));
        REQUIRE(wait_for(loop, [&] { return a.received.size() == 1 || !b.failures.empty(); }));
        REQUIRE_MESSAGE(b.failures.empty(), (b.failures.empty() ? "" : b.failures[0].reason));
        CHECK(a.received[0].bytes == request(Transport::Tls, "h1"));
        const auto open = b.transport.connections();
        REQUIRE(open.size() == 1);
        CHECK(open[0].remote == a_addr);
    }

    TEST_CASE("TLS: a server certificate from an untrusted CA fails the send") {
        const TestCerts& c = certs();
        io::EventLoop loop;
        Peer a(loop, server_options(c.server_cert, c.server_key));
        Peer b(loop, client_options(c.other_ca));
        const auto a_addr = a.listen(Transport::Tls, "127.0.0.1");
        b.transport.send(datagram(Transport::Tls, {}, a_addr, 0, request(Transport::Tls, "v1")));
        REQUIRE(wait_for(loop, [&] { return b.failures.size() == 1; }));
        CHECK(b.failures[0].datagram.bytes == request(Transport::Tls, "v1"));
        CHECK(b.failures[0].reason.find("certificate verify failed") != std::string::npos);
        CHECK(b.failures[0].reason.find("local issuer") != std::string::npos);
        CHECK(a.received.empty());
        CHECK(b.transport.connections().empty());
    }

    TEST_CASE("TLS: a certificate for another host name fails the send") {
        const TestCerts& c = certs();
        for (const std::string host : {"127.0.0.1", "localhost"}) {
            CAPTURE(host);
            io::EventLoop loop;
            Peer a(loop, server_options(c.wrong_name_cert, c.wrong_name_key));
            Peer b(loop, client_options(c.ca));
            const auto a_addr = a.listen(Transport::Tls, "127.0.0.1");
            b.transport.send(datagram(Transport::Tls, {}, {host, a_addr.port}, 0, request(Transport::Tls, "w1")));
            REQUIRE(wait_for(loop, [&] { return b.failures.size() == 1; }));
            const std::string mismatch = host == "localhost" ? "hostname mismatch" : "IP address mismatch";
            CHECK(b.failures[0].reason.find(mismatch) != std::string::npos);
            CHECK(a.received.empty());
        }
    }

    TEST_CASE("TLS: with verification off the untrusted server is accepted, and a warning logged") {
        const TestCerts& c = certs();
        io::EventLoop loop;
        Peer a(loop, server_options(c.wrong_name_cert, c.wrong_name_key));
        Peer b(loop, client_options(c.other_ca, false));
        const auto a_addr = a.listen(Transport::Tls, "::1");
        b.transport.send(datagram(Transport::Tls, {}, a_addr, 0, request(Transport::Tls, "n1")));
        REQUIRE(wait_for(loop, [&] { return a.received.size() == 1 || !b.failures.empty(); }));
        CHECK(b.failures.empty());
        CHECK(a.received.size() == 1);
        CHECK(b.logged("warning: TLS: server certificates are not verified"));
    }

    TEST_CASE("TLS: a server that requires client certificates takes a valid one and refuses none") {
        const TestCerts& c = certs();
        io::EventLoop loop;
        auto strict = server_options(c.server_cert, c.server_key);
        strict.tls->ca_file = c.ca;
        strict.tls->require_client_certificate = true;
        Peer a(loop, strict);
        const auto a_addr = a.listen(Transport::Tls, "127.0.0.1");

        auto with_cert = client_options(c.ca);
        with_cert.tls->certificate_file = c.client_cert;
        with_cert.tls->private_key_file = c.client_key;
        Peer good(loop, with_cert);
        good.transport.send(datagram(Transport::Tls, {}, a_addr, 0, request(Transport::Tls, "m1")));
        REQUIRE(wait_for(loop, [&] { return a.received.size() == 1 || !good.failures.empty(); }));
        CHECK(good.failures.empty());
        CHECK(a.received.size() == 1);

        Peer anonymous(loop, client_options(c.ca));
        anonymous.transport.send(datagram(Transport::Tls, {}, a_addr, 0, request(Transport::Tls, "m2")));
        // TLS 1.3 completes the client's handshake before the server checks: the refusal may come
        // as a failed write or a closed connection. Either way nothing reaches the server's core.
        REQUIRE(wait_for(loop, [&] { return a.logged("tls handshake on tls connection"); }));
        CHECK(a.received.size() == 1);
    }

    TEST_CASE("TLS: listening needs a certificate, and bad files are named") {
        const TestCerts& c = certs();
        io::EventLoop loop;
        Peer none(loop);
        auto refused = none.transport.listen(Transport::Tls, ua::Address{"127.0.0.1", 0});
        REQUIRE_FALSE(refused.ok());
        CHECK(refused.error().message == "cannot listen on tls 127.0.0.1:0: TLS needs a certificate and a private key");

        Peer bad(loop, server_options(c.dir + "/missing.pem", c.server_key));
        auto missing = bad.transport.listen(Transport::Tls, ua::Address{"127.0.0.1", 0});
        REQUIRE_FALSE(missing.ok());
        CHECK(missing.error().message.find("cannot load the certificate file '" + c.dir + "/missing.pem'") !=
              std::string::npos);

        Peer mismatched(loop, server_options(c.server_cert, c.client_key));
        auto pair = mismatched.transport.listen(Transport::Tls, ua::Address{"127.0.0.1", 0});
        REQUIRE_FALSE(pair.ok());
        CHECK(pair.error().message.find("does not match") != std::string::npos);
    }

    TEST_CASE("TLS: both contexts refuse anything older than TLS 1.2") {
        const TestCerts& c = certs();
        io::TlsOptions options;
        options.certificate_file = c.server_cert;
        options.private_key_file = c.server_key;
        options.ca_file = c.ca;
        auto ctx = io::TlsContext::create(options, io::Logger());
        REQUIRE(ctx.ok());
        CHECK(SSL_CTX_get_min_proto_version(ctx.value()->client().native_handle()) == TLS1_2_VERSION);
        REQUIRE(ctx.value()->server() != nullptr);
        CHECK(SSL_CTX_get_min_proto_version(ctx.value()->server()->native_handle()) == TLS1_2_VERSION);
        CHECK(SSL_CTX_get_verify_mode(ctx.value()->client().native_handle()) == SSL_VERIFY_PEER);
    }
}
