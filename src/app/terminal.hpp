#pragma once
// The controlling terminal in interactive mode: keys without Enter and without echo (Ctrl-C
// still signals), restored on exit; and its width for the status lines.
#include <termios.h>

namespace dialtone::app {

class RawTerminal {
public:
    RawTerminal() = default;
    ~RawTerminal() { restore(); }
    RawTerminal(const RawTerminal&) = delete;
    RawTerminal& operator=(const RawTerminal&) = delete;

    bool enable(int fd);
    void restore();

private:
    int fd_ = -1;
    termios saved_{};
};

// Columns of the terminal on `fd`; 0 when unknown.
int terminal_width(int fd);

}  // namespace dialtone::app
