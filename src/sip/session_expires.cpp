#include "dialtone/sip/session_expires.hpp"

#include "dialtone/base/strings.hpp"
#include "header_lex.hpp"

namespace dialtone::sip {

namespace {

// delta-seconds *( SEMI param )
base::Status parse_delta_params(std::string_view value, std::string_view what, std::uint32_t& delta, Params& params) {
    lex::Cursor c(value);
    c.skip_ws();
    std::string_view digits = c.until_any("; \t");
    if (digits.empty()) return lex::fail(what, "missing delta-seconds");
    auto n = lex::parse_number(digits, 4294967295u);
    if (!n) return lex::fail(what, "bad delta-seconds '" + std::string(digits) + "'");
    delta = static_cast<std::uint32_t>(*n);
    if (auto st = lex::parse_generic_params(c, params, what); !st) return st;
    c.skip_ws();
    if (!c.done()) return lex::fail(what, "unexpected '" + std::string(c.rest()) + "'");
    return {};
}

}  // namespace

Refresher SessionExpires::refresher() const {
    auto r = params.get("refresher");
    if (r && base::iequals(*r, "uac")) return Refresher::Uac;
    if (r && base::iequals(*r, "uas")) return Refresher::Uas;
    return Refresher::Unspecified;
}

void SessionExpires::set_refresher(Refresher r) {
    if (r == Refresher::Unspecified) params.remove("refresher");
    else params.set("refresher", std::string(r == Refresher::Uac ? "uac" : "uas"));
}

void SessionExpires::write(std::string& out) const {
    out += std::to_string(delta_seconds);
    params.write(out);
}

std::string SessionExpires::to_string() const {
    std::string out;
    write(out);
    return out;
}

void MinSE::write(std::string& out) const {
    out += std::to_string(delta_seconds);
    params.write(out);
}

std::string MinSE::to_string() const {
    std::string out;
    write(out);
    return out;
}

base::Result<SessionExpires> parse_session_expires(std::string_view value) {
    SessionExpires se;
    if (auto st = parse_delta_params(value, "Session-Expires", se.delta_seconds, se.params); !st) return st.error();
    // refresher-param = "refresher" EQUAL ("uas" / "uac")
    if (const Param* r = se.params.find("refresher");
        r && (!r->value || (!base::iequals(*r->value, "uac") && !base::iequals(*r->value, "uas"))))
        return lex::fail("Session-Expires", "bad refresher '" + r->value.value_or("") + "'");
    return se;
}

base::Result<MinSE> parse_min_se(std::string_view value) {
    MinSE m;
    if (auto st = parse_delta_params(value, "Min-SE", m.delta_seconds, m.params); !st) return st.error();
    return m;
}

}  // namespace dialtone::sip
