#include "dialtone/app/control_command.hpp"

#include <vector>

#include "dialtone/base/strings.hpp"

namespace dialtone::app {

namespace {

std::string_view next_word(std::string_view& rest) {
    rest = base::trim_left(rest);
    std::size_t end = 0;
    while (end < rest.size() && !base::is_ws(rest[end])) ++end;
    std::string_view word = rest.substr(0, end);
    rest = base::trim_left(rest.substr(end));
    return word;
}

bool valid_digits(std::string_view digits) {
    if (digits.empty()) return false;
    for (char c : digits)
        if (std::string_view("0123456789*#ABCDabcd,").find(c) == std::string_view::npos) return false;
    return true;
}

}  // namespace

base::Result<ControlCommand> parse_control_command(std::string_view line) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    std::string_view rest = base::trim(line);
    if (rest.empty() || rest.front() == '#') return base::make_error("");
    std::string verb = base::to_lower(next_word(rest));
    ControlCommand cmd;

    // An optional trailing call number for the commands that act on one call.
    auto optional_id = [&](std::string_view what) -> base::Status {
        if (rest.empty()) return {};
        std::string_view word = next_word(rest);
        auto id = base::parse_u64(word);
        if (!id || *id == 0) return base::make_error(std::string(what) + ": '" + std::string(word) + "' is not a call number");
        cmd.call = *id;
        if (!rest.empty()) return base::make_error(std::string(what) + ": unexpected '" + std::string(rest) + "'");
        return {};
    };
    auto simple = [&](ControlVerb v) -> base::Result<ControlCommand> {
        cmd.verb = v;
        if (auto s = optional_id(verb); !s) return s.error();
        return cmd;
    };

    if (verb == "answer") return simple(ControlVerb::Answer);
    if (verb == "hangup") return simple(ControlVerb::Hangup);
    if (verb == "hold") return simple(ControlVerb::Hold);
    if (verb == "resume") return simple(ControlVerb::Resume);
    if (verb == "mute") return simple(ControlVerb::Mute);
    if (verb == "quit") {
        cmd.verb = ControlVerb::Quit;
        if (!rest.empty()) return base::make_error("quit takes no arguments");
        return cmd;
    }
    if (verb == "dtmf") {
        cmd.verb = ControlVerb::Dtmf;
        std::string_view digits = next_word(rest);
        if (!valid_digits(digits))
            return base::make_error("dtmf: expected digits from 0-9 * # A-D (',' pauses), not '" + std::string(digits) + "'");
        cmd.text = std::string(digits);
        if (auto s = optional_id("dtmf"); !s) return s.error();
        return cmd;
    }
    if (verb == "call" || verb == "transfer") {
        cmd.verb = verb == "call" ? ControlVerb::Call : ControlVerb::Transfer;
        std::string_view uri = next_word(rest);
        if (uri.empty()) return base::make_error(verb + ": missing URI");
        cmd.uri = std::string(uri);
        if (cmd.verb == ControlVerb::Transfer) {
            if (auto s = optional_id("transfer"); !s) return s.error();
        } else if (!rest.empty()) {
            return base::make_error("call: unexpected '" + std::string(rest) + "' after the URI");
        }
        return cmd;
    }
    if (verb == "message") {
        cmd.verb = ControlVerb::Message;
        std::string_view uri = next_word(rest);
        if (uri.empty()) return base::make_error("message: missing URI");
        if (rest.empty()) return base::make_error("message: missing text after the URI");
        cmd.uri = std::string(uri);
        cmd.text = std::string(rest);
        return cmd;
    }
    return base::make_error("unknown command '" + verb +
                            "' (call, answer, hangup, dtmf, hold, resume, mute, transfer, message, quit)");
}

}  // namespace dialtone::app
