#pragma once
// SIP over UDP, TCP and TLS on the event loop (RFC 3261 §18): the bridge between sockets and the
// core's Datagrams.
//
// Receiving: every UDP datagram, and every whole message framed out of a TCP/TLS stream, is
// handed to on_receive() with the connection it came on. Sending: UDP leaves from the listening
// socket matching the address family (or the Datagram's `local`); TCP/TLS goes over the given
// connection while it is open, else over any connection to `remote` (reuse, §18.2.2), else over
// a new one, the message queued until it is up. Host names are resolved (A/AAAA) first;
// NAPTR/SRV (RFC 3263) is the caller's business. Whatever cannot be sent comes back through
// on_send_failure() with the Datagram, so the transaction layer can act (§17.1.1.2, §17.2.4).
#include "dialtone/base/result.hpp"
#include "dialtone/io/connection_timers.hpp"
#include "dialtone/io/event_loop.hpp"
#include "dialtone/io/log.hpp"
#include "dialtone/io/tls_options.hpp"
#include "dialtone/sip/framer.hpp"
#include "dialtone/ua/datagram.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace dialtone::io {

struct TransportOptions {
    // Largest message accepted on a stream (§18.3); a bigger one closes the connection.
    std::size_t max_message_size = sip::StreamFramer::default_max_message_size;
    // Bytes a TCP/TLS connection may hold unsent (a peer that stops reading, a slow connect);
    // a message beyond it fails at once instead of piling up.
    std::size_t max_queued_bytes = 1024 * 1024;
    ConnectionTimerConfig timers;
    std::optional<TlsOptions> tls;  // without it TLS connections verify against the system store
};

struct ListenPoint {
    ua::Transport transport = ua::Transport::Udp;
    ua::Address local;  // the bound address, with the port actually assigned
};

struct SendFailure {
    ua::Datagram datagram;  // as given to send()
    std::string reason;     // e.g. "tcp connect to 127.0.0.1:5060 failed: Connection refused"
};

// A SIP message as it left or arrived, with the addresses the socket used (for --pcap). On a
// UDP socket bound to a wildcard address, `local` is that wildcard.
struct WireMessage {
    bool outgoing = false;
    ua::Transport transport = ua::Transport::Udp;
    ua::Address local;
    ua::Address remote;
    std::string_view bytes;
};

struct ConnectionInfo {
    std::uint64_t id = 0;
    ua::Transport transport = ua::Transport::Tcp;
    ua::Address local;
    ua::Address remote;
    bool outbound = false;  // we opened it
};

class SipTransport {
public:
    SipTransport(EventLoop& loop, TransportOptions options = {}, Logger log = {});
    ~SipTransport();
    SipTransport(const SipTransport&) = delete;
    SipTransport& operator=(const SipTransport&) = delete;

    // Listens on a numeric IPv4 or IPv6 address; port 0 picks a free port. Returns the bound
    // address. TLS needs TransportOptions::tls with a certificate and key.
    base::Result<ua::Address> listen(ua::Transport transport, const ua::Address& local);
    std::vector<ListenPoint> listen_points() const;

    void on_receive(std::function<void(ua::Datagram)> handler);
    void on_send_failure(std::function<void(SendFailure)> handler);
    // Every message sent (once the socket took it) or received; keep-alive CRLFs are left out.
    void on_wire(std::function<void(const WireMessage&)> handler);
    // A TCP/TLS connection was closed (by either side, a framing error or the idle timer).
    void on_connection_closed(std::function<void(const ConnectionInfo&)> handler);

    // Sends (or queues) one message; failures arrive through on_send_failure, never here.
    void send(ua::Datagram datagram);

    std::optional<ConnectionInfo> connection(std::uint64_t id) const;
    std::vector<ConnectionInfo> connections() const;  // open or opening
    void close_connection(std::uint64_t id);
    // Changes TransportOptions::timers.idle_timeout for every connection (0: none closes when idle).
    void set_idle_timeout(base::Duration idle_timeout);
    // Stops listening and closes every socket; queued messages are reported as failures.
    void close();

    struct Impl;

private:
    std::shared_ptr<Impl> impl_;
};

}  // namespace dialtone::io
