#pragma once
// Parameters of a URI or a header value: ";name" or ";name=value", in order. Names compare
// case-insensitively (RFC 3261 §7.3.1, §19.1.4) but are kept as written, so a value we echo
// (a Record-Route URI, a Via) goes back out as it came in.
#include "dialtone/base/result.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dialtone::sip {

struct Param {
    std::string name;
    std::optional<std::string> value;  // nullopt for a flag such as ";lr" or ";rport"
    bool quoted = false;               // a header value written as a quoted-string (unescaped here)

    friend bool operator==(const Param&, const Param&) = default;
};

class Params {
public:
    Params() = default;

    // First parameter with this name (case-insensitive); nullptr if absent.
    const Param* find(std::string_view name) const;
    bool has(std::string_view name) const { return find(name) != nullptr; }
    // The value of `name`; nullopt when absent, "" when present as a flag.
    std::optional<std::string_view> get(std::string_view name) const;

    // Replaces the first parameter of that name (keeping its place), or appends.
    void set(std::string_view name, std::optional<std::string> value = std::nullopt, bool quoted = false);
    void add(Param p) { items_.push_back(std::move(p)); }
    // Removes every parameter of that name; returns how many.
    std::size_t remove(std::string_view name);

    const std::vector<Param>& items() const { return items_; }
    auto begin() const { return items_.begin(); }
    auto end() const { return items_.end(); }
    std::size_t size() const { return items_.size(); }
    bool empty() const { return items_.empty(); }

    // Header-parameter form: ";name", ";name=token", ";name=\"quoted\"" (quoted when the
    // parameter was quoted or its value is not a bare token/host).
    void write(std::string& out) const;
    std::string to_string() const;

    friend bool operator==(const Params&, const Params&) = default;

private:
    std::vector<Param> items_;
};

// Header parameters, e.g. ";tag=a6c85cf;received=192.0.2.1;x=\"y z\"" (empty text is none).
// Leading whitespace is allowed; the text must start with ';'.
base::Result<Params> parse_params(std::string_view text);

}  // namespace dialtone::sip
