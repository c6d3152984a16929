#include "dialtone/media/codec.hpp"

#include <string>

#include "dialtone/base/strings.hpp"
#include "dialtone/media/g711_codec.hpp"
#include "dialtone/media/opus_codec.hpp"

namespace dialtone::media {

base::Result<std::unique_ptr<Codec>> make_codec(std::string_view name, const CodecOptions& options) {
    if (base::iequals(name, "pcmu")) return std::unique_ptr<Codec>(new G711Codec(G711Codec::Law::Mu));
    if (base::iequals(name, "pcma")) return std::unique_ptr<Codec>(new G711Codec(G711Codec::Law::A));
    if (base::iequals(name, "opus")) {
        auto codec = OpusCodec::create(options);
        if (!codec) return codec.error();
        return std::unique_ptr<Codec>(std::move(codec).value());
    }
    return base::make_error("unknown codec \"" + std::string(name) + "\" (expected pcmu, pcma or opus)");
}

}  // namespace dialtone::media
