#include "dialtone/sip/replaces.hpp"

#include "dialtone/base/strings.hpp"
#include "header_lex.hpp"

namespace dialtone::sip {

void Replaces::write(std::string& out) const {
    out += call_id;
    params.write(out);
}

std::string Replaces::to_string() const {
    std::string out;
    write(out);
    return out;
}

base::Result<Replaces> parse_replaces(std::string_view value) {
    constexpr std::string_view what = "Replaces";
    lex::Cursor c(value);
    c.skip_ws();
    std::string_view id = c.until_any("; \t");
    if (id.empty()) return lex::fail(what, "missing Call-ID");
    if (!lex::is_call_id(id)) return lex::fail(what, "bad Call-ID '" + std::string(id) + "'");
    Replaces r;
    r.call_id = std::string(id);
    if (auto st = lex::parse_generic_params(c, r.params, what); !st) return st.error();
    c.skip_ws();
    if (!c.done()) return lex::fail(what, "unexpected '" + std::string(c.rest()) + "'");
    for (std::string_view tag : {"to-tag", "from-tag"}) {
        const Param* p = r.params.find(tag);
        if (!p) return lex::fail(what, "missing " + std::string(tag));
        if (!p->value || !lex::is_token(*p->value))
            return lex::fail(what, "bad " + std::string(tag) + " '" + p->value.value_or("") + "'");
    }
    if (const Param* e = r.params.find("early-only"); e && e->value)
        return lex::fail(what, "early-only takes no value");
    return r;
}

}  // namespace dialtone::sip
