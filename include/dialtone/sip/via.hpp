#pragma once
// Via (RFC 3261 §20.42, §18.2.1; RFC 3581 rport; RFC 5118 IPv6):
//
//   SIP/2.0/UDP [2001:db8::9:1]:5060;branch=z9hG4bK776asdhds;received=192.0.2.1;rport=5061
//
// Protocol name and transport are stored in upper case. A missing branch is not an error: RFC
// 2543 peers omit it, and the transaction layer falls back to the old matching rules (§17.2.3).
#include "dialtone/base/result.hpp"
#include "dialtone/sip/host.hpp"
#include "dialtone/sip/params.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dialtone::sip {

// §8.1.1.7: branches of RFC 3261 elements start with this.
inline constexpr std::string_view kMagicCookie = "z9hG4bK";

struct Via {
    std::string protocol = "SIP";
    std::string version = "2.0";
    std::string transport = "UDP";
    Host host;
    std::optional<std::uint16_t> port;
    Params params;

    std::optional<std::string_view> branch() const { return params.get("branch"); }
    // The branch starts with the magic cookie "z9hG4bK" (§8.1.1.7).
    bool has_magic_cookie() const;
    std::optional<std::string_view> received() const { return params.get("received"); }
    std::optional<std::string_view> maddr() const { return params.get("maddr"); }
    std::optional<std::uint8_t> ttl() const;
    // RFC 3581: ";rport" (requested, no value yet) or ";rport=5061" (filled in by the server).
    bool has_rport() const { return params.has("rport"); }
    std::optional<std::uint16_t> rport() const;

    void set_branch(std::string branch) { params.set("branch", std::move(branch)); }
    void set_received(std::string address) { params.set("received", std::move(address)); }
    // nullopt writes the bare ";rport" flag.
    void set_rport(std::optional<std::uint16_t> port);

    void write(std::string& out) const;
    std::string to_string() const;

    friend bool operator==(const Via&, const Via&) = default;
};

// One via-parm. Errors start with "Via: ", e.g. "Via: bad sent-by port '70000'".
base::Result<Via> parse_via(std::string_view value);
// A header value with one or more comma-separated via-parms.
base::Result<std::vector<Via>> parse_via_list(std::string_view value);

}  // namespace dialtone::sip
