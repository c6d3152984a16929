#pragma once
// URIs in SIP (RFC 3261 §19.1, §25.1; RFC 3966 tel; RFC 5118 IPv6):
//
//   sip:user:password@host:port;uri-parameters?headers
//   sips:…                       same grammar, secure
//   tel:+1-201-555-0123;ext=12   telephone-subscriber and parameters
//   http://…, urn:…, …            any other absolute URI, kept as text (a UA answers 416)
//
// User, password, parameter and header values are stored decoded (%XX undone) and written back
// with only the escapes the grammar needs. The host is stored without IPv6 brackets (host.hpp).
// Parameter names keep their case; lookups ignore it.
#include "dialtone/base/result.hpp"
#include "dialtone/sip/host.hpp"
#include "dialtone/sip/params.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dialtone::sip {

enum class Scheme { Sip, Sips, Tel, Other };

struct UriHeader {
    std::string name;   // decoded
    std::string value;  // decoded, e.g. the Replaces value of a Refer-To target
    friend bool operator==(const UriHeader&, const UriHeader&) = default;
};

class Uri {
public:
    Uri() = default;
    // sip:[user@]host[:port] (sips: when secure). The host must already be valid.
    static Uri sip(std::string_view user, Host host, std::optional<std::uint16_t> port = std::nullopt,
                   bool secure = false);

    Scheme scheme() const { return scheme_; }
    bool is_sip() const { return scheme_ == Scheme::Sip || scheme_ == Scheme::Sips; }
    bool is_secure() const { return scheme_ == Scheme::Sips; }
    // "sip", "sips", "tel", or the other scheme in lower case.
    std::string_view scheme_name() const;

    // --- sip / sips ---
    const std::string& user() const { return user_; }  // decoded; empty when absent
    const std::optional<std::string>& password() const { return password_; }
    const Host& host() const { return host_; }
    std::optional<std::uint16_t> port() const { return port_; }

    // --- tel ---
    const std::string& number() const { return number_; }  // as written, e.g. "+1-201-555-0123"
    bool is_global_number() const { return !number_.empty() && number_.front() == '+'; }

    // --- other schemes ---
    const std::string& opaque() const { return opaque_; }  // everything after "scheme:"

    // --- parameters (sip, sips, tel) and headers (sip, sips) ---
    const Params& params() const { return params_; }
    Params& params() { return params_; }
    const std::vector<UriHeader>& headers() const { return headers_; }
    std::vector<UriHeader>& headers() { return headers_; }
    std::optional<std::string_view> header(std::string_view name) const;  // case-insensitive

    std::optional<std::string_view> transport() const { return params_.get("transport"); }
    std::optional<std::string_view> maddr() const { return params_.get("maddr"); }
    std::optional<std::string_view> user_param() const { return params_.get("user"); }
    bool lr() const { return params_.has("lr"); }

    void set_user(std::string_view user) { user_ = user; }
    void set_password(std::optional<std::string> pw) { password_ = std::move(pw); }
    void set_host(Host host) { host_ = std::move(host); }
    void set_port(std::optional<std::uint16_t> port) { port_ = port; }

    // Canonical text: lower-case scheme, minimal escaping, params and headers in order.
    void write(std::string& out) const;
    std::string to_string() const;

    // URI equality of RFC 3261 §19.1.4 (sip, sips), RFC 3966 §4 (tel), exact text otherwise.
    bool equivalent(const Uri& other) const;

    // Structural identity (what parse(write(x)) == x checks); use equivalent() to compare URIs.
    friend bool operator==(const Uri&, const Uri&) = default;

private:
    friend base::Status parse_uri_into(std::string_view, std::string_view, Uri&);

    Scheme scheme_ = Scheme::Sip;
    std::string other_scheme_;  // lower case, Other only
    std::string user_;
    std::optional<std::string> password_;
    Host host_;
    std::optional<std::uint16_t> port_;
    std::string number_;
    std::string opaque_;
    Params params_;
    std::vector<UriHeader> headers_;
};

// Parses a whole URI. Errors name `what` and the fault, e.g. "URI: bad port '70000'",
// "Contact: bad character ' ' in URI user" (status 400).
base::Result<Uri> parse_uri(std::string_view text, std::string_view what = "URI");
// The same into `out`, which must be default-constructed: no moves of the result, for the
// parsers that hold a Uri inside a larger value (name-addr). On error `out` is unspecified.
base::Status parse_uri_into(std::string_view text, std::string_view what, Uri& out);

}  // namespace dialtone::sip
