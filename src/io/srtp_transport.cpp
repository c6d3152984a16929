#include "dialtone/io/srtp_transport.hpp"

#include <ortp/ortp.h>

#include <algorithm>
#include <string>
#include <utility>

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
    using Pair = std::pair<std::unique_ptr<media::SrtpSession>, std::unique_ptr<media::SrtpSession>>;
    // RTP and RTCP contexts of one direction, or none when that direction keeps its key.
    auto make = [&](std::span<const std::uint8_t> key, D d, const std::unique_ptr<media::SrtpSession>& current,
                    const std::vector<std::uint8_t>& current_key, const char* which) -> base::Result<Pair> {
        if (current && current->profile() == profile && std::ranges::equal(current_key, key)) return Pair{};
        auto rtp = media::SrtpSession::create(profile, key, d);
        if (!rtp) return base::make_error(std::string("SRTP ") + which + " key: " + rtp.error().message);
        auto rtcp = media::SrtpSession::create(profile, key, d);
        if (!rtcp) return base::make_error(std::string("SRTP ") + which + " key: " + rtcp.error().message);
        return Pair{std::make_unique<media::SrtpSession>(std::move(rtp).value()),
                    std::make_unique<media::SrtpSession>(std::move(rtcp).value())};
    };
    // Both directions are built before either is replaced, so a bad key leaves the old contexts.
    auto out = make(local_key_salt, D::Outbound, outbound_rtp_, local_key_salt_, "local");
    if (!out) return out.error();
    auto in = make(remote_key_salt, D::Inbound, inbound_rtp_, remote_key_salt_, "remote");
    if (!in) return in.error();
    if (out->first) {
        outbound_rtp_ = std::move(out->first);
        outbound_rtcp_ = std::move(out->second);
        local_key_salt_.assign(local_key_salt.begin(), local_key_salt.end());
    }
    if (in->first) {
        inbound_rtp_ = std::move(in->first);
        inbound_rtcp_ = std::move(in->second);
        remote_key_salt_.assign(remote_key_salt.begin(), remote_key_salt.end());
    }
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
