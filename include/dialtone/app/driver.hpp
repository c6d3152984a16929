#pragma once
// Runs one resolved command: wires ua::UserAgent, the SIP transports and the media engine on one
// event loop, writes events to stdout, reads control commands from stdin, returns the exit code.
#include "dialtone/app/options.hpp"

namespace dialtone::app {

int run_command(const Options& options);

}  // namespace dialtone::app
