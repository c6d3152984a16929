#pragma once
// Contact (RFC 3261 §20.10, §10.2.1.1): "*" alone (remove all bindings, REGISTER only), or a
// list of name-addr / addr-spec with ";expires=" (delta-seconds) and ";q=" (0 to 1, three
// decimals at most).
#include "dialtone/base/result.hpp"
#include "dialtone/sip/name_addr.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dialtone::sip {

struct Contact {
    bool wildcard = false;  // "*": address is unused
    NameAddr address;

    std::optional<std::uint32_t> expires() const;
    // q in thousandths: "0.5" is 500, "1" is 1000. nullopt when absent.
    std::optional<std::uint16_t> q_millis() const;
    void set_expires(std::uint32_t seconds) { address.params.set("expires", std::to_string(seconds)); }

    void write(std::string& out) const;
    std::string to_string() const;

    friend bool operator==(const Contact&, const Contact&) = default;
};

// qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ), in thousandths.
std::optional<std::uint16_t> parse_qvalue(std::string_view text);

// One contact-param (or "*"). Errors start with "Contact: ".
base::Result<Contact> parse_contact(std::string_view value);
// A whole value: "*" or a comma-separated list ("*" mixed with addresses is an error).
base::Result<std::vector<Contact>> parse_contact_list(std::string_view value);

}  // namespace dialtone::sip
