#include "dialtone/io/sip_transport.hpp"

#include "dialtone/io/host_port.hpp"
#include "transport_impl.hpp"

namespace dialtone::io {

std::optional<asio::ip::address> numeric_address(const std::string& host) {
    asio::error_code ec;
    auto address = asio::ip::make_address(host, ec);
    if (ec) return std::nullopt;
    return address;
}

std::string Connection::describe() const {
    std::string out(to_string(transport));
    out += " connection ";
    out += std::to_string(id);
    out += outbound ? " to " : " from ";
    out += to_string(remote.host.empty() ? target : remote);
    return out;
}

SipTransport::Impl::Impl(EventLoop& loop, TransportOptions options, Logger log)
    : loop(loop), context(loop.context()), options(std::move(options)), log(std::move(log)),
      timers(this->options.timers), timer(loop.context()) {}

void SipTransport::Impl::fail(ua::Datagram datagram, std::string reason) {
    log.debug("cannot send to " + std::string(to_string(datagram.transport)) + " " + to_string(datagram.remote) +
              ": " + reason);
    if (failure_handler) failure_handler(SendFailure{std::move(datagram), std::move(reason)});
}

void SipTransport::Impl::tap(bool outgoing, ua::Transport transport, const ua::Address& local,
                             const ua::Address& remote, std::string_view bytes) const {
    if (wire_handler) wire_handler(WireMessage{outgoing, transport, local, remote, bytes});
}

void SipTransport::Impl::deliver(ua::Datagram datagram) {
    tap(false, datagram.transport, datagram.local, datagram.remote, datagram.bytes);
    if (receive_handler) receive_handler(std::move(datagram));
}

// One timer for every connection: armed at the earliest deadline, which only moves later with
// traffic, so a late wake-up finds nothing due and re-arms (no periodic ticks).
void SipTransport::Impl::reschedule() {
    if (closed) return;
    const auto next = timers.next_deadline();
    if (next == armed) return;
    armed = next;
    ++timer_generation;
    timer.cancel();
    if (!next) return;
    timer.expires_at(to_steady(*next));
    timer.async_wait([self = shared_from_this(), generation = timer_generation](const asio::error_code& ec) {
        if (ec || self->closed || generation != self->timer_generation) return;
        self->armed.reset();
        self->on_timer();
    });
}

void SipTransport::Impl::on_timer() {
    const base::TimePoint now = loop.now();
    for (const auto& [id, due] : timers.expire(now)) {
        auto it = connections.find(id);
        if (it == connections.end()) continue;
        auto c = it->second;
        switch (due) {
            case ConnectionDue::ConnectTimeout:
                close_connection(c,
                                 c->describe() + " not established within " +
                                     std::to_string(base::to_milliseconds(options.timers.connect_timeout)) + " ms",
                                 LogLevel::Info);
                break;
            case ConnectionDue::Idle:
                close_connection(c,
                                 c->describe() + " idle for " +
                                     std::to_string(base::to_milliseconds(options.timers.idle_timeout)) + " ms",
                                 LogLevel::Debug);
                break;
            case ConnectionDue::PongTimeout:
                // RFC 5626 §4.4.1: no pong, the flow has failed.
                close_connection(c,
                                 c->describe() + ": no answer to a keep-alive ping within " +
                                     std::to_string(base::to_milliseconds(options.timers.pong_timeout)) + " ms",
                                 LogLevel::Info);
                break;
            case ConnectionDue::Ping: {
                // RFC 5626 §3.5.1: a double CRLF; the server answers with one CRLF.
                ua::Datagram ping{c->transport, c->local, c->remote, c->id, "\r\n\r\n"};
                enqueue(c, Connection::Outgoing{std::move(ping), true});
                break;
            }
        }
    }
    reschedule();
}

void SipTransport::Impl::close_all() {
    if (closed) return;
    asio::error_code ignored;
    for (auto& s : udp) s->socket.close(ignored);
    udp.clear();
    for (auto& l : listeners) {
        l->acceptor.close(ignored);
        l->retry.cancel();
    }
    listeners.clear();
    while (!connections.empty()) close_connection(connections.begin()->second, "transport closed", LogLevel::Debug);
    closed = true;
    timer.cancel();
}

// --- the facade ------------------------------------------------------------------------------

SipTransport::SipTransport(EventLoop& loop, TransportOptions options, Logger log)
    : impl_(std::make_shared<Impl>(loop, std::move(options), std::move(log))) {}

SipTransport::~SipTransport() {
    // Handlers still queued keep the Impl alive; without user callbacks they only return.
    impl_->receive_handler = nullptr;
    impl_->failure_handler = nullptr;
    impl_->closed_handler = nullptr;
    impl_->wire_handler = nullptr;
    impl_->close_all();
    impl_->log = Logger();  // its sink may belong to our owner, which is going away too
}

base::Result<ua::Address> SipTransport::listen(ua::Transport transport, const ua::Address& local) {
    if (impl_->closed) return base::make_error("the SIP transport is closed");
    switch (transport) {
        case ua::Transport::Udp: return impl_->listen_udp(local);
        case ua::Transport::Tcp:
        case ua::Transport::Tls: return impl_->listen_stream(transport, local);
        default: break;
    }
    return base::make_error("cannot listen on " + std::string(to_string(transport)) + ": transport not supported");
}

std::vector<ListenPoint> SipTransport::listen_points() const {
    std::vector<ListenPoint> out;
    for (const auto& s : impl_->udp) out.push_back(ListenPoint{ua::Transport::Udp, s->local});
    for (const auto& l : impl_->listeners) out.push_back(ListenPoint{l->transport, l->local});
    return out;
}

void SipTransport::on_receive(std::function<void(ua::Datagram)> handler) { impl_->receive_handler = std::move(handler); }
void SipTransport::on_send_failure(std::function<void(SendFailure)> handler) {
    impl_->failure_handler = std::move(handler);
}
void SipTransport::on_wire(std::function<void(const WireMessage&)> handler) {
    impl_->wire_handler = std::move(handler);
}
void SipTransport::on_connection_closed(std::function<void(const ConnectionInfo&)> handler) {
    impl_->closed_handler = std::move(handler);
}

void SipTransport::send(ua::Datagram datagram) {
    if (impl_->closed) return impl_->fail(std::move(datagram), "the SIP transport is closed");
    if (datagram.remote.host.empty() || datagram.remote.port == 0)
        return impl_->fail(std::move(datagram), "no destination host and port");
    switch (datagram.transport) {
        case ua::Transport::Udp: return impl_->send_udp(std::move(datagram));
        case ua::Transport::Tcp:
        case ua::Transport::Tls: return impl_->send_stream(std::move(datagram));
        default: break;
    }
    const std::string name(to_string(datagram.transport));
    impl_->fail(std::move(datagram), "transport " + name + " not supported");
}

std::optional<ConnectionInfo> SipTransport::connection(std::uint64_t id) const {
    auto it = impl_->connections.find(id);
    if (it == impl_->connections.end()) return std::nullopt;
    return it->second->info();
}

std::vector<ConnectionInfo> SipTransport::connections() const {
    std::vector<ConnectionInfo> out;
    for (const auto& [id, c] : impl_->connections) out.push_back(c->info());
    return out;
}

void SipTransport::close_connection(std::uint64_t id) {
    auto it = impl_->connections.find(id);
    if (it == impl_->connections.end()) return;
    impl_->close_connection(it->second, it->second->describe() + " closed locally", LogLevel::Debug);
}

void SipTransport::set_idle_timeout(base::Duration idle_timeout) {
    impl_->options.timers.idle_timeout = idle_timeout;
    impl_->timers.set_idle_timeout(idle_timeout);
    impl_->reschedule();
}

void SipTransport::close() { impl_->close_all(); }

}  // namespace dialtone::io
