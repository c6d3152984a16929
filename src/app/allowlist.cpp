#include "dialtone/app/allowlist.hpp"

#include <arpa/inet.h>

#include <cstring>
#include <optional>

#include "dialtone/base/strings.hpp"

namespace dialtone::app {

namespace {

struct Ip {
    bool v6 = false;
    std::array<std::uint8_t, 16> bytes{};
};

std::optional<Ip> parse_ip(std::string_view text) {
    if (text.size() >= 2 && text.front() == '[' && text.back() == ']') text = text.substr(1, text.size() - 2);
    std::string s(text);
    Ip ip;
    in_addr v4{};
    if (inet_pton(AF_INET, s.c_str(), &v4) == 1) {
        std::memcpy(ip.bytes.data(), &v4, 4);
        return ip;
    }
    in6_addr v6{};
    if (inet_pton(AF_INET6, s.c_str(), &v6) == 1) {
        ip.v6 = true;
        std::memcpy(ip.bytes.data(), &v6, 16);
        // An IPv4-mapped address (::ffff:a.b.c.d) is compared as the IPv4 address.
        static const std::uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
        if (std::memcmp(ip.bytes.data(), mapped, 12) == 0) {
            std::memmove(ip.bytes.data(), ip.bytes.data() + 12, 4);
            std::memset(ip.bytes.data() + 4, 0, 12);
            ip.v6 = false;
        }
        return ip;
    }
    return std::nullopt;
}

bool prefix_equal(const std::array<std::uint8_t, 16>& a, const std::array<std::uint8_t, 16>& b, int bits) {
    int whole = bits / 8;
    if (std::memcmp(a.data(), b.data(), static_cast<std::size_t>(whole)) != 0) return false;
    int rest = bits % 8;
    if (rest == 0) return true;
    auto mask = static_cast<std::uint8_t>(0xff << (8 - rest));
    return (a[static_cast<std::size_t>(whole)] & mask) == (b[static_cast<std::size_t>(whole)] & mask);
}

}  // namespace

bool glob_match(std::string_view pattern, std::string_view text) {
    // Iterative matching with one backtrack point for the last '*': linear for typical patterns.
    std::size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
    while (t < text.size()) {
        if (p < pattern.size() && (pattern[p] == '?' || base::ascii_lower(pattern[p]) == base::ascii_lower(text[t]))) {
            ++p;
            ++t;
        } else if (p < pattern.size() && pattern[p] == '*') {
            star = p++;
            mark = t;
        } else if (star != std::string_view::npos) {
            p = star + 1;
            t = ++mark;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*') ++p;
    return p == pattern.size();
}

base::Result<AllowRule> parse_allow_rule(std::string_view pattern) {
    pattern = base::trim(pattern);
    if (pattern.empty()) return base::make_error("--allow: empty pattern");
    AllowRule rule;
    auto slash = pattern.find('/');
    std::string_view address = pattern.substr(0, slash);
    auto ip = parse_ip(address);
    if (slash != std::string_view::npos || ip) {
        if (!ip) return base::make_error("--allow: '" + std::string(address) + "' is not an IPv4 or IPv6 address");
        rule.kind = AllowRule::Kind::Network;
        rule.ipv6 = ip->v6;
        rule.network = ip->bytes;
        int max = ip->v6 ? 128 : 32;
        rule.prefix = max;
        if (slash != std::string_view::npos) {
            auto bits = base::parse_u32(pattern.substr(slash + 1));
            if (!bits || static_cast<int>(*bits) > max)
                return base::make_error("--allow: prefix length '" + std::string(pattern.substr(slash + 1)) +
                                        "' is not 0-" + std::to_string(max));
            rule.prefix = static_cast<int>(*bits);
        }
        return rule;
    }
    rule.kind = AllowRule::Kind::UriGlob;
    rule.glob = std::string(pattern);
    return rule;
}

base::Result<Allowlist> Allowlist::parse(const std::vector<std::string>& patterns) {
    Allowlist list;
    for (const auto& p : patterns) {
        auto rule = parse_allow_rule(p);
        if (!rule) return rule.error();
        list.rules_.push_back(std::move(*rule));
    }
    return list;
}

bool Allowlist::permits(std::string_view from_uri, std::string_view source_ip) const {
    if (rules_.empty()) return true;
    auto ip = parse_ip(source_ip);
    for (const auto& r : rules_) {
        if (r.kind == AllowRule::Kind::UriGlob) {
            if (glob_match(r.glob, from_uri)) return true;
        } else if (ip && ip->v6 == r.ipv6 && prefix_equal(ip->bytes, r.network, r.prefix)) {
            return true;
        }
    }
    return false;
}

}  // namespace dialtone::app
