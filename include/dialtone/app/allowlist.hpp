#pragma once
// `listen --allow PATTERN`: who may call. A pattern with '/' or that is an IP address matches the
// source address of the INVITE (CIDR: 10.0.0.0/8, 2001:db8::/32); anything else is a glob over
// the From URI (`*` any run, `?` one character, case-insensitive): sip:*@example.com.
// An empty list allows everyone; a call that matches nothing is refused with 403.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "dialtone/base/result.hpp"

namespace dialtone::app {

struct AllowRule {
    enum class Kind { UriGlob, Network };
    Kind kind = Kind::UriGlob;
    std::string glob;                       // UriGlob
    bool ipv6 = false;                      // Network
    std::array<std::uint8_t, 16> network{};
    int prefix = 0;
};

base::Result<AllowRule> parse_allow_rule(std::string_view pattern);

// Glob match with `*` and `?`, ASCII case-insensitive.
bool glob_match(std::string_view pattern, std::string_view text);

class Allowlist {
public:
    static base::Result<Allowlist> parse(const std::vector<std::string>& patterns);
    // `from_uri` as the From header wrote it; `source_ip` without port or brackets.
    bool permits(std::string_view from_uri, std::string_view source_ip) const;
    bool empty() const { return rules_.empty(); }

private:
    std::vector<AllowRule> rules_;
};

}  // namespace dialtone::app
