#include "dialtone/sip/token_list.hpp"

#include "dialtone/base/strings.hpp"
#include "header_lex.hpp"

namespace dialtone::sip {

bool TokenList::contains(std::string_view token) const {
    for (const std::string& t : tokens)
        if (base::iequals(t, token)) return true;
    return false;
}

bool TokenList::contains_exact(std::string_view token) const {
    for (const std::string& t : tokens)
        if (t == token) return true;
    return false;
}

void TokenList::write(std::string& out) const {
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        if (i > 0) out += ", ";
        out += tokens[i];
    }
}

std::string TokenList::to_string() const {
    std::string out;
    write(out);
    return out;
}

base::Result<TokenList> parse_token_list(std::string_view value, std::string_view what, EmptyList empty) {
    TokenList out;
    if (base::trim(value).empty()) {
        if (empty == EmptyList::Rejected) return lex::fail(what, "empty value");
        return out;
    }
    for (std::string_view item : lex::split_commas(value)) {
        if (item.empty()) return lex::fail(what, "empty list element");
        if (!lex::is_token(item)) return lex::fail(what, "bad token '" + std::string(item) + "'");
        out.tokens.emplace_back(item);
    }
    return out;
}

}  // namespace dialtone::sip
