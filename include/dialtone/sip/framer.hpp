#pragma once
// Cutting a TCP/TLS byte stream into SIP messages (RFC 3261 §18.3): the header section ends at
// the first empty line and Content-Length (mandatory on streams) says where the body ends.
// Feed it whatever each read returned — half a message, several, CRLF keep-alives between them
// (RFC 5626 §3.5.1) — and pop whole messages.
#include "dialtone/base/result.hpp"
#include "dialtone/sip/message.hpp"
#include "dialtone/sip/parser.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace dialtone::sip {

class StreamFramer {
public:
    static constexpr std::size_t default_max_message_size = 64 * 1024;

    explicit StreamFramer(std::size_t max_message_size = default_max_message_size);

    // Append received bytes. Fails once the stream is broken (see failed()); the bytes are
    // then dropped. Call pop() until it yields nothing after each feed: then buffering never
    // grows past max_message_size plus one read's worth.
    base::Status feed(std::string_view bytes);

    // The next whole message:
    //   ok + nullopt  — need more bytes;
    //   ok + Message  — one message, consumed from the buffer;
    //   error         — either that message was framed but malformed (it is consumed and the
    //                   stream goes on), or the stream itself is broken: no or bad Content-Length,
    //                   a message over max_message_size. Then failed() is true, every later call
    //                   returns the same error, and the connection should be closed.
    base::Result<std::optional<Message>> pop();

    // The same framing without the parse: the next whole message's bytes exactly as received
    // (keep-alive CRLFs before it removed), for a caller that parses later or keeps the raw
    // bytes. The view stays valid until the next feed(). Errors are the stream errors above.
    base::Result<std::optional<std::string_view>> pop_frame();

    bool failed() const { return failed_; }
    std::size_t buffered() const { return failed_ ? 0 : buffer_.size() - start_; }
    // Double-CRLF keep-alive pings seen between messages (RFC 5626 §3.5.1: answer each with CRLF).
    std::size_t pings() const { return pings_; }

private:
    base::Error fail(std::string message);

    std::string buffer_;
    std::size_t start_ = 0;  // consumed prefix of buffer_
    std::size_t max_message_size_;
    std::size_t pings_ = 0;
    int crlf_run_ = 0;  // CRLFs seen since the last message or ping
    // Progress on the message at start_, so a message arriving a byte at a time is scanned once.
    std::size_t scanned_ = 0;  // bytes after start_ searched for the end of the header section
    std::size_t total_ = 0;    // its whole size once the header section is complete; 0 before
    bool failed_ = false;
    base::Error error_;
};

}  // namespace dialtone::sip
