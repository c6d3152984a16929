#include "dialtone/sip/header_id.hpp"

#include "dialtone/base/strings.hpp"

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

constexpr std::array<char, 256> make_lower() {
    std::array<char, 256> t{};
    for (std::size_t c = 0; c < 256; ++c) t[c] = base::ascii_lower(static_cast<char>(c));
    return t;
}
constexpr std::array<char, 256> kLower = make_lower();

// Length and three letters (first, middle, last) tell the known names apart well enough; a
// lookup then compares one name in full.
constexpr std::uint32_t hash_lower(std::string_view s) {
    auto at = [&s](std::size_t i) { return static_cast<std::uint32_t>(static_cast<unsigned char>(kLower[static_cast<unsigned char>(s[i])])); };
    const std::size_t n = s.size();
    return static_cast<std::uint32_t>(n) * 97u + at(0) * 7u + at(n / 2) * 3u + at(n - 1) * 41u;
}

// Open addressing over the lower-cased canonical names, built at compile time: the parser calls
// header_id for every header line, so a lookup is one hash, usually one probe and one compare.
constexpr std::size_t kSlots = 512;
constexpr std::size_t kMaxNameLen = 32;

struct Slot {
    std::uint8_t entry = 0xff;  // index into kEntries; 0xff = empty
    std::uint8_t size = 0;
    char lower[kMaxNameLen] = {};
};

constexpr std::array<Slot, kSlots> make_table() {
    std::array<Slot, kSlots> t{};
    for (std::size_t i = 0; i < kCount; ++i) {
        std::size_t at = hash_lower(kEntries[i].name) & (kSlots - 1);
        while (t[at].entry != 0xff) at = (at + 1) & (kSlots - 1);
        t[at].entry = static_cast<std::uint8_t>(i);
        t[at].size = static_cast<std::uint8_t>(kEntries[i].name.size());
        for (std::size_t k = 0; k < kEntries[i].name.size(); ++k) t[at].lower[k] = base::ascii_lower(kEntries[i].name[k]);
    }
    return t;
}
constexpr std::array<Slot, kSlots> kTable = make_table();

constexpr bool names_fit() {
    for (const Entry& e : kEntries)
        if (e.name.size() > kMaxNameLen) return false;
    return true;
}
static_assert(names_fit(), "a header name is longer than kMaxNameLen");

constexpr std::size_t longest_probe() {
    std::size_t longest = 0;
    for (const Entry& e : kEntries) {
        std::size_t probes = 1;
        for (std::size_t at = hash_lower(e.name) & (kSlots - 1); kTable[at].entry != static_cast<std::size_t>(&e - kEntries.data());
             at = (at + 1) & (kSlots - 1))
            ++probes;
        longest = probes > longest ? probes : longest;
    }
    return longest;
}
static_assert(longest_probe() <= 3, "header name hash clusters: change hash_lower");

}  // namespace

HeaderId header_id(std::string_view name) {
    const std::size_t n = name.size();
    if (n == 1) return compact_form(name[0]);
    if (n == 0 || n > kMaxNameLen) return HeaderId::Other;
    for (std::size_t at = hash_lower(name) & (kSlots - 1);; at = (at + 1) & (kSlots - 1)) {
        const Slot& slot = kTable[at];
        if (slot.entry == 0xff) return HeaderId::Other;
        if (slot.size != n) continue;
        unsigned diff = 0;
        for (std::size_t i = 0; i < n; ++i)
            diff |= static_cast<unsigned>(static_cast<unsigned char>(kLower[static_cast<unsigned char>(name[i])]) ^
                                          static_cast<unsigned char>(slot.lower[i]));
        if (diff == 0) return kEntries[slot.entry].id;
    }
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
