#pragma once
// Finding and loading the media module (media_backend.hpp). The module is looked for in
// $DIALTONE_MODULE_DIR, then beside the running binary (/proc/self/exe: the build tree), then in
// the directory it is installed to, found from the binary's own (a staged or moved install) and
// as configured; the first that holds dialtone-media.so wins. A loaded module is never unloaded:
// LeakSanitizer names leaks by the module's symbols at exit, and ALSA's plugins (loaded by
// PortAudio) are not made to be unloaded.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "dialtone/base/result.hpp"
#include "dialtone/io/media_backend.hpp"

namespace dialtone::io {

// The directories searched, in order (an unset variable is left out).
std::vector<std::string> media_module_dirs();

// The module's path, or "media module dialtone-media.so not found in DIR, DIR, DIR".
base::Result<std::string> find_media_module();

// dlopen(RTLD_NOW | RTLD_LOCAL), then the version check and the backend. Errors name the path.
base::Result<std::unique_ptr<MediaBackend>> load_media_module(const std::string& path,
                                                              const MediaBackendConfig& config);

// The backend for an app that needs it only sometimes: loaded at the first get(), never before.
class MediaModule {
public:
    explicit MediaModule(MediaBackendConfig config) : config_(std::move(config)) {}

    // The backend, loaded now if it is not yet. The first error is kept and returned again.
    base::Result<MediaBackend*> get();
    // The backend if it is loaded; never loads.
    MediaBackend* loaded() const { return backend_.get(); }

private:
    MediaBackendConfig config_;
    std::unique_ptr<MediaBackend> backend_;
    std::optional<base::Error> error_;
};

}  // namespace dialtone::io
