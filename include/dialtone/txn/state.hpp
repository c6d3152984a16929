#pragma once
// Transaction kinds and states, named as RFC 3261 §17 and RFC 6026 §7 name them.
#include <string_view>

namespace dialtone::txn {

enum class Kind {
    InviteClient,     // §17.1.1
    NonInviteClient,  // §17.1.2
    InviteServer,     // §17.2.1
    NonInviteServer,  // §17.2.2
};

enum class State {
    Calling,     // INVITE client: request sent, nothing heard yet
    Trying,      // non-INVITE client and server: request sent / received, no response yet
    Proceeding,  // a provisional response received / sent
    Completed,   // a final response (non-2xx for INVITE) received / sent
    Confirmed,   // INVITE server: ACK for the non-2xx final received
    Accepted,    // INVITE client and server: a 2xx received / sent (RFC 6026 §7)
    Terminated,
};

std::string_view to_string(Kind k);
std::string_view to_string(State s);

constexpr bool is_client(Kind k) { return k == Kind::InviteClient || k == Kind::NonInviteClient; }
constexpr bool is_invite(Kind k) { return k == Kind::InviteClient || k == Kind::InviteServer; }

}  // namespace dialtone::txn
