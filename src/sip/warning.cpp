#include "dialtone/sip/warning.hpp"

#include "dialtone/base/strings.hpp"
#include "dialtone/sip/host.hpp"
#include "header_lex.hpp"

namespace dialtone::sip {

namespace {

constexpr std::string_view kWhat = "Warning";

// warn-agent = hostport / pseudonym (a token)
bool is_warn_agent(std::string_view s) {
    if (lex::is_token(s)) return true;
    std::string_view host = s, port;
    if (!s.empty() && s.front() == '[') {
        std::size_t close = s.find(']');
        if (close == std::string_view::npos) return false;
        host = s.substr(0, close + 1);
        std::string_view after = s.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':') return false;
            port = after.substr(1);
            if (!parse_port(port)) return false;
        }
    } else if (std::size_t colon = s.rfind(':'); colon != std::string_view::npos) {
        host = s.substr(0, colon);
        if (!parse_port(s.substr(colon + 1))) return false;
    }
    return parse_host(host).ok();
}

}  // namespace

void Warning::write(std::string& out) const {
    std::string code_text = std::to_string(code);
    if (code_text.size() < 3) out.append(3 - code_text.size(), '0');
    out += code_text;
    out.push_back(' ');
    out += agent;
    out.push_back(' ');
    lex::write_quoted(out, text);
}

std::string Warning::to_string() const {
    std::string out;
    write(out);
    return out;
}

base::Result<std::vector<Warning>> parse_warning_list(std::string_view value) {
    std::vector<Warning> out;
    for (std::string_view item : lex::split_commas(value)) {
        if (item.empty()) return lex::fail(kWhat, "empty list element");
        lex::Cursor c(item);
        std::string_view code = c.until_any(" \t");
        if (code.size() != 3 || !base::is_digit(code[0]) || !base::is_digit(code[1]) || !base::is_digit(code[2]))
            return lex::fail(kWhat, "bad warn-code '" + std::string(code) + "'");
        c.skip_ws();
        std::string_view agent = c.until_any(" \t");
        if (agent.empty()) return lex::fail(kWhat, "missing warn-agent");
        if (!is_warn_agent(agent)) return lex::fail(kWhat, "bad warn-agent '" + std::string(agent) + "'");
        c.skip_ws();
        Warning w;
        if (!c.quoted(w.text)) return lex::fail(kWhat, "warn-text must be a quoted string");
        c.skip_ws();
        if (!c.done()) return lex::fail(kWhat, "unexpected '" + std::string(c.rest()) + "'");
        w.code = static_cast<std::uint16_t>(*base::parse_u32(code));
        w.agent = std::string(agent);
        out.push_back(std::move(w));
    }
    return out;
}

}  // namespace dialtone::sip
