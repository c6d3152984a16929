#pragma once
// The state of one call (RFC 3261 §13–§15): the INVITE transaction it grew from, its dialog,
// its offer/answer negotiator, and the UA-level timers that are not a transaction's — 2xx
// retransmission (§13.3.1.4), reliable provisionals (RFC 3262), the ring timeout, the glare
// retry (§14.1), the session timer (RFC 4028). The UserAgent drives it; this is plain data.
#include "dialtone/base/time.hpp"
#include "dialtone/dialog/dialog.hpp"
#include "dialtone/sdp/direction.hpp"
#include "dialtone/sdp/negotiator.hpp"
#include "dialtone/sip/digest_client.hpp"
#include "dialtone/sip/message.hpp"
#include "dialtone/sip/uri.hpp"
#include "dialtone/txn/destination.hpp"
#include "dialtone/txn/event.hpp"
#include "dialtone/ua/config.hpp"
#include "dialtone/ua/events.hpp"

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace dialtone::ua {

enum class CallState {
    Calling,     // UAC: INVITE sent, no provisional yet
    Proceeding,  // UAC: a provisional arrived (CANCEL allowed, §9.1)
    Incoming,    // UAS: INVITE received, not answered
    Accepting,   // UAS: 2xx sent, waiting for the ACK (§13.3.1.4)
    Confirmed,   // established
    Terminated,
};

std::string_view to_string(CallState s);

// A response we retransmit ourselves: a 2xx to an INVITE until the ACK (§13.3.1.4), a reliable
// provisional until the PRACK (RFC 3262 §3).
struct Retransmission {
    sip::Message response;
    base::TimePoint next;
    base::Duration interval{};
    base::TimePoint give_up;
    bool capped = true;  // the interval stops doubling at T2 (2xx); 100rel keeps doubling
    txn::TransactionId txn;  // the server transaction it answers
};

// An offer exchange we started inside the dialog (re-INVITE or UPDATE).
struct LocalOffer {
    txn::TransactionId txn;
    sip::Method method = sip::Method::Invite;
    std::optional<sip::Message> request;  // the re-INVITE, for its ACK
    sdp::Direction direction = sdp::Direction::SendRecv;
    bool refresh = false;  // a session refresh (RFC 4028 §7.4)
};

struct Call {
    CallId id = 0;
    dialog::Role role = dialog::Role::Uac;
    CallState state = CallState::Calling;
    std::string call_id;
    std::string local_tag;
    std::optional<sdp::Negotiator> negotiator;
    std::uint16_t rtp_port = 0;
    bool media_up = false;  // CallAnswered or CallEarlyMedia reported

    // --- UAC -----------------------------------------------------------------------------
    CallOptions options;
    sip::Uri target;                     // where the current INVITE goes
    std::vector<sip::Uri> visited;       // targets tried, for 3xx loop detection
    int redirects = 0;
    std::optional<sip::Message> invite;  // the INVITE in flight (initial, or after 401/3xx)
    txn::TransactionId invite_txn;
    txn::Destination invite_destination;
    std::uint32_t cseq = 1;              // the INVITE's CSeq number
    std::string offer_sdp;               // our offer in the INVITE (empty: offerless)
    std::optional<sip::DigestClient> www_auth;
    std::optional<sip::DigestClient> proxy_auth;
    bool cancel_wanted = false;          // hang-up asked before any provisional
    bool cancel_sent = false;
    std::optional<base::TimePoint> ring_deadline;
    std::vector<dialog::Dialog> early;   // early dialogs, one per responding fork
    std::optional<sip::Message> ack;     // the ACK to our INVITE's 2xx, resent on each retransmission
    std::optional<sip::Message> reinvite_ack;  // the same for our last re-INVITE
    std::uint32_t session_expires_asked = 0;
    std::optional<std::uint32_t> last_rseq;  // RFC 3262 §4: the last reliable 1xx PRACKed

    // --- UAS -----------------------------------------------------------------------------
    std::shared_ptr<const sip::Message> remote_invite;
    txn::TransactionId server_txn;
    bool offer_in_invite = true;
    std::optional<Retransmission> final_2xx;     // until ACK
    std::optional<Retransmission> reliable_1xx;  // until PRACK
    std::uint32_t rseq = 0;
    bool use_100rel = false;
    bool reliable_transport = false;  // the INVITE came over TCP/TLS: no 2xx retransmissions
    std::uint32_t merged_cseq = 0;  // §8.2.2.2 merge detection key: Call-ID, From tag, CSeq
    std::string merged_branch;

    // --- in the dialog ---------------------------------------------------------------------
    std::optional<dialog::Dialog> dialog;
    bool local_hold = false;
    bool remote_hold = false;
    std::optional<LocalOffer> local_offer;        // our re-INVITE/UPDATE in flight
    std::optional<base::TimePoint> glare_retry_at;
    sdp::Direction glare_direction = sdp::Direction::SendRecv;
    txn::TransactionId remote_reinvite_txn;       // a re-INVITE we answered, awaiting its ACK
    bool awaiting_ack_answer = false;             // offer in our 2xx, the answer in the ACK
    std::deque<char> dtmf_queue;
    bool info_in_flight = false;
    bool bye_sent = false;
    bool bye_after_ack = false;  // §15: our hang-up waits for the ACK of our 2xx

    // RFC 4028 session timer; zero interval: none.
    std::uint32_t session_interval = 0;
    bool we_refresh = false;
    bool peer_timer = false;  // the peer's last request named "timer" (RFC 4028 §9: Require it back)
    std::optional<base::TimePoint> refresh_at;
    std::optional<base::TimePoint> expire_at;

    // RFC 3515: the call that asked us to place this one (we NOTIFY it), and the subscription
    // our REFER created on the transferee's side.
    CallId referred_by_call = 0;
    std::uint32_t notify_cseq_base = 0;
    bool refer_pending = false;
};

}  // namespace dialtone::ua
