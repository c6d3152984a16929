#include <doctest/doctest.h>

#include <sndfile.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "dialtone/media/tone.hpp"
#include "dialtone/media/tone_detect.hpp"
#include "dialtone/media/wav.hpp"

using namespace dialtone::media;
namespace fs = std::filesystem;

namespace {

// A fresh directory per test case, removed afterwards.
struct TempDir {
    fs::path dir;
    TempDir() {
        std::string tmpl = (fs::temp_directory_path() / "dialtone-wav-XXXXXX").string();
        REQUIRE(mkdtemp(tmpl.data()) != nullptr);
        dir = tmpl;
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(dir, ec);
    }
    std::string file(const std::string& name) const { return (dir / name).string(); }
};

std::vector<std::int16_t> sine(double hz, double dbfs, int rate, std::size_t n) {
    std::vector<std::int16_t> s(n);
    make_sine(hz, dbfs, rate).generate(s);
    return s;
}

std::vector<std::int16_t> read_all(WavReader& r) {
    std::vector<std::int16_t> all, chunk(333);
    while (std::size_t n = r.read(chunk)) all.insert(all.end(), chunk.begin(), chunk.begin() + static_cast<std::ptrdiff_t>(n));
    return all;
}

}  // namespace

TEST_CASE("WAV: mono 16-bit write then read is exact at 8 and 48 kHz") {
    TempDir tmp;
    for (int rate : {8000, 48000}) {
        CAPTURE(rate);
        const auto path = tmp.file("mono-" + std::to_string(rate) + ".wav");
        const auto pcm = sine(1000, -6, rate, static_cast<std::size_t>(rate));
        auto w = WavWriter::create(path, rate).value();
        REQUIRE(w.write(std::span(pcm).first(100)));
        REQUIRE(w.write(std::span(pcm).subspan(100)));
        CHECK(w.frames_written() == rate);
        REQUIRE(w.close());
        CHECK_FALSE(w.is_open());

        auto r = WavReader::open(path, {.sample_rate = rate}).value();
        CHECK(r.file_sample_rate() == rate);
        CHECK(r.file_channels() == 1);
        CHECK(r.file_frames() == rate);
        CHECK_FALSE(r.at_end());
        CHECK(read_all(r) == pcm);
        CHECK(r.at_end());
    }
}

TEST_CASE("WAV: an 8 kHz file read at 48 kHz keeps its length and its tone") {
    TempDir tmp;
    const auto path = tmp.file("narrow.wav");
    auto w = WavWriter::create(path, 8000).value();
    REQUIRE(w.write(sine(440, -10, 8000, 8000)));
    REQUIRE(w.close());
    auto r = WavReader::open(path, {.sample_rate = 48000}).value();
    const auto wide = read_all(r);
    CHECK(wide.size() >= 47990);
    CHECK(wide.size() <= 48010);
    auto t = analyze_tone(std::span(wide).subspan(12000, 24000), 48000).value();
    CHECK(t.frequency_hz == doctest::Approx(440).epsilon(0.002));
    CHECK(t.level_dbfs == doctest::Approx(-10).epsilon(0.03));
}

TEST_CASE("WAV: a two-channel recording holds far end left and near end right; reading mixes to mono") {
    TempDir tmp;
    const auto path = tmp.file("call.wav");
    const auto far_end = sine(1000, -6, 8000, 8000);
    const std::vector<std::int16_t> near_end(4000, 0);  // shorter: padded with silence
    auto w = WavWriter::create(path, 8000, 2).value();
    REQUIRE(w.write_stereo(far_end, near_end));
    REQUIRE(w.close());

    // The channels as stored.
    SF_INFO info{};
    SNDFILE* f = sf_open(path.c_str(), SFM_READ, &info);
    REQUIRE(f != nullptr);
    CHECK(info.channels == 2);
    CHECK(info.frames == 8000);
    CHECK((info.format & SF_FORMAT_SUBMASK) == SF_FORMAT_PCM_16);
    std::vector<std::int16_t> frames(16000);
    CHECK(sf_readf_short(f, frames.data(), 8000) == 8000);
    sf_close(f);
    bool layout_ok = true;
    for (std::size_t i = 0; i < 8000; ++i) layout_ok = layout_ok && frames[2 * i] == far_end[i] && frames[2 * i + 1] == 0;
    CHECK(layout_ok);

    // Mixdown is the mean: a tone in one channel comes out 6 dB down.
    auto r = WavReader::open(path, {.sample_rate = 8000}).value();
    CHECK(r.file_channels() == 2);
    const auto mono = read_all(r);
    REQUIRE(mono.size() == 8000);
    CHECK(rms_dbfs(mono) == doctest::Approx(-12.02).epsilon(0.01));
    CHECK(mono[123] == far_end[123] / 2);
}

TEST_CASE("WAV: looping starts again at the first sample and never ends") {
    TempDir tmp;
    const auto path = tmp.file("short.wav");
    std::vector<std::int16_t> ramp(100);
    for (std::size_t i = 0; i < ramp.size(); ++i) ramp[i] = static_cast<std::int16_t>(i * 10);
    auto w = WavWriter::create(path, 16000).value();
    REQUIRE(w.write(ramp));
    REQUIRE(w.close());
    auto r = WavReader::open(path, {.sample_rate = 16000, .loop = true}).value();
    std::vector<std::int16_t> out(350);
    CHECK(r.read(out) == 350);
    for (std::size_t i = 0; i < out.size(); ++i) {
        if (out[i] != ramp[i % 100]) FAIL("sample " << i << " is " << out[i]);
    }
    CHECK_FALSE(r.at_end());
}

TEST_CASE("WAV: an empty file reads as ended, looping or not") {
    TempDir tmp;
    const auto path = tmp.file("empty.wav");
    REQUIRE(WavWriter::create(path, 8000).value().close());
    for (bool loop : {false, true}) {
        auto r = WavReader::open(path, {.sample_rate = 8000, .loop = loop}).value();
        std::vector<std::int16_t> out(10);
        CHECK(r.read(out) == 0);
        CHECK(r.at_end());
    }
}

TEST_CASE("WAV writer: the destructor finalises the file, and the header is current before that") {
    TempDir tmp;
    const auto path = tmp.file("unclosed.wav");
    {
        auto w = WavWriter::create(path, 8000).value();
        REQUIRE(w.write(sine(500, -20, 8000, 1600)));
        // Still open: a reader already sees every frame written so far.
        auto r = WavReader::open(path, {.sample_rate = 8000}).value();
        CHECK(r.file_frames() == 1600);
        REQUIRE(w.write(sine(500, -20, 8000, 400)));
    }
    auto r = WavReader::open(path, {.sample_rate = 8000}).value();
    CHECK(r.file_frames() == 2000);
}

TEST_CASE("WAV reader: errors name the file and the fault") {
    TempDir tmp;
    const auto missing = tmp.file("missing.wav");
    auto r1 = WavReader::open(missing, {});
    REQUIRE_FALSE(r1);
    CHECK(r1.error().message == "cannot open " + missing + ": No such file or directory");

    const auto text = tmp.file("notes.wav");
    std::ofstream(text) << "these are notes, not audio; a WAV file starts with RIFF....";
    auto r2 = WavReader::open(text, {});
    REQUIRE_FALSE(r2);
    CHECK(r2.error().message == text + ": not a WAV file");

    // A real audio file in another container.
    const auto aiff = tmp.file("tone.aiff");
    SF_INFO info{};
    info.samplerate = 8000;
    info.channels = 1;
    info.format = SF_FORMAT_AIFF | SF_FORMAT_PCM_16;
    SNDFILE* f = sf_open(aiff.c_str(), SFM_WRITE, &info);
    REQUIRE(f != nullptr);
    const auto pcm = sine(300, -6, 8000, 800);
    sf_writef_short(f, pcm.data(), 800);
    sf_close(f);
    auto r3 = WavReader::open(aiff, {});
    REQUIRE_FALSE(r3);
    CHECK(r3.error().message.find(aiff + ": not a WAV file (it is AIFF") == 0);

    auto r4 = WavReader::open(tmp.dir.string(), {});
    REQUIRE_FALSE(r4);
    CHECK(r4.error().message == "cannot open " + tmp.dir.string() + ": Is a directory");

    auto r5 = WavReader::open(text, {.sample_rate = 0});
    REQUIRE_FALSE(r5);
    CHECK(r5.error().message.find("sample rate 0") != std::string::npos);
}

TEST_CASE("WAV writer: errors name the file and the fault") {
    TempDir tmp;
    const auto nowhere = tmp.file("no/such/dir/out.wav");
    auto w1 = WavWriter::create(nowhere, 8000);
    REQUIRE_FALSE(w1);
    CHECK(w1.error().message == "cannot create " + nowhere + ": No such file or directory");

    auto w2 = WavWriter::create(tmp.file("x.wav"), 8000, 3);
    REQUIRE_FALSE(w2);
    CHECK(w2.error().message.find("3 channels") != std::string::npos);

    auto stereo = WavWriter::create(tmp.file("s.wav"), 8000, 2).value();
    const std::vector<std::int16_t> odd(3, 0);
    auto bad = stereo.write(odd);
    REQUIRE_FALSE(bad);
    CHECK(bad.error().message.find("3 samples") != std::string::npos);

    auto mono = WavWriter::create(tmp.file("m.wav"), 8000).value();
    CHECK_FALSE(mono.write_stereo(odd, odd));
    REQUIRE(mono.close());
    REQUIRE(mono.close());  // twice is fine
    auto closed = mono.write(odd);
    REQUIRE_FALSE(closed);
    CHECK(closed.error().message.find("closed") != std::string::npos);
}
