#pragma once
// Header field names (RFC 3261 §20 and extensions): case-insensitive, with compact forms
// (§7.3.3). The parser tags each field with its HeaderId so lookups never compare strings.
#include <cstdint>
#include <string_view>

namespace dialtone::sip {

enum class HeaderId : std::uint8_t {
    Via,
    From,
    To,
    CallId,
    CSeq,
    Contact,
    MaxForwards,
    Route,
    RecordRoute,
    ContentType,
    ContentLength,
    Expires,
    MinExpires,
    Allow,
    Accept,
    Supported,
    Require,
    Unsupported,
    ProxyRequire,
    WwwAuthenticate,
    ProxyAuthenticate,
    Authorization,
    ProxyAuthorization,
    SessionExpires,
    MinSE,
    RSeq,
    RAck,
    Event,
    ReferTo,
    ReferredBy,
    Replaces,
    CallInfo,
    AlertInfo,
    AnswerMode,
    Reason,
    Warning,
    UserAgent,
    Server,
    Subject,
    ContentEncoding,
    ContentDisposition,
    AllowEvents,
    Date,
    Timestamp,
    Organization,
    Priority,
    RetryAfter,
    // Further headers of RFC 3261 §20 and common extensions.
    AcceptEncoding,
    AcceptLanguage,
    AuthenticationInfo,
    ContentLanguage,
    ErrorInfo,
    InReplyTo,
    MimeVersion,
    ReplyTo,
    ProxyAuthenticationInfo,
    SubscriptionState,
    PrivAnswerMode,
    Path,
    ServiceRoute,
    PAssertedIdentity,
    PPreferredIdentity,
    Privacy,
    Identity,
    IdentityInfo,
    AcceptContact,
    RejectContact,
    RequestDisposition,
    ReferSub,
    TargetDialog,
    Join,
    Other,  // any name not listed above; the field keeps its name as received
};

// Case-insensitive; accepts the compact forms i m e l c f s k t v o u r b x y a (and n j d).
// Names not known return Other.
HeaderId header_id(std::string_view name);

// The name dialtone writes ("Call-ID", "CSeq", "WWW-Authenticate", …); empty for Other.
std::string_view canonical_name(HeaderId id);

// True for the headers whose grammar is a comma-separated list (RFC 3261 §7.3.1): Via, Contact,
// Route, Record-Route, Allow, Supported, Require, … — but not From, Date or the auth headers.
bool is_comma_list(HeaderId id);

}  // namespace dialtone::sip
