#pragma once
// The Digest hash functions over OpenSSL 3's EVP interface: MD5, SHA-256 and SHA-512/256
// (FIPS 180-4), fetched once from the default provider.
#include "dialtone/sip/digest.hpp"

#include <memory>

typedef struct evp_md_st EVP_MD;

namespace dialtone::io {

class OpensslDigestHash final : public sip::DigestHash {
public:
    OpensslDigestHash();
    ~OpensslDigestHash() override;
    OpensslDigestHash(const OpensslDigestHash&) = delete;
    OpensslDigestHash& operator=(const OpensslDigestHash&) = delete;

    base::Result<std::string> hex(sip::HashFunction, std::string_view data) const override;

private:
    struct MdFree {
        void operator()(EVP_MD* md) const;
    };
    using MdPtr = std::unique_ptr<EVP_MD, MdFree>;
    MdPtr md5_, sha256_, sha512_256_;
};

}  // namespace dialtone::io
