#pragma once
// What a UA checks on receipt of a parsed message, before any transaction or dialog sees it
// (RFC 3261 §8.2 for requests, §8.1.3.3 and §18.1.2 for responses).
//
// The parser has already checked framing and line syntax. These checks look at the meaning of
// the start line and of the header fields every message needs, and say which response the
// request earns, in the order of §8.2:
//
//   505  the SIP version is not 2.0 (§21.5.6)
//   400  a mandatory header field is missing, repeated or unparseable; the CSeq method differs
//        from the request method; a malformed Request-URI (§8.1.1, §8.2)
//   501  an unknown method; 405 a known one this UA does not allow (§8.2.1)
//   416  a Request-URI scheme other than sip, sips or tel (§8.2.2.1)
//   420  a Require option tag this UA does not support, listed for Unsupported (§8.2.2.3)
//   415  a body type or Content-Encoding this UA does not understand (§8.2.3)
//   406  an INVITE whose Accept excludes the type of our answer (§21.4.7, RFC 4475 §3.3.15)
//   483  Max-Forwards 0, only for an element that would forward the request (§16.3 step 3)
//
// Max-Forwards 0 on a request addressed to this UA is not an error: the UA is the last hop and
// answers it itself, OPTIONS included (RFC 4475 §3.3.11). Set `forwards` to get 483 for any
// method but OPTIONS, which a forwarding element may answer on its own behalf.
//
// A response that fails is not answered but discarded; the Rejection then says why (its status
// is 400 only to classify the fault).
#include "dialtone/sip/message.hpp"

#include <optional>
#include <string>
#include <vector>

namespace dialtone::sip {

// What this UA understands. Names and tags compare case-insensitively.
struct ReceiptPolicy {
    // Methods answered with something other than 405. Empty: every method dialtone knows.
    std::vector<std::string> allowed_methods;
    // Option tags this UA supports (Require, §8.2.2.3).
    std::vector<std::string> supported;
    // Body types this UA can process (§8.2.3); anything else in a request earns 415.
    std::vector<std::string> accepted_types = {"application/sdp", "multipart/mixed",
                                               "application/dtmf-relay", "application/dtmf",
                                               "text/plain", "message/sipfrag"};
    // Content-Encodings besides "identity" this UA can undo.
    std::vector<std::string> accepted_encodings;
    // The type of the body our answer to an INVITE carries; checked against Accept. Empty: none.
    std::string answer_type = "application/sdp";
    // True for an element that would forward the request (a proxy), not the UA it is for.
    bool forwards = false;
};

struct Rejection {
    int status = 400;
    std::string reason;                    // reason phrase naming the fault; one line, no CR/LF
    std::vector<std::string> unsupported;  // 420 only: the option tags for the Unsupported header
};

// nullopt when the request may go on to the transaction layer.
std::optional<Rejection> validate_request(const Message& request, const ReceiptPolicy& policy = {});

// nullopt when the response may go on; otherwise it is to be discarded.
std::optional<Rejection> validate_response(const Message& response);

// Either of the above, as the message's kind says.
std::optional<Rejection> validate(const Message& message, const ReceiptPolicy& policy = {});

}  // namespace dialtone::sip
