#pragma once
// The receive side of one TCP/TLS connection: bytes in as each read returned them, whole SIP
// messages out as the bytes they arrived as (RFC 3261 §18.3), cut by sip::StreamFramer, plus
// the count of CRLF keep-alive pings to answer (RFC 5626 §3.5.1).
//
// A message the framer could delimit but not parse is still handed out (`malformed` names the
// fault) so the core can answer 400; a stream the framer cannot delimit (no or bad
// Content-Length, over the size limit) is `broken`, and the connection must be closed.
#include "dialtone/sip/framer.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace dialtone::io {

struct StreamMessage {
    std::string bytes;      // exactly the message's bytes, leading keep-alive CRLFs removed
    std::string malformed;  // empty when the message parsed; else why it did not
};

class StreamReader {
public:
    explicit StreamReader(std::size_t max_message_size = sip::StreamFramer::default_max_message_size);

    // Append received bytes. Ignored once broken().
    void feed(std::string_view bytes);
    // The next whole message, or nullopt when more bytes are needed or the stream broke.
    std::optional<StreamMessage> next();
    // Pings seen since the last call; each wants one CRLF back.
    std::size_t take_pings();

    bool broken() const { return framer_.failed(); }
    const std::string& error() const { return error_; }  // why the stream broke
    std::size_t buffered() const { return pending_.size(); }

private:
    sip::StreamFramer framer_;
    // The bytes the framer holds, in the same order: what it consumes by a pop() is the prefix
    // by which its buffered() count shrank, so the raw bytes of each message are known.
    std::string pending_;
    std::size_t pings_seen_ = 0;
    std::size_t pings_taken_ = 0;
    std::string error_;
};

}  // namespace dialtone::io
