#include "dialtone/txn/state.hpp"

namespace dialtone::txn {

std::string_view to_string(Kind k) {
    switch (k) {
        case Kind::InviteClient: return "INVITE client";
        case Kind::NonInviteClient: return "non-INVITE client";
        case Kind::InviteServer: return "INVITE server";
        case Kind::NonInviteServer: return "non-INVITE server";
    }
    return "unknown";
}

std::string_view to_string(State s) {
    switch (s) {
        case State::Calling: return "Calling";
        case State::Trying: return "Trying";
        case State::Proceeding: return "Proceeding";
        case State::Completed: return "Completed";
        case State::Confirmed: return "Confirmed";
        case State::Accepted: return "Accepted";
        case State::Terminated: return "Terminated";
    }
    return "unknown";
}

}  // namespace dialtone::txn
