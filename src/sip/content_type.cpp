#include "dialtone/sip/content_type.hpp"

#include "dialtone/base/strings.hpp"
#include "header_lex.hpp"

namespace dialtone::sip {

namespace {

base::Result<MediaType> parse_media(std::string_view value, std::string_view what, bool range) {
    lex::Cursor c(value);
    MediaType m;
    c.skip_ws();
    std::string_view type = c.token();
    if (type.empty()) return lex::fail(what, "missing media type");
    if (!c.eat('/')) return lex::fail(what, "missing '/' after media type '" + std::string(type) + "'");
    c.skip_ws();
    std::string_view subtype = c.token();
    if (subtype.empty()) return lex::fail(what, "missing media subtype");
    bool wild_type = type == "*", wild_sub = subtype == "*";
    if ((!range && (wild_type || wild_sub)) || (range && wild_type && !wild_sub) ||
        (type.find('*') != std::string_view::npos && !wild_type) ||
        (subtype.find('*') != std::string_view::npos && !wild_sub))
        return lex::fail(what, "bad media type '" + std::string(type) + "/" + std::string(subtype) + "'");
    m.type = base::to_lower(type);
    m.subtype = base::to_lower(subtype);
    if (auto st = lex::parse_generic_params(c, m.params, what); !st) return st.error();
    c.skip_ws();
    if (!c.done()) return lex::fail(what, "unexpected '" + std::string(c.rest()) + "'");
    // m-parameter = m-attribute EQUAL m-value (§25.1): media-type parameters always have a value.
    for (const Param& p : m.params)
        if (!p.value) return lex::fail(what, "parameter '" + p.name + "' without a value");
    return m;
}

}  // namespace

bool MediaType::is(std::string_view t, std::string_view s) const {
    return base::iequals(type, t) && base::iequals(subtype, s);
}

bool MediaType::covers(std::string_view t, std::string_view s) const {
    if (type == "*") return true;
    if (!base::iequals(type, t)) return false;
    return subtype == "*" || base::iequals(subtype, s);
}

void MediaType::write(std::string& out) const {
    out += type;
    out.push_back('/');
    out += subtype;
    params.write(out);
}

std::string MediaType::to_string() const {
    std::string out;
    write(out);
    return out;
}

base::Result<MediaType> parse_content_type(std::string_view value) {
    return parse_media(value, "Content-Type", false);
}

base::Result<std::vector<MediaType>> parse_accept(std::string_view value) {
    std::vector<MediaType> out;
    if (base::trim(value).empty()) return out;
    for (std::string_view item : lex::split_commas(value)) {
        if (item.empty()) return lex::fail("Accept", "empty list element");
        auto m = parse_media(item, "Accept", true);
        if (!m) return m.error();
        out.push_back(std::move(m).value());
    }
    return out;
}

}  // namespace dialtone::sip
