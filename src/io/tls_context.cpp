#include "dialtone/io/tls_context.hpp"

#include <asio/ip/address.hpp>
#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

namespace dialtone::io {

namespace {

base::Error tls_error(std::string what, const asio::error_code& ec) {
    return base::make_error(std::move(what) + ": " + ec.message());
}

bool set_minimum_version(asio::ssl::context& ctx) {
    return SSL_CTX_set_min_proto_version(ctx.native_handle(), TLS1_2_VERSION) == 1;
}

}  // namespace

base::Result<std::unique_ptr<TlsContext>> TlsContext::create(const TlsOptions& options, const Logger& log) {
    std::unique_ptr<TlsContext> out(new TlsContext());
    out->options_ = options;
    asio::error_code ec;
    try {
        out->client_ = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_client);
    } catch (const std::exception& e) {
        return base::make_error(std::string("cannot create a TLS client context: ") + e.what());
    }
    auto& client = *out->client_;
    if (!set_minimum_version(client)) return base::make_error("cannot require TLS 1.2 or later");
    client.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_compression, ec);
    if (options.verify_server) {
        client.set_verify_mode(asio::ssl::verify_peer, ec);
        if (!options.ca_file.empty()) {
            client.load_verify_file(options.ca_file, ec);
            if (ec) return tls_error("cannot load the CA file '" + options.ca_file + "'", ec);
        } else {
            client.set_default_verify_paths(ec);
            if (ec) return tls_error("cannot load the system's trusted certificates", ec);
        }
    } else {
        client.set_verify_mode(asio::ssl::verify_none, ec);
        log.warning("TLS: server certificates are not verified: anyone on the path can impersonate the server");
    }

    const bool have_certificate = !options.certificate_file.empty();
    if (have_certificate != !options.private_key_file.empty())
        return base::make_error("TLS needs both a certificate file and a private key file, or neither");
    if (have_certificate) {
        try {
            out->server_ = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_server);
        } catch (const std::exception& e) {
            return base::make_error(std::string("cannot create a TLS server context: ") + e.what());
        }
        auto& server = *out->server_;
        if (!set_minimum_version(server)) return base::make_error("cannot require TLS 1.2 or later");
        server.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_compression |
                               asio::ssl::context::single_dh_use,
                           ec);
        for (asio::ssl::context* ctx : {&server, &client}) {
            ctx->use_certificate_chain_file(options.certificate_file, ec);
            if (ec) return tls_error("cannot load the certificate file '" + options.certificate_file + "'", ec);
            ctx->use_private_key_file(options.private_key_file, asio::ssl::context::pem, ec);
            const bool mismatch = ec && ec.category() == asio::error::get_ssl_category() &&
                                  ERR_GET_REASON(static_cast<unsigned long>(ec.value())) == X509_R_KEY_VALUES_MISMATCH;
            if (ec && !mismatch)
                return tls_error("cannot load the private key file '" + options.private_key_file + "'", ec);
            if (mismatch || SSL_CTX_check_private_key(ctx->native_handle()) != 1)
                return base::make_error("the private key '" + options.private_key_file +
                                        "' does not match the certificate '" + options.certificate_file + "'");
        }
        if (options.require_client_certificate) {
            if (options.ca_file.empty())
                return base::make_error("requiring client certificates needs a CA file to verify them with");
            server.load_verify_file(options.ca_file, ec);
            if (ec) return tls_error("cannot load the CA file '" + options.ca_file + "'", ec);
            server.set_verify_mode(asio::ssl::verify_peer | asio::ssl::verify_fail_if_no_peer_cert, ec);
        } else {
            server.set_verify_mode(asio::ssl::verify_none, ec);
        }
    } else if (options.require_client_certificate) {
        return base::make_error("requiring client certificates needs a server certificate and key");
    }
    return out;
}

base::Status TlsContext::prepare_client(SSL* ssl, const std::string& host) const {
    asio::error_code ec;
    asio::ip::make_address(host, ec);
    const bool literal = !ec;
    if (!literal && SSL_set_tlsext_host_name(ssl, host.c_str()) != 1)
        return base::make_error("cannot set the TLS server name '" + host + "'");
    if (!options_.verify_server) return {};
    if (literal) {
        // The certificate must carry the address as an iPAddress subjectAltName (RFC 5280 §4.2.1.6).
        if (X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host.c_str()) != 1)
            return base::make_error("cannot check the TLS peer against the address " + host);
    } else {
        SSL_set_hostflags(ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
        if (SSL_set1_host(ssl, host.c_str()) != 1)
            return base::make_error("cannot check the TLS peer against the name '" + host + "'");
    }
    return {};
}

std::string describe_tls_error(const asio::error_code& ec, SSL* ssl) {
    std::string out = ec.message();
    if (ssl != nullptr) {
        const long verify = SSL_get_verify_result(ssl);
        if (verify != X509_V_OK) {
            out += " (";
            out += X509_verify_cert_error_string(verify);
            out += ")";
        }
    }
    return out;
}

}  // namespace dialtone::io
