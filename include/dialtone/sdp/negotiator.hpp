#pragma once
// The RFC 3264 offer/answer model as an explicit state machine, one per dialog.
//
//   Idle ──create_offer──▶ OfferSent ──receive_answer──▶ Stable
//   Idle ──receive_offer─▶ OfferReceived ──create_answer─▶ Stable
//   Stable ──create_offer / receive_offer──▶ … (re-offers, hold and resume)
//   OfferSent / OfferReceived ──rollback──▶ the state before the offer
//
// The core has no random source: the session id and the SRTP master keys come from the caller.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>
#include <utility>

#include "dialtone/base/result.hpp"
#include "dialtone/sdp/codec.hpp"
#include "dialtone/sdp/crypto.hpp"
#include "dialtone/sdp/direction.hpp"
#include "dialtone/sdp/negotiated_media.hpp"
#include "dialtone/sdp/session.hpp"

namespace dialtone::sdp {

enum class SrtpMode {
    Off,        // RTP/AVP, no crypto lines; RTP/SAVP offers are declined
    Optional,   // offer RTP/AVP with crypto lines; accept RTP/AVP with or without, and RTP/SAVP
    Mandatory,  // offer RTP/SAVP; accept only streams with a usable crypto line
};

struct LocalKey {
    SrtpSuite suite = SrtpSuite::AesCm128HmacSha1_80;
    std::string key_salt;  // raw bytes, key_salt_length(suite) of them
};

// A payload type number bound to an encoding within one stream of a session. RFC 3264 §8.3.2:
// a number is not rebound to another codec for the life of the session.
struct PayloadBinding {
    std::string encoding;  // lower case
    std::uint32_t clock_rate = 0;
    std::uint32_t channels = 1;
    unsigned payload_type = 0;
};

struct NegotiatorConfig {
    std::string address;                      // our media address, IPv4 or IPv6 literal
    std::vector<std::uint16_t> rtp_ports;     // one audio stream per port
    std::vector<Codec> codecs{Codec::opus(), Codec::pcmu(), Codec::pcma()};  // preference order
    bool telephone_event = true;              // RFC 4733, events 0-16
    SrtpMode srtp = SrtpMode::Off;
    std::vector<LocalKey> keys;               // preference order; one a=crypto each in offers
    Direction direction = Direction::SendRecv;
    std::uint32_t ptime = 20;
    bool rtcp_mux = false;                    // offer and accept RFC 5761 multiplexing
    std::string username = "dialtone";        // o= username
    std::string session_id = "0";             // o= sess-id, digits; the caller picks it
    std::uint64_t session_version = 0;        // o= version of the first description we send
    std::string session_name = "dialtone";    // s=
    std::string warning_agent = "dialtone";   // warn-agent of Warning texts (RFC 3261 §20.43)
};

class Negotiator {
public:
    enum class State { Idle, OfferSent, OfferReceived, Stable };

    // Fails when the configuration cannot describe a stream: no port, no codec, a bad address,
    // a key of the wrong length, or SRTP without keys.
    static base::Result<Negotiator> create(NegotiatorConfig config);

    State state() const { return state_; }
    const NegotiatorConfig& config() const { return config_; }

    // Idle or Stable → OfferSent. A re-offer keeps the m= lines of the session in order
    // (RFC 3264 §8) and bumps the o= version only when the description changed (§8).
    base::Result<SessionDescription> create_offer();

    // OfferSent → Stable. The answer must have as many m= lines as the offer, and each accepted
    // stream a codec and crypto tag from the offer (RFC 3264 §6, RFC 4568 §7.1.2). On failure
    // (status 488) the offer is withdrawn as by rollback().
    base::Status receive_answer(const SessionDescription& answer);

    // Idle or Stable → OfferReceived. On failure the state is unchanged and the error carries
    // status 488 with a Warning header value as its message, e.g.
    // `304 dialtone "no common codec"`; an offer while ours is pending is glare (491).
    base::Status receive_offer(const SessionDescription& offer);

    // OfferReceived → Stable: the answer to the offer just received. Each accepted stream
    // carries the one chosen codec (plus telephone-event), so the peer sends what we decode.
    base::Result<SessionDescription> create_answer();

    // OfferSent or OfferReceived → the state before the offer; the media stay as they were.
    void rollback();

    // Takes effect with the next offer made or offer received: sendonly holds, sendrecv resumes.
    void set_direction(Direction d) { config_.direction = d; }

    // The streams of the last completed exchange, accepted ones only.
    const std::vector<NegotiatedMedia>& media() const { return media_; }
    const std::optional<SessionDescription>& local_description() const { return local_; }
    const std::optional<SessionDescription>& remote_description() const { return remote_; }

private:
    explicit Negotiator(NegotiatorConfig config) : config_(std::move(config)) {}

    struct Stream {  // an m= line of the session
        std::optional<std::size_t> port_index;  // which configured port, if it is ours
        std::vector<PayloadBinding> bindings;
    };

    SessionDescription finish_description(SessionDescription d);
    void commit(const SessionDescription& remote);

    NegotiatorConfig config_;
    State state_ = State::Idle;
    State before_offer_ = State::Idle;

    std::vector<Stream> streams_;             // agreed m= lines (empty while Idle)
    std::vector<Stream> pending_streams_;     // streams of the offer in flight
    std::optional<SessionDescription> local_;       // our side of the last completed exchange
    std::optional<SessionDescription> remote_;
    std::optional<SessionDescription> last_sent_;   // decides the o= version (RFC 3264 §8)
    std::optional<SessionDescription> pending_local_;   // offer sent, or answer prepared
    std::optional<SessionDescription> pending_remote_;  // offer received
    std::vector<NegotiatedMedia> media_;
    std::vector<NegotiatedMedia> pending_media_;
};

std::string_view to_string(Negotiator::State s);

}  // namespace dialtone::sdp
