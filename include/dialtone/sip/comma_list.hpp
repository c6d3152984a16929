#pragma once
// Splitting a header value on the commas that separate list elements (RFC 3261 §7.3.1): commas
// inside quoted strings (with \-escapes) and inside <...> do not split.
#include <string_view>
#include <vector>

namespace dialtone::sip {

// Appends each trimmed, non-empty element of `value` to `out`; the views point into `value`.
void split_comma_list(std::string_view value, std::vector<std::string_view>& out);
std::vector<std::string_view> split_comma_list(std::string_view value);

}  // namespace dialtone::sip
