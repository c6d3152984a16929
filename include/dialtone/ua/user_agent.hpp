#pragma once
// The UserAgent facade: one sans-I/O object that io/ feeds with datagrams and the time, and
// that the app drives with commands. It owns the transaction layer, the calls, the out-of-dialog
// requests and the registration, and reports everything as Events.
//
//   io:   on_datagram(d, now) · on_timer(now) · next_deadline() · poll_transmit()
//   app:  call(), answer(), reject(), hangup(), hold(), send_dtmf(), transfer(), …
//         poll_event()
//
// Nothing inside reads a clock, opens a socket or throws.
#include "dialtone/base/random.hpp"
#include "dialtone/base/result.hpp"
#include "dialtone/base/time.hpp"
#include "dialtone/dialog/dialog_id.hpp"
#include "dialtone/sip/digest.hpp"
#include "dialtone/sip/message.hpp"
#include "dialtone/sip/uri.hpp"
#include "dialtone/sip/validate.hpp"
#include "dialtone/txn/transaction_layer.hpp"
#include "dialtone/ua/call.hpp"
#include "dialtone/ua/config.hpp"
#include "dialtone/ua/datagram.hpp"
#include "dialtone/ua/events.hpp"
#include "dialtone/ua/registration.hpp"

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace dialtone::ua {

class UserAgent {
public:
    // `random` (tags, branches, Call-IDs, glare jitter), `hash` (Digest; may be null when no
    // credentials are configured) and `keys` (SRTP; may be null when SRTP is off) must outlive
    // the UserAgent.
    UserAgent(UserAgentConfig config, base::Random& random, const sip::DigestHash* hash = nullptr,
              KeySource* keys = nullptr);

    // --- io's side -------------------------------------------------------------------------
    void on_datagram(const Datagram& in, base::TimePoint now);
    void on_timer(base::TimePoint now);
    // A Datagram from poll_transmit() could not be sent (`reason`: what the transport said).
    // Every request still waiting for that destination fails at once with a 503 naming the
    // reason, as if the peer had sent it (§8.1.3.1, §17.1.4), instead of at Timer B or F.
    void on_transport_error(const Datagram& failed, std::string_view reason, base::TimePoint now);
    std::optional<base::TimePoint> next_deadline() const;
    std::optional<Datagram> poll_transmit();
    std::optional<Event> poll_event();

    // --- calls -----------------------------------------------------------------------------
    // Places a call; progress comes as events. 0 and a CallEnded event when it cannot start.
    CallId call(const sip::Uri& target, const CallOptions& options, base::TimePoint now);
    base::Status ring(CallId id, base::TimePoint now);     // 180 for an incoming call
    base::Status answer(CallId id, base::TimePoint now);   // 200 with our answer (or offer)
    base::Status reject(CallId id, int status, std::string_view reason, base::TimePoint now);
    // CANCEL, BYE or a 603 as the call's state asks; a CallEnded event follows.
    base::Status hangup(CallId id, base::TimePoint now);
    base::Status hold(CallId id, base::TimePoint now);
    base::Status resume(CallId id, base::TimePoint now);
    // Queues digits for SIP INFO, sent one at a time (each after the previous one's answer).
    base::Status send_dtmf(CallId id, std::string_view digits, base::TimePoint now);
    // Blind transfer (RFC 3515): REFER the peer to `target`; TransferProgress events follow.
    base::Status transfer(CallId id, const sip::Uri& target, base::TimePoint now);

    // --- out of dialog ---------------------------------------------------------------------
    RequestId send_options(const sip::Uri& target, base::TimePoint now);
    RequestId send_message(const sip::Uri& target, std::string_view content_type, std::string_view text,
                           base::TimePoint now);

    // --- registration (when the account names a registrar and a hash was given) -------------
    base::Status register_account(base::TimePoint now);
    base::Status unregister_account(base::TimePoint now);

    // --- inspection ------------------------------------------------------------------------
    const Call* find_call(CallId id) const;
    std::size_t call_count() const { return calls_.size(); }
    const UserAgentConfig& config() const { return config_; }
    const txn::TransactionLayer& transactions() const { return txn_; }
    const Registration* registration() const { return registration_ ? &*registration_ : nullptr; }

private:
    // What a client transaction of ours is for.
    enum class Purpose { Invite, Cancel, Bye, ReInvite, Update, Info, Prack, Refer, Notify, Options, Message,
                         Register, Stray };
    // The Digest state of one request and its retries (§22.2): one client per protection space.
    struct Challenged {
        std::optional<sip::DigestClient> www;    // 401, WWW-Authenticate
        std::optional<sip::DigestClient> proxy;  // 407, Proxy-Authenticate
    };
    struct Pending {
        Purpose purpose = Purpose::Stray;
        CallId call = 0;
        RequestId request = 0;
        char digit = 0;
        // The request as sent, for a retry with credentials (purposes other than INVITE and
        // REGISTER, which keep their own, and CANCEL, which is never challenged, §22.1).
        std::shared_ptr<const sip::Message> sent{};
        std::shared_ptr<Challenged> auth{};
    };
    struct Peer {
        Transport transport = Transport::Udp;
        Address local;
        Address remote;
        std::uint64_t connection = 0;
    };

    // transport
    static std::string peer_key(const Peer& peer);
    txn::Destination destination_for(const Peer& peer);
    txn::Destination destination_for_uri(const sip::Uri& uri);
    txn::Destination destination_for_dialog(const dialog::Dialog& d);
    // §18.1.1: a request over UDP larger than 1300 bytes goes over TCP instead (its Via says
    // so), unless its target fixed UDP (transport=udp). Returns where it goes.
    txn::Destination transport_for_size(sip::Message& request, txn::Destination to);
    sip::Via make_via();
    std::string contact_value() const;
    // Our Supported header (§20.37): the option tags we support, 100rel left out on request.
    std::string supported_value(bool with_100rel = true) const;
    bool session_timers_on() const { return config_.session_expires != 0; }
    std::string new_tag();
    txn::TransactionId send_request(sip::Message request, txn::Destination to, Pending pending, base::TimePoint now);
    void respond(txn::TransactionId server, const sip::Message& response, base::TimePoint now);
    void respond_stateless(const sip::Message& request, int status, std::string_view reason, txn::Destination to);
    void pump(base::TimePoint now);
    sip::DigestClient new_digest_client() const;
    // challenge.cpp: a 401/407 to one of our requests other than INVITE and REGISTER, answered
    // once per nonce with the request again; false when it is to be taken as final.
    bool answer_challenge(const Pending& p, txn::TransactionId txn, txn::Destination to,
                          const sip::Message& challenge, base::TimePoint now);
    void on_txn_event(const txn::Event& e, base::TimePoint now);
    void emit(Event e) { events_.push_back(std::move(e)); }

    // UAC (call_uac.cpp)
    void send_invite(Call& c, base::TimePoint now);
    void on_invite_response(Call& c, const sip::Message& r, base::TimePoint now);
    void on_invite_provisional(Call& c, const sip::Message& r, base::TimePoint now);
    void on_invite_success(Call& c, const sip::Message& r, base::TimePoint now);
    void on_invite_failure(Call& c, const sip::Message& r, base::TimePoint now);
    bool retry_with_credentials(Call& c, const sip::Message& r, base::TimePoint now);
    bool follow_redirect(Call& c, const sip::Message& r, base::TimePoint now);
    void ack_and_bye_stray_2xx(txn::TransactionId invite_txn, const sip::Message& invite, const sip::Message& r,
                               base::TimePoint now);
    void send_cancel(Call& c, base::TimePoint now);
    void send_cancel_for(const sip::Message& invite, txn::Destination to, CallId call, base::TimePoint now);
    void send_prack(Call& c, dialog::Dialog& d, const sip::Message& r, base::TimePoint now);

    // UAS (call_uas.cpp)
    void on_new_invite(const txn::Event& e, base::TimePoint now);
    void on_cancel(const txn::Event& e, base::TimePoint now);
    void on_ack(const sip::Message& ack, base::TimePoint now);
    void send_provisional(Call& c, int status, std::string_view reason, base::TimePoint now);
    sip::Message make_dialog_response(const Call& c, const sip::Message& request, int status,
                                      std::string_view reason) const;
    void on_prack(Call& c, txn::TransactionId server, const sip::Message& r, base::TimePoint now);

    // in the dialog (call_dialog.cpp)
    void on_in_dialog_request(const txn::Event& e, base::TimePoint now);
    void on_reinvite(Call& c, txn::TransactionId server, const sip::Message& r, base::TimePoint now);
    void on_update(Call& c, txn::TransactionId server, const sip::Message& r, base::TimePoint now);
    void on_info(Call& c, txn::TransactionId server, const sip::Message& r, base::TimePoint now);
    void on_in_dialog_response(Call& c, const Pending& p, const sip::Message& r, base::TimePoint now);
    void start_local_offer(Call& c, sdp::Direction direction, bool refresh, base::TimePoint now);
    txn::TransactionId send_in_dialog(Call& c, sip::Method method, Pending pending, base::TimePoint now,
                                      std::string_view content_type = {}, std::string_view body = {},
                                      sip::Message* sent = nullptr);
    void send_bye(Call& c, base::TimePoint now);
    void send_next_dtmf(Call& c, base::TimePoint now);
    void report_media_change(Call& c, bool was_remote_hold, bool was_local_hold);
    void send_2xx_with_retransmission(Call& c, txn::TransactionId server, sip::Message response, base::TimePoint now);

    // session timers and transfer (call_session.cpp)
    void add_session_timer_request_headers(const Call& c, sip::Message& m) const;
    void start_session_timer_uac(Call& c, const sip::Message& response, base::TimePoint now);
    std::optional<std::pair<int, std::string>> check_session_timer_uas(Call& c, const sip::Message& request,
                                                                       sip::Message* min_se_response);
    void add_session_timer_response_headers(const Call& c, sip::Message& m) const;
    void arm_session_timer(Call& c, base::TimePoint now);
    void on_refer(Call& c, txn::TransactionId server, const sip::Message& r, base::TimePoint now);
    void on_notify(Call& c, txn::TransactionId server, const sip::Message& r, base::TimePoint now);
    void notify_transferor(Call& new_call, int status, std::string_view reason, base::TimePoint now);

    // calls (user_agent.cpp)
    Call* find(CallId id);
    Call& new_call(dialog::Role role);
    base::Result<sdp::Negotiator> make_negotiator(std::uint16_t& port);
    void end_call(Call& c, int status, std::string reason, bool by_peer, base::TimePoint now,
                  bool network_failure = false);
    void reap();  // erases the calls that ended (never while one is being worked on)
    void set_dialog(Call& c, dialog::Dialog d);
    void on_call_timers(Call& c, base::TimePoint now);
    std::optional<base::TimePoint> call_deadline(const Call& c) const;
    bool is_owner_of_call_id(const Call& c) const { return c.role == dialog::Role::Uac; }

    // out of dialog (out_of_dialog.cpp)
    void on_out_of_dialog_request(const txn::Event& e, base::TimePoint now);
    sip::Message make_out_of_dialog_request(sip::Method method, const sip::Uri& target, txn::Destination& to);
    void drain_registration(base::TimePoint now);

    UserAgentConfig config_;
    base::Random& random_;
    const sip::DigestHash* hash_;
    KeySource* keys_;
    sip::ReceiptPolicy policy_;
    sip::Via via_template_;  // our sent-by and transport; each request adds a branch
    std::string contact_;    // our Contact header value
    txn::TransactionLayer txn_;

    std::uint64_t next_call_ = 1;
    std::uint64_t next_request_ = 1;
    std::map<CallId, Call> calls_;
    std::unordered_map<dialog::DialogId, CallId, dialog::DialogIdHash> dialogs_;
    std::unordered_map<std::uint64_t, Pending> pending_;      // client txn → purpose
    std::unordered_map<std::uint64_t, CallId> server_invites_;  // INVITE server txn → call
    // INVITE client txn of a call that ended before any provisional → where its CANCEL goes
    // when one arrives (§9.1 forbids it sooner).
    std::unordered_map<std::uint64_t, txn::Destination> cancel_at_provisional_;
    // The ACKs sent to the 2xx of each INVITE client txn that no live call takes any more
    // (answered, then ACKed and ended): its retransmitted 2xx is ACKed again, never BYEd twice.
    struct SentAck {
        dialog::DialogId dialog;
        sip::Message ack;
        txn::Destination to;
    };
    std::unordered_map<std::uint64_t, std::vector<SentAck>> acks_sent_;
    std::set<std::uint16_t> ports_in_use_;
    std::uint16_t next_port_ = 0;

    std::vector<Peer> peers_;  // Destination::handle - 1
    std::unordered_map<std::string, std::uint64_t> peer_index_;
    std::set<std::uint64_t> udp_fixed_;  // peers a URI named with transport=udp, or whose TCP failed (§18.1.1)
    // §18.1.1: a request moved from UDP to TCP for its size, as it would have gone over UDP,
    // kept by its transaction so that a failed connection can retry it over UDP.
    struct MovedForSize {
        sip::Message request;
        txn::Destination udp;
    };
    std::optional<MovedForSize> moved_for_size_;                 // set by transport_for_size for send_request
    std::unordered_map<std::uint64_t, MovedForSize> moved_txns_;  // by transaction id
    bool retry_over_udp(txn::TransactionId failed, base::TimePoint now);
    std::string transport_error_;  // what the transport said, while its failures are handled

    std::optional<Registration> registration_;
    std::deque<Event> events_;
};

}  // namespace dialtone::ua
