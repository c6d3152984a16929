#pragma once
// Shared pieces of the media loopback tests: two streams on 127.0.0.1, negotiated by hand as
// an offer/answer would, and the analysis of what each side recorded.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "dialtone/io/media_engine.hpp"
#include "dialtone/io/rtp_session.hpp"
#include "dialtone/media/tone_detect.hpp"
#include "dialtone/media/wav.hpp"
#include "dialtone/sdp/negotiated_media.hpp"

namespace dialtone::media_test {

enum class Security { Rtp, SrtpAesCm80, SrtpAesCm32, SrtpGcm128, SrtpGcm256 };

inline sdp::SrtpSuite suite_of(Security s) {
    switch (s) {
    case Security::Rtp: break;
    case Security::SrtpAesCm80: return sdp::SrtpSuite::AesCm128HmacSha1_80;
    case Security::SrtpAesCm32: return sdp::SrtpSuite::AesCm128HmacSha1_32;
    case Security::SrtpGcm128: return sdp::SrtpSuite::AeadAes128Gcm;
    case Security::SrtpGcm256: return sdp::SrtpSuite::AeadAes256Gcm;
    }
    return sdp::SrtpSuite::Unknown;
}

inline std::string to_string(Security s) {
    return s == Security::Rtp ? "RTP" : "SRTP " + std::string(sdp::to_string(suite_of(s)));
}

inline sdp::Codec codec_named(const std::string& name) {
    if (name == "opus") return sdp::Codec::opus();
    if (name == "PCMA") return sdp::Codec::pcma();
    return sdp::Codec::pcmu();
}

inline std::string key_of(std::size_t n, std::uint8_t seed) {
    std::string k(n, '\0');
    for (std::size_t i = 0; i < n; ++i) k[i] = static_cast<char>(seed + i * 7);
    return k;
}

// What each side's negotiator would hand over: `local_port` ours, `remote_port` the peer's.
inline sdp::NegotiatedMedia negotiated(const std::string& codec, std::uint16_t local_port, std::uint16_t remote_port,
                                       Security security, bool first_side) {
    sdp::NegotiatedMedia m;
    m.proto = security == Security::Rtp ? "RTP/AVP" : "RTP/SAVP";
    m.remote.address = "127.0.0.1";
    m.remote_port = remote_port;
    m.remote_rtcp = m.remote;
    m.remote_rtcp_port = static_cast<std::uint16_t>(remote_port + 1);
    m.local_port = local_port;
    m.codec = codec_named(codec);
    const unsigned pt = codec == "opus" ? 111 : (codec == "PCMA" ? 8 : 0);
    m.send_payload_type = pt;
    m.receive_payload_type = pt;
    m.opus_fec = codec == "opus";
    m.telephone_event_send_payload_type = 101;
    m.telephone_event_receive_payload_type = 101;
    m.ptime = 20;
    if (security != Security::Rtp) {
        sdp::SrtpParameters s;
        s.suite = suite_of(security);
        const std::size_t n = sdp::key_salt_length(s.suite);
        const std::string a = key_of(n, 11), b = key_of(n, 97);
        s.local.key_salt = first_side ? a : b;
        s.remote.key_salt = first_side ? b : a;
        m.srtp = s;
    }
    return m;
}

inline std::filesystem::path temp_dir() {
    auto base = std::filesystem::temp_directory_path() / ("dialtone-media-" + std::to_string(::getpid()));
    std::filesystem::create_directories(base);
    return base;
}

inline std::vector<std::int16_t> read_wav(const std::string& path, int rate) {
    media::WavReaderOptions o;
    o.sample_rate = rate;
    auto r = media::WavReader::open(path, o);
    std::vector<std::int16_t> all;
    if (!r) return all;
    std::vector<std::int16_t> buf(4096);
    while (std::size_t n = r->read(buf)) all.insert(all.end(), buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(n));
    return all;
}

// The recording from 100 ms after the first audible sample, `seconds` long (or what there is).
inline std::vector<std::int16_t> audible_window(const std::vector<std::int16_t>& pcm, int rate, double seconds) {
    std::size_t start = 0;
    while (start < pcm.size() && std::abs(pcm[start]) < 300) ++start;
    start += static_cast<std::size_t>(rate / 10);
    if (start >= pcm.size()) return {};
    const std::size_t n = std::min(pcm.size() - start, static_cast<std::size_t>(seconds * rate));
    return {pcm.begin() + static_cast<std::ptrdiff_t>(start), pcm.begin() + static_cast<std::ptrdiff_t>(start + n)};
}

// A bare RtpSession on 127.0.0.1 with ports from `port_min` (a range of its own per test) and
// no jitter buffer: every packet read is handed out at once.
inline io::RtpSessionConfig unbuffered_rtp(int port_min) {
    io::RtpSessionConfig cfg;
    cfg.local_address = "127.0.0.1";
    cfg.port_min = port_min;
    cfg.port_max = port_min + 998;
    cfg.jitter_buffer = false;
    return cfg;
}

inline void sleep_ms(int ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }

}  // namespace dialtone::media_test
