#pragma once
// Internal lexical helpers for the header-value grammars (RFC 3261 §25.1). Not installed: the
// public headers expose parsed values, never a cursor.
#include "dialtone/base/result.hpp"
#include "dialtone/sip/params.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dialtone::sip::lex {

// A set of bytes looked up in one table access; the grammars test every character of every
// header value against one, so a scan stays a load and a compare per byte.
class CharSet {
public:
    // Letters and digits when `alphanum`, plus every byte of `extra`.
    constexpr CharSet(bool alphanum, std::string_view extra) {
        if (alphanum) {
            for (char c = 'a'; c <= 'z'; ++c) in_[static_cast<unsigned char>(c)] = true;
            for (char c = 'A'; c <= 'Z'; ++c) in_[static_cast<unsigned char>(c)] = true;
            for (char c = '0'; c <= '9'; ++c) in_[static_cast<unsigned char>(c)] = true;
        }
        for (char c : extra) in_[static_cast<unsigned char>(c)] = true;
    }
    constexpr bool operator()(char c) const { return in_[static_cast<unsigned char>(c)]; }

private:
    std::array<bool, 256> in_{};
};

// token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~")
inline constexpr CharSet kTokenChars(true, "-.!%*_+`'~");
// unreserved = alphanum / mark (§25.1)
inline constexpr CharSet kUnreserved(true, "-_.!~*'()");

inline bool is_token_char(char c) { return kTokenChars(c); }
bool is_token(std::string_view s);
inline bool is_unreserved(char c) { return kUnreserved(c); }

// A read position over one header value. LWS between elements is spaces and tabs (the message
// parser has already unfolded CRLF + WSP into a single space).
class Cursor {
public:
    explicit Cursor(std::string_view text) : text_(text) {}

    bool done() const { return pos_ >= text_.size(); }
    char peek() const { return done() ? '\0' : text_[pos_]; }
    std::size_t pos() const { return pos_; }
    void set_pos(std::size_t p) { pos_ = p; }
    std::string_view rest() const { return text_.substr(pos_ < text_.size() ? pos_ : text_.size()); }
    std::string_view text() const { return text_; }

    void skip_ws();
    // Skips whitespace, then consumes `c` if it is next; otherwise leaves the position alone.
    bool eat(char c);
    // 1*token-char, possibly empty when none is next.
    std::string_view token();
    // Consumes a quoted-string (§25.1: quoted-pair escapes) into `out`, unescaped. False if the
    // next character is not a quote or the string is unterminated.
    bool quoted(std::string& out);
    // Characters up to (not including) any of `stops`, or the end.
    std::string_view until_any(std::string_view stops);

private:
    std::string_view text_;
    std::size_t pos_ = 0;
};

// Header parameters: *( SEMI generic-param ), generic-param = token [ EQUAL gen-value ],
// gen-value = token / host / quoted-string. Stops at the first character that cannot continue
// the list (a comma, say) and leaves the cursor there. `what` names the header for errors.
base::Status parse_generic_params(Cursor& c, Params& out, std::string_view what);

// Appends "\"...\"" with '"' and '\' escaped.
void write_quoted(std::string& out, std::string_view s);
// True when `s` can be written bare as a gen-value (a token, or a host with ':' and brackets).
bool is_bare_gen_value(std::string_view s);

// %XX decoding; false on a malformed escape.
bool percent_decode(std::string_view in, std::string& out);
// Appends `in`, escaping every byte for which allowed(c) is false.
void percent_encode(std::string& out, std::string_view in, bool (*allowed)(char));

// Splits on commas outside quoted strings and <...>; elements are trimmed, empty ones kept so
// the caller can report them.
std::vector<std::string_view> split_commas(std::string_view value);

// callid = word [ "@" word ] (§25.1)
bool is_call_id(std::string_view s);

base::Error fail(std::string_view what, std::string message);

// delta-seconds-like decimal with an inclusive upper bound.
std::optional<std::uint64_t> parse_number(std::string_view s, std::uint64_t max);

}  // namespace dialtone::sip::lex
