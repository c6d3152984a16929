#pragma once
// Warning (RFC 3261 §20.43): warn-code SP warn-agent SP warn-text, comma separated.
//
//   Warning: 307 isi.edu "Session parameter 'foo' not understood"
#include "dialtone/base/result.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace dialtone::sip {

struct Warning {
    std::uint16_t code = 399;  // three digits
    std::string agent;         // hostport or pseudonym
    std::string text;          // unquoted

    void write(std::string& out) const;
    std::string to_string() const;
    friend bool operator==(const Warning&, const Warning&) = default;
};

// Errors start with "Warning: ", e.g. "Warning: bad warn-code '30'".
base::Result<std::vector<Warning>> parse_warning_list(std::string_view value);

}  // namespace dialtone::sip
