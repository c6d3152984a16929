#include "dialtone/sip/numbers.hpp"

#include "dialtone/base/strings.hpp"
#include "header_lex.hpp"

#include <string>

namespace dialtone::sip {

base::Result<std::uint64_t> parse_number_header(std::string_view value, std::string_view what, std::uint64_t min,
                                                std::uint64_t max) {
    std::string_view v = base::trim(value);
    if (v.empty()) return lex::fail(what, "empty value");
    for (char c : v)
        if (!base::is_digit(c)) return lex::fail(what, "bad value '" + std::string(v) + "'");
    auto n = base::parse_u64(v);
    if (!n || *n < min || *n > max)
        return lex::fail(what, "value '" + std::string(v) + "' out of range " + std::to_string(min) + "-" +
                                   std::to_string(max));
    return *n;
}

namespace {
template <class T>
base::Result<T> narrow(base::Result<std::uint64_t> r) {
    if (!r) return r.error();
    return static_cast<T>(*r);
}
}  // namespace

base::Result<std::uint32_t> parse_expires(std::string_view value) {
    return narrow<std::uint32_t>(parse_number_header(value, "Expires", 0, 4294967295u));
}
base::Result<std::uint32_t> parse_min_expires(std::string_view value) {
    return narrow<std::uint32_t>(parse_number_header(value, "Min-Expires", 0, 4294967295u));
}
base::Result<std::uint8_t> parse_max_forwards(std::string_view value) {
    return narrow<std::uint8_t>(parse_number_header(value, "Max-Forwards", 0, 255));
}
base::Result<std::uint32_t> parse_content_length(std::string_view value) {
    return narrow<std::uint32_t>(parse_number_header(value, "Content-Length", 0, 4294967295u));
}
base::Result<std::uint32_t> parse_rseq(std::string_view value) {
    return narrow<std::uint32_t>(parse_number_header(value, "RSeq", 1, 2147483647u));
}

}  // namespace dialtone::sip
