#include "dialtone/io/openssl_hash.hpp"

#include "dialtone/base/strings.hpp"

#include <openssl/err.h>
#include <openssl/evp.h>

namespace dialtone::io {

void OpensslDigestHash::MdFree::operator()(EVP_MD* md) const { EVP_MD_free(md); }

// EVP_MD_fetch rather than the deprecated one-shot MD5(): the provider may refuse MD5 (FIPS),
// which then shows up as an error for that algorithm only.
OpensslDigestHash::OpensslDigestHash()
    : md5_(EVP_MD_fetch(nullptr, "MD5", nullptr)),
      sha256_(EVP_MD_fetch(nullptr, "SHA256", nullptr)),
      sha512_256_(EVP_MD_fetch(nullptr, "SHA512-256", nullptr)) {
    ERR_clear_error();  // a failed fetch is reported when the algorithm is used
}

OpensslDigestHash::~OpensslDigestHash() = default;

base::Result<std::string> OpensslDigestHash::hex(sip::HashFunction fn, std::string_view data) const {
    const EVP_MD* md = nullptr;
    const char* name = "";
    switch (fn) {
        case sip::HashFunction::Md5: md = md5_.get(); name = "MD5"; break;
        case sip::HashFunction::Sha256: md = sha256_.get(); name = "SHA-256"; break;
        case sip::HashFunction::Sha512_256: md = sha512_256_.get(); name = "SHA-512/256"; break;
    }
    if (md == nullptr) return base::make_error(std::string(name) + " is not available from OpenSSL");
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (EVP_Digest(data.data(), data.size(), out, &len, md, nullptr) != 1) {
        ERR_clear_error();
        return base::make_error(std::string(name) + " failed in OpenSSL");
    }
    return base::to_hex(std::string_view(reinterpret_cast<const char*>(out), len));
}

}  // namespace dialtone::io
