#pragma once
// Replaces (RFC 3891 §6.1): the dialog an INVITE replaces.
//
//   Replaces: 98732@sip.example.com;from-tag=r33th4x0r;to-tag=ff87ff;early-only
#include "dialtone/base/result.hpp"
#include "dialtone/sip/params.hpp"

#include <string>
#include <string_view>

namespace dialtone::sip {

struct Replaces {
    std::string call_id;
    Params params;  // to-tag, from-tag, early-only and generic parameters, in order

    std::string_view to_tag() const { return params.get("to-tag").value_or(""); }
    std::string_view from_tag() const { return params.get("from-tag").value_or(""); }
    bool early_only() const { return params.has("early-only"); }

    void write(std::string& out) const;
    std::string to_string() const;
    friend bool operator==(const Replaces&, const Replaces&) = default;
};

// Both tags are mandatory (§6.1: they are needed to match the dialog). Errors start with
// "Replaces: ", e.g. "Replaces: missing to-tag".
base::Result<Replaces> parse_replaces(std::string_view value);

}  // namespace dialtone::sip
