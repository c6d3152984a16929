#pragma once
// multipart/mixed bodies (RFC 2046 §5.1, RFC 5621): finding the part of a given content type,
// e.g. the SDP next to an ISUP or XML part.
#include "dialtone/base/result.hpp"
#include "dialtone/sip/message.hpp"

#include <optional>
#include <string_view>
#include <vector>

namespace dialtone::sip {

struct BodyPart {
    std::string_view headers;       // the part's header section as received
    std::string_view content_type;  // its Content-Type value ("text/plain" when absent, §5.1)
    std::string_view body;          // the part's content, views into the message body
};

// The media type of a Content-Type value: "type/subtype" without parameters, trimmed.
std::string_view media_type(std::string_view content_type);
// The boundary parameter of a Content-Type value (quotes removed); nullopt when absent.
std::optional<std::string_view> multipart_boundary(std::string_view content_type);

// All parts of a multipart body; fails naming the fault (no boundary, no closing delimiter, …).
base::Result<std::vector<BodyPart>> parse_multipart(std::string_view content_type, std::string_view body);

// The content of the first part whose media type is `wanted` (case-insensitive), or nullopt.
base::Result<std::optional<std::string_view>> find_part(std::string_view content_type,
                                                        std::string_view body, std::string_view wanted);

// The body of `message` if its Content-Type is `wanted`, else the matching part of a
// multipart/mixed body, else nullopt (also for a message without a body).
base::Result<std::optional<std::string_view>> body_of_type(const Message& message, std::string_view wanted);

}  // namespace dialtone::sip
