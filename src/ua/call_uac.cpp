// The UAC side of a call (RFC 3261 §13.2): the INVITE and what its responses do — early
// dialogs, early media, the ACK to every 2xx, CANCEL, Digest retries, redirects, 422.
#include "dialtone/ua/user_agent.hpp"

#include "message_util.hpp"

#include "dialtone/dialog/route_set.hpp"
#include "dialtone/sdp/parser.hpp"
#include "dialtone/sdp/serializer.hpp"
#include "dialtone/sip/typed.hpp"

#include <algorithm>

namespace dialtone::ua {

using sip::HeaderId;

namespace {

bool has_sdp(const sip::Message& m) {
    if (m.body().empty()) return false;
    auto ct = sip::content_type(m);
    return ct && ct->has_value() && (*ct)->is("application", "sdp");
}

}  // namespace

CallId UserAgent::call(const sip::Uri& target, const CallOptions& options, base::TimePoint now) {
    Call& c = new_call(dialog::Role::Uac);
    const CallId id = c.id;  // reap() may free `c`
    c.options = options;
    c.target = target;
    c.visited = {target};
    c.call_id = random_.token(20) + "@" + via_template_.host.to_string();
    c.local_tag = new_tag();
    c.session_expires_asked = config_.session_expires;
    if (config_.session_expires && config_.session_expires < config_.min_se) c.session_expires_asked = config_.min_se;
    auto n = make_negotiator(c.rtp_port);
    if (!n) {
        end_call(c, n.error().status ? n.error().status : 500, n.error().message, false, now);
        reap();
        return id;
    }
    c.negotiator.emplace(std::move(*n));
    if (options.offer_in_invite) {
        auto offer = c.negotiator->create_offer();
        if (!offer) {
            end_call(c, 500, offer.error().message, false, now);
            reap();
            return id;
        }
        c.offer_sdp = sdp::serialize(*offer);
    }
    base::Duration ring = options.ring_timeout.value_or(config_.ring_timeout);
    if (ring > base::Duration::zero()) c.ring_deadline = now + ring;
    send_invite(c, now);
    pump(now);
    reap();
    return id;
}

void UserAgent::send_invite(Call& c, base::TimePoint now) {
    const sip::Uri request_uri = dialog::as_request_uri(c.target);
    sip::Message m = sip::Message::request(sip::Method::Invite, request_uri.to_string());
    m.add_header(HeaderId::Via, make_via().to_string());
    m.add_header(HeaderId::MaxForwards, "70");
    txn::Destination to;
    if (config_.outbound_proxy) {
        sip::Uri proxy = *config_.outbound_proxy;
        proxy.params().set("lr");
        m.add_header(HeaderId::Route, "<" + proxy.to_string() + ">");
        to = destination_for_uri(*config_.outbound_proxy);
    } else {
        to = destination_for_uri(request_uri);
    }
    sip::NameAddr from{config_.account.display_name, config_.account.aor, {}};
    from.set_tag(c.local_tag);
    m.add_header(HeaderId::From, from.to_string());
    // §8.1.3.4: a redirected request keeps the original To.
    m.add_header(HeaderId::To, sip::NameAddr{std::nullopt, dialog::as_request_uri(c.visited.front()), {}}.to_string());
    m.add_header(HeaderId::CallId, c.call_id);
    m.add_header(HeaderId::CSeq, std::to_string(c.cseq) + " INVITE");
    m.add_header(HeaderId::Contact, contact_);
    m.add_header(HeaderId::Allow, detail::kAllow);
    // RFC 3262 §4: a tag we Require is not listed in Supported as well.
    if (std::string supported = supported_value(!c.options.require_100rel); !supported.empty())
        m.add_header(HeaderId::Supported, supported);
    std::string require = c.options.require_100rel ? "100rel" : "";
    if (c.options.require_timer) require += require.empty() ? "timer" : ", timer";
    if (!require.empty()) m.add_header(HeaderId::Require, require);
    add_session_timer_request_headers(c, m);
    if (!config_.user_agent.empty()) m.add_header(HeaderId::UserAgent, config_.user_agent);
    for (const auto& [name, value] : c.options.headers) m.add_header(name, value);
    if (!c.offer_sdp.empty()) m.set_body("application/sdp", c.offer_sdp);
    // §22.2, §22.3: credentials for every protection space that challenged us.
    if (hash_) {
        const std::string uri = request_uri.to_string();
        if (c.www_auth && c.www_auth->challenge()) {
            if (auto cred = c.www_auth->authorize(*hash_, "INVITE", uri, c.offer_sdp))
                m.add_header(HeaderId::Authorization, cred->to_string());
        }
        if (c.proxy_auth && c.proxy_auth->challenge()) {
            if (auto cred = c.proxy_auth->authorize(*hash_, "INVITE", uri, c.offer_sdp))
                m.add_header(HeaderId::ProxyAuthorization, cred->to_string());
        }
    }
    to = transport_for_size(m, to);  // before the copy a CANCEL is built from (§9.1)
    c.invite = m;
    c.invite_destination = to;
    c.invite_txn = send_request(std::move(m), to, Pending{Purpose::Invite, c.id, 0, 0}, now);
    if (!c.invite_txn) end_call(c, 500, "the INVITE could not be sent", false, now);
}

void UserAgent::on_invite_response(Call& c, const sip::Message& r, base::TimePoint now) {
    const int status = r.status_code();
    if (status < 200) on_invite_provisional(c, r, now);
    else if (status < 300) on_invite_success(c, r, now);
    else on_invite_failure(c, r, now);
}

void UserAgent::send_cancel(Call& c, base::TimePoint now) {
    if (c.cancel_sent || !c.invite) return;
    c.cancel_sent = true;
    send_cancel_for(*c.invite, c.invite_destination, c.id, now);
}

void UserAgent::send_cancel_for(const sip::Message& inv, txn::Destination to, CallId call, base::TimePoint now) {
    // §9.1: Request-URI, Call-ID, To, From, CSeq number and the top Via of the INVITE; its
    // Route; method CANCEL.
    auto cs = sip::cseq(inv);
    if (!cs) return;
    sip::Message m = sip::Message::request(sip::Method::Cancel, inv.request_uri());
    if (const sip::HeaderField* via = inv.find(HeaderId::Via)) m.add_header(HeaderId::Via, via->value);
    m.add_header(HeaderId::MaxForwards, "70");
    for (const sip::HeaderField& h : inv.headers())
        if (h.id == HeaderId::Route) m.add_header(HeaderId::Route, h.value);
    for (HeaderId id : {HeaderId::From, HeaderId::To, HeaderId::CallId})
        if (const sip::HeaderField* h = inv.find(id)) m.add_header(id, h->value);
    m.add_header(HeaderId::CSeq, std::to_string(cs->number) + " CANCEL");
    send_request(std::move(m), to, Pending{Purpose::Cancel, call, 0, 0}, now);
}

void UserAgent::on_invite_provisional(Call& c, const sip::Message& r, base::TimePoint now) {
    if (c.state == CallState::Calling) c.state = CallState::Proceeding;
    // §9.1: a CANCEL waits for a provisional response.
    if (c.cancel_wanted && !c.cancel_sent) send_cancel(c, now);
    const int status = r.status_code();
    if (status == 100) return;

    dialog::Dialog* d = nullptr;
    auto id = dialog::id_of_received_response(r);
    if (id && !id->remote_tag.empty()) {
        for (dialog::Dialog& e : c.early)
            if (e.id() == *id) d = &e;
        if (!d) {
            if (auto created = dialog::Dialog::create_uac(*c.invite, r)) {
                c.early.push_back(std::move(*created));
                d = &c.early.back();
                dialogs_[d->id()] = c.id;
            }
        } else {
            (void)d->on_response(r);
        }
    }

    // RFC 3262 §4: PRACK each reliable provisional once, in RSeq order.
    auto req = sip::require(r);
    auto rseq = sip::rseq(r);
    if (d && req && req->contains("100rel") && rseq && rseq->has_value()) {
        const std::uint32_t n = **rseq;
        if (c.last_rseq && n <= *c.last_rseq) return;  // a retransmission, already PRACKed
        if (c.last_rseq && n != *c.last_rseq + 1) return;  // out of order: wait for the missing one
        c.last_rseq = n;
        send_prack(c, *d, r, now);
    }

    emit(CallRinging{c.id, status});
    if (c.referred_by_call && status == 180) notify_transferor(c, status, r.reason(), now);
    // §13.2.1: an answer in a provisional response completes the offer/answer exchange.
    if (has_sdp(r) && c.negotiator && c.negotiator->state() == sdp::Negotiator::State::OfferSent) {
        auto answer = sdp::parse(r.body());
        if (answer && c.negotiator->receive_answer(*answer)) {
            c.media_up = true;
            emit(CallEarlyMedia{c.id, c.negotiator->media()});
        }
    }
}

void UserAgent::send_prack(Call& c, dialog::Dialog& d, const sip::Message& r, base::TimePoint now) {
    auto m = d.make_request(sip::Method::Prack, make_via());
    if (!m) return;
    auto rseq = sip::rseq(r);
    auto cs = sip::cseq(r);
    if (!rseq || !rseq->has_value() || !cs) return;
    sip::RAck rack{**rseq, cs->number, cs->method_text};
    m->add_header(HeaderId::RAck, rack.to_string());
    send_request(std::move(*m), destination_for_dialog(d), Pending{Purpose::Prack, c.id, 0, 0}, now);
}

void UserAgent::on_invite_success(Call& c, const sip::Message& r, base::TimePoint now) {
    auto id = dialog::id_of_received_response(r);
    if (!id) return;
    if (c.dialog) {
        if (c.dialog->id() == *id) {
            // §13.2.2.4: a retransmitted 2xx gets the same ACK again.
            if (c.ack) txn_.send_stateless(*c.ack, destination_for_dialog(*c.dialog));
        } else {
            ack_and_bye_stray_2xx(c.invite_txn, *c.invite, r, now);  // a second fork answered
        }
        return;
    }
    std::optional<dialog::Dialog> d;
    for (dialog::Dialog& e : c.early) {
        if (e.id() == *id && e.on_response(r)) d = std::move(e);
    }
    if (!d) {
        auto created = dialog::Dialog::create_uac(*c.invite, r);
        if (!created) {
            // §13.2.2.4: the 2xx is ACKed all the same (or it comes again for 32 s), and the
            // session it made is ended at once.
            ack_and_bye_stray_2xx(c.invite_txn, *c.invite, r, now);
            end_call(c, 502, "2xx unusable: " + created.error().message, true, now);
            return;
        }
        d = std::move(*created);
    }
    for (const dialog::Dialog& e : c.early) dialogs_.erase(e.id());
    c.early.clear();
    set_dialog(c, std::move(*d));
    c.state = CallState::Confirmed;
    c.ring_deadline.reset();

    auto ack = c.dialog->make_ack(*c.invite, make_via());
    if (!ack) {
        end_call(c, 502, ack.error().message, true, now);
        return;
    }
    std::string failure;
    if (c.negotiator) {
        if (c.offer_sdp.empty()) {
            // §13.2.1: the offer came in the 2xx; our answer goes in the ACK.
            auto offer = has_sdp(r) ? sdp::parse(r.body()) : base::Result<sdp::SessionDescription>(
                                                                 base::make_error("2xx without the offer", 488));
            if (offer && c.negotiator->receive_offer(*offer)) {
                if (auto answer = c.negotiator->create_answer())
                    ack->set_body("application/sdp", sdp::serialize(*answer));
                else failure = answer.error().message;
            } else {
                failure = offer ? "offer in the 2xx not acceptable" : offer.error().message;
            }
        } else if (c.negotiator->state() == sdp::Negotiator::State::OfferSent) {
            auto answer = has_sdp(r) ? sdp::parse(r.body()) : base::Result<sdp::SessionDescription>(
                                                                  base::make_error("2xx without an answer", 488));
            if (!answer) failure = answer.error().message;
            else if (auto st = c.negotiator->receive_answer(*answer); !st) failure = st.error().message;
        }
    }
    txn_.send_stateless(*ack, destination_for_dialog(*c.dialog));
    c.ack = std::move(*ack);

    if (c.cancel_sent || c.cancel_wanted) {
        // §9.1 race: the 2xx crossed our CANCEL. The call is ACKed and ended with a BYE.
        send_bye(c, now);
        end_call(c, 487, "answered while cancelling; BYE sent", false, now);
        return;
    }
    if (!failure.empty()) {
        // §13.2.2.4: a 2xx with an unusable answer is ACKed, then the session ended.
        send_bye(c, now);
        end_call(c, 488, failure, true, now);
        return;
    }
    c.media_up = true;
    emit(CallAnswered{c.id, c.negotiator ? c.negotiator->media() : std::vector<sdp::NegotiatedMedia>{}});
    start_session_timer_uac(c, r, now);
    if (c.referred_by_call) notify_transferor(c, r.status_code(), r.reason(), now);
}

void UserAgent::ack_and_bye_stray_2xx(txn::TransactionId invite_txn, const sip::Message& invite,
                                      const sip::Message& r, base::TimePoint now) {
    auto id = dialog::id_of_received_response(r);
    if (!id) return;
    std::vector<SentAck>& sent = acks_sent_[invite_txn.value];
    for (const SentAck& s : sent) {
        if (s.dialog != *id) continue;
        // §13.2.2.4: a retransmission of a 2xx already ACKed and ended gets the ACK again.
        txn_.send_stateless(s.ack, s.to);
        return;
    }
    auto d = dialog::Dialog::create_uac(invite, r);
    if (!d) {
        // A Contact that is no usable target: the ACK and BYE go to the Request-URI instead.
        sip::Message without_contact = r;
        without_contact.remove_header(HeaderId::Contact);
        d = dialog::Dialog::create_uac(invite, without_contact);
    }
    if (!d) return;
    txn::Destination to = destination_for_dialog(*d);
    if (auto ack = d->make_ack(invite, make_via())) {
        txn_.send_stateless(*ack, to);
        sent.push_back(SentAck{*id, std::move(*ack), to});
    }
    if (auto bye = d->make_request(sip::Method::Bye, make_via()))
        send_request(std::move(*bye), to, Pending{Purpose::Stray, 0, 0, 0}, now);
}

bool UserAgent::retry_with_credentials(Call& c, const sip::Message& r, base::TimePoint now) {
    if (!hash_) return false;
    auto headers = sip::auth_headers_for(r.status_code());
    auto challenges = sip::digest_challenges(r);
    if (!headers || !challenges) return false;
    auto& client = r.status_code() == 401 ? c.www_auth : c.proxy_auth;
    if (!client) client.emplace(new_digest_client());
    const auto sent = c.invite && c.invite->find(headers->credentials) ? sip::Attempt::WithCredentials
                                                                       : sip::Attempt::WithoutCredentials;
    const auto mine = sip::challenges_for_realm(*challenges, config_.account.realm);
    if (client->on_challenge(mine, sent, random_) != sip::AuthDecision::Retry) return false;
    // §22.2: the same request again with credentials and the next CSeq.
    ++c.cseq;
    c.early.clear();
    send_invite(c, now);
    return true;
}

bool UserAgent::follow_redirect(Call& c, const sip::Message& r, base::TimePoint now) {
    if (c.redirects >= config_.max_redirects) return false;
    auto list = sip::contacts(r);
    if (!list || list->empty()) return false;
    // §8.1.3.4: try the contacts by q, highest first; one already tried means a loop.
    std::vector<sip::Contact> sorted = *list;
    std::stable_sort(sorted.begin(), sorted.end(), [](const sip::Contact& a, const sip::Contact& b) {
        return a.q_millis().value_or(1000) > b.q_millis().value_or(1000);
    });
    for (const sip::Contact& contact : sorted) {
        if (contact.wildcard || !contact.address.uri.is_sip()) continue;
        const sip::Uri& uri = contact.address.uri;
        bool seen = std::any_of(c.visited.begin(), c.visited.end(), [&](const sip::Uri& v) { return v.equivalent(uri); });
        if (seen) continue;
        ++c.redirects;
        c.visited.push_back(uri);
        c.target = uri;
        ++c.cseq;
        c.early.clear();
        send_invite(c, now);
        return true;
    }
    return false;
}

void UserAgent::on_invite_failure(Call& c, const sip::Message& r, base::TimePoint now) {
    const int status = r.status_code();
    for (const dialog::Dialog& e : c.early) dialogs_.erase(e.id());
    c.early.clear();
    if ((status == 401 || status == 407) && !c.cancel_sent && retry_with_credentials(c, r, now)) return;
    if (status >= 300 && status < 400 && !c.cancel_sent && follow_redirect(c, r, now)) return;
    if (status == 422 && !c.cancel_sent) {
        // RFC 4028 §7.4: ask again with at least the peer's Min-SE.
        auto min = sip::min_se(r);
        if (min && min->has_value() && (*min)->delta_seconds > c.session_expires_asked) {
            c.session_expires_asked = (*min)->delta_seconds;
            ++c.cseq;
            send_invite(c, now);
            return;
        }
    }
    if (c.cancel_sent && status == 487) {
        end_call(c, 487, std::string(r.reason()), false, now);
        return;
    }
    std::string reason(r.reason());
    if (status == 401 || status == 407) {
        auto challenges = sip::digest_challenges(r);
        if (challenges && !challenges->empty() && sip::challenges_for_realm(*challenges, config_.account.realm).empty())
            reason += " (" + sip::realm_mismatch(*challenges, config_.account.realm) + ")";
    }
    if (status >= 300 && status < 400) reason += c.redirects >= config_.max_redirects ? " (too many redirects)"
                                                                                       : " (redirect loop or no usable contact)";
    // RFC 3261 §20.43: the Warning says why, e.g. which SDP term a 488 could not meet.
    if (auto w = sip::warnings(r); w && !w->empty()) reason += " (" + w->front().text + ")";
    end_call(c, status, std::move(reason), true, now);
}

}  // namespace dialtone::ua
