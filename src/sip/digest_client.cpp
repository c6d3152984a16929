#include "dialtone/sip/digest_client.hpp"

#include "dialtone/sip/message.hpp"

#include <cstdint>
#include <string>
#include <utility>

namespace dialtone::sip {

bool can_answer(const DigestChallenge& ch) {
    const auto alg = ch.digest_algorithm();
    if (!alg) return false;
    if (ch.qop.empty()) return !is_session(*alg);
    return ch.offers(Qop::Auth) || ch.offers(Qop::AuthInt);
}

const DigestChallenge* select_challenge(std::span<const DigestChallenge> offered) {
    for (const DigestChallenge& ch : offered)
        if (can_answer(ch)) return &ch;
    return nullptr;
}

std::vector<DigestChallenge> challenges_for_realm(std::span<const DigestChallenge> offered, std::string_view realm) {
    std::vector<DigestChallenge> out;
    for (const DigestChallenge& ch : offered)
        if (realm == "*" || ch.realm == realm) out.push_back(ch);
    return out;
}

std::string realm_mismatch(std::span<const DigestChallenge> offered, std::string_view realm) {
    std::string out = "challenged for realm ";
    for (std::size_t i = 0; i < offered.size(); ++i) {
        if (i) out += i + 1 == offered.size() ? " and " : ", ";
        out += '"' + offered[i].realm + '"';
    }
    if (offered.empty()) out += "(none)";
    out += ", but the password is for realm \"";
    out += realm;
    out += '"';
    return out;
}

DigestClient::DigestClient(std::string username, std::string password)
    : username_(std::move(username)), password_(std::move(password)) {}

AuthDecision DigestClient::on_challenge(std::span<const DigestChallenge> offered, Attempt sent, base::Random& random) {
    const DigestChallenge* pick = select_challenge(offered);
    if (!pick) return AuthDecision::Unsupported;

    const bool same_nonce = challenge_ && pick->nonce == challenge_->nonce;
    if (sent == Attempt::WithCredentials && challenge_) {
        // The nonce we just used, challenged again: whatever stale says, answering it would
        // only repeat the refused request.
        if (same_nonce) return AuthDecision::Refused;
        // RFC 7616 §3.3: stale absent or false means the username or password is wrong.
        // A nonce used more than once had been accepted, so a new one without stale is
        // taken as its expiry (servers that never send stale=true) and answered once.
        if (!pick->stale && nc_ == 1) return AuthDecision::Refused;
        // A server that calls every fresh nonce stale would keep us looping.
        if (pick->stale && stale_retry_ && nc_ == 1) return AuthDecision::Refused;
    }

    if (!same_nonce) {
        // RFC 7616 §3.4: nc counts the requests sent with this nonce, from 00000001; a new
        // nonce gets a new client nonce.
        nc_ = 0;
        cnonce_ = random.hex(16);
    }
    stale_retry_ = sent == Attempt::WithCredentials && pick->stale;
    challenge_ = *pick;
    return AuthDecision::Retry;
}

base::Result<DigestCredentials> DigestClient::authorize(const DigestHash& hash, std::string_view method,
                                                        std::string_view uri, std::string_view body) {
    if (!challenge_) return base::make_error("no Digest challenge to answer");
    const DigestChallenge& ch = *challenge_;
    const auto alg = ch.digest_algorithm();
    if (!alg) return base::make_error("unsupported digest algorithm '" + ch.algorithm + "'");
    // nc only counts up (RFC 7616 §3.4): wrapping would repeat values the server has seen.
    if (nc_ == UINT32_MAX) return base::make_error("nonce count exhausted for this nonce");

    std::optional<Qop> qop;
    if (ch.offers(Qop::Auth)) qop = Qop::Auth;  // auth over auth-int when both are offered
    else if (ch.offers(Qop::AuthInt)) qop = Qop::AuthInt;

    DigestInput in;
    in.algorithm = *alg;
    in.username = username_;
    in.realm = ch.realm;
    in.password = password_;
    in.method = method;
    in.uri = uri;
    in.nonce = ch.nonce;
    in.cnonce = cnonce_;
    in.nc = nc_ + 1;
    in.qop = qop;
    in.body = body;
    auto response = digest_response(hash, in);
    if (!response) return response.error();

    DigestCredentials cr;
    if (ch.userhash) {
        auto uh = digest_userhash(hash, *alg, username_, ch.realm);
        if (!uh) return uh.error();
        cr.username = std::move(*uh);
        cr.userhash = true;
    } else {
        cr.username = username_;
    }
    cr.realm = ch.realm;
    cr.nonce = ch.nonce;
    cr.uri = std::string(uri);
    cr.response = std::move(*response);
    // Echo the algorithm as the challenge named it; absent stays absent (MD5).
    if (!ch.algorithm.empty()) cr.algorithm = std::string(to_string(*alg));
    cr.opaque = ch.opaque;
    if (qop) {
        cr.qop = qop;
        cr.cnonce = cnonce_;
        cr.nc = in.nc;
    }
    ++nc_;
    if (nc_ > 1) stale_retry_ = false;  // the nonce has been reused: it was accepted
    return cr;
}

// Challenges in a message -----------------------------------------------------------------------

std::optional<AuthHeaders> auth_headers_for(int status_code) {
    if (status_code == 401) return AuthHeaders{HeaderId::WwwAuthenticate, HeaderId::Authorization};
    if (status_code == 407) return AuthHeaders{HeaderId::ProxyAuthenticate, HeaderId::ProxyAuthorization};
    return std::nullopt;
}

base::Result<std::vector<DigestChallenge>> digest_challenges(const Message& response) {
    const auto headers = auth_headers_for(response.status_code());
    if (!headers) return base::make_error("status " + std::to_string(response.status_code()) + " carries no challenge");
    const auto values = response.values(headers->challenge);
    if (values.empty())
        return base::make_error(
            std::to_string(response.status_code()) + " without " + std::string(canonical_name(headers->challenge)), 400);
    std::vector<DigestChallenge> out;
    std::optional<base::Error> first_error;
    for (std::string_view v : values) {
        auto all = parse_challenges(v);
        if (!all) {
            if (!first_error) first_error = all.error();
            continue;
        }
        for (Challenge& ch : *all)
            if (ch.digest) out.push_back(std::move(*ch.digest));
    }
    if (out.empty() && first_error) return *first_error;
    return out;
}

}  // namespace dialtone::sip
