#pragma once
// Typed access to the headers of a Message. Each accessor parses the header lines it needs when
// called (the Message keeps only text), across repeated lines and comma lists, and fails with
// the header's name and the fault: "missing CSeq header", "From: appears 2 times",
// "Via: bad sent-by port '70000'" (status 400).
//
// Absent optional headers give nullopt (single values) or an empty list; present but
// malformed ones are errors.
#include "dialtone/base/result.hpp"
#include "dialtone/sip/call_info.hpp"
#include "dialtone/sip/contact.hpp"
#include "dialtone/sip/content_type.hpp"
#include "dialtone/sip/cseq.hpp"
#include "dialtone/sip/event.hpp"
#include "dialtone/sip/message.hpp"
#include "dialtone/sip/name_addr.hpp"
#include "dialtone/sip/reason.hpp"
#include "dialtone/sip/refer_to.hpp"
#include "dialtone/sip/replaces.hpp"
#include "dialtone/sip/route.hpp"
#include "dialtone/sip/session_expires.hpp"
#include "dialtone/sip/token_list.hpp"
#include "dialtone/sip/uri.hpp"
#include "dialtone/sip/via.hpp"
#include "dialtone/sip/warning.hpp"

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace dialtone::sip {

// --- the mandatory headers (§8.1.1): exactly one line each (Via: at least one) ---
base::Result<Uri> request_uri(const Message& m);  // errors start with "Request-URI: "
base::Result<Via> top_via(const Message& m);
base::Result<std::vector<Via>> vias(const Message& m);
base::Result<NameAddr> from(const Message& m);
base::Result<NameAddr> to(const Message& m);
base::Result<std::string_view> call_id(const Message& m);  // callid = word [ "@" word ]
base::Result<CSeq> cseq(const Message& m);

// --- the same, parsed once per message and kept on it until a header line is edited ---
// For the layers that read these on every message (receipt checks, transaction and dialog
// matching): a reference into the message's own copy, valid while the message lives unedited.
// The functions above return copies of these.
const base::Result<NameAddr>& parsed_from(const Message& m);
const base::Result<NameAddr>& parsed_to(const Message& m);
const base::Result<std::vector<Via>>& parsed_vias(const Message& m);
const base::Result<CSeq>& parsed_cseq(const Message& m);
const base::Result<std::vector<Contact>>& parsed_contacts(const Message& m);

// --- optional single-value headers ---
base::Result<std::optional<std::uint8_t>> max_forwards(const Message& m);
base::Result<std::optional<std::uint32_t>> expires(const Message& m);
base::Result<std::optional<std::uint32_t>> min_expires(const Message& m);
base::Result<std::optional<std::uint32_t>> content_length(const Message& m);
base::Result<std::optional<MediaType>> content_type(const Message& m);
base::Result<std::optional<std::uint32_t>> rseq(const Message& m);
base::Result<std::optional<RAck>> rack(const Message& m);
base::Result<std::optional<SessionExpires>> session_expires(const Message& m);
base::Result<std::optional<MinSE>> min_se(const Message& m);
base::Result<std::optional<Event>> event(const Message& m);
base::Result<std::optional<NameAddr>> refer_to(const Message& m);
base::Result<std::optional<NameAddr>> referred_by(const Message& m);
base::Result<std::optional<Replaces>> replaces(const Message& m);

// --- lists (every line, every comma-separated element, in order) ---
base::Result<std::vector<Contact>> contacts(const Message& m);  // "*" must be alone
base::Result<std::vector<NameAddr>> routes(const Message& m);
base::Result<std::vector<NameAddr>> record_routes(const Message& m);
// nullopt when there is no Accept header (§20.1: then application/sdp is assumed).
base::Result<std::optional<std::vector<MediaType>>> accept(const Message& m);
base::Result<TokenList> allow(const Message& m);
base::Result<TokenList> supported(const Message& m);
base::Result<TokenList> require(const Message& m);
base::Result<TokenList> proxy_require(const Message& m);
base::Result<TokenList> unsupported(const Message& m);
base::Result<TokenList> allow_events(const Message& m);
base::Result<std::vector<CallInfo>> call_info(const Message& m);
base::Result<std::vector<CallInfo>> alert_info(const Message& m);
base::Result<std::vector<Reason>> reasons(const Message& m);
base::Result<std::vector<Warning>> warnings(const Message& m);

}  // namespace dialtone::sip
