#pragma once
// Small pieces of SDP grammar shared by the parser and the attribute views (not installed).
#include <cstddef>
#include <string_view>
#include <vector>

#include "dialtone/base/result.hpp"
#include "dialtone/sdp/session.hpp"

namespace dialtone::sdp::detail {

// Fields separated by one or more spaces; leading and trailing spaces ignored.
std::vector<std::string_view> split_fields(std::string_view s);
// The same without allocating: the first `max` fields go to `out`; returns how many fields
// there are in all (which may be more than `max`).
std::size_t split_fields(std::string_view s, std::string_view* out, std::size_t max);

// token-char of RFC 8866 §9: visible ASCII except the separators.
bool is_token(std::string_view s);

// "IN" <addrtype> <address>; the error names the faulty field.
base::Result<Connection> parse_connection(std::string_view nettype, std::string_view addrtype,
                                          std::string_view address);

}  // namespace dialtone::sdp::detail
