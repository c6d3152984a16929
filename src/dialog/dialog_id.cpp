#include "dialtone/dialog/dialog_id.hpp"

#include "dialtone/sip/typed.hpp"

#include <functional>
#include <string_view>

namespace dialtone::dialog {

std::size_t DialogIdHash::operator()(const DialogId& id) const {
    std::hash<std::string_view> h;
    std::size_t seed = h(id.call_id);
    seed ^= h(id.local_tag) + 0x9e3779b97f4a7c15ULL + (seed << 6) + (seed >> 2);
    seed ^= h(id.remote_tag) + 0x9e3779b97f4a7c15ULL + (seed << 6) + (seed >> 2);
    return seed;
}

namespace {

// `mine` is the header carrying this UA's tag, `theirs` the peer's.
base::Result<DialogId> make_id(const sip::Message& m, bool local_in_to) {
    auto call = sip::call_id(m);
    if (!call) return call.error();
    const auto& from = sip::parsed_from(m);
    if (!from) return from.error();
    const auto& to = sip::parsed_to(m);
    if (!to) return to.error();
    const std::string_view from_tag = from->tag().value_or("");
    const std::string_view to_tag = to->tag().value_or("");
    DialogId id;
    id.call_id = std::string(*call);
    id.local_tag = local_in_to ? to_tag : from_tag;
    id.remote_tag = local_in_to ? from_tag : to_tag;
    return id;
}

}  // namespace

base::Result<DialogId> id_of_received_request(const sip::Message& request) { return make_id(request, true); }

base::Result<DialogId> id_of_received_response(const sip::Message& response) { return make_id(response, false); }

}  // namespace dialtone::dialog
