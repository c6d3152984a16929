#pragma once
// DTMF in SIP INFO bodies (RFC 6086 usage; no RFC defines the bodies, so this follows what
// deployed phones send and accepts what they might):
//
//   application/dtmf-relay:   Signal=5\r\nDuration=160\r\n
//   application/dtmf:         5
//
// Reading is tolerant: any case of the field names, spaces around '=', bare LF line ends,
// numeric signals 10='*' 11='#' 12-15='A'-'D' 16=flash ('!'), a missing Duration.
#include "dialtone/base/result.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace dialtone::ua {

struct InfoDtmf {
    char digit = '0';
    std::uint32_t duration_ms = 0;  // 0 when absent
};

// Whether this Content-Type (type/subtype, parameters ignored) is a DTMF body we read.
bool is_dtmf_content_type(std::string_view content_type);

// `content_type` as the Content-Type header gives it. Errors (status 400 for a bad body, 415
// for another type) name the fault.
base::Result<InfoDtmf> parse_info_dtmf(std::string_view content_type, std::string_view body);

// The application/dtmf-relay body for one digit; false when `digit` is not a DTMF symbol.
bool is_dtmf_digit(char digit);
std::string format_dtmf_relay(char digit, std::uint32_t duration_ms);

}  // namespace dialtone::ua
