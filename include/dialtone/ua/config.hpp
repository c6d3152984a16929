#pragma once
// How a UserAgent is set up (UserAgentConfig) and how one outgoing call is placed (CallOptions).
// Everything the core cannot find out by itself — its address, the RTP ports it may use, where
// SRTP keys come from — arrives here as plain values or as an interface the app implements.
#include "dialtone/base/time.hpp"
#include "dialtone/sdp/codec.hpp"
#include "dialtone/sdp/crypto.hpp"
#include "dialtone/sdp/negotiator.hpp"
#include "dialtone/sip/uri.hpp"
#include "dialtone/txn/timer.hpp"
#include "dialtone/ua/datagram.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace dialtone::ua {

// Random bytes for SRTP master keys. The app implements it over a cryptographic RNG (OpenSSL's
// RAND_bytes); the core only asks.
class KeySource {
public:
    virtual ~KeySource() = default;
    virtual std::string random_bytes(std::size_t n) = 0;
};

// The RTP ports the app has set aside: even numbers from `first` to `last` (RTCP takes the odd
// one above, RFC 3550 §11). The UA hands them out to calls and takes them back at hang-up.
struct RtpPortRange {
    std::uint16_t first = 16384;
    std::uint16_t last = 32766;
};

// The account the UA speaks for and, when `registrar` is set, registers.
struct Account {
    sip::Uri aor;                       // From of our requests, To of our registrations
    std::optional<std::string> display_name;
    std::string username;               // Digest user; empty: the AOR's user part
    std::string password;
    std::string realm = "*";            // the realm the password is for; "*": any (§22.1)
    std::optional<sip::Uri> registrar;  // e.g. sip:biloxi.com; none: no registration
    std::uint32_t register_expires = 3600;
};

struct UserAgentConfig {
    Account account;
    // Where our SIP socket is: the Via sent-by and the Contact host and port.
    Address local{"127.0.0.1", 5060};
    Transport transport = Transport::Udp;
    // Every out-of-dialog request goes here (a loose Route, §8.1.2) when set.
    std::optional<sip::Uri> outbound_proxy;
    std::string user_agent = "dialtone";

    // Media: the negotiator's template (address, codecs, SRTP mode, …); rtp_ports in it are
    // ignored, each call takes one port from `rtp_ports` below.
    sdp::NegotiatorConfig media;
    RtpPortRange rtp_ports;
    // Offered in this order, one a=crypto line each with its own key; an offer is answered with
    // any of them. AES_CM_128_HMAC_SHA1_80 first: the suite every SDES peer has (RFC 4568 §6.2.1).
    std::vector<sdp::SrtpSuite> srtp_suites{sdp::SrtpSuite::AesCm128HmacSha1_80, sdp::SrtpSuite::AesCm128HmacSha1_32,
                                            sdp::SrtpSuite::AeadAes128Gcm, sdp::SrtpSuite::AeadAes256Gcm};

    // Incoming calls.
    std::size_t max_calls = 64;    // more ringing or active calls earn 486 (§21.4.24)
    bool auto_ring = true;         // send 180 as soon as an INVITE is accepted
    // Outgoing calls end 408 when nobody answers within this (RFC 3665 §3.8), with a CANCEL
    // then or at the first provisional (§9.1). Zero: never.
    base::Duration ring_timeout = base::seconds(60);
    int max_redirects = 5;         // 3xx followed at most this many times (§8.1.3.4)

    // RFC 4028 session timers: the interval we ask for (0: we do not ask) and the smallest we
    // accept (Min-SE, never below 90 s, §5).
    std::uint32_t session_expires = 1800;
    std::uint32_t min_se = 90;
    // RFC 3262: offer 100rel (Supported) and send reliable provisionals when the peer asks.
    bool reliable_provisionals = true;
    // Hold and resume by UPDATE (RFC 3311) instead of re-INVITE, when the peer allows UPDATE.
    bool hold_by_update = false;
    // Digits sent by INFO last this long (application/dtmf-relay Duration, ms).
    std::uint32_t dtmf_duration_ms = 160;
    // T1, T2, T4 for the transactions and for the 2xx retransmissions of §13.3.1.4.
    txn::TimerConfig timers;
};

struct CallOptions {
    // Offer in the INVITE (true) or ask for the offer in the 2xx and answer in the ACK (§13.2.1).
    bool offer_in_invite = true;
    // Overrides UserAgentConfig::ring_timeout when set.
    std::optional<base::Duration> ring_timeout;
    // Ask for reliable provisionals (Require: 100rel instead of Supported, RFC 3262 §4).
    bool require_100rel = false;
    // Insist on session timers (Require: timer, RFC 4028 §7.1): a peer without them answers 420.
    bool require_timer = false;
    // Extra headers for the INVITE, e.g. Subject or Alert-Info.
    std::vector<std::pair<std::string, std::string>> headers;
};

}  // namespace dialtone::ua
