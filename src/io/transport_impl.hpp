#pragma once
// The insides of io::SipTransport, shared by sip_transport.cpp (routing, timers),
// udp_transport.cpp and stream_transport.cpp. Completion handlers hold a shared_ptr to the Impl
// and to their socket, so nothing they touch is freed under them; after close() they return.
#include "dialtone/io/sip_transport.hpp"
#include "dialtone/io/stream_reader.hpp"
#include "dialtone/io/tls_context.hpp"

#include <asio/ip/tcp.hpp>
#include <asio/ip/udp.hpp>
#include <asio/ssl/stream.hpp>
#include <asio/steady_timer.hpp>

#include <array>
#include <deque>
#include <map>
#include <optional>

namespace dialtone::io {

inline ua::Address to_address(const asio::ip::address& address, std::uint16_t port) {
    return ua::Address{address.to_string(), port};
}
template <class Endpoint>
ua::Address to_address(const Endpoint& endpoint) {
    return to_address(endpoint.address(), endpoint.port());
}
// The address when `host` is a numeric IPv4 or IPv6 address, else nullopt (a name to resolve).
std::optional<asio::ip::address> numeric_address(const std::string& host);

struct UdpSocket {
    explicit UdpSocket(asio::io_context& context) : socket(context) {}
    asio::ip::udp::socket socket;
    ua::Address local;
    asio::ip::udp::endpoint sender;
    std::array<char, 65536> buffer{};  // the largest UDP payload
};

struct Listener {
    explicit Listener(asio::io_context& context) : acceptor(context), retry(context) {}
    ua::Transport transport = ua::Transport::Tcp;
    asio::ip::tcp::acceptor acceptor;
    asio::steady_timer retry;  // after a failed accept (e.g. out of descriptors), wait a little
    ua::Address local;
};

struct Connection {
    enum class Phase : std::uint8_t { Resolving, Connecting, Handshaking, Open, Closed };
    struct Outgoing {
        ua::Datagram datagram;
        bool keepalive = false;  // a ping or pong: nobody to tell if it fails
    };

    Connection(std::uint64_t id, ua::Transport transport, bool outbound, std::size_t max_message_size)
        : id(id), transport(transport), outbound(outbound), reader(max_message_size) {}

    asio::ip::tcp::socket& socket() { return tls ? tls->next_layer() : *tcp; }
    ConnectionInfo info() const { return ConnectionInfo{id, transport, local, remote, outbound}; }
    std::string describe() const;  // "tcp connection 3 to 127.0.0.1:5060"

    std::uint64_t id;
    ua::Transport transport;
    bool outbound;
    Phase phase = Phase::Resolving;
    bool was_open = false;
    ua::Address target;  // as asked for: the host may be a name (outbound only)
    // Our SIP listening address to connect from (outbound only; see open_connection).
    std::optional<asio::ip::tcp::endpoint> source;
    ua::Address local;   // numeric, once connected
    ua::Address remote;
    std::optional<asio::ip::tcp::socket> tcp;
    std::optional<asio::ssl::stream<asio::ip::tcp::socket>> tls;
    StreamReader reader;
    std::deque<Outgoing> queue;
    std::size_t queued_bytes = 0;  // of the messages in queue
    bool writing = false;
    std::array<char, 16384> buffer{};
};

struct SipTransport::Impl : std::enable_shared_from_this<SipTransport::Impl> {
    Impl(EventLoop& loop, TransportOptions options, Logger log);

    // sip_transport.cpp
    void fail(ua::Datagram datagram, std::string reason);
    void deliver(ua::Datagram datagram);
    void tap(bool outgoing, ua::Transport transport, const ua::Address& local, const ua::Address& remote,
             std::string_view bytes) const;
    void reschedule();
    void on_timer();
    void close_all();

    // udp_transport.cpp
    base::Result<ua::Address> listen_udp(const ua::Address& local);
    void receive_udp(const std::shared_ptr<UdpSocket>& socket);
    void send_udp(ua::Datagram datagram);
    void send_udp_to(std::shared_ptr<ua::Datagram> datagram, const asio::ip::udp::endpoint& to);

    // stream_transport.cpp
    base::Result<ua::Address> listen_stream(ua::Transport transport, const ua::Address& local);
    void accept(const std::shared_ptr<Listener>& listener);
    void send_stream(ua::Datagram datagram);
    std::shared_ptr<Connection> find_connection(const ua::Datagram& datagram) const;
    std::shared_ptr<Connection> open_connection(ua::Datagram datagram);
    std::optional<asio::ip::tcp::endpoint> listening_source(const ua::Address& local) const;
    void connect(const std::shared_ptr<Connection>& c, std::vector<asio::ip::tcp::endpoint> endpoints);
    void connect_from_source(const std::shared_ptr<Connection>& c, std::vector<asio::ip::tcp::endpoint> endpoints);
    void connect_any(const std::shared_ptr<Connection>& c, std::vector<asio::ip::tcp::endpoint> endpoints);
    void connected(const std::shared_ptr<Connection>& c, const asio::ip::tcp::endpoint& to);
    void handshake(const std::shared_ptr<Connection>& c);
    void established(const std::shared_ptr<Connection>& c);
    void read(const std::shared_ptr<Connection>& c);
    void on_bytes(const std::shared_ptr<Connection>& c, std::string_view bytes);
    void enqueue(const std::shared_ptr<Connection>& c, Connection::Outgoing out);
    void write_next(const std::shared_ptr<Connection>& c);
    void close_connection(std::shared_ptr<Connection> c, const std::string& reason, LogLevel level);
    base::Result<TlsContext*> tls_context();

    EventLoop& loop;
    asio::io_context& context;
    TransportOptions options;
    Logger log;
    bool closed = false;

    std::function<void(ua::Datagram)> receive_handler;
    std::function<void(SendFailure)> failure_handler;
    std::function<void(const ConnectionInfo&)> closed_handler;
    std::function<void(const WireMessage&)> wire_handler;

    std::vector<std::shared_ptr<UdpSocket>> udp;
    std::vector<std::shared_ptr<Listener>> listeners;
    std::map<std::uint64_t, std::shared_ptr<Connection>> connections;
    std::uint64_t next_connection_id = 1;  // never reused
    std::unique_ptr<TlsContext> tls;

    ConnectionTimers timers;
    asio::steady_timer timer;
    std::optional<base::TimePoint> armed;
    std::uint64_t timer_generation = 0;
};

}  // namespace dialtone::io
