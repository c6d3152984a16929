#include "phone.hpp"

#include "dialtone/sip/parser.hpp"
#include "dialtone/sip/typed.hpp"

namespace dialtone::scenario {

void AuthGate::on_datagram(const ua::Datagram& d, base::TimePoint now) {
    auto m = sip::parse_message(d.bytes);
    if (!m || !m->is_request()) return phone_.on_datagram(d, now);
    auto via = sip::top_via(*m);
    const std::string branch = via ? std::string(via->branch().value_or("")) : std::string();
    if (m->method() == sip::Method::Ack && challenged_branches_.count(branch)) return;  // ACK to our 401/407
    if (!methods_.count(std::string(m->method_text())) || !sip::to(*m)) return phone_.on_datagram(d, now);

    const auto headers = *sip::auth_headers_for(status_);
    if (const sip::HeaderField* h = m->find(headers.credentials)) {
        auto cred = sip::parse_digest_credentials(h->value);
        if (cred && cred->nonce == nonce_) {
            auto ok = sip::verify_digest(hash_, *cred, user_, password_, m->method_text(), m->body());
            if (ok && *ok) {
                ++accepted_;
                accepted_requests_.push_back(d.bytes);
                return phone_.on_datagram(d, now);
            }
        }
    }
    const bool in_dialog = sip::to(*m)->tag().has_value();
    // §22.1: challenge. The response copies Via, From, To (with a tag), Call-ID and CSeq.
    sip::Message r = sip::Message::response(status_, status_ == 401 ? "Unauthorized" : "Proxy Authentication Required");
    for (const sip::HeaderField& h : m->headers()) {
        if (h.id == sip::HeaderId::Via || h.id == sip::HeaderId::From || h.id == sip::HeaderId::CallId ||
            h.id == sip::HeaderId::CSeq)
            r.add_header(h.id, h.value);
        if (h.id == sip::HeaderId::To) r.add_header(h.id, std::string(h.value) + (in_dialog ? "" : ";tag=gate"));
    }
    r.add_header(headers.challenge, "Digest realm=\"biloxi.com\", nonce=\"" + nonce_ + "\", qop=\"auth\", algorithm=MD5");
    challenged_branches_.insert(branch);
    ++challenges_;
    ua::Datagram out;
    out.local = d.local;
    out.remote = d.remote;
    out.bytes = r.serialize();
    out_.push_back(std::move(out));
}

void Redirector::on_datagram(const ua::Datagram& d, base::TimePoint) {
    auto m = sip::parse_message(d.bytes);
    if (!m || !m->is_request() || m->method() != sip::Method::Invite) return;
    sip::Message r = sip::Message::response(302, "Moved Temporarily");
    for (const sip::HeaderField& h : m->headers()) {
        if (h.id == sip::HeaderId::Via || h.id == sip::HeaderId::From || h.id == sip::HeaderId::CallId ||
            h.id == sip::HeaderId::CSeq)
            r.add_header(h.id, h.value);
        if (h.id == sip::HeaderId::To) r.add_header(h.id, std::string(h.value) + ";tag=redirect");
    }
    for (const std::string& c : contacts_) r.add_header(sip::HeaderId::Contact, c);
    ++redirected_;
    ua::Datagram out;
    out.local = d.local;
    out.remote = d.remote;
    out.bytes = r.serialize();
    out_.push_back(std::move(out));
}

}  // namespace dialtone::scenario
