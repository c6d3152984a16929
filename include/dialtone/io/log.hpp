#pragma once
// A logging callback for io/: the application decides where lines go (stderr, a file); io/
// itself never writes to stdout or stderr. An empty Logger drops everything.
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace dialtone::io {

enum class LogLevel : std::uint8_t { Debug, Info, Warning, Error };

std::string_view to_string(LogLevel level);

class Logger {
public:
    using Sink = std::function<void(LogLevel, std::string_view message)>;

    Logger() = default;
    explicit Logger(Sink sink) : sink_(std::move(sink)) {}

    void log(LogLevel level, std::string_view message) const {
        if (sink_) sink_(level, message);
    }
    void debug(std::string_view message) const { log(LogLevel::Debug, message); }
    void info(std::string_view message) const { log(LogLevel::Info, message); }
    void warning(std::string_view message) const { log(LogLevel::Warning, message); }
    void error(std::string_view message) const { log(LogLevel::Error, message); }

private:
    Sink sink_;
};

}  // namespace dialtone::io
