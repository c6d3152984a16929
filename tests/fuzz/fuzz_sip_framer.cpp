// libFuzzer target: the StreamFramer must cut a TCP byte stream into the same messages (and the
// same errors) however the stream is split into reads. The first two bytes seed the split.
#include "dialtone/sip/framer.hpp"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

using namespace dialtone::sip;

namespace {

// One line per pop() that yielded something: the serialized message, or the error.
std::vector<std::string> frame(std::string_view stream, std::uint32_t seed) {
    StreamFramer framer;
    std::vector<std::string> out;
    std::size_t at = 0;
    while (at < stream.size()) {
        std::size_t len = stream.size() - at;
        if (seed != 0) {
            seed = seed * 1103515245u + 12345u;  // a small LCG: reproducible chunk sizes
            len = std::min<std::size_t>(len, 1 + (seed >> 16) % 97);
        }
        const bool fed = framer.feed(stream.substr(at, len)).ok();
        at += len;
        for (;;) {
            auto popped = framer.pop();
            if (!popped) {
                out.push_back("error: " + popped.error().message);
                if (framer.failed()) return out;
                continue;
            }
            if (!popped->has_value()) break;
            out.push_back((*popped)->serialize());
        }
        if (!fed) return out;
    }
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2) return 0;
    const std::uint32_t seed = (std::uint32_t{data[0]} << 8 | data[1]) + 1;
    const std::string_view stream(reinterpret_cast<const char*>(data) + 2, size - 2);
    const std::vector<std::string> whole = frame(stream, 0);
    const std::vector<std::string> pieces = frame(stream, seed);
    if (whole != pieces) {
        std::fprintf(stderr, "fuzz-sip-framer: %zu results in one read, %zu in pieces\n", whole.size(), pieces.size());
        for (std::size_t i = 0; i < whole.size() || i < pieces.size(); ++i) {
            const std::string a = i < whole.size() ? whole[i] : "(none)";
            const std::string b = i < pieces.size() ? pieces[i] : "(none)";
            if (a != b) {
                std::fprintf(stderr, "first difference at %zu:\n%s\n----\n%s\n", i, a.c_str(), b.c_str());
                break;
            }
        }
        std::abort();
    }
    return 0;
}
