#include "dialtone/app/version.hpp"

#include "dialtone_version.h"

namespace dialtone::app {

std::string_view version() { return DIALTONE_VERSION; }

}  // namespace dialtone::app
