#include "process_util.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <cstring>

namespace dialtone::app {

bool spawn_with_input(const std::string& command, const std::vector<std::pair<std::string, std::string>>& env,
                      const std::string& input) {
    int pipe_fds[2];
    if (pipe2(pipe_fds, O_CLOEXEC) != 0) return false;
    pid_t pid = fork();
    if (pid < 0) {
        close(pipe_fds[0]);
        close(pipe_fds[1]);
        return false;
    }
    if (pid == 0) {
        dup2(pipe_fds[0], STDIN_FILENO);
        // The command's output must not mix into our JSON on stdout.
        dup2(STDERR_FILENO, STDOUT_FILENO);
        for (const auto& [name, value] : env) setenv(name.c_str(), value.c_str(), 1);
        signal(SIGPIPE, SIG_DFL);
        execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
        _exit(127);
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
