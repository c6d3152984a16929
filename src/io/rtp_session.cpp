#include "dialtone/io/rtp_session.hpp"

#include <ortp/ortp.h>
#include <bctoolbox/logging.h>

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <mutex>
#include <random>
#include <string>

#include "dialtone/io/pcap_writer.hpp"
#include "dialtone/io/srtp_transport.hpp"

// Exported by oRTP 5.1 (and used by rtp_session_recvm_with_ts) but missing from its headers:
// reads the RTP socket into the session's queue until it is empty or a modifier drops a packet.
extern "C" int rtp_session_rtp_recv(RtpSession* session, uint32_t user_ts);

namespace dialtone::io {
namespace {

// oRTP logs from whichever thread calls it; the logger is set before sessions run.
Logger& ortp_logger() {
    static Logger logger;
    return logger;
}

void log_line(const char* domain, BctbxLogLevel level, const char* fmt, va_list args) {
    char text[512];
    std::vsnprintf(text, sizeof text, fmt, args);
    LogLevel l = LogLevel::Debug;
    if (level & BCTBX_LOG_ERROR || level & BCTBX_LOG_FATAL) l = LogLevel::Error;
    else if (level & BCTBX_LOG_WARNING) l = LogLevel::Warning;
    else if (level & BCTBX_LOG_MESSAGE) l = LogLevel::Info;
    std::string line = "ortp";
    if (domain && *domain) (line += '/') += domain;
    line += ": ";
    line += text;
    ortp_logger().log(l, line);
}

std::uint32_t random_u32() {
    static thread_local std::mt19937 gen{std::random_device{}()};
    return static_cast<std::uint32_t>(gen());
}

// One of our payload types, owned by a profile (rtp_profile_destroy frees PAYLOAD_TYPE_ALLOCATED ones).
PayloadType* make_payload(const char* mime, int clock_rate, int channels) {
    PayloadType* pt = payload_type_new();
    pt->type = PAYLOAD_AUDIO_PACKETIZED;
    pt->clock_rate = clock_rate;
    pt->channels = channels;
    pt->mime_type = bctbx_strdup(mime);
    return pt;
}

// --pcap: the endpoint of a meta transport, below every modifier (SRTP included), so what it
// sees is what the socket sends and receives. It runs on the media thread; the writer only
// copies the packet into its buffer.
struct CaptureEndpoint {
    std::shared_ptr<PcapWriter> writer;
    bool is_rtp = true;
    RtpTransport* next = nullptr;   // an endpoint set before ours, else the session's socket
    std::vector<std::uint8_t> gather;  // a chained outgoing packet, made contiguous

    static const sockaddr* local(_RtpSession* s, bool rtp) {
        return reinterpret_cast<const sockaddr*>(rtp || s->rtcp_mux ? &s->rtp.gs.loc_addr : &s->rtcp.gs.loc_addr);
    }

    static ortp_socket_t getsocket(RtpTransport* t) {
        auto* self = static_cast<CaptureEndpoint*>(t->data);
        if (self->next) return self->next->t_getsocket(self->next);
        return self->is_rtp ? t->session->rtp.gs.socket : t->session->rtcp.gs.socket;
    }

    static int sendto(RtpTransport* t, mblk_t* msg, int flags, const sockaddr* to, socklen_t tolen) {
        auto* self = static_cast<CaptureEndpoint*>(t->data);
        const int n = self->next ? self->next->t_sendto(self->next, msg, flags, to, tolen)
                                 : rtp_session_sendto(t->session, self->is_rtp, msg, flags, to, tolen);
        if (n <= 0) return n;
        auto from = PcapEndpoint::from(local(t->session, self->is_rtp));
        auto dest = PcapEndpoint::from(to);
        if (!from || !dest) return n;
        if (!msg->b_cont) {
            self->writer->udp(*from, *dest, {msg->b_rptr, static_cast<std::size_t>(msg->b_wptr - msg->b_rptr)});
            return n;
        }
        self->gather.clear();
        for (const mblk_t* m = msg; m; m = m->b_cont) self->gather.insert(self->gather.end(), m->b_rptr, m->b_wptr);
        self->writer->udp(*from, *dest, self->gather);
        return n;
    }

    // oRTP receives into b_wptr and moves it only after the endpoint returns.
    static int recvfrom(RtpTransport* t, mblk_t* msg, int flags, sockaddr* from, socklen_t* fromlen) {
        auto* self = static_cast<CaptureEndpoint*>(t->data);
        const int n = self->next ? self->next->t_recvfrom(self->next, msg, flags, from, fromlen)
                                 : rtp_session_recvfrom(t->session, self->is_rtp, msg, flags, from, fromlen);
        if (n <= 0) return n;
        auto source = PcapEndpoint::from(from);
        auto to = PcapEndpoint::from(local(t->session, self->is_rtp));
        if (source && to) self->writer->udp(*source, *to, {msg->b_wptr, static_cast<std::size_t>(n)});
        return n;
    }

    static void close(RtpTransport* t) {
        auto* self = static_cast<CaptureEndpoint*>(t->data);
        if (self->next) self->next->t_close(self->next);
    }

    static void destroy(RtpTransport* t) {
        auto* self = static_cast<CaptureEndpoint*>(t->data);
        if (self->next) self->next->t_destroy(self->next);
        delete self;
        delete t;
    }

    static void attach(RtpTransport* meta, bool is_rtp, std::shared_ptr<PcapWriter> writer) {
        auto* self = new CaptureEndpoint{std::move(writer), is_rtp, meta_rtp_transport_get_endpoint(meta), {}};
        auto* t = new RtpTransport{};
        t->data = self;
        t->session = meta->session;
        t->t_getsocket = &getsocket;
        t->t_sendto = &sendto;
        t->t_recvfrom = &recvfrom;
        t->t_close = &close;
        t->t_destroy = &destroy;
        meta_rtp_transport_set_endpoint(meta, t);
    }
};

}  // namespace

static void start_ortp() {
    static std::once_flag once;
    std::call_once(once, [] {
        ortp_init();
        ortp_set_log_handler(&log_line);
        bctbx_set_log_handler(&log_line);
        bctbx_set_log_level(nullptr, BCTBX_LOG_WARNING);
    });
}

void init_ortp(const Logger& logger) {
    ortp_logger() = logger;
    start_ortp();
}

base::Result<std::unique_ptr<RtpSession>> RtpSession::create(const RtpSessionConfig& config) {
    start_ortp();
    std::unique_ptr<RtpSession> s(new RtpSession());
    s->config_ = config;
    // SENDRECV always: a RECVONLY session without SDES crashed in RTCP code; direction is ours to apply.
    s->session_ = rtp_session_new(RTP_SESSION_SENDRECV);
    if (!s->session_) return base::make_error("cannot create an RTP session");
    rtp_session_set_data(s->session_, s.get());
    rtp_session_set_scheduling_mode(s->session_, FALSE);
    rtp_session_set_blocking_mode(s->session_, FALSE);
    rtp_session_set_symmetric_rtp(s->session_, TRUE);  // answer to where the peer's packets come from
    // oRTP sets SO_REUSEADDR by default, and on Linux two UDP sockets that both set it share a
    // port, the newer one taking every datagram: another process's call on our port would
    // silently take our audio. Without it a busy port fails to bind, and says so.
    rtp_session_set_reuseaddr(s->session_, FALSE);
    rtp_session_set_ssrc_changed_threshold(s->session_, config.ssrc_change_packets);
    rtp_session_set_rtcp_report_interval(s->session_, config.rtcp_interval_ms);
    rtp_session_set_ssrc(s->session_, random_u32());
    rtp_session_set_seq_number(s->session_, static_cast<std::uint16_t>(random_u32()));  // RFC 3550 §5.1
    s->ts_offset_ = random_u32();
    rtp_session_set_source_description(s->session_, config.cname.c_str(), nullptr, nullptr, nullptr, nullptr,
                                       "dialtone", nullptr);
    rtp_session_signal_connect(s->session_, "telephone-event_packet", &RtpSession::on_event_packet, nullptr);
    rtp_session_signal_connect(s->session_, "ssrc_changed", &RtpSession::on_resync, nullptr);
    rtp_session_signal_connect(s->session_, "timestamp_jump", &RtpSession::on_resync, nullptr);
    if (config.capture) {
        RtpTransport* rtp = nullptr;
        RtpTransport* rtcp = nullptr;
        rtp_session_get_transports(s->session_, &rtp, &rtcp);
        if (rtp) CaptureEndpoint::attach(rtp, true, config.capture);
        if (rtcp) CaptureEndpoint::attach(rtcp, false, config.capture);
    }

    if (config.local_port != 0) {
        if (rtp_session_set_local_addr(s->session_, config.local_address.c_str(), config.local_port,
                                       config.local_port + 1) != 0) {
            return base::make_error("cannot bind RTP to " + config.local_address + ":" +
                                    std::to_string(config.local_port) + " and RTCP to the next port");
        }
        return s;
    }
    // An even port with RTCP on the next one (RFC 3550 §11), so the SDP needs no a=rtcp.
    const int lo = std::max(1024, config.port_min) & ~1;
    const int span = std::max(2, config.port_max - lo) / 2;
    for (int attempt = 0; attempt < 64; ++attempt) {
        const int port = lo + 2 * static_cast<int>(random_u32() % static_cast<std::uint32_t>(span));
        if (rtp_session_set_local_addr(s->session_, config.local_address.c_str(), port, port + 1) == 0) return s;
    }
    return base::make_error("no free RTP port pair on " + config.local_address + " between " +
                            std::to_string(config.port_min) + " and " + std::to_string(config.port_max));
}

RtpSession::~RtpSession() {
    if (session_) rtp_session_destroy(session_);  // frees the SRTP modifiers too
    if (send_profile_) rtp_profile_destroy(send_profile_);
    if (receive_profile_) rtp_profile_destroy(receive_profile_);
}

std::uint16_t RtpSession::local_port() const {
    return static_cast<std::uint16_t>(rtp_session_get_local_port(session_));
}
std::uint16_t RtpSession::local_rtcp_port() const {
    return static_cast<std::uint16_t>(rtp_session_get_local_rtcp_port(session_));
}
std::uint32_t RtpSession::send_ssrc() const { return rtp_session_get_send_ssrc(session_); }

base::Status RtpSession::set_payloads(const RtpPayloads& p) {
    if (p.send_pt > 127 || p.receive_pt > 127 || (p.event_send_pt && *p.event_send_pt > 127) ||
        (p.event_receive_pt && *p.event_receive_pt > 127)) {
        return base::make_error("RTP payload type out of range 0-127");
    }
    if (p.clock_rate == 0) return base::make_error("RTP clock rate 0 for " + p.encoding);
    RtpProfile* send = rtp_profile_new("dialtone-send");
    RtpProfile* recv = rtp_profile_new("dialtone-recv");
    const int clock = static_cast<int>(p.clock_rate);
    const int channels = static_cast<int>(p.channels);
    const int event_clock = p.event_clock_rate ? static_cast<int>(p.event_clock_rate) : clock;
    rtp_profile_set_payload(send, static_cast<int>(p.send_pt), make_payload(p.encoding.c_str(), clock, channels));
    rtp_profile_set_payload(recv, static_cast<int>(p.receive_pt), make_payload(p.encoding.c_str(), clock, channels));
    // telephone-event at its negotiated clock: a 48 kHz clone for opus (RFC 4733 §2.1).
    if (p.event_send_pt && *p.event_send_pt != p.send_pt) {
        rtp_profile_set_payload(send, static_cast<int>(*p.event_send_pt), make_payload("telephone-event", event_clock, 1));
    }
    if (p.event_receive_pt && *p.event_receive_pt != p.receive_pt) {
        rtp_profile_set_payload(recv, static_cast<int>(*p.event_receive_pt), make_payload("telephone-event", event_clock, 1));
        // oRTP spots incoming events by looking in the *send* profile.
        if (*p.event_receive_pt != p.send_pt && (!p.event_send_pt || *p.event_send_pt != *p.event_receive_pt)) {
            rtp_profile_set_payload(send, static_cast<int>(*p.event_receive_pt),
                                    make_payload("telephone-event", event_clock, 1));
        }
    }
    rtp_session_set_send_profile(session_, send);
    rtp_session_set_recv_profile(session_, recv);
    if (send_profile_) rtp_profile_destroy(send_profile_);
    if (receive_profile_) rtp_profile_destroy(receive_profile_);
    send_profile_ = send;
    receive_profile_ = recv;

    // The jitter buffer before the payload type, or oRTP ignores it.
    JBParameters jb{};
    jb.min_size = config_.jitter_min_ms;
    jb.nom_size = config_.jitter_nominal_ms;
    jb.max_size = config_.jitter_max_ms;
    jb.adaptive = TRUE;
    jb.enabled = config_.jitter_buffer ? TRUE : FALSE;
    jb.max_packets = 100;
    jb.buffer_algorithm = OrtpJitterBufferRecursiveLeastSquare;
    jb.refresh_ms = 5000;
    jb.ramp_threshold = 70;
    jb.ramp_step_ms = 20;
    jb.ramp_refresh_ms = 5000;
    rtp_session_set_jitter_buffer_params(session_, &jb);
    rtp_session_set_send_payload_type(session_, static_cast<int>(p.send_pt));
    rtp_session_set_recv_payload_type(session_, static_cast<int>(p.receive_pt));
    payloads_ = p;
    return {};
}

base::Status RtpSession::set_remote(const RtpRemote& r) {
    if (r.address.empty() || r.port == 0) return base::make_error("RTP remote address or port missing");
    rtp_session_enable_rtcp_mux(session_, r.rtcp_mux ? TRUE : FALSE);
    const std::string& rtcp_addr = r.rtcp_address.empty() ? r.address : r.rtcp_address;
    const int rtcp_port = r.rtcp_mux ? r.port : (r.rtcp_port ? r.rtcp_port : r.port + 1);
    if (rtp_session_set_remote_addr_full(session_, r.address.c_str(), r.port, rtcp_addr.c_str(), rtcp_port) != 0) {
        return base::make_error("cannot use RTP remote " + r.address + ":" + std::to_string(r.port));
    }
    return {};
}

base::Status RtpSession::set_srtp(media::SrtpProfile profile, std::span<const std::uint8_t> local_key_salt,
                                  std::span<const std::uint8_t> remote_key_salt) {
    if (srtp_) return srtp_->rekey(profile, local_key_salt, remote_key_salt);
    auto t = SrtpTransport::create(profile, local_key_salt, remote_key_salt);
    if (!t) return t.error();
    srtp_ = std::move(t).value();
    srtp_->attach(session_);
    return {};
}

base::Status RtpSession::send_audio(std::span<const std::uint8_t> payload, std::uint32_t timestamp, bool marker) {
    if (!payloads_) return base::make_error("RTP payload types not set");
    mblk_t* m = rtp_session_create_packet(session_, RTP_FIXED_HEADER_SIZE, payload.data(), payload.size());
    rtp_set_markbit(m, marker ? 1 : 0);
    if (rtp_session_sendm_with_ts(session_, m, timestamp + ts_offset_) < 0) {
        return base::make_error("RTP send failed");
    }
    return {};
}

base::Status RtpSession::send_event(const media::EventPacket& packet) {
    if (!payloads_ || !payloads_->event_send_pt) return base::make_error("telephone-event was not negotiated");
    const auto bytes = media::encode_telephone_event(packet.payload);
    mblk_t* m = rtp_session_create_packet(session_, RTP_FIXED_HEADER_SIZE, bytes.data(), bytes.size());
    rtp_set_payload_type(m, *payloads_->event_send_pt);
    rtp_set_markbit(m, packet.marker ? 1 : 0);
    if (rtp_session_sendm_with_ts(session_, m, packet.timestamp + ts_offset_) < 0) {
        return base::make_error("RTP send failed");
    }
    return {};
}

namespace {
void copy_packet(mblk_t* m, ReceivedPacket& out) {
    unsigned char* payload = nullptr;
    const int n = rtp_get_payload(m, &payload);
    out.payload_type = rtp_get_payload_type(m);
    out.timestamp = rtp_get_timestamp(m);
    out.sequence = rtp_get_seqnumber(m);
    out.ssrc = rtp_get_ssrc(m);
    out.marker = rtp_get_markbit(m) != 0;
    out.payload.assign(payload, payload + (n > 0 ? n : 0));
}

ReceivedPacket& next_slot(std::vector<ReceivedPacket>& v, std::size_t& count) {
    if (count == v.size()) v.emplace_back();
    return v[count++];
}
}  // namespace

void RtpSession::on_event_packet(_RtpSession* s, void* mblk, void*, void*) {
    auto* self = static_cast<RtpSession*>(rtp_session_get_data(s));
    if (!self || !self->sink_) return;
    ReceivedPacket& p = next_slot(*self->sink_, self->sink_count_);
    copy_packet(static_cast<mblk_t*>(mblk), p);
    p.kind = ReceivedPacket::Kind::Event;
}

void RtpSession::on_resync(_RtpSession* s, void*, void*, void*) {
    auto* self = static_cast<RtpSession*>(rtp_session_get_data(s));
    if (self) self->resync_pending_ = true;
}

ReceiveResult RtpSession::receive(std::uint32_t timestamp, std::vector<ReceivedPacket>& packets) {
    ReceiveResult result;
    sink_ = &packets;
    sink_count_ = 0;
    std::uint64_t dropped = srtp_ ? srtp_->auth_failures() : 0;
    take_due_packets(timestamp, packets);
    // oRTP stops reading the socket at a packet the SRTP modifier drops (a length of 0 looks to
    // it like an empty socket), so the packets queued behind a forged or replayed one would wait
    // a whole tick. Read on until a read ends without a drop: the socket is drained.
    for (int guard = 0; srtp_ && srtp_->auth_failures() != dropped && guard < 64; ++guard) {
        dropped = srtp_->auth_failures();
        rtp_session_rtp_recv(session_, timestamp);
        take_due_packets(timestamp, packets);
    }
    sink_ = nullptr;
    result.count = sink_count_;
    if (resync_pending_) {
        resync_pending_ = false;
        rtp_session_resync(session_);
        result.resynced = true;
    }
    return result;
}

void RtpSession::take_due_packets(std::uint32_t timestamp, std::vector<ReceivedPacket>& packets) {
    // oRTP reads the sockets on the first call for a timestamp, then hands out one due packet
    // (and at most one queued event) per call.
    for (int guard = 0; guard < 256; ++guard) {
        mblk_t* m = rtp_session_recvm_with_ts(session_, timestamp);
        if (m) {
            ReceivedPacket& p = next_slot(packets, sink_count_);
            copy_packet(m, p);
            freemsg(m);
            if (payloads_ && p.payload_type == payloads_->receive_pt) p.kind = ReceivedPacket::Kind::Audio;
            else if (p.payload_type == 13) p.kind = ReceivedPacket::Kind::ComfortNoise;  // RFC 3389
            else p.kind = ReceivedPacket::Kind::Other;
        } else if (qempty(&session_->rtp.tev_rq)) {
            break;
        }
    }
}

MediaStats RtpSession::stats() const {
    MediaStats s;
    const rtp_stats_t* st = rtp_session_get_stats(session_);
    s.packets_sent = st->packet_sent;
    s.bytes_sent = st->sent;
    s.packets_received = st->packet_recv;
    s.bytes_received = st->hw_recv;
    s.packets_lost = st->cum_packet_loss;
    s.packets_late = st->outoftime;
    s.rtcp_sent = st->sent_rtcp_packets;
    s.rtcp_received = st->recv_rtcp_packets;
    if (payloads_ && payloads_->clock_rate) {
        s.jitter_ms = session_->rtp.jittctl.inter_jitter * 1000.0 / payloads_->clock_rate;
    }
    const float rtt = rtp_session_get_round_trip_propagation(session_);
    s.round_trip_ms = rtt > 0 ? rtt * 1000.0 : -1;
    if (srtp_) s.srtp_auth_failures = srtp_->auth_failures();
    return s;
}

}  // namespace dialtone::io
