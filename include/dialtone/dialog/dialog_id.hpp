#pragma once
// The identity of a dialog (RFC 3261 §12): Call-ID, local tag and remote tag, each seen from
// this UA's side. The same message gives different ids to its two ends, so there is one
// function for what we receive as a UAS (requests) and one for what we receive as a UAC
// (responses).
#include "dialtone/base/result.hpp"
#include "dialtone/sip/message.hpp"

#include <cstddef>
#include <string>

namespace dialtone::dialog {

struct DialogId {
    std::string call_id;
    std::string local_tag;
    std::string remote_tag;

    friend bool operator==(const DialogId&, const DialogId&) = default;
};

struct DialogIdHash {
    std::size_t operator()(const DialogId& id) const;
};

// A request we received (§12.2.2): local tag = To tag (empty outside a dialog), remote tag =
// From tag. Errors name a missing or malformed Call-ID, From or To.
base::Result<DialogId> id_of_received_request(const sip::Message& request);
// A response we received to our request (§12.1.2): local tag = From tag, remote tag = To tag
// (empty in a 1xx without one).
base::Result<DialogId> id_of_received_response(const sip::Message& response);

}  // namespace dialtone::dialog
