#include "dialtone/sip/header_id.hpp"

#include "dialtone/base/strings.hpp"

#include <algorithm>
#include <array>

namespace dialtone::sip {

namespace {

struct Entry {
    HeaderId id;
    std::string_view name;  // canonical spelling
    bool comma_list;        // §7.3.1: the grammar is a comma-separated list
};

constexpr std::size_t kCount = static_cast<std::size_t>(HeaderId::Other);

// Indexed by HeaderId. Comma lists follow the ABNF of RFC 3261 §25.1 and the extension RFCs.
constexpr std::array<Entry, kCount> kEntries{{
    {HeaderId::Via, "Via", true},
    {HeaderId::From, "From", false},
    {HeaderId::To, "To", false},
    {HeaderId::CallId, "Call-ID", false},
    {HeaderId::CSeq, "CSeq", false},
    {HeaderId::Contact, "Contact", true},
    {HeaderId::MaxForwards, "Max-Forwards", false},
    {HeaderId::Route, "Route", true},
    {HeaderId::RecordRoute, "Record-Route", true},
    {HeaderId::ContentType, "Content-Type", false},
    {HeaderId::ContentLength, "Content-Length", false},
    {HeaderId::Expires, "Expires", false},
    {HeaderId::MinExpires, "Min-Expires", false},
    {HeaderId::Allow, "Allow", true},
    {HeaderId::Accept, "Accept", true},
    {HeaderId::Supported, "Supported", true},
    {HeaderId::Require, "Require", true},
    {HeaderId::Unsupported, "Unsupported", true},
    {HeaderId::ProxyRequire, "Proxy-Require", true},
    // Challenges and credentials separate their parameters with commas: not lists here.
    {HeaderId::WwwAuthenticate, "WWW-Authenticate", false},
    {HeaderId::ProxyAuthenticate, "Proxy-Authenticate", false},
    {HeaderId::Authorization, "Authorization", false},
    {HeaderId::ProxyAuthorization, "Proxy-Authorization", false},
    {HeaderId::SessionExpires, "Session-Expires", false},
    {HeaderId::MinSE, "Min-SE", false},
    {HeaderId::RSeq, "RSeq", false},
    {HeaderId::RAck, "RAck", false},
    {HeaderId::Event, "Event", false},
    {HeaderId::ReferTo, "Refer-To", false},
    {HeaderId::ReferredBy, "Referred-By", false},
    {HeaderId::Replaces, "Replaces", false},
    {HeaderId::CallInfo, "Call-Info", true},
    {HeaderId::AlertInfo, "Alert-Info", true},
    {HeaderId::AnswerMode, "Answer-Mode", false},
    {HeaderId::Reason, "Reason", true},
    {HeaderId::Warning, "Warning", true},
    {HeaderId::UserAgent, "User-Agent", false},
    {HeaderId::Server, "Server", false},
    {HeaderId::Subject, "Subject", false},
    {HeaderId::ContentEncoding, "Content-Encoding", true},
    {HeaderId::ContentDisposition, "Content-Disposition", false},
    {HeaderId::AllowEvents, "Allow-Events", true},
    {HeaderId::Date, "Date", false},  // "Sat, 13 Nov 2010 …" has a comma of its own
    {HeaderId::Timestamp, "Timestamp", false},
    {HeaderId::Organization, "Organization", false},
    {HeaderId::Priority, "Priority", false},
    {HeaderId::RetryAfter, "Retry-After", false},
    {HeaderId::AcceptEncoding, "Accept-Encoding", true},
    {HeaderId::AcceptLanguage, "Accept-Language", true},
    {HeaderId::AuthenticationInfo, "Authentication-Info", false},
    {HeaderId::ContentLanguage, "Content-Language", true},
    {HeaderId::ErrorInfo, "Error-Info", true},
    {HeaderId::InReplyTo, "In-Reply-To", true},
    {HeaderId::MimeVersion, "MIME-Version", false},
    {HeaderId::ReplyTo, "Reply-To", false},
    {HeaderId::ProxyAuthenticationInfo, "Proxy-Authentication-Info", false},
    {HeaderId::SubscriptionState, "Subscription-State", false},
    {HeaderId::PrivAnswerMode, "Priv-Answer-Mode", false},
    {HeaderId::Path, "Path", true},
    {HeaderId::ServiceRoute, "Service-Route", true},
    {HeaderId::PAssertedIdentity, "P-Asserted-Identity", true},
    {HeaderId::PPreferredIdentity, "P-Preferred-Identity", true},
    {HeaderId::Privacy, "Privacy", false},
    {HeaderId::Identity, "Identity", false},
    {HeaderId::IdentityInfo, "Identity-Info", false},
    {HeaderId::AcceptContact, "Accept-Contact", true},
    {HeaderId::RejectContact, "Reject-Contact", true},
    {HeaderId::RequestDisposition, "Request-Disposition", true},
    {HeaderId::ReferSub, "Refer-Sub", false},
    {HeaderId::TargetDialog, "Target-Dialog", false},
    {HeaderId::Join, "Join", false},
}};

constexpr bool entries_in_enum_order() {
    for (std::size_t i = 0; i < kCount; ++i)
        if (static_cast<std::size_t>(kEntries[i].id) != i) return false;
    return true;
}
static_assert(entries_in_enum_order(), "kEntries must be indexed by HeaderId");

// Compact forms (§7.3.3, RFC 3515, 3265, 4028, 3841, 4474, 3892).
constexpr HeaderId compact_form(char c) {
    switch (base::ascii_lower(c)) {
        case 'i': return HeaderId::CallId;
        case 'm': return HeaderId::Contact;
        case 'e': return HeaderId::ContentEncoding;
        case 'l': return HeaderId::ContentLength;
        case 'c': return HeaderId::ContentType;
        case 'f': return HeaderId::From;
        case 's': return HeaderId::Subject;
        case 'k': return HeaderId::Supported;
        case 't': return HeaderId::To;
        case 'v': return HeaderId::Via;
        case 'o': return HeaderId::Event;
        case 'u': return HeaderId::AllowEvents;
        case 'r': return HeaderId::ReferTo;
        case 'b': return HeaderId::ReferredBy;
        case 'x': return HeaderId::SessionExpires;
        case 'y': return HeaderId::Identity;
        case 'n': return HeaderId::IdentityInfo;
        case 'a': return HeaderId::AcceptContact;
        case 'j': return HeaderId::RejectContact;
        case 'd': return HeaderId::RequestDisposition;
        default: return HeaderId::Other;
    }
}

// The names sorted by length, with the first index of each length: a lookup compares only the
// few names of the right length.
constexpr std::size_t kMaxLen = 32;

struct LengthIndex {
    std::array<std::uint8_t, kCount> order{};
    std::array<std::uint8_t, kMaxLen + 2> first{};  // first[n] .. first[n+1]: names of length n
};

constexpr LengthIndex make_index() {
    LengthIndex ix;
    for (std::size_t i = 0; i < kCount; ++i) ix.order[i] = static_cast<std::uint8_t>(i);
    std::sort(ix.order.begin(), ix.order.end(), [](std::uint8_t a, std::uint8_t b) {
        return kEntries[a].name.size() < kEntries[b].name.size();
    });
    std::size_t k = 0;
    for (std::size_t len = 0; len <= kMaxLen + 1; ++len) {
        while (k < kCount && kEntries[ix.order[k]].name.size() < len) ++k;
        ix.first[len] = static_cast<std::uint8_t>(k);
    }
    return ix;
}

constexpr LengthIndex kIndex = make_index();
static_assert(kIndex.first[kMaxLen + 1] == kCount, "a header name is longer than kMaxLen");

}  // namespace

HeaderId header_id(std::string_view name) {
    const std::size_t n = name.size();
    if (n == 1) return compact_form(name[0]);
    if (n == 0 || n > kMaxLen) return HeaderId::Other;
    const char c0 = base::ascii_lower(name[0]);
    for (std::size_t k = kIndex.first[n]; k < kIndex.first[n + 1]; ++k) {
        const Entry& e = kEntries[kIndex.order[k]];
        if (base::ascii_lower(e.name[0]) == c0 && base::iequals(e.name, name)) return e.id;
    }
    return HeaderId::Other;
}

std::string_view canonical_name(HeaderId id) {
    const auto i = static_cast<std::size_t>(id);
    return i < kCount ? kEntries[i].name : std::string_view{};
}

bool is_comma_list(HeaderId id) {
    const auto i = static_cast<std::size_t>(id);
    return i < kCount && kEntries[i].comma_list;
}

}  // namespace dialtone::sip
