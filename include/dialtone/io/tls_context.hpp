#pragma once
// OpenSSL 3 contexts for SIP over TLS through asio::ssl: TLS 1.2 at least; a client context that
// verifies the server by default (SSL_VERIFY_PEER, the host name or address checked with
// SSL_set1_host / the IP check, SNI for names), and a server context when a certificate is given.
#include "dialtone/base/result.hpp"
#include "dialtone/io/log.hpp"
#include "dialtone/io/tls_options.hpp"

#include <asio/ssl/context.hpp>

#include <memory>
#include <string>
#include <string_view>

typedef struct ssl_st SSL;

namespace dialtone::io {

class TlsContext {
public:
    static base::Result<std::unique_ptr<TlsContext>> create(const TlsOptions& options, const Logger& log);

    asio::ssl::context& client() { return *client_; }
    asio::ssl::context* server() { return server_.get(); }  // null without a certificate
    const TlsOptions& options() const { return options_; }

    // Per connection, before the client handshake: SNI for a host name (RFC 6066 §3 forbids
    // literal addresses there) and the identity the certificate must carry (RFC 5922 §7.2).
    base::Status prepare_client(SSL* ssl, const std::string& host) const;

private:
    TlsContext() = default;

    TlsOptions options_;
    std::unique_ptr<asio::ssl::context> client_;
    std::unique_ptr<asio::ssl::context> server_;
};

// Why a handshake failed: the TLS error and, when the peer's certificate was rejected, the
// verification result (e.g. "certificate verify failed: hostname mismatch").
std::string describe_tls_error(const asio::error_code& ec, SSL* ssl);

}  // namespace dialtone::io
