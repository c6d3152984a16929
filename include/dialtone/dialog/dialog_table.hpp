#pragma once
// The dialogs a UA holds, by id. A request with a To tag that finds no dialog here earns 481
// (§12.2.2); deciding so is the UA's business, this only answers the lookup.
#include "dialtone/dialog/dialog.hpp"
#include "dialtone/dialog/dialog_id.hpp"
#include "dialtone/sip/message.hpp"

#include <cstddef>
#include <unordered_map>

namespace dialtone::dialog {

class DialogTable {
public:
    // Adds the dialog; an existing one with the same id is replaced.
    Dialog& insert(Dialog d);
    bool erase(const DialogId& id);

    Dialog* find(const DialogId& id);
    const Dialog* find(const DialogId& id) const;
    // The dialog a received request belongs to (nullptr: none, or no To tag, or bad headers).
    Dialog* find_for_request(const sip::Message& request);
    // The dialog a received response belongs to (nullptr: none yet, e.g. the first 1xx/2xx).
    Dialog* find_for_response(const sip::Message& response);

    std::size_t size() const { return dialogs_.size(); }
    bool empty() const { return dialogs_.empty(); }

private:
    std::unordered_map<DialogId, Dialog, DialogIdHash> dialogs_;
};

}  // namespace dialtone::dialog
