#pragma once
// The commands a script writes on stdin, one per line: `call URI`, `answer [ID]`, `hangup [ID]`,
// `dtmf DIGITS`, `hold [ID]`, `resume [ID]`, `mute [ID]`, `transfer URI`, `message URI TEXT`,
// `quit`. An ID is the `call` number of the events; without one the command applies to the
// newest call.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "dialtone/base/result.hpp"

namespace dialtone::app {

enum class ControlVerb { Call, Answer, Hangup, Dtmf, Hold, Resume, Mute, Transfer, Message, Quit };

struct ControlCommand {
    ControlVerb verb = ControlVerb::Quit;
    std::optional<std::uint64_t> call;   // answer/hangup/hold/resume/mute/dtmf/transfer
    std::string uri;                     // call, transfer, message
    std::string text;                    // dtmf digits, message text
};

// Parses one line (without its line end). Blank lines and lines starting with '#' give a
// ControlCommand-free error with an empty message, which the caller ignores.
base::Result<ControlCommand> parse_control_command(std::string_view line);

}  // namespace dialtone::app
