#include "dialtone/sip/validate.hpp"

#include "dialtone/base/strings.hpp"
#include "dialtone/sip/typed.hpp"

#include <algorithm>
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

// "Bad To header: unterminated quoted display name" from the grammar's "To: unterminated …".
Rejection bad(std::string_view what, std::string_view fault) {
    if (fault.size() > what.size() && fault.substr(0, what.size()) == what && fault[what.size()] == ':') {
        fault = base::trim(fault.substr(what.size() + 1));
    }
    const bool is_header = what != "Request-URI";
    return reject(400, "Bad " + std::string(what) + (is_header ? " header: " : ": ") + quote(fault, fault_limit));
}

Rejection bad(HeaderId id, std::string_view fault) { return bad(canonical_name(id), fault); }

// --- the header fields every request and response carries (§8.1.1) ------------------------------

// Headers that may appear once only: a second line or a comma list is a 400 (RFC 4475 §3.3.8).
constexpr HeaderId single_valued[] = {HeaderId::CallId,      HeaderId::CSeq,          HeaderId::From,
                                      HeaderId::To,          HeaderId::MaxForwards,   HeaderId::ContentLength,
                                      HeaderId::ContentType};

std::optional<Rejection> check_present(const Message& m) {
    // §8.1.1: To, From, CSeq, Call-ID, Via in every request; the same set in every response.
    // Max-Forwards is not demanded: RFC 2543 peers omit it (RFC 4475 §3.4.1) and a UA is the
    // last hop anyway. Named in the order RFC 3261 §8.1.1 lists them, all in one reason.
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

// CSeq, Call-ID, Via, From, To and, in a request, Contact parse (§20). A response's Contact
// matters only to the dialog it would create, which judges it: the transaction still needs the
// response (a 2xx must be ACKed even when its Contact is unusable, §13.2.2.4). A top Via branch that is only the RFC
// 3261 magic cookie claims a transaction id and gives none (RFC 4475 §3.2.1): rejected, since
// every other request from that sender will carry the same broken id.
std::optional<Rejection> check_mandatory_grammar(const Message& m, CSeq& cseq_out) {
    const auto& seq = parsed_cseq(m);
    if (!seq) return bad(HeaderId::CSeq, seq.error().message);
    cseq_out = seq.value();
    if (auto id = call_id(m); !id) return bad(HeaderId::CallId, id.error().message);
    const auto& v = parsed_vias(m);
    if (!v) return bad(HeaderId::Via, v.error().message);
    if (v->empty()) return reject(400, "Bad Via header: empty");
    if (const auto branch = v->front().branch()) {
        if (branch->empty()) return reject(400, "Bad Via header: empty branch parameter");
        if (*branch == kMagicCookie) return reject(400, "Bad Via header: branch is the magic cookie alone");
    }
    // §20.10, §20.20, §20.39: display names quoted or tokens, no spaces inside the URI, a URI
    // with headers in <> (RFC 4475 §3.1.2.6, §3.1.2.13-15).
    if (const auto& t = parsed_to(m); !t) return bad(HeaderId::To, t.error().message);
    if (const auto& f = parsed_from(m); !f) return bad(HeaderId::From, f.error().message);
    if (m.is_request()) {
        if (const auto& c = parsed_contacts(m); !c) return bad(HeaderId::Contact, c.error().message);
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

// Request-URI (§25.1): an absoluteURI, so a scheme first — "<sip:…>" has none (RFC 4475
// §3.1.2.7). sip, sips and tel URIs must parse, and a SIP Request-URI carries no headers
// (§19.1.1 table 1, RFC 4475 §3.1.2.11). Whether the scheme is supported is decided later (416).
std::optional<Rejection> check_request_uri_syntax(const Message& m, std::string_view& scheme) {
    const std::string_view uri = m.request_uri();
    const std::size_t colon = uri.find(':');
    scheme = uri.substr(0, colon == std::string_view::npos ? 0 : colon);
    const bool scheme_ok = !scheme.empty() && base::is_alpha(scheme.front()) &&
                           std::all_of(scheme.begin(), scheme.end(), [](char c) {
                               return base::is_alpha(c) || base::is_digit(c) || c == '+' || c == '-' || c == '.';
                           });
    if (!scheme_ok) return reject(400, "Bad Request-URI: no scheme in '" + quote(uri) + "'");
    for (char c : uri) {
        const auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u == 0x7f) return reject(400, "Bad Request-URI: whitespace or control character");
    }
    if (iequals(scheme, "sip") || iequals(scheme, "sips") || iequals(scheme, "tel")) {
        auto parsed = request_uri(m);
        if (!parsed) return bad("Request-URI", parsed.error().message);
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
    auto tags = require(m);
    if (!tags) return bad(HeaderId::Require, tags.error().message);
    Rejection r{420, "Bad Extension", {}};
    for (const std::string& tag : tags->tokens) {
        if (!contains(policy.supported, tag)) r.unsupported.push_back(tag);
    }
    if (r.unsupported.empty()) return std::nullopt;
    r.reason += ": ";
    for (std::size_t i = 0; i < r.unsupported.size(); ++i) r.reason += (i ? ", " : "") + quote(r.unsupported[i]);
    return r;
}

// "application/sdp" → {"application", "sdp"}.
std::pair<std::string_view, std::string_view> split_type(std::string_view type) {
    const std::size_t slash = type.find('/');
    if (slash == std::string_view::npos) return {type, {}};
    return {type.substr(0, slash), type.substr(slash + 1)};
}

std::optional<Rejection> check_body(const Message& m, const ReceiptPolicy& policy) {
    // §8.2.3: a body we cannot process earns 415 (the caller lists Accept / Accept-Encoding).
    // An empty body needs no type; a non-empty one without Content-Type is malformed (§7.4.1).
    if (m.method() == Method::Ack || m.method() == Method::Cancel) return std::nullopt;
    auto type = content_type(m);
    if (!type) return bad(HeaderId::ContentType, type.error().message);
    if (m.body().empty()) return std::nullopt;
    if (!type->has_value()) return reject(400, "Missing Content-Type header for a non-empty body");
    const MediaType& media = **type;
    const bool known = std::any_of(policy.accepted_types.begin(), policy.accepted_types.end(), [&](const std::string& t) {
        const auto [top, sub] = split_type(t);
        return media.is(top, sub);
    });
    if (!known) return reject(415, "Unsupported Media Type: " + quote(media.type + "/" + media.subtype));
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
    if (m.method() != Method::Invite || policy.answer_type.empty()) return std::nullopt;
    auto ranges = accept(m);
    if (!ranges) return bad(HeaderId::Accept, ranges.error().message);
    if (!ranges->has_value()) return std::nullopt;
    const auto [top, sub] = split_type(policy.answer_type);
    for (const MediaType& range : **ranges) {
        if (range.covers(top, sub)) return std::nullopt;
    }
    return reject(406, "Not Acceptable: Accept does not allow " + policy.answer_type);
}

}  // namespace

std::optional<Rejection> validate_request(const Message& m, const ReceiptPolicy& policy) {
    if (!m.is_request()) return reject(400, "Not a request");
    // §21.5.6 (RFC 4475 §3.1.2.16): checked first, since nothing else can be read with certainty.
    if (m.version() != "SIP/2.0") return reject(505, "Version Not Supported: " + quote(m.version()));

    if (auto r = check_present(m)) return r;
    std::string_view scheme;
    if (auto r = check_request_uri_syntax(m, scheme)) return r;
    CSeq seq;
    if (auto r = check_mandatory_grammar(m, seq)) return r;
    // §8.1.1.5: the CSeq method matches the request method (RFC 4475 §3.1.2.17, §3.1.2.18).
    if (seq.method_text != m.method_text()) {
        return reject(400, "CSeq method " + quote(seq.method_text) + " does not match request method " +
                               quote(m.method_text()));
    }
    // Max-Forwards = 1*DIGIT, 0-255 (§20.22); leading zeros are fine (RFC 4475 §3.1.1.1).
    auto hops = max_forwards(m);
    if (!hops) return bad(HeaderId::MaxForwards, hops.error().message);
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
    if (policy.forwards && *hops && **hops == 0 && m.method() != Method::Options) {
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
    CSeq seq;
    if (auto r = check_mandatory_grammar(m, seq)) return r;
    // §8.1.3.3: a response with more than one Via was not meant for this UA.
    if (parsed_vias(m)->size() != 1) return reject(400, "More than one Via header value in a response");
    return std::nullopt;
}

std::optional<Rejection> validate(const Message& m, const ReceiptPolicy& policy) {
    return m.is_request() ? validate_request(m, policy) : validate_response(m);
}

}  // namespace dialtone::sip
