#include "dialtone/sip/auth.hpp"

#include "dialtone/base/strings.hpp"

#include <array>
#include <utility>

namespace dialtone::sip {

using base::Error;
using base::Result;

namespace {

constexpr int kBadRequest = 400;

Error fault(std::string message) { return base::make_error(std::move(message), kBadRequest); }

// A character for an error message: quoted when printable, else as hex, so that a reason
// phrase built from the message stays printable.
std::string describe(char c) {
    static constexpr char digits[] = "0123456789abcdef";
    const auto u = static_cast<unsigned char>(c);
    if (u > 0x20 && u < 0x7f) return std::string{'\'', c, '\''};
    return std::string{'0', 'x', digits[u >> 4], digits[u & 15]};
}

bool is_control(char c) {
    const auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7f;
}

// What an unquoted value may hold when read back (see Lexer::bare_value).
bool is_bare_char(char c) {
    const auto u = static_cast<unsigned char>(c);
    return u > 0x20 && u != 0x7f && c != ',' && c != '"';
}

// tchar (RFC 9110 §5.6.2), a superset of RFC 3261's token characters.
bool is_token_char(char c) {
    if (base::is_alpha(c) || base::is_digit(c)) return true;
    switch (c) {
        case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+':
        case '-': case '.': case '^': case '_': case '`': case '|': case '~':
            return true;
        default:
            return false;
    }
}

bool is_token68_char(char c) {
    return base::is_alpha(c) || base::is_digit(c) || c == '-' || c == '.' || c == '_' || c == '~' ||
           c == '+' || c == '/';
}

// A raw auth-param before interpretation.
struct RawParam {
    std::string name;
    std::string value;
    bool quoted = false;
};

struct RawChallenge {
    std::string scheme;
    std::string token68;
    std::vector<RawParam> params;
};

class Lexer {
public:
    explicit Lexer(std::string_view s) : s_(s) {}

    bool at_end() const { return i_ >= s_.size(); }
    char peek() const { return s_[i_]; }
    std::size_t pos() const { return i_; }
    void seek(std::size_t i) { i_ = i; }

    // Linear whitespace: the message parser has unfolded lines already, but tolerate CR/LF.
    void skip_ws() {
        while (!at_end() && (base::is_ws(s_[i_]) || s_[i_] == '\r' || s_[i_] == '\n')) ++i_;
    }
    void skip_ws_and_commas() {
        while (!at_end() && (base::is_ws(s_[i_]) || s_[i_] == ',' || s_[i_] == '\r' || s_[i_] == '\n')) ++i_;
    }

    std::string_view token() {
        const std::size_t start = i_;
        while (!at_end() && is_token_char(s_[i_])) ++i_;
        return s_.substr(start, i_ - start);
    }

    std::string_view token68() {
        const std::size_t start = i_;
        while (!at_end() && is_token68_char(s_[i_])) ++i_;
        while (!at_end() && s_[i_] == '=') ++i_;
        return s_.substr(start, i_ - start);
    }

    // At a '"': reads a quoted-string and unescapes its quoted-pairs (RFC 3261 §25.1).
    Result<std::string> quoted(std::string_view param) {
        ++i_;  // opening quote
        std::string out;
        while (!at_end()) {
            const char c = s_[i_++];
            if (c == '"') return out;
            if (c == '\\') {
                if (at_end()) break;
                // quoted-pair = "\" (%x00-09 / %x0B-0C / %x0E-7F)
                const char e = s_[i_++];
                if (e == '\r' || e == '\n')
                    return fault("escaped line break in quoted-string of parameter '" + std::string(param) + "'");
                out.push_back(e);
                continue;
            }
            // qdtext has no control characters but the tab.
            if (is_control(c) && c != '\t')
                return fault("control character " + describe(c) + " in quoted-string of parameter '" +
                             std::string(param) + "'");
            out.push_back(c);
        }
        return fault("unterminated quoted-string in parameter '" + std::string(param) + "'");
    }

    // An unquoted value: a token in the grammar, but servers send base64 nonces and the like
    // unquoted, so take every visible character up to a comma or whitespace.
    std::string_view bare_value() {
        const std::size_t start = i_;
        while (!at_end()) {
            const char c = s_[i_];
            if (!is_bare_char(c)) break;
            ++i_;
        }
        return s_.substr(start, i_ - start);
    }

    // True when the input at the cursor is `token BWS "="`: an auth-param rather than the
    // scheme of the next challenge. Right after a scheme (`after_scheme`) the '=' must also be
    // followed by a value, since `Basic abc=` is a token68. The cursor does not move.
    bool param_ahead(bool after_scheme) {
        const std::size_t save = i_;
        bool result = false;
        if (!token().empty()) {
            skip_ws();
            if (!at_end() && peek() == '=') {
                ++i_;
                skip_ws();
                result = !after_scheme || (!at_end() && peek() != '=' && peek() != ',');
            }
        }
        i_ = save;
        return result;
    }

private:
    std::string_view s_;
    std::size_t i_ = 0;
};

Result<RawParam> parse_param(Lexer& lx) {
    RawParam p;
    p.name = std::string(lx.token());
    lx.skip_ws();
    if (lx.at_end() || lx.peek() != '=') return fault("missing '=' after parameter '" + p.name + "'");
    lx.seek(lx.pos() + 1);
    lx.skip_ws();
    if (lx.at_end()) return fault("missing value for parameter '" + p.name + "'");
    if (lx.peek() == '"') {
        auto q = lx.quoted(p.name);
        if (!q) return q.error();
        p.value = std::move(*q);
        p.quoted = true;
    } else {
        p.value = std::string(lx.bare_value());
        if (p.value.empty()) return fault("missing value for parameter '" + p.name + "'");
    }
    return p;
}

// challenge = auth-scheme [ 1*SP ( token68 / #auth-param ) ]  (RFC 9110 §11.2, §11.6.1)
Result<std::vector<RawChallenge>> split_challenges(std::string_view value) {
    std::vector<RawChallenge> out;
    Lexer lx(value);
    lx.skip_ws_and_commas();
    if (lx.at_end()) return fault("empty authentication header value");
    while (!lx.at_end()) {
        RawChallenge ch;
        ch.scheme = std::string(lx.token());
        if (ch.scheme.empty())
            return fault("expected an auth scheme, found " + describe(lx.peek()));
        lx.skip_ws();
        if (!lx.at_end() && lx.peek() != ',' && !lx.param_ahead(true)) {
            ch.token68 = std::string(lx.token68());
            if (ch.token68.empty())
                return fault("unexpected character " + describe(lx.peek()) + " after scheme '" + ch.scheme + "'");
            lx.skip_ws();
            if (!lx.at_end() && lx.peek() != ',')
                return fault("unexpected text after the token68 of scheme '" + ch.scheme + "'");
            lx.skip_ws_and_commas();
            out.push_back(std::move(ch));
            continue;
        }
        // A list of auth-params, until the end or a token that starts the next challenge.
        for (;;) {
            lx.skip_ws_and_commas();
            if (lx.at_end() || !lx.param_ahead(false)) break;
            auto p = parse_param(lx);
            if (!p) return p.error();
            ch.params.push_back(std::move(*p));
            lx.skip_ws();
            if (!lx.at_end() && lx.peek() != ',')
                return fault("unexpected character " + describe(lx.peek()) + " after parameter '" +
                             ch.params.back().name + "'");
        }
        out.push_back(std::move(ch));
    }
    return out;
}

bool is_true(std::string_view v) { return base::iequals(v, "true"); }

// Writers ------------------------------------------------------------------------------------

void write_quoted(std::string& out, std::string_view v) {
    out.push_back('"');
    for (char c : v) {
        // A line break cannot be escaped and must never reach the wire: it would end the header.
        if (c == '\r' || c == '\n') {
            out.push_back(' ');
            continue;
        }
        if (c == '"' || c == '\\' || (is_control(c) && c != '\t')) out.push_back('\\');
        out.push_back(c);
    }
    out.push_back('"');
}

class ParamWriter {
public:
    ParamWriter(std::string& out, std::string_view scheme) : out_(out) { out_.append(scheme); }
    void quoted(std::string_view name, std::string_view value) {
        sep(name);
        write_quoted(out_, value);
    }
    // A token-like value, quoted after all if it could not be read back unquoted.
    void bare(std::string_view name, std::string_view value) {
        bool safe = !value.empty();
        for (char c : value) safe = safe && is_bare_char(c);
        if (!safe) return quoted(name, value);
        sep(name);
        out_.append(value);
    }
    void other(const AuthParam& p) {
        if (p.quoted) quoted(p.name, p.value);
        else bare(p.name, p.value);
    }

private:
    void sep(std::string_view name) {
        out_.append(first_ ? " " : ", ");
        first_ = false;
        out_.append(name);
        out_.push_back('=');
    }
    std::string& out_;
    bool first_ = true;
};

// Interpretation ------------------------------------------------------------------------------

// Known parameters may appear once each (RFC 9110 §11.2: "each parameter name MUST only occur
// once per challenge").
template <std::size_t N>
class SeenOnce {
public:
    explicit SeenOnce(const std::array<std::string_view, N>& names) : names_(names) {}
    // Index of a known name, N for an unknown one; error on a repeat.
    Result<std::size_t> mark(std::string_view name, std::string_view what) {
        for (std::size_t i = 0; i < N; ++i) {
            if (!base::iequals(name, names_[i])) continue;
            if (seen_[i]) return fault("duplicate parameter '" + std::string(names_[i]) + "' in " + std::string(what));
            seen_[i] = true;
            return i;
        }
        return N;
    }
    bool seen(std::size_t i) const { return seen_[i]; }

private:
    const std::array<std::string_view, N>& names_;
    std::array<bool, N> seen_{};
};

enum ChallengeParam : std::size_t { CRealm, CDomain, CNonce, COpaque, CStale, CAlgorithm, CQop, CCharset, CUserhash };
constexpr std::array<std::string_view, 9> kChallengeParams = {
    "realm", "domain", "nonce", "opaque", "stale", "algorithm", "qop", "charset", "userhash"};

std::vector<std::string> split_list(std::string_view s, char sep_a, char sep_b) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i <= s.size()) {
        std::size_t j = i;
        while (j < s.size() && s[j] != sep_a && s[j] != sep_b) ++j;
        auto item = base::trim(s.substr(i, j - i));
        if (!item.empty()) out.emplace_back(item);
        i = j + 1;
    }
    return out;
}

Result<DigestChallenge> interpret_challenge(const RawChallenge& raw) {
    if (!raw.token68.empty()) return fault("Digest challenge without parameters: '" + raw.token68 + "'");
    DigestChallenge ch;
    SeenOnce<kChallengeParams.size()> seen(kChallengeParams);
    for (const RawParam& p : raw.params) {
        auto idx = seen.mark(p.name, "Digest challenge");
        if (!idx) return idx.error();
        switch (*idx) {
            case CRealm: ch.realm = p.value; break;
            case CDomain: ch.domain = split_list(p.value, ' ', '\t'); break;
            case CNonce: ch.nonce = p.value; break;
            case COpaque: ch.opaque = p.value; break;
            // "anything other than true" is false (RFC 7616 §3.3).
            case CStale: ch.stale = is_true(p.value); break;
            case CAlgorithm: ch.algorithm = p.value; break;
            case CQop: ch.qop = split_list(p.value, ',', ','); break;
            case CCharset: ch.charset = p.value; break;
            case CUserhash: ch.userhash = is_true(p.value); break;
            default: ch.other.push_back(AuthParam{p.name, p.value, p.quoted}); break;
        }
    }
    if (!seen.seen(CRealm)) return fault("Digest challenge without realm");
    if (!seen.seen(CNonce)) return fault("Digest challenge without nonce");
    if (ch.nonce.empty()) return fault("Digest challenge with an empty nonce");
    return ch;
}

enum CredentialParam : std::size_t {
    KUsername, KUsernameExt, KRealm, KNonce, KUri, KResponse, KAlgorithm, KCnonce, KOpaque, KQop, KNc, KUserhash
};
constexpr std::array<std::string_view, 12> kCredentialParams = {
    "username", "username*", "realm", "nonce", "uri", "response", "algorithm", "cnonce", "opaque", "qop", "nc",
    "userhash"};

int hex_value(char c) {
    if (base::is_digit(c)) return c - '0';
    const char l = base::ascii_lower(c);
    return (l >= 'a' && l <= 'f') ? l - 'a' + 10 : -1;
}

// username* = ext-value (RFC 7616 §3.4, RFC 8187 §3.2): charset "'" [ language ] "'" pct-encoded.
Result<std::string> decode_ext_value(std::string_view v) {
    const auto q1 = v.find('\'');
    const auto q2 = q1 == std::string_view::npos ? q1 : v.find('\'', q1 + 1);
    if (q2 == std::string_view::npos) return fault("bad username*: expected charset'language'value");
    if (!base::iequals(v.substr(0, q1), "UTF-8")) return fault("bad username*: charset is not UTF-8");
    std::string out;
    for (std::size_t i = q2 + 1; i < v.size(); ++i) {
        if (v[i] != '%') {
            out.push_back(v[i]);
            continue;
        }
        const int hi = i + 1 < v.size() ? hex_value(v[i + 1]) : -1;
        const int lo = i + 2 < v.size() ? hex_value(v[i + 2]) : -1;
        if (hi < 0 || lo < 0) return fault("bad username*: malformed %-escape");
        const auto decoded = static_cast<char>(hi * 16 + lo);
        if (is_control(decoded)) return fault("bad username*: control character " + describe(decoded));
        out.push_back(decoded);
        i += 2;
    }
    return out;
}

Result<DigestCredentials> interpret_credentials(const RawChallenge& raw) {
    if (!raw.token68.empty()) return fault("Digest credentials without parameters: '" + raw.token68 + "'");
    DigestCredentials cr;
    SeenOnce<kCredentialParams.size()> seen(kCredentialParams);
    for (const RawParam& p : raw.params) {
        auto idx = seen.mark(p.name, "Digest credentials");
        if (!idx) return idx.error();
        switch (*idx) {
            case KUsername: cr.username = p.value; break;
            case KUsernameExt: {
                auto u = decode_ext_value(p.value);
                if (!u) return u.error();
                cr.username = std::move(*u);
                break;
            }
            case KRealm: cr.realm = p.value; break;
            case KNonce: cr.nonce = p.value; break;
            case KUri: cr.uri = p.value; break;
            case KResponse:
                cr.response = p.value;
                if (cr.response.empty()) return fault("empty response in Digest credentials");
                for (char c : cr.response)
                    if (!base::is_hex_digit(c)) return fault("response in Digest credentials is not hex");
                break;
            case KAlgorithm: cr.algorithm = p.value; break;
            case KCnonce: cr.cnonce = p.value; break;
            case KOpaque: cr.opaque = p.value; break;
            case KQop:
                cr.qop = parse_qop(p.value);
                if (!cr.qop) return fault("unknown qop '" + p.value + "' in Digest credentials");
                break;
            case KNc: {
                // nc-value = 8LHEX (RFC 7616 §3.4); upper-case digits are tolerated.
                bool ok = p.value.size() == 8;
                std::uint32_t n = 0;
                for (char c : p.value) {
                    const int h = hex_value(c);
                    if (h < 0) ok = false;
                    n = n * 16 + static_cast<std::uint32_t>(h < 0 ? 0 : h);
                }
                if (!ok) return fault("bad nc '" + p.value + "': want 8 hex digits");
                cr.nc = n;
                break;
            }
            case KUserhash: cr.userhash = is_true(p.value); break;
            default: cr.other.push_back(AuthParam{p.name, p.value, p.quoted}); break;
        }
    }
    if (seen.seen(KUsername) && seen.seen(KUsernameExt))
        return fault("Digest credentials with both username and username*");
    if (!seen.seen(KUsername) && !seen.seen(KUsernameExt)) return fault("Digest credentials without username");
    if (!seen.seen(KRealm)) return fault("Digest credentials without realm");
    if (!seen.seen(KNonce)) return fault("Digest credentials without nonce");
    if (!seen.seen(KUri)) return fault("Digest credentials without uri");
    if (!seen.seen(KResponse)) return fault("Digest credentials without response");
    // cnonce and nc go with qop (RFC 7616 §3.4).
    if (cr.qop && !cr.cnonce) return fault("Digest credentials with qop but without cnonce");
    if (cr.qop && !cr.nc) return fault("Digest credentials with qop but without nc");
    return cr;
}

}  // namespace

// Algorithms and qop -----------------------------------------------------------------------------

namespace {
constexpr std::array<std::pair<DigestAlgorithm, std::string_view>, 6> kAlgorithms = {{
    {DigestAlgorithm::Md5, "MD5"},
    {DigestAlgorithm::Md5Sess, "MD5-sess"},
    {DigestAlgorithm::Sha256, "SHA-256"},
    {DigestAlgorithm::Sha256Sess, "SHA-256-sess"},
    {DigestAlgorithm::Sha512_256, "SHA-512-256"},
    {DigestAlgorithm::Sha512_256Sess, "SHA-512-256-sess"},
}};
}  // namespace

std::optional<DigestAlgorithm> parse_digest_algorithm(std::string_view token) {
    for (const auto& [alg, name] : kAlgorithms)
        if (base::iequals(token, name)) return alg;
    return std::nullopt;
}

std::string_view to_string(DigestAlgorithm alg) {
    for (const auto& [a, name] : kAlgorithms)
        if (a == alg) return name;
    return "MD5";
}

std::optional<Qop> parse_qop(std::string_view token) {
    if (base::iequals(token, "auth")) return Qop::Auth;
    if (base::iequals(token, "auth-int")) return Qop::AuthInt;
    return std::nullopt;
}

std::string_view to_string(Qop q) { return q == Qop::AuthInt ? "auth-int" : "auth"; }

std::string format_nonce_count(std::uint32_t nc) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out(8, '0');
    for (int i = 7; i >= 0; --i, nc >>= 4) out[static_cast<std::size_t>(i)] = digits[nc & 15];
    return out;
}

// Challenges ------------------------------------------------------------------------------------

std::optional<DigestAlgorithm> DigestChallenge::digest_algorithm() const {
    if (algorithm.empty()) return DigestAlgorithm::Md5;
    return parse_digest_algorithm(algorithm);
}

bool DigestChallenge::offers(Qop q) const {
    for (const auto& v : qop)
        if (parse_qop(v) == q) return true;
    return false;
}

void DigestChallenge::write(std::string& out) const {
    ParamWriter w(out, "Digest");
    w.quoted("realm", realm);
    if (!domain.empty()) {
        std::string joined;
        for (const auto& d : domain) {
            if (!joined.empty()) joined.push_back(' ');
            joined += d;
        }
        w.quoted("domain", joined);
    }
    w.quoted("nonce", nonce);
    if (opaque) w.quoted("opaque", *opaque);
    if (stale) w.bare("stale", "true");
    if (!algorithm.empty()) w.bare("algorithm", algorithm);
    if (!qop.empty()) {
        std::string joined;
        for (const auto& q : qop) {
            if (!joined.empty()) joined.push_back(',');
            joined += q;
        }
        w.quoted("qop", joined);
    }
    if (charset) w.bare("charset", *charset);
    if (userhash) w.bare("userhash", "true");
    for (const auto& p : other) w.other(p);
}

std::string DigestChallenge::to_string() const {
    std::string out;
    write(out);
    return out;
}

Result<std::vector<Challenge>> parse_challenges(std::string_view value) {
    auto raw = split_challenges(value);
    if (!raw) return raw.error();
    std::vector<Challenge> out;
    out.reserve(raw->size());
    for (RawChallenge& r : *raw) {
        Challenge ch;
        if (base::iequals(r.scheme, "Digest")) {
            auto d = interpret_challenge(r);
            if (!d) return d.error();
            ch.digest = std::move(*d);
        } else {
            for (RawParam& p : r.params) ch.params.push_back(AuthParam{std::move(p.name), std::move(p.value), p.quoted});
            ch.token68 = std::move(r.token68);
        }
        ch.scheme = std::move(r.scheme);
        out.push_back(std::move(ch));
    }
    return out;
}

Result<Challenge> parse_challenge(std::string_view value) {
    auto all = parse_challenges(value);
    if (!all) return all.error();
    if (all->size() != 1) return fault("expected one challenge, found " + std::to_string(all->size()));
    return std::move(all->front());
}

Result<DigestChallenge> parse_digest_challenge(std::string_view value) {
    auto ch = parse_challenge(value);
    if (!ch) return ch.error();
    if (!ch->is_digest()) return base::make_error("unsupported authentication scheme '" + ch->scheme + "'");
    return std::move(*ch->digest);
}

// Credentials ------------------------------------------------------------------------------------

std::optional<DigestAlgorithm> DigestCredentials::digest_algorithm() const {
    if (algorithm.empty()) return DigestAlgorithm::Md5;
    return parse_digest_algorithm(algorithm);
}

void DigestCredentials::write(std::string& out) const {
    ParamWriter w(out, "Digest");
    w.quoted("username", username);
    w.quoted("realm", realm);
    w.quoted("nonce", nonce);
    w.quoted("uri", uri);
    w.quoted("response", response);
    if (!algorithm.empty()) w.bare("algorithm", algorithm);
    if (cnonce) w.quoted("cnonce", *cnonce);
    if (opaque) w.quoted("opaque", *opaque);
    if (qop) w.bare("qop", sip::to_string(*qop));
    if (nc) w.bare("nc", format_nonce_count(*nc));
    if (userhash) w.bare("userhash", "true");
    for (const auto& p : other) w.other(p);
}

std::string DigestCredentials::to_string() const {
    std::string out;
    write(out);
    return out;
}

Result<DigestCredentials> parse_digest_credentials(std::string_view value) {
    auto raw = split_challenges(value);
    if (!raw) return raw.error();
    if (raw->size() != 1) return fault("expected one set of credentials, found " + std::to_string(raw->size()));
    const RawChallenge& r = raw->front();
    if (!base::iequals(r.scheme, "Digest"))
        return base::make_error("unsupported authorization scheme '" + r.scheme + "'");
    return interpret_credentials(r);
}

}  // namespace dialtone::sip
