#pragma once
// TLS settings of the SIP transport (RFC 3261 §26.3.1, RFC 5922 §7). Files are PEM.
#include <string>

namespace dialtone::io {

struct TlsOptions {
    // Our certificate (leaf first, then its chain) and key: required to listen for TLS, and
    // presented to servers that ask for a client certificate.
    std::string certificate_file;
    std::string private_key_file;
    // Trust anchors for verifying the peer; empty: the system's default store.
    std::string ca_file;
    // Client side: verify the server's certificate chain and that it names the host we
    // connected to. Turning it off is logged as a warning: anyone on the path can impersonate.
    bool verify_server = true;
    // Server side: ask for a client certificate and refuse connections without a valid one.
    bool require_client_certificate = false;
};

}  // namespace dialtone::io
