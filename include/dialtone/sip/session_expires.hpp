#pragma once
// Session timers (RFC 4028 §4, §5): Session-Expires: 1800;refresher=uac and Min-SE: 90.
#include "dialtone/base/result.hpp"
#include "dialtone/sip/params.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace dialtone::sip {

enum class Refresher { Unspecified, Uac, Uas };

struct SessionExpires {
    std::uint32_t delta_seconds = 0;
    Params params;  // refresher and any generic parameters, in order

    Refresher refresher() const;
    void set_refresher(Refresher r);

    void write(std::string& out) const;
    std::string to_string() const;
    friend bool operator==(const SessionExpires&, const SessionExpires&) = default;
};

struct MinSE {
    std::uint32_t delta_seconds = 0;
    Params params;

    void write(std::string& out) const;
    std::string to_string() const;
    friend bool operator==(const MinSE&, const MinSE&) = default;
};

// Errors start with "Session-Expires: " / "Min-SE: ", e.g. "Session-Expires: bad refresher 'both'".
base::Result<SessionExpires> parse_session_expires(std::string_view value);
base::Result<MinSE> parse_min_se(std::string_view value);

}  // namespace dialtone::sip
