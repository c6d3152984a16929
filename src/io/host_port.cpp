#include "dialtone/io/host_port.hpp"

#include "dialtone/base/strings.hpp"

#include <asio.hpp>

namespace dialtone::io {

namespace {

// "'TEXT': WHY", appended piece by piece (GCC 12 -O3 warns falsely on "'" + std::string).
base::Error bad(std::string_view text, std::string_view why) {
    std::string message;
    message.reserve(text.size() + why.size() + 4);
    message.append(1, '\'').append(text).append("': ").append(why);
    return base::make_error(std::move(message));
}

}  // namespace

base::Result<ua::Address> parse_host_port(std::string_view text) {
    std::string_view host;
    std::string_view rest;
    if (!text.empty() && text.front() == '[') {
        const std::size_t close = text.find(']');
        if (close == std::string_view::npos)
            return bad(text, "IPv6 address without a closing ']'");
        host = text.substr(1, close - 1);
        rest = text.substr(close + 1);
        if (host.find(':') == std::string_view::npos)
            return bad(text, "brackets enclose only IPv6 addresses");
    } else {
        const std::size_t colon = text.rfind(':');
        if (colon == std::string_view::npos)
            return bad(text, "missing ':PORT'");
        host = text.substr(0, colon);
        rest = text.substr(colon);
        if (host.find(':') != std::string_view::npos)
            return bad(text, "an IPv6 address needs brackets, as in [::1]:5060");
    }
    if (host.empty()) return bad(text, "missing host");
    if (rest.empty() || rest.front() != ':')
        return bad(text, "missing ':PORT'");
    const auto port = base::parse_u32(rest.substr(1));
    if (!port || *port > 65535)
        return bad(text, "port must be a number from 0 to 65535");
    return ua::Address{std::string(host), static_cast<std::uint16_t>(*port)};
}

std::string to_string(const ua::Address& address) {
    std::string out;
    out.reserve(address.host.size() + 8);
    if (address.host.empty()) {
        out.append(1, '*');
    } else if (address.is_ipv6()) {
        out.append(1, '[').append(address.host).append(1, ']');
    } else {
        out.append(address.host);
    }
    out.append(1, ':').append(std::to_string(address.port));
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

std::string local_address_towards(const std::string& host) {
    const bool v6 = host.find(':') != std::string::npos;
    std::string fallback = v6 ? "::1" : "127.0.0.1";
    asio::error_code ec;
    const auto address = asio::ip::make_address(host, ec);
    if (ec) return fallback;
    asio::io_context context;
    asio::ip::udp::socket socket(context);
    socket.connect(asio::ip::udp::endpoint(address, 9), ec);
    if (ec) return fallback;
    const auto local = socket.local_endpoint(ec);
    return ec ? fallback : local.address().to_string();
}

}  // namespace dialtone::io
