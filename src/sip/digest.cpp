#include "dialtone/sip/digest.hpp"

#include "dialtone/base/strings.hpp"

#include <initializer_list>
#include <string>

namespace dialtone::sip {

using base::Result;

HashFunction hash_function(DigestAlgorithm alg) {
    switch (alg) {
        case DigestAlgorithm::Md5:
        case DigestAlgorithm::Md5Sess: return HashFunction::Md5;
        case DigestAlgorithm::Sha256:
        case DigestAlgorithm::Sha256Sess: return HashFunction::Sha256;
        case DigestAlgorithm::Sha512_256:
        case DigestAlgorithm::Sha512_256Sess: return HashFunction::Sha512_256;
    }
    return HashFunction::Md5;
}

bool is_session(DigestAlgorithm alg) {
    return alg == DigestAlgorithm::Md5Sess || alg == DigestAlgorithm::Sha256Sess ||
           alg == DigestAlgorithm::Sha512_256Sess;
}

namespace {

std::string join(std::initializer_list<std::string_view> parts) {
    std::string out;
    std::size_t n = parts.size();
    for (auto p : parts) n += p.size();
    out.reserve(n);
    bool first = true;
    for (auto p : parts) {
        if (!first) out.push_back(':');
        first = false;
        out.append(p);
    }
    return out;
}

// Compares two hex strings without regard to case, in time independent of where they differ.
bool hex_equal(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    unsigned diff = 0;
    for (std::size_t i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned>(base::ascii_lower(a[i]) ^ base::ascii_lower(b[i]));
    return diff == 0;
}

}  // namespace

Result<std::string> digest_session_ha1(const DigestHash& hash, const DigestInput& in, std::string_view ha1) {
    if (!is_session(in.algorithm)) return std::string(ha1);
    // RFC 7616 §3.4.2: A1 = H(unq(username):unq(realm):passwd):unq(nonce):unq(cnonce).
    return hash.hex(hash_function(in.algorithm), join({ha1, in.nonce, in.cnonce}));
}

Result<std::string> digest_ha1(const DigestHash& hash, const DigestInput& in) {
    auto base_ha1 = hash.hex(hash_function(in.algorithm), join({in.username, in.realm, in.password}));
    if (!base_ha1) return base_ha1.error();
    return digest_session_ha1(hash, in, *base_ha1);
}

Result<std::string> digest_response_from_ha1(const DigestHash& hash, const DigestInput& in, std::string_view ha1) {
    const HashFunction h = hash_function(in.algorithm);
    // RFC 7616 §3.4.3: A2 = Method:request-uri, plus :H(entity-body) for auth-int.
    std::string a2;
    if (in.qop == Qop::AuthInt) {
        auto body_hash = hash.hex(h, in.body);
        if (!body_hash) return body_hash.error();
        a2 = join({in.method, in.uri, *body_hash});
    } else {
        a2 = join({in.method, in.uri});
    }
    auto ha2 = hash.hex(h, a2);
    if (!ha2) return ha2.error();
    if (!in.qop) {
        // RFC 2617 §3.2.2.1: the RFC 2069 compatible form, without nc, cnonce and qop.
        return hash.hex(h, join({ha1, in.nonce, *ha2}));
    }
    const std::string nc = format_nonce_count(in.nc);
    return hash.hex(h, join({ha1, in.nonce, nc, in.cnonce, to_string(*in.qop), *ha2}));
}

Result<std::string> digest_response(const DigestHash& hash, const DigestInput& in) {
    auto ha1 = digest_ha1(hash, in);
    if (!ha1) return ha1.error();
    return digest_response_from_ha1(hash, in, *ha1);
}

Result<std::string> digest_userhash(const DigestHash& hash, DigestAlgorithm alg, std::string_view username,
                                    std::string_view realm) {
    return hash.hex(hash_function(alg), join({username, realm}));
}

Result<bool> verify_digest(const DigestHash& hash, const DigestCredentials& cr, std::string_view username,
                           std::string_view password, std::string_view method, std::string_view body) {
    const auto alg = cr.digest_algorithm();
    if (!alg) return base::make_error("unsupported digest algorithm '" + cr.algorithm + "'");
    if (is_session(*alg) && !cr.cnonce) return base::make_error(std::string(to_string(*alg)) + " credentials without cnonce");
    if (cr.userhash) {
        auto expected = digest_userhash(hash, *alg, username, cr.realm);
        if (!expected) return expected.error();
        if (!hex_equal(*expected, cr.username)) return false;
    } else if (cr.username != username) {
        return false;
    }
    DigestInput in;
    in.algorithm = *alg;
    in.username = username;
    in.realm = cr.realm;
    in.password = password;
    in.method = method;
    in.uri = cr.uri;
    in.nonce = cr.nonce;
    in.cnonce = cr.cnonce ? std::string_view(*cr.cnonce) : std::string_view{};
    in.nc = cr.nc.value_or(0);
    in.qop = cr.qop;
    in.body = body;
    auto expected = digest_response(hash, in);
    if (!expected) return expected.error();
    return hex_equal(*expected, cr.response);
}

}  // namespace dialtone::sip
