#include "dialtone/base/strings.hpp"

#include <charconv>
#include <limits>

namespace dialtone::base {

bool istarts_with(std::string_view s, std::string_view prefix) {
    return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

std::string to_lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = ascii_lower(c);
    return out;
}

std::string_view trim_left(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size() && is_ws(s[i])) ++i;
    return s.substr(i);
}

std::string_view trim_right(std::string_view s) {
    std::size_t n = s.size();
    while (n > 0 && is_ws(s[n - 1])) --n;
    return s.substr(0, n);
}

std::string_view trim(std::string_view s) { return trim_right(trim_left(s)); }

namespace {
template <class T>
std::optional<T> parse_unsigned(std::string_view s) {
    if (s.empty()) return std::nullopt;
    for (char c : s)
        if (!is_digit(c)) return std::nullopt;
    T v{};
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || p != s.data() + s.size()) return std::nullopt;
    return v;
}
}  // namespace

std::optional<std::uint32_t> parse_u32(std::string_view s) { return parse_unsigned<std::uint32_t>(s); }
std::optional<std::uint64_t> parse_u64(std::string_view s) { return parse_unsigned<std::uint64_t>(s); }

std::optional<std::int64_t> parse_i64(std::string_view s) {
    bool neg = !s.empty() && s.front() == '-';
    auto mag = parse_unsigned<std::uint64_t>(neg ? s.substr(1) : s);
    if (!mag) return std::nullopt;
    constexpr auto max = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    if (*mag > max + (neg ? 1 : 0)) return std::nullopt;
    if (neg) return *mag == max + 1 ? std::numeric_limits<std::int64_t>::min() : -static_cast<std::int64_t>(*mag);
    return static_cast<std::int64_t>(*mag);
}

std::string to_hex(std::string_view bytes) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (unsigned char c : bytes) {
        out.push_back(digits[c >> 4]);
        out.push_back(digits[c & 15]);
    }
    return out;
}

}  // namespace dialtone::base
