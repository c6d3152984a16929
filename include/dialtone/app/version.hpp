#pragma once
#include <string_view>

namespace dialtone::app {

// The program's version, as meson's project() declares it.
std::string_view version();

}  // namespace dialtone::app
