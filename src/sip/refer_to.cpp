#include "dialtone/sip/refer_to.hpp"

namespace dialtone::sip {

base::Result<NameAddr> parse_refer_to(std::string_view value) { return parse_name_addr(value, "Refer-To"); }

base::Result<NameAddr> parse_referred_by(std::string_view value) { return parse_name_addr(value, "Referred-By"); }

base::Result<std::optional<Replaces>> embedded_replaces(const Uri& uri) {
    auto text = uri.header("Replaces");
    if (!text) return std::optional<Replaces>();
    auto r = parse_replaces(*text);
    if (!r) return r.error();
    return std::optional<Replaces>(std::move(r).value());
}

}  // namespace dialtone::sip
