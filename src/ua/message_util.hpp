#pragma once
// Small message builders shared by the call, out-of-dialog and facade code of ua/.
#include "dialtone/sip/message.hpp"
#include "dialtone/txn/destination.hpp"

#include <string>
#include <string_view>

namespace dialtone::ua::detail {

// The methods this UA answers (Allow, §20.5) and the extensions it supports (§20.37).
inline constexpr std::string_view kAllow = "INVITE, ACK, BYE, CANCEL, OPTIONS, INFO, MESSAGE, UPDATE, PRACK, REFER, NOTIFY";
inline constexpr std::string_view kAccept = "application/sdp, application/dtmf-relay, application/dtmf, text/plain, message/sipfrag";

std::string_view transport_name(txn::Transport t);

// §8.2.6.2: a response copies Via (all, in order), From, To, Call-ID and CSeq; a To without a
// tag gets `to_tag` (unless the response is a 100, or `to_tag` is empty).
sip::Message make_response(const sip::Message& request, int status, std::string_view reason,
                           std::string_view to_tag);

// A To tag of the request (empty when none or unparseable).
std::string to_tag_of(const sip::Message& m);

// Whether a From/To value carries a tag parameter: a cheap scan of the header parameters after
// the URI (outside quotes and <>), for the hot paths that only need to know.
bool has_tag_param(std::string_view value);

// The status line of a message/sipfrag body (RFC 3420), e.g. 180 for "SIP/2.0 180 Ringing"; 0 when none.
int sipfrag_status(std::string_view body);

// The reason phrase RFC 3261 §21 gives a status code (a generic one for unknown codes).
std::string_view default_reason(int status);

}  // namespace dialtone::ua::detail
