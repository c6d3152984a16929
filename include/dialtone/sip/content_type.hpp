#pragma once
// Media types: Content-Type (RFC 3261 §20.15) and the media ranges of Accept (§20.1).
//
//   application/sdp
//   multipart/mixed;boundary="unique-boundary-1"
//   text/*;q=0.5                 (Accept only)
//
// Type and subtype are case-insensitive and stored in lower case; parameter values keep their
// case (a multipart boundary is case-sensitive).
#include "dialtone/base/result.hpp"
#include "dialtone/sip/params.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace dialtone::sip {

struct MediaType {
    std::string type;
    std::string subtype;
    Params params;

    // Case-insensitive type/subtype test, e.g. is("application", "sdp").
    bool is(std::string_view t, std::string_view s) const;
    // This (a media range, possibly with '*') covers `t`/`s`: "*/*", "text/*", "text/plain".
    bool covers(std::string_view t, std::string_view s) const;
    std::optional<std::string_view> param(std::string_view name) const { return params.get(name); }

    void write(std::string& out) const;
    std::string to_string() const;

    friend bool operator==(const MediaType&, const MediaType&) = default;
};

// Content-Type (and Content-Type-like values): no wildcards. Errors start with "Content-Type: ".
base::Result<MediaType> parse_content_type(std::string_view value);
// Accept: a possibly empty list of media ranges (§20.1: an empty Accept accepts no body).
base::Result<std::vector<MediaType>> parse_accept(std::string_view value);

}  // namespace dialtone::sip
