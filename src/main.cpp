#include <cstdio>
#include <string>
#include <vector>

#include "dialtone/app/driver.hpp"
#include "dialtone/app/options.hpp"

int main(int argc, char** argv) {
    using namespace dialtone::app;
    std::vector<std::string> args(argv + 1, argv + argc);
    ParseOutcome parsed = parse_options(args, process_environment());
    if (!parsed.options) {
        std::fputs(parsed.text.c_str(), parsed.to_stderr ? stderr : stdout);
        return parsed.exit_code;
    }
    return run_command(*parsed.options);
}
