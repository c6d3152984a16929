#include "dialtone/sip/framer.hpp"

#include "dialtone/base/strings.hpp"
#include "dialtone/sip/header_id.hpp"

#include <cstring>

namespace dialtone::sip {

namespace {

// The end of the header section (just past its empty line) in `s`, or npos.
std::size_t header_section_end(std::string_view s, std::size_t from) {
    std::size_t i = from;
    while (i < s.size()) {
        const void* nl = std::memchr(s.data() + i, '\n', s.size() - i);
        if (nl == nullptr) return std::string_view::npos;
        const std::size_t at = static_cast<std::size_t>(static_cast<const char*>(nl) - s.data());
        if (at + 1 < s.size() && s[at + 1] == '\n') return at + 2;
        if (at + 2 < s.size() && s[at + 1] == '\r' && s[at + 2] == '\n') return at + 3;
        i = at + 1;
    }
    return std::string_view::npos;
}

struct Length {
    bool found = false;
    bool bad = false;
    bool conflict = false;
    std::uint64_t value = 0;
};

// Content-Length (or its compact form "l") among the header lines of `head`.
Length find_content_length(std::string_view head) {
    Length out;
    std::size_t i = 0;
    while (i < head.size()) {
        std::size_t end = head.find('\n', i);
        if (end == std::string_view::npos) end = head.size();
        std::string_view line = head.substr(i, end - i);
        i = end + 1;
        if (line.empty() || base::is_ws(line[0])) continue;
        const std::size_t colon = line.find(':');
        if (colon == std::string_view::npos) continue;
        if (header_id(base::trim_right(line.substr(0, colon))) != HeaderId::ContentLength) continue;
        std::string_view value = line.substr(colon + 1);
        if (!value.empty() && value.back() == '\r') value.remove_suffix(1);
        auto n = base::parse_u64(base::trim(value));
        if (!n) {
            out.bad = true;
            return out;
        }
        if (out.found && out.value != *n) out.conflict = true;
        out.found = true;
        out.value = *n;
    }
    return out;
}

}  // namespace

StreamFramer::StreamFramer(std::size_t max_message_size) : max_message_size_(max_message_size) {}

base::Error StreamFramer::fail(std::string message) {
    // The buffer is dropped by the next feed(), not here: a frame handed out stays valid.
    failed_ = true;
    error_ = base::make_error(std::move(message), 400);
    return error_;
}

base::Status StreamFramer::feed(std::string_view bytes) {
    if (failed_) {
        buffer_ = std::string();
        start_ = 0;
        return error_;
    }
    if (start_ > 0) {
        buffer_.erase(0, start_);
        start_ = 0;
    }
    buffer_.append(bytes);
    return {};
}

base::Result<std::optional<std::string_view>> StreamFramer::pop_frame() {
    using Frame = std::optional<std::string_view>;
    if (failed_) return error_;
    // CRLFs between messages are keep-alives (§7.5, RFC 5626 §3.5.1): a double CRLF is a ping.
    // The buffer is only compacted in feed(), so views handed out stay valid until then.
    while (start_ < buffer_.size()) {
        const char c = buffer_[start_];
        if (c == '\n') {
            ++start_;
        } else if (c == '\r') {
            if (start_ + 1 >= buffer_.size()) return Frame{};  // wait for its LF
            if (buffer_[start_ + 1] != '\n') break;
            start_ += 2;
        } else {
            break;
        }
        if (++crlf_run_ == 2) {
            ++pings_;
            crlf_run_ = 0;
        }
    }
    if (start_ == buffer_.size()) return Frame{};
    crlf_run_ = 0;

    const std::string_view pending = std::string_view(buffer_).substr(start_);
    if (total_ == 0) {
        // Resume a little before where the last search stopped: the empty line may straddle reads.
        const std::size_t from = scanned_ > 2 ? scanned_ - 2 : 0;
        const std::size_t head_end = header_section_end(pending, from);
        if (head_end == std::string_view::npos) {
            scanned_ = pending.size();
            if (pending.size() > max_message_size_)
                return fail("header section longer than the maximum message size of " +
                            std::to_string(max_message_size_) + " bytes");
            return Frame{};
        }
        const Length length = find_content_length(pending.substr(0, head_end));
        if (length.bad) return fail("bad Content-Length header");
        if (length.conflict) return fail("conflicting Content-Length headers");
        if (!length.found) return fail("missing Content-Length header (mandatory over TCP and TLS)");
        if (length.value > max_message_size_ || head_end + length.value > max_message_size_) {
            return fail("message of " + std::to_string(head_end) + " + " + std::to_string(length.value) +
                        " bytes exceeds the maximum message size of " + std::to_string(max_message_size_) + " bytes");
        }
        total_ = head_end + static_cast<std::size_t>(length.value);
    }
    const std::size_t total = total_;
    if (pending.size() < total) return Frame{};
    total_ = 0;
    scanned_ = 0;
    start_ += total;
    return Frame{pending.substr(0, total)};
}

base::Result<std::optional<Message>> StreamFramer::pop() {
    auto frame = pop_frame();
    if (!frame) return frame.error();
    if (!frame->has_value()) return std::optional<Message>{};
    ParseOptions options;
    options.framing = Framing::Stream;
    auto parsed = parse_message(**frame, options);
    if (!parsed) return parsed.error();
    return std::optional<Message>{std::move(parsed).value()};
}

}  // namespace dialtone::sip
