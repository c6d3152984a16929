#pragma once
// Small string helpers over std::string_view; none allocates unless it returns a std::string.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace dialtone::base {

constexpr char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }
constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }
constexpr bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
constexpr bool is_hex_digit(char c) {
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
constexpr bool is_ws(char c) { return c == ' ' || c == '\t'; }

// ASCII case-insensitive equality; inline because header and parameter lookups call it per name.
inline bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (a[i] != b[i] && ascii_lower(a[i]) != ascii_lower(b[i])) return false;
    return true;
}
bool istarts_with(std::string_view s, std::string_view prefix);
std::string to_lower(std::string_view s);

std::string_view trim(std::string_view s);        // spaces and tabs both ends
std::string_view trim_left(std::string_view s);
std::string_view trim_right(std::string_view s);

// Decimal digits only (no sign, no spaces), fitting in the type; nullopt otherwise.
std::optional<std::uint32_t> parse_u32(std::string_view s);
std::optional<std::uint64_t> parse_u64(std::string_view s);
std::optional<std::int64_t> parse_i64(std::string_view s);

// Lower-case hex of arbitrary bytes.
std::string to_hex(std::string_view bytes);

}  // namespace dialtone::base
