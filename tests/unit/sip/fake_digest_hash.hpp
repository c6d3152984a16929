#pragma once
// A DigestHash that writes out what it was asked to hash, e.g. "MD5(a:b)", so a test sees the
// exact shape of A1, A2 and the response without a real hash function.
#include "dialtone/sip/digest.hpp"

#include <string>

namespace dialtone::sip::testing {

class SymbolicHash final : public DigestHash {
public:
    base::Result<std::string> hex(HashFunction fn, std::string_view data) const override {
        ++calls;
        const char* name = fn == HashFunction::Md5 ? "MD5" : fn == HashFunction::Sha256 ? "SHA256" : "SHA512_256";
        return std::string(name) + "(" + std::string(data) + ")";
    }
    mutable int calls = 0;
};

// A hash the provider refuses, as OpenSSL in FIPS mode refuses MD5.
class UnavailableHash final : public DigestHash {
public:
    base::Result<std::string> hex(HashFunction, std::string_view) const override {
        return base::make_error("MD5 is not available from OpenSSL");
    }
};

}  // namespace dialtone::sip::testing
