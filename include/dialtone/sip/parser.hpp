#pragma once
// Parsing a SIP message's framing and syntax (RFC 3261 §7, §25): the start line, header lines
// with folding, and Content-Length against the body. Header values are not interpreted here
// (see the typed headers); every failure names the fault and carries status 400.
//
// Line ends: RFC 3261 requires CRLF. On receipt a bare LF is also accepted as a line end in the
// start line and header section (tolerant, as most stacks are; it cannot be confused with
// anything else there). The body is never touched. serialize() always writes CRLF.
#include "dialtone/base/result.hpp"
#include "dialtone/sip/message.hpp"

#include <cstddef>
#include <string>
#include <string_view>

namespace dialtone::sip {

enum class Framing {
    // UDP (§18.3): no Content-Length means the body is the rest of the datagram; a declared
    // length longer than the data is an error; a shorter one truncates the body.
    Datagram,
    // TCP/TLS (§18.3): Content-Length is mandatory and the bytes given must be exactly one
    // message (the StreamFramer cuts them).
    Stream,
};

struct ParseOptions {
    Framing framing = Framing::Datagram;
    bool allow_bare_lf = true;
    std::size_t max_header_lines = 256;  // more is an error, not unbounded work
};

base::Result<Message> parse_message(std::string_view bytes, const ParseOptions& options = {});
// The same, taking ownership of the buffer instead of copying it.
base::Result<Message> parse_message_owned(std::string bytes, const ParseOptions& options = {});

}  // namespace dialtone::sip
