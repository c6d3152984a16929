#include "process_util.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <cstring>

namespace dialtone::app {

std::string local_ip_towards(const std::string& host) {
    bool v6 = host.find(':') != std::string::npos;
    int fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_DGRAM, 0);
    if (fd < 0) return v6 ? "::1" : "127.0.0.1";
    std::string out = v6 ? "::1" : "127.0.0.1";
    if (v6) {
        sockaddr_in6 a{};
        a.sin6_family = AF_INET6;
        a.sin6_port = htons(9);
        if (inet_pton(AF_INET6, host.c_str(), &a.sin6_addr) == 1 &&
            connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0) {
            socklen_t len = sizeof a;
            char buf[INET6_ADDRSTRLEN];
            if (getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0 &&
                inet_ntop(AF_INET6, &a.sin6_addr, buf, sizeof buf))
                out = buf;
        }
    } else {
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_port = htons(9);
        if (inet_pton(AF_INET, host.c_str(), &a.sin_addr) == 1 &&
            connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0) {
            socklen_t len = sizeof a;
            char buf[INET_ADDRSTRLEN];
            if (getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0 &&
                inet_ntop(AF_INET, &a.sin_addr, buf, sizeof buf))
                out = buf;
        }
    }
    close(fd);
    return out;
}

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

void reap_children() {
    while (waitpid(-1, nullptr, WNOHANG) > 0) {
    }
}

}  // namespace dialtone::app
