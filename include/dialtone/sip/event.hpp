#pragma once
// Event (RFC 6665 §8.2.1): event-type *( SEMI event-param ), e.g. "dialog;id=1234",
// "presence.winfo", "refer;id=93809824" (RFC 3515 §2.4.6).
#include "dialtone/base/result.hpp"
#include "dialtone/sip/params.hpp"

#include <string>
#include <string_view>

namespace dialtone::sip {

struct Event {
    std::string type;  // event-package *( "." event-template ), as written
    Params params;

    std::string_view package() const { return std::string_view(type).substr(0, type.find('.')); }
    std::optional<std::string_view> id() const { return params.get("id"); }

    void write(std::string& out) const;
    std::string to_string() const;
    friend bool operator==(const Event&, const Event&) = default;
};

// Errors start with "Event: ".
base::Result<Event> parse_event(std::string_view value);

}  // namespace dialtone::sip
