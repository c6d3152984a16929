#pragma once
// name-addr and addr-spec with header parameters (RFC 3261 §20.10, §25.1): the value of From,
// To, Contact, Route, Record-Route, Refer-To, Referred-By, …
//
//   "Bob \"the builder\"" <sip:bob@biloxi.com>;tag=a6c85cf    quoted display name
//   Bob Smith <sip:bob@biloxi.com>                           display name of tokens
//   <sip:bob@biloxi.com;transport=tcp>;expires=60             URI parameters inside the brackets
//   sip:bob@biloxi.com;tag=1928301774                         addr-spec: ";tag" belongs to the header
//
// write() always uses angle brackets and quotes a display name, which is valid in every case.
#include "dialtone/base/result.hpp"
#include "dialtone/sip/params.hpp"
#include "dialtone/sip/uri.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dialtone::sip {

struct NameAddr {
    std::optional<std::string> display_name;  // unquoted; nullopt when absent, "" for ""
    Uri uri;
    Params params;  // header parameters, outside the brackets

    std::optional<std::string_view> tag() const { return params.get("tag"); }
    void set_tag(std::string tag) { params.set("tag", std::move(tag)); }

    void write(std::string& out) const;
    std::string to_string() const;

    friend bool operator==(const NameAddr&, const NameAddr&) = default;
};

enum class AddrForm {
    Any,           // name-addr or addr-spec (From, To, Contact, Refer-To, …)
    NameAddrOnly,  // angle brackets required (Route, Record-Route: §20.30, §20.34)
};

// One name-addr / addr-spec with its parameters. `what` names the header in errors, e.g.
// "From: missing '>' after URI".
base::Result<NameAddr> parse_name_addr(std::string_view value, std::string_view what = "name-addr",
                                       AddrForm form = AddrForm::Any);
// The same into `out`, which must be default-constructed (no moves of the URI inside, for the
// parsers of larger values). On error `out` is unspecified.
base::Status parse_name_addr_into(std::string_view value, std::string_view what, AddrForm form, NameAddr& out);
// A comma-separated list of them (each element as above; empty elements are an error).
base::Result<std::vector<NameAddr>> parse_name_addr_list(std::string_view value, std::string_view what,
                                                         AddrForm form = AddrForm::Any);

}  // namespace dialtone::sip
