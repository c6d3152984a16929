#include "dialtone/sip/uri.hpp"

#include "dialtone/base/strings.hpp"
#include "header_lex.hpp"

#include <algorithm>

namespace dialtone::sip {

using base::is_alpha;
using base::is_digit;

namespace {

// Character classes of RFC 3261 §25.1 (escaped characters are handled by the decoder).
constexpr lex::CharSet kUserChars(true, "-_.!~*'()&=+$,;?/");
constexpr lex::CharSet kPasswordChars(true, "-_.!~*'()&=+$,");
constexpr lex::CharSet kParamChars(true, "-_.!~*'()[]/:&+$");
constexpr lex::CharSet kHeaderChars(true, "-_.!~*'()[]/?:+$");
bool user_char(char c) { return kUserChars(c); }
bool password_char(char c) { return kPasswordChars(c); }
bool param_char(char c) { return kParamChars(c); }
bool header_char(char c) { return kHeaderChars(c); }
bool tel_pname_char(char c) { return is_alpha(c) || is_digit(c) || c == '-'; }
bool visual_separator(char c) { return c == '-' || c == '.' || c == '(' || c == ')'; }

std::string quote_char(char c) {
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f) {
        static constexpr char digits[] = "0123456789abcdef";
        std::string s = "\\x";
        s.push_back(digits[static_cast<unsigned char>(c) >> 4]);
        s.push_back(digits[static_cast<unsigned char>(c) & 15]);
        return s;
    }
    return std::string(1, c);
}

// Checks `raw` against `allowed` (plus %XX escapes) and decodes it into `out`.
base::Status decode_part(std::string_view raw, bool (*allowed)(char), std::string_view what,
                         std::string_view part, std::string& out) {
    for (char c : raw)
        if (c != '%' && !allowed(c))
            return lex::fail(what, "bad character '" + quote_char(c) + "' in URI " + std::string(part));
    if (!lex::percent_decode(raw, out)) return lex::fail(what, "bad %-escape in URI " + std::string(part));
    return {};
}

// *( ";" pname [ "=" pvalue ] ) up to `rest`'s end or a '?'.
base::Status parse_uri_params(std::string_view& rest, bool (*name_char)(char), std::string_view what,
                              Params& out) {
    while (!rest.empty() && rest.front() == ';') {
        rest.remove_prefix(1);
        std::size_t end = std::min(rest.find_first_of(";?"), rest.size());
        std::string_view item = rest.substr(0, end);
        rest.remove_prefix(end);
        std::size_t eq = item.find('=');
        std::string_view raw_name = item.substr(0, eq);
        if (raw_name.empty()) return lex::fail(what, "empty URI parameter name");
        Param p;
        if (auto st = decode_part(raw_name, name_char, what, "parameter name", p.name); !st) return st;
        // A repeated name would make the URI's meaning (and §19.1.4 comparison) ambiguous.
        if (out.has(p.name)) return lex::fail(what, "duplicate URI parameter '" + p.name + "'");
        if (eq != std::string_view::npos) {
            std::string v;
            if (auto st = decode_part(item.substr(eq + 1), param_char, what, "parameter value", v); !st) return st;
            p.value = std::move(v);
        }
        out.add(std::move(p));
    }
    return {};
}

base::Status parse_uri_headers(std::string_view rest, std::string_view what, std::vector<UriHeader>& out) {
    for (;;) {
        std::size_t amp = std::min(rest.find('&'), rest.size());
        std::string_view item = rest.substr(0, amp);
        std::size_t eq = item.find('=');
        if (eq == std::string_view::npos || eq == 0)
            return lex::fail(what, "bad URI header '" + std::string(item) + "'");
        UriHeader h;
        if (auto st = decode_part(item.substr(0, eq), header_char, what, "header name", h.name); !st) return st;
        if (auto st = decode_part(item.substr(eq + 1), header_char, what, "header value", h.value); !st) return st;
        out.push_back(std::move(h));
        if (amp == rest.size()) return {};
        rest.remove_prefix(amp + 1);
    }
}

void write_uri_params(std::string& out, const Params& params) {
    for (const Param& p : params) {
        out.push_back(';');
        lex::percent_encode(out, p.name, param_char);
        if (p.value) {
            out.push_back('=');
            lex::percent_encode(out, *p.value, param_char);
        }
    }
}

std::string tel_digits(std::string_view number) {
    std::string out;
    for (char c : number)
        if (!visual_separator(c)) out.push_back(base::ascii_lower(c));
    return out;
}

// Every parameter of `a` present in `b` has an equal value (case-insensitive).
bool common_params_match(const Params& a, const Params& b) {
    for (const Param& p : a) {
        const Param* q = b.find(p.name);
        if (!q) continue;
        if (p.value.has_value() != q->value.has_value()) return false;
        if (p.value && !base::iequals(*p.value, *q->value)) return false;
    }
    return true;
}

bool same_header_set(const std::vector<UriHeader>& a, const std::vector<UriHeader>& b) {
    if (a.size() != b.size()) return false;
    std::vector<bool> used(b.size(), false);
    for (const UriHeader& h : a) {
        bool found = false;
        for (std::size_t i = 0; i < b.size() && !found; ++i) {
            if (!used[i] && base::iequals(h.name, b[i].name) && h.value == b[i].value) {
                used[i] = true;
                found = true;
            }
        }
        if (!found) return false;
    }
    return true;
}

base::Status fail_uri(std::string_view what, std::string message) { return lex::fail(what, std::move(message)); }

}  // namespace

Uri Uri::sip(std::string_view user, Host host, std::optional<std::uint16_t> port, bool secure) {
    Uri u;
    u.scheme_ = secure ? Scheme::Sips : Scheme::Sip;
    u.user_ = user;
    u.host_ = std::move(host);
    u.port_ = port;
    return u;
}

std::string_view Uri::scheme_name() const {
    switch (scheme_) {
    case Scheme::Sip: return "sip";
    case Scheme::Sips: return "sips";
    case Scheme::Tel: return "tel";
    case Scheme::Other: break;
    }
    return other_scheme_;
}

std::optional<std::string_view> Uri::header(std::string_view name) const {
    for (const UriHeader& h : headers_)
        if (base::iequals(h.name, name)) return std::string_view(h.value);
    return std::nullopt;
}

base::Result<Uri> parse_uri(std::string_view text, std::string_view what) {
    Uri u;
    if (auto st = parse_uri_into(text, what, u); !st) return st.error();
    return u;
}

base::Status parse_uri_into(std::string_view text, std::string_view what, Uri& u) {
    if (text.empty()) return fail_uri(what, "empty URI");
    for (char c : text)
        if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f || c == '<' || c == '>' || c == '"')
            return fail_uri(what, "bad character '" + quote_char(c) + "' in URI");

    std::size_t colon = text.find(':');
    if (colon == std::string_view::npos) return fail_uri(what, "missing scheme in URI '" + std::string(text) + "'");
    std::string_view scheme = text.substr(0, colon);
    std::string_view rest = text.substr(colon + 1);
    // scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) (RFC 3986 §3.1), case-insensitive.
    if (scheme.empty() || !is_alpha(scheme.front()) ||
        !std::all_of(scheme.begin(), scheme.end(),
                     [](char c) { return is_alpha(c) || is_digit(c) || c == '+' || c == '-' || c == '.'; }))
        return fail_uri(what, "bad URI scheme '" + std::string(scheme) + "'");

    if (base::iequals(scheme, "sip")) u.scheme_ = Scheme::Sip;
    else if (base::iequals(scheme, "sips")) u.scheme_ = Scheme::Sips;
    else if (base::iequals(scheme, "tel")) u.scheme_ = Scheme::Tel;
    else {
        if (rest.empty()) return fail_uri(what, "empty " + base::to_lower(scheme) + " URI");
        u.scheme_ = Scheme::Other;
        u.other_scheme_ = base::to_lower(scheme);
        u.opaque_ = std::string(rest);
        return {};
    }

    if (u.scheme_ == Scheme::Tel) {
        // telephone-subscriber (RFC 3966 §3): global "+digits" or local hex digits, * and #.
        std::size_t end = std::min(rest.find(';'), rest.size());
        std::string_view number = rest.substr(0, end);
        rest.remove_prefix(end);
        bool global = !number.empty() && number.front() == '+';
        std::string_view digits = global ? number.substr(1) : number;
        bool any_digit = false;
        for (char c : digits) {
            bool digit = global ? is_digit(c) : (base::is_hex_digit(c) || c == '*' || c == '#');
            if (!digit && !visual_separator(c))
                return fail_uri(what, "bad character '" + quote_char(c) + "' in tel URI number");
            any_digit = any_digit || digit;
        }
        if (!any_digit) return fail_uri(what, "tel URI without a number");
        u.number_ = std::string(number);
        if (auto st = parse_uri_params(rest, tel_pname_char, what, u.params_); !st) return st;
        if (!rest.empty()) return fail_uri(what, "unexpected '" + std::string(rest) + "' in tel URI");
        return {};
    }

    // userinfo: everything before the first '@' (an '@' inside the user part must be escaped).
    if (std::size_t at = rest.find('@'); at != std::string_view::npos) {
        std::string_view userinfo = rest.substr(0, at);
        std::size_t pc = userinfo.find(':');
        std::string_view user = userinfo.substr(0, pc);
        if (user.empty()) return fail_uri(what, "empty URI user");
        if (auto st = decode_part(user, user_char, what, "user", u.user_); !st) return st;
        if (pc != std::string_view::npos) {
            std::string pw;
            if (auto st = decode_part(userinfo.substr(pc + 1), password_char, what, "password", pw); !st)
                return st;
            u.password_ = std::move(pw);
        }
        rest.remove_prefix(at + 1);
    }

    std::size_t hp_end = std::min(rest.find_first_of(";?"), rest.size());
    std::string_view hostport = rest.substr(0, hp_end);
    rest.remove_prefix(hp_end);
    std::string_view host_text = hostport, port_text;
    bool has_port = false;
    if (!hostport.empty() && hostport.front() == '[') {
        std::size_t close = hostport.find(']');
        if (close == std::string_view::npos) return fail_uri(what, "unterminated IPv6 reference in URI host");
        host_text = hostport.substr(0, close + 1);
        std::string_view after = hostport.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':') return fail_uri(what, "unexpected '" + std::string(after) + "' after URI host");
            has_port = true;
            port_text = after.substr(1);
        }
    } else if (std::count(hostport.begin(), hostport.end(), ':') > 1) {
        // RFC 5118 §4.1: an IPv6 address in a URI must be an IPv6 reference.
        return fail_uri(what, "IPv6 address without brackets in URI host '" + std::string(hostport) + "'");
    } else if (std::size_t pc = hostport.find(':'); pc != std::string_view::npos) {
        host_text = hostport.substr(0, pc);
        has_port = true;
        port_text = hostport.substr(pc + 1);
    }
    if (host_text.empty()) return fail_uri(what, "missing URI host");
    auto host = parse_host(host_text, what);
    if (!host) return fail_uri(what, "bad URI host '" + std::string(host_text) + "'");
    u.host_ = std::move(host).value();
    if (has_port) {
        auto port = parse_port(port_text);
        if (!port) return fail_uri(what, "bad URI port '" + std::string(port_text) + "'");
        u.port_ = port;
    }

    if (auto st = parse_uri_params(rest, param_char, what, u.params_); !st) return st;
    if (!rest.empty()) {
        // rest starts with '?'
        if (rest.size() == 1) return fail_uri(what, "empty URI headers after '?'");
        if (auto st = parse_uri_headers(rest.substr(1), what, u.headers_); !st) return st;
    }
    return {};
}

void Uri::write(std::string& out) const {
    out += scheme_name();
    out.push_back(':');
    switch (scheme_) {
    case Scheme::Other:
        out += opaque_;
        return;
    case Scheme::Tel:
        out += number_;
        write_uri_params(out, params_);
        return;
    case Scheme::Sip:
    case Scheme::Sips:
        break;
    }
    if (!user_.empty()) {
        lex::percent_encode(out, user_, user_char);
        if (password_) {
            out.push_back(':');
            lex::percent_encode(out, *password_, password_char);
        }
        out.push_back('@');
    }
    host_.write(out);
    if (port_) {
        out.push_back(':');
        out += std::to_string(*port_);
    }
    write_uri_params(out, params_);
    for (std::size_t i = 0; i < headers_.size(); ++i) {
        out.push_back(i == 0 ? '?' : '&');
        lex::percent_encode(out, headers_[i].name, header_char);
        out.push_back('=');
        lex::percent_encode(out, headers_[i].value, header_char);
    }
}

std::string Uri::to_string() const {
    std::string out;
    write(out);
    return out;
}

bool Uri::equivalent(const Uri& other) const {
    if (scheme_ != other.scheme_) return false;
    switch (scheme_) {
    case Scheme::Other:
        return other_scheme_ == other.other_scheme_ && opaque_ == other.opaque_;
    case Scheme::Tel:
        // RFC 3966 §4: separators are ignored, and every parameter must be in both.
        return is_global_number() == other.is_global_number() &&
               tel_digits(number_) == tel_digits(other.number_) && params_.size() == other.params_.size() &&
               common_params_match(params_, other.params_) &&
               std::all_of(params_.begin(), params_.end(), [&](const Param& p) { return other.params_.has(p.name); });
    case Scheme::Sip:
    case Scheme::Sips:
        break;
    }
    // §19.1.4: userinfo is case-sensitive; host case-insensitive; an omitted port or transport,
    // ttl, user, method or maddr parameter never matches an explicit one.
    if (user_ != other.user_ || password_ != other.password_) return false;
    if (!host_.equivalent(other.host_) || port_ != other.port_) return false;
    for (std::string_view name : {"transport", "ttl", "user", "method", "maddr"})
        if (params_.has(name) != other.params_.has(name)) return false;
    if (!common_params_match(params_, other.params_)) return false;
    // Header components are never ignored.
    return same_header_set(headers_, other.headers_);
}

}  // namespace dialtone::sip
