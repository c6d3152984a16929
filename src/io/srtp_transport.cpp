#include "dialtone/io/srtp_transport.hpp"

#include <ortp/ortp.h>

namespace dialtone::io {

base::Result<std::unique_ptr<SrtpTransport>> SrtpTransport::create(media::SrtpProfile profile,
                                                                   std::span<const std::uint8_t> local_key_salt,
                                                                   std::span<const std::uint8_t> remote_key_salt) {
    std::unique_ptr<SrtpTransport> t(new SrtpTransport());
    if (auto st = t->rekey(profile, local_key_salt, remote_key_salt); !st) return st.error();
    return t;
}

SrtpTransport::~SrtpTransport() {
    // The modifiers may outlive us only if the session does; detach them so a stray call drops.
    if (rtp_modifier_) rtp_modifier_->data = nullptr;
    if (rtcp_modifier_) rtcp_modifier_->data = nullptr;
}

base::Status SrtpTransport::rekey(media::SrtpProfile profile, std::span<const std::uint8_t> local_key_salt,
                                  std::span<const std::uint8_t> remote_key_salt) {
    using D = media::SrtpSession::Direction;
    auto make = [&](std::span<const std::uint8_t> key, D d) -> base::Result<std::unique_ptr<media::SrtpSession>> {
        auto s = media::SrtpSession::create(profile, key, d);
        if (!s) return s.error();
        return std::make_unique<media::SrtpSession>(std::move(s).value());
    };
    auto out_rtp = make(local_key_salt, D::Outbound);
    if (!out_rtp) return base::make_error("SRTP local key: " + out_rtp.error().message);
    auto out_rtcp = make(local_key_salt, D::Outbound);
    if (!out_rtcp) return base::make_error("SRTP local key: " + out_rtcp.error().message);
    auto in_rtp = make(remote_key_salt, D::Inbound);
    if (!in_rtp) return base::make_error("SRTP remote key: " + in_rtp.error().message);
    auto in_rtcp = make(remote_key_salt, D::Inbound);
    if (!in_rtcp) return base::make_error("SRTP remote key: " + in_rtcp.error().message);
    outbound_rtp_ = std::move(out_rtp).value();
    outbound_rtcp_ = std::move(out_rtcp).value();
    inbound_rtp_ = std::move(in_rtp).value();
    inbound_rtcp_ = std::move(in_rtcp).value();
    return {};
}

void SrtpTransport::attach(_RtpSession* session) {
    RtpTransport* rtp = nullptr;
    RtpTransport* rtcp = nullptr;
    rtp_session_get_transports(session, &rtp, &rtcp);
    auto make = [this](RtpTransport* meta) {
        auto* m = new RtpTransportModifier{};
        m->data = this;
        m->t_process_on_send = &SrtpTransport::on_send;
        m->t_process_on_receive = &SrtpTransport::on_receive;
        m->t_process_on_schedule = nullptr;
        m->t_destroy = &SrtpTransport::on_destroy;
        meta_rtp_transport_append_modifier(meta, m);
        return m;
    };
    rtp_modifier_ = make(rtp);
    rtcp_modifier_ = make(rtcp);
}

// Returns the protected length; 0 tells oRTP not to send (nothing leaves in clear).
int SrtpTransport::on_send(_RtpTransportModifier* t, msgb* msg) {
    auto* self = static_cast<SrtpTransport*>(t->data);
    if (!self) return 0;
    const std::size_t length = msgdsize(msg);
    const std::size_t room = length + media::kSrtpMaxOverhead;
    if (msg->b_cont || static_cast<std::size_t>(dblk_lim(msg->b_datap) - msg->b_rptr) < room) {
        msgpullup(msg, room);  // one contiguous buffer with room for the tag
    }
    const bool is_rtp = t == self->rtp_modifier_;
    std::span<std::uint8_t> buffer(msg->b_rptr, room);
    auto r = is_rtp ? self->outbound_rtp_->protect_rtp(buffer, length) : self->outbound_rtcp_->protect_rtcp(buffer, length);
    if (!r) {
        ++self->protect_failures_;
        return 0;
    }
    return static_cast<int>(*r);
}

// Returns the unprotected length, or 0 to drop: RFC 3711 §3.3 step 5, a packet that fails the
// authentication (or the replay check) is discarded.
int SrtpTransport::on_receive(_RtpTransportModifier* t, msgb* msg) {
    auto* self = static_cast<SrtpTransport*>(t->data);
    if (!self) return 0;
    const auto length = static_cast<std::size_t>(msg->b_wptr - msg->b_rptr);
    const bool is_rtp = t == self->rtp_modifier_;
    std::span<std::uint8_t> buffer(msg->b_rptr, length);
    auto r = is_rtp ? self->inbound_rtp_->unprotect_rtp(buffer, length) : self->inbound_rtcp_->unprotect_rtcp(buffer, length);
    if (!r) {
        ++self->auth_failures_;
        return 0;
    }
    return static_cast<int>(*r);
}

void SrtpTransport::on_destroy(_RtpTransportModifier* t) {
    auto* self = static_cast<SrtpTransport*>(t->data);
    if (self) {
        if (self->rtp_modifier_ == t) self->rtp_modifier_ = nullptr;
        if (self->rtcp_modifier_ == t) self->rtcp_modifier_ = nullptr;
    }
    delete t;
}

}  // namespace dialtone::io
