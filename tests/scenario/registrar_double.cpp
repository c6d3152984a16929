#include "registrar_double.hpp"

#include "dialtone/sip/cseq.hpp"
#include "dialtone/sip/parser.hpp"
#include "dialtone/sip/typed.hpp"
#include "dialtone/sip/validate.hpp"

#include <algorithm>

namespace dialtone::scenario {

namespace {

std::string aor_key(const sip::Uri& uri) { return uri.user() + "@" + uri.host().name; }

std::string join_vias(const std::vector<sip::Via>& vias, std::size_t from) {
    std::string out;
    for (std::size_t i = from; i < vias.size(); ++i) {
        if (i > from) out += ", ";
        vias[i].write(out);
    }
    return out;
}

// §16.11: a stateless proxy derives its branch from the request's own, so a retransmission,
// the CANCEL and the ACK to a non-2xx of one INVITE all leave with the same branch.
std::string derived_branch(std::string_view incoming) {
    std::uint64_t h = 1469598103934665603ULL;
    for (char c : incoming) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
    static const char digits[] = "0123456789abcdef";
    std::string out(sip::kMagicCookie);
    out += "sp";
    for (int i = 60; i >= 0; i -= 4) out.push_back(digits[(h >> i) & 0xf]);
    return out;
}

}  // namespace

RegistrarDouble::RegistrarDouble(ua::Address self, RegistrarConfig config, const sip::DigestHash& hash,
                                 base::Random& random)
    : self_(std::move(self)), config_(std::move(config)), hash_(hash), random_(random) {}

bool RegistrarDouble::is_self(const sip::Uri& uri) const {
    return uri.host().name == self_.host && uri.port().value_or(5060) == self_.port;
}

void RegistrarDouble::send(const sip::Message& m, const ua::Address& to) {
    ua::Datagram d;
    d.local = self_;
    d.remote = to;
    d.bytes = m.serialize();
    stateless_out_.push_back(std::move(d));
}

void RegistrarDouble::on_datagram(const ua::Datagram& in, base::TimePoint now) {
    auto parsed = sip::parse_message(in.bytes);
    if (!parsed) return;
    // Receipt checks are a UA's (§8.2): a response on its way back through the proxy carries the
    // proxy's Via above the caller's, which a UA would rightly refuse (§8.1.3.3).
    if (parsed->is_request() && sip::validate(*parsed)) return;
    sip::Message m = std::move(parsed).value();
    if (m.is_response()) {
        auto via = sip::top_via(m);
        if (via && via->host.name == self_.host && via->port.value_or(5060) == self_.port) proxy_response(std::move(m));
        return;
    }
    if (m.method() != sip::Method::Register && proxy_request(m, in.remote, now)) return;
    (void)txn_.on_message(std::move(m), book_.destination(in.remote), now);
    drain(now);
}

void RegistrarDouble::on_timer(base::TimePoint now) {
    txn_.on_timer(now);
    drain(now);
}

std::optional<base::TimePoint> RegistrarDouble::next_deadline() const { return txn_.next_deadline(); }

std::optional<ua::Datagram> RegistrarDouble::poll_transmit() {
    if (!stateless_out_.empty()) {
        ua::Datagram d = std::move(stateless_out_.front());
        stateless_out_.pop_front();
        return d;
    }
    auto t = txn_.poll_transmit();
    if (!t) return std::nullopt;
    ua::Datagram d;
    d.local = self_;
    d.remote = book_.address(t->destination.handle);
    d.bytes = *t->bytes;
    return d;
}

void RegistrarDouble::drain(base::TimePoint now) {
    while (auto e = txn_.poll_event())
        if (e->kind == txn::EventKind::RequestReceived) on_request(e->txn, *e->message, now);
}

void RegistrarDouble::purge(base::TimePoint now) {
    for (auto& [aor, list] : bindings_)
        list.erase(std::remove_if(list.begin(), list.end(), [now](const Binding& b) { return b.expires_at <= now; }),
                   list.end());
}

std::vector<Binding> RegistrarDouble::bindings(const std::string& aor, base::TimePoint now) const {
    std::vector<Binding> out;
    auto it = bindings_.find(aor);
    if (it == bindings_.end()) return out;
    for (const Binding& b : it->second)
        if (b.expires_at > now) out.push_back(b);
    return out;
}

void RegistrarDouble::respond(txn::TransactionId id, const sip::Message& request, int status, std::string_view reason,
                              const std::vector<std::pair<sip::HeaderId, std::string>>& extra, base::TimePoint now) {
    // §8.2.6.2: Via, From, Call-ID and CSeq copied; a To tag added.
    sip::Message r = sip::Message::response(status, reason);
    for (const sip::HeaderField& f : request.headers())
        if (f.id == sip::HeaderId::Via) r.add_header(f.id, f.value);
    auto to = sip::to(request);
    if (to && !to->tag()) {
        to->set_tag("reg" + random_.token(8));
        our_tags_.insert(std::string(*to->tag()));
    }
    if (to) r.add_header(sip::HeaderId::To, to->to_string());
    for (sip::HeaderId h : {sip::HeaderId::From, sip::HeaderId::CallId, sip::HeaderId::CSeq})
        if (const sip::HeaderField* f = request.find(h)) r.add_header(h, f->value);
    for (const auto& [h, v] : extra) r.add_header(h, v);
    r.add_header(sip::HeaderId::ContentLength, "0");
    (void)txn_.send_response(id, r, now);
}

void RegistrarDouble::on_request(txn::TransactionId id, const sip::Message& request, base::TimePoint now) {
    if (request.method() == sip::Method::Register) {
        on_register(id, request, now);
        return;
    }
    purge(now);
    auto ruri = sip::request_uri(request);
    const std::vector<Binding>* found = nullptr;
    if (ruri) {
        auto it = bindings_.find(aor_key(*ruri));
        if (it != bindings_.end() && !it->second.empty()) found = &it->second;
    }
    if (found && config_.redirect && request.method() == sip::Method::Invite) {
        std::vector<std::pair<sip::HeaderId, std::string>> extra;
        for (const Binding& b : *found) extra.emplace_back(sip::HeaderId::Contact, "<" + b.contact.to_string() + ">");
        respond(id, request, 302, "Moved Temporarily", extra, now);
        return;
    }
    respond(id, request, 404, "Not Found", {}, now);
}

std::string RegistrarDouble::new_nonce(base::TimePoint now) {
    std::string n = random_.hex(12);
    nonces_[n] = now;
    return n;
}

std::optional<sip::Message> RegistrarDouble::check_auth(const sip::Message& request, base::TimePoint now) {
    bool stale = false;
    bool ok = false;
    if (const sip::HeaderField* f = request.find(sip::HeaderId::Authorization)) {
        auto cr = sip::parse_digest_credentials(f->value);
        auto known = cr ? nonces_.find(cr->nonce) : nonces_.end();
        auto user = cr ? config_.users.find(cr->username) : config_.users.end();
        if (cr && known != nonces_.end() && user != config_.users.end() && cr->realm == config_.realm) {
            auto verified = sip::verify_digest(hash_, *cr, user->first, user->second, "REGISTER");
            if (verified && *verified) {
                // Right credentials on an old nonce: RFC 7616 §3.3 stale=true.
                if (now - known->second > config_.nonce_lifetime) stale = true;
                else ok = true;
            }
        }
    }
    if (ok) return std::nullopt;
    sip::DigestChallenge ch;
    ch.realm = config_.realm;
    ch.nonce = new_nonce(now);
    ch.stale = stale;
    ch.algorithm = std::string(sip::to_string(config_.algorithm));
    if (config_.qop) ch.qop = {"auth"};
    sip::Message m = sip::Message::response(401, "Unauthorized");
    m.add_header(sip::HeaderId::WwwAuthenticate, ch.to_string());
    return m;
}

void RegistrarDouble::on_register(txn::TransactionId id, const sip::Message& request, base::TimePoint now) {
    registers_.push_back(ReceivedRequest{now, request});
    if (config_.authenticate) {
        if (auto challenge = check_auth(request, now)) {
            ++challenges_;
            respond(id, request, 401, "Unauthorized",
                    {{sip::HeaderId::WwwAuthenticate, std::string(challenge->find(sip::HeaderId::WwwAuthenticate)->value)}},
                    now);
            return;
        }
    }
    auto to = sip::to(request);
    auto contacts = sip::contacts(request);
    auto expires = sip::expires(request);
    auto call_id = sip::call_id(request);
    auto cseq = sip::cseq(request);
    if (!to || !contacts || !expires || !call_id || !cseq) {
        respond(id, request, 400, "Bad Request", {}, now);
        return;
    }
    purge(now);
    std::vector<Binding>& list = bindings_[aor_key(to->uri)];
    const bool wildcard = !contacts->empty() && contacts->front().wildcard;
    if (wildcard) {
        // §10.3 step 6: "*" only with Expires: 0, and it removes every binding.
        if (!expires->has_value() || **expires != 0) {
            respond(id, request, 400, "Contact * needs Expires: 0", {}, now);
            return;
        }
        list.clear();
    } else {
        // §10.3 step 7: check every interval before changing anything.
        for (const sip::Contact& c : *contacts) {
            const std::uint32_t e = c.expires().value_or(expires->value_or(config_.default_expires));
            if (e != 0 && e < config_.min_expires) {
                respond(id, request, 423, "Interval Too Brief",
                        {{sip::HeaderId::MinExpires, std::to_string(config_.min_expires)}}, now);
                return;
            }
        }
        for (const sip::Contact& c : *contacts) {
            const std::uint32_t e =
                std::min(c.expires().value_or(expires->value_or(config_.default_expires)), config_.max_expires);
            auto it = std::find_if(list.begin(), list.end(),
                                   [&](const Binding& b) { return b.contact.equivalent(c.address.uri); });
            if (e == 0) {
                if (it != list.end()) list.erase(it);
                continue;
            }
            Binding b{c.address.uri, now + base::seconds(e), std::string(*call_id), cseq->number};
            if (it != list.end()) *it = std::move(b);
            else list.push_back(std::move(b));
        }
    }
    // §10.3 step 8: the 200 lists every current binding with its remaining time.
    std::vector<std::pair<sip::HeaderId, std::string>> extra;
    for (const Binding& b : list) {
        const auto left_ms = base::to_milliseconds(b.expires_at - now);
        sip::Contact c;
        c.address.uri = b.contact;
        c.set_expires(static_cast<std::uint32_t>((left_ms + 999) / 1000));
        extra.emplace_back(sip::HeaderId::Contact, c.to_string());
    }
    respond(id, request, 200, "OK", extra, now);
}

bool RegistrarDouble::proxy_request(sip::Message request, const ua::Address& from, base::TimePoint now) {
    auto vias = sip::vias(request);
    auto routes = sip::routes(request);
    auto ruri = sip::request_uri(request);
    auto to = sip::to(request);
    if (!vias || !routes || !ruri || !to) return false;
    // The ACK to our own non-2xx belongs to our server transaction (§17.2.1).
    if (to->tag() && our_tags_.count(std::string(*to->tag()))) return false;

    // §16.4: a Route naming us is ours to remove (loose routing).
    bool routed_here = false;
    if (!routes->empty() && is_self(routes->front().uri)) {
        routes->erase(routes->begin());
        routed_here = true;
    }
    std::optional<sip::Uri> target;
    if (!routes->empty()) {
        target = routes->front().uri;
    } else if (!is_self(*ruri)) {
        purge(now);
        auto it = bindings_.find(aor_key(*ruri));
        if (it != bindings_.end() && !it->second.empty()) {
            if (config_.redirect && request.method() == sip::Method::Invite) return false;  // 302 from on_request
            // §16.5/§16.6: retarget to the binding (the latest one registered).
            target = it->second.back().contact;
            request.set_request_uri(target->to_string());
        } else if (routed_here || to->tag()) {
            target = *ruri;  // in-dialog: the Request-URI is the remote target
        }
    }
    if (!target) return false;  // nobody to forward to: answered 404 statefully

    // §18.2.1: note where the request really came from, for the responses.
    sip::Via& top = vias->front();
    if (top.host.name != from.host) top.set_received(from.host);
    if (top.has_rport()) top.set_rport(from.port);
    const std::string branch = derived_branch(top.branch().value_or(""));
    request.set_header(sip::HeaderId::Via, join_vias(*vias, 0));
    sip::Via mine;
    mine.host.name = self_.host;
    mine.host.kind = sip::HostKind::IPv4;
    mine.port = self_.port;
    mine.set_branch(branch);
    request.prepend_header(sip::HeaderId::Via, mine.to_string());

    if (routes->empty()) request.remove_header(sip::HeaderId::Route);
    else request.set_header(sip::HeaderId::Route, sip::route_list_to_string(*routes));
    // §16.6 step 4: stay on the path of the dialog an initial INVITE creates.
    if (!to->tag() && request.method() == sip::Method::Invite) {
        sip::NameAddr rr;
        rr.uri = sip::Uri::sip("", sip::Host{self_.host, sip::HostKind::IPv4}, self_.port);
        rr.uri.params().set("lr");
        request.prepend_header(sip::HeaderId::RecordRoute, rr.to_string());
    }
    auto mf = sip::max_forwards(request);
    const int hops = mf && mf->has_value() ? **mf : 70;
    if (hops == 0) return true;  // §16.3 step 3 would answer 483; a test double just drops it
    request.set_header(sip::HeaderId::MaxForwards, std::to_string(hops - 1));
    ++forwarded_;
    send(request, address_of(*target));
    return true;
}

void RegistrarDouble::proxy_response(sip::Message response) {
    auto vias = sip::vias(response);
    if (!vias || vias->size() < 2) return;
    const sip::Via& next = (*vias)[1];
    ua::Address to{std::string(next.received().value_or(next.host.name)),
                   next.rport().value_or(next.port.value_or(5060))};
    response.set_header(sip::HeaderId::Via, join_vias(*vias, 1));
    send(response, to);
}

}  // namespace dialtone::scenario
