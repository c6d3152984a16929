#pragma once
// Test helpers: messages written with "\n" line ends become CRLF wire bytes.
#include <string>
#include <string_view>

namespace dialtone::sip::test {

inline std::string crlf(std::string_view text) {
    std::string out;
    out.reserve(text.size() + 64);
    for (char c : text) {
        if (c == '\n') out += "\r\n";
        else out += c;
    }
    return out;
}

}  // namespace dialtone::sip::test
