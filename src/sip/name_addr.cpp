#include "dialtone/sip/name_addr.hpp"

#include "dialtone/base/strings.hpp"
#include "header_lex.hpp"

namespace dialtone::sip {

void NameAddr::write(std::string& out) const {
    if (display_name) {
        lex::write_quoted(out, *display_name);
        out.push_back(' ');
    }
    out.push_back('<');
    uri.write(out);
    out.push_back('>');
    params.write(out);
}

std::string NameAddr::to_string() const {
    std::string out;
    write(out);
    return out;
}

base::Result<NameAddr> parse_name_addr(std::string_view value, std::string_view what, AddrForm form) {
    NameAddr na;
    if (auto st = parse_name_addr_into(value, what, form, na); !st) return st.error();
    return na;
}

base::Status parse_name_addr_into(std::string_view value, std::string_view what, AddrForm form, NameAddr& na) {
    lex::Cursor c(value);
    c.skip_ws();
    if (c.done()) return lex::fail(what, "empty value");

    bool bracketed = false;
    if (c.peek() == '"') {
        std::string display;
        if (!c.quoted(display)) return lex::fail(what, "unterminated quoted display name");
        na.display_name = std::move(display);
        c.skip_ws();
        if (c.peek() != '<') return lex::fail(what, "missing '<' after display name");
        bracketed = true;
    } else if (c.peek() == '<') {
        bracketed = true;
    } else {
        // display-name = *(token LWS): a run of tokens and spaces followed by '<' is a
        // display name; anything else starts an addr-spec.
        std::size_t p = c.pos();
        std::string_view text = c.text();
        while (p < text.size() && (lex::is_token_char(text[p]) || base::is_ws(text[p]))) ++p;
        if (p < text.size() && text[p] == '<') {
            std::string display;
            lex::Cursor d(text.substr(c.pos(), p - c.pos()));
            for (d.skip_ws(); !d.done(); d.skip_ws()) {
                if (!display.empty()) display.push_back(' ');
                display += d.token();
            }
            na.display_name = std::move(display);
            c.set_pos(p);
            bracketed = true;
        }
    }

    if (bracketed) {
        c.set_pos(c.pos() + 1);  // '<'
        std::string_view inner = c.until_any(">");
        if (c.done()) return lex::fail(what, "missing '>' after URI");
        c.set_pos(c.pos() + 1);
        // RFC 4475 §3.1.2.14: no whitespace between the brackets and the URI.
        if (!inner.empty() && (base::is_ws(inner.front()) || base::is_ws(inner.back())))
            return lex::fail(what, "whitespace inside '<' and '>'");
        if (auto st = parse_uri_into(inner, what, na.uri); !st) return st;
    } else {
        if (form == AddrForm::NameAddrOnly) return lex::fail(what, "URI must be enclosed in '<' and '>'");
        // §20.10: without brackets the URI ends at the first ';' (its parameters would be
        // taken as header parameters), and it cannot contain spaces.
        std::string_view spec = c.until_any("; \t,");
        if (std::string_view r = c.rest(); r.substr(0, r.find(';')).find('<') != std::string_view::npos)
            // A '<' later on means the text before it was meant as a display name (RFC 4475
            // §3.1.2.15: "Bell, Alexander <sip:…>" needs quotes).
            return lex::fail(what, "display name must be quoted or tokens: '" +
                                       std::string(base::trim(c.text().substr(0, c.text().find('<')))) + "'");
        if (spec.find('?') != std::string_view::npos)
            return lex::fail(what, "URI with headers must be enclosed in '<' and '>'");
        if (auto st = parse_uri_into(spec, what, na.uri); !st) return st;
    }

    if (auto st = lex::parse_generic_params(c, na.params, what); !st) return st;
    c.skip_ws();
    if (!c.done()) return lex::fail(what, "unexpected '" + std::string(c.rest()) + "'");
    return {};
}

base::Result<std::vector<NameAddr>> parse_name_addr_list(std::string_view value, std::string_view what,
                                                         AddrForm form) {
    std::vector<NameAddr> out;
    for (std::string_view item : lex::split_commas(value)) {
        if (item.empty()) return lex::fail(what, "empty list element");
        auto na = parse_name_addr(item, what, form);
        if (!na) return na.error();
        out.push_back(std::move(na).value());
    }
    return out;
}

}  // namespace dialtone::sip
