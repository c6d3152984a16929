#include "terminal.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

namespace dialtone::app {

bool RawTerminal::enable(int fd) {
    if (tcgetattr(fd, &saved_) != 0) return false;
    termios raw = saved_;
    raw.c_lflag &= static_cast<tcflag_t>(~(ICANON | ECHO));   // ISIG stays: Ctrl-C is SIGINT
    raw.c_cc[VMIN] = 1;
    raw.c_cc[VTIME] = 0;
    if (tcsetattr(fd, TCSANOW, &raw) != 0) return false;
    fd_ = fd;
    return true;
}

void RawTerminal::restore() {
    if (fd_ < 0) return;
    tcsetattr(fd_, TCSANOW, &saved_);
    fd_ = -1;
}

int terminal_width(int fd) {
    winsize ws{};
    if (ioctl(fd, TIOCGWINSZ, &ws) != 0) return 0;
    return ws.ws_col;
}

}  // namespace dialtone::app
