#pragma once
// What a client registration reports (RFC 3261 §10.2, RFC 3665 §2). Each names the AOR, so a
// UA with several accounts can tell them apart.
#include "dialtone/base/time.hpp"
#include "dialtone/sip/contact.hpp"
#include "dialtone/sip/uri.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace dialtone::ua {

// Our binding is in place for `expires` seconds; `bindings` is the registrar's whole list for
// the AOR, as the 200 gave it (§10.3 step 8).
struct Registered {
    sip::Uri aor;
    std::uint32_t expires = 0;
    std::vector<sip::Contact> bindings;
};

// A REGISTER failed. `status` is the final response's code, 408 for no response (Timer F,
// §8.1.3.1) or 503 for a transport error. `retry_at` is when the registration tries again
// on its own; nullopt when it will not (refused credentials, a 4xx, a query that failed).
struct RegistrationFailed {
    sip::Uri aor;
    int status = 0;
    std::string reason;
    std::optional<base::TimePoint> retry_at;
    bool network_failure = false;  // the 408 or 503 above was made here: nothing came back
};

// Our binding is removed (Expires: 0 accepted, §10.2.2).
struct Unregistered {
    sip::Uri aor;
};

// The answer to a query (REGISTER without Contact, §10.2.3) or to a contact list update.
struct BindingsListed {
    sip::Uri aor;
    std::vector<sip::Contact> bindings;
};

using RegistrationEvent = std::variant<Registered, RegistrationFailed, Unregistered, BindingsListed>;

}  // namespace dialtone::ua
