// Media benchmarks: CPU per stream for 60 s of audio (G.711 and Opus, with and without SRTP),
// and the file-to-file latency of the whole pipeline over loopback.
//
//   bench-media [seconds]      (default 60)
#include <time.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "dialtone/io/media_engine.hpp"
#include "dialtone/media/codec.hpp"
#include "dialtone/media/srtp_session.hpp"
#include "dialtone/media/tone.hpp"
#include "dialtone/media/wav.hpp"
#include "dialtone/sdp/negotiated_media.hpp"

using namespace dialtone;

namespace {

double thread_cpu_s() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

struct Case {
    const char* label;
    const char* codec;
    bool srtp;
};

sdp::NegotiatedMedia negotiated(const std::string& codec, std::uint16_t remote_port, bool srtp, bool first) {
    sdp::NegotiatedMedia m;
    m.remote.address = "127.0.0.1";
    m.remote_port = remote_port;
    m.remote_rtcp = m.remote;
    m.remote_rtcp_port = static_cast<std::uint16_t>(remote_port + 1);
    m.codec = codec == "opus" ? sdp::Codec::opus() : sdp::Codec::pcmu();
    m.send_payload_type = m.receive_payload_type = codec == "opus" ? 111 : 0;
    m.opus_fec = codec == "opus";
    m.telephone_event_send_payload_type = m.telephone_event_receive_payload_type = 101;
    if (srtp) {
        sdp::SrtpParameters s;
        const std::string a(30, 'a'), b(30, 'b');
        s.local.key_salt = first ? a : b;
        s.remote.key_salt = first ? b : a;
        m.srtp = s;
    }
    return m;
}

// The Opus encoder complexity (0-10) of every case: the second argument, else the stream default.
int opus_complexity = io::MediaStreamConfig{}.opus_complexity;

// The codec and SRTP path alone: encode → protect → unprotect → decode, one frame per 20 ms.
double path_cpu_percent(const Case& c, int seconds) {
    auto codec = media::make_codec(c.codec, media::CodecOptions{0, opus_complexity, std::string(c.codec) == "opus", 0});
    if (!codec) return -1;
    const std::string key(30, 'k');
    const auto k = std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(key.data()), key.size());
    auto out = media::SrtpSession::create(media::SrtpProfile::AesCm128HmacSha1_80, k, media::SrtpSession::Direction::Outbound);
    auto in = media::SrtpSession::create(media::SrtpProfile::AesCm128HmacSha1_80, k, media::SrtpSession::Direction::Inbound);
    const int rate = (*codec)->sample_rate();
    auto tone = media::make_sine(1000.0, -12.0, rate);
    std::vector<std::int16_t> pcm((*codec)->frame_samples(20));
    std::vector<std::uint8_t> packet;
    const int frames = seconds * 50;
    const double t0 = thread_cpu_s();
    for (int i = 0; i < frames; ++i) {
        tone.generate(pcm);
        auto payload = (*codec)->encode(pcm);
        packet.assign(12, 0);
        packet[0] = 0x80;
        packet[2] = static_cast<std::uint8_t>(i >> 8);
        packet[3] = static_cast<std::uint8_t>(i);
        packet[11] = 1;
        packet.insert(packet.end(), payload->begin(), payload->end());
        if (c.srtp) {
            (void)out->protect_rtp(packet);
            (void)in->unprotect_rtp(packet);
        }
        auto decoded = (*codec)->decode(std::span<const std::uint8_t>(packet).subspan(12));
        if (!decoded) return -1;
    }
    return (thread_cpu_s() - t0) / seconds * 100.0;
}

// The whole stream: two streams on loopback driven tick by tick, faster than real time.
double stream_cpu_percent(const Case& c, int seconds) {
    io::MediaStreamConfig cfg;
    cfg.opus_complexity = opus_complexity;
    cfg.rtp.local_address = "127.0.0.1";
    io::MediaEngineConfig ec;
    ec.stats_interval_ms = 0;
    io::MediaEngine engine(ec);
    auto a = io::MediaStream::create(cfg);
    auto b = io::MediaStream::create(cfg);
    if (!a || !b) return -1;
    const auto pa = (*a)->local_port(), pb = (*b)->local_port();
    if (!(*a)->configure(negotiated(c.codec, pb, c.srtp, true)) || !(*b)->configure(negotiated(c.codec, pa, c.srtp, false))) return -1;
    (void)engine.add(std::move(a).value(), std::make_unique<io::ToneSource>(1000.0, -12.0), std::make_unique<io::NullSink>());
    (void)engine.add(std::move(b).value(), std::make_unique<io::ToneSource>(440.0, -12.0), std::make_unique<io::NullSink>());
    const int ticks = seconds * 50;
    const double t0 = thread_cpu_s();
    for (int i = 0; i < ticks; ++i) engine.run_once();
    const double cpu = thread_cpu_s() - t0;
    engine.stop();
    return cpu / 2 / seconds * 100.0;  // two streams
}

// File → stream A → RTP → stream B → file: where a 20 ms burst shows up in B's recording.
double latency_ms(const char* codec, int jitter_min_ms) {
    const auto dir = std::filesystem::temp_directory_path() / ("dialtone-bench-media-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const int rate = 48000;
    const std::string in = (dir / "impulse.wav").string(), out = (dir / "heard.wav").string();
    {
        auto w = media::WavWriter::create(in, rate, 1);
        std::vector<std::int16_t> pcm(static_cast<std::size_t>(rate) * 2, 0);
        auto burst = media::make_sine(1000.0, -6.0, rate);
        burst.generate(std::span<std::int16_t>(pcm).subspan(static_cast<std::size_t>(rate), static_cast<std::size_t>(rate / 50)));
        (void)w->write(pcm);
        (void)w->close();
    }
    io::MediaStreamConfig cfg;
    cfg.rtp.local_address = "127.0.0.1";
    cfg.rtp.jitter_min_ms = jitter_min_ms;
    cfg.rtp.jitter_nominal_ms = jitter_min_ms;
    io::MediaEngine engine;
    auto a = io::MediaStream::create(cfg);
    auto b = io::MediaStream::create(cfg);
    const auto pa = (*a)->local_port(), pb = (*b)->local_port();
    (void)(*a)->configure(negotiated(codec, pb, true, true));
    (void)(*b)->configure(negotiated(codec, pa, true, false));
    auto src = io::WavFileSource::open(in, false);
    auto sink = io::WavFileSink::create(out, io::WavSinkChannels::FarEnd, rate);
    if (!src || !sink) return -1;
    // Both streams tick in the same engine, so sample n of A's source and sample n of B's
    // recording belong to the same tick.
    (void)engine.add(std::move(a).value(), std::move(src).value(), std::make_unique<io::NullSink>());
    (void)engine.add(std::move(b).value(), std::make_unique<io::SilenceSource>(), std::move(sink).value());
    (void)engine.start();
    std::this_thread::sleep_for(std::chrono::milliseconds(2300));
    engine.stop();
    media::WavReaderOptions o;
    o.sample_rate = rate;
    auto r = media::WavReader::open(out, o);
    if (!r) return -1;
    std::vector<std::int16_t> heard(static_cast<std::size_t>(r->file_frames()));
    heard.resize(r->read(heard));
    std::filesystem::remove_all(dir);
    for (std::size_t i = 0; i < heard.size(); ++i) {
        if (std::abs(heard[i]) > 4000) return (static_cast<double>(i) - rate) * 1000.0 / rate;
    }
    return -1;
}

}  // namespace

int main(int argc, char** argv) {
    const int seconds = argc > 1 ? std::atoi(argv[1]) : 60;
    if (argc > 2) opus_complexity = std::atoi(argv[2]);
    io::init_ortp(io::Logger{});
    const Case cases[] = {{"G.711 (PCMU)", "pcmu", false}, {"G.711 + SRTP", "pcmu", true},
                          {"Opus", "opus", false}, {"Opus + SRTP", "opus", true}};
    std::printf("bench-media: CPU per stream for %d s of audio, %% of one core (thread CPU time), Opus complexity %d\n",
                seconds, opus_complexity);
    std::printf("%-16s %22s %30s\n", "stream", "codec+SRTP path", "whole stream (RTP, sockets)");
    for (const Case& c : cases) {
        const double path = path_cpu_percent(c, seconds);
        const double whole = stream_cpu_percent(c, seconds);
        std::printf("%-16s %21.3f%% %29.3f%%\n", c.label, path, whole);
    }
    std::printf("\nfile-to-file latency over loopback (SRTP, 20 ms packets), burst onset shift:\n");
    for (const char* codec : {"pcmu", "opus"}) {
        for (int jb : {20, 40}) {
            std::printf("%-6s jitter buffer min %2d ms: %6.1f ms\n", codec, jb, latency_ms(codec, jb));
        }
    }
    return 0;
}
