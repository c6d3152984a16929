#pragma once
// The unit of exchange between the sans-I/O core and io/: a SIP message's bytes plus where they
// came from or go to. For stream transports one Datagram is one whole framed message.
#include <cstdint>
#include <string>

#include "dialtone/txn/destination.hpp"

namespace dialtone::ua {

using Transport = txn::Transport;

// A transport address. `host` is a numeric IPv4 or IPv6 address without brackets when it comes
// from io/; on the way out it may be a host name, which io/ resolves (A/AAAA) before sending.
struct Address {
    std::string host;
    std::uint16_t port = 0;

    bool is_ipv6() const { return host.find(':') != std::string::npos; }
    friend bool operator==(const Address&, const Address&) = default;
};

struct Datagram {
    Transport transport = Transport::Udp;
    Address local;   // the socket it arrived on / should leave from (empty host: any)
    Address remote;  // the source / destination
    // For TCP and TLS: the connection it arrived on, so a response goes back over it (§18.2.2).
    // 0 on the way out means "reuse any connection to `remote`, or open one".
    std::uint64_t connection = 0;
    std::string bytes;
};

}  // namespace dialtone::ua
