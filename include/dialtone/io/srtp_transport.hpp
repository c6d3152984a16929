#pragma once
// SRTP for an oRTP session (RFC 3711; AES-GCM per RFC 7714): a transport modifier on the
// session's RTP meta transport and one on its RTCP meta transport, calling media::SrtpSession
// to protect what leaves and unprotect what arrives. A packet that fails authentication (or
// replays) is dropped and counted, never handed to the jitter buffer.
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "dialtone/base/result.hpp"
#include "dialtone/media/srtp_session.hpp"

struct _RtpSession;
struct _RtpTransportModifier;
struct msgb;

namespace dialtone::io {

class SrtpTransport {
public:
    // `local_key_salt` protects what we send, `remote_key_salt` unprotects what we receive
    // (RFC 4568 §6.1: each side sends with the key it offered).
    static base::Result<std::unique_ptr<SrtpTransport>> create(media::SrtpProfile profile,
                                                               std::span<const std::uint8_t> local_key_salt,
                                                               std::span<const std::uint8_t> remote_key_salt);
    ~SrtpTransport();
    SrtpTransport(const SrtpTransport&) = delete;
    SrtpTransport& operator=(const SrtpTransport&) = delete;

    // Appends the two modifiers to the session's meta transports. oRTP frees the modifiers when
    // the session is destroyed; this object must outlive the session's last send or receive.
    void attach(_RtpSession* session);
    // After a re-INVITE: the modifiers stay, and only a direction whose suite or key changed gets
    // new contexts. A re-offer may keep its keys (RFC 4568 §6.1); a fresh context then would
    // restart the rollover counter and the SRTCP index under the same key (RFC 3711 §9.1).
    base::Status rekey(media::SrtpProfile profile, std::span<const std::uint8_t> local_key_salt,
                       std::span<const std::uint8_t> remote_key_salt);

    std::uint64_t auth_failures() const { return auth_failures_; }
    std::uint64_t protect_failures() const { return protect_failures_; }
    media::SrtpProfile profile() const { return outbound_rtp_->profile(); }

private:
    struct Contexts;
    SrtpTransport() = default;
    static int on_send(_RtpTransportModifier* t, struct msgb* msg);
    static int on_receive(_RtpTransportModifier* t, struct msgb* msg);
    static void on_destroy(_RtpTransportModifier* t);

    // RTP and RTCP keep separate contexts so each keeps its own replay list and index.
    std::unique_ptr<media::SrtpSession> outbound_rtp_, inbound_rtp_, outbound_rtcp_, inbound_rtcp_;
    std::vector<std::uint8_t> local_key_salt_, remote_key_salt_;  // what the contexts were made with
    _RtpTransportModifier* rtp_modifier_ = nullptr;
    _RtpTransportModifier* rtcp_modifier_ = nullptr;
    std::uint64_t auth_failures_ = 0;
    std::uint64_t protect_failures_ = 0;
};

}  // namespace dialtone::io
