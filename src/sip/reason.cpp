#include "dialtone/sip/reason.hpp"

#include "header_lex.hpp"

namespace dialtone::sip {

namespace {
constexpr std::string_view kWhat = "Reason";
}

std::optional<std::uint32_t> Reason::cause() const {
    auto v = params.get("cause");
    if (!v) return std::nullopt;
    auto n = lex::parse_number(*v, 4294967295u);
    if (!n) return std::nullopt;
    return static_cast<std::uint32_t>(*n);
}

Reason Reason::make(std::string_view protocol, std::uint32_t cause, std::string_view text) {
    Reason r;
    r.protocol = std::string(protocol);
    r.params.set("cause", std::to_string(cause));
    if (!text.empty()) r.params.set("text", std::string(text), true);
    return r;
}

void Reason::write(std::string& out) const {
    out += protocol;
    params.write(out);
}

std::string Reason::to_string() const {
    std::string out;
    write(out);
    return out;
}

base::Result<std::vector<Reason>> parse_reason_list(std::string_view value) {
    std::vector<Reason> out;
    for (std::string_view item : lex::split_commas(value)) {
        if (item.empty()) return lex::fail(kWhat, "empty list element");
        lex::Cursor c(item);
        Reason r;
        std::string_view protocol = c.token();
        if (protocol.empty()) return lex::fail(kWhat, "missing protocol");
        r.protocol = std::string(protocol);
        if (auto st = lex::parse_generic_params(c, r.params, kWhat); !st) return st.error();
        c.skip_ws();
        if (!c.done()) return lex::fail(kWhat, "unexpected '" + std::string(c.rest()) + "'");
        // protocol-cause = "cause" EQUAL cause; cause = 1*DIGIT
        if (const Param* p = r.params.find("cause"); p && (!p->value || !lex::parse_number(*p->value, 4294967295u)))
            return lex::fail(kWhat, "bad cause '" + p->value.value_or("") + "'");
        if (const Param* p = r.params.find("text"); p && !p->value)
            return lex::fail(kWhat, "text parameter without a value");
        out.push_back(std::move(r));
    }
    return out;
}

}  // namespace dialtone::sip
