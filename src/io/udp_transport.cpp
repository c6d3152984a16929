// SIP over UDP (RFC 3261 §18.1.1, §18.2.1): one socket per listening address, which also sends.
#include "dialtone/io/host_port.hpp"
#include "transport_impl.hpp"

#include <asio/ip/v6_only.hpp>

namespace dialtone::io {

namespace {

// Keep-alive datagrams some peers send: only CRLFs (RFC 5626 §4.4.1 uses STUN on UDP instead).
bool only_line_ends(std::string_view bytes) { return bytes.find_first_not_of("\r\n") == std::string_view::npos; }

}  // namespace

base::Result<ua::Address> SipTransport::Impl::listen_udp(const ua::Address& local) {
    const auto address = numeric_address(local.host);
    if (!address)
        return base::make_error("cannot listen on udp " + to_string(local) + ": not a numeric IPv4 or IPv6 address");
    auto s = std::make_shared<UdpSocket>(context);
    const asio::ip::udp::endpoint endpoint(*address, local.port);
    asio::error_code ec;
    s->socket.open(endpoint.protocol(), ec);
    if (!ec && address->is_v6()) s->socket.set_option(asio::ip::v6_only(true), ec);
    if (!ec) s->socket.bind(endpoint, ec);
    if (ec) return base::make_error("cannot listen on udp " + to_string(local) + ": " + ec.message());
    const auto bound = s->socket.local_endpoint(ec);
    if (ec) return base::make_error("cannot listen on udp " + to_string(local) + ": " + ec.message());
    s->local = to_address(bound);
    udp.push_back(s);
    log.info("listening on udp " + to_string(s->local));
    receive_udp(s);
    return s->local;
}

void SipTransport::Impl::receive_udp(const std::shared_ptr<UdpSocket>& s) {
    s->socket.async_receive_from(
        asio::buffer(s->buffer), s->sender, [self = shared_from_this(), s](const asio::error_code& ec, std::size_t n) {
            if (self->closed || ec == asio::error::operation_aborted || !s->socket.is_open()) return;
            if (ec) {
                // E.g. an ICMP port unreachable for an earlier send, reported on this socket.
                self->log.debug("udp " + to_string(s->local) + ": receive: " + ec.message());
            } else {
                std::string_view bytes(s->buffer.data(), n);
                if (!only_line_ends(bytes)) {
                    self->deliver(ua::Datagram{ua::Transport::Udp, s->local, to_address(s->sender), 0, std::string(bytes)});
                }
            }
            if (!self->closed && s->socket.is_open()) self->receive_udp(s);
        });
}

void SipTransport::Impl::send_udp(ua::Datagram datagram) {
    if (const auto address = numeric_address(datagram.remote.host)) {
        const asio::ip::udp::endpoint to(*address, datagram.remote.port);
        return send_udp_to(std::make_shared<ua::Datagram>(std::move(datagram)), to);
    }
    auto resolver = std::make_shared<asio::ip::udp::resolver>(context);
    auto d = std::make_shared<ua::Datagram>(std::move(datagram));
    const std::string host = d->remote.host;
    resolver->async_resolve(
        host, std::to_string(d->remote.port), asio::ip::udp::resolver::numeric_service,
        [self = shared_from_this(), resolver, d](const asio::error_code& ec, asio::ip::udp::resolver::results_type results) {
            if (self->closed) return self->fail(std::move(*d), "the SIP transport is closed");
            if (ec) return self->fail(std::move(*d), "cannot resolve '" + d->remote.host + "': " + ec.message());
            // The first address of a family we have a socket for.
            for (const auto& entry : results) {
                const auto endpoint = entry.endpoint();
                for (const auto& s : self->udp) {
                    if (s->local.is_ipv6() == endpoint.address().is_v6()) return self->send_udp_to(d, endpoint);
                }
            }
            if (results.empty()) return self->fail(std::move(*d), "'" + d->remote.host + "' has no address");
            self->send_udp_to(d, results.begin()->endpoint());  // reports the missing socket
        });
}

void SipTransport::Impl::send_udp_to(std::shared_ptr<ua::Datagram> d, const asio::ip::udp::endpoint& to) {
    // §18.1.1: from the socket the caller names, else the first one of the destination's family.
    std::shared_ptr<UdpSocket> from;
    const bool v6 = to.address().is_v6();
    for (const auto& s : udp) {
        const bool family = (s->local.is_ipv6() == v6);
        if (!family) continue;
        if (!d->local.host.empty() || d->local.port != 0) {
            const bool host_ok = d->local.host.empty() || d->local.host == s->local.host;
            const bool port_ok = d->local.port == 0 || d->local.port == s->local.port;
            if (host_ok && port_ok) {
                from = s;
                break;
            }
        }
        if (!from) from = s;
    }
    if (!from) return fail(std::move(*d), std::string("no udp socket for ") + (v6 ? "IPv6" : "IPv4"));
    from->socket.async_send_to(asio::buffer(d->bytes), to,
                               [self = shared_from_this(), d, from, to](const asio::error_code& ec, std::size_t) {
                                   if (!ec) {
                                       return self->tap(true, ua::Transport::Udp, from->local, to_address(to),
                                                        d->bytes);
                                   }
                                   if (ec == asio::error::operation_aborted)
                                       return self->fail(std::move(*d), "the SIP transport is closed");
                                   self->fail(std::move(*d), "udp send from " + to_string(from->local) + " to " +
                                                                 to_string(d->remote) + " failed: " + ec.message());
                               });
}

}  // namespace dialtone::io
