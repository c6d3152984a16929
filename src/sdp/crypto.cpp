#include "dialtone/sdp/crypto.hpp"

#include <set>

#include "dialtone/base/strings.hpp"
#include "dialtone/sdp/base64.hpp"
#include "grammar.hpp"

namespace dialtone::sdp {

std::string_view to_string(SrtpSuite s) {
    switch (s) {
    case SrtpSuite::AesCm128HmacSha1_80: return "AES_CM_128_HMAC_SHA1_80";
    case SrtpSuite::AesCm128HmacSha1_32: return "AES_CM_128_HMAC_SHA1_32";
    case SrtpSuite::AeadAes128Gcm: return "AEAD_AES_128_GCM";
    case SrtpSuite::AeadAes256Gcm: return "AEAD_AES_256_GCM";
    case SrtpSuite::Unknown: break;
    }
    return "unknown";
}

SrtpSuite srtp_suite_from_name(std::string_view name) {
    for (auto s : {SrtpSuite::AesCm128HmacSha1_80, SrtpSuite::AesCm128HmacSha1_32, SrtpSuite::AeadAes128Gcm,
                   SrtpSuite::AeadAes256Gcm})
        if (base::iequals(name, to_string(s))) return s;
    return SrtpSuite::Unknown;
}

std::size_t key_salt_length(SrtpSuite s) {
    switch (s) {
    case SrtpSuite::AesCm128HmacSha1_80:
    case SrtpSuite::AesCm128HmacSha1_32: return 16 + 14;  // RFC 4568 §6.2
    case SrtpSuite::AeadAes128Gcm: return 16 + 12;        // RFC 7714 §12
    case SrtpSuite::AeadAes256Gcm: return 32 + 12;
    case SrtpSuite::Unknown: break;
    }
    return 0;
}

std::optional<std::uint64_t> KeyParam::lifetime_packets() const {
    if (!lifetime) return std::nullopt;
    std::string_view v = *lifetime;
    if (v.starts_with("2^")) {
        auto exp = base::parse_u32(v.substr(2));
        if (!exp || *exp > 63) return std::nullopt;
        return std::uint64_t{1} << *exp;
    }
    return base::parse_u64(v);
}

namespace {

base::Error crypto_error(std::string what) { return base::make_error("crypto: " + what, 400); }

base::Result<KeyParam> parse_key_param(std::string_view text, SrtpSuite suite) {
    auto colon = text.find(':');
    const bool is_inline = colon != std::string_view::npos && base::iequals(text.substr(0, colon), "inline");
    KeyParam k;
    // RFC 4568 §9.1 allows other key methods; a suite we do not know may use one.
    if (!is_inline && suite == SrtpSuite::Unknown) return k;
    if (!is_inline) return crypto_error("key parameter \"" + std::string(text) + "\" is not inline:<key||salt>");
    auto info = text.substr(colon + 1);
    auto bar = info.find('|');
    auto key_text = info.substr(0, bar);
    auto decoded = base64_decode(key_text);
    if (suite != SrtpSuite::Unknown) {
        if (!decoded) return crypto_error("key||salt is not base64");
        if (decoded->size() != key_salt_length(suite))
            return crypto_error("key||salt of " + std::string(to_string(suite)) + " must be " +
                                std::to_string(key_salt_length(suite)) + " bytes, found " +
                                std::to_string(decoded->size()));
    }
    if (decoded) k.key_salt = std::move(*decoded);

    // RFC 4568 §6.1: ["|" lifetime] ["|" MKI ":" length], in that order.
    while (bar != std::string_view::npos) {
        auto next = info.find('|', bar + 1);
        auto part = info.substr(bar + 1, next == std::string_view::npos ? std::string_view::npos : next - bar - 1);
        bar = next;
        auto mki_colon = part.find(':');
        if (mki_colon != std::string_view::npos) {
            if (k.mki) return crypto_error("second MKI in one key parameter");
            auto value = base::parse_u32(part.substr(0, mki_colon));
            auto length = base::parse_u32(part.substr(mki_colon + 1));
            if (!value || !length || *length < 1 || *length > 128)
                return crypto_error("MKI \"" + std::string(part) + "\" is not <value>:<length 1-128>");
            k.mki = *value;
            k.mki_length = *length;
        } else {
            if (k.lifetime) return crypto_error("second lifetime in one key parameter");
            if (k.mki) return crypto_error("lifetime must come before the MKI");
            k.lifetime = std::string(part);
            auto packets = k.lifetime_packets();
            if (!packets || *packets == 0) return crypto_error("lifetime \"" + std::string(part) + "\" is not a number or 2^n");
            // RFC 4568 §6.2, RFC 7714 §14.2: at most 2^48 packets under one master key.
            if (suite != SrtpSuite::Unknown && *packets > (std::uint64_t{1} << 48))
                return crypto_error("lifetime " + std::string(part) + " exceeds 2^48 packets");
        }
    }
    return k;
}

std::string format_key_param(const KeyParam& k) {
    std::string out = "inline:" + base64_encode(k.key_salt);
    if (k.lifetime) out += "|" + *k.lifetime;
    if (k.mki) out += "|" + std::to_string(*k.mki) + ":" + std::to_string(k.mki_length.value_or(1));
    return out;
}

}  // namespace

base::Result<CryptoAttribute> parse_crypto(std::string_view value) {
    auto f = detail::split_fields(value);
    if (f.size() < 3) return crypto_error("needs <tag> <crypto-suite> <key-params>");
    CryptoAttribute c;
    if (f[0].size() > 9) return crypto_error("tag has more than 9 digits");
    auto tag = base::parse_u32(f[0]);
    if (!tag) return crypto_error("tag \"" + std::string(f[0]) + "\" is not a number");
    c.tag = *tag;
    if (!detail::is_token(f[1])) return crypto_error("crypto-suite is not a token");
    c.suite_name = std::string(f[1]);
    c.suite = srtp_suite_from_name(f[1]);
    std::string_view keys = f[2];
    std::size_t pos = 0;
    while (true) {
        auto semi = keys.find(';', pos);
        auto one = keys.substr(pos, semi == std::string_view::npos ? std::string_view::npos : semi - pos);
        auto k = parse_key_param(one, c.suite);
        if (!k) return k.error();
        c.keys.push_back(std::move(*k));
        if (semi == std::string_view::npos) break;
        pos = semi + 1;
    }
    for (std::size_t i = 3; i < f.size(); ++i) c.session_params.emplace_back(f[i]);
    return c;
}

std::string format_crypto(const CryptoAttribute& c) {
    std::string out = std::to_string(c.tag) + " " +
                      (c.suite_name.empty() ? std::string(to_string(c.suite)) : c.suite_name) + " ";
    for (std::size_t i = 0; i < c.keys.size(); ++i) {
        if (i > 0) out += ';';
        out += format_key_param(c.keys[i]);
    }
    for (const auto& p : c.session_params) out += " " + p;
    return out;
}

base::Result<std::vector<CryptoAttribute>> crypto_attributes(const MediaDescription& m) {
    std::vector<CryptoAttribute> out;
    std::set<std::uint32_t> tags;
    for (const auto* a : find_attributes(m.attributes, "crypto")) {
        auto c = parse_crypto(a->value.value_or(""));
        if (!c) return c.error();
        if (!tags.insert(c->tag).second) return crypto_error("duplicate tag " + std::to_string(c->tag));
        out.push_back(std::move(*c));
    }
    return out;
}

}  // namespace dialtone::sdp
