#include "dialtone/io/media_stream.hpp"

#include <algorithm>

#include "dialtone/base/strings.hpp"
#include "dialtone/media/opus_codec.hpp"

namespace dialtone::io {
namespace {
std::string upper(std::string s) {
    for (char& c : s) c = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
    return s;
}
}  // namespace

std::optional<media::SrtpProfile> srtp_profile_for(sdp::SrtpSuite suite) {
    switch (suite) {
    case sdp::SrtpSuite::AesCm128HmacSha1_80: return media::SrtpProfile::AesCm128HmacSha1_80;
    case sdp::SrtpSuite::AesCm128HmacSha1_32: return media::SrtpProfile::AesCm128HmacSha1_32;
    case sdp::SrtpSuite::AeadAes128Gcm: return media::SrtpProfile::AeadAes128Gcm;
    case sdp::SrtpSuite::AeadAes256Gcm: return media::SrtpProfile::AeadAes256Gcm;
    case sdp::SrtpSuite::Unknown: break;
    }
    return std::nullopt;
}

base::Result<std::unique_ptr<MediaStream>> MediaStream::create(const MediaStreamConfig& config) {
    if (config.tick_ms <= 0 || 1000 % config.tick_ms != 0) {
        return base::make_error("media tick must divide a second, got " + std::to_string(config.tick_ms) + " ms");
    }
    std::unique_ptr<MediaStream> s(new MediaStream(config));
    auto rtp = RtpSession::create(config.rtp);
    if (!rtp) return rtp.error();
    s->rtp_ = std::move(rtp).value();
    s->send_ts_ = 0;
    return s;
}

void MediaStream::set_sink(std::unique_ptr<AudioSink> sink) {
    if (sink_) (void)sink_->close();
    sink_ = std::move(sink);
}

base::Status MediaStream::configure(const sdp::NegotiatedMedia& m) {
    const std::string name = base::to_lower(m.codec.name);
    if (name != "pcmu" && name != "pcma" && name != "opus") {
        return base::make_error("codec " + m.codec.name + " is not supported by the media engine", 488);
    }
    // A new codec only when it changes: a re-INVITE for hold keeps the decoder's state.
    const std::string key = name + "/" + std::to_string(m.codec.clock_rate) + "/" + (m.opus_fec ? "fec" : "") + "/" +
                            std::to_string(m.opus_max_average_bitrate.value_or(0));
    if (!codec_ || key != codec_key_) {
        media::CodecOptions options;
        options.complexity = config_.opus_complexity;
        if (name == "opus") {
            options = media::opus::apply_fmtp(options, m.codec.fmtp);
            options.inband_fec = m.opus_fec;
            if (m.opus_fec) options.packet_loss_percent = 10;
        }
        auto codec = media::make_codec(name, options);
        if (!codec) return codec.error();
        codec_ = std::move(codec).value();
        codec_key_ = key;
        reset_playout();
    }
    const int rate = codec_->sample_rate();
    frame_ = static_cast<std::size_t>(rate) * static_cast<std::size_t>(config_.tick_ms) / 1000;
    const std::uint32_t ptime = m.ptime ? m.ptime : 20;
    packet_frames_ = (ptime % static_cast<std::uint32_t>(config_.tick_ms) == 0) ? ptime / static_cast<std::uint32_t>(config_.tick_ms) : 1;
    if (m.max_ptime && packet_frames_ * static_cast<std::size_t>(config_.tick_ms) > *m.max_ptime) packet_frames_ = 1;

    RtpPayloads p;
    p.encoding = name == "opus" ? "opus" : upper(name);
    p.clock_rate = m.codec.clock_rate ? m.codec.clock_rate : static_cast<std::uint32_t>(rate);
    p.channels = m.codec.channels ? m.codec.channels : 1;
    p.send_pt = m.send_payload_type;
    p.receive_pt = m.receive_payload_type;
    p.event_send_pt = m.telephone_event_send_payload_type;
    p.event_receive_pt = m.telephone_event_receive_payload_type;
    p.event_clock_rate = m.telephone_event_clock_rate ? m.telephone_event_clock_rate : p.clock_rate;
    if (auto st = rtp_->set_payloads(p); !st) return st;

    // RFC 4733 events run on the telephone-event payload's clock (the codec's, or 8000 next to
    // Opus): a change of clock rebuilds both ends. Their timestamps stay on the stream's clock.
    const bool clock_changed = p.event_clock_rate != event_clock_rate_;
    event_clock_rate_ = p.event_clock_rate;
    if (p.event_send_pt) {
        media::TelephoneEventSenderConfig ec;
        ec.clock_rate = p.event_clock_rate;
        ec.ptime_ms = static_cast<std::uint32_t>(config_.tick_ms);
        if (!event_tx_ || clock_changed) event_tx_.emplace(ec);
    } else {
        event_tx_.reset();
    }
    if (!event_rx_ || clock_changed) event_rx_.emplace(p.event_clock_rate / 2);  // 0.5 s without a packet ends an event

    if (m.srtp) {
        auto profile = srtp_profile_for(m.srtp->suite);
        if (!profile) return base::make_error("SRTP suite not supported", 488);
        auto bytes = [](const std::string& s) {
            return std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(s.data()), s.size());
        };
        if (auto st = rtp_->set_srtp(*profile, bytes(m.srtp->local.key_salt), bytes(m.srtp->remote.key_salt)); !st) {
            return st;
        }
    } else if (rtp_->secure()) {
        return base::make_error("SRTP cannot be turned off within a call", 488);
    }

    // RFC 3264 §8.4 / RFC 2543 hold (c=0.0.0.0) or a rejected stream (port 0): send nothing.
    remote_set_ = false;
    if (m.remote_port != 0 && !m.remote_hold_address && !m.remote.address.empty()) {
        RtpRemote r;
        r.address = m.remote.address;
        r.port = m.remote_port;
        r.rtcp_address = m.remote_rtcp.address;
        r.rtcp_port = m.remote_rtcp_port;
        r.rtcp_mux = m.rtcp_mux;
        if (auto st = rtp_->set_remote(r); !st) return st;
        remote_set_ = true;
    }
    direction_ = m.remote_port == 0 ? sdp::Direction::Inactive : m.direction;
    configured_ = true;
    return {};
}

base::Status MediaStream::send_digit(char digit, std::uint32_t duration_ms) {
    if (!event_tx_) return base::make_error("the peer did not accept telephone-event (RFC 4733)");
    auto st = event_tx_->send(digit, duration_ms);
    if (st) ++digits_sent_;
    return st;
}

void MediaStream::reset_playout() {
    playout_.clear();
    playing_ = false;
    empty_ticks_ = 0;
    if (event_rx_) event_rx_->reset();
}

void MediaStream::tick() {
    if (!configured_) return;
    source_buf_.assign(frame_, 0);
    far_buf_.assign(frame_, 0);
    receive_tick(far_buf_);
    if (source_) (void)source_->read(source_buf_, codec_->sample_rate());
    if (muted_) std::fill(source_buf_.begin(), source_buf_.end(), std::int16_t{0});
    send_tick(source_buf_);
    if (sink_) sink_->write(far_buf_, source_buf_, codec_->sample_rate());
}

void MediaStream::receive_tick(std::span<std::int16_t> far) {
    // Read the socket every tick, whatever the direction, so nothing queues up in the kernel.
    const ReceiveResult r = rtp_->receive(receive_ts_, packets_);
    receive_ts_ += static_cast<std::uint32_t>(frame_);
    if (r.resynced) reset_playout();
    const bool listening = sdp::receives(direction_);
    for (std::size_t i = 0; i < r.count; ++i) {
        const ReceivedPacket& p = packets_[i];
        switch (p.kind) {
        case ReceivedPacket::Kind::Audio:
            if (listening) decode_packet(p);
            if (config_.echo) echo_packet(p);
            break;
        case ReceivedPacket::Kind::Event:
            if (listening && event_rx_) {
                auto ev = media::parse_telephone_event(p.payload);
                if (ev) event_rx_->on_packet(media::EventPacket{p.timestamp, p.marker, *ev}, event_clock_);
            }
            break;
        case ReceivedPacket::Kind::ComfortNoise:  // RFC 3389 CN: we play silence instead
        case ReceivedPacket::Kind::Other:
            break;
        }
    }
    if (event_rx_) {
        event_rx_->on_tick(event_clock_);
        while (auto d = event_rx_->poll()) {
            ++digits_received_;
            digits_.push_back(*d);
        }
    }
    event_clock_ += event_clock_rate_ * static_cast<std::uint32_t>(config_.tick_ms) / 1000;

    if (playout_.size() < far.size() && playing_ && listening) {
        // Nothing arrived in time: conceal (the late packet, if it comes, is dropped).
        if (empty_ticks_ < config_.max_conceal_frames) {
            const std::size_t missing = far.size() - playout_.size();
            const media::Samples plc = codec_->conceal(missing);
            playout_.insert(playout_.end(), plc.begin(), plc.end());
            next_ts_ += static_cast<std::uint32_t>(plc.size());
            ++frames_concealed_;
        }
        ++empty_ticks_;
    } else {
        empty_ticks_ = 0;
    }
    const std::size_t n = std::min(far.size(), playout_.size());
    std::copy_n(playout_.begin(), n, far.begin());
    playout_.erase(playout_.begin(), playout_.begin() + static_cast<std::ptrdiff_t>(n));
    // Bound the latency the play-out can build up (clock drift, bursts): keep ≤ 4 frames.
    if (playout_.size() > 4 * frame_) playout_.erase(playout_.begin(), playout_.end() - static_cast<std::ptrdiff_t>(2 * frame_));
}

void MediaStream::decode_packet(const ReceivedPacket& p) {
    if (!playing_) {
        playing_ = true;
        next_ts_ = p.timestamp;
    }
    const auto gap = static_cast<std::int32_t>(p.timestamp - next_ts_);
    if (gap < 0) {
        ++late_;  // behind the play-out position: already concealed
        return;
    }
    if (gap > 0) {
        const auto lost = static_cast<std::size_t>(gap);
        if (lost <= static_cast<std::size_t>(config_.max_conceal_frames) * frame_) {
            // Loss: PLC for all but the last lost frame, which in-band FEC may rebuild from this
            // packet (RFC 7587 §3.2; codecs without FEC conceal).
            const std::size_t fec = std::min(lost, frame_);
            if (lost > fec) {
                const media::Samples plc = codec_->conceal(lost - fec);
                playout_.insert(playout_.end(), plc.begin(), plc.end());
            }
            auto rec = codec_->recover(p.payload, fec);
            const media::Samples fill = rec ? std::move(rec).value() : codec_->conceal(fec);
            playout_.insert(playout_.end(), fill.begin(), fill.end());
            frames_concealed_ += (lost + frame_ - 1) / frame_;
        }
        // A longer gap is a pause (or a new timestamp base): restart the play-out there.
        next_ts_ = p.timestamp;
    }
    auto pcm = codec_->decode(p.payload);
    if (!pcm) {
        const media::Samples plc = codec_->conceal(frame_);
        playout_.insert(playout_.end(), plc.begin(), plc.end());
        next_ts_ += static_cast<std::uint32_t>(plc.size());
        ++frames_concealed_;
        return;
    }
    playout_.insert(playout_.end(), pcm->begin(), pcm->end());
    next_ts_ += static_cast<std::uint32_t>(pcm->size());
}

void MediaStream::echo_packet(const ReceivedPacket& p) {
    if (!sdp::sends(direction_) || !remote_set_) return;
    // Our timestamps keep the peer's spacing (so gaps stay gaps) from where our clock stands.
    if (!echo_offset_) echo_offset_ = send_ts_ - p.timestamp;
    (void)rtp_->send_audio(p.payload, p.timestamp + *echo_offset_, first_packet_);
    first_packet_ = false;
}

void MediaStream::send_tick(std::span<const std::int16_t> near) {
    const std::uint32_t ts = send_ts_;
    send_ts_ += static_cast<std::uint32_t>(frame_);
    if (config_.echo) return;  // echo_packet() sends
    if (!sdp::sends(direction_) || !remote_set_) {
        pending_send_.clear();
        first_packet_ = true;
        return;
    }
    // RFC 4733 §2.5.1: while an event plays, its packets replace the audio.
    if (event_tx_ && event_tx_->busy()) {
        pending_send_.clear();
        for (const media::EventPacket& e : event_tx_->tick(ts)) {
            (void)rtp_->send_event(e);
            if (e.marker)
                if (auto d = media::digit_for_event(e.payload.event)) sent_digits_.push_back(*d);
        }
        return;
    }
    pending_send_.insert(pending_send_.end(), near.begin(), near.end());
    if (pending_send_.size() < packet_frames_ * frame_) return;
    const std::uint32_t packet_ts = ts + static_cast<std::uint32_t>(frame_) - static_cast<std::uint32_t>(pending_send_.size());
    auto payload = codec_->encode(pending_send_);
    pending_send_.clear();
    if (!payload) return;
    (void)rtp_->send_audio(*payload, packet_ts, first_packet_);  // RFC 3551 §4.1: marker on the first packet
    first_packet_ = false;
}

std::optional<char> MediaStream::poll_sent_digit() {
    if (sent_digits_.empty()) return std::nullopt;
    char d = sent_digits_.front();
    sent_digits_.pop_front();
    return d;
}

std::optional<media::ReceivedEvent> MediaStream::poll_digit() {
    if (digits_.empty()) return std::nullopt;
    auto d = digits_.front();
    digits_.pop_front();
    return d;
}

bool MediaStream::take_source_finished() {
    if (source_done_reported_ || !source_ || !source_->finished()) return false;
    source_done_reported_ = true;
    return true;
}

MediaStats MediaStream::stats() const {
    MediaStats s = rtp_->stats();
    s.frames_concealed = frames_concealed_;
    s.packets_late += late_;
    s.digits_sent = digits_sent_;
    s.digits_received = digits_received_;
    if (codec_) s.set_codec_name(codec_->name());
    return s;
}

base::Status MediaStream::close() {
    if (sink_) return sink_->close();
    return {};
}

}  // namespace dialtone::io
