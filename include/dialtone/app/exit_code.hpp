#pragma once
// The process exit status of `call`, `listen`, `register`, `message` and `options`, documented in
// dialtone(1) so that scripts can branch on why a call ended.
#include <string_view>

namespace dialtone::app {

enum class ExitCode {
    Ok = 0,            // answered and ended normally (or the request succeeded)
    Usage = 1,         // bad option, config file or input file
    Network = 2,       // transport failure: no route, refused, Timer B/F expiry without response
    NoAnswer = 3,      // 408, 480, 487, --ring-timeout
    Busy = 4,          // 486, 600
    Rejected = 5,      // any other final 4xx-6xx
    AuthFailed = 6,    // 401/407 after the retry, 403
    MediaFailed = 7,   // 488/606 or SRTP required but refused
};

constexpr int to_int(ExitCode code) { return static_cast<int>(code); }

// The exit code of a final SIP status that ended a request: 2xx gives Ok; 1xx is not final and
// gives Rejected (the caller should not ask); 3xx has no redirect handling, so it is Rejected.
ExitCode exit_code_for_status(int status);

// A short name for the code ("busy", "no-answer", ...), used in events and the man page.
std::string_view exit_code_name(ExitCode code);

}  // namespace dialtone::app
