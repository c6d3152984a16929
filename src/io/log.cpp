#include "dialtone/io/log.hpp"

namespace dialtone::io {

std::string_view to_string(LogLevel level) {
    switch (level) {
        case LogLevel::Debug: return "debug";
        case LogLevel::Info: return "info";
        case LogLevel::Warning: return "warning";
        case LogLevel::Error: return "error";
    }
    return "unknown";
}

}  // namespace dialtone::io
