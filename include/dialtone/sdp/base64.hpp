#pragma once
// Base64 with the standard alphabet (RFC 4648 §4), as RFC 4568 key parameters use it.
#include <optional>
#include <string>
#include <string_view>

namespace dialtone::sdp {

std::string base64_encode(std::string_view bytes);
// Padding may be omitted; anything outside the alphabet, or bits left over, gives nullopt.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace dialtone::sdp
