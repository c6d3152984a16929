// Inside an established call (RFC 3261 §12.2, §14, §15): BYE, re-INVITE and UPDATE (RFC 3311)
// for hold and resume with glare handling, INFO DTMF (RFC 6086), and the responses to what we
// sent in the dialog.
#include "dialtone/ua/user_agent.hpp"

#include "message_util.hpp"

#include "dialtone/sdp/parser.hpp"
#include "dialtone/sdp/serializer.hpp"
#include "dialtone/sip/typed.hpp"
#include "dialtone/ua/info_dtmf.hpp"

namespace dialtone::ua {

using sip::HeaderId;

namespace {

// The peer holds when its offer stops its sending: sendonly or inactive, or the RFC 2543
// c=0.0.0.0 (RFC 3264 §8.4).
bool offer_holds(const sdp::SessionDescription& offer) {
    for (const sdp::MediaDescription& m : offer.media) {
        if (m.port == 0) continue;
        sdp::Direction d = sdp::effective_direction(offer, m);
        if (d == sdp::Direction::SendOnly || d == sdp::Direction::Inactive) return true;
        const sdp::Connection* c = !m.connections.empty() ? &m.connections.front()
                                                           : (offer.connection ? &*offer.connection : nullptr);
        if (c && c->address == "0.0.0.0") return true;
        return false;
    }
    return false;
}

bool has_sdp(const sip::Message& m) {
    if (m.body().empty()) return false;
    auto ct = sip::content_type(m);
    return ct && ct->has_value() && (*ct)->is("application", "sdp");
}

}  // namespace

txn::TransactionId UserAgent::send_in_dialog(Call& c, sip::Method method, Pending pending, base::TimePoint now,
                                             std::string_view content_type, std::string_view body,
                                             sip::Message* sent) {
    if (!c.dialog) return {};
    auto m = c.dialog->make_request(method, make_via());
    if (!m) return {};
    if (method == sip::Method::Invite || method == sip::Method::Update) {
        m->add_header(HeaderId::Allow, detail::kAllow);
        if (session_timers_on()) m->add_header(HeaderId::Supported, "timer");
        add_session_timer_request_headers(c, *m);
    }
    if (!content_type.empty()) m->set_body(content_type, body);
    if (sent) *sent = *m;
    return send_request(std::move(*m), destination_for_dialog(*c.dialog), pending, now);
}

void UserAgent::send_bye(Call& c, base::TimePoint now) {
    if (!c.dialog || c.bye_sent) return;
    c.bye_sent = true;
    c.final_2xx.reset();
    c.refresh_at.reset();
    c.expire_at.reset();
    send_in_dialog(c, sip::Method::Bye, Pending{Purpose::Bye, c.id, 0, 0}, now);
}

void UserAgent::report_media_change(Call& c, bool was_remote_hold, bool was_local_hold) {
    if (c.remote_hold != was_remote_hold || c.local_hold != was_local_hold)
        emit(HoldChanged{c.id, c.local_hold, c.remote_hold, c.negotiator->media()});
    else
        emit(MediaUpdated{c.id, c.negotiator->media()});
}

void UserAgent::on_in_dialog_request(const txn::Event& e, base::TimePoint now) {
    const sip::Message& r = *e.message;
    auto id = dialog::id_of_received_request(r);
    auto it = id ? dialogs_.find(*id) : dialogs_.end();
    Call* cp = it == dialogs_.end() ? nullptr : find(it->second);
    if (!cp || cp->state == CallState::Terminated) {
        // §12.2.2: a request for a dialog we do not have.
        respond(e.txn, detail::make_response(r, 481, "Call/Transaction Does Not Exist", {}), now);
        return;
    }
    Call& c = *cp;
    dialog::Dialog* d = c.dialog && c.dialog->id() == *id ? &*c.dialog : nullptr;
    for (dialog::Dialog& early : c.early)
        if (!d && early.id() == *id) d = &early;
    if (!d) {
        respond(e.txn, detail::make_response(r, 481, "Call/Transaction Does Not Exist", {}), now);
        return;
    }
    if (auto st = d->on_request(r); !st) {
        // §12.2.2: a lower CSeq than the last one is out of order.
        const int status = st.error().status ? st.error().status : 400;
        respond(e.txn, detail::make_response(r, status, st.error().message, {}), now);
        return;
    }
    switch (r.method()) {
        case sip::Method::Bye:
            respond(e.txn, detail::make_response(r, 200, "OK", {}), now);
            if (c.state == CallState::Incoming && c.remote_invite) {
                // §15.1.2: a BYE in an early dialog ends the INVITE with 487.
                respond(c.server_txn, make_dialog_response(c, *c.remote_invite, 487, "Request Terminated"), now);
            }
            end_call(c, 200, "BYE received", true, now);
            return;
        case sip::Method::Invite:
            on_reinvite(c, e.txn, r, now);
            return;
        case sip::Method::Update:
            on_update(c, e.txn, r, now);
            return;
        case sip::Method::Info:
            on_info(c, e.txn, r, now);
            return;
        case sip::Method::Prack:
            on_prack(c, e.txn, r, now);
            return;
        case sip::Method::Refer:
            on_refer(c, e.txn, r, now);
            return;
        case sip::Method::Notify:
            on_notify(c, e.txn, r, now);
            return;
        case sip::Method::Options: {
            sip::Message resp = detail::make_response(r, 200, "OK", {});
            resp.add_header(HeaderId::Allow, detail::kAllow);
            resp.add_header(HeaderId::Accept, detail::kAccept);
            respond(e.txn, resp, now);
            return;
        }
        case sip::Method::Message: {
            respond(e.txn, detail::make_response(r, 200, "OK", {}), now);
            auto from = sip::from(r);
            auto ct = r.find(HeaderId::ContentType);
            emit(MessageReceived{from ? *from : sip::NameAddr{}, ct ? std::string(ct->value) : std::string("text/plain"),
                                 std::string(r.body()), c.id});
            return;
        }
        default: {
            sip::Message resp = detail::make_response(r, 405, "Method Not Allowed", {});
            resp.add_header(HeaderId::Allow, detail::kAllow);
            respond(e.txn, resp, now);
            return;
        }
    }
}

void UserAgent::on_reinvite(Call& c, txn::TransactionId server, const sip::Message& r, base::TimePoint now) {
    if (c.local_offer) {
        // §14.2: our own re-INVITE or UPDATE is pending — glare.
        respond(server, detail::make_response(r, 491, "Request Pending", {}), now);
        return;
    }
    if (c.final_2xx || c.state != CallState::Confirmed) {
        // §14.2: a re-INVITE before the previous INVITE is done.
        sip::Message resp = detail::make_response(r, 500, "previous INVITE not yet acknowledged", {});
        resp.add_header(HeaderId::RetryAfter, "1");
        respond(server, resp, now);
        return;
    }
    sip::Message too_small;
    if (check_session_timer_uas(c, r, &too_small)) {
        respond(server, too_small, now);
        return;
    }
    const bool was_remote = c.remote_hold, was_local = c.local_hold;
    sip::Message resp = make_dialog_response(c, r, 200, "OK");
    resp.add_header(HeaderId::Allow, detail::kAllow);
    if (session_timers_on()) resp.add_header(HeaderId::Supported, "timer");
    add_session_timer_response_headers(c, resp);
    if (has_sdp(r)) {
        auto offer = sdp::parse(r.body());
        if (!offer) {
            respond(server, detail::make_response(r, 488, "Not Acceptable Here: " + offer.error().message, {}), now);
            return;
        }
        if (auto st = c.negotiator->receive_offer(*offer); !st) {
            sip::Message rej = detail::make_response(r, st.error().status ? st.error().status : 488,
                                                     detail::default_reason(st.error().status ? st.error().status : 488), {});
            rej.add_header(HeaderId::Warning, st.error().message);
            respond(server, rej, now);
            return;
        }
        auto answer = c.negotiator->create_answer();
        if (!answer) return;
        c.remote_hold = offer_holds(*offer);
        resp.set_body("application/sdp", sdp::serialize(*answer));
        send_2xx_with_retransmission(c, server, std::move(resp), now);
        report_media_change(c, was_remote, was_local);
    } else {
        // §14.2: an offerless re-INVITE gets our offer; the answer comes in the ACK.
        c.negotiator->set_direction(c.local_hold ? sdp::Direction::SendOnly : sdp::Direction::SendRecv);
        auto offer = c.negotiator->create_offer();
        if (!offer) return;
        resp.set_body("application/sdp", sdp::serialize(*offer));
        c.awaiting_ack_answer = true;
        send_2xx_with_retransmission(c, server, std::move(resp), now);
    }
    arm_session_timer(c, now);
}

void UserAgent::on_update(Call& c, txn::TransactionId server, const sip::Message& r, base::TimePoint now) {
    sip::Message too_small;
    if (check_session_timer_uas(c, r, &too_small)) {
        respond(server, too_small, now);
        return;
    }
    sip::Message resp = make_dialog_response(c, r, 200, "OK");
    add_session_timer_response_headers(c, resp);
    if (has_sdp(r)) {
        if (c.local_offer || c.negotiator->state() == sdp::Negotiator::State::OfferSent) {
            // RFC 3311 §5.2: an offer while ours is outstanding.
            respond(server, detail::make_response(r, 491, "Request Pending", {}), now);
            return;
        }
        auto offer = sdp::parse(r.body());
        if (!offer) {
            respond(server, detail::make_response(r, 488, "Not Acceptable Here: " + offer.error().message, {}), now);
            return;
        }
        if (auto st = c.negotiator->receive_offer(*offer); !st) {
            sip::Message rej = detail::make_response(r, 488, "Not Acceptable Here", {});
            rej.add_header(HeaderId::Warning, st.error().message);
            respond(server, rej, now);
            return;
        }
        auto answer = c.negotiator->create_answer();
        if (!answer) return;
        const bool was_remote = c.remote_hold, was_local = c.local_hold;
        c.remote_hold = offer_holds(*offer);
        resp.set_body("application/sdp", sdp::serialize(*answer));
        respond(server, resp, now);
        report_media_change(c, was_remote, was_local);
    } else {
        respond(server, resp, now);
    }
    if (c.state == CallState::Confirmed) arm_session_timer(c, now);
}

void UserAgent::on_info(Call& c, txn::TransactionId server, const sip::Message& r, base::TimePoint now) {
    const sip::HeaderField* ct = r.find(HeaderId::ContentType);
    if (r.body().empty()) {
        respond(server, detail::make_response(r, 200, "OK", {}), now);  // an INFO used as a keep-alive
        return;
    }
    if (!ct || !is_dtmf_content_type(ct->value)) {
        // RFC 6086 §4.2.2: a body we do not understand.
        sip::Message resp = detail::make_response(r, 415, "Unsupported Media Type", {});
        resp.add_header(HeaderId::Accept, "application/dtmf-relay, application/dtmf");
        respond(server, resp, now);
        return;
    }
    auto dtmf = parse_info_dtmf(ct->value, r.body());
    if (!dtmf) {
        respond(server, detail::make_response(r, 400, dtmf.error().message, {}), now);
        return;
    }
    respond(server, detail::make_response(r, 200, "OK", {}), now);
    emit(DtmfReceived{c.id, dtmf->digit, dtmf->duration_ms, DtmfMethod::Info});
}

void UserAgent::start_local_offer(Call& c, sdp::Direction direction, bool refresh, base::TimePoint now) {
    if (c.local_offer || !c.dialog || c.state != CallState::Confirmed || !c.negotiator) return;
    if (c.negotiator->state() != sdp::Negotiator::State::Stable) return;
    c.negotiator->set_direction(direction);
    auto offer = c.negotiator->create_offer();
    if (!offer) return;
    const sip::Method method = config_.hold_by_update ? sip::Method::Update : sip::Method::Invite;
    LocalOffer lo;
    lo.method = method;
    lo.direction = direction;
    lo.refresh = refresh;
    sip::Message sent;
    const Purpose purpose = method == sip::Method::Update ? Purpose::Update : Purpose::ReInvite;
    lo.txn = send_in_dialog(c, method, Pending{purpose, c.id, 0, 0}, now, "application/sdp", sdp::serialize(*offer), &sent);
    if (!lo.txn) {
        c.negotiator->rollback();
        return;
    }
    lo.request = std::move(sent);
    c.local_offer = std::move(lo);
}

void UserAgent::send_next_dtmf(Call& c, base::TimePoint now) {
    while (!c.info_in_flight && !c.dtmf_queue.empty() && c.dialog && c.state == CallState::Confirmed) {
        const char digit = c.dtmf_queue.front();
        c.dtmf_queue.pop_front();
        auto t = send_in_dialog(c, sip::Method::Info, Pending{Purpose::Info, c.id, 0, digit}, now,
                                "application/dtmf-relay", format_dtmf_relay(digit, config_.dtmf_duration_ms));
        if (t) c.info_in_flight = true;
        else emit(DtmfSent{c.id, digit, 500});
    }
}

void UserAgent::on_in_dialog_response(Call& c, const Pending& p, const sip::Message& r, base::TimePoint now) {
    const int status = r.status_code();
    if (status < 200) return;
    switch (p.purpose) {
        case Purpose::Info:
            // A failed INFO never ends the call; the next digit goes out either way.
            c.info_in_flight = false;
            emit(DtmfSent{c.id, p.digit, status});
            send_next_dtmf(c, now);
            return;
        case Purpose::ReInvite:
        case Purpose::Update: {
            if (!c.local_offer || c.local_offer->txn.value != p.request) {
                // A retransmitted 2xx to a re-INVITE already answered: ACK it again (§13.2.2.4).
                if (p.purpose == Purpose::ReInvite && status < 300 && c.reinvite_ack && c.dialog)
                    txn_.send_stateless(*c.reinvite_ack, destination_for_dialog(*c.dialog));
                return;
            }
            LocalOffer lo = std::move(*c.local_offer);
            c.local_offer.reset();
            if (c.dialog) (void)c.dialog->on_response(r);
            if (status < 300) {
                if (p.purpose == Purpose::ReInvite && c.dialog && lo.request) {
                    if (auto ack = c.dialog->make_ack(*lo.request, make_via())) {
                        txn_.send_stateless(*ack, destination_for_dialog(*c.dialog));
                        c.reinvite_ack = std::move(*ack);
                    }
                }
                auto answer = has_sdp(r) ? sdp::parse(r.body())
                                         : base::Result<sdp::SessionDescription>(base::make_error("no answer", 488));
                if (!answer || !c.negotiator->receive_answer(*answer)) {
                    // The answer is unusable: the old session stays, and so does the call.
                    if (c.negotiator->state() == sdp::Negotiator::State::OfferSent) c.negotiator->rollback();
                } else {
                    const bool was_local = c.local_hold;
                    c.local_hold = lo.direction != sdp::Direction::SendRecv;
                    if (!lo.refresh || was_local != c.local_hold) report_media_change(c, c.remote_hold, was_local);
                }
                start_session_timer_uac(c, r, now);
                return;
            }
            c.negotiator->rollback();
            if (status == 491) {
                // §14.1: retry after a random time — 2.1 to 4 s when we own the Call-ID (we sent
                // the initial INVITE), else 0 to 2 s, in units of 10 ms.
                const std::uint64_t units = is_owner_of_call_id(c) ? random_.uniform(210, 400) : random_.uniform(0, 200);
                c.glare_retry_at = now + base::milliseconds(static_cast<std::int64_t>(units) * 10);
                c.glare_direction = lo.direction;
                return;
            }
            if (status == 481 || status == 408) {
                // §14.1: the dialog is gone, or the peer no longer answers.
                send_bye(c, now);
                end_call(c, status, std::string(r.reason()), true, now);
                return;
            }
            if (lo.refresh && status == 422) {
                auto min = sip::min_se(r);
                if (min && min->has_value()) c.session_interval = (*min)->delta_seconds;
                start_local_offer(c, lo.direction, true, now);
            }
            return;
        }
        case Purpose::Refer:
            emit(TransferProgress{c.id, status, status >= 300});
            return;
        default:
            return;
    }
}

base::Status UserAgent::hold(CallId id, base::TimePoint now) {
    Call* c = find(id);
    if (!c || c->state != CallState::Confirmed) return base::make_error("no established call " + std::to_string(id));
    if (c->local_offer || c->glare_retry_at) return base::make_error("an offer is already on its way in call " + std::to_string(id));
    if (c->local_hold) return {};
    start_local_offer(*c, sdp::Direction::SendOnly, false, now);
    pump(now);
    return {};
}

base::Status UserAgent::resume(CallId id, base::TimePoint now) {
    Call* c = find(id);
    if (!c || c->state != CallState::Confirmed) return base::make_error("no established call " + std::to_string(id));
    if (c->local_offer || c->glare_retry_at) return base::make_error("an offer is already on its way in call " + std::to_string(id));
    if (!c->local_hold) return {};
    start_local_offer(*c, sdp::Direction::SendRecv, false, now);
    pump(now);
    return {};
}

base::Status UserAgent::send_dtmf(CallId id, std::string_view digits, base::TimePoint now) {
    Call* c = find(id);
    if (!c || c->state != CallState::Confirmed) return base::make_error("no established call " + std::to_string(id));
    for (char d : digits)
        if (!is_dtmf_digit(d)) return base::make_error(std::string("not a DTMF digit: '") + d + "'");
    for (char d : digits) c->dtmf_queue.push_back(d);
    send_next_dtmf(*c, now);
    pump(now);
    return {};
}

}  // namespace dialtone::ua
