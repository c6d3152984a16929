#pragma once
// The client side of Digest for one protection space (one realm of one server): remembers the
// challenge, counts nc per nonce, makes a cnonce per nonce, and decides whether a 401/407 is
// worth answering or means that the credentials were refused — so a UA never loops on a
// wrong password.
#include "dialtone/base/random.hpp"
#include "dialtone/base/result.hpp"
#include "dialtone/sip/auth.hpp"
#include "dialtone/sip/digest.hpp"
#include "dialtone/sip/header_id.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace dialtone::sip {

class Message;

// Where a response's challenges are and where the answer goes (RFC 3261 §22.2, §22.3):
// 401 → WWW-Authenticate / Authorization, 407 → Proxy-Authenticate / Proxy-Authorization.
// nullopt for any other status.
struct AuthHeaders {
    HeaderId challenge;
    HeaderId credentials;
};
std::optional<AuthHeaders> auth_headers_for(int status_code);

// The Digest challenges of a 401/407, in header order, other schemes left out (an empty
// result means none dialtone could answer). A malformed line is skipped when another line
// gives a challenge; otherwise its error is returned. A 401/407 without any challenge header
// is an error, as is any other status.
base::Result<std::vector<DigestChallenge>> digest_challenges(const Message& response);

// True when dialtone can answer the challenge: a known algorithm, a qop list that is absent or
// offers auth or auth-int, and no -sess algorithm without a qop (its cnonce could not be sent:
// RFC 2617 §3.2.2 forbids cnonce without qop, so the server could not check H(A1)).
bool can_answer(const DigestChallenge&);

// The challenge to answer among those of one response: the topmost one dialtone can answer,
// since servers list them in order of preference (RFC 8760 §2.3, §2.4). nullptr if none.
const DigestChallenge* select_challenge(std::span<const DigestChallenge> offered);

// The challenges for the realm a password is for (RFC 3261 §22.1: credentials belong to a realm);
// "*" takes every one. Offering the password only there keeps it from other servers' realms.
std::vector<DigestChallenge> challenges_for_realm(std::span<const DigestChallenge> offered, std::string_view realm);
// What to tell the user when no challenge is for `realm`:
// "challenged for realm \"biloxi.com\", but the password is for realm \"atlanta.com\"".
std::string realm_mismatch(std::span<const DigestChallenge> offered, std::string_view realm);

enum class AuthDecision {
    Retry,        // resend the request with authorize()'s credentials
    Refused,      // the server rejected these credentials: report it, do not resend
    Unsupported,  // no challenge dialtone can answer
};

// Whether the challenged request carried credentials built by this DigestClient.
enum class Attempt { WithoutCredentials, WithCredentials };

class DigestClient {
public:
    DigestClient(std::string username, std::string password);

    // The Digest challenges of one 401/407 for this protection space. Answers each new nonce
    // once. A challenge to credentials we sent is a refusal (RFC 7616 §3.3) when it repeats
    // the nonce we used, or brings a new nonce without stale=true although ours had only been
    // used once; stale=true with a new nonce is answered without asking the user again.
    AuthDecision on_challenge(std::span<const DigestChallenge> offered, Attempt sent, base::Random& random);
    AuthDecision on_challenge(const DigestChallenge& offered, Attempt sent, base::Random& random) {
        return on_challenge(std::span<const DigestChallenge>(&offered, 1), sent, random);
    }

    // Credentials for the next request in this protection space (RFC 3261 §22.4): qop auth
    // when offered, else auth-int (hashing `body`), else none; each call takes the next nc.
    base::Result<DigestCredentials> authorize(const DigestHash& hash, std::string_view method, std::string_view uri,
                                              std::string_view body = {});

    const DigestChallenge* challenge() const { return challenge_ ? &*challenge_ : nullptr; }
    std::uint32_t nonce_count() const { return nc_; }  // nc of the last credentials built
    const std::string& cnonce() const { return cnonce_; }
    const std::string& username() const { return username_; }

private:
    std::string username_;
    std::string password_;
    std::optional<DigestChallenge> challenge_;
    std::string cnonce_;
    std::uint32_t nc_ = 0;
    // The current nonce came with stale=true and has not yet been reused: a second stale
    // challenge for it means the server will never accept us.
    bool stale_retry_ = false;
};

}  // namespace dialtone::sip
