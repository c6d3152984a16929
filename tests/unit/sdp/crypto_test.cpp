#include <doctest/doctest.h>

#include "dialtone/sdp/base64.hpp"
#include "dialtone/sdp/crypto.hpp"
#include "dialtone/sdp/parser.hpp"

using namespace dialtone::sdp;

namespace {
// The key||salt of the RFC 4568 §4 example: 40 base64 characters, 30 bytes.
constexpr const char* kKey30 = "PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR";

std::string key_of(std::size_t n, char fill = 'k') { return base64_encode(std::string(n, fill)); }

std::string crypto_error(const std::string& value) {
    auto r = parse_crypto(value);
    REQUIRE_FALSE(r.ok());
    return r.error().message;
}
}  // namespace

TEST_CASE("base64: encodes and decodes with and without padding") {
    CHECK(base64_encode("") == "");
    CHECK(base64_encode("f") == "Zg==");
    CHECK(base64_encode("fo") == "Zm8=");
    CHECK(base64_encode("foobar") == "Zm9vYmFy");
    CHECK(base64_decode("Zm9vYg==") == std::string("foob"));
    CHECK(base64_decode("Zm9vYg") == std::string("foob"));
    CHECK_FALSE(base64_decode("Zm9v*g=="));
    CHECK_FALSE(base64_decode("Z"));
    CHECK_FALSE(base64_decode("Zh=="));  // stray bits
    CHECK(base64_decode(kKey30)->size() == 30);
}

TEST_CASE("crypto: the RFC 4568 §4 example with lifetime and MKI") {
    auto c = parse_crypto(std::string("1 AES_CM_128_HMAC_SHA1_80 inline:") + kKey30 + "|2^20|1:4");
    REQUIRE(c.ok());
    CHECK(c->tag == 1);
    CHECK(c->suite == SrtpSuite::AesCm128HmacSha1_80);
    REQUIRE(c->keys.size() == 1);
    CHECK(c->keys[0].key_salt.size() == 30);
    CHECK(c->keys[0].lifetime == std::string("2^20"));
    CHECK(c->keys[0].lifetime_packets() == (1u << 20));
    CHECK(c->keys[0].mki == 1u);
    CHECK(c->keys[0].mki_length == 4u);
    CHECK(format_crypto(*c) == std::string("1 AES_CM_128_HMAC_SHA1_80 inline:") + kKey30 + "|2^20|1:4");
}

TEST_CASE("crypto: suite names compare without regard to case") {
    auto c = parse_crypto(std::string("2 aes_cm_128_hmac_sha1_32 inline:") + kKey30);
    REQUIRE(c.ok());
    CHECK(c->suite == SrtpSuite::AesCm128HmacSha1_32);
    CHECK(c->suite_name == "aes_cm_128_hmac_sha1_32");  // kept as written
    CHECK(srtp_suite_from_name("AEAD_aes_256_GCM") == SrtpSuite::AeadAes256Gcm);
}

TEST_CASE("crypto: the key||salt length must fit the suite") {
    CHECK(key_salt_length(SrtpSuite::AesCm128HmacSha1_80) == 30);
    CHECK(key_salt_length(SrtpSuite::AesCm128HmacSha1_32) == 30);
    CHECK(key_salt_length(SrtpSuite::AeadAes128Gcm) == 28);
    CHECK(key_salt_length(SrtpSuite::AeadAes256Gcm) == 44);
    CHECK(parse_crypto("1 AEAD_AES_128_GCM inline:" + key_of(28)).ok());
    CHECK(parse_crypto("1 AEAD_AES_256_GCM inline:" + key_of(44)).ok());
    CHECK(crypto_error("1 AEAD_AES_256_GCM inline:" + key_of(30)) ==
          "crypto: key||salt of AEAD_AES_256_GCM must be 44 bytes, found 30");
    CHECK(crypto_error("1 AES_CM_128_HMAC_SHA1_80 inline:" + key_of(28)).find("must be 30 bytes, found 28") !=
          std::string::npos);
    CHECK(crypto_error("1 AES_CM_128_HMAC_SHA1_80 inline:not*base64*at*all*here*!!!!!!!!!!!").find("not base64") !=
          std::string::npos);
}

TEST_CASE("crypto: an unknown suite is kept, its key unchecked (RFC 4568 §7.1.1 skips it)") {
    auto c = parse_crypto("3 AES_256_CM_HMAC_SHA1_80 inline:" + key_of(46));
    REQUIRE(c.ok());
    CHECK(c->suite == SrtpSuite::Unknown);
    CHECK(c->suite_name == "AES_256_CM_HMAC_SHA1_80");
    CHECK(parse_crypto("9 F8_128_HMAC_SHA1_80 inline:anything-goes").ok());
    // RFC 4568 §9.1 allows other key methods; an unknown suite may use one.
    CHECK(parse_crypto("4 FUTURE_SUITE uri:https://kms.example/key").ok());
}

TEST_CASE("crypto: lifetime as a number or a power of two, before the MKI") {
    auto d = parse_crypto(std::string("1 AES_CM_128_HMAC_SHA1_80 inline:") + kKey30 + "|1048576");
    REQUIRE(d.ok());
    CHECK(d->keys[0].lifetime_packets() == 1048576u);
    auto mki_only = parse_crypto(std::string("1 AES_CM_128_HMAC_SHA1_80 inline:") + kKey30 + "|7:2");
    REQUIRE(mki_only.ok());
    CHECK_FALSE(mki_only->keys[0].lifetime);
    CHECK(mki_only->keys[0].mki == 7u);
    CHECK(crypto_error(std::string("1 AES_CM_128_HMAC_SHA1_80 inline:") + kKey30 + "|1:4|2^20") ==
          "crypto: lifetime must come before the MKI");
    CHECK(crypto_error(std::string("1 AES_CM_128_HMAC_SHA1_80 inline:") + kKey30 + "|2^49").find("exceeds 2^48") !=
          std::string::npos);
    CHECK(crypto_error(std::string("1 AES_CM_128_HMAC_SHA1_80 inline:") + kKey30 + "|2^x").find("lifetime") !=
          std::string::npos);
    CHECK(crypto_error(std::string("1 AES_CM_128_HMAC_SHA1_80 inline:") + kKey30 + "|1:129").find("MKI") !=
          std::string::npos);
    CHECK(crypto_error(std::string("1 AES_CM_128_HMAC_SHA1_80 inline:") + kKey30 + "|1:0").find("MKI") !=
          std::string::npos);
}

TEST_CASE("crypto: several key parameters and session parameters are kept") {
    const std::string value = std::string("5 AES_CM_128_HMAC_SHA1_32 inline:") + kKey30 + "|2^20|1:4;inline:" +
                              key_of(30) + "|2^20|2:4 KDR=1 UNENCRYPTED_SRTCP";
    auto c = parse_crypto(value);
    REQUIRE(c.ok());
    REQUIRE(c->keys.size() == 2);
    CHECK(c->keys[1].mki == 2u);
    CHECK(c->session_params == std::vector<std::string>{"KDR=1", "UNENCRYPTED_SRTCP"});
    CHECK(format_crypto(*c) == value);
}

TEST_CASE("crypto: tag and key method are checked") {
    CHECK(crypto_error(std::string("x AES_CM_128_HMAC_SHA1_80 inline:") + kKey30).find("tag") != std::string::npos);
    CHECK(crypto_error(std::string("1234567890 AES_CM_128_HMAC_SHA1_80 inline:") + kKey30).find("9 digits") !=
          std::string::npos);
    CHECK(crypto_error(std::string("1 AES_CM_128_HMAC_SHA1_80 uri:") + kKey30).find("is not inline") !=
          std::string::npos);
    CHECK(crypto_error("1 AES_CM_128_HMAC_SHA1_80").find("needs") != std::string::npos);
    CHECK(parse_crypto(std::string("1 AES_CM_128_HMAC_SHA1_80 INLINE:") + kKey30).ok());
}

TEST_CASE("crypto: duplicate tags in one media section are rejected (RFC 4568 §9.1)") {
    const std::string head = "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\n";
    const std::string line1 = std::string("a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:") + kKey30 + "\r\n";
    const std::string line1b = std::string("a=crypto:1 AES_CM_128_HMAC_SHA1_32 inline:") + kKey30 + "\r\n";
    auto dup = parse(head + "m=audio 1 RTP/SAVP 0\r\n" + line1 + line1b);
    REQUIRE_FALSE(dup.ok());
    CHECK(dup.error().message.find("SDP line 8") == 0);
    CHECK(dup.error().message.find("duplicate crypto tag 1") != std::string::npos);
    // The same tag in two media sections is fine.
    auto two = parse(head + "m=audio 1 RTP/SAVP 0\r\n" + line1 + "m=audio 2 RTP/SAVP 0\r\n" + line1);
    REQUIRE(two.ok());
    auto list = crypto_attributes(two->media[1]);
    REQUIRE(list.ok());
    CHECK(list->size() == 1);
    // A model built by hand is checked the same way.
    MediaDescription m = two->media[0];
    m.attributes.push_back(m.attributes.front());
    auto bad = crypto_attributes(m);
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().message == "crypto: duplicate tag 1");
}
