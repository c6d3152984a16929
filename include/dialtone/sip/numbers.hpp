#pragma once
// Header values that are one decimal number (RFC 3261 §20; RFC 3262 RSeq). Leading and
// trailing whitespace is allowed, anything else around the digits is an error; every error names
// the header and the value, e.g. "Max-Forwards: value '300' out of range 0-255".
#include "dialtone/base/result.hpp"

#include <cstdint>
#include <string_view>

namespace dialtone::sip {

base::Result<std::uint32_t> parse_expires(std::string_view value);         // §20.19: 0 to 2^32-1
base::Result<std::uint32_t> parse_min_expires(std::string_view value);     // §20.23
base::Result<std::uint8_t> parse_max_forwards(std::string_view value);     // §20.22: 0 to 255
base::Result<std::uint32_t> parse_content_length(std::string_view value);  // §20.14
base::Result<std::uint32_t> parse_rseq(std::string_view value);            // RFC 3262 §7.1: 1 to 2^31-1

// The general form: `what` names the header; value in [min, max].
base::Result<std::uint64_t> parse_number_header(std::string_view value, std::string_view what, std::uint64_t min,
                                                std::uint64_t max);

}  // namespace dialtone::sip
