// A media module from another build: its entry symbol speaks a version this dialtone does not.
#include "dialtone/io/media_backend.hpp"

extern "C" __attribute__((visibility("default"))) const dialtone::io::MediaModuleEntry dialtone_media_module{
    dialtone::io::kMediaBackendVersion + 1, nullptr};
