// Inputs a fuzzer once crashed on (tests/data/fuzz-regressions): each must now parse or fail
// with a 400, pass through the receipt checks, and reach the serialize → parse fixed point.
#include "torture_util.hpp"

#include "dialtone/sip/framer.hpp"

#include <filesystem>

using namespace torture;

TEST_CASE("fuzz regressions: every saved input parses or fails with 400, then reaches the fixed point") {
    const std::filesystem::path dir = data_path("fuzz-regressions");
    REQUIRE(std::filesystem::is_directory(dir));
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        if (!entry.is_regular_file() || entry.path().extension() == ".md") continue;
        const std::string name = entry.path().filename().string();
        CAPTURE(name);
        const std::string bytes = load("fuzz-regressions/" + name);
        for (Framing framing : {Framing::Datagram, Framing::Stream}) {
            ParseOptions options;
            options.framing = framing;
            auto m = parse_message(bytes, options);
            if (!m.ok()) {
                CHECK(m.error().status == 400);
                continue;
            }
            if (auto r = validate(*m)) {
                CHECK(r->status >= 400);
                CHECK(r->reason.find_first_of("\r\n") == std::string::npos);
            }
            check_fixed_point(*m);
        }
        StreamFramer framer;  // and as a TCP stream in one read: no crash, bounded output
        if (framer.feed(bytes).ok()) {
            for (int i = 0; i < 1000; ++i) {
                auto popped = framer.pop();
                if (!popped.ok() && framer.failed()) break;
                if (popped.ok() && !popped->has_value()) break;
            }
        }
    }
}
