#include "dialtone/ua/info_dtmf.hpp"

#include "dialtone/base/strings.hpp"
#include "dialtone/sip/content_type.hpp"

namespace dialtone::ua {
namespace {

// RFC 4733 §3.2 event codes 0-16 as characters.
std::optional<char> digit_of_event(std::uint32_t code) {
    static constexpr char kDigits[] = "0123456789*#ABCD!";
    if (code > 16) return std::nullopt;
    return kDigits[code];
}

std::optional<char> parse_signal(std::string_view v) {
    v = base::trim(v);
    if (v.empty()) return std::nullopt;
    if (auto n = base::parse_u32(v)) return digit_of_event(*n);
    if (v.size() != 1) return std::nullopt;
    char c = v[0];
    if (c >= 'a' && c <= 'd') c = static_cast<char>(c - 32);
    if (is_dtmf_digit(c)) return c;
    return std::nullopt;
}

std::string_view next_line(std::string_view& rest) {
    std::size_t end = rest.find('\n');
    std::string_view line = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    return line;
}

base::Result<InfoDtmf> parse_relay(std::string_view body) {
    std::optional<char> digit;
    std::uint32_t duration = 0;
    std::string_view rest = body;
    while (!rest.empty()) {
        std::string_view line = base::trim(next_line(rest));
        if (line.empty()) continue;
        std::size_t eq = line.find('=');
        if (eq == std::string_view::npos) continue;  // unknown lines are ignored
        std::string_view name = base::trim(line.substr(0, eq));
        std::string_view value = base::trim(line.substr(eq + 1));
        if (base::iequals(name, "Signal")) {
            digit = parse_signal(value);
            if (!digit) return base::make_error("dtmf-relay: bad Signal '" + std::string(value) + "'", 400);
        } else if (base::iequals(name, "Duration")) {
            auto d = base::parse_u32(value);
            if (!d) return base::make_error("dtmf-relay: bad Duration '" + std::string(value) + "'", 400);
            duration = *d;
        }
    }
    if (!digit) return base::make_error("dtmf-relay: no Signal line", 400);
    return InfoDtmf{*digit, duration};
}

}  // namespace

bool is_dtmf_digit(char c) {
    return base::is_digit(c) || c == '*' || c == '#' || (c >= 'A' && c <= 'D') || c == '!';
}

bool is_dtmf_content_type(std::string_view content_type) {
    auto t = sip::parse_content_type(content_type);
    return t && (t->is("application", "dtmf-relay") || t->is("application", "dtmf"));
}

base::Result<InfoDtmf> parse_info_dtmf(std::string_view content_type, std::string_view body) {
    auto t = sip::parse_content_type(content_type);
    if (!t) return base::make_error(t.error().message, 415);
    if (t->is("application", "dtmf-relay")) return parse_relay(body);
    if (t->is("application", "dtmf")) {
        // The body is the digit alone (a number for the events above 9 in some phones).
        std::string_view rest = body;
        std::string_view line = base::trim(next_line(rest));
        auto digit = parse_signal(line);
        if (!digit) return base::make_error("application/dtmf: bad digit '" + std::string(line) + "'", 400);
        return InfoDtmf{*digit, 0};
    }
    return base::make_error("INFO body type " + t->type + "/" + t->subtype + " is not DTMF", 415);
}

std::string format_dtmf_relay(char digit, std::uint32_t duration_ms) {
    std::string out = "Signal=";
    out += digit;
    out += "\r\nDuration=";
    out += std::to_string(duration_ms);
    out += "\r\n";
    return out;
}

}  // namespace dialtone::ua
