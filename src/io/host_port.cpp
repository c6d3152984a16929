#include "dialtone/io/host_port.hpp"

#include "dialtone/base/strings.hpp"

namespace dialtone::io {

base::Result<ua::Address> parse_host_port(std::string_view text) {
    std::string_view host;
    std::string_view rest;
    if (!text.empty() && text.front() == '[') {
        const std::size_t close = text.find(']');
        if (close == std::string_view::npos)
            return base::make_error("'" + std::string(text) + "': IPv6 address without a closing ']'");
        host = text.substr(1, close - 1);
        rest = text.substr(close + 1);
        if (host.find(':') == std::string_view::npos)
            return base::make_error("'" + std::string(text) + "': brackets enclose only IPv6 addresses");
    } else {
        const std::size_t colon = text.rfind(':');
        if (colon == std::string_view::npos)
            return base::make_error("'" + std::string(text) + "': missing ':PORT'");
        host = text.substr(0, colon);
        rest = text.substr(colon);
        if (host.find(':') != std::string_view::npos)
            return base::make_error("'" + std::string(text) + "': an IPv6 address needs brackets, as in [::1]:5060");
    }
    if (host.empty()) return base::make_error("'" + std::string(text) + "': missing host");
    if (rest.empty() || rest.front() != ':')
        return base::make_error("'" + std::string(text) + "': missing ':PORT'");
    const auto port = base::parse_u32(rest.substr(1));
    if (!port || *port > 65535)
        return base::make_error("'" + std::string(text) + "': port must be a number from 0 to 65535");
    return ua::Address{std::string(host), static_cast<std::uint16_t>(*port)};
}

std::string to_string(const ua::Address& address) {
    std::string out;
    if (address.host.empty()) {
        out = "*";
    } else if (address.is_ipv6()) {
        out = "[" + address.host + "]";
    } else {
        out = address.host;
    }
    out += ':';
    out += std::to_string(address.port);
    return out;
}

std::string_view to_string(ua::Transport transport) {
    switch (transport) {
        case ua::Transport::Udp: return "udp";
        case ua::Transport::Tcp: return "tcp";
        case ua::Transport::Tls: return "tls";
        case ua::Transport::Sctp: return "sctp";
        case ua::Transport::Ws: return "ws";
        case ua::Transport::Wss: return "wss";
    }
    return "unknown";
}

}  // namespace dialtone::io
