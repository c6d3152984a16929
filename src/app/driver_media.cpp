// The driver's media side: one MediaStream per call, its source (--play, silence or the sound
// card; --echo sends back what arrives) and sink (--record, --record-dir, the sound card or
// nothing), and DTMF sending.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "dialtone/app/mos.hpp"
#include "driver_impl.hpp"

namespace dialtone::app {

namespace {

// A file name part from a caller's URI: letters, digits, '.', '-', '_' and '@' only.
std::string file_safe(std::string_view text) {
    std::string out;
    for (char c : text) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
                  c == '_' || c == '@';
        out += ok ? c : '_';
    }
    return out.substr(0, 80);
}

}  // namespace

// A --play file and a sound card are checked before anything is sent, which takes the media
// module at launch. Otherwise `call` loads it just after its INVITE is on the wire (the SDP
// needs only a port number, which the UA picks; loading takes longer than sending the INVITE
// and is done before any answer can be read), and `listen` at its first call; `register`,
// `options` and `message` never load it.
base::Status Driver::check_audio_options() {
    const auto& g = o_.global;
    if (o_.command != Command::Call && o_.command != Command::Listen) return {};
    if (!g.record.empty()) {
        // Created now (the call writes it over) so a bad path fails before any call starts,
        // without loading the media module for it.
        std::FILE* f = std::fopen(g.record.c_str(), "wb");
        if (!f) return base::make_error("cannot write --record " + g.record + ": " + std::strerror(errno));
        std::fclose(f);
    }
    if (!o_.listen.record_dir.empty() && !std::filesystem::is_directory(o_.listen.record_dir))
        return base::make_error("--record-dir " + o_.listen.record_dir + " is not a directory");
    bool want_device = !g.null_audio && (g.play.empty() || g.record.empty()) && !o_.listen.echo;
    // `listen` with only a --play file checks here that it can be read, and reads it as a WAV
    // file at each call: an idle, registered listener stays without the media libraries.
    const bool lazy_play = o_.command == Command::Listen && !g.play.empty();
    if ((g.play.empty() || lazy_play) && !want_device) {
        if (lazy_play) {
            std::ifstream file(g.play);
            if (!file || std::filesystem::is_directory(g.play))
                return base::make_error("cannot open " + g.play + ": " + std::strerror(errno != 0 ? errno : EISDIR));
        }
        auto found = io::find_media_module();  // a missing module fails now, not at the first call
        if (!found) return found.error();
        return {};
    }
    auto backend = media_->get();
    if (!backend) return backend.error();
    if (!g.play.empty()) {
        auto src = (*backend)->open_wav_source(g.play, false);
        if (!src) return src.error();
    }
    if (want_device) {
        io::AudioDeviceOptions d;
        d.capture = g.capture_dev;
        d.playback = g.playback_dev;
        d.open_capture = g.play.empty();
        auto dev = (*backend)->open_device(d);
        if (dev) {
            device_ = *dev;
        } else if (!g.capture_dev.empty() || !g.playback_dev.empty()) {
            return dev.error();
        } else {
            // A headless machine still places and answers calls: silence out, nothing played.
            log(io::LogLevel::Warning, dev.error().message + "; going on without audio (--null-audio)");
        }
    }
    return {};
}

// A module that cannot be loaded ends the run: no call can carry audio without it.
io::MediaBackend* Driver::media_backend() {
    auto backend = media_->get();
    if (backend) return *backend;
    if (!exit_) std::fprintf(stderr, "dialtone: %s\n", backend.error().message.c_str());
    finish(ExitCode::Usage);
    return nullptr;
}

void Driver::start_media(CallSlot& slot, const std::vector<sdp::NegotiatedMedia>& media) {
    if (media.empty()) return;
    if (slot.stream) {
        update_media(slot, media);
        return;
    }
    io::MediaBackend* backend = media_backend();
    if (!backend) return;
    const auto& m = media.front();
    io::MediaStreamConfig cfg;
    cfg.rtp.local_address = ua_->config().media.address;
    cfg.rtp.local_port = m.local_port;
    cfg.rtp.jitter_min_ms = o_.global.jitter.lo;
    cfg.rtp.jitter_max_ms = o_.global.jitter.hi;
    cfg.rtp.jitter_nominal_ms = std::clamp(60, o_.global.jitter.lo, o_.global.jitter.hi);
    const bool echo = o_.command == Command::Listen && o_.listen.echo;
    if (echo) {
        // The echo test reflects each packet in the tick that reads it: no jitter buffer, no
        // decode and re-encode on the way back, so the caller hears itself one tick later at most.
        cfg.echo = true;
        cfg.rtp.jitter_buffer = false;
    }
    cfg.rtp.capture = pcap_;

    const auto& g = o_.global;
    std::unique_ptr<io::AudioSource> source;
    std::unique_ptr<io::AudioSink> sink;
    bool use_device = device_ && !device_in_use_;
    if (echo) {
        source = backend->silence_source();  // not sent: the stream echoes
    } else if (!g.play.empty()) {
        auto f = backend->open_wav_source(g.play, false);
        if (f) source = std::move(*f);
        else emit(error_event(now_text(), f.error().message));
    } else if (use_device && device_->has_capture()) {
        source = backend->device_source(device_);
    }
    if (!source) source = backend->silence_source();

    std::string record = g.record;
    if (o_.command == Command::Listen && !o_.listen.record_dir.empty()) {
        std::string stamp = now_text();
        for (auto& c : stamp)
            if (c == ':') c = '-';
        record = o_.listen.record_dir + "/" + stamp + "_" + file_safe(slot.peer) + "_" + std::to_string(slot.id) + ".wav";
    }
    if (!record.empty()) {
        auto w = backend->create_wav_sink(record, io::WavSinkChannels::FarEnd);
        if (w) {
            sink = std::move(*w);
            slot.record_path = record;
        } else {
            emit(error_event(now_text(), w.error().message));
        }
    }
    if (!sink && use_device && device_->has_playback()) sink = backend->device_sink(device_);
    if (!sink) sink = backend->null_sink();

    auto id = backend->add(cfg, m, std::move(source), std::move(sink));
    if (!id) {
        emit(error_event(now_text(), "call " + std::to_string(slot.id) + ": " + id.error().message));
        (void)ua_->hangup(slot.id, loop_.now());
        return;
    }
    if (use_device) device_in_use_ = true;
    slot.telephone_event = m.telephone_event_send_payload_type.has_value();
    slot.stream = *id;
    const bool first = streams_.empty();
    streams_[*id] = slot.id;
    if (first) rearm_tick();  // poll the media events from now on
}

void Driver::update_media(CallSlot& slot, const std::vector<sdp::NegotiatedMedia>& media) {
    if (media.empty()) return;
    if (!slot.stream) {
        start_media(slot, media);
        return;
    }
    slot.telephone_event = media.front().telephone_event_send_payload_type.has_value();
    if (auto s = media_->loaded()->update(*slot.stream, media.front()); !s)
        emit(error_event(now_text(), s.error().message));
}

void Driver::stop_media(CallSlot& slot) {
    if (!slot.stream) return;
    (void)media_->loaded()->remove(*slot.stream);
    slot.stream.reset();
}

void Driver::on_media_event(const io::MediaEvent& e) {
    auto it = streams_.find(e.stream);
    ua::CallId call = it == streams_.end() ? 0 : it->second;
    switch (e.kind) {
    case io::MediaEvent::Kind::Digit:
        emit(describe(ua::DtmfReceived{call, e.digit, e.duration_ms, ua::DtmfMethod::Rfc4733}, now_text(), loop_.now()));
        break;
    case io::MediaEvent::Kind::DigitSent: {
        Json j;
        j["event"] = "dtmf_sent";
        j["time"] = now_text();
        j["call"] = call;
        j["digit"] = std::string(1, e.digit);
        j["method"] = "rfc4733";
        emit(j);
        break;
    }
    case io::MediaEvent::Kind::SourceFinished:
        if (o_.command == Command::Call && o_.call.hangup_after_play && call == main_call_)
            (void)ua_->hangup(call, loop_.now());
        break;
    case io::MediaEvent::Kind::Stats:
    case io::MediaEvent::Kind::StreamRemoved: {
        const auto& s = e.stats;
        Json j;
        j["event"] = "stats";
        j["time"] = now_text();
        j["call"] = call;
        j["codec"] = std::string(s.codec_name());
        j["packets_sent"] = s.packets_sent;
        j["packets_received"] = s.packets_received;
        j["packets_lost"] = s.packets_lost;
        j["jitter_ms"] = s.jitter_ms;
        j["rtt_ms"] = s.round_trip_ms < 0 ? Json(nullptr) : Json(s.round_trip_ms);
        double expected = static_cast<double>(s.packets_received) + static_cast<double>(std::max<std::int64_t>(0, s.packets_lost));
        double loss = expected > 0 ? 100.0 * static_cast<double>(std::max<std::int64_t>(0, s.packets_lost)) / expected : 0.0;
        // One-way delay: half the round trip plus the jitter buffer's nominal depth.
        double delay = (s.round_trip_ms < 0 ? 0.0 : s.round_trip_ms / 2) + o_.global.jitter.lo;
        j["loss_percent"] = loss;
        j["mos"] = std::round(mos_from_r(r_factor(delay, loss)) * 100) / 100;
        j["final"] = e.kind == io::MediaEvent::Kind::StreamRemoved;
        if (auto c = calls_.find(call); c != calls_.end()) c->second.stats = s;
        if (o_.global.verbose > 0 || e.kind == io::MediaEvent::Kind::StreamRemoved) emit(j);
        if (e.kind == io::MediaEvent::Kind::StreamRemoved) streams_.erase(e.stream);
        break;
    }
    case io::MediaEvent::Kind::Error:
        log(io::LogLevel::Warning, std::string("media: ") + e.message.data());
        break;
    }
}

void Driver::send_digits(ua::CallId id, const std::string& digits) {
    auto it = calls_.find(id);
    if (it == calls_.end()) return;
    const CallSlot& slot = it->second;
    bool rfc4733 = slot.stream && (o_.global.dtmf == DtmfMode::Rfc4733 ||
                                   (o_.global.dtmf == DtmfMode::Auto && slot.telephone_event));
    // ',' pauses for one second before the digits that follow it.
    std::string group;
    base::Duration at{};
    auto flush = [&] {
        if (group.empty()) return;
        after(at, [this, id, group, rfc4733] {
            auto c = calls_.find(id);
            if (c == calls_.end()) return;
            if (rfc4733 && c->second.stream) {
                // dtmf_sent comes from the media thread once each digit goes out.
                for (char d : group)
                    if (auto s = media_->loaded()->send_digit(*c->second.stream, d, 160); !s)
                        emit(error_event(now_text(), s.error().message));
            } else if (auto s = ua_->send_dtmf(id, group, loop_.now()); !s) {
                emit(error_event(now_text(), s.error().message));
            }
        });
        group.clear();
    };
    for (char c : digits) {
        if (c == ',') {
            flush();
            at += base::seconds(1);
        } else {
            group += static_cast<char>(c >= 'a' && c <= 'd' ? c - 32 : c);
        }
    }
    flush();
}

}  // namespace dialtone::app
