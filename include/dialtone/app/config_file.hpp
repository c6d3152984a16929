#pragma once
// The subset of TOML that dialtone's config file uses: `[section]` and `[account.NAME]` tables,
// `key = value` with basic "strings", 'literal strings', integers, booleans and one-line arrays of
// those, and `#` comments. Anything else is an error that names the file and line.
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "dialtone/base/result.hpp"

namespace dialtone::app {

struct ConfigValue {
    std::vector<std::string> values;   // one for a scalar, any number for an array
    bool is_array = false;
    int line = 0;
};

struct ConfigFile {
    std::string path;   // for error messages
    // Table name ("" for the top level, "account.work", "listen") -> key -> value.
    std::map<std::string, std::map<std::string, ConfigValue>> tables;

    const ConfigValue* find(const std::string& table, const std::string& key) const;
};

// Parses the text of a config file; `path` only labels errors ("FILE:LINE: ...").
base::Result<ConfigFile> parse_config(std::string_view text, std::string path);

// Reads and parses a file: "cannot read FILE: REASON" when it cannot be opened.
base::Result<ConfigFile> load_config(const std::string& path);

}  // namespace dialtone::app
