#include "dialtone/app/exit_code.hpp"

namespace dialtone::app {

ExitCode exit_code_for_status(int status) {
    if (status >= 200 && status < 300) return ExitCode::Ok;
    switch (status) {
    case 408: case 480: case 487: return ExitCode::NoAnswer;
    case 486: case 600: return ExitCode::Busy;
    case 401: case 407: case 403: return ExitCode::AuthFailed;
    case 488: case 606: return ExitCode::MediaFailed;
    // A 503 or 408 made locally for an unreachable next hop (RFC 3261 §8.1.3.1) is a network
    // failure, which the events say (network_failure); by status alone it is a rejection.
    default: return ExitCode::Rejected;
    }
}

std::string_view exit_code_name(ExitCode code) {
    switch (code) {
    case ExitCode::Ok: return "ok";
    case ExitCode::Usage: return "usage";
    case ExitCode::Network: return "network";
    case ExitCode::NoAnswer: return "no-answer";
    case ExitCode::Busy: return "busy";
    case ExitCode::Rejected: return "rejected";
    case ExitCode::AuthFailed: return "auth-failed";
    case ExitCode::MediaFailed: return "media-failed";
    }
    return "unknown";
}

}  // namespace dialtone::app
