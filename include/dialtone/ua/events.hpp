#pragma once
// What a UserAgent reports: typed values drained with poll_event(), never callbacks. The app
// shows them and the media layer starts, changes and stops streams from the NegotiatedMedia
// they carry.
#include "dialtone/sdp/negotiated_media.hpp"
#include "dialtone/sip/name_addr.hpp"
#include "dialtone/sip/uri.hpp"
#include "dialtone/ua/registration_event.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace dialtone::ua {

// Names one call for the life of the UserAgent; never reused. 0 is "none".
using CallId = std::uint64_t;
// Names one out-of-dialog request (OPTIONS, MESSAGE) we sent, for its result event.
using RequestId = std::uint64_t;

// A new INVITE was accepted for processing; the app answers, rejects or lets it ring.
struct IncomingCall {
    CallId call = 0;
    sip::NameAddr from;
    sip::NameAddr to;
    sip::Uri request_uri;
    bool has_offer = true;  // false: the offer goes in our 200, the answer comes in the ACK
    // Seconds after which the caller asks us to answer on our own (Call-Info answer-after,
    // Alert-Info alert-autoanswer, Answer-Mode: Auto); the app decides whether to honour it.
    std::optional<std::uint32_t> answer_after;
};

// A provisional response with a To tag or 180/183 for our INVITE (§13.2.2.1).
struct CallRinging {
    CallId call = 0;
    int status = 180;
};

// The peer answered our offer in a provisional response: media may flow before the call is
// answered (RFC 3261 §13.2.1, RFC 3262).
struct CallEarlyMedia {
    CallId call = 0;
    std::vector<sdp::NegotiatedMedia> media;
};

// The call is established: our 2xx went out (UAS) or the peer's 2xx arrived (UAC).
struct CallAnswered {
    CallId call = 0;
    std::vector<sdp::NegotiatedMedia> media;
};

// The media changed inside the call (re-INVITE or UPDATE) without a hold change.
struct MediaUpdated {
    CallId call = 0;
    std::vector<sdp::NegotiatedMedia> media;
};

// Our hold (`local`) or the peer's (`remote`, detected from sendonly/inactive or c=0.0.0.0)
// changed; `media` is the new state of the streams.
struct HoldChanged {
    CallId call = 0;
    bool local = false;
    bool remote = false;
    std::vector<sdp::NegotiatedMedia> media;
};

enum class DtmfMethod { Info, Rfc4733 };

struct DtmfReceived {
    CallId call = 0;
    char digit = '0';             // 0-9 * # A-D, '!' for flash (event 16)
    std::uint32_t duration_ms = 0;  // 0 when the sender gave none
    DtmfMethod method = DtmfMethod::Info;
};

// One digit we sent by INFO got its final response (a failure never ends the call).
struct DtmfSent {
    CallId call = 0;
    char digit = '0';
    int status = 200;
};

// The call is over. `status` is the final response that ended it (486, 487, 404, 408 for no
// answer or no ACK, …), 200 when a BYE ended an established call.
struct CallEnded {
    CallId call = 0;
    int status = 0;
    std::string reason;
    bool by_peer = false;  // the other end hung up or refused
    // Nothing was heard from the peer: the status was made here (§8.1.3.1), 503 because the
    // transport could not send (the reason says why) or 408 because Timer B fired.
    bool network_failure = false;
};

// The peer asked us to transfer (REFER, RFC 3515); we placed `new_call` to `target`.
struct TransferRequested {
    CallId call = 0;
    CallId new_call = 0;
    sip::Uri target;
};

// Progress of a transfer we asked for: the status line of the peer's NOTIFY sipfrag.
struct TransferProgress {
    CallId call = 0;
    int status = 0;
    bool final = false;
};

// The result of an OPTIONS we sent (§11): status and the peer's Allow.
struct OptionsResult {
    RequestId request = 0;
    int status = 0;
    std::vector<std::string> allow;
    bool network_failure = false;  // 503 (transport) or 408 (Timer F) made here, as for CallEnded
};

// A MESSAGE (RFC 3428) arrived, in or out of a dialog.
struct MessageReceived {
    sip::NameAddr from;
    std::string content_type;
    std::string text;
    CallId call = 0;  // the call whose dialog carried it, 0 outside a dialog
};

// The final response to a MESSAGE we sent.
struct MessageResult {
    RequestId request = 0;
    int status = 0;
    std::string reason;
    bool network_failure = false;  // 503 (transport) or 408 (Timer F) made here, as for CallEnded
};

using Event = std::variant<IncomingCall, CallRinging, CallEarlyMedia, CallAnswered, MediaUpdated, HoldChanged,
                           DtmfReceived, DtmfSent, CallEnded, TransferRequested, TransferProgress, OptionsResult,
                           MessageReceived, MessageResult, Registered, RegistrationFailed, Unregistered,
                           BindingsListed>;

}  // namespace dialtone::ua
