#include "dialtone/io/media_module.hpp"

#include <dlfcn.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "media_module_dir.h"  // DIALTONE_MODULE_INSTALL_DIR and _DIR_FROM_BIN, set at configure time

namespace dialtone::io {

std::vector<std::string> media_module_dirs() {
    std::vector<std::string> dirs;
    if (const char* env = std::getenv("DIALTONE_MODULE_DIR"); env && *env) dirs.emplace_back(env);
    std::error_code ec;
    auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        dirs.push_back(exe.parent_path().string());
        if (*DIALTONE_MODULE_DIR_FROM_BIN)
            dirs.push_back((exe.parent_path() / DIALTONE_MODULE_DIR_FROM_BIN).lexically_normal().string());
    }
    if (std::find(dirs.begin(), dirs.end(), DIALTONE_MODULE_INSTALL_DIR) == dirs.end())
        dirs.emplace_back(DIALTONE_MODULE_INSTALL_DIR);
    return dirs;
}

base::Result<std::string> find_media_module() {
    auto dirs = media_module_dirs();
    std::string searched;
    for (const auto& dir : dirs) {
        std::string path = dir + "/" + kMediaModuleFile;
        if (access(path.c_str(), F_OK) == 0) return path;
        searched += (searched.empty() ? "" : ", ") + dir;
    }
    return base::make_error(std::string("media module ") + kMediaModuleFile + " not found in " + searched);
}

base::Result<std::unique_ptr<MediaBackend>> load_media_module(const std::string& path,
                                                              const MediaBackendConfig& config) {
    // RTLD_LOCAL: the module's own copies of io and media code stay private to it.
    void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        const char* why = dlerror();
        return base::make_error("cannot load media module " + path + ": " + (why ? why : "unknown error"));
    }
    auto* entry = static_cast<const MediaModuleEntry*>(dlsym(handle, kMediaModuleSymbol));
    if (!entry) {
        return base::make_error("cannot load media module " + path + ": no symbol " + kMediaModuleSymbol);
    }
    if (entry->version != kMediaBackendVersion) {
        return base::make_error("cannot load media module " + path + ": version " + std::to_string(entry->version) +
                                ", this dialtone needs " + std::to_string(kMediaBackendVersion));
    }
    auto backend = entry->create(config);
    if (!backend) return base::make_error("media module " + path + ": " + backend.error().message);
    return backend;
}

base::Result<MediaBackend*> MediaModule::get() {
    if (backend_) return backend_.get();
    if (error_) return *error_;
    auto path = find_media_module();
    auto loaded = path ? load_media_module(*path, config_) : base::Result<std::unique_ptr<MediaBackend>>(path.error());
    if (!loaded) {
        error_ = loaded.error();
        return *error_;
    }
    backend_ = std::move(*loaded);
    return backend_.get();
}

}  // namespace dialtone::io
