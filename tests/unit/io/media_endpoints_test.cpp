// The pure parts of the media path: sources, sinks, suite mapping, statistics. No sockets.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <string>
#include <unistd.h>
#include <vector>

#include "dialtone/io/audio_endpoints.hpp"
#include "dialtone/io/media_stats.hpp"
#include "dialtone/io/media_stream.hpp"
#include "dialtone/io/srtp_transport.hpp"
#include "dialtone/media/tone_detect.hpp"

using namespace dialtone;

namespace {

std::string temp_file(const std::string& name) {
    auto dir = std::filesystem::temp_directory_path() / ("dialtone-unit-io-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    return (dir / name).string();
}

std::vector<std::int16_t> read_all(const std::string& path, int rate) {
    media::WavReaderOptions o;
    o.sample_rate = rate;
    auto r = media::WavReader::open(path, o);
    REQUIRE(r.ok());
    std::vector<std::int16_t> out(static_cast<std::size_t>(r->file_frames()) * 8 + 64);
    out.resize(r->read(out));
    return out;
}

}  // namespace

TEST_CASE("SDP crypto suites map to the SRTP profiles of the same name; unknown ones to none") {
    CHECK(io::srtp_profile_for(sdp::SrtpSuite::AesCm128HmacSha1_80) == media::SrtpProfile::AesCm128HmacSha1_80);
    CHECK(io::srtp_profile_for(sdp::SrtpSuite::AesCm128HmacSha1_32) == media::SrtpProfile::AesCm128HmacSha1_32);
    CHECK(io::srtp_profile_for(sdp::SrtpSuite::AeadAes128Gcm) == media::SrtpProfile::AeadAes128Gcm);
    CHECK(io::srtp_profile_for(sdp::SrtpSuite::AeadAes256Gcm) == media::SrtpProfile::AeadAes256Gcm);
    CHECK_FALSE(io::srtp_profile_for(sdp::SrtpSuite::Unknown).has_value());
}

TEST_CASE("SRTP transport: a key of the wrong length is refused and the message says which key") {
    const std::vector<std::uint8_t> good(30, 1), short_key(16, 2);
    auto bad_local = io::SrtpTransport::create(media::SrtpProfile::AesCm128HmacSha1_80, short_key, good);
    REQUIRE_FALSE(bad_local.ok());
    CHECK(bad_local.error().message.rfind("SRTP local key: ", 0) == 0);
    auto bad_remote = io::SrtpTransport::create(media::SrtpProfile::AesCm128HmacSha1_80, good, short_key);
    REQUIRE_FALSE(bad_remote.ok());
    CHECK(bad_remote.error().message.rfind("SRTP remote key: ", 0) == 0);
    auto ok = io::SrtpTransport::create(media::SrtpProfile::AesCm128HmacSha1_80, good, good);
    REQUIRE(ok.ok());
    CHECK((*ok)->auth_failures() == 0);
    CHECK((*ok)->profile() == media::SrtpProfile::AesCm128HmacSha1_80);
}

TEST_CASE("media stats: the codec name is kept in a fixed buffer and cut to fit") {
    io::MediaStats s;
    CHECK(s.codec_name().empty());
    s.set_codec_name("opus");
    CHECK(s.codec_name() == "opus");
    s.set_codec_name("a-very-long-codec-name");
    CHECK(s.codec_name() == "a-very-long-cod");
    CHECK(s.round_trip_ms == -1);
}

TEST_CASE("tone source: the same sine at whatever rate the stream asks") {
    io::ToneSource tone(1000.0, -12.0);
    for (int rate : {8000, 48000}) {
        std::vector<std::int16_t> pcm(static_cast<std::size_t>(rate / 2));
        REQUIRE(tone.read(pcm, rate));
        auto t = media::analyze_tone(pcm, rate);
        REQUIRE(t.ok());
        CHECK(std::abs(t->frequency_hz - 1000.0) < 2.0);
        CHECK(std::abs(t->level_dbfs - (-12.0)) < 0.2);
    }
    CHECK_FALSE(tone.finished());
}

TEST_CASE("silence source: digital silence, never finished") {
    io::SilenceSource s;
    std::vector<std::int16_t> pcm(160, 123);
    CHECK(s.read(pcm, 8000));
    CHECK(media::rms_dbfs(pcm) == media::kSilenceDbfs);
}

TEST_CASE("WAV file source: a bad path fails at open, naming the file") {
    auto src = io::WavFileSource::open("/nonexistent/dir/x.wav", false);
    REQUIRE_FALSE(src.ok());
    CHECK(src.error().message.find("/nonexistent/dir/x.wav") != std::string::npos);
}

TEST_CASE("WAV file source: plays at the stream's rate, pads the end with silence and says it finished") {
    const std::string path = temp_file("source.wav");
    {
        auto w = media::WavWriter::create(path, 16000, 1);
        REQUIRE(w.ok());
        auto sine = media::make_sine(440.0, -6.0, 16000);
        std::vector<std::int16_t> pcm(16000 / 10);  // 100 ms
        sine.generate(pcm);
        REQUIRE(w->write(pcm).ok());
        REQUIRE(w->close().ok());
    }
    auto src = io::WavFileSource::open(path, false);
    REQUIRE(src.ok());
    std::vector<std::int16_t> frame(160);
    int full = 0;
    while ((*src)->read(frame, 8000) && !(*src)->finished()) ++full;
    CHECK(full == 5);  // 100 ms at 8 kHz: five whole 20 ms frames, then the end
    CHECK((*src)->finished());
    CHECK_FALSE((*src)->read(frame, 8000));
    CHECK(media::rms_dbfs(frame) == media::kSilenceDbfs);

    auto looping = io::WavFileSource::open(path, true);
    REQUIRE(looping.ok());
    for (int i = 0; i < 20; ++i) REQUIRE((*looping)->read(frame, 8000));
    CHECK_FALSE((*looping)->finished());
}

TEST_CASE("WAV file sink: far end in mono at the stream's rate, finalised on close") {
    const std::string path = temp_file("far.wav");
    auto sink = io::WavFileSink::create(path, io::WavSinkChannels::FarEnd);
    REQUIRE(sink.ok());
    std::vector<std::int16_t> far(960, 1000), near(960, -1000);
    for (int i = 0; i < 10; ++i) (*sink)->write(far, near, 48000);
    REQUIRE((*sink)->close().ok());
    REQUIRE((*sink)->close().ok());  // twice is harmless
    media::WavReaderOptions o;
    o.sample_rate = 48000;
    auto r = media::WavReader::open(path, o);
    REQUIRE(r.ok());
    CHECK(r->file_sample_rate() == 48000);
    CHECK(r->file_channels() == 1);
    CHECK(r->file_frames() == 9600);
}

TEST_CASE("WAV file sink: far and near end side by side, resampled to the rate asked for") {
    const std::string path = temp_file("stereo.wav");
    auto sink = io::WavFileSink::create(path, io::WavSinkChannels::FarAndNear, 16000);
    REQUIRE(sink.ok());
    auto far_tone = media::make_sine(1000.0, -12.0, 48000);
    std::vector<std::int16_t> far(960), near(960, 0);
    for (int i = 0; i < 50; ++i) {
        far_tone.generate(far);
        (*sink)->write(far, near, 48000);
    }
    REQUIRE((*sink)->close().ok());
    CHECK_FALSE((*sink)->error().has_value());
    media::WavReaderOptions o;
    o.sample_rate = 16000;
    auto r = media::WavReader::open(path, o);
    REQUIRE(r.ok());
    CHECK(r->file_channels() == 2);
    CHECK(r->file_sample_rate() == 16000);
    CHECK(std::abs(r->file_frames() - 16000) <= 64);  // less the resampler's filter delay
    // Mixed down the near end's silence halves the level: -12 dBFS far becomes -18 dBFS.
    auto mono = read_all(path, 16000);
    auto t = media::analyze_tone(std::span<const std::int16_t>(mono).subspan(1600, 8000), 16000);
    REQUIRE(t.ok());
    CHECK(std::abs(t->frequency_hz - 1000.0) < 5.0);
    CHECK(std::abs(t->level_dbfs - (-18.0)) < 0.5);
}

TEST_CASE("WAV file sink: a call that never received audio still leaves a valid empty file") {
    const std::string path = temp_file("empty.wav");
    {
        auto sink = io::WavFileSink::create(path, io::WavSinkChannels::FarEnd);
        REQUIRE(sink.ok());
    }  // destroyed without close(): finalised anyway
    media::WavReaderOptions o;
    auto r = media::WavReader::open(path, o);
    REQUIRE(r.ok());
    CHECK(r->file_frames() == 0);
}

TEST_CASE("WAV file sink: an unwritable path fails at create when the rate is known") {
    auto sink = io::WavFileSink::create("/nonexistent/dir/rec.wav", io::WavSinkChannels::FarEnd, 8000);
    REQUIRE_FALSE(sink.ok());
    CHECK(sink.error().message.find("/nonexistent/dir/rec.wav") != std::string::npos);
}
