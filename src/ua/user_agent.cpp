// The UserAgent facade: transport bookkeeping, the transaction layer's events, timers and the
// life of calls. The call logic itself is in call_uac.cpp, call_uas.cpp, call_dialog.cpp and
// call_session.cpp; requests outside dialogs in out_of_dialog.cpp.
#include "dialtone/ua/user_agent.hpp"

#include "message_util.hpp"
#include "via_receipt.hpp"

#include "dialtone/base/strings.hpp"
#include "dialtone/sip/parser.hpp"
#include "dialtone/sip/typed.hpp"

#include <algorithm>
#include <charconv>

namespace dialtone::ua {

using sip::HeaderId;

std::string_view to_string(CallState s) {
    switch (s) {
        case CallState::Calling: return "Calling";
        case CallState::Proceeding: return "Proceeding";
        case CallState::Incoming: return "Incoming";
        case CallState::Accepting: return "Accepting";
        case CallState::Confirmed: return "Confirmed";
        case CallState::Terminated: return "Terminated";
    }
    return "?";
}

UserAgent::UserAgent(UserAgentConfig config, base::Random& random, const sip::DigestHash* hash, KeySource* keys)
    : config_(std::move(config)), random_(random), hash_(hash), keys_(keys), txn_(config_.timers) {
    policy_.allowed_methods = {"INVITE", "ACK", "BYE", "CANCEL", "OPTIONS", "INFO",
                               "MESSAGE", "UPDATE", "PRACK", "REFER", "NOTIFY"};
    // RFC 4028: with session timers off we are a UA without the extension (no Supported: timer).
    if (session_timers_on()) policy_.supported.push_back("timer");
    if (config_.reliable_provisionals) policy_.supported.push_back("100rel");
    // The brief of this UA: Max-Forwards 0 earns 483 (OPTIONS is still answered, §11).
    policy_.forwards = true;
    config_.min_se = std::max<std::uint32_t>(config_.min_se, 90);  // RFC 4028 §5

    // Calls take RTP ports in turn from a random place in the range, so two processes sharing
    // a range (the default one, say) seldom offer the same port.
    if (const std::uint32_t first = config_.rtp_ports.first & ~1u; first != 0 && config_.rtp_ports.last >= first)
        next_port_ = static_cast<std::uint16_t>(random_.uniform(0, (config_.rtp_ports.last - first) / 2));

    via_template_.transport = std::string(detail::transport_name(config_.transport));
    if (auto host = sip::parse_host(config_.local.host, "local address", true)) via_template_.host = *host;
    else via_template_.host.name = config_.local.host;
    via_template_.port = config_.local.port;

    sip::Uri contact = sip::Uri::sip(config_.account.aor.user(), via_template_.host, config_.local.port,
                                     config_.transport == Transport::Tls);
    if (config_.transport == Transport::Tcp) contact.params().set("transport", std::string("tcp"));
    contact_ = "<" + contact.to_string() + ">";

    if (config_.account.registrar && hash_) {
        RegistrationConfig rc;
        rc.aor = config_.account.aor;
        rc.registrar = *config_.account.registrar;
        rc.contact = contact;
        rc.outbound_proxy = config_.outbound_proxy;
        rc.username = config_.account.username;
        rc.password = config_.account.password;
        rc.realm = config_.account.realm;
        rc.expires = config_.account.register_expires;
        rc.via = via_template_;
        rc.via.set_rport(std::nullopt);
        rc.user_agent = config_.user_agent;
        registration_.emplace(std::move(rc), random_, *hash_);
    }
}

// --- transport ---------------------------------------------------------------------------

std::string UserAgent::peer_key(const Peer& peer) {
    // Built for every datagram: in place, without temporaries.
    std::string key;
    key.reserve(64);
    auto number = [&key](std::uint64_t n) {
        char digits[24];
        auto [end, ec] = std::to_chars(digits, digits + sizeof digits, n);
        (void)ec;
        key.append(digits, end);
    };
    key += static_cast<char>('0' + static_cast<int>(peer.transport));
    key += peer.local.host;
    key += ':';
    number(peer.local.port);
    key += '|';
    key += peer.remote.host;
    key += ':';
    number(peer.remote.port);
    key += '|';
    number(peer.connection);
    return key;
}

txn::Destination UserAgent::destination_for(const Peer& peer) {
    std::string key = peer_key(peer);
    auto it = peer_index_.find(key);
    if (it != peer_index_.end()) return {it->second, peer.transport};
    peers_.push_back(peer);
    std::uint64_t handle = peers_.size();
    peer_index_.emplace(std::move(key), handle);
    return {handle, peer.transport};
}

txn::Destination UserAgent::destination_for_uri(const sip::Uri& uri) {
    Peer p;
    p.transport = config_.transport;
    if (auto t = uri.transport()) {
        if (base::iequals(*t, "tcp")) p.transport = Transport::Tcp;
        else if (base::iequals(*t, "tls")) p.transport = Transport::Tls;
        else if (base::iequals(*t, "udp")) p.transport = Transport::Udp;
    }
    if (uri.is_secure()) p.transport = Transport::Tls;
    p.local = config_.local;
    p.remote.host = uri.maddr() ? std::string(*uri.maddr()) : uri.host().name;
    p.remote.port = uri.port().value_or(p.transport == Transport::Tls ? 5061 : 5060);
    txn::Destination d = destination_for(p);
    if (auto t = uri.transport(); t && base::iequals(*t, "udp")) udp_fixed_.insert(d.handle);
    return d;
}

txn::Destination UserAgent::transport_for_size(sip::Message& request, txn::Destination to) {
    constexpr std::size_t kMtuAllowance = 1300;  // §18.1.1: 200 bytes below Ethernet's 1500
    if (to.transport != Transport::Udp || udp_fixed_.contains(to.handle) || to.handle < 1 || to.handle > peers_.size())
        return to;
    if (request.serialized_size() <= kMtuAllowance) return to;
    auto via = sip::top_via(request);
    if (!via) return to;
    moved_for_size_ = MovedForSize{request, to};
    sip::Via over_tcp = *via;
    over_tcp.transport = "TCP";
    request.set_header(HeaderId::Via, over_tcp.to_string());
    Peer p = peers_[to.handle - 1];
    p.transport = Transport::Tcp;
    p.connection = 0;
    return destination_for(p);
}

txn::Destination UserAgent::destination_for_dialog(const dialog::Dialog& d) {
    return destination_for_uri(dialog::next_hop(d.target()));
}

sip::Via UserAgent::make_via() {
    sip::Via via = via_template_;
    via.set_branch(std::string(sip::kMagicCookie) + random_.token(16));
    via.set_rport(std::nullopt);  // RFC 3581: ask for the source port
    return via;
}

std::string UserAgent::contact_value() const { return contact_; }

std::string UserAgent::supported_value(bool with_100rel) const {
    std::string out;
    for (const std::string& tag : policy_.supported) {
        if (tag == "100rel" && !with_100rel) continue;
        out += (out.empty() ? "" : ", ") + tag;
    }
    return out;
}

std::string UserAgent::new_tag() { return random_.token(12); }

// §18.1.1: a request that went over TCP only for its size, whose connection failed, is sent
// again over UDP as it would have gone; that peer is not tried over TCP for size again.
bool UserAgent::retry_over_udp(txn::TransactionId failed, base::TimePoint now) {
    auto moved = moved_txns_.find(failed.value);
    auto pending = pending_.find(failed.value);
    if (moved == moved_txns_.end() || pending == pending_.end()) return false;
    MovedForSize m = std::move(moved->second);
    moved_txns_.erase(moved);
    const Pending p = pending->second;
    udp_fixed_.insert(m.udp.handle);
    m.request.set_header(HeaderId::Via, make_via().to_string());  // a new transaction, a new branch
    const txn::TransactionId retry = send_request(m.request, m.udp, p, now);
    if (!retry) return false;
    if (Call* c = find(p.call)) {
        if (c->invite_txn == failed) {
            c->invite = std::move(m.request);
            c->invite_destination = m.udp;
            c->invite_txn = retry;
        } else if (c->local_offer && c->local_offer->txn == failed) {
            c->local_offer->txn = retry;
            c->local_offer->request = std::move(m.request);
        }
    }
    return true;
}

txn::TransactionId UserAgent::send_request(sip::Message request, txn::Destination to, Pending pending,
                                           base::TimePoint now) {
    to = transport_for_size(request, to);
    auto moved = std::exchange(moved_for_size_, std::nullopt);
    auto id = txn_.send_request(std::move(request), to, now);
    if (!id) return {};
    if (moved) moved_txns_.emplace(id->value, std::move(*moved));
    switch (pending.purpose) {
        case Purpose::Invite:
        case Purpose::Register:
        case Purpose::Cancel:
        case Purpose::Stray: break;
        default: pending.sent = txn_.request(*id); break;
    }
    pending_[id->value] = std::move(pending);
    return *id;
}

sip::DigestClient UserAgent::new_digest_client() const {
    std::string user = config_.account.username.empty() ? config_.account.aor.user() : config_.account.username;
    return sip::DigestClient(std::move(user), config_.account.password);
}

void UserAgent::respond(txn::TransactionId server, const sip::Message& response, base::TimePoint now) {
    (void)txn_.send_response(server, response, now);
}

void UserAgent::respond_stateless(const sip::Message& request, int status, std::string_view reason,
                                  txn::Destination to) {
    sip::Message r = detail::make_response(request, status, reason, new_tag());
    txn_.send_stateless(r, to);
}

// --- io's side ---------------------------------------------------------------------------

void UserAgent::on_datagram(const Datagram& in, base::TimePoint now) {
    sip::ParseOptions options;
    options.framing = in.transport == Transport::Udp ? sip::Framing::Datagram : sip::Framing::Stream;
    auto parsed = sip::parse_message(in.bytes, options);
    if (!parsed) return;  // §18.3: nothing trustworthy to answer
    sip::Message& m = *parsed;
    // §18.2.1: the top Via learns the source address, which decides where the responses go
    // (§18.2.2). ACKs too, so that an RFC 2543 ACK's top Via still equals its INVITE's.
    Peer peer{in.transport, in.local, in.remote, in.connection};
    if (m.is_request()) peer.remote = detail::stamp_received(m, in.transport, in.remote);
    txn::Destination from = destination_for(peer);
    if (m.is_request()) {
        if (auto rejection = sip::validate_request(m, policy_)) {
            // §8.2: the fault goes back as the status and reason phrase. An ACK is never answered.
            if (m.method() != sip::Method::Ack && m.find(HeaderId::Via)) {
                sip::Message r = detail::make_response(m, rejection->status, rejection->reason, new_tag());
                if (rejection->status == 420) {
                    std::string list;
                    for (const std::string& tag : rejection->unsupported) list += (list.empty() ? "" : ", ") + tag;
                    r.add_header(HeaderId::Unsupported, list);
                }
                if (rejection->status == 405 || rejection->status == 501) r.add_header(HeaderId::Allow, detail::kAllow);
                if (rejection->status == 415) r.add_header(HeaderId::Accept, detail::kAccept);
                txn_.send_stateless(r, from);
            }
            return;
        }
    } else if (sip::validate_response(m)) {
        return;  // §18.1.2: a malformed response is discarded
    }
    if (!txn_.on_message(std::move(m), from, now)) return;
    pump(now);
    reap();
}

void UserAgent::on_timer(base::TimePoint now) {
    txn_.on_timer(now);
    pump(now);
    std::vector<CallId> due;
    for (auto& [id, c] : calls_) {
        auto d = call_deadline(c);
        if (d && *d <= now) due.push_back(id);
    }
    for (CallId id : due) {
        if (Call* c = find(id)) on_call_timers(*c, now);
    }
    if (registration_) registration_->on_timer(now);
    pump(now);
    reap();
}

void UserAgent::on_transport_error(const Datagram& failed, std::string_view reason, base::TimePoint now) {
    // The Datagram comes back as poll_transmit() made it, so it names the destination it was for.
    auto it = peer_index_.find(peer_key(Peer{failed.transport, failed.local, failed.remote, failed.connection}));
    if (it == peer_index_.end()) return;
    transport_error_ = reason.empty() ? std::string("transport error") : std::string(reason);
    txn_.on_transport_error(txn::Destination{it->second, failed.transport}, now);
    pump(now);
    transport_error_.clear();
    reap();
}

std::optional<base::TimePoint> UserAgent::next_deadline() const {
    std::optional<base::TimePoint> best = txn_.next_deadline();
    auto take = [&](std::optional<base::TimePoint> t) {
        if (t && (!best || *t < *best)) best = t;
    };
    for (const auto& [id, c] : calls_) take(call_deadline(c));
    if (registration_) take(registration_->next_deadline());
    return best;
}

std::optional<Datagram> UserAgent::poll_transmit() {
    auto t = txn_.poll_transmit();
    if (!t) return std::nullopt;
    Datagram d;
    const std::uint64_t handle = t->destination.handle;
    if (handle >= 1 && handle <= peers_.size()) {
        const Peer& p = peers_[handle - 1];
        d.transport = p.transport;
        d.local = p.local;
        d.remote = p.remote;
        d.connection = p.connection;
    }
    if (t->bytes) d.bytes = *t->bytes;
    return d;
}

std::optional<Event> UserAgent::poll_event() {
    if (events_.empty()) return std::nullopt;
    Event e = std::move(events_.front());
    events_.pop_front();
    return e;
}

// --- the transaction layer's events -------------------------------------------------------

void UserAgent::pump(base::TimePoint now) {
    for (;;) {
        bool busy = false;
        while (auto e = txn_.poll_event()) {
            busy = true;
            on_txn_event(*e, now);
        }
        if (registration_) {
            std::size_t before = pending_.size();
            drain_registration(now);
            busy = busy || pending_.size() != before;
        }
        if (!busy) break;
    }
}

void UserAgent::on_txn_event(const txn::Event& e, base::TimePoint now) {
    switch (e.kind) {
        case txn::EventKind::RequestReceived: {
            const sip::Message& r = *e.message;
            const sip::HeaderField* to = r.find(HeaderId::To);
            const bool in_dialog = to && detail::has_tag_param(to->value);
            if (r.method() == sip::Method::Cancel) on_cancel(e, now);
            else if (in_dialog) on_in_dialog_request(e, now);
            else if (r.method() == sip::Method::Invite) on_new_invite(e, now);
            else on_out_of_dialog_request(e, now);
            return;
        }
        case txn::EventKind::AckReceived:
            if (e.message) on_ack(*e.message, now);
            return;
        case txn::EventKind::ResponseReceived: {
            auto it = pending_.find(e.txn.value);
            if (it == pending_.end() || !e.message) return;
            const Pending p = it->second;
            const sip::Message& r = *e.message;
            if ((r.status_code() == 401 || r.status_code() == 407) && answer_challenge(p, e.txn, e.peer, r, now)) return;
            switch (p.purpose) {
                case Purpose::Invite: {
                    Call* c = find(p.call);
                    if (c && c->invite_txn == e.txn && c->state != CallState::Terminated) {
                        on_invite_response(*c, r, now);
                    } else if (auto cancel = cancel_at_provisional_.find(e.txn.value);
                               cancel != cancel_at_provisional_.end() && r.status_code() < 200) {
                        const txn::Destination to = cancel->second;
                        cancel_at_provisional_.erase(cancel);
                        if (auto invite = txn_.request(e.txn)) send_cancel_for(*invite, to, 0, now);
                    } else if (r.status_code() >= 200 && r.status_code() < 300) {
                        // §13.2.2.4: a 2xx for a call we no longer want is ACKed and ended.
                        if (auto invite = txn_.request(e.txn)) ack_and_bye_stray_2xx(e.txn, *invite, r, now);
                    }
                    return;
                }
                case Purpose::Register:
                    if (registration_) registration_->on_response(r, now);
                    return;
                case Purpose::Options:
                    if (r.status_code() >= 200) {
                        OptionsResult o{p.request, r.status_code(), {}};
                        if (auto a = sip::allow(r)) o.allow = a->tokens;
                        emit(std::move(o));
                    }
                    return;
                case Purpose::Message:
                    if (r.status_code() >= 200) emit(MessageResult{p.request, r.status_code(), std::string(r.reason())});
                    return;
                case Purpose::Stray:
                case Purpose::Cancel:
                    return;
                default:
                    if (Call* c = find(p.call); c && c->state != CallState::Terminated) {
                        Pending with_txn = p;
                        with_txn.request = e.txn.value;
                        on_in_dialog_response(*c, with_txn, r, now);
                    }
                    return;
            }
        }
        case txn::EventKind::Timeout:
        case txn::EventKind::TransportError: {
            const bool timeout = e.kind == txn::EventKind::Timeout;
            if (!timeout && retry_over_udp(e.txn, now)) return;
            const int status = timeout ? 408 : 503;
            const std::string reason = timeout                    ? std::string("Request Timeout")
                                       : transport_error_.empty() ? std::string("transport error")
                                                                  : transport_error_;
            auto it = pending_.find(e.txn.value);
            if (it == pending_.end()) return;  // a server transaction (Timer H): nothing to do
            const Pending p = it->second;
            if (p.purpose == Purpose::Register) {
                if (registration_) registration_->on_request_failed(status, reason, now);
                return;
            }
            if (p.purpose == Purpose::Options) { emit(OptionsResult{p.request, status, {}, true}); return; }
            if (p.purpose == Purpose::Message) { emit(MessageResult{p.request, status, reason, true}); return; }
            Call* c = find(p.call);
            if (!c || c->state == CallState::Terminated) return;
            sip::Message synthetic = sip::Message::response(status, reason);
            if (p.purpose == Purpose::Invite && c->invite_txn == e.txn) {
                // §8.1.3.1: no response is a 408 (Timer B), a transport failure a 503. Timer B
                // after a provisional (the §9.1 limit on a CANCEL) is a peer that went quiet.
                end_call(*c, status, reason, false, now, !timeout || c->state == CallState::Calling);
            } else if (p.purpose != Purpose::Invite) {
                Pending with_txn = p;
                with_txn.request = e.txn.value;
                on_in_dialog_response(*c, with_txn, synthetic, now);
            }
            return;
        }
        case txn::EventKind::Terminated:
            pending_.erase(e.txn.value);
            server_invites_.erase(e.txn.value);
            cancel_at_provisional_.erase(e.txn.value);
            acks_sent_.erase(e.txn.value);
            moved_txns_.erase(e.txn.value);
            return;
        case txn::EventKind::StrayResponse:
            return;
    }
}

// --- calls -------------------------------------------------------------------------------

Call* UserAgent::find(CallId id) {
    auto it = calls_.find(id);
    return it == calls_.end() ? nullptr : &it->second;
}

const Call* UserAgent::find_call(CallId id) const {
    auto it = calls_.find(id);
    return it == calls_.end() ? nullptr : &it->second;
}

Call& UserAgent::new_call(dialog::Role role) {
    CallId id = next_call_++;
    Call& c = calls_[id];
    c.id = id;
    c.role = role;
    c.state = role == dialog::Role::Uac ? CallState::Calling : CallState::Incoming;
    return c;
}

base::Result<sdp::Negotiator> UserAgent::make_negotiator(std::uint16_t& port) {
    const std::uint32_t first = config_.rtp_ports.first & ~1u;
    const std::uint32_t last = config_.rtp_ports.last;
    if (first == 0 || last < first) return base::make_error("RTP port range is empty", 500);
    const std::uint32_t slots = (last - first) / 2 + 1;
    port = 0;
    for (std::uint32_t i = 0; i < slots; ++i) {
        std::uint32_t slot = (next_port_ + i) % slots;
        auto candidate = static_cast<std::uint16_t>(first + 2 * slot);
        if (!ports_in_use_.contains(candidate)) {
            port = candidate;
            next_port_ = static_cast<std::uint16_t>((slot + 1) % slots);
            break;
        }
    }
    if (port == 0) return base::make_error("no free RTP port in the configured range", 503);
    sdp::NegotiatorConfig nc = config_.media;
    nc.rtp_ports = {port};
    nc.session_id = std::to_string(random_.uniform(1, 999999999999ull));
    if (nc.srtp != sdp::SrtpMode::Off) {
        if (!keys_) return base::make_error("SRTP is on but no key source was given", 500);
        nc.keys.clear();
        for (sdp::SrtpSuite suite : config_.srtp_suites)
            nc.keys.push_back(sdp::LocalKey{suite, keys_->random_bytes(sdp::key_salt_length(suite))});
    }
    auto n = sdp::Negotiator::create(std::move(nc));
    if (n) ports_in_use_.insert(port);
    return n;
}

void UserAgent::end_call(Call& c, int status, std::string reason, bool by_peer, base::TimePoint now,
                         bool network_failure) {
    if (c.state == CallState::Terminated) return;
    const bool was_answered = c.state == CallState::Confirmed || c.state == CallState::Accepting;
    c.state = CallState::Terminated;
    c.final_2xx.reset();
    c.reliable_1xx.reset();
    if (c.referred_by_call && !was_answered) notify_transferor(c, status, reason, now);
    emit(CallEnded{c.id, status, std::move(reason), by_peer, network_failure});
}

void UserAgent::reap() {
    for (auto it = calls_.begin(); it != calls_.end();) {
        Call& c = it->second;
        if (c.state != CallState::Terminated) { ++it; continue; }
        if (c.dialog) dialogs_.erase(c.dialog->id());
        for (const dialog::Dialog& d : c.early) dialogs_.erase(d.id());
        if (c.dialog && c.ack && c.invite_txn && txn_.state(c.invite_txn)) {
            // The INVITE may still bring its 2xx again (Accepted, RFC 6026): only the ACK answers it.
            acks_sent_[c.invite_txn.value].push_back(SentAck{c.dialog->id(), *c.ack, destination_for_dialog(*c.dialog)});
        }
        if (c.rtp_port) ports_in_use_.erase(c.rtp_port);
        it = calls_.erase(it);
    }
}

void UserAgent::set_dialog(Call& c, dialog::Dialog d) {
    if (c.dialog) dialogs_.erase(c.dialog->id());
    dialogs_[d.id()] = c.id;
    c.dialog = std::move(d);
}

std::optional<base::TimePoint> UserAgent::call_deadline(const Call& c) const {
    std::optional<base::TimePoint> best;
    auto take = [&](std::optional<base::TimePoint> t) {
        if (t && (!best || *t < *best)) best = t;
    };
    if (c.state == CallState::Terminated) return std::nullopt;
    take(c.ring_deadline);
    if (c.final_2xx) take(std::min(c.final_2xx->next, c.final_2xx->give_up));
    if (c.reliable_1xx) take(std::min(c.reliable_1xx->next, c.reliable_1xx->give_up));
    take(c.glare_retry_at);
    take(c.refresh_at);
    take(c.expire_at);
    return best;
}

void UserAgent::on_call_timers(Call& c, base::TimePoint now) {
    const auto& t = config_.timers;
    if (c.ring_deadline && *c.ring_deadline <= now) {
        // RFC 3665 §3.8: nobody answered in time.
        c.ring_deadline.reset();
        if (c.state == CallState::Proceeding) send_cancel(c, now);
        if (c.state == CallState::Calling) {
            // A silent peer: the call ends now, not at Timer B. §9.1 allows no CANCEL before a
            // provisional, so it goes when one comes (a 2xx instead is ACKed and ended).
            cancel_at_provisional_[c.invite_txn.value] = c.invite_destination;
            end_call(c, 408, "no answer within the ring timeout", false, now);
            return;
        }
    }
    if (c.final_2xx && c.final_2xx->give_up <= now) {
        // §13.3.1.4: no ACK within 64*T1 — the session is confirmed and then ended with a BYE.
        c.final_2xx.reset();
        if (c.dialog) c.dialog->confirm();
        send_bye(c, now);
        end_call(c, 408, "no ACK for the 2xx", false, now);
        return;
    }
    if (c.final_2xx && c.final_2xx->next <= now) {
        respond(c.final_2xx->txn, c.final_2xx->response, now);
        c.final_2xx->interval = std::min(c.final_2xx->interval * 2, t.t2);
        c.final_2xx->next = now + c.final_2xx->interval;
    }
    if (c.reliable_1xx && c.reliable_1xx->give_up <= now) {
        // RFC 3262 §3: no PRACK within 64*T1 — the INVITE is rejected with a 5xx.
        c.reliable_1xx.reset();
        if (c.state == CallState::Incoming && c.remote_invite) {
            respond(c.server_txn, make_dialog_response(c, *c.remote_invite, 504, "no PRACK for the reliable provisional"), now);
            end_call(c, 504, "no PRACK for the reliable provisional", false, now);
            return;
        }
    }
    if (c.reliable_1xx && c.reliable_1xx->next <= now) {
        respond(c.reliable_1xx->txn, c.reliable_1xx->response, now);
        c.reliable_1xx->interval *= 2;
        c.reliable_1xx->next = now + c.reliable_1xx->interval;
    }
    if (c.glare_retry_at && *c.glare_retry_at <= now) {
        c.glare_retry_at.reset();
        start_local_offer(c, c.glare_direction, false, now);
    }
    if (c.refresh_at && *c.refresh_at <= now) {
        c.refresh_at.reset();
        start_local_offer(c, c.local_hold ? sdp::Direction::SendOnly : sdp::Direction::SendRecv, true, now);
    }
    if (c.expire_at && *c.expire_at <= now) {
        // RFC 4028 §10: no refresh arrived before the session expired.
        c.expire_at.reset();
        send_bye(c, now);
        end_call(c, 408, "session expired without a refresh", false, now);
    }
}

// --- registration ------------------------------------------------------------------------

void UserAgent::drain_registration(base::TimePoint now) {
    while (auto out = registration_->poll_request()) {
        txn::Destination to = destination_for_uri(out->next_hop);
        send_request(std::move(out->request), to, Pending{Purpose::Register, 0, 0, 0}, now);
    }
    while (auto e = registration_->poll_event()) {
        std::visit([this](auto&& v) { emit(Event(std::move(v))); }, std::move(*e));
    }
}

base::Status UserAgent::register_account(base::TimePoint now) {
    if (!registration_) return base::make_error("no registrar configured, or no Digest hash given");
    registration_->start(now);
    pump(now);
    return {};
}

base::Status UserAgent::unregister_account(base::TimePoint now) {
    if (!registration_) return base::make_error("no registrar configured, or no Digest hash given");
    registration_->stop(now);
    pump(now);
    return {};
}

}  // namespace dialtone::ua
