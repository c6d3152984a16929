#include "dialtone/app/config_file.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "dialtone/base/strings.hpp"

namespace dialtone::app {

namespace {

using base::Error;

bool is_bare_key_char(char c) { return base::is_alpha(c) || base::is_digit(c) || c == '-' || c == '_'; }

class LineParser {
public:
    LineParser(std::string_view s, const std::string& path, int line) : s_(s), path_(path), line_(line) {}

    Error fail(const std::string& what) const {
        return base::make_error(path_ + ":" + std::to_string(line_) + ": " + what);
    }
    void skip_ws() { while (pos_ < s_.size() && base::is_ws(s_[pos_])) ++pos_; }
    bool at_end() const { return pos_ >= s_.size(); }
    char peek() const { return at_end() ? '\0' : s_[pos_]; }
    bool eat(char c) {
        if (peek() != c) return false;
        ++pos_;
        return true;
    }
    // Nothing but blanks and a comment may follow a complete line.
    base::Status expect_line_end() {
        skip_ws();
        if (at_end() || peek() == '#') return {};
        return fail("unexpected '" + std::string(s_.substr(pos_)) + "' after the value");
    }

    // A bare key or a quoted one.
    base::Result<std::string> key() {
        skip_ws();
        if (peek() == '"' || peek() == '\'') return string_value();
        std::size_t start = pos_;
        while (pos_ < s_.size() && is_bare_key_char(s_[pos_])) ++pos_;
        if (start == pos_) return fail("expected a key");
        return std::string(s_.substr(start, pos_ - start));
    }

    // Dotted keys, as in [account.work] or [account."home office"].
    base::Result<std::string> dotted_key() {
        std::string out;
        for (;;) {
            auto part = key();
            if (!part) return part.error();
            if (!out.empty()) out += '.';
            out += *part;
            skip_ws();
            if (!eat('.')) return out;
        }
    }

    base::Result<std::string> string_value() {
        char quote = s_[pos_++];
        std::string out;
        while (!at_end()) {
            char c = s_[pos_++];
            if (c == quote) return out;
            if (quote == '"' && c == '\\') {
                if (at_end()) break;
                char e = s_[pos_++];
                switch (e) {
                case 'n': out += '\n'; break;
                case 't': out += '\t'; break;
                case '"': out += '"'; break;
                case '\\': out += '\\'; break;
                default: return fail(std::string("unknown escape \\") + e + " in a string");
                }
                continue;
            }
            out += c;
        }
        return fail("string not closed on this line");
    }

    // A scalar: string, integer or boolean, kept as text.
    base::Result<std::string> scalar() {
        skip_ws();
        if (peek() == '"' || peek() == '\'') return string_value();
        std::size_t start = pos_;
        while (pos_ < s_.size() && !base::is_ws(s_[pos_]) && s_[pos_] != ',' && s_[pos_] != ']' &&
               s_[pos_] != '#')
            ++pos_;
        std::string_view word = s_.substr(start, pos_ - start);
        if (word == "true" || word == "false") return std::string(word);
        std::string_view digits = word;
        if (!digits.empty() && (digits[0] == '-' || digits[0] == '+')) digits.remove_prefix(1);
        if (!digits.empty() && base::parse_u64(digits)) return std::string(word);
        if (word.empty()) return fail("expected a value");
        return fail("value '" + std::string(word) + "' is not a quoted string, a number or true/false");
    }

    base::Result<ConfigValue> value() {
        skip_ws();
        ConfigValue v;
        v.line = line_;
        if (!eat('[')) {
            auto s = scalar();
            if (!s) return s.error();
            v.values.push_back(std::move(*s));
            return v;
        }
        v.is_array = true;
        skip_ws();
        if (eat(']')) return v;
        for (;;) {
            auto s = scalar();
            if (!s) return s.error();
            v.values.push_back(std::move(*s));
            skip_ws();
            if (eat(']')) return v;
            if (!eat(',')) return fail("expected ',' or ']' in an array (arrays must fit on one line)");
            skip_ws();
            if (eat(']')) return v;   // trailing comma
        }
    }

private:
    std::string_view s_;
    std::size_t pos_ = 0;
    const std::string& path_;
    int line_;
};

}  // namespace

const ConfigValue* ConfigFile::find(const std::string& table, const std::string& key) const {
    auto t = tables.find(table);
    if (t == tables.end()) return nullptr;
    auto k = t->second.find(key);
    return k == t->second.end() ? nullptr : &k->second;
}

base::Result<ConfigFile> parse_config(std::string_view text, std::string path) {
    ConfigFile file;
    file.path = std::move(path);
    file.tables[""];
    std::string table;
    int line_no = 0;
    while (!text.empty()) {
        std::size_t nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
        ++line_no;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        LineParser p(line, file.path, line_no);
        p.skip_ws();
        if (p.at_end() || p.peek() == '#') continue;
        if (p.eat('[')) {
            if (p.peek() == '[') return p.fail("arrays of tables ([[...]]) are not supported");
            auto name = p.dotted_key();
            if (!name) return name.error();
            p.skip_ws();
            if (!p.eat(']')) return p.fail("expected ']' after the table name");
            if (auto end = p.expect_line_end(); !end) return end.error();
            table = *name;
            if (file.tables.count(table) && !file.tables[table].empty())
                return p.fail("table [" + table + "] defined twice");
            file.tables[table];
            continue;
        }
        auto key = p.key();
        if (!key) return key.error();
        p.skip_ws();
        if (!p.eat('=')) return p.fail("expected '=' after key '" + *key + "'");
        auto value = p.value();
        if (!value) return value.error();
        if (auto end = p.expect_line_end(); !end) return end.error();
        auto& keys = file.tables[table];
        if (keys.count(*key)) return p.fail("key '" + *key + "' set twice");
        keys.emplace(std::move(*key), std::move(*value));
    }
    return file;
}

base::Result<ConfigFile> load_config(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return base::make_error("cannot read config file " + path + ": " + std::strerror(errno));
    std::ostringstream text;
    text << in.rdbuf();
    return parse_config(text.str(), path);
}

}  // namespace dialtone::app
