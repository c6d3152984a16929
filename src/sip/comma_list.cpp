#include "dialtone/sip/comma_list.hpp"

#include "dialtone/base/strings.hpp"

namespace dialtone::sip {

void split_comma_list(std::string_view value, std::vector<std::string_view>& out) {
    bool in_quotes = false;
    int angle = 0;
    std::size_t start = 0;
    auto emit = [&](std::size_t end) {
        auto piece = base::trim(value.substr(start, end - start));
        if (!piece.empty()) out.push_back(piece);
    };
    for (std::size_t i = 0; i < value.size(); ++i) {
        const char c = value[i];
        if (in_quotes) {
            if (c == '\\') ++i;  // quoted-pair (§25.1): the next character is literal
            else if (c == '"') in_quotes = false;
        } else if (c == '"') {
            in_quotes = true;
        } else if (c == '<') {
            ++angle;
        } else if (c == '>') {
            if (angle > 0) --angle;
        } else if (c == ',' && angle == 0) {
            emit(i);
            start = i + 1;
        }
    }
    emit(value.size());
}

std::vector<std::string_view> split_comma_list(std::string_view value) {
    std::vector<std::string_view> out;
    split_comma_list(value, out);
    return out;
}

}  // namespace dialtone::sip
