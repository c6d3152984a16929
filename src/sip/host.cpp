#include "dialtone/sip/host.hpp"

#include "dialtone/base/strings.hpp"
#include "header_lex.hpp"

#include <vector>

namespace dialtone::sip {

using base::is_alpha;
using base::is_digit;

std::optional<std::array<std::uint8_t, 4>> parse_ipv4(std::string_view text) {
    std::array<std::uint8_t, 4> out{};
    std::size_t pos = 0;
    for (int i = 0; i < 4; ++i) {
        if (i > 0) {
            if (pos >= text.size() || text[pos] != '.') return std::nullopt;
            ++pos;
        }
        std::size_t start = pos;
        unsigned v = 0;
        while (pos < text.size() && is_digit(text[pos]) && pos - start < 3) v = v * 10 + static_cast<unsigned>(text[pos++] - '0');
        if (pos == start || v > 255) return std::nullopt;
        out[i] = static_cast<std::uint8_t>(v);
    }
    if (pos != text.size()) return std::nullopt;
    return out;
}

namespace {

// One side of an IPv6 address around "::": hex groups, optionally ending in a dotted IPv4.
bool ipv6_words(std::string_view s, bool allow_ipv4, std::vector<std::uint16_t>& words) {
    if (s.empty()) return true;
    std::size_t start = 0;
    for (;;) {
        std::size_t colon = s.find(':', start);
        std::string_view piece = s.substr(start, colon == std::string_view::npos ? std::string_view::npos : colon - start);
        if (piece.empty()) return false;
        if (piece.find('.') != std::string_view::npos) {
            if (!allow_ipv4 || colon != std::string_view::npos) return false;
            auto v4 = parse_ipv4(piece);
            if (!v4) return false;
            words.push_back(static_cast<std::uint16_t>((*v4)[0] << 8 | (*v4)[1]));
            words.push_back(static_cast<std::uint16_t>((*v4)[2] << 8 | (*v4)[3]));
            return true;
        }
        if (piece.size() > 4) return false;
        unsigned w = 0;
        for (char c : piece) {
            if (!base::is_hex_digit(c)) return false;
            w = w * 16 + static_cast<unsigned>(is_digit(c) ? c - '0' : base::ascii_lower(c) - 'a' + 10);
        }
        words.push_back(static_cast<std::uint16_t>(w));
        if (colon == std::string_view::npos) return true;
        start = colon + 1;
    }
}

}  // namespace

std::optional<std::array<std::uint8_t, 16>> parse_ipv6(std::string_view text) {
    std::vector<std::uint16_t> head, tail;
    std::size_t gap = text.find("::");
    if (gap == std::string_view::npos) {
        if (!ipv6_words(text, true, head) || head.size() != 8) return std::nullopt;
    } else {
        if (text.find("::", gap + 1) != std::string_view::npos) return std::nullopt;
        if (!ipv6_words(text.substr(0, gap), false, head)) return std::nullopt;
        if (!ipv6_words(text.substr(gap + 2), true, tail)) return std::nullopt;
        if (head.size() + tail.size() > 7) return std::nullopt;  // "::" stands for at least one group
    }
    std::array<std::uint16_t, 8> words{};
    for (std::size_t i = 0; i < head.size(); ++i) words[i] = head[i];
    for (std::size_t i = 0; i < tail.size(); ++i) words[8 - tail.size() + i] = tail[i];
    std::array<std::uint8_t, 16> out{};
    for (std::size_t i = 0; i < 8; ++i) {
        out[2 * i] = static_cast<std::uint8_t>(words[i] >> 8);
        out[2 * i + 1] = static_cast<std::uint8_t>(words[i] & 0xff);
    }
    return out;
}

std::optional<std::uint16_t> parse_port(std::string_view text) {
    auto v = base::parse_u32(text);
    if (!v || *v > 65535) return std::nullopt;
    return static_cast<std::uint16_t>(*v);
}

namespace {

// hostname = *( domainlabel "." ) toplabel [ "." ] (RFC 3261 §25.1)
bool is_hostname(std::string_view s) {
    if (!s.empty() && s.back() == '.') s.remove_suffix(1);
    if (s.empty()) return false;
    std::size_t start = 0;
    for (;;) {
        std::size_t dot = s.find('.', start);
        bool last = dot == std::string_view::npos;
        std::string_view label = s.substr(start, last ? std::string_view::npos : dot - start);
        if (label.empty() || label.front() == '-' || label.back() == '-') return false;
        for (char c : label)
            if (!is_alpha(c) && !is_digit(c) && c != '-') return false;
        if (last) return is_alpha(label.front());
        start = dot + 1;
    }
}

}  // namespace

base::Result<Host> parse_host(std::string_view text, std::string_view what, bool allow_bare_ipv6) {
    auto bad = [&] { return lex::fail(what, "bad host '" + std::string(text) + "'"); };
    if (text.empty()) return lex::fail(what, "empty host");
    if (text.front() == '[') {
        if (text.size() < 2 || text.back() != ']') return bad();
        std::string_view inner = text.substr(1, text.size() - 2);
        if (!parse_ipv6(inner)) return bad();
        return Host{std::string(inner), HostKind::IPv6};
    }
    if (parse_ipv4(text)) return Host{std::string(text), HostKind::IPv4};
    if (text.find(':') != std::string_view::npos) {
        if (allow_bare_ipv6 && parse_ipv6(text)) return Host{std::string(text), HostKind::IPv6};
        return bad();
    }
    if (!is_hostname(text)) return bad();
    return Host{std::string(text), HostKind::Name};
}

bool Host::equivalent(const Host& other) const {
    if (kind != other.kind) return false;
    switch (kind) {
    case HostKind::IPv4: return parse_ipv4(name) == parse_ipv4(other.name);
    case HostKind::IPv6: return parse_ipv6(name) == parse_ipv6(other.name);
    case HostKind::Name: break;
    }
    std::string_view a = name, b = other.name;
    if (!a.empty() && a.back() == '.') a.remove_suffix(1);
    if (!b.empty() && b.back() == '.') b.remove_suffix(1);
    return base::iequals(a, b);
}

void Host::write(std::string& out) const {
    if (kind == HostKind::IPv6) {
        out.push_back('[');
        out += name;
        out.push_back(']');
    } else {
        out += name;
    }
}

std::string Host::to_string() const {
    std::string out;
    write(out);
    return out;
}

}  // namespace dialtone::sip
