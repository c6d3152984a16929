#pragma once
// Call-Info and Alert-Info (RFC 3261 §20.9, §20.4): "<" absoluteURI ">" *( SEMI param ), comma
// separated. Auto-answer hints travel here:
//
//   Call-Info: <sip:pbx.example.com>;answer-after=0
//   Alert-Info: <http://www.example.com/sounds/moo.wav>, <urn:alert:service:normal>;info=alert-autoanswer
#include "dialtone/base/result.hpp"
#include "dialtone/sip/params.hpp"
#include "dialtone/sip/uri.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dialtone::sip {

struct CallInfo {
    Uri uri;  // any scheme (http:, urn:, sip:, …)
    Params params;

    std::optional<std::string_view> purpose() const { return params.get("purpose"); }  // icon, info, card, …
    std::optional<std::string_view> info() const { return params.get("info"); }
    // ";answer-after=N": answer automatically after N seconds.
    std::optional<std::uint32_t> answer_after() const;

    void write(std::string& out) const;
    std::string to_string() const;
    friend bool operator==(const CallInfo&, const CallInfo&) = default;
};

// `what` is "Call-Info" or "Alert-Info". Errors e.g. "Call-Info: bad answer-after 'soon'".
base::Result<std::vector<CallInfo>> parse_call_info_list(std::string_view value, std::string_view what = "Call-Info");
base::Result<std::vector<CallInfo>> parse_alert_info_list(std::string_view value);

}  // namespace dialtone::sip
