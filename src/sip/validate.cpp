#include "dialtone/sip/validate.hpp"

#include "dialtone/base/strings.hpp"
#include "dialtone/sip/name_addr.hpp"
#include "dialtone/sip/uri.hpp"
#include "dialtone/sip/via.hpp"

#include <algorithm>
#include <cstdint>
#include <string_view>

namespace dialtone::sip {
namespace {

using base::iequals;

// A piece of the message (or a grammar's fault, which may quote the message) fit for a reason
// phrase (TEXT-UTF8, one line): control bytes become '?' and long text is cut.
std::string quote(std::string_view s, std::size_t limit = 64) {
    std::string out;
    for (char c : s.substr(0, limit)) {
        const auto u = static_cast<unsigned char>(c);
        out.push_back(u < 0x20 || u == 0x7f ? '?' : c);
    }
    if (s.size() > limit) out += "...";
    return out;
}

constexpr std::size_t fault_limit = 160;

Rejection reject(int status, std::string reason) { return Rejection{status, std::move(reason), {}}; }

std::string header_name(HeaderId id) { return std::string(canonical_name(id)); }

bool contains(const std::vector<std::string>& list, std::string_view item) {
    return std::any_of(list.begin(), list.end(), [&](const std::string& s) { return iequals(s, item); });
}

constexpr bool is_token_char(char c) {
    // RFC 3261 §25.1 token
    if (base::is_alpha(c) || base::is_digit(c)) return true;
    switch (c) {
        case '-': case '.': case '!': case '%': case '*': case '_': case '+': case '`': case '\'': case '~':
            return true;
        default:
            return false;
    }
}

bool is_token(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return is_token_char(c); });
}

// --- the header fields every request and response carries (§8.1.1) ------------------------------

// Headers that may appear once only: a second line or a comma list is a 400 (RFC 4475 §3.3.8).
constexpr HeaderId single_valued[] = {HeaderId::CallId, HeaderId::CSeq,          HeaderId::From,
                                      HeaderId::To,     HeaderId::MaxForwards,   HeaderId::ContentLength,
                                      HeaderId::ContentType};

std::optional<Rejection> check_present(const Message& m) {
    // §8.1.1: To, From, CSeq, Call-ID, Via in every request; the same set in every response.
    // Max-Forwards is not demanded: RFC 2543 peers omit it (RFC 4475 §3.4.1) and a UA is the
    // last hop anyway. Checked in the order RFC 3261 §8.1.1 lists them.
    constexpr HeaderId mandatory[] = {HeaderId::To, HeaderId::From, HeaderId::CSeq, HeaderId::CallId,
                                      HeaderId::Via};
    std::string missing;
    for (HeaderId id : mandatory) {
        if (m.find(id) != nullptr) continue;
        if (!missing.empty()) missing += ", ";
        missing += header_name(id);
    }
    if (!missing.empty()) {
        const bool several = missing.find(',') != std::string::npos;
        return reject(400, "Missing " + missing + (several ? " headers" : " header"));
    }
    for (HeaderId id : single_valued) {
        if (m.count(id) > 1) return reject(400, "More than one " + header_name(id) + " header");
    }
    return std::nullopt;
}

std::optional<Rejection> check_call_id(const Message& m) {
    // Call-ID = callid; callid = word [ "@" word ] — no whitespace, not empty (§25.1).
    const std::string_view v = m.find(HeaderId::CallId)->value;
    if (v.empty()) return reject(400, "Bad Call-ID header: empty");
    for (char c : v) {
        const auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u >= 0x7f) return reject(400, "Bad Call-ID header: '" + quote(v) + "'");
    }
    return std::nullopt;
}

struct CSeqValue {
    std::uint32_t number = 0;
    std::string_view method;
};

// CSeq = 1*DIGIT LWS Method; the number is below 2**31 (§8.1.1.5).
std::optional<Rejection> parse_cseq(const Message& m, CSeqValue& out) {
    const std::string_view v = m.find(HeaderId::CSeq)->value;
    std::size_t i = 0;
    while (i < v.size() && base::is_digit(v[i])) ++i;
    const std::string_view digits = v.substr(0, i);
    const std::string_view method = base::trim(v.substr(i));
    if (digits.empty() || method.empty() || i == v.size() || !base::is_ws(v[i]) || !is_token(method)) {
        return reject(400, "Bad CSeq header: '" + quote(v) + "'");
    }
    const auto number = base::parse_u64(digits.size() > 12 ? digits.substr(0, 12) : digits);
    if (!number || digits.size() > 12 || *number >= (std::uint64_t{1} << 31)) {
        return reject(400, "Bad CSeq header: sequence number " + quote(digits) + " is not below 2**31");
    }
    out.number = static_cast<std::uint32_t>(*number);
    out.method = method;
    return std::nullopt;
}

// Max-Forwards = 1*DIGIT, 0-255 (§20.22). Leading zeros are fine ("0068", RFC 4475 §3.1.1.1).
std::optional<Rejection> parse_max_forwards(const Message& m, std::optional<int>& out) {
    const HeaderField* f = m.find(HeaderId::MaxForwards);
    if (f == nullptr) return std::nullopt;
    const std::string_view v = f->value;
    std::size_t first = v.find_first_not_of('0');
    const std::string_view significant = first == std::string_view::npos ? std::string_view("0") : v.substr(first);
    const auto n = base::parse_u32(significant.size() > 4 ? significant.substr(0, 4) : significant);
    if (v.empty() || !std::all_of(v.begin(), v.end(), [](char c) { return base::is_digit(c); }) || !n) {
        return reject(400, "Bad Max-Forwards header: '" + quote(v) + "'");
    }
    if (significant.size() > 3 || *n > 255) {
        return reject(400, "Bad Max-Forwards header: " + quote(v) + " is over 255");
    }
    out = static_cast<int>(*n);
    return std::nullopt;
}

// "Bad To header: unterminated quoted string" from the grammar's "To: unterminated quoted string".
Rejection bad_header(HeaderId id, std::string_view fault) {
    const std::string name = header_name(id);
    if (fault.size() > name.size() + 1 && fault.substr(0, name.size()) == name && fault[name.size()] == ':') {
        fault = base::trim(fault.substr(name.size() + 1));
    }
    return reject(400, "Bad " + name + " header: " + quote(fault, fault_limit));
}

// Every Via line parses (§20.42). A top branch that is only the RFC 3261 magic cookie claims a
// transaction id and gives none (RFC 4475 §3.2.1): rejected, since every other request from
// that sender will carry the same broken id.
std::optional<Rejection> check_vias(const Message& m) {
    bool top = true;
    for (const HeaderField& f : m.headers()) {
        if (f.id != HeaderId::Via) continue;
        auto vias = parse_via_list(f.value);
        if (!vias) return bad_header(HeaderId::Via, vias.error().message);
        if (top && !vias->empty()) {
            const auto branch = vias->front().branch();
            if (branch && branch->empty()) return reject(400, "Bad Via header: empty branch parameter");
            if (branch && *branch == kMagicCookie) {
                return reject(400, "Bad Via header: branch is the magic cookie alone");
            }
        }
        top = false;
    }
    return std::nullopt;
}

// From and To are one name-addr or addr-spec each; Contact a list of them or "*" (§20.10,
// §20.20, §20.39): display names quoted or tokens, no spaces inside the URI (RFC 4475 §3.1.2.6,
// §3.1.2.14, §3.1.2.15).
std::optional<Rejection> check_addresses(const Message& m) {
    for (HeaderId id : {HeaderId::To, HeaderId::From}) {
        const std::string_view value = m.find(id)->value;
        auto parsed = parse_name_addr(value, canonical_name(id));
        if (!parsed) return bad_header(id, parsed.error().message);
    }
    const std::vector<std::string_view> contacts = m.values(HeaderId::Contact);
    for (std::string_view contact : contacts) {
        if (contact == "*" && contacts.size() == 1) continue;
        auto parsed = parse_name_addr(contact, "Contact");
        if (!parsed) return bad_header(HeaderId::Contact, parsed.error().message);
    }
    return std::nullopt;
}

// Date = rfc1123-date, which always ends in "GMT" (§20.17, RFC 4475 §3.1.2.12).
std::optional<Rejection> check_date(const Message& m) {
    const HeaderField* f = m.find(HeaderId::Date);
    if (f == nullptr) return std::nullopt;
    const std::string_view v = f->value;
    if (v.size() < 4 || v.substr(v.size() - 4) != " GMT") {
        return reject(400, "Bad Date header: time zone must be GMT in '" + quote(v) + "'");
    }
    return std::nullopt;
}

// Request-URI (§25.1): absoluteURI, no whitespace, no <> around it; headers are not allowed in
// a SIP Request-URI (§19.1.1 table 1, RFC 4475 §3.1.2.11). Scheme support comes later (416).
std::optional<Rejection> check_request_uri_syntax(const Message& m, std::string_view& scheme) {
    const std::string_view uri = m.request_uri();
    if (uri.empty()) return reject(400, "Bad Request-URI: empty");
    for (char c : uri) {
        const auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u == 0x7f) return reject(400, "Bad Request-URI: whitespace or control character");
    }
    const std::size_t colon = uri.find(':');
    scheme = uri.substr(0, colon == std::string_view::npos ? 0 : colon);
    const bool scheme_ok = !scheme.empty() && base::is_alpha(scheme.front()) &&
                           std::all_of(scheme.begin(), scheme.end(), [](char c) {
                               return base::is_alpha(c) || base::is_digit(c) || c == '+' || c == '-' || c == '.';
                           });
    if (!scheme_ok) return reject(400, "Bad Request-URI: no scheme in '" + quote(uri) + "'");
    if (iequals(scheme, "sip") || iequals(scheme, "sips") || iequals(scheme, "tel")) {
        auto parsed = parse_uri(uri, "Request-URI");
        std::string_view fault = parsed ? std::string_view() : std::string_view(parsed.error().message);
        if (fault.substr(0, 12) == "Request-URI:") fault = base::trim(fault.substr(12));
        if (!parsed) return reject(400, "Bad Request-URI: " + quote(fault, fault_limit));
        if (!parsed->headers().empty()) return reject(400, "Bad Request-URI: headers are not allowed");
    }
    return std::nullopt;
}

std::optional<Rejection> check_method(const Message& m, const ReceiptPolicy& policy) {
    // §8.2.1: an unknown method earns 501, a known one this UA does not handle 405.
    if (m.method() == Method::Unknown && !contains(policy.allowed_methods, m.method_text())) {
        return reject(501, "Not Implemented: " + quote(m.method_text()));
    }
    if (!policy.allowed_methods.empty() && !contains(policy.allowed_methods, m.method_text())) {
        return reject(405, "Method Not Allowed: " + quote(m.method_text()));
    }
    return std::nullopt;
}

std::optional<Rejection> check_require(const Message& m, const ReceiptPolicy& policy) {
    // §8.2.2.3: never for CANCEL, and an ACK is not answered at all.
    if (m.method() == Method::Cancel || m.method() == Method::Ack) return std::nullopt;
    Rejection r{420, "Bad Extension", {}};
    for (std::string_view tag : m.values(HeaderId::Require)) {
        if (!contains(policy.supported, tag)) r.unsupported.emplace_back(tag);
    }
    if (r.unsupported.empty()) return std::nullopt;
    r.reason += ": ";
    for (std::size_t i = 0; i < r.unsupported.size(); ++i) r.reason += (i ? ", " : "") + quote(r.unsupported[i]);
    return r;
}

std::string_view bare_media_type(std::string_view content_type) {
    return base::trim(content_type.substr(0, content_type.find(';')));
}

std::optional<Rejection> check_body(const Message& m, const ReceiptPolicy& policy) {
    // §8.2.3: a body we cannot process earns 415 (the caller lists Accept / Accept-Encoding).
    // An empty body needs no type; a non-empty one without Content-Type is malformed (§7.4.1).
    if (m.body().empty() || m.method() == Method::Ack || m.method() == Method::Cancel) return std::nullopt;
    const HeaderField* type = m.find(HeaderId::ContentType);
    if (type == nullptr) return reject(400, "Missing Content-Type header for a non-empty body");
    const std::string_view media = bare_media_type(type->value);
    const std::size_t slash = media.find('/');
    if (slash == std::string_view::npos || !is_token(base::trim(media.substr(0, slash))) ||
        !is_token(base::trim(media.substr(slash + 1)))) {
        return reject(400, "Bad Content-Type header: '" + quote(type->value) + "'");
    }
    if (!contains(policy.accepted_types, media)) return reject(415, "Unsupported Media Type: " + quote(media));
    for (std::string_view coding : m.values(HeaderId::ContentEncoding)) {
        if (!iequals(coding, "identity") && !contains(policy.accepted_encodings, coding)) {
            return reject(415, "Unsupported Content-Encoding: " + quote(coding));
        }
    }
    return std::nullopt;
}

// §21.4.7: the answer to an INVITE carries `answer_type`; an Accept that rules it out means we
// cannot answer at all (RFC 4475 §3.3.15). An absent Accept means application/sdp (§20.1).
std::optional<Rejection> check_accept(const Message& m, const ReceiptPolicy& policy) {
    if (m.method() != Method::Invite || policy.answer_type.empty() || m.find(HeaderId::Accept) == nullptr) {
        return std::nullopt;
    }
    const std::string_view want = policy.answer_type;
    const std::string_view want_top = want.substr(0, want.find('/'));
    for (std::string_view range : m.values(HeaderId::Accept)) {
        const std::string_view media = bare_media_type(range);
        const std::size_t slash = media.find('/');
        const std::string_view top = media.substr(0, slash);
        const std::string_view sub = slash == std::string_view::npos ? std::string_view() : media.substr(slash + 1);
        if (media == "*/*" || iequals(media, want) || (sub == "*" && iequals(top, want_top))) return std::nullopt;
    }
    return reject(406, "Not Acceptable: Accept does not allow " + std::string(want));
}

}  // namespace

std::optional<Rejection> validate_request(const Message& m, const ReceiptPolicy& policy) {
    if (!m.is_request()) return reject(400, "Not a request");
    // §21.5.6 (RFC 4475 §3.1.2.16): checked first, since nothing else can be read with certainty.
    if (m.version() != "SIP/2.0") return reject(505, "Version Not Supported: " + quote(m.version()));

    if (auto r = check_present(m)) return r;
    std::string_view scheme;
    if (auto r = check_request_uri_syntax(m, scheme)) return r;
    CSeqValue cseq;
    if (auto r = parse_cseq(m, cseq)) return r;
    // §8.1.1.5: the CSeq method matches the request method (RFC 4475 §3.1.2.17, §3.1.2.18).
    if (cseq.method != m.method_text()) {
        return reject(400, "CSeq method " + quote(cseq.method) + " does not match request method " +
                               quote(m.method_text()));
    }
    if (auto r = check_call_id(m)) return r;
    std::optional<int> max_forwards;
    if (auto r = parse_max_forwards(m, max_forwards)) return r;
    if (auto r = check_vias(m)) return r;
    if (auto r = check_addresses(m)) return r;
    if (auto r = check_date(m)) return r;

    if (auto r = check_method(m, policy)) return r;
    // §8.2.2.1: a scheme we do not understand.
    if (!(iequals(scheme, "sip") || iequals(scheme, "sips") || iequals(scheme, "tel"))) {
        return reject(416, "Unsupported URI Scheme: " + quote(scheme));
    }
    if (auto r = check_require(m, policy)) return r;
    if (auto r = check_body(m, policy)) return r;
    if (auto r = check_accept(m, policy)) return r;
    // §16.3 step 3: only an element that would forward the request runs out of hops.
    if (policy.forwards && max_forwards && *max_forwards == 0 && m.method() != Method::Options) {
        return reject(483, "Too Many Hops");
    }
    return std::nullopt;
}

std::optional<Rejection> validate_response(const Message& m) {
    if (m.is_request()) return reject(400, "Not a response");
    if (m.version() != "SIP/2.0") return reject(505, "Version Not Supported: " + quote(m.version()));
    // Status-Code = 3DIGIT (§25.1); the class digit is 1-6 (§21).
    if (m.status_code() < 100 || m.status_code() > 699) {
        return reject(400, "Bad status code " + std::to_string(m.status_code()));
    }
    if (auto r = check_present(m)) return r;
    CSeqValue cseq;
    if (auto r = parse_cseq(m, cseq)) return r;
    if (auto r = check_call_id(m)) return r;
    if (auto r = check_vias(m)) return r;
    if (auto r = check_addresses(m)) return r;
    // §8.1.3.3: a response with more than one Via was not meant for this UA.
    if (m.values(HeaderId::Via).size() != 1) return reject(400, "More than one Via header value in a response");
    return std::nullopt;
}

std::optional<Rejection> validate(const Message& m, const ReceiptPolicy& policy) {
    return m.is_request() ? validate_request(m, policy) : validate_response(m);
}

}  // namespace dialtone::sip
