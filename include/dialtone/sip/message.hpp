#pragma once
// A SIP message (RFC 3261 §7): a request or a response, its header fields in order, and a body.
//
// A parsed Message owns one copy of the received bytes; the start line, each HeaderField and the
// body are string_views into it (zero copy; only a folded value is unfolded into new storage).
// Builders append owned storage, so a Message can be edited after parsing. Copies re-point every
// view into the copy's own storage; moves keep them.
#include "dialtone/sip/header_id.hpp"
#include "dialtone/sip/method.hpp"

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace dialtone::sip {

struct TypedHeaders;  // typed values parsed once and kept on the message (see typed.hpp)

struct HeaderField {
    HeaderId id = HeaderId::Other;
    std::string_view name;   // as received (or the canonical name when built)
    std::string_view value;  // trimmed; folded lines unfolded to single spaces (§7.3.1)
};

class Message {
public:
    Message();
    Message(const Message& other);
    Message& operator=(const Message& other);
    Message(Message&&) noexcept;
    Message& operator=(Message&&) noexcept;
    ~Message();

    // --- builders -------------------------------------------------------------------------
    static Message request(Method method, std::string_view request_uri);
    // Any method token, e.g. an extension method dialtone has no enum value for.
    static Message request(std::string_view method, std::string_view request_uri);
    static Message response(int status_code, std::string_view reason);

    // --- start line ------------------------------------------------------------------------
    bool is_request() const { return is_request_; }
    bool is_response() const { return !is_request_; }
    Method method() const { return method_; }             // Unknown for responses
    std::string_view method_text() const { return method_text_; }
    std::string_view request_uri() const { return request_uri_; }  // raw text; empty for responses
    std::string_view version() const { return version_; }          // "SIP/2.0" unless received otherwise
    int status_code() const { return status_code_; }               // 0 for requests
    std::string_view reason() const { return reason_; }

    void set_request_uri(std::string_view uri);
    void set_reason(std::string_view reason);

    // --- headers ---------------------------------------------------------------------------
    const std::vector<HeaderField>& headers() const { return headers_; }
    // First field with this id / name (case-insensitive, compact forms too); nullptr if none.
    // find(HeaderId::Other) is always nullptr: look unknown headers up by name.
    const HeaderField* find(HeaderId id) const;
    const HeaderField* find(std::string_view name) const;
    std::size_t count(HeaderId id) const;  // number of header lines
    // Every value across repeated lines; for comma-list headers (is_comma_list) each line is
    // also split on the commas outside quotes and <...>. Views into this message.
    std::vector<std::string_view> values(HeaderId id) const;
    std::vector<std::string_view> values(std::string_view name) const;

    // Append a line. The HeaderId overload writes the canonical name; the name overload keeps
    // the name as given (and tags it with header_id(name)).
    void add_header(HeaderId id, std::string_view value);
    void add_header(std::string_view name, std::string_view value);
    // Insert a line before all others of the same id (a proxy's Via, Record-Route), or append.
    void prepend_header(HeaderId id, std::string_view value);
    // Replace every line of that header with one line (at the first one's place), or append.
    void set_header(HeaderId id, std::string_view value);
    void set_header(std::string_view name, std::string_view value);
    // Remove every line of that header; returns how many were removed.
    std::size_t remove_header(HeaderId id);
    std::size_t remove_header(std::string_view name);

    // --- body ------------------------------------------------------------------------------
    std::string_view body() const { return body_; }
    // Sets the body and its Content-Type (removed when content_type is empty) and Content-Length.
    void set_body(std::string_view content_type, std::string_view bytes);

    // The bytes this message was parsed from, exactly as received (a datagram's bytes past
    // Content-Length included); empty for a message built from scratch. For logs and traces.
    std::string_view received_bytes() const { return raw_view_; }

    // --- output ----------------------------------------------------------------------------
    // Canonical form: canonical header names, "Name: value", CRLF line ends, one Content-Length
    // (at the first one's place, else last) that matches the body. Unknown headers keep their
    // names. parse → serialize → parse → serialize reaches a fixed point.
    std::string serialize() const;
    void serialize_to(std::string& out) const;
    // serialize().size(), counted without building the string.
    std::size_t serialized_size() const;

    // The typed From, To, Via, CSeq and Contact values, filled on first use by the accessors of
    // typed.hpp so that every layer reads one parse. Any header edit drops them; a copy starts
    // without them. Filling them from a const Message is a write: like any first read, it is not
    // safe from two threads at once.
    TypedHeaders& typed_headers() const;

private:
    friend class MessageParser;
    struct Chunk {
        std::unique_ptr<char[]> data;
        std::size_t size = 0;      // bytes in use
        std::size_t capacity = 0;  // bytes allocated; a chunk never moves or grows
    };

    std::string_view store(std::string_view bytes);  // copy into owned storage
    void copy_from(const Message& other);
    void headers_edited();  // drops the typed values

    // The received bytes of a parsed message, in one of two heap buffers (both keep their
    // address when the Message moves): a copy, or a string handed over by the caller.
    Chunk raw_;
    std::unique_ptr<std::string> raw_string_;
    std::string_view raw_view_;
    std::vector<Chunk> extra_;  // storage appended by builders, small values packed together

    bool is_request_ = true;
    Method method_ = Method::Unknown;
    int status_code_ = 0;
    std::string_view method_text_;
    std::string_view request_uri_;
    std::string_view version_;
    std::string_view reason_;
    std::vector<HeaderField> headers_;
    std::string_view body_;
    mutable std::unique_ptr<TypedHeaders> typed_;
};

}  // namespace dialtone::sip
