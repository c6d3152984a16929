#include "dialtone/sip/params.hpp"

#include "dialtone/base/strings.hpp"
#include "header_lex.hpp"

namespace dialtone::sip {

const Param* Params::find(std::string_view name) const {
    for (const Param& p : items_)
        if (base::iequals(p.name, name)) return &p;
    return nullptr;
}

std::optional<std::string_view> Params::get(std::string_view name) const {
    const Param* p = find(name);
    if (!p) return std::nullopt;
    return p->value ? std::string_view(*p->value) : std::string_view();
}

void Params::set(std::string_view name, std::optional<std::string> value, bool quoted) {
    for (Param& p : items_) {
        if (base::iequals(p.name, name)) {
            p.value = std::move(value);
            p.quoted = quoted;
            return;
        }
    }
    items_.push_back(Param{std::string(name), std::move(value), quoted});
}

std::size_t Params::remove(std::string_view name) {
    std::size_t before = items_.size();
    std::erase_if(items_, [&](const Param& p) { return base::iequals(p.name, name); });
    return before - items_.size();
}

void Params::write(std::string& out) const {
    for (const Param& p : items_) {
        out.push_back(';');
        out += p.name;
        if (!p.value) continue;
        out.push_back('=');
        if (p.quoted || !lex::is_bare_gen_value(*p.value))
            lex::write_quoted(out, *p.value);
        else
            out += *p.value;
    }
}

std::string Params::to_string() const {
    std::string out;
    write(out);
    return out;
}

base::Result<Params> parse_params(std::string_view text) {
    lex::Cursor c(text);
    Params out;
    if (auto st = lex::parse_generic_params(c, out, "parameters"); !st) return st.error();
    c.skip_ws();
    if (!c.done()) return lex::fail("parameters", "unexpected '" + std::string(c.rest()) + "'");
    return out;
}

}  // namespace dialtone::sip
