#pragma once
// HTTP Digest authentication as SIP uses it (RFC 3261 §22, §25.1; RFC 7616; RFC 8760): the
// values of WWW-Authenticate / Proxy-Authenticate (challenges) and of Authorization /
// Proxy-Authorization (credentials), parsed and written canonically. The maths is digest.hpp.
#include "dialtone/base/result.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dialtone::sip {

// RFC 7616 §3.3 and RFC 8760 §2: the algorithms a SIP UA is expected to know.
enum class DigestAlgorithm { Md5, Md5Sess, Sha256, Sha256Sess, Sha512_256, Sha512_256Sess };

// Case-insensitive ("md5", "SHA-256-sess", …); nullopt for an algorithm dialtone does not know.
std::optional<DigestAlgorithm> parse_digest_algorithm(std::string_view token);
std::string_view to_string(DigestAlgorithm);  // canonical spelling, e.g. "SHA-512-256-sess"

enum class Qop { Auth, AuthInt };
std::optional<Qop> parse_qop(std::string_view token);  // case-insensitive
std::string_view to_string(Qop);                       // "auth" / "auth-int"

// A parameter dialtone does not interpret, kept so that it survives a round trip.
struct AuthParam {
    std::string name;   // as received
    std::string value;  // unescaped when it was a quoted-string
    bool quoted = false;

    friend bool operator==(const AuthParam&, const AuthParam&) = default;
};

// One Digest challenge (RFC 7616 §3.3; RFC 3261 §25.1 "digest-cln").
struct DigestChallenge {
    std::string realm;
    std::vector<std::string> domain;  // space-separated URIs inside the quoted value
    std::string nonce;
    std::optional<std::string> opaque;
    bool stale = false;
    // The token as received; empty when absent, which means MD5 (RFC 7616 §3.3).
    std::string algorithm;
    // qop-options as received (unknown values kept); empty when the challenge has no qop,
    // which asks for the RFC 2069 compatible response.
    std::vector<std::string> qop;
    std::optional<std::string> charset;  // only "UTF-8" is defined (RFC 7616 §4)
    bool userhash = false;               // RFC 7616 §3.4.4
    std::vector<AuthParam> other;

    // The algorithm to use: MD5 when absent; nullopt when it names one dialtone does not know.
    std::optional<DigestAlgorithm> digest_algorithm() const;
    bool offers(Qop q) const;

    // "Digest realm=…, nonce=…, …" in a fixed order.
    void write(std::string& out) const;
    std::string to_string() const;

    friend bool operator==(const DigestChallenge&, const DigestChallenge&) = default;
};

// One challenge of any scheme. A scheme other than Digest is not an error: it is reported
// as such (digest is empty) and the caller decides it cannot answer it.
struct Challenge {
    std::string scheme;                    // as received, e.g. "Digest", "Basic"
    std::optional<DigestChallenge> digest;  // set exactly when scheme is Digest
    // For other schemes: their auth-params, or their token68 in `token68`.
    std::vector<AuthParam> params;
    std::string token68;

    bool is_digest() const { return digest.has_value(); }
};

// One header value holding one or more challenges (RFC 3261 allows one per header line;
// HTTP's comma-separated list of challenges is accepted too).
base::Result<std::vector<Challenge>> parse_challenges(std::string_view value);
// Exactly one challenge; more than one is an error.
base::Result<Challenge> parse_challenge(std::string_view value);
base::Result<DigestChallenge> parse_digest_challenge(std::string_view value);

// Digest credentials (RFC 7616 §3.4; RFC 3261 §25.1 "digest-response").
struct DigestCredentials {
    std::string username;  // the user name, or its userhash when userhash is true
    std::string realm;
    std::string nonce;
    std::string uri;       // digest-uri: the Request-URI of the request (RFC 3261 §22.4)
    std::string response;  // lower-case hex
    std::string algorithm; // as sent; empty when absent (MD5)
    std::optional<std::string> cnonce;
    std::optional<std::string> opaque;
    std::optional<Qop> qop;
    std::optional<std::uint32_t> nc;  // nonce-count, written as 8 hex digits
    bool userhash = false;
    std::vector<AuthParam> other;

    std::optional<DigestAlgorithm> digest_algorithm() const;

    // "Digest username=…, realm=…, nonce=…, uri=…, response=…, algorithm=…, cnonce=…,
    // opaque=…, qop=…, nc=…, userhash=…": that order, absent fields left out.
    void write(std::string& out) const;
    std::string to_string() const;

    friend bool operator==(const DigestCredentials&, const DigestCredentials&) = default;
};

// An Authorization / Proxy-Authorization value. Errors name the missing or malformed
// parameter; a scheme other than Digest is reported as unsupported (status 0, not 400).
base::Result<DigestCredentials> parse_digest_credentials(std::string_view value);

// The nonce-count as the wire wants it: exactly eight lower-case hex digits (RFC 7616 §3.4).
std::string format_nonce_count(std::uint32_t nc);

}  // namespace dialtone::sip
