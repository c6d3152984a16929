#pragma once
// Comma-separated token lists (RFC 3261 §20.5 Allow, §20.37 Supported, §20.32 Require,
// §20.40 Unsupported, §20.29 Proxy-Require; RFC 6665 Allow-Events). Accept is in
// content_type.hpp (its elements are media ranges, not tokens).
#include "dialtone/base/result.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace dialtone::sip {

struct TokenList {
    std::vector<std::string> tokens;

    // Option tags and other tokens are case-insensitive (§7.3.1).
    bool contains(std::string_view token) const;
    // Method names are case-sensitive (§7.1): use this for Allow.
    bool contains_exact(std::string_view token) const;
    bool empty() const { return tokens.empty(); }

    void write(std::string& out) const;  // "a, b, c"
    std::string to_string() const;

    friend bool operator==(const TokenList&, const TokenList&) = default;
};

enum class EmptyList {
    Allowed,   // Allow, Supported, Accept-like lists may be empty (§20.5, §20.37)
    Rejected,  // Require, Unsupported, Proxy-Require need at least one option tag
};

// `what` names the header for errors, e.g. "Require: bad token 'a b'".
base::Result<TokenList> parse_token_list(std::string_view value, std::string_view what,
                                         EmptyList empty = EmptyList::Allowed);

}  // namespace dialtone::sip
