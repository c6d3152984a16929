// SIP over TCP and TLS (RFC 3261 §18.2.2, §18.3, §26.3.1): listening, connecting with reuse,
// Content-Length framing, CRLF keep-alives (RFC 5626 §3.5.1) and queued writes.
#include "dialtone/io/host_port.hpp"
#include "transport_impl.hpp"

#include <asio/connect.hpp>
#include <asio/ip/v6_only.hpp>
#include <asio/ssl/error.hpp>
#include <asio/write.hpp>

namespace dialtone::io {

namespace {

std::string describe_target(ua::Transport transport, const ua::Address& address) {
    return std::string(to_string(transport)) + " " + to_string(address);
}

// SO_REUSEPORT: our listening socket and the connections we open share the SIP port.
using reuse_port = asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>;

}  // namespace

base::Result<TlsContext*> SipTransport::Impl::tls_context() {
    if (!tls) {
        auto created = TlsContext::create(options.tls.value_or(TlsOptions{}), log);
        if (!created) return created.error();
        tls = std::move(created).value();
    }
    return tls.get();
}

// --- listening -------------------------------------------------------------------------------

base::Result<ua::Address> SipTransport::Impl::listen_stream(ua::Transport transport, const ua::Address& local) {
    const std::string what = "cannot listen on " + describe_target(transport, local);
    const auto address = numeric_address(local.host);
    if (!address) return base::make_error(what + ": not a numeric IPv4 or IPv6 address");
    if (transport == ua::Transport::Tls) {
        if (!options.tls || options.tls->certificate_file.empty())
            return base::make_error(what + ": TLS needs a certificate and a private key");
        auto ctx = tls_context();
        if (!ctx) return base::make_error(what + ": " + ctx.error().message);
    }
    auto l = std::make_shared<Listener>(context);
    l->transport = transport;
    const asio::ip::tcp::endpoint endpoint(*address, local.port);
    asio::error_code ec;
    l->acceptor.open(endpoint.protocol(), ec);
    if (!ec) l->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) l->acceptor.set_option(reuse_port(true), ec);
    if (!ec && address->is_v6()) l->acceptor.set_option(asio::ip::v6_only(true), ec);
    if (!ec) l->acceptor.bind(endpoint, ec);
    if (!ec) l->acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) return base::make_error(what + ": " + ec.message());
    const auto bound = l->acceptor.local_endpoint(ec);
    if (ec) return base::make_error(what + ": " + ec.message());
    l->local = to_address(bound);
    listeners.push_back(l);
    log.info("listening on " + describe_target(transport, l->local));
    accept(l);
    return l->local;
}

void SipTransport::Impl::accept(const std::shared_ptr<Listener>& l) {
    auto c = std::make_shared<Connection>(0, l->transport, false, options.max_message_size);
    if (l->transport == ua::Transport::Tls) {
        c->tls.emplace(context, *tls->server());
    } else {
        c->tcp.emplace(context);
    }
    l->acceptor.async_accept(c->socket(), [self = shared_from_this(), l, c](const asio::error_code& ec) {
        if (self->closed || ec == asio::error::operation_aborted || !l->acceptor.is_open()) return;
        if (ec) {
            // Out of descriptors, say: retry shortly rather than spin.
            self->log.warning("accepting on " + describe_target(l->transport, l->local) + ": " + ec.message());
            l->retry.expires_after(std::chrono::milliseconds(100));
            l->retry.async_wait([self, l](const asio::error_code& e) {
                if (!e && !self->closed) self->accept(l);
            });
            return;
        }
        self->accept(l);
        asio::error_code e;
        const auto remote = c->socket().remote_endpoint(e);
        const auto local = c->socket().local_endpoint(e);
        if (e) return;  // already reset by the peer
        c->id = self->next_connection_id++;
        c->remote = to_address(remote);
        c->local = to_address(local);
        c->socket().set_option(asio::ip::tcp::no_delay(true), e);
        self->connections.emplace(c->id, c);
        self->log.debug("accepted " + c->describe());
        if (c->tls) {
            c->phase = Connection::Phase::Handshaking;
            self->timers.opening(c->id, self->loop.now());
            self->reschedule();
            self->handshake(c);
        } else {
            self->established(c);
        }
    });
}

// --- connecting ------------------------------------------------------------------------------

std::shared_ptr<Connection> SipTransport::Impl::find_connection(const ua::Datagram& d) const {
    // §18.2.2: a response goes back over the connection its request came on, while it is open.
    if (d.connection != 0) {
        auto it = connections.find(d.connection);
        if (it != connections.end() && it->second->transport == d.transport) return it->second;
    }
    // Otherwise any connection to that address (RFC 3261 §18.1.1, RFC 5923 §3): one already
    // open is best, one being opened will do.
    std::shared_ptr<Connection> opening;
    for (const auto& [id, c] : connections) {
        if (c->transport != d.transport) continue;
        if (c->remote != d.remote && c->target != d.remote) continue;
        if (c->phase == Connection::Phase::Open) return c;
        if (!opening) opening = c;
    }
    return opening;
}

void SipTransport::Impl::send_stream(ua::Datagram datagram) {
    if (auto c = find_connection(datagram)) return enqueue(c, Connection::Outgoing{std::move(datagram), false});
    open_connection(std::move(datagram));
}

std::shared_ptr<Connection> SipTransport::Impl::open_connection(ua::Datagram datagram) {
    const ua::Transport transport = datagram.transport;
    const ua::Address target = datagram.remote;
    std::shared_ptr<Connection> c;
    if (transport == ua::Transport::Tls) {
        auto ctx = tls_context();
        if (!ctx) {
            fail(std::move(datagram), "cannot open " + describe_target(transport, target) + ": " + ctx.error().message);
            return nullptr;
        }
        c = std::make_shared<Connection>(next_connection_id++, transport, true, options.max_message_size);
        c->tls.emplace(context, (*ctx)->client());
    } else {
        c = std::make_shared<Connection>(next_connection_id++, transport, true, options.max_message_size);
        c->tcp.emplace(context);
    }
    c->target = target;
    c->source = listening_source(datagram.local);
    connections.emplace(c->id, c);
    timers.opening(c->id, loop.now());
    reschedule();
    log.debug("opening " + c->describe());
    enqueue(c, Connection::Outgoing{std::move(datagram), false});

    if (const auto address = numeric_address(target.host)) {
        connect(c, {asio::ip::tcp::endpoint(*address, target.port)});
        return c;
    }
    auto resolver = std::make_shared<asio::ip::tcp::resolver>(context);
    resolver->async_resolve(target.host, std::to_string(target.port), asio::ip::tcp::resolver::numeric_service,
                            [self = shared_from_this(), resolver, c](const asio::error_code& ec,
                                                                      asio::ip::tcp::resolver::results_type results) {
                                if (self->closed || c->phase == Connection::Phase::Closed) return;
                                if (ec || results.empty()) {
                                    return self->close_connection(c,
                                                                  "cannot resolve '" + c->target.host + "': " +
                                                                      (ec ? ec.message() : std::string("no address")),
                                                                  LogLevel::Info);
                                }
                                std::vector<asio::ip::tcp::endpoint> endpoints;
                                for (const auto& entry : results) endpoints.push_back(entry.endpoint());
                                self->connect(c, std::move(endpoints));
                            });
    return c;
}

// A connection we open leaves from our SIP listening port when we have one there: its source
// address is then the one our Via and Contact name, so a registrar or proxy that looks for an
// open connection to our Contact finds this one and sends its requests over it (RFC 5923 §3,
// what Kamailio's tcp_reuse_port does too). That is how a request reaches us over TLS, where we
// do not listen, and through a firewall that lets only our own connections in.
std::optional<asio::ip::tcp::endpoint> SipTransport::Impl::listening_source(const ua::Address& local) const {
    if (local.port == 0) return std::nullopt;
    const auto address = numeric_address(local.host);
    if (!address) return std::nullopt;
    for (const auto& l : listeners) {
        if (l->local.port != local.port) continue;
        const auto bound = numeric_address(l->local.host);
        if (bound && (*bound == *address || bound->is_unspecified()))
            return asio::ip::tcp::endpoint(*address, local.port);
    }
    return std::nullopt;
}

void SipTransport::Impl::connect(const std::shared_ptr<Connection>& c, std::vector<asio::ip::tcp::endpoint> endpoints) {
    c->phase = Connection::Phase::Connecting;
    if (c->source && !endpoints.empty() && endpoints.front().protocol() == c->source->protocol())
        return connect_from_source(c, std::move(endpoints));
    connect_any(c, std::move(endpoints));
}

void SipTransport::Impl::connect_from_source(const std::shared_ptr<Connection>& c,
                                             std::vector<asio::ip::tcp::endpoint> endpoints) {
    asio::error_code ec;
    auto& socket = c->socket();
    socket.open(c->source->protocol(), ec);
    if (!ec) socket.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) socket.set_option(reuse_port(true), ec);
    if (!ec) socket.bind(*c->source, ec);
    if (ec) {
        log.debug("cannot connect from " + to_string(to_address(*c->source)) + ": " + ec.message() + "; from any port");
        socket.close(ec);
        return connect_any(c, std::move(endpoints));
    }
    const auto to = endpoints.front();
    socket.async_connect(to, [self = shared_from_this(), c, to, endpoints = std::move(endpoints)](
                                 const asio::error_code& error) mutable {
        if (self->closed || c->phase == Connection::Phase::Closed) return;
        const bool port_taken = error == asio::error::address_in_use || error == std::errc::address_not_available;
        if (error && !port_taken) {
            return self->close_connection(c,
                                          std::string(to_string(c->transport)) + " connect to " +
                                              to_string(c->target) + " failed: " + error.message(),
                                          LogLevel::Info);
        }
        if (error) {
            // The pair of our port and theirs may still be in TIME_WAIT from an earlier connection.
            self->log.debug(std::string(to_string(c->transport)) + " connect to " + to_string(to_address(to)) +
                            " from " + to_string(to_address(*c->source)) + " failed: " + error.message() +
                            "; from any port");
            asio::error_code ignored;
            c->socket().close(ignored);
            return self->connect_any(c, std::move(endpoints));
        }
        self->connected(c, to);
    });
}

void SipTransport::Impl::connect_any(const std::shared_ptr<Connection>& c, std::vector<asio::ip::tcp::endpoint> endpoints) {
    // Each address in turn until one answers (A and AAAA records alike).
    asio::async_connect(c->socket(), endpoints,
                        [self = shared_from_this(), c](const asio::error_code& ec, const asio::ip::tcp::endpoint& to) {
                            if (self->closed || c->phase == Connection::Phase::Closed) return;
                            if (ec) {
                                return self->close_connection(c,
                                                              std::string(to_string(c->transport)) + " connect to " +
                                                                  to_string(c->target) + " failed: " + ec.message(),
                                                              LogLevel::Info);
                            }
                            self->connected(c, to);
                        });
}

void SipTransport::Impl::connected(const std::shared_ptr<Connection>& c, const asio::ip::tcp::endpoint& to) {
    asio::error_code e;
    c->remote = to_address(to);
    c->local = to_address(c->socket().local_endpoint(e));
    c->socket().set_option(asio::ip::tcp::no_delay(true), e);
    if (c->tls) {
        c->phase = Connection::Phase::Handshaking;
        handshake(c);
    } else {
        established(c);
    }
}

void SipTransport::Impl::handshake(const std::shared_ptr<Connection>& c) {
    asio::ssl::stream_base::handshake_type type = asio::ssl::stream_base::server;
    if (c->outbound) {
        type = asio::ssl::stream_base::client;
        if (auto prepared = tls->prepare_client(c->tls->native_handle(), c->target.host); !prepared)
            return close_connection(c, prepared.error().message, LogLevel::Warning);
    }
    c->tls->async_handshake(type, [self = shared_from_this(), c](const asio::error_code& ec) {
        if (self->closed || c->phase == Connection::Phase::Closed) return;
        if (ec) {
            return self->close_connection(c,
                                          "tls handshake on " + c->describe() + " failed: " +
                                              describe_tls_error(ec, c->tls->native_handle()),
                                          LogLevel::Warning);
        }
        self->established(c);
    });
}

void SipTransport::Impl::established(const std::shared_ptr<Connection>& c) {
    c->phase = Connection::Phase::Open;
    c->was_open = true;
    timers.opened(c->id, loop.now(), c->outbound);
    reschedule();
    log.debug(c->describe() + " open, local " + to_string(c->local));
    read(c);
    write_next(c);
}

// --- reading ---------------------------------------------------------------------------------

void SipTransport::Impl::read(const std::shared_ptr<Connection>& c) {
    auto handler = [self = shared_from_this(), c](const asio::error_code& ec, std::size_t n) {
        if (self->closed || c->phase == Connection::Phase::Closed) return;
        if (ec) {
            const bool orderly = ec == asio::error::eof || ec == asio::ssl::error::stream_truncated;
            return self->close_connection(c, c->describe() + (orderly ? " closed by the peer" : ": " + ec.message()),
                                          LogLevel::Debug);
        }
        self->on_bytes(c, std::string_view(c->buffer.data(), n));
        if (c->phase == Connection::Phase::Open) self->read(c);
    };
    if (c->tls) {
        c->tls->async_read_some(asio::buffer(c->buffer), std::move(handler));
    } else {
        c->tcp->async_read_some(asio::buffer(c->buffer), std::move(handler));
    }
}

void SipTransport::Impl::on_bytes(const std::shared_ptr<Connection>& c, std::string_view bytes) {
    timers.received(c->id, loop.now());
    c->reader.feed(bytes);
    while (c->phase == Connection::Phase::Open) {
        auto message = c->reader.next();
        if (!message) break;
        if (!message->malformed.empty()) log.debug(c->describe() + ": malformed message: " + message->malformed);
        // The core answers a malformed request with 400 (§21.4.1), so it gets the bytes too.
        deliver(ua::Datagram{c->transport, c->local, c->remote, c->id, std::move(message->bytes)});
    }
    if (c->phase != Connection::Phase::Open) return;
    // RFC 5626 §3.5.1: answer each double-CRLF ping with one CRLF. Where we send pings ourselves,
    // CRLFs coming back are pongs, not pings.
    const std::size_t pings = c->reader.take_pings();
    const bool pinging = c->outbound && options.timers.keepalive_interval > base::Duration{0};
    if (!pinging) {
        for (std::size_t i = 0; i < pings; ++i)
            enqueue(c, Connection::Outgoing{ua::Datagram{c->transport, c->local, c->remote, c->id, "\r\n"}, true});
    }
    if (c->reader.broken()) {
        close_connection(c, c->describe() + ": framing error: " + c->reader.error(), LogLevel::Warning);
    }
}

// --- writing ---------------------------------------------------------------------------------

void SipTransport::Impl::enqueue(const std::shared_ptr<Connection>& c, Connection::Outgoing out) {
    if (!out.keepalive) {
        const std::size_t size = out.datagram.bytes.size();
        if (c->queued_bytes + size > options.max_queued_bytes && !c->queue.empty()) {
            return fail(std::move(out.datagram), "send queue of " + c->describe() + " full (" +
                                                     std::to_string(c->queued_bytes) + " bytes unsent)");
        }
        c->queued_bytes += size;
    }
    c->queue.push_back(std::move(out));
    if (c->phase == Connection::Phase::Open) write_next(c);
}

void SipTransport::Impl::write_next(const std::shared_ptr<Connection>& c) {
    if (c->writing || c->queue.empty() || c->phase != Connection::Phase::Open) return;
    c->writing = true;
    const auto& front = c->queue.front();
    if (!front.keepalive) timers.sent(c->id, loop.now());
    auto handler = [self = shared_from_this(), c](const asio::error_code& ec, std::size_t) {
        if (self->closed || c->phase == Connection::Phase::Closed) return;
        c->writing = false;
        if (ec) {
            return self->close_connection(c, "writing to " + c->describe() + " failed: " + ec.message(),
                                          LogLevel::Info);
        }
        if (!c->queue.front().keepalive) {
            c->queued_bytes -= c->queue.front().datagram.bytes.size();
            self->tap(true, c->transport, c->local, c->remote, c->queue.front().datagram.bytes);
        }
        c->queue.pop_front();
        self->write_next(c);
    };
    const auto buffer = asio::buffer(front.datagram.bytes);
    if (c->tls) {
        asio::async_write(*c->tls, buffer, std::move(handler));
    } else {
        asio::async_write(*c->tcp, buffer, std::move(handler));
    }
}

// --- closing ---------------------------------------------------------------------------------

// `c` by value: the caller's reference may be the map entry erased here.
void SipTransport::Impl::close_connection(std::shared_ptr<Connection> c, const std::string& reason, LogLevel level) {
    if (c->phase == Connection::Phase::Closed) return;
    c->phase = Connection::Phase::Closed;
    log.log(level, reason);
    connections.erase(c->id);
    timers.remove(c->id);
    reschedule();
    asio::error_code ignored;
    c->socket().shutdown(asio::socket_base::shutdown_both, ignored);
    c->socket().close(ignored);
    // Whatever was not written (the message being written included) did not reach the peer.
    auto queue = std::move(c->queue);
    c->queue.clear();
    c->queued_bytes = 0;
    for (auto& out : queue) {
        if (!out.keepalive) fail(std::move(out.datagram), reason);
    }
    if (c->was_open && closed_handler) closed_handler(c->info());
}

}  // namespace dialtone::io
