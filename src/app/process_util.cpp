#include "process_util.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <string_view>

namespace dialtone::app {

bool spawn_with_input(const std::string& command, const std::vector<std::pair<std::string, std::string>>& env,
                      const std::string& input) {
    // Everything the child needs is built here: between fork and exec in a threaded process only
    // async-signal-safe calls are allowed, and posix_spawn makes none of ours.
    std::vector<std::string> entries;
    for (char** e = environ; *e; ++e) {
        std::string_view entry(*e);
        const auto name = entry.substr(0, entry.find('='));
        const bool replaced = std::any_of(env.begin(), env.end(), [&](const auto& kv) { return kv.first == name; });
        if (!replaced) entries.emplace_back(entry);
    }
    for (const auto& [name, value] : env) entries.push_back(name + "=" + value);
    std::vector<char*> envp;
    for (auto& e : entries) envp.push_back(e.data());
    envp.push_back(nullptr);
    std::string shell = "/bin/sh", dash_c = "-c", script = command, name = "sh";
    char* argv[] = {name.data(), dash_c.data(), script.data(), nullptr};

    int pipe_fds[2];
    if (pipe2(pipe_fds, O_CLOEXEC) != 0) return false;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[0], STDIN_FILENO);
    // The command's output must not mix into our JSON on stdout.
    posix_spawn_file_actions_adddup2(&actions, STDERR_FILENO, STDOUT_FILENO);
    // Our SIP and RTP sockets, files and pipes are not the command's to hold open.
    posix_spawn_file_actions_addclosefrom_np(&actions, 3);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t none, pipe_default;
    sigemptyset(&none);
    sigemptyset(&pipe_default);
    sigaddset(&pipe_default, SIGPIPE);   // we ignore SIGPIPE; the command should not inherit that
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &pipe_default);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    pid_t pid = 0;
    const int failed = posix_spawn(&pid, shell.c_str(), &actions, &attr, argv, envp.data());
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    if (failed) {
        close(pipe_fds[0]);
        close(pipe_fds[1]);
        return false;
    }
    close(pipe_fds[0]);
    // A command that does not read its stdin must not block us: write what fits, then close.
    fcntl(pipe_fds[1], F_SETFL, O_NONBLOCK);
    std::size_t done = 0;
    while (done < input.size()) {
        ssize_t n = write(pipe_fds[1], input.data() + done, input.size() - done);
        if (n <= 0) break;
        done += static_cast<std::size_t>(n);
    }
    close(pipe_fds[1]);
    return true;
}

std::size_t reap_children() {
    std::size_t n = 0;
    while (waitpid(-1, nullptr, WNOHANG) > 0) ++n;
    return n;
}

}  // namespace dialtone::app
