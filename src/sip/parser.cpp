#include "dialtone/sip/parser.hpp"

#include "dialtone/base/strings.hpp"

#include <array>
#include <cstring>
#include <string>

namespace dialtone::sip {

namespace {

// token (§25.1): alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~"
constexpr std::array<bool, 256> make_token_table() {
    std::array<bool, 256> t{};
    for (int c = '0'; c <= '9'; ++c) t[static_cast<std::size_t>(c)] = true;
    for (int c = 'a'; c <= 'z'; ++c) t[static_cast<std::size_t>(c)] = true;
    for (int c = 'A'; c <= 'Z'; ++c) t[static_cast<std::size_t>(c)] = true;
    for (char c : std::string_view("-.!%*_+`'~")) t[static_cast<unsigned char>(c)] = true;
    return t;
}
constexpr std::array<bool, 256> kToken = make_token_table();

bool is_token(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s)
        if (!kToken[static_cast<unsigned char>(c)]) return false;
    return true;
}

// SIP-Version = "SIP" "/" 1*DIGIT "." 1*DIGIT (§25.1; "SIP" is case-insensitive).
bool is_sip_version(std::string_view s) {
    if (s.size() < 7 || !base::istarts_with(s, "SIP/")) return false;
    std::size_t i = 4, digits = 0;
    while (i < s.size() && base::is_digit(s[i])) ++i, ++digits;
    if (digits == 0 || i >= s.size() || s[i] != '.') return false;
    ++i;
    digits = 0;
    while (i < s.size() && base::is_digit(s[i])) ++i, ++digits;
    return digits > 0 && i == s.size();
}

base::Error bad(std::string message) { return base::make_error(std::move(message), 400); }

}  // namespace

// Parses over the message's own copy of the bytes, which it leaves as received: every field is a
// view into it, except a folded value, which is unfolded into the message's builder storage.
class MessageParser {
public:
    static base::Result<Message> parse_copy(std::string_view bytes, const ParseOptions& options) {
        Message m;
        m.raw_.data = std::make_unique_for_overwrite<char[]>(bytes.empty() ? 1 : bytes.size());
        m.raw_.size = bytes.size();
        if (!bytes.empty()) std::memcpy(m.raw_.data.get(), bytes.data(), bytes.size());
        m.raw_view_ = std::string_view(m.raw_.data.get(), m.raw_.size);
        MessageParser parser(m, m.raw_.data.get(), m.raw_.size, options);
        if (auto s = parser.run(); !s) return s.error();
        return m;
    }

    static base::Result<Message> parse_owned(std::string bytes, const ParseOptions& options) {
        Message m;
        m.raw_string_ = std::make_unique<std::string>(std::move(bytes));
        m.raw_view_ = *m.raw_string_;
        MessageParser parser(m, m.raw_string_->data(), m.raw_string_->size(), options);
        if (auto s = parser.run(); !s) return s.error();
        return m;
    }

    MessageParser(Message& m, const char* data, std::size_t size, const ParseOptions& options)
        : m_(m), p_(data), n_(size), options_(options) {}

    base::Status run() {
        // §7.5: CRLFs before the start line are ignored (keep-alives on streams).
        while (pos_ < n_ && (p_[pos_] == '\n' || (p_[pos_] == '\r' && pos_ + 1 < n_ && p_[pos_ + 1] == '\n')))
            pos_ += p_[pos_] == '\r' ? 2 : 1;
        if (pos_ >= n_) return bad("empty message");

        std::string_view line;
        if (auto s = next_line(line, "start line"); !s) return s;
        if (auto s = start_line(line); !s) return s;
        if (auto s = header_section(); !s) return s;
        return body();
    }

private:
    // The line starting at pos_, without its line end; pos_ moves past the line end.
    base::Status next_line(std::string_view& line, const char* where) {
        const void* nl = std::memchr(p_ + pos_, '\n', n_ - pos_);
        if (nl == nullptr) return bad(std::string("message ends inside the ") + where + " (no line end)");
        std::size_t end = static_cast<std::size_t>(static_cast<const char*>(nl) - p_);
        std::size_t content_end = end;
        if (end > pos_ && p_[end - 1] == '\r') --content_end;
        else if (!options_.allow_bare_lf) return bad(std::string("bare LF line end in the ") + where);
        line = std::string_view(p_ + pos_, content_end - pos_);
        pos_ = end + 1;
        return {};
    }

    base::Status start_line(std::string_view line) {
        if (base::istarts_with(line, "SIP/")) return status_line(line);
        return request_line(line);
    }

    // Request-Line = Method SP Request-URI SP SIP-Version CRLF (§7.1)
    base::Status request_line(std::string_view line) {
        const std::size_t sp1 = line.find(' ');
        const std::string_view method = line.substr(0, sp1);
        if (!is_token(method)) return bad("malformed method in request line");
        if (sp1 == std::string_view::npos) return bad("missing Request-URI in request line");
        const std::string_view rest = line.substr(sp1 + 1);
        if (rest.empty() || base::is_ws(rest.front())) return bad("extra whitespace in request line");
        const std::size_t last = rest.rfind(' ');
        if (last == std::string_view::npos) return bad("missing SIP version in request line");
        const std::string_view version = rest.substr(last + 1);
        const std::string_view uri = rest.substr(0, last);
        if (version.empty() || base::is_ws(uri.back())) return bad("extra whitespace in request line");
        if (!base::istarts_with(version, "SIP/")) return bad("missing SIP version in request line");
        if (uri.find_first_of(" \t") != std::string_view::npos) return bad("whitespace inside the Request-URI");
        if (!is_sip_version(version)) return bad("malformed SIP version in request line");
        m_.is_request_ = true;
        m_.method_text_ = method;
        m_.method_ = parse_method(method);
        m_.request_uri_ = uri;
        m_.version_ = version;
        return {};
    }

    // Status-Line = SIP-Version SP Status-Code SP Reason-Phrase CRLF (§7.2)
    base::Status status_line(std::string_view line) {
        const std::size_t sp1 = line.find(' ');
        const std::string_view version = line.substr(0, sp1);
        if (!is_sip_version(version)) return bad("malformed SIP version in status line");
        if (sp1 == std::string_view::npos) return bad("missing status code in status line");
        std::string_view rest = line.substr(sp1 + 1);
        if (rest.size() < 3 || !base::is_digit(rest[0]) || !base::is_digit(rest[1]) || !base::is_digit(rest[2]) ||
            (rest.size() > 3 && rest[3] != ' '))
            return bad("bad status code in status line");
        const int code = (rest[0] - '0') * 100 + (rest[1] - '0') * 10 + (rest[2] - '0');
        if (code < 100 || code > 699) return bad("bad status code in status line");
        m_.is_request_ = false;
        m_.version_ = version;
        m_.status_code_ = code;
        // The reason phrase may be empty; be lenient about the SP before it being absent too.
        m_.reason_ = rest.size() > 4 ? rest.substr(4) : std::string_view{};
        return {};
    }

    // message-header lines up to the empty line (§7.3); LWS folding per §7.3.1.
    base::Status header_section() {
        m_.headers_.reserve(20);
        for (;;) {
            if (pos_ >= n_) return bad("message ends inside the header section (no empty line)");
            // The empty line that ends the header section.
            if (p_[pos_] == '\n') {
                if (!options_.allow_bare_lf) return bad("bare LF line end in the header section");
                ++pos_;
                return {};
            }
            if (p_[pos_] == '\r' && pos_ + 1 < n_ && p_[pos_ + 1] == '\n') {
                pos_ += 2;
                return {};
            }
            if (base::is_ws(p_[pos_])) return bad("continuation line before the first header");
            if (m_.headers_.size() >= options_.max_header_lines)
                return bad("too many header lines (more than " + std::to_string(options_.max_header_lines) + ")");
            if (auto s = header_line(); !s) return s;
        }
    }

    base::Status header_line() {
        const std::size_t line_start = pos_;
        std::string_view line;
        if (auto s = next_line(line, "header section"); !s) return s;
        // field-name HCOLON (§7.3.1): a token, optional whitespace, then the colon.
        std::size_t k = 0;
        while (k < line.size() && kToken[static_cast<unsigned char>(line[k])]) ++k;
        const std::string_view name = line.substr(0, k);
        std::size_t colon = k;
        while (colon < line.size() && base::is_ws(line[colon])) ++colon;
        if (k == 0) {
            return bad(line.find(':') == std::string_view::npos ? "malformed header line (no colon)"
                                                                : "malformed header name");
        }
        if (colon >= line.size() || line[colon] != ':') {
            if (k > 64) return bad("malformed header line (no colon)");
            return bad("malformed header line: no colon after " + std::string(name));
        }
        const HeaderId id = header_id(name);

        // The value begins after the colon and leading whitespace; it ends at the line end,
        // unless the following lines begin with SP/HT (folding), which become one space each.
        std::size_t vstart = line_start + colon + 1;
        std::size_t vend = line_start + line.size();
        while (vstart < vend && base::is_ws(p_[vstart])) ++vstart;
        while (vend > vstart && base::is_ws(p_[vend - 1])) --vend;
        std::string_view value(p_ + vstart, vend - vstart);
        if (pos_ < n_ && base::is_ws(p_[pos_])) value = unfold(value);

        if (id == HeaderId::ContentLength) {
            auto length = base::parse_u64(value);
            if (!length) return bad("bad Content-Length header");
            if (content_length_ && *content_length_ != *length) return bad("conflicting Content-Length headers");
            content_length_ = *length;
        }
        m_.headers_.push_back({id, name, value});
        return {};
    }

    // The value continues on the following lines that begin with SP/HT (§7.3.1: LWS folding);
    // each line break with the whitespace around it becomes one space.
    std::string_view unfold(std::string_view first) {
        std::string value(first);
        while (pos_ < n_ && base::is_ws(p_[pos_])) {
            std::size_t s = pos_;
            while (s < n_ && base::is_ws(p_[s])) ++s;
            const void* nl = std::memchr(p_ + s, '\n', n_ - s);
            const std::size_t end = nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - p_) : n_;
            std::size_t content_end = end;
            if (nl && end > s && p_[end - 1] == '\r') --content_end;
            else if (nl && !options_.allow_bare_lf) bare_lf_ = true;
            if (!nl) unterminated_ = true;  // a message cut inside a fold fails after the loop
            pos_ = nl ? end + 1 : n_;
            while (content_end > s && base::is_ws(p_[content_end - 1])) --content_end;
            if (content_end > s) {
                if (!value.empty()) value += ' ';
                value.append(p_ + s, content_end - s);
            }
        }
        return m_.store(value);
    }

    base::Status body() {
        if (unterminated_) return bad("message ends inside the header section (no empty line)");
        if (bare_lf_) return bad("bare LF line end in the header section");
        const std::size_t available = n_ - pos_;
        if (!content_length_) {
            // §18.3: Content-Length is mandatory over streams; over UDP the body is the rest.
            if (options_.framing == Framing::Stream)
                return bad("missing Content-Length header (mandatory over TCP and TLS)");
            m_.body_ = std::string_view(p_ + pos_, available);
            return {};
        }
        const std::uint64_t length = *content_length_;
        if (length > available) {
            return bad("Content-Length " + std::to_string(length) + " is larger than the " + std::to_string(available) +
                       " bytes of body");
        }
        if (options_.framing == Framing::Stream && length < available)
            return bad(std::to_string(available - length) + " bytes after the body declared by Content-Length");
        // §18.3: over UDP, bytes beyond Content-Length are discarded.
        m_.body_ = std::string_view(p_ + pos_, static_cast<std::size_t>(length));
        return {};
    }

    Message& m_;
    const char* p_;
    std::size_t n_;
    const ParseOptions& options_;
    std::size_t pos_ = 0;
    std::optional<std::uint64_t> content_length_;
    bool unterminated_ = false;
    bool bare_lf_ = false;
};

base::Result<Message> parse_message(std::string_view bytes, const ParseOptions& options) {
    return MessageParser::parse_copy(bytes, options);
}

base::Result<Message> parse_message_owned(std::string bytes, const ParseOptions& options) {
    return MessageParser::parse_owned(std::move(bytes), options);
}

}  // namespace dialtone::sip
