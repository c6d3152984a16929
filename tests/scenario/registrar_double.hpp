#pragma once
// A registrar and proxy for scenario tests, built on the same core as the UA (parser, receipt
// checks, TransactionLayer, Digest maths):
//  - REGISTER (RFC 3261 §10.3): Digest challenge with a chosen algorithm and qop, nonces that go
//    stale after a while (stale=true), 423 with Min-Expires, bindings that expire, "*" removal,
//    queries; every 200 lists the AOR's bindings with their remaining time;
//  - other requests for a registered AOR: forwarded statelessly (§16.11) to the first binding,
//    with a Record-Route so in-dialog requests come back through it, or answered 302 with the
//    bindings in redirect mode; 404 for an AOR without bindings; requests that carry our Route
//    (in-dialog) follow their Route/Request-URI; responses go back along the Via.
#include "address_book.hpp"

#include "dialtone/base/random.hpp"
#include "dialtone/base/time.hpp"
#include "dialtone/sip/auth.hpp"
#include "dialtone/sip/digest.hpp"
#include "dialtone/sip/message.hpp"
#include "dialtone/txn/transaction_layer.hpp"
#include "dialtone/ua/datagram.hpp"

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace dialtone::scenario {

struct RegistrarConfig {
    std::string realm = "biloxi.com";
    std::map<std::string, std::string> users;  // user name → password
    bool authenticate = true;
    sip::DigestAlgorithm algorithm = sip::DigestAlgorithm::Md5;
    bool qop = true;                            // offer qop=auth
    base::Duration nonce_lifetime = base::seconds(3600);  // older nonces are answered stale=true
    std::uint32_t min_expires = 60;
    std::uint32_t max_expires = 7200;
    std::uint32_t default_expires = 3600;
    bool redirect = false;  // answer INVITEs for registered AORs with 302 instead of forwarding
};

struct Binding {
    sip::Uri contact;
    base::TimePoint expires_at;
    std::string call_id;
    std::uint32_t cseq = 0;
};

struct ReceivedRequest {
    base::TimePoint at;
    sip::Message message;
};

class RegistrarDouble {
public:
    RegistrarDouble(ua::Address self, RegistrarConfig config, const sip::DigestHash& hash, base::Random& random);

    void on_datagram(const ua::Datagram& in, base::TimePoint now);
    void on_timer(base::TimePoint now);
    std::optional<base::TimePoint> next_deadline() const;
    std::optional<ua::Datagram> poll_transmit();

    // The bindings of "user@host" still valid at `now`.
    std::vector<Binding> bindings(const std::string& aor, base::TimePoint now) const;
    // Every REGISTER that reached the registrar as a new transaction (not retransmissions).
    const std::vector<ReceivedRequest>& registers() const { return registers_; }
    std::size_t challenges() const { return challenges_; }
    std::size_t forwarded() const { return forwarded_; }
    RegistrarConfig& config() { return config_; }

private:
    void on_request(txn::TransactionId id, const sip::Message& request, base::TimePoint now);
    void on_register(txn::TransactionId id, const sip::Message& request, base::TimePoint now);
    // nullopt: authorized; otherwise the 401 to send.
    std::optional<sip::Message> check_auth(const sip::Message& request, base::TimePoint now);
    std::string new_nonce(base::TimePoint now);
    void respond(txn::TransactionId id, const sip::Message& request, int status, std::string_view reason,
                 const std::vector<std::pair<sip::HeaderId, std::string>>& extra, base::TimePoint now);
    bool proxy_request(sip::Message request, const ua::Address& from, base::TimePoint now);
    void proxy_response(sip::Message response);
    bool is_self(const sip::Uri& uri) const;
    void send(const sip::Message& m, const ua::Address& to);
    void purge(base::TimePoint now);
    void drain(base::TimePoint now);

    ua::Address self_;
    RegistrarConfig config_;
    const sip::DigestHash& hash_;
    base::Random& random_;
    txn::TransactionLayer txn_;
    AddressBook book_;
    std::map<std::string, std::vector<Binding>> bindings_;  // "user@host" → bindings
    std::map<std::string, base::TimePoint> nonces_;          // issued nonce → when
    std::set<std::string> our_tags_;  // To tags of the responses we generated
    std::deque<ua::Datagram> stateless_out_;
    std::vector<ReceivedRequest> registers_;
    std::size_t challenges_ = 0;
    std::size_t forwarded_ = 0;
};

}  // namespace dialtone::scenario
