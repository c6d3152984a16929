#pragma once
// A client registration (RFC 3261 §10.2, RFC 3665 §2): binds one contact to one AOR at a
// registrar and keeps the binding fresh. Sans-I/O and transaction-free: it hands out whole
// REGISTER requests (poll_request) for the UA to send in a non-INVITE client transaction, takes
// back the responses (on_response) and the transaction's failure (on_request_failed), and
// reports what happened as events.
//
//  - REGISTER with To/From = AOR, our Contact (with +sip.instance when configured) and Expires;
//    one Call-ID for all of them and a CSeq that goes up by one each time (§10.2.4);
//  - 401/407: answered once per new nonce with Digest credentials (RFC 3261 §22, via
//    sip::DigestClient); the same nonce challenged again, or a new one without stale=true after
//    a first try, is "credentials refused" and not retried; later refreshes carry credentials
//    for the nonce they know;
//  - 423 Interval Too Brief: retried with Min-Expires, which then also serves the refreshes
//    (§10.2.8, §10.3 step 7);
//  - refresh at half the interval the registrar granted: the expires of our Contact in the 200,
//    else its Expires header (§10.2.4);
//  - no response (Timer F), a transport error, 408, 480 or 5xx: failed, then tried again after
//    30 s, 60 s, … up to 30 min, or after Retry-After when the response gives one (RFC 5626
//    §4.5 spirit, without the random part so that runs replay exactly);
//  - stop(): Expires: 0 for our contact (§10.2.2); remove_all(): "Contact: *" (RFC 3665 §2.4);
//    query(): no Contact (§10.2.3); update_contacts(): other contacts (RFC 3665 §2.2).
//
// Only one REGISTER is outstanding at a time (§10.2: no new one before the previous has a final
// response or timed out); operations asked for meanwhile wait in order.
#include "dialtone/base/random.hpp"
#include "dialtone/base/time.hpp"
#include "dialtone/sip/contact.hpp"
#include "dialtone/sip/digest.hpp"
#include "dialtone/sip/digest_client.hpp"
#include "dialtone/sip/message.hpp"
#include "dialtone/sip/uri.hpp"
#include "dialtone/sip/via.hpp"
#include "dialtone/ua/outgoing_request.hpp"
#include "dialtone/ua/registration_event.hpp"

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dialtone::ua {

struct RegistrationConfig {
    sip::Uri aor;        // To and From (§10.2)
    sip::Uri registrar;  // Request-URI: the registrar's domain, e.g. sip:biloxi.com (§10.2)
    sip::Uri contact;    // our binding
    // RFC 5626 §4.1 instance id, e.g. "urn:uuid:00000000-0000-1000-8000-AABBCCDDEEFF"; the
    // Contact then carries +sip.instance="<…>".
    std::optional<std::string> instance_id;
    // An outbound proxy: the REGISTER carries it as a loose Route and goes there (§8.1.2).
    std::optional<sip::Uri> outbound_proxy;
    std::string username;  // for Digest; empty: the AOR's user part
    std::string password;
    std::string realm = "*";  // the realm the password is for; "*": any
    std::uint32_t expires = 3600;  // asked for; the registrar may grant less
    // Our Via: transport and sent-by (§18.1.1); each request gets a fresh branch.
    sip::Via via;
    std::string user_agent;  // User-Agent header; empty: none
    base::Duration retry_base = base::seconds(30);
    base::Duration retry_max = base::seconds(1800);
};

enum class RegistrationState {
    Unregistered,   // no binding (initially, after stop(), after a refused registration)
    Registering,    // a REGISTER for our binding is on its way, none granted yet
    Registered,     // the binding is in place; a refresh may be on its way
    Unregistering,  // Expires: 0 on its way
    Failed,         // the last attempt failed; a retry may be scheduled
};

std::string_view to_string(RegistrationState s);

class Registration {
public:
    // `random` (Call-ID, tags, branches, cnonces) and `hash` (Digest) must outlive this.
    Registration(RegistrationConfig config, base::Random& random, const sip::DigestHash& hash);

    // --- commands ---
    void start(base::TimePoint now);   // register and keep the binding fresh
    void stop(base::TimePoint now);    // remove our binding (Expires: 0); no more refreshes
    void remove_all(base::TimePoint now);  // "Contact: *" with Expires: 0: every binding of the AOR
    void query(base::TimePoint now);   // ask for the current bindings (no Contact)
    // Add or change bindings other than ours (each with its own expires if it has one).
    void update_contacts(std::vector<sip::Contact> contacts, base::TimePoint now);

    // --- the UA's side ---
    std::optional<OutgoingRequest> poll_request();
    // A response to a REGISTER. False (and nothing done) when it is not a response to the
    // request this registration has outstanding (another Call-ID, CSeq or method).
    bool on_response(const sip::Message& response, base::TimePoint now);
    // The outstanding REGISTER's transaction ended without a response: 408 for Timer F,
    // 503 for a transport error (§8.1.3.1); `reason` says which.
    void on_request_failed(int status, std::string_view reason, base::TimePoint now);
    void on_timer(base::TimePoint now);
    std::optional<base::TimePoint> next_deadline() const;
    std::optional<RegistrationEvent> poll_event();

    // --- inspection ---
    RegistrationState state() const { return state_; }
    const RegistrationConfig& config() const { return config_; }
    const std::string& call_id() const { return call_id_; }
    std::uint32_t cseq() const { return cseq_; }
    // Seconds granted by the last 200 for our binding; 0 when not registered.
    std::uint32_t granted() const { return granted_; }
    std::optional<base::TimePoint> refresh_at() const { return refresh_at_; }
    std::optional<base::TimePoint> retry_at() const { return retry_at_; }
    bool busy() const { return in_flight_.has_value(); }
    // True when `response` answers the outstanding REGISTER (Call-ID and CSeq).
    bool owns(const sip::Message& response) const;

private:
    enum class OpKind { Register, Unregister, RemoveAll, Query, Update };
    struct Op {
        OpKind kind = OpKind::Register;
        std::uint32_t expires = 0;
        std::vector<sip::Contact> contacts;  // Update only
        int auth_rounds = 0;                 // 401/407 answered for this operation
    };
    struct InFlight {
        Op op;
        std::uint32_t cseq = 0;
        bool sent_www = false;    // carried Authorization
        bool sent_proxy = false;  // carried Proxy-Authorization
    };

    void enqueue(Op op, base::TimePoint now);
    void pump(base::TimePoint now);
    void send(Op op, base::TimePoint now);
    sip::Contact our_contact() const;
    void on_success(const InFlight& f, const sip::Message& response, base::TimePoint now);
    void on_challenge(InFlight f, const sip::Message& response, base::TimePoint now);
    void fail(const InFlight& f, int status, std::string reason, bool retry, base::TimePoint now,
              std::optional<base::Duration> retry_after = std::nullopt);
    void drop_pending(OpKind kind);

    RegistrationConfig config_;
    base::Random& random_;
    const sip::DigestHash& hash_;
    std::string call_id_;
    std::string from_tag_;
    std::uint32_t cseq_ = 0;
    std::uint32_t expires_;  // asked for in our registrations (raised by a 423)
    sip::DigestClient www_;
    sip::DigestClient proxy_;
    std::string error_;  // a Digest computation failure on send, reported as a failure

    RegistrationState state_ = RegistrationState::Unregistered;
    bool wanted_ = false;  // start() was called and stop() was not
    std::uint32_t granted_ = 0;
    int failures_ = 0;     // consecutive failed attempts, for the backoff
    std::optional<base::TimePoint> refresh_at_;
    std::optional<base::TimePoint> retry_at_;
    std::optional<InFlight> in_flight_;
    std::deque<Op> pending_;
    std::deque<OutgoingRequest> outbox_;
    std::deque<RegistrationEvent> events_;
};

}  // namespace dialtone::ua
