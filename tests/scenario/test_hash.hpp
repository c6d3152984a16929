#pragma once
// The Digest hash of the scenarios: OpenSSL's when io/ is built (MD5, SHA-256 for real), else a
// stand-in (FNV-1a as hex) that keeps the core-only build's scenarios running; both sides of a
// scenario share it, so the protocol runs the same either way.
#include "dialtone/sip/digest.hpp"

#ifdef DIALTONE_SCENARIO_OPENSSL
#include "dialtone/io/openssl_hash.hpp"
#endif

#include <cstdint>
#include <string>

namespace dialtone::scenario {

class StandInHash final : public sip::DigestHash {
public:
    base::Result<std::string> hex(sip::HashFunction fn, std::string_view data) const override {
        std::uint64_t h = 1469598103934665603ULL + static_cast<std::uint64_t>(fn);
        for (char c : data) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
        static const char digits[] = "0123456789abcdef";
        std::string out;
        for (int i = 60; i >= 0; i -= 4) out.push_back(digits[(h >> i) & 0xf]);
        // As long as the real digest: 128 bits for MD5, 256 for the SHA-2 ones.
        const int copies = fn == sip::HashFunction::Md5 ? 2 : 4;
        std::string full;
        for (int i = 0; i < copies; ++i) full += out;
        return full;
    }
};

#ifdef DIALTONE_SCENARIO_OPENSSL
using ScenarioHash = io::OpensslDigestHash;
#else
using ScenarioHash = StandInHash;
#endif

}  // namespace dialtone::scenario
