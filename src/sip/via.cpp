#include "dialtone/sip/via.hpp"

#include "dialtone/base/strings.hpp"
#include "header_lex.hpp"

namespace dialtone::sip {

namespace {
constexpr std::string_view kWhat = "Via";

std::string upper(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
    return out;
}

// Parameters with a defined grammar (§20.42, RFC 3581); others are generic-params.
base::Status check_params(const Params& params) {
    for (const Param& p : params) {
        const std::string& n = p.name;
        bool known = base::iequals(n, "branch") || base::iequals(n, "received") || base::iequals(n, "maddr") ||
                     base::iequals(n, "ttl");
        if (known && !p.value) return lex::fail(kWhat, n + " parameter without a value");
        if (base::iequals(n, "branch") && !lex::is_token(*p.value))
            return lex::fail(kWhat, "bad branch '" + *p.value + "'");
        if (base::iequals(n, "ttl") && !lex::parse_number(*p.value, 255))
            return lex::fail(kWhat, "bad ttl '" + *p.value + "'");
        if ((base::iequals(n, "received") || base::iequals(n, "maddr")) && !parse_host(*p.value, kWhat, true))
            return lex::fail(kWhat, "bad " + n + " '" + *p.value + "'");
        if (base::iequals(n, "rport") && p.value && !parse_port(*p.value))
            return lex::fail(kWhat, "bad rport '" + *p.value + "'");
    }
    return {};
}

}  // namespace

bool Via::has_magic_cookie() const {
    auto b = branch();
    return b && b->substr(0, kMagicCookie.size()) == kMagicCookie;
}

std::optional<std::uint8_t> Via::ttl() const {
    auto v = params.get("ttl");
    if (!v) return std::nullopt;
    auto n = lex::parse_number(*v, 255);
    if (!n) return std::nullopt;
    return static_cast<std::uint8_t>(*n);
}

std::optional<std::uint16_t> Via::rport() const {
    auto v = params.get("rport");
    if (!v || v->empty()) return std::nullopt;
    return parse_port(*v);
}

void Via::set_rport(std::optional<std::uint16_t> port) {
    params.set("rport", port ? std::optional<std::string>(std::to_string(*port)) : std::nullopt);
}

void Via::write(std::string& out) const {
    out += protocol;
    out.push_back('/');
    out += version;
    out.push_back('/');
    out += transport;
    out.push_back(' ');
    host.write(out);
    if (port) {
        out.push_back(':');
        out += std::to_string(*port);
    }
    params.write(out);
}

std::string Via::to_string() const {
    std::string out;
    write(out);
    return out;
}

base::Result<Via> parse_via(std::string_view value) {
    lex::Cursor c(value);
    Via via;
    // sent-protocol = protocol-name SLASH protocol-version SLASH transport; SLASH allows SWS.
    c.skip_ws();
    std::string_view name = c.token();
    if (name.empty()) return lex::fail(kWhat, "missing protocol name");
    if (!c.eat('/')) return lex::fail(kWhat, "missing '/' after protocol name");
    c.skip_ws();
    std::string_view version = c.token();
    if (version.empty()) return lex::fail(kWhat, "missing protocol version");
    if (!c.eat('/')) return lex::fail(kWhat, "missing '/' after protocol version");
    c.skip_ws();
    std::string_view transport = c.token();
    if (transport.empty()) return lex::fail(kWhat, "missing transport");
    via.protocol = upper(name);
    via.version = std::string(version);
    via.transport = upper(transport);

    // sent-by = host [ COLON port ]
    std::size_t before = c.pos();
    c.skip_ws();
    if (c.pos() == before) return lex::fail(kWhat, "missing space before sent-by");
    std::string_view host_text;
    if (c.peek() == '[') {
        std::size_t start = c.pos();
        c.until_any("]");
        if (c.done()) return lex::fail(kWhat, "unterminated IPv6 reference in sent-by");
        c.set_pos(c.pos() + 1);
        host_text = c.text().substr(start, c.pos() - start);
    } else {
        host_text = c.until_any(":; \t,");
    }
    if (host_text.empty()) return lex::fail(kWhat, "missing sent-by host");
    auto host = parse_host(host_text, kWhat);
    if (!host) return lex::fail(kWhat, "bad sent-by host '" + std::string(host_text) + "'");
    via.host = std::move(host).value();
    if (c.eat(':')) {
        c.skip_ws();
        std::string_view port_text = c.until_any("; \t,");
        auto port = parse_port(port_text);
        if (!port) return lex::fail(kWhat, "bad sent-by port '" + std::string(port_text) + "'");
        via.port = port;
    }

    if (auto st = lex::parse_generic_params(c, via.params, kWhat); !st) return st.error();
    c.skip_ws();
    if (!c.done()) return lex::fail(kWhat, "unexpected '" + std::string(c.rest()) + "'");
    if (auto st = check_params(via.params); !st) return st.error();
    return via;
}

base::Result<std::vector<Via>> parse_via_list(std::string_view value) {
    std::vector<Via> out;
    for (std::string_view item : lex::split_commas(value)) {
        if (item.empty()) return lex::fail(kWhat, "empty list element");
        auto via = parse_via(item);
        if (!via) return via.error();
        out.push_back(std::move(via).value());
    }
    return out;
}

}  // namespace dialtone::sip
