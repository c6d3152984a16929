#include "dialtone/dialog/dialog_table.hpp"

namespace dialtone::dialog {

Dialog& DialogTable::insert(Dialog d) {
    DialogId id = d.id();
    auto [it, inserted] = dialogs_.insert_or_assign(std::move(id), std::move(d));
    (void)inserted;
    return it->second;
}

bool DialogTable::erase(const DialogId& id) { return dialogs_.erase(id) > 0; }

Dialog* DialogTable::find(const DialogId& id) {
    auto it = dialogs_.find(id);
    return it == dialogs_.end() ? nullptr : &it->second;
}

const Dialog* DialogTable::find(const DialogId& id) const {
    auto it = dialogs_.find(id);
    return it == dialogs_.end() ? nullptr : &it->second;
}

Dialog* DialogTable::find_for_request(const sip::Message& request) {
    auto id = id_of_received_request(request);
    if (!id || id->local_tag.empty()) return nullptr;
    return find(*id);
}

Dialog* DialogTable::find_for_response(const sip::Message& response) {
    auto id = id_of_received_response(response);
    if (!id) return nullptr;
    return find(*id);
}

}  // namespace dialtone::dialog
