// Session timers (RFC 4028) and blind transfer (RFC 3515) for calls.
#include "dialtone/ua/user_agent.hpp"

#include "message_util.hpp"

#include "dialtone/sip/typed.hpp"

#include <algorithm>

namespace dialtone::ua {

using sip::HeaderId;

// --- RFC 4028 ----------------------------------------------------------------------------

void UserAgent::add_session_timer_request_headers(const Call& c, sip::Message& m) const {
    if (c.session_interval) {
        // §7.4: a refresh keeps the interval and names who refreshes, seen from this request.
        sip::SessionExpires se{c.session_interval, {}};
        se.set_refresher(c.we_refresh ? sip::Refresher::Uac : sip::Refresher::Uas);
        m.add_header(HeaderId::SessionExpires, se.to_string());
        m.add_header(HeaderId::MinSE, std::to_string(config_.min_se));
    } else if (c.role == dialog::Role::Uac && !c.dialog && c.session_expires_asked) {
        // §7.1: the initial INVITE asks for an interval and leaves the refresher to the UAS.
        m.add_header(HeaderId::SessionExpires, std::to_string(c.session_expires_asked));
        m.add_header(HeaderId::MinSE, std::to_string(config_.min_se));
    }
}

void UserAgent::start_session_timer_uac(Call& c, const sip::Message& response, base::TimePoint now) {
    auto se = sip::session_expires(response);
    if (!se || !se->has_value()) {
        // §7.2: no Session-Expires in the 2xx of the initial INVITE: no session timer.
        if (!c.session_interval) return;
        arm_session_timer(c, now);
        return;
    }
    c.session_interval = (*se)->delta_seconds;
    // Seen from the request we sent: uac means us.
    c.we_refresh = (*se)->refresher() != sip::Refresher::Uas;
    arm_session_timer(c, now);
}

std::optional<std::pair<int, std::string>> UserAgent::check_session_timer_uas(Call& c, const sip::Message& request,
                                                                              sip::Message* too_small) {
    auto sup = sip::supported(request);
    auto req = sip::require(request);
    c.peer_timer = (sup && sup->contains("timer")) || (req && req->contains("timer"));
    auto se = sip::session_expires(request);
    if (!se || !se->has_value() || !session_timers_on()) {
        // Without the extension on our side the header is not ours to act on (RFC 4028 §9).
        if (c.state != CallState::Confirmed) c.session_interval = 0;
        return std::nullopt;
    }
    const std::uint32_t asked = (*se)->delta_seconds;
    if (asked < config_.min_se) {
        // §8.1: an interval below our minimum earns 422 with our Min-SE.
        *too_small = detail::make_response(request, 422, "Session Interval Too Small", c.local_tag);
        too_small->add_header(HeaderId::MinSE, std::to_string(config_.min_se));
        return std::make_pair(422, std::string("Session Interval Too Small"));
    }
    c.session_interval = asked;
    const sip::Refresher who = (*se)->refresher();
    // §9: a refresher the request names is kept; otherwise the UAC refreshes when it supports
    // timers, else we do. "uac" here means the sender of the request.
    if (who == sip::Refresher::Uac) c.we_refresh = false;
    else if (who == sip::Refresher::Uas) c.we_refresh = true;
    else c.we_refresh = !c.peer_timer;
    return std::nullopt;
}

void UserAgent::add_session_timer_response_headers(const Call& c, sip::Message& m) const {
    if (!c.session_interval) return;
    sip::SessionExpires se{c.session_interval, {}};
    se.set_refresher(c.we_refresh ? sip::Refresher::Uas : sip::Refresher::Uac);
    m.add_header(HeaderId::SessionExpires, se.to_string());
    // §9: Require: timer only to a UAC that supports the extension; to one that does not, we
    // are the refresher and the Session-Expires is for the proxies on the path.
    if (c.peer_timer) m.add_header(HeaderId::Require, "timer");
}

void UserAgent::arm_session_timer(Call& c, base::TimePoint now) {
    c.refresh_at.reset();
    c.expire_at.reset();
    if (!c.session_interval) return;
    const auto interval = base::seconds(c.session_interval);
    if (c.we_refresh) {
        c.refresh_at = now + interval / 2;  // §10: at half the interval
    } else {
        // §10: the other end's BYE comes at the interval minus min(32 s, interval/3).
        c.expire_at = now + interval - std::min<base::Duration>(base::seconds(32), interval / 3);
    }
}

// --- RFC 3515 ----------------------------------------------------------------------------

base::Status UserAgent::transfer(CallId id, const sip::Uri& target, base::TimePoint now) {
    Call* c = find(id);
    if (!c || c->state != CallState::Confirmed || !c->dialog)
        return base::make_error("no established call " + std::to_string(id));
    auto m = c->dialog->make_request(sip::Method::Refer, make_via());
    if (!m) return base::make_error(m.error().message);
    m->add_header(HeaderId::ReferTo, "<" + target.to_string() + ">");
    sip::NameAddr by{config_.account.display_name, config_.account.aor, {}};
    m->add_header(HeaderId::ReferredBy, by.to_string());
    c->refer_pending = true;
    send_request(std::move(*m), destination_for_dialog(*c->dialog), Pending{Purpose::Refer, c->id, 0, 0}, now);
    pump(now);
    return {};
}

void UserAgent::on_refer(Call& c, txn::TransactionId server, const sip::Message& r, base::TimePoint now) {
    auto target = sip::refer_to(r);
    if (!target || !target->has_value()) {
        respond(server, detail::make_response(r, 400, target ? "REFER without Refer-To" : target.error().message, {}), now);
        return;
    }
    if (!(*target)->uri.is_sip()) {
        respond(server, detail::make_response(r, 416, "Refer-To URI scheme not supported", {}), now);
        return;
    }
    respond(server, detail::make_response(r, 202, "Accepted", {}), now);
    // RFC 3515 §2.4.4: the first NOTIFY tells the transferor the request is being tried.
    c.notify_cseq_base = 1;
    Call probe;
    probe.referred_by_call = c.id;
    notify_transferor(probe, 100, "Trying", now);
    sip::Uri to = (*target)->uri;
    CallId placed = call(to, CallOptions{}, now);
    if (Call* n = find(placed)) n->referred_by_call = c.id;
    emit(TransferRequested{c.id, placed, to});
}

void UserAgent::notify_transferor(Call& new_call, int status, std::string_view reason, base::TimePoint now) {
    Call* orig = find(new_call.referred_by_call);
    if (!orig || orig->state != CallState::Confirmed || !orig->dialog) return;
    const bool final = status >= 200;
    if (final) new_call.referred_by_call = 0;
    auto m = orig->dialog->make_request(sip::Method::Notify, make_via());
    if (!m) return;
    m->add_header(HeaderId::Event, "refer");
    m->add_header(HeaderId::SubscriptionState, final ? "terminated;reason=noresource" : "active;expires=60");
    std::string frag = "SIP/2.0 " + std::to_string(status) + " " +
                       std::string(reason.empty() ? detail::default_reason(status) : reason) + "\r\n";
    m->set_body("message/sipfrag;version=2.0", frag);
    send_request(std::move(*m), destination_for_dialog(*orig->dialog), Pending{Purpose::Notify, orig->id, 0, 0}, now);
}

void UserAgent::on_notify(Call& c, txn::TransactionId server, const sip::Message& r, base::TimePoint now) {
    auto ev = sip::event(r);
    if (!ev || !ev->has_value() || (*ev)->package() != "refer" || !c.refer_pending) {
        // RFC 6665 §4.1.3: a NOTIFY for no subscription of ours.
        respond(server, detail::make_response(r, 481, "Subscription Does Not Exist", {}), now);
        return;
    }
    respond(server, detail::make_response(r, 200, "OK", {}), now);
    const int status = detail::sipfrag_status(r.body());
    if (status == 0) return;
    const bool final = status >= 200;
    if (final) c.refer_pending = false;
    emit(TransferProgress{c.id, status, final});
    // RFC 5589 §6.1: once the transferee reports success, the transferor leaves the call. On a
    // failure the call stays, for the transferee to take back.
    if (status >= 200 && status < 300 && c.state == CallState::Confirmed) {
        send_bye(c, now);
        end_call(c, 200, "transferred", false, now);
    }
}

}  // namespace dialtone::ua
