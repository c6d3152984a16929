#include "dialtone/sip/multipart.hpp"

#include "dialtone/base/strings.hpp"

namespace dialtone::sip {

namespace {

constexpr int kMaxNesting = 4;

// The next ';'-separated piece of a Content-Type value, skipping ';' inside quotes.
std::string_view next_param(std::string_view& rest) {
    bool quoted = false;
    for (std::size_t i = 0; i < rest.size(); ++i) {
        const char c = rest[i];
        if (quoted && c == '\\') ++i;
        else if (c == '"') quoted = !quoted;
        else if (c == ';' && !quoted) {
            std::string_view piece = rest.substr(0, i);
            rest.remove_prefix(i + 1);
            return piece;
        }
    }
    std::string_view piece = rest;
    rest = {};
    return piece;
}

// A line in `s` starting at `from` that is a delimiter "--boundary" (RFC 2046 §5.1.1): at the
// start of the body or after a line end. Returns the position of the "--", or npos.
std::size_t find_delimiter(std::string_view s, std::string_view boundary, std::size_t from) {
    std::size_t at = from;
    while ((at = s.find("--", at)) != std::string_view::npos) {
        if ((at == 0 || s[at - 1] == '\n') && s.substr(at + 2, boundary.size()) == boundary) {
            // Only "--", padding or the line end may follow: "--b" does not begin "--bc".
            const std::size_t next = at + 2 + boundary.size();
            if (next == s.size() || s.substr(next, 2) == "--" || s[next] == '\r' || s[next] == '\n' ||
                base::is_ws(s[next]))
                return at;
        }
        at += 2;
    }
    return std::string_view::npos;
}

// Skips transport padding and the line end after a delimiter; npos when the line holds more.
std::size_t after_delimiter_line(std::string_view s, std::size_t i) {
    while (i < s.size() && base::is_ws(s[i])) ++i;
    if (i < s.size() && s[i] == '\r') ++i;
    if (i < s.size() && s[i] == '\n') return i + 1;
    return std::string_view::npos;
}

base::Error bad(std::string message) { return base::make_error(std::move(message), 400); }

// A part is its own header section, an empty line, and the content (RFC 2046 §5.1.1); a part
// that begins with the empty line has no headers.
BodyPart split_part(std::string_view part) {
    BodyPart out;
    out.content_type = "text/plain";  // RFC 2046 §5.1: the default for a part without one
    std::size_t head_end = 0, body_start = 0;
    if (part.starts_with("\r\n")) {
        body_start = 2;
    } else if (part.starts_with("\n")) {
        body_start = 1;
    } else if (auto i = part.find("\r\n\r\n"); i != std::string_view::npos) {
        head_end = i + 2;
        body_start = i + 4;
    } else if (auto j = part.find("\n\n"); j != std::string_view::npos) {
        head_end = j + 1;
        body_start = j + 2;
    } else {
        head_end = body_start = part.size();  // headers and no content
    }
    out.headers = part.substr(0, head_end);
    std::string_view rest = out.headers;
    while (!rest.empty()) {
        const std::size_t nl = rest.find('\n');
        std::string_view line = rest.substr(0, nl);
        if (line.ends_with('\r')) line.remove_suffix(1);
        rest = nl == std::string_view::npos ? std::string_view{} : rest.substr(nl + 1);
        const std::size_t colon = line.find(':');
        if (colon == std::string_view::npos) continue;
        if (header_id(base::trim(line.substr(0, colon))) == HeaderId::ContentType)
            out.content_type = base::trim(line.substr(colon + 1));
    }
    out.body = part.substr(body_start);
    return out;
}

base::Result<std::optional<std::string_view>> find_in(std::string_view content_type, std::string_view body,
                                                      std::string_view wanted, int depth) {
    auto parts = parse_multipart(content_type, body);
    if (!parts) return parts.error();
    for (const BodyPart& p : *parts) {
        const std::string_view type = media_type(p.content_type);
        if (base::iequals(type, wanted)) return std::optional<std::string_view>{p.body};
        if (base::istarts_with(type, "multipart/") && depth < kMaxNesting) {
            auto inner = find_in(p.content_type, p.body, wanted, depth + 1);
            if (!inner || *inner) return inner;
        }
    }
    return std::optional<std::string_view>{};
}

}  // namespace

std::string_view media_type(std::string_view content_type) {
    return base::trim(content_type.substr(0, content_type.find(';')));
}

std::optional<std::string_view> multipart_boundary(std::string_view content_type) {
    std::string_view rest = content_type;
    next_param(rest);  // the media type
    while (!rest.empty()) {
        const std::string_view param = next_param(rest);
        const std::size_t eq = param.find('=');
        if (eq == std::string_view::npos || !base::iequals(base::trim(param.substr(0, eq)), "boundary")) continue;
        std::string_view value = base::trim(param.substr(eq + 1));
        if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
        return value;
    }
    return std::nullopt;
}

base::Result<std::vector<BodyPart>> parse_multipart(std::string_view content_type, std::string_view body) {
    if (!base::istarts_with(media_type(content_type), "multipart/")) return bad("body is not multipart");
    const auto boundary = multipart_boundary(content_type);
    // RFC 2046 §5.1.1: 1 to 70 characters.
    if (!boundary) return bad("multipart Content-Type without a boundary parameter");
    if (boundary->empty() || boundary->size() > 70) return bad("bad boundary parameter in multipart Content-Type");

    std::size_t at = find_delimiter(body, *boundary, 0);  // what precedes it is the preamble
    if (at == std::string_view::npos) return bad("multipart body without its boundary delimiter");
    std::vector<BodyPart> parts;
    for (;;) {
        std::size_t after = at + 2 + boundary->size();
        if (body.substr(after, 2) == "--") {  // close-delimiter; what follows is the epilogue
            if (parts.empty()) return bad("multipart body without parts");
            return parts;
        }
        const std::size_t start = after_delimiter_line(body, after);
        if (start == std::string_view::npos) return bad("malformed boundary delimiter line in multipart body");
        const std::size_t next = find_delimiter(body, *boundary, start);
        if (next == std::string_view::npos) return bad("multipart body without its closing delimiter");
        // The line end before the delimiter belongs to the delimiter (§5.1.1).
        std::size_t end = next;
        if (end > start && body[end - 1] == '\n') --end;
        if (end > start && body[end - 1] == '\r') --end;
        parts.push_back(split_part(body.substr(start, end - start)));
        at = next;
    }
}

base::Result<std::optional<std::string_view>> find_part(std::string_view content_type, std::string_view body,
                                                        std::string_view wanted) {
    return find_in(content_type, body, wanted, 0);
}

base::Result<std::optional<std::string_view>> body_of_type(const Message& message, std::string_view wanted) {
    const HeaderField* ct = message.find(HeaderId::ContentType);
    if (message.body().empty() || ct == nullptr) return std::optional<std::string_view>{};
    const std::string_view type = media_type(ct->value);
    if (base::iequals(type, wanted)) return std::optional<std::string_view>{message.body()};
    if (base::istarts_with(type, "multipart/")) return find_part(ct->value, message.body(), wanted);
    return std::optional<std::string_view>{};
}

}  // namespace dialtone::sip
