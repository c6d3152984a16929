#pragma once
// Reason (RFC 3326 §2): why a request was sent, e.g. on a CANCEL or BYE.
//
//   Reason: SIP ;cause=200 ;text="Call completed elsewhere"
//   Reason: Q.850 ;cause=16 ;text="Terminated"
#include "dialtone/base/result.hpp"
#include "dialtone/sip/params.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dialtone::sip {

struct Reason {
    std::string protocol;  // "SIP", "Q.850" or another token
    Params params;         // cause, text and extensions, in order

    std::optional<std::uint32_t> cause() const;
    std::optional<std::string_view> text() const { return params.get("text"); }

    // Builds "<protocol>;cause=N;text=\"...\"" (text omitted when empty).
    static Reason make(std::string_view protocol, std::uint32_t cause, std::string_view text = {});

    void write(std::string& out) const;
    std::string to_string() const;
    friend bool operator==(const Reason&, const Reason&) = default;
};

// Errors start with "Reason: ", e.g. "Reason: bad cause 'x'".
base::Result<std::vector<Reason>> parse_reason_list(std::string_view value);

}  // namespace dialtone::sip
