// Digest retries of every request other than INVITE and REGISTER (RFC 3261 §22.2, §22.3):
// OPTIONS and MESSAGE outside a dialog, BYE, re-INVITE, UPDATE, INFO, REFER, NOTIFY and PRACK
// inside one. The INVITE's own retry belongs to the call (call_uac.cpp), REGISTER's to the
// registration.
#include "dialtone/ua/user_agent.hpp"

#include "dialtone/sip/cseq.hpp"
#include "dialtone/sip/typed.hpp"

namespace dialtone::ua {

using sip::HeaderId;

namespace {

// What a dialog writes into each request it makes (§12.2.1.1), what a retry replaces, and the
// body's own headers (set_body writes them again).
bool written_again(HeaderId id) {
    switch (id) {
        case HeaderId::Via:
        case HeaderId::MaxForwards:
        case HeaderId::To:
        case HeaderId::From:
        case HeaderId::CallId:
        case HeaderId::CSeq:
        case HeaderId::Route:
        case HeaderId::Authorization:
        case HeaderId::ProxyAuthorization:
        case HeaderId::ContentType:
        case HeaderId::ContentLength: return true;
        default: return false;
    }
}

// The dialog `sent` went out in: the call's confirmed one or one of its early ones (PRACK).
dialog::Dialog* dialog_of(Call& c, const sip::Message& sent) {
    auto id = dialog::id_of_received_response(sent);  // From tag ours, To tag the peer's
    if (!id) return nullptr;
    if (c.dialog && c.dialog->id() == *id) return &*c.dialog;
    for (dialog::Dialog& d : c.early)
        if (d.id() == *id) return &d;
    return nullptr;
}

}  // namespace

bool UserAgent::answer_challenge(const Pending& p, txn::TransactionId txn, txn::Destination to,
                                 const sip::Message& challenge, base::TimePoint now) {
    if (!hash_ || !p.sent) return false;
    const sip::Message& sent = *p.sent;
    const auto headers = sip::auth_headers_for(challenge.status_code());
    const auto offered = sip::digest_challenges(challenge);
    if (!headers || !offered) return false;
    auto auth = p.auth ? p.auth : std::make_shared<Challenged>();
    auto& client = challenge.status_code() == 401 ? auth->www : auth->proxy;
    if (!client) client.emplace(new_digest_client());
    const auto attempt = sent.find(headers->credentials) ? sip::Attempt::WithCredentials : sip::Attempt::WithoutCredentials;
    // §22.1: the password goes only to its realm (--realm).
    const auto mine = sip::challenges_for_realm(*offered, config_.account.realm);
    if (client->on_challenge(mine, attempt, random_) != sip::AuthDecision::Retry) return false;

    // §22.2: the same request with a new branch and the next CSeq. Inside a dialog the dialog
    // numbers it (§12.2.1.1) and routes it; one that has ended (a BYE's) numbered its last.
    Call* c = p.call ? find(p.call) : nullptr;
    dialog::Dialog* d = c ? dialog_of(*c, sent) : nullptr;
    sip::Message retry;
    if (d) {
        auto fresh = d->make_request(sent.method(), make_via());
        if (!fresh) return false;
        retry = std::move(*fresh);
        const bool has_contact = retry.find(HeaderId::Contact) != nullptr;
        for (const sip::HeaderField& h : sent.headers()) {
            if (written_again(h.id) || (h.id == HeaderId::Contact && has_contact)) continue;
            if (h.id == HeaderId::Other) retry.add_header(h.name, h.value);
            else retry.add_header(h.id, h.value);
        }
        if (const sip::HeaderField* type = sent.find(HeaderId::ContentType)) retry.set_body(type->value, sent.body());
    } else {
        auto cs = sip::cseq(sent);
        if (!cs || cs->number >= sip::kMaxCSeq) return false;
        retry = sent;
        retry.set_header(HeaderId::Via, make_via().to_string());
        retry.set_header(HeaderId::CSeq, sip::CSeq::make(cs->number + 1, sent.method()).to_string());
        retry.remove_header(HeaderId::Authorization);
        retry.remove_header(HeaderId::ProxyAuthorization);
    }
    // §22.3: credentials for every protection space that challenged this request.
    const std::string uri(retry.request_uri());
    if (auth->www && auth->www->challenge()) {
        if (auto cred = auth->www->authorize(*hash_, retry.method_text(), uri, retry.body()))
            retry.add_header(HeaderId::Authorization, cred->to_string());
    }
    if (auth->proxy && auth->proxy->challenge()) {
        if (auto cred = auth->proxy->authorize(*hash_, retry.method_text(), uri, retry.body()))
            retry.add_header(HeaderId::ProxyAuthorization, cred->to_string());
    }

    Pending next = p;
    next.auth = std::move(auth);
    const txn::TransactionId id = send_request(std::move(retry), to, std::move(next), now);
    if (!id) return false;
    // A re-INVITE or UPDATE carrying our offer: its answer now comes in the new transaction.
    if (c && c->local_offer && c->local_offer->txn == txn) {
        c->local_offer->txn = id;
        if (auto request = txn_.request(id)) c->local_offer->request = *request;
    }
    return true;
}

}  // namespace dialtone::ua
