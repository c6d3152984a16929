// Two media streams in one process exchange audio over real sockets on 127.0.0.1.
#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cmath>
#include <algorithm>
#include <map>
#include <optional>
#include <string>

#include "dialtone/io/rtp_session.hpp"
#include "dialtone/media/tone.hpp"
#include "media_test_util.hpp"

using namespace dialtone;
using namespace dialtone::media_test;

namespace {

struct Pair {
    io::MediaEngine engine;
    io::StreamId a = 0, b = 0;
    std::uint16_t a_port = 0, b_port = 0;
    bool rtcp_mux = false;
    std::string a_file, b_file;
    std::map<io::StreamId, io::MediaStats> final_stats;
    std::map<io::StreamId, std::string> digits;

    // Drains the engine's events into the maps above.
    void drain() {
        while (auto e = engine.poll_event()) {
            if (e->kind == io::MediaEvent::Kind::StreamRemoved) final_stats[e->stream] = e->stats;
            if (e->kind == io::MediaEvent::Kind::Digit) digits[e->stream] += e->digit;
        }
    }
};

io::MediaStreamConfig stream_config() {
    io::MediaStreamConfig c;
    c.rtp.local_address = "127.0.0.1";
    c.rtp.jitter_min_ms = 40;
    c.rtp.jitter_nominal_ms = 40;
    c.rtp.rtcp_interval_ms = 500;
    return c;
}

// Streams A and B, each configured as its side of the negotiation, A sending `a_tone` Hz and B
// `b_tone` Hz at -12 dBFS; both record the far end.
void start_pair(Pair& p, const std::string& codec, Security a_security, Security b_security, double a_tone,
                double b_tone, const std::string& tag) {
    auto sa = io::MediaStream::create(stream_config());
    auto sb = io::MediaStream::create(stream_config());
    REQUIRE(sa.ok());
    REQUIRE(sb.ok());
    const auto pa = (*sa)->local_port(), pb = (*sb)->local_port();
    p.a_port = pa;
    p.b_port = pb;
    auto ma = negotiated(codec, pa, pb, a_security, true);
    auto mb = negotiated(codec, pb, pa, b_security, false);
    ma.rtcp_mux = mb.rtcp_mux = p.rtcp_mux;
    if (p.rtcp_mux) ma.remote_rtcp_port = mb.remote_rtcp_port = 9;  // only the RTP port carries RTCP
    REQUIRE((*sa)->configure(ma).ok());
    REQUIRE((*sb)->configure(mb).ok());
    const auto dir = temp_dir();
    p.a_file = (dir / (tag + "-a.wav")).string();
    p.b_file = (dir / (tag + "-b.wav")).string();
    auto ra = io::WavFileSink::create(p.a_file, io::WavSinkChannels::FarEnd);
    auto rb = io::WavFileSink::create(p.b_file, io::WavSinkChannels::FarEnd);
    REQUIRE(ra.ok());
    REQUIRE(rb.ok());
    auto ida = p.engine.add(std::move(sa).value(), std::make_unique<io::ToneSource>(a_tone, -12.0), std::move(ra).value());
    auto idb = p.engine.add(std::move(sb).value(), std::make_unique<io::ToneSource>(b_tone, -12.0), std::move(rb).value());
    REQUIRE(ida.ok());
    REQUIRE(idb.ok());
    p.a = *ida;
    p.b = *idb;
    REQUIRE(p.engine.start().ok());
}

void stop_pair(Pair& p) {
    REQUIRE(p.engine.remove(p.a).ok());
    REQUIRE(p.engine.remove(p.b).ok());
    p.engine.stop();
    p.drain();
}

// A UDP socket on 127.0.0.1 playing the far end by hand; `self` gets its address.
int bare_udp_socket(sockaddr_in& self) {
    const int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
    REQUIRE(fd >= 0);
    self = sockaddr_in{};
    self.sin_family = AF_INET;
    self.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&self), sizeof self) == 0);
    socklen_t len = sizeof self;
    REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&self), &len) == 0);
    return fd;
}

void check_recording(const std::string& file, double expected_hz, const std::string& what) {
    const int rate = 16000;
    const auto pcm = read_wav(file, rate);
    const auto window = audible_window(pcm, rate, 0.5);
    INFO(what << ": " << file << " holds " << pcm.size() << " samples");
    REQUIRE(window.size() >= static_cast<std::size_t>(rate / 4));
    auto t = media::analyze_tone(window, rate);
    REQUIRE(t.ok());
    INFO("measured " << t->frequency_hz << " Hz at " << t->level_dbfs << " dBFS");
    CHECK(std::abs(t->frequency_hz - expected_hz) <= expected_hz * 0.02);
    CHECK(std::abs(t->level_dbfs - (-12.0)) <= 3.0);
}

void exchange_tones(const std::string& codec, Security security) {
    Pair p;
    const std::string tag = codec + "-" + std::to_string(static_cast<int>(security));
    start_pair(p, codec, security, security, 1000.0, 440.0, tag);
    sleep_ms(1300);
    stop_pair(p);
    INFO(codec << " over " << to_string(security));
    REQUIRE(p.final_stats.count(p.a) == 1);
    REQUIRE(p.final_stats.count(p.b) == 1);
    CHECK(p.final_stats[p.a].packets_received > 30);
    CHECK(p.final_stats[p.b].packets_received > 30);
    CHECK(p.final_stats[p.a].srtp_auth_failures == 0);
    CHECK(p.final_stats[p.b].srtp_auth_failures == 0);
    CHECK(p.final_stats[p.a].codec_name() == (codec == "opus" ? "opus" : codec));
    check_recording(p.b_file, 1000.0, "B hears A");
    check_recording(p.a_file, 440.0, "A hears B");
}

}  // namespace

TEST_CASE("media loopback: PCMU tones cross over RTP and every SRTP suite we offer") {
    for (Security s : {Security::Rtp, Security::SrtpAesCm80, Security::SrtpAesCm32, Security::SrtpGcm128,
                       Security::SrtpGcm256})
        exchange_tones("PCMU", s);
}

TEST_CASE("media loopback: PCMA tones cross over RTP, SRTP AES-CM-80 and SRTP AES-GCM-128") {
    for (Security s : {Security::Rtp, Security::SrtpAesCm80, Security::SrtpGcm128}) exchange_tones("PCMA", s);
}

TEST_CASE("media loopback: Opus tones cross over RTP, SRTP AES-CM-80 and SRTP AES-GCM-128") {
    for (Security s : {Security::Rtp, Security::SrtpAesCm80, Security::SrtpGcm128}) exchange_tones("opus", s);
}

TEST_CASE("media loopback: RFC 4733 digits sent on one side arrive exactly once on the other") {
    for (const char* codec : {"PCMU", "opus"}) {
        Pair p;
        start_pair(p, codec, Security::SrtpAesCm80, Security::SrtpAesCm80, 1000.0, 440.0, std::string("dtmf-") + codec);
        sleep_ms(200);
        for (char d : std::string("159#*0D")) REQUIRE(p.engine.send_digit(p.a, d, 80).ok());
        REQUIRE(p.engine.send_digit(p.b, '7', 120).ok());
        sleep_ms(2200);  // 7 digits × (80 ms + 3 end packets), then the receivers' reports
        stop_pair(p);
        INFO(codec);
        CHECK(p.digits[p.b] == "159#*0D");
        CHECK(p.digits[p.a] == "7");
        CHECK(p.final_stats[p.a].digits_sent == 7);
        CHECK(p.final_stats[p.b].digits_received == 7);
    }
}

TEST_CASE("media loopback: plain RTP sent to an SRTP-only stream is never played and is counted") {
    Pair p;
    start_pair(p, "PCMU", Security::Rtp, Security::SrtpAesCm80, 1000.0, 440.0, "plain-to-srtp");
    sleep_ms(1000);
    stop_pair(p);
    const auto pcm = read_wav(p.b_file, 8000);
    CHECK(media::rms_dbfs(pcm) < -90.0);
    CHECK(p.final_stats[p.b].srtp_auth_failures > 20);
    CHECK(p.final_stats[p.b].packets_received == 0);
}

TEST_CASE("media loopback: a forged SRTP packet does not hold up the genuine ones queued behind it") {
    // B's socket holds a packet that fails authentication, then three genuine ones from A: one
    // receive must read all of them, not stop at the drop until the next tick.
    const auto cfg = unbuffered_rtp(43000);
    auto a = io::RtpSession::create(cfg);
    auto b = io::RtpSession::create(cfg);
    REQUIRE(a);
    REQUIRE(b);
    io::RtpPayloads pcmu;
    REQUIRE((*a)->set_payloads(pcmu));
    REQUIRE((*b)->set_payloads(pcmu));
    REQUIRE((*a)->set_remote(io::RtpRemote{"127.0.0.1", (*b)->local_port(), "", 0, false}));
    const std::string key_a = key_of(30, 1), key_b = key_of(30, 90);
    auto bytes = [](const std::string& k) {
        return std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(k.data()), k.size());
    };
    REQUIRE((*a)->set_srtp(media::SrtpProfile::AesCm128HmacSha1_80, bytes(key_a), bytes(key_b)));
    REQUIRE((*b)->set_srtp(media::SrtpProfile::AesCm128HmacSha1_80, bytes(key_b), bytes(key_a)));

    std::uint8_t forged[12 + 160 + 10] = {0x80, 0x00, 0x12, 0x34, 0, 0, 0, 0, 0xde, 0xad, 0xbe, 0xef};
    const int fd = socket(AF_INET, SOCK_DGRAM, 0);
    REQUIRE(fd >= 0);
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons((*b)->local_port());
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    CHECK(sendto(fd, forged, sizeof forged, 0, reinterpret_cast<const sockaddr*>(&to), sizeof to) ==
          static_cast<ssize_t>(sizeof forged));
    close(fd);
    const std::vector<std::uint8_t> payload(160, 0xff);
    for (std::uint32_t i = 0; i < 3; ++i) REQUIRE((*a)->send_audio(payload, 160 * i, i == 0));
    sleep_ms(50);

    std::vector<io::ReceivedPacket> packets;
    (void)(*b)->receive(0, packets);
    const io::MediaStats s = (*b)->stats();
    CHECK(s.srtp_auth_failures == 1);
    CHECK(s.packets_received == 3);
}

TEST_CASE("media loopback: wrong SRTP keys are rejected, not decoded as noise") {
    Pair p;
    auto sa = io::MediaStream::create(stream_config());
    auto sb = io::MediaStream::create(stream_config());
    REQUIRE(sa.ok());
    REQUIRE(sb.ok());
    const auto pa = (*sa)->local_port(), pb = (*sb)->local_port();
    auto ma = negotiated("PCMA", pa, pb, Security::SrtpAesCm80, true);
    auto mb = negotiated("PCMA", pb, pa, Security::SrtpAesCm80, false);
    mb.srtp->remote.key_salt = key_of(30, 200);  // B expects a key A never used
    REQUIRE((*sa)->configure(ma).ok());
    REQUIRE((*sb)->configure(mb).ok());
    p.b_file = (temp_dir() / "wrong-key-b.wav").string();
    auto rb = io::WavFileSink::create(p.b_file, io::WavSinkChannels::FarEnd, 8000);
    REQUIRE(rb.ok());
    p.a = *p.engine.add(std::move(sa).value(), std::make_unique<io::ToneSource>(1000.0, -12.0), std::make_unique<io::NullSink>());
    p.b = *p.engine.add(std::move(sb).value(), std::make_unique<io::SilenceSource>(), std::move(rb).value());
    REQUIRE(p.engine.start().ok());
    sleep_ms(800);
    stop_pair(p);
    CHECK(media::rms_dbfs(read_wav(p.b_file, 8000)) < -90.0);
    CHECK(p.final_stats[p.b].srtp_auth_failures > 20);
}

namespace {

// Hold and resume are re-INVITEs: each side's stream is configured again with the new
// direction and, under SRTP, the same keys (RFC 4568 §6.1 lets a re-offer keep them).
void hold_and_resume(Security security) {
    INFO(to_string(security));
    Pair p;
    start_pair(p, "PCMU", security, security, 1000.0, 440.0, "hold-" + std::to_string(static_cast<int>(security)));
    sleep_ms(600);
    // A holds B (RFC 3264 §8.4): A's view is sendonly, B's recvonly, so B goes quiet.
    auto ma = negotiated("PCMU", p.a_port, p.b_port, security, true);
    auto mb = negotiated("PCMU", p.b_port, p.a_port, security, false);
    ma.direction = sdp::Direction::SendOnly;
    mb.direction = sdp::Direction::RecvOnly;
    REQUIRE(p.engine.update(p.a, ma).ok());
    REQUIRE(p.engine.update(p.b, mb).ok());
    sleep_ms(800);
    ma.direction = mb.direction = sdp::Direction::SendRecv;
    REQUIRE(p.engine.update(p.a, ma).ok());
    REQUIRE(p.engine.update(p.b, mb).ok());
    sleep_ms(800);
    stop_pair(p);
    // The recording runs one frame per tick from the start, so its positions are media time.
    const auto a_hears = read_wav(p.a_file, 8000);
    REQUIRE(a_hears.size() >= 8000 * 2);
    auto segment = [&](double from_s, double to_s) {
        return std::vector<std::int16_t>(a_hears.begin() + static_cast<std::ptrdiff_t>(from_s * 8000),
                                         a_hears.begin() + static_cast<std::ptrdiff_t>(to_s * 8000));
    };
    CHECK(media::rms_dbfs(segment(0.3, 0.55)) > -20.0);  // talking
    CHECK(media::rms_dbfs(segment(0.95, 1.35)) < -60.0);  // held: B sends nothing
    const auto resumed = segment(1.75, 2.1);
    CHECK(media::rms_dbfs(resumed) > -20.0);
    auto t = media::analyze_tone(resumed, 8000);
    REQUIRE(t.ok());
    CHECK(std::abs(t->frequency_hz - 440.0) <= 440.0 * 0.02);
    // A kept sending throughout: B's recording of A has no hole.
    const auto b_hears = read_wav(p.b_file, 8000);
    REQUIRE(b_hears.size() >= 8000 * 2);
    CHECK(media::rms_dbfs(std::vector<std::int16_t>(b_hears.begin() + 8000, b_hears.begin() + 10800)) > -20.0);
    CHECK(p.final_stats[p.a].srtp_auth_failures == 0);
    CHECK(p.final_stats[p.b].srtp_auth_failures == 0);
}

}  // namespace

TEST_CASE("media loopback: hold is a direction change: the held side stops sending, resuming brings it back") {
    hold_and_resume(Security::Rtp);
}

TEST_CASE("media loopback: SRTP hold and resume keep the keys, and the audio comes back authenticated") {
    hold_and_resume(Security::SrtpAesCm80);
}

TEST_CASE("media loopback: mute sends silence but keeps the stream alive") {
    Pair p;
    start_pair(p, "PCMA", Security::Rtp, Security::Rtp, 1000.0, 440.0, "mute");
    sleep_ms(400);
    REQUIRE(p.engine.set_muted(p.a, true).ok());
    sleep_ms(800);
    stop_pair(p);
    const auto b_hears = read_wav(p.b_file, 8000);
    REQUIRE(b_hears.size() >= 8000);
    CHECK(media::rms_dbfs(std::vector<std::int16_t>(b_hears.end() - 3200, b_hears.end())) < -60.0);
    CHECK(p.final_stats[p.b].packets_received > 40);  // silence still flows
}

TEST_CASE("media loopback: symmetric RTP answers to where the peer's packets come from") {
    Pair p;
    auto sa = io::MediaStream::create(stream_config());
    auto sb = io::MediaStream::create(stream_config());
    REQUIRE(sa.ok());
    REQUIRE(sb.ok());
    const auto pa = (*sa)->local_port(), pb = (*sb)->local_port();
    // B was told a wrong port for A (a NAT rewrote it, say); A's packets show B the real one.
    const auto wrong = static_cast<std::uint16_t>(pa == 40000 ? 40010 : 40000);
    REQUIRE((*sa)->configure(negotiated("PCMU", pa, pb, Security::Rtp, true)).ok());
    REQUIRE((*sb)->configure(negotiated("PCMU", pb, wrong, Security::Rtp, false)).ok());
    p.a_file = (temp_dir() / "symmetric-a.wav").string();
    auto ra = io::WavFileSink::create(p.a_file, io::WavSinkChannels::FarEnd, 8000);
    REQUIRE(ra.ok());
    p.a = *p.engine.add(std::move(sa).value(), std::make_unique<io::ToneSource>(1000.0, -12.0), std::move(ra).value());
    p.b = *p.engine.add(std::move(sb).value(), std::make_unique<io::ToneSource>(440.0, -12.0), std::make_unique<io::NullSink>());
    REQUIRE(p.engine.start().ok());
    sleep_ms(1200);
    stop_pair(p);
    CHECK(p.final_stats[p.a].packets_received > 30);
    check_recording(p.a_file, 440.0, "A hears B through symmetric RTP");
}

TEST_CASE("media loopback: a new SSRC and timestamp base from the same address is followed") {
    Pair p;
    start_pair(p, "PCMU", Security::Rtp, Security::Rtp, 1000.0, 440.0, "ssrc");
    sleep_ms(600);
    // A restarts (a new RTP session on the same port: new SSRC, sequence and timestamps).
    REQUIRE(p.engine.remove(p.a).ok());
    sleep_ms(100);
    auto config = stream_config();
    config.rtp.local_port = p.a_port;
    auto sa = io::MediaStream::create(config);
    INFO((sa.ok() ? std::string() : sa.error().message));
    REQUIRE(sa.ok());
    REQUIRE((*sa)->configure(negotiated("PCMU", p.a_port, p.b_port, Security::Rtp, true)).ok());
    auto ida = p.engine.add(std::move(sa).value(), std::make_unique<io::ToneSource>(600.0, -12.0),
                            std::make_unique<io::NullSink>());
    REQUIRE(ida.ok());
    sleep_ms(900);
    REQUIRE(p.engine.remove(*ida).ok());
    REQUIRE(p.engine.remove(p.b).ok());
    p.engine.stop();
    p.drain();
    const auto b_hears = read_wav(p.b_file, 8000);
    REQUIRE(b_hears.size() > 8000);
    const std::vector<std::int16_t> tail(b_hears.end() - 3200, b_hears.end());
    auto t = media::analyze_tone(tail, 8000);
    REQUIRE(t.ok());
    INFO("B's last 0.4 s: " << t->frequency_hz << " Hz at " << t->level_dbfs << " dBFS");
    CHECK(std::abs(t->frequency_hz - 600.0) <= 12.0);
    CHECK(t->level_dbfs > -16.0);
}

TEST_CASE("media loopback: RTCP reports flow both ways and give loss, jitter and the round trip") {
  for (const bool mux : {false, true}) {
    INFO((mux ? "rtcp-mux (RFC 5761)" : "RTCP on the next port"));
    Pair p;
    p.rtcp_mux = mux;
    start_pair(p, "PCMA", Security::SrtpAesCm80, Security::SrtpAesCm80, 1000.0, 440.0, mux ? "rtcp-mux" : "rtcp");
    io::MediaStats a{}, b{};
    // RFC 3550 §6.2: reports every 0.5 s here (randomised), so 3 s sees several each way.
    for (int i = 0; i < 30 && (a.round_trip_ms < 0 || b.round_trip_ms < 0); ++i) {
        sleep_ms(100);
        while (auto e = p.engine.poll_event()) {
            if (e->kind != io::MediaEvent::Kind::Stats) continue;
            (e->stream == p.a ? a : b) = e->stats;
        }
    }
    stop_pair(p);
    for (const io::MediaStats& s : {a, b}) {
        CHECK(s.rtcp_sent > 0);
        CHECK(s.rtcp_received > 0);
        CHECK(s.round_trip_ms >= 0.0);
        CHECK(s.round_trip_ms < 200.0);
        CHECK(s.packets_lost == 0);
        CHECK(s.jitter_ms < 30.0);
        CHECK(s.srtp_auth_failures == 0);
        CHECK(s.codec_name() == "PCMA");
    }
  }
}

TEST_CASE("media loopback: a file source that ends is reported once, so the app can hang up") {
    const std::string path = (temp_dir() / "short-prompt.wav").string();
    {
        auto w = media::WavWriter::create(path, 8000, 1);
        REQUIRE(w.ok());
        std::vector<std::int16_t> pcm(2400);  // 300 ms
        auto tone = media::make_sine(800.0, -12.0, 8000);
        tone.generate(pcm);
        REQUIRE(w->write(pcm).ok());
        REQUIRE(w->close().ok());
    }
    Pair p;
    auto sa = io::MediaStream::create(stream_config());
    auto sb = io::MediaStream::create(stream_config());
    REQUIRE(sa.ok());
    REQUIRE(sb.ok());
    const auto pa = (*sa)->local_port(), pb = (*sb)->local_port();
    REQUIRE((*sa)->configure(negotiated("PCMU", pa, pb, Security::Rtp, true)).ok());
    REQUIRE((*sb)->configure(negotiated("PCMU", pb, pa, Security::Rtp, false)).ok());
    auto src = io::WavFileSource::open(path, false);
    REQUIRE(src.ok());
    p.a = *p.engine.add(std::move(sa).value(), std::move(src).value(), std::make_unique<io::NullSink>());
    p.b = *p.engine.add(std::move(sb).value(), std::make_unique<io::SilenceSource>(), std::make_unique<io::NullSink>());
    REQUIRE(p.engine.start().ok());
    int finished = 0;
    for (int i = 0; i < 10; ++i) {
        sleep_ms(100);
        while (auto e = p.engine.poll_event()) {
            if (e->kind == io::MediaEvent::Kind::SourceFinished) {
                CHECK(e->stream == p.a);
                ++finished;
            }
        }
    }
    stop_pair(p);
    CHECK(finished == 1);
}

TEST_CASE("media loopback: comfort noise (RFC 3389, PT 13) is ignored, never decoded as audio") {
    Pair p;
    auto sb = io::MediaStream::create(stream_config());
    REQUIRE(sb.ok());
    const auto pb = (*sb)->local_port();
    // The far end is a bare UDP socket sending CN packets with a noise level byte of 0x40.
    sockaddr_in self{};
    const int fd = bare_udp_socket(self);
    REQUIRE((*sb)->configure(negotiated("PCMU", pb, ntohs(self.sin_port), Security::Rtp, false)).ok());
    p.b_file = (temp_dir() / "cn-b.wav").string();
    auto rb = io::WavFileSink::create(p.b_file, io::WavSinkChannels::FarEnd, 8000);
    REQUIRE(rb.ok());
    p.b = *p.engine.add(std::move(sb).value(), std::make_unique<io::SilenceSource>(), std::move(rb).value());
    REQUIRE(p.engine.start().ok());
    sockaddr_in to = self;
    to.sin_port = htons(pb);
    for (std::uint32_t i = 0; i < 40; ++i) {
        const std::uint32_t ts = 1000 + i * 160;
        const std::uint8_t packet[13] = {0x80, 13, 0, static_cast<std::uint8_t>(i), static_cast<std::uint8_t>(ts >> 24),
                                         static_cast<std::uint8_t>(ts >> 16), static_cast<std::uint8_t>(ts >> 8),
                                         static_cast<std::uint8_t>(ts), 0x12, 0x34, 0x56, 0x78, 0x40};
        REQUIRE(::sendto(fd, packet, sizeof packet, 0, reinterpret_cast<sockaddr*>(&to), sizeof to) == 13);
        sleep_ms(20);
    }
    sleep_ms(200);
    REQUIRE(p.engine.remove(p.b).ok());
    p.engine.stop();
    p.drain();
    ::close(fd);
    CHECK(p.final_stats[p.b].packets_received >= 30);
    CHECK(media::rms_dbfs(read_wav(p.b_file, 8000)) < -90.0);
}

TEST_CASE("media loopback: an RTP port held by another socket is refused, never shared") {
    // On Linux two UDP sockets that both set SO_REUSEADDR share a port and the newer one takes
    // every datagram: another process's call on our port would silently take our audio.
    auto first = io::MediaStream::create(stream_config());
    REQUIRE(first.ok());
    auto taken = stream_config();
    taken.rtp.local_port = (*first)->local_port();
    CHECK_FALSE(io::MediaStream::create(taken).ok());

    const int other = socket(AF_INET, SOCK_DGRAM, 0);
    REQUIRE(other >= 0);
    const int yes = 1;
    REQUIRE(setsockopt(other, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes) == 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    REQUIRE(bind(other, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    socklen_t len = sizeof addr;
    REQUIRE(getsockname(other, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
    auto held = stream_config();
    held.rtp.local_port = ntohs(addr.sin_port);
    auto refused = io::MediaStream::create(held);
    close(other);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().message.find("cannot bind RTP to 127.0.0.1:" + std::to_string(held.rtp.local_port)) == 0);
}

TEST_CASE("media loopback: Opus with telephone-event only at 8000 (baresip) counts digit durations in 8 kHz") {
    // The far end is a bare UDP socket playing a peer that offered opus/48000/2 and
    // telephone-event/8000 only: its durations are in 8 kHz samples, and so must ours be.
    sockaddr_in self{};
    const int fd = bare_udp_socket(self);
    const timeval wait{0, 100'000};
    REQUIRE(::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait) == 0);

    Pair p;
    auto sb = io::MediaStream::create(stream_config());
    REQUIRE(sb.ok());
    const auto pb = (*sb)->local_port();
    auto m = negotiated("opus", pb, ntohs(self.sin_port), Security::Rtp, false);
    m.telephone_event_clock_rate = 8000;
    REQUIRE((*sb)->configure(m).ok());
    p.b = *p.engine.add(std::move(sb).value(), std::make_unique<io::SilenceSource>(), std::make_unique<io::NullSink>());
    REQUIRE(p.engine.start().ok());

    // Ours: a 100 ms digit ends with duration 800.
    REQUIRE(p.engine.send_digit(p.b, '5', 100).ok());
    std::optional<std::uint16_t> end_duration;
    for (int i = 0; i < 200 && !end_duration; ++i) {
        std::uint8_t buf[1500];
        const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n == 16 && (buf[1] & 0x7F) == 101 && buf[12] == 5 && (buf[13] & 0x80))
            end_duration = static_cast<std::uint16_t>((buf[14] << 8) | buf[15]);
    }
    REQUIRE(end_duration);
    CHECK(*end_duration == 800);

    // Theirs: '9' for 1600 samples of 8 kHz is 200 ms.
    sockaddr_in to = self;
    to.sin_port = htons(pb);
    const std::uint32_t ts = 480000;
    for (std::uint16_t k = 1; k <= 13; ++k) {
        const bool end = k >= 11;
        const std::uint16_t duration = static_cast<std::uint16_t>(std::min(k, std::uint16_t{10}) * 160);
        const std::uint8_t packet[16] = {0x80, static_cast<std::uint8_t>((k == 1 ? 0x80 : 0) | 101), 0,
                                         static_cast<std::uint8_t>(k), static_cast<std::uint8_t>(ts >> 24),
                                         static_cast<std::uint8_t>(ts >> 16), static_cast<std::uint8_t>(ts >> 8),
                                         static_cast<std::uint8_t>(ts), 0x12, 0x34, 0x56, 0x78, 9,
                                         static_cast<std::uint8_t>(end ? 0x8A : 0x0A),
                                         static_cast<std::uint8_t>(duration >> 8), static_cast<std::uint8_t>(duration)};
        REQUIRE(::sendto(fd, packet, sizeof packet, 0, reinterpret_cast<sockaddr*>(&to), sizeof to) == 16);
        sleep_ms(20);
    }
    std::optional<io::MediaEvent> digit;
    for (int i = 0; i < 20 && !digit; ++i) {
        sleep_ms(50);
        while (auto e = p.engine.poll_event())
            if (e->kind == io::MediaEvent::Kind::Digit) digit = e;
    }
    REQUIRE(p.engine.remove(p.b).ok());
    p.engine.stop();
    p.drain();
    ::close(fd);
    REQUIRE(digit);
    CHECK(digit->digit == '9');
    CHECK(digit->duration_ms == 200);
}
