#pragma once
// a=crypto:<tag> <crypto-suite> <key-params> [<session-params>]  (RFC 4568 §9.1)
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dialtone/base/result.hpp"
#include "dialtone/sdp/session.hpp"

namespace dialtone::sdp {

enum class SrtpSuite {
    AesCm128HmacSha1_80,  // AES_CM_128_HMAC_SHA1_80 (RFC 4568 §6.2.1)
    AesCm128HmacSha1_32,  // AES_CM_128_HMAC_SHA1_32 (RFC 4568 §6.2.2)
    AeadAes128Gcm,        // AEAD_AES_128_GCM (RFC 7714 §12)
    AeadAes256Gcm,        // AEAD_AES_256_GCM (RFC 7714 §12)
    Unknown,
};

std::string_view to_string(SrtpSuite s);             // the registered name
SrtpSuite srtp_suite_from_name(std::string_view name);  // case-insensitive
// Master key || master salt length in bytes: 30, 30, 28, 44; 0 for Unknown.
std::size_t key_salt_length(SrtpSuite s);

// inline:<key||salt base64>[|<lifetime>][|<MKI>:<length>]  (RFC 4568 §6.1)
struct KeyParam {
    std::string key_salt;                   // decoded bytes
    std::optional<std::string> lifetime;    // as written: "2^20" or "1048576"
    std::optional<std::uint32_t> mki;       // MKI value
    std::optional<std::uint32_t> mki_length;  // MKI length in bytes, 1-128

    // The lifetime in packets, if given and representable.
    std::optional<std::uint64_t> lifetime_packets() const;
    bool operator==(const KeyParam&) const = default;
};

struct CryptoAttribute {
    std::uint32_t tag = 1;                  // 1-9 digits
    std::string suite_name;                 // as written
    SrtpSuite suite = SrtpSuite::Unknown;
    std::vector<KeyParam> keys;             // at least one
    std::vector<std::string> session_params;  // kept as written, e.g. "UNENCRYPTED_SRTCP"

    bool operator==(const CryptoAttribute&) const = default;
};

// Checks the grammar and, for a known suite, the key||salt length. An unknown suite is not an
// error: RFC 4568 §7.1.1 has the answerer skip it, so its key parameters are kept unchecked.
base::Result<CryptoAttribute> parse_crypto(std::string_view value);
std::string format_crypto(const CryptoAttribute& c);  // the attribute value, without "crypto:"

// All a=crypto lines of a media section; two with one tag are an error (RFC 4568 §9.1).
base::Result<std::vector<CryptoAttribute>> crypto_attributes(const MediaDescription& m);

}  // namespace dialtone::sdp
