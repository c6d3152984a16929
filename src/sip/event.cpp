#include "dialtone/sip/event.hpp"

#include "header_lex.hpp"

namespace dialtone::sip {

void Event::write(std::string& out) const {
    out += type;
    params.write(out);
}

std::string Event::to_string() const {
    std::string out;
    write(out);
    return out;
}

base::Result<Event> parse_event(std::string_view value) {
    constexpr std::string_view what = "Event";
    lex::Cursor c(value);
    c.skip_ws();
    Event e;
    std::string_view type = c.token();
    if (type.empty()) return lex::fail(what, "missing event type");
    // event-package and each event-template are non-empty tokens without dots.
    if (type.front() == '.' || type.back() == '.' || type.find("..") != std::string_view::npos)
        return lex::fail(what, "bad event type '" + std::string(type) + "'");
    e.type = std::string(type);
    if (auto st = lex::parse_generic_params(c, e.params, what); !st) return st.error();
    c.skip_ws();
    if (!c.done()) return lex::fail(what, "unexpected '" + std::string(c.rest()) + "'");
    if (const Param* id = e.params.find("id"); id && (!id->value || !lex::is_token(*id->value)))
        return lex::fail(what, "bad id '" + id->value.value_or("") + "'");
    return e;
}

}  // namespace dialtone::sip
