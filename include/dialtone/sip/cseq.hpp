#pragma once
// CSeq (RFC 3261 §20.16, §8.1.1.5) and RAck (RFC 3262 §7.2).
//
//   CSeq: 4711 INVITE          sequence number below 2^31, then the method
//   RAck: 776656 1 INVITE      RSeq of the reliable provisional response, then its CSeq
#include "dialtone/base/result.hpp"
#include "dialtone/sip/method.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace dialtone::sip {

inline constexpr std::uint32_t kMaxCSeq = 2147483647u;  // 2^31-1 (§8.1.1.5)

struct CSeq {
    std::uint32_t number = 0;
    std::string method_text;  // case-sensitive token, e.g. "INVITE" or an extension method

    Method method() const { return parse_method(method_text); }
    static CSeq make(std::uint32_t number, Method method);

    void write(std::string& out) const;  // "4711 INVITE"
    std::string to_string() const;
    friend bool operator==(const CSeq&, const CSeq&) = default;
};

struct RAck {
    std::uint32_t rseq = 0;    // response-num, 1 to 2^31-1
    std::uint32_t cseq = 0;    // CSeq number of the response
    std::string method_text;   // CSeq method of the response

    Method method() const { return parse_method(method_text); }

    void write(std::string& out) const;  // "776656 1 INVITE"
    std::string to_string() const;
    friend bool operator==(const RAck&, const RAck&) = default;
};

// Errors start with "CSeq: " / "RAck: ", e.g. "CSeq: sequence number '2147483648' above 2^31-1".
base::Result<CSeq> parse_cseq(std::string_view value);
base::Result<RAck> parse_rack(std::string_view value);

}  // namespace dialtone::sip
