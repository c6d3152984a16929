#include "dialtone/io/media_stats.hpp"

#include <algorithm>

namespace dialtone::io {

std::string_view MediaStats::codec_name() const {
    const auto end = std::find(codec.begin(), codec.end(), '\0');
    return {codec.data(), static_cast<std::size_t>(end - codec.begin())};
}

void MediaStats::set_codec_name(std::string_view name) {
    codec.fill('\0');
    std::copy_n(name.begin(), std::min(name.size(), codec.size() - 1), codec.begin());
}

}  // namespace dialtone::io
