// The UAS side of a call (RFC 3261 §13.3): accepting an INVITE, ringing (reliably when asked,
// RFC 3262), answering with the 2xx retransmitted until the ACK (§13.3.1.4), rejecting, and
// CANCEL (§9.2).
#include "dialtone/ua/user_agent.hpp"

#include "message_util.hpp"

#include "dialtone/sdp/parser.hpp"
#include "dialtone/sdp/serializer.hpp"
#include "dialtone/sip/auto_answer.hpp"
#include "dialtone/sip/typed.hpp"

namespace dialtone::ua {

using sip::HeaderId;

sip::Message UserAgent::make_dialog_response(const Call& c, const sip::Message& request, int status,
                                             std::string_view reason) const {
    sip::Message m = detail::make_response(request, status, reason, c.local_tag);
    if (status > 100 && status < 300) {
        // §12.1.1: a dialog-creating response copies Record-Route and carries our Contact.
        if (request.method() == sip::Method::Invite) {
            for (const sip::HeaderField& h : request.headers())
                if (h.id == HeaderId::RecordRoute) m.add_header(HeaderId::RecordRoute, h.value);
        }
        m.add_header(HeaderId::Contact, contact_);
    }
    return m;
}

void UserAgent::on_new_invite(const txn::Event& e, base::TimePoint now) {
    const sip::Message& r = *e.message;
    auto call_id = sip::call_id(r);
    auto from = sip::from(r);
    auto to = sip::to(r);
    auto cs = sip::cseq(r);
    auto via = sip::top_via(r);
    if (!call_id || !from || !to || !cs || !via) return;  // validate_request let none of these through
    const std::string from_tag(from->tag().value_or(""));
    const std::string branch(via->branch().value_or(""));

    // §8.2.2.2: the same request (Call-ID, From tag, CSeq) arriving on another path is merged.
    for (const auto& [id, other] : calls_) {
        if (other.role == dialog::Role::Uas && other.state != CallState::Terminated && other.call_id == *call_id &&
            other.merged_cseq == cs->number && other.remote_invite &&
            detail::to_tag_of(*other.remote_invite).empty()) {
            auto other_from = sip::from(*other.remote_invite);
            if (other_from && other_from->tag().value_or("") == from_tag && other.merged_branch != branch) {
                respond(e.txn, detail::make_response(r, 482, "Loop Detected: merged request", new_tag()), now);
                return;
            }
        }
    }
    std::size_t active = 0;
    for (const auto& [id, other] : calls_) active += other.state != CallState::Terminated;
    if (active >= config_.max_calls) {
        respond(e.txn, detail::make_response(r, 486, "Busy Here", new_tag()), now);
        return;
    }

    Call& c = new_call(dialog::Role::Uas);
    c.remote_invite = e.message;
    c.server_txn = e.txn;
    c.call_id = std::string(*call_id);
    c.local_tag = new_tag();
    c.merged_cseq = cs->number;
    c.merged_branch = branch;
    c.reliable_transport = e.peer.reliable();
    server_invites_[e.txn.value] = c.id;

    auto reject_now = [&](int status, std::string reason, std::optional<std::string> warning = std::nullopt) {
        sip::Message resp = make_dialog_response(c, r, status, reason);
        if (warning) resp.add_header(HeaderId::Warning, *warning);
        respond(e.txn, resp, now);
        c.state = CallState::Terminated;  // the app never saw it: no event
    };

    auto n = make_negotiator(c.rtp_port);
    if (!n) return reject_now(n.error().status ? n.error().status : 500, n.error().message);
    c.negotiator.emplace(std::move(*n));
    if (!r.body().empty()) {
        auto ct = sip::content_type(r);
        if (!ct || !ct->has_value() || !(*ct)->is("application", "sdp"))
            return reject_now(415, "INVITE body is not application/sdp");
        auto offer = sdp::parse(r.body());
        if (!offer) return reject_now(488, "Not Acceptable Here: " + offer.error().message);
        if (auto st = c.negotiator->receive_offer(*offer); !st)
            return reject_now(488, "Not Acceptable Here", st.error().message);
        c.remote_hold = false;
    } else {
        c.offer_in_invite = false;
    }
    sip::Message too_small;
    if (auto fault = check_session_timer_uas(c, r, &too_small)) {
        respond(e.txn, too_small, now);
        c.state = CallState::Terminated;
        return;
    }
    auto req = sip::require(r);
    // RFC 3262 §3: provisionals are sent reliably when the UAC requires it (a peer that only
    // supports 100rel gets the plain ones, as in the flows of RFC 3665).
    c.use_100rel = config_.reliable_provisionals && req && req->contains("100rel");
    c.state = CallState::Incoming;
    auto uri = sip::request_uri(r);
    emit(IncomingCall{c.id, *from, *to, uri ? *uri : sip::Uri{}, c.offer_in_invite, sip::requested_answer_after(r)});
    if (config_.auto_ring) send_provisional(c, 180, "Ringing", now);
}

void UserAgent::send_provisional(Call& c, int status, std::string_view reason, base::TimePoint now) {
    if (c.state != CallState::Incoming || !c.remote_invite) return;
    sip::Message resp = make_dialog_response(c, *c.remote_invite, status, reason);
    if (!c.dialog) {
        if (auto d = dialog::Dialog::create_uas(*c.remote_invite, resp)) set_dialog(c, std::move(*d));
    }
    if (c.use_100rel) {
        // RFC 3262 §3: one reliable provisional at a time, retransmitted until its PRACK.
        if (c.reliable_1xx) return;
        c.rseq = c.rseq ? c.rseq + 1 : static_cast<std::uint32_t>(random_.uniform(1, 1u << 20));
        resp.add_header(HeaderId::Require, "100rel");
        resp.add_header(HeaderId::RSeq, std::to_string(c.rseq));
        const auto t1 = config_.timers.t1;
        c.reliable_1xx = Retransmission{resp, now + t1, t1, now + 64 * t1, false, c.server_txn};
    }
    respond(c.server_txn, resp, now);
}

void UserAgent::send_2xx_with_retransmission(Call& c, txn::TransactionId server, sip::Message response,
                                             base::TimePoint now) {
    respond(server, response, now);
    const auto t1 = config_.timers.t1;
    Retransmission rt{std::move(response), now + t1, t1, now + 64 * t1, true, server};
    // §13.3.1.4 applies to unreliable transports; over TCP the 2xx still waits 64*T1 for its ACK.
    if (c.reliable_transport) rt.next = rt.give_up;
    c.final_2xx = std::move(rt);
}

base::Status UserAgent::ring(CallId id, base::TimePoint now) {
    Call* c = find(id);
    if (!c || c->state != CallState::Incoming) return base::make_error("no incoming call " + std::to_string(id) + " to ring");
    send_provisional(*c, 180, "Ringing", now);
    pump(now);
    return {};
}

base::Status UserAgent::answer(CallId id, base::TimePoint now) {
    Call* cp = find(id);
    if (!cp || cp->state != CallState::Incoming)
        return base::make_error("no incoming call " + std::to_string(id) + " to answer");
    Call& c = *cp;
    sip::Message resp = make_dialog_response(c, *c.remote_invite, 200, "OK");
    resp.add_header(HeaderId::Allow, detail::kAllow);
    if (std::string supported = supported_value(); !supported.empty()) resp.add_header(HeaderId::Supported, supported);
    add_session_timer_response_headers(c, resp);
    auto desc = c.offer_in_invite ? c.negotiator->create_answer() : c.negotiator->create_offer();
    if (!desc) return base::make_error("no session description for the 2xx: " + desc.error().message);
    resp.set_body("application/sdp", sdp::serialize(*desc));
    if (!c.dialog) {
        if (auto d = dialog::Dialog::create_uas(*c.remote_invite, resp)) set_dialog(c, std::move(*d));
    }
    if (c.dialog) c.dialog->confirm();
    c.reliable_1xx.reset();
    c.state = CallState::Accepting;
    c.awaiting_ack_answer = !c.offer_in_invite;
    send_2xx_with_retransmission(c, c.server_txn, std::move(resp), now);
    if (c.offer_in_invite) {
        c.media_up = true;
        emit(CallAnswered{c.id, c.negotiator->media()});
    }
    arm_session_timer(c, now);
    pump(now);
    return {};
}

base::Status UserAgent::reject(CallId id, int status, std::string_view reason, base::TimePoint now) {
    Call* c = find(id);
    if (!c || c->state != CallState::Incoming) return base::make_error("no incoming call " + std::to_string(id) + " to reject");
    if (status < 300 || status > 699) return base::make_error("a rejection needs a status from 300 to 699");
    std::string phrase = reason.empty() ? std::string(detail::default_reason(status)) : std::string(reason);
    respond(c->server_txn, make_dialog_response(*c, *c->remote_invite, status, phrase), now);
    end_call(*c, status, phrase, false, now);
    pump(now);
    reap();
    return {};
}

base::Status UserAgent::hangup(CallId id, base::TimePoint now) {
    Call* cp = find(id);
    if (!cp || cp->state == CallState::Terminated) return base::make_error("no call " + std::to_string(id));
    Call& c = *cp;
    switch (c.state) {
        case CallState::Calling:
            c.cancel_wanted = true;  // §9.1: the CANCEL waits for a provisional response
            break;
        case CallState::Proceeding:
            c.cancel_wanted = true;
            send_cancel(c, now);
            break;
        case CallState::Incoming:
            return reject(id, 603, "Decline", now);
        case CallState::Accepting:
            // §15: no BYE before the ACK of our 2xx arrives or its wait (64*T1) runs out.
            c.bye_after_ack = true;
            break;
        case CallState::Confirmed:
            send_bye(c, now);
            end_call(c, 200, "hung up", false, now);
            break;
        case CallState::Terminated:
            break;
    }
    pump(now);
    reap();
    return {};
}

void UserAgent::on_cancel(const txn::Event& e, base::TimePoint now) {
    const sip::Message& cancel = *e.message;
    txn::TransactionId target = txn_.find_cancel_target(cancel);
    auto it = server_invites_.find(target.value);
    Call* c = it == server_invites_.end() ? nullptr : find(it->second);
    if (!c) {
        // §9.2: no matching transaction.
        respond(e.txn, detail::make_response(cancel, 481, "Call/Transaction Does Not Exist", new_tag()), now);
        return;
    }
    respond(e.txn, detail::make_response(cancel, 200, "OK", c->local_tag), now);
    if (c->state == CallState::Incoming) {
        // §9.2: the INVITE is answered 487.
        respond(c->server_txn, make_dialog_response(*c, *c->remote_invite, 487, "Request Terminated"), now);
        end_call(*c, 487, "cancelled by the caller", true, now);
    }
}

void UserAgent::on_ack(const sip::Message& ack, base::TimePoint now) {
    auto id = dialog::id_of_received_request(ack);
    if (!id) return;
    auto it = dialogs_.find(*id);
    if (it == dialogs_.end()) return;
    Call* cp = find(it->second);
    if (!cp || cp->state == CallState::Terminated) return;
    Call& c = *cp;
    auto cs = sip::cseq(ack);
    if (!c.final_2xx || !cs) return;  // a retransmitted ACK
    auto sent = sip::cseq(c.final_2xx->response);
    if (!sent || sent->number != cs->number) return;
    c.final_2xx.reset();
    const bool initial = c.state == CallState::Accepting;
    c.state = CallState::Confirmed;
    if (c.bye_after_ack) {
        send_bye(c, now);
        end_call(c, 200, "hung up", false, now);
        return;
    }
    if (c.awaiting_ack_answer) {
        // §13.3.1: the answer to the offer in our 2xx.
        c.awaiting_ack_answer = false;
        auto answer = sdp::parse(ack.body());
        if (ack.body().empty() || !answer || !c.negotiator->receive_answer(*answer)) {
            send_bye(c, now);
            end_call(c, 488, "ACK without a usable answer", true, now);
            return;
        }
        if (initial) {
            c.media_up = true;
            emit(CallAnswered{c.id, c.negotiator->media()});
        } else {
            report_media_change(c, c.remote_hold, c.local_hold);
        }
    }
}

void UserAgent::on_prack(Call& c, txn::TransactionId server, const sip::Message& r, base::TimePoint now) {
    auto rack = sip::rack(r);
    auto invite_cseq = c.remote_invite ? sip::cseq(*c.remote_invite) : base::Result<sip::CSeq>(base::make_error("none"));
    if (rack && rack->has_value() && invite_cseq && c.reliable_1xx && (*rack)->rseq == c.rseq &&
        (*rack)->cseq == invite_cseq->number) {
        c.reliable_1xx.reset();
        respond(server, detail::make_response(r, 200, "OK", {}), now);
        return;
    }
    // RFC 3262 §3: a PRACK matching no unacknowledged reliable provisional.
    respond(server, detail::make_response(r, 481, "Call/Transaction Does Not Exist: no such RSeq", {}), now);
}

}  // namespace dialtone::ua
