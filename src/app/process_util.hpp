#pragma once
// The few POSIX chores of the driver: which local address faces a peer, and running an
// --on-event command without waiting for it.
#include <string>
#include <utility>
#include <vector>

namespace dialtone::app {

// Runs `command` through /bin/sh with `env` added to the environment and `input` on its stdin;
// does not wait. Returns false when it could not be started.
bool spawn_with_input(const std::string& command, const std::vector<std::pair<std::string, std::string>>& env,
                      const std::string& input);

// Collects finished children so none stays a zombie; returns how many.
std::size_t reap_children();

}  // namespace dialtone::app
