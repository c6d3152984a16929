// Finding and loading the media module: the search order, the one-line errors, the version check,
// and a backend from the module this tree builds carrying a stream on 127.0.0.1. This test links
// no media library itself.
#include <doctest/doctest.h>

#include <unistd.h>

#include <array>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include "dialtone/io/media_module.hpp"

using namespace dialtone;

namespace {

std::string temp_dir(const std::string& name) {
    auto dir = std::filesystem::temp_directory_path() / ("dialtone-unit-module-" + std::to_string(::getpid())) / name;
    std::filesystem::create_directories(dir);
    return dir.string();
}

std::string own_dir() { return std::filesystem::read_symlink("/proc/self/exe").parent_path().string(); }

// Sets $DIALTONE_MODULE_DIR for one test case.
struct ModuleDirVariable {
    explicit ModuleDirVariable(const std::string& dir) { ::setenv("DIALTONE_MODULE_DIR", dir.c_str(), 1); }
    ~ModuleDirVariable() { ::unsetenv("DIALTONE_MODULE_DIR"); }
};

}  // namespace

TEST_CASE("media module: searched in $DIALTONE_MODULE_DIR, beside the binary, then where it is installed") {
    ::unsetenv("DIALTONE_MODULE_DIR");
    auto dirs = io::media_module_dirs();
    REQUIRE(dirs.size() >= 2);
    CHECK(dirs.front() == own_dir());
    ModuleDirVariable env("/opt/elsewhere");
    auto with_env = io::media_module_dirs();
    REQUIRE(with_env.size() == dirs.size() + 1);
    CHECK(with_env[0] == "/opt/elsewhere");
    CHECK(with_env[1] == own_dir());
}

TEST_CASE("media module: the first directory that holds it wins") {
    std::string dir = temp_dir("first");
    std::ofstream(dir + "/dialtone-media.so") << "x";
    ModuleDirVariable env(dir);
    auto found = io::find_media_module();
    REQUIRE(found.ok());
    CHECK(*found == dir + "/dialtone-media.so");
}

TEST_CASE("media module: none found names every directory searched") {
    std::string dir = temp_dir("empty");
    ModuleDirVariable env(dir);
    auto found = io::find_media_module();
    REQUIRE_FALSE(found.ok());
    CHECK(found.error().message.rfind("media module dialtone-media.so not found in " + dir + ", " + own_dir(), 0) == 0);
    CHECK(found.error().message.find('\n') == std::string::npos);
    io::MediaModule module(io::MediaBackendConfig{});
    auto backend = module.get();
    REQUIRE_FALSE(backend.ok());
    CHECK(backend.error().message == found.error().message);
    CHECK(module.loaded() == nullptr);
}

TEST_CASE("media module: a file that is no shared object is refused with the loader's reason") {
    std::string path = temp_dir("garbage") + "/dialtone-media.so";
    std::ofstream(path) << "not an ELF file\n";
    auto loaded = io::load_media_module(path, {});
    REQUIRE_FALSE(loaded.ok());
    CHECK(loaded.error().message.rfind("cannot load media module " + path + ": ", 0) == 0);
}

TEST_CASE("media module: a module of another version is refused") {
    auto loaded = io::load_media_module(TEST_OTHER_VERSION_MODULE, {});
    REQUIRE_FALSE(loaded.ok());
    CHECK(loaded.error().message == std::string("cannot load media module ") + TEST_OTHER_VERSION_MODULE + ": version " +
                                        std::to_string(io::kMediaBackendVersion + 1) + ", this dialtone needs " +
                                        std::to_string(io::kMediaBackendVersion));
}

TEST_CASE("media module: the module built with this tree loads once and gives a working backend") {
    ModuleDirVariable env(std::filesystem::path(TEST_MEDIA_MODULE).parent_path().string());
    io::MediaModule module(io::MediaBackendConfig{});
    auto backend = module.get();
    REQUIRE(backend.ok());
    CHECK(module.loaded() == *backend);
    auto again = module.get();
    REQUIRE(again.ok());
    CHECK(*again == *backend);

    auto missing = (*backend)->open_wav_source("/nonexistent/in.wav", false);
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().message.find("/nonexistent/in.wav") != std::string::npos);
    std::array<std::int16_t, 160> frame;
    frame.fill(1);
    CHECK((*backend)->silence_source()->read(frame, 8000));
    CHECK(frame == std::array<std::int16_t, 160>{});

    // A PCMU stream on 127.0.0.1, from the app's side of the interface to the media thread and back.
    io::MediaStreamConfig config;
    config.rtp.local_address = "127.0.0.1";
    sdp::NegotiatedMedia media;
    media.proto = "RTP/AVP";
    media.remote.address = "127.0.0.1";
    media.remote_port = 9;
    media.remote_rtcp = media.remote;
    media.remote_rtcp_port = 10;
    media.codec = sdp::Codec::pcmu();
    auto id = (*backend)->add(config, media, (*backend)->silence_source(), (*backend)->null_sink());
    REQUIRE(id.ok());
    CHECK((*backend)->set_muted(*id, true).ok());
    CHECK((*backend)->remove(*id).ok());
    (*backend)->stop();
    std::optional<io::MediaEvent> removed;
    while (auto e = (*backend)->poll_event())
        if (e->kind == io::MediaEvent::Kind::StreamRemoved) removed = e;
    REQUIRE(removed.has_value());
    CHECK(removed->stream == *id);
    CHECK(removed->stats.codec_name() == "PCMU");
}
