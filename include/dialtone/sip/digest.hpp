#pragma once
// The Digest maths (RFC 2617 §3.2.2, RFC 7616 §3.4, RFC 8760): H(A1), H(A2), the response and
// the userhash. The hash itself is behind DigestHash, which io/ implements with OpenSSL, so the
// core stays free of external libraries and tests can watch exactly what gets hashed.
#include "dialtone/base/result.hpp"
#include "dialtone/sip/auth.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace dialtone::sip {

enum class HashFunction { Md5, Sha256, Sha512_256 };

HashFunction hash_function(DigestAlgorithm);
// The "-sess" variants fold nonce and cnonce into H(A1) (RFC 7616 §3.4.2).
bool is_session(DigestAlgorithm);

class DigestHash {
public:
    virtual ~DigestHash() = default;
    // Lower-case hex of the hash of `data`; an error when the hash is unavailable.
    virtual base::Result<std::string> hex(HashFunction, std::string_view data) const = 0;
};

// Everything one response depends on.
struct DigestInput {
    DigestAlgorithm algorithm = DigestAlgorithm::Md5;
    std::string_view username;  // the user name itself, never its userhash
    std::string_view realm;
    std::string_view password;
    std::string_view method;    // the SIP method of the request (RFC 3261 §22.4)
    std::string_view uri;       // digest-uri, as sent in the credentials
    std::string_view nonce;
    std::string_view cnonce;    // used with a qop and with -sess algorithms
    std::uint32_t nc = 0;       // nonce-count, used with a qop
    std::optional<Qop> qop;     // none: the RFC 2069 compatible response
    std::string_view body;      // auth-int only: the message body (empty body is hashed too)
};

// H(A1), with the -sess step applied: H(H(user:realm:password):nonce:cnonce) (RFC 7616 §3.4.2).
base::Result<std::string> digest_ha1(const DigestHash&, const DigestInput&);

// The same from a stored H(user:realm:password), for a server that keeps no passwords.
base::Result<std::string> digest_session_ha1(const DigestHash&, const DigestInput&, std::string_view ha1);

// request-digest (RFC 7616 §3.4.1; RFC 2617 §3.2.2.1): with a qop,
// KD(H(A1), nonce:nc:cnonce:qop:H(A2)); without, KD(H(A1), nonce:H(A2)), where
// A2 = method:uri, or method:uri:H(body) for auth-int.
base::Result<std::string> digest_response(const DigestHash&, const DigestInput&);
// The same from an H(A1) already computed (with digest_ha1 or digest_session_ha1).
base::Result<std::string> digest_response_from_ha1(const DigestHash&, const DigestInput&, std::string_view ha1);

// userhash = H(username:realm) (RFC 7616 §3.4.4).
base::Result<std::string> digest_userhash(const DigestHash&, DigestAlgorithm, std::string_view username,
                                          std::string_view realm);

// A server's check of received credentials against the user's password: the userhash (when
// used), the algorithm and the response. Whether the realm, the uri (RFC 3261 §22.4: the
// Request-URI) and the nonce are the ones the server issued and still honours is the caller's business.
// Errors say why the credentials cannot be checked; false means they are wrong.
base::Result<bool> verify_digest(const DigestHash&, const DigestCredentials&, std::string_view username,
                                 std::string_view password, std::string_view method, std::string_view body = {});

}  // namespace dialtone::sip
