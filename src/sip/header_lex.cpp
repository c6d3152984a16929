#include "header_lex.hpp"

#include "dialtone/base/strings.hpp"

namespace dialtone::sip::lex {

using base::is_alpha;
using base::is_digit;

bool is_token(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s)
        if (!is_token_char(c)) return false;
    return true;
}

void Cursor::skip_ws() {
    while (pos_ < text_.size() && (base::is_ws(text_[pos_]) || text_[pos_] == '\r' || text_[pos_] == '\n')) ++pos_;
}

bool Cursor::eat(char c) {
    std::size_t save = pos_;
    skip_ws();
    if (peek() == c && !done()) {
        ++pos_;
        return true;
    }
    pos_ = save;
    return false;
}

std::string_view Cursor::token() {
    std::size_t start = pos_;
    while (pos_ < text_.size() && is_token_char(text_[pos_])) ++pos_;
    return text_.substr(start, pos_ - start);
}

bool Cursor::quoted(std::string& out) {
    if (peek() != '"' || done()) return false;
    std::size_t p = pos_ + 1;
    out.clear();
    while (p < text_.size()) {
        char ch = text_[p];
        if (ch == '"') {
            pos_ = p + 1;
            return true;
        }
        if (ch == '\\') {
            if (p + 1 >= text_.size() || text_[p + 1] == '\r' || text_[p + 1] == '\n') return false;
            out.push_back(text_[p + 1]);
            p += 2;
            continue;
        }
        if (ch == '\r' || ch == '\n') return false;
        out.push_back(ch);
        ++p;
    }
    return false;
}

std::string_view Cursor::until_any(std::string_view stops) {
    // `stops` is a handful of bytes: compare against each inline rather than search it per byte.
    const std::size_t start = pos_;
    const std::size_t n = text_.size();
    if (stops.size() == 1 && pos_ < n) {  // one stop: a memchr
        const std::size_t at = text_.find(stops.front(), pos_);
        pos_ = at == std::string_view::npos ? n : at;
        return text_.substr(start, pos_ - start);
    }
    while (pos_ < n) {
        const char ch = text_[pos_];
        bool stop = false;
        for (char s : stops) stop |= ch == s;
        if (stop) break;
        ++pos_;
    }
    return text_.substr(start, pos_ - start);
}

namespace {
constexpr CharSet kGenValueChars(true, "-.!%*_+`'~:[]");
bool is_gen_value_char(char c) { return kGenValueChars(c); }
}  // namespace

base::Status parse_generic_params(Cursor& c, Params& out, std::string_view what) {
    for (;;) {
        if (!c.eat(';')) return {};
        c.skip_ws();
        std::string_view name = c.token();
        if (name.empty()) return fail(what, "empty parameter name");
        Param p;
        p.name = std::string(name);
        if (c.eat('=')) {
            c.skip_ws();
            if (c.peek() == '"') {
                std::string v;
                if (!c.quoted(v)) return fail(what, "unterminated quoted value of parameter '" + p.name + "'");
                p.value = std::move(v);
                p.quoted = true;
            } else {
                std::size_t start = c.pos();
                while (!c.done() && is_gen_value_char(c.peek())) c.set_pos(c.pos() + 1);
                std::string_view v = c.text().substr(start, c.pos() - start);
                if (v.empty()) return fail(what, "parameter '" + p.name + "' has an empty value");
                p.value = std::string(v);
            }
        }
        out.add(std::move(p));
    }
}

void write_quoted(std::string& out, std::string_view s) {
    out.push_back('"');
    for (char ch : s) {
        if (ch == '"' || ch == '\\') out.push_back('\\');
        out.push_back(ch);
    }
    out.push_back('"');
}

bool is_bare_gen_value(std::string_view s) {
    if (s.empty()) return false;
    for (char ch : s)
        if (!is_gen_value_char(ch)) return false;
    return true;
}

namespace {
int hex_value(char c) {
    if (is_digit(c)) return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}
}  // namespace

bool percent_decode(std::string_view in, std::string& out) {
    if (in.find('%') == std::string_view::npos) {  // the usual case: nothing escaped
        out.assign(in);
        return true;
    }
    out.clear();
    out.reserve(in.size());
    for (std::size_t i = 0; i < in.size(); ++i) {
        if (in[i] != '%') {
            out.push_back(in[i]);
            continue;
        }
        if (i + 2 >= in.size()) return false;
        int hi = hex_value(in[i + 1]);
        int lo = hex_value(in[i + 2]);
        if (hi < 0 || lo < 0) return false;
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
    }
    return true;
}

void percent_encode(std::string& out, std::string_view in, bool (*allowed)(char)) {
    static constexpr char digits[] = "0123456789ABCDEF";
    for (unsigned char ch : in) {
        if (allowed(static_cast<char>(ch))) {
            out.push_back(static_cast<char>(ch));
        } else {
            out.push_back('%');
            out.push_back(digits[ch >> 4]);
            out.push_back(digits[ch & 15]);
        }
    }
}

std::vector<std::string_view> split_commas(std::string_view value) {
    std::vector<std::string_view> out;
    if (value.find(',') == std::string_view::npos) {  // the usual case: one element
        out.push_back(base::trim(value));
        return out;
    }
    bool in_quotes = false;
    int angle = 0;
    std::size_t start = 0;
    for (std::size_t i = 0; i < value.size(); ++i) {
        char ch = value[i];
        if (in_quotes) {
            if (ch == '\\') ++i;
            else if (ch == '"') in_quotes = false;
            continue;
        }
        if (ch == '"') in_quotes = true;
        else if (ch == '<') ++angle;
        else if (ch == '>' && angle > 0) --angle;
        else if (ch == ',' && angle == 0) {
            out.push_back(base::trim(value.substr(start, i - start)));
            start = i + 1;
        }
    }
    out.push_back(base::trim(value.substr(start)));
    return out;
}

namespace {
// word (§25.1): the characters a Call-ID is made of.
constexpr CharSet kWordChars(true, "-.!%*_+`'~()<>:\\\"/[]?{}");
bool is_word_char(char c) { return kWordChars(c); }
bool is_word(std::string_view w) {
    if (w.empty()) return false;
    for (char c : w)
        if (!is_word_char(c)) return false;
    return true;
}
}  // namespace

bool is_call_id(std::string_view s) {
    std::size_t at = s.find('@');
    if (at == std::string_view::npos) return is_word(s);
    return is_word(s.substr(0, at)) && is_word(s.substr(at + 1));
}

base::Error fail(std::string_view what, std::string message) {
    std::string m(what);
    m += ": ";
    m += message;
    return base::make_error(std::move(m), 400);
}

std::optional<std::uint64_t> parse_number(std::string_view s, std::uint64_t max) {
    auto v = base::parse_u64(s);
    if (!v || *v > max) return std::nullopt;
    return v;
}

}  // namespace dialtone::sip::lex
