#include "dialtone/dialog/dialog.hpp"

#include "dialtone/sip/cseq.hpp"
#include "dialtone/sip/typed.hpp"

#include <algorithm>
#include <string>

namespace dialtone::dialog {

std::string_view to_string(State s) {
    switch (s) {
    case State::Early: return "early";
    case State::Confirmed: return "confirmed";
    case State::Terminated: return "terminated";
    }
    return "?";
}

bool is_target_refresh(sip::Method m) {
    switch (m) {
    case sip::Method::Invite:
    case sip::Method::Update:
    case sip::Method::Subscribe:
    case sip::Method::Notify:
    case sip::Method::Refer:
        return true;
    default:
        return false;
    }
}

namespace {

base::Error fault(std::string what, int status = 0) { return base::make_error("dialog: " + std::move(what), status); }

// The first Contact's URI, nullopt when there is none; an error when it is malformed or "*".
base::Result<std::optional<sip::Uri>> contact_uri(const sip::Message& m) {
    const auto& cs = sip::parsed_contacts(m);
    if (!cs) return cs.error();
    if (cs->empty()) return std::optional<sip::Uri>();
    if (cs->front().wildcard) return fault("Contact '*' is not a target", 400);
    return std::optional<sip::Uri>(cs->front().address.uri);
}

base::Result<std::optional<sip::NameAddr>> contact_name_addr(const sip::Message& m) {
    const auto& cs = sip::parsed_contacts(m);
    if (!cs) return cs.error();
    if (cs->empty() || cs->front().wildcard) return std::optional<sip::NameAddr>();
    return std::optional<sip::NameAddr>(cs->front().address);
}

}  // namespace

base::Result<Dialog> Dialog::create_uac(const sip::Message& request, const sip::Message& response) {
    if (!request.is_request() || !response.is_response()) return fault("create_uac needs our request and its response");
    const int status = response.status_code();
    if (status <= 100 || status >= 300) return fault("a " + std::to_string(status) + " response creates no dialog");
    auto id = id_of_received_response(response);
    if (!id) return id.error();
    if (id->remote_tag.empty() && status < 200) return fault("a 1xx without a To tag creates no dialog");
    auto req_id = id_of_received_response(request);  // From tag and Call-ID of what we sent
    if (!req_id) return req_id.error();
    if (req_id->call_id != id->call_id || req_id->local_tag != id->local_tag)
        return fault("response does not answer the request (Call-ID or From tag differ)");
    const auto& req_cseq = sip::parsed_cseq(request);
    if (!req_cseq) return req_cseq.error();
    auto from = sip::from(request);
    if (!from) return from.error();
    auto to = sip::to(response);
    if (!to) return to.error();
    auto ruri = sip::request_uri(request);
    if (!ruri) return ruri.error();
    auto rr = sip::record_routes(response);
    if (!rr) return rr.error();
    auto target = contact_uri(response);
    if (!target) return target.error();
    auto local_target = contact_name_addr(request);
    if (!local_target) return local_target.error();

    Dialog d;
    d.id_ = std::move(id).value();
    d.role_ = Role::Uac;
    d.state_ = status >= 200 ? State::Confirmed : State::Early;
    d.secure_ = ruri->is_secure();
    d.local_ = std::move(from).value();
    d.remote_ = std::move(to).value();
    // §12.1.2: the route set is the Record-Route of the response in reverse order.
    d.route_set_.assign(rr->rbegin(), rr->rend());
    // A 1xx or 2xx without Contact still needs a target: the Request-URI, where the INVITE was
    // answered. §12.1.2 wants a Contact in the 2xx; peers that omit it are still reachable there.
    d.remote_target_ = target->has_value() ? **target : *ruri;
    d.local_target_ = std::move(*local_target);
    d.local_cseq_ = req_cseq->number;
    d.invite_cseq_ = req_cseq->number;
    return d;
}

base::Result<Dialog> Dialog::create_uas(const sip::Message& request, const sip::Message& response,
                                        std::uint32_t first_local_cseq) {
    if (!request.is_request() || !response.is_response()) return fault("create_uas needs the request and our response");
    const int status = response.status_code();
    if (status <= 100 || status >= 300) return fault("a " + std::to_string(status) + " response creates no dialog");
    auto resp_to = sip::to(response);
    if (!resp_to) return resp_to.error();
    if (!resp_to->tag() || resp_to->tag()->empty()) return fault("our response carries no To tag");
    auto id = id_of_received_request(request);
    if (!id) return id.error();
    if (!id->local_tag.empty()) return fault("the request is already inside a dialog (To tag present)");
    auto from = sip::from(request);
    if (!from) return from.error();
    const auto& cs = sip::parsed_cseq(request);
    if (!cs) return cs.error();
    auto ruri = sip::request_uri(request);
    if (!ruri) return ruri.error();
    auto rr = sip::record_routes(request);
    if (!rr) return rr.error();
    auto target = contact_uri(request);
    if (!target) return target.error();
    if (!target->has_value()) return fault("request without Contact: no remote target", 400);
    auto local_target = contact_name_addr(response);
    if (!local_target) return local_target.error();

    Dialog d;
    d.id_ = std::move(id).value();
    d.id_.local_tag = std::string(*resp_to->tag());
    d.role_ = Role::Uas;
    d.state_ = status >= 200 ? State::Confirmed : State::Early;
    d.secure_ = ruri->is_secure();
    d.local_ = std::move(resp_to).value();
    d.remote_ = std::move(from).value();
    // §12.1.1: the route set is the Record-Route of the request, in order.
    d.route_set_ = std::move(rr).value();
    d.remote_target_ = std::move(**target);
    d.local_target_ = std::move(*local_target);
    d.remote_cseq_ = cs->number;
    d.invite_cseq_ = cs->number;
    d.first_local_cseq_ = std::clamp<std::uint32_t>(first_local_cseq, 1, sip::kMaxCSeq);
    return d;
}

base::Status Dialog::on_response(const sip::Message& response) {
    if (!response.is_response()) return fault("on_response given a request");
    auto id = id_of_received_response(response);
    if (!id) return id.error();
    if (id->call_id != id_.call_id || id->local_tag != id_.local_tag || id->remote_tag != id_.remote_tag)
        return fault("response belongs to another dialog");
    const auto& cs = sip::parsed_cseq(response);
    if (!cs) return cs.error();
    const int status = response.status_code();
    const sip::Method method = cs->method();

    if (status == 481 || status == 408) {
        // §12.2.1.2: the dialog is gone at the far end, or the far end is unreachable.
        state_ = State::Terminated;
        return {};
    }
    const bool initial_invite = method == sip::Method::Invite && cs->number == invite_cseq_;
    if (initial_invite && state_ == State::Early && status >= 300) {
        state_ = State::Terminated;  // §12.3: a non-2xx final ends the early dialog
        return {};
    }
    if (status < 200 || status >= 300) return {};

    auto target = contact_uri(response);
    if (!target) return target.error();
    if (initial_invite && state_ == State::Early) {
        state_ = State::Confirmed;
        if (role_ == Role::Uac) {
            // §13.2.2.4: the route set is recomputed from the 2xx.
            auto rr = sip::record_routes(response);
            if (!rr) return rr.error();
            route_set_.assign(rr->rbegin(), rr->rend());
        }
        if (target->has_value()) remote_target_ = std::move(**target);
        return {};
    }
    // §12.2.1.2: a 2xx to a target refresh request replaces the remote target.
    if (is_target_refresh(method) && target->has_value()) remote_target_ = std::move(**target);
    return {};
}

base::Status Dialog::on_request(const sip::Message& request) {
    if (!request.is_request()) return fault("on_request given a response");
    auto id = id_of_received_request(request);
    if (!id) return id.error();
    if (id->call_id != id_.call_id || id->local_tag != id_.local_tag || id->remote_tag != id_.remote_tag)
        return fault("request belongs to another dialog", 481);
    const auto& cs = sip::parsed_cseq(request);
    if (!cs) return cs.error();
    const sip::Method method = request.method();
    // ACK and CANCEL reuse the CSeq number of the request they belong to (§13.2.2.4, §9.1).
    if (method == sip::Method::Ack || method == sip::Method::Cancel) return {};
    if (remote_cseq_ && cs->number < *remote_cseq_) {
        // §12.2.2: lower than the remote sequence number: out of order.
        return base::make_error("out of order: CSeq " + std::to_string(cs->number) + " is lower than " +
                                    std::to_string(*remote_cseq_) + " already seen in this dialog",
                                500);
    }
    if (is_target_refresh(method)) {
        auto target = contact_uri(request);
        if (!target) return target.error();
        if (target->has_value()) remote_target_ = std::move(**target);
    }
    remote_cseq_ = cs->number;
    return {};
}

void Dialog::write_common(sip::Message& m, const sip::Via& via, const RequestTarget& t) const {
    m.add_header(sip::HeaderId::Via, via.to_string());
    m.add_header(sip::HeaderId::MaxForwards, "70");  // §8.1.1.6
    if (!t.route.empty()) m.add_header(sip::HeaderId::Route, sip::route_list_to_string(t.route));
    m.add_header(sip::HeaderId::To, remote_.to_string());
    m.add_header(sip::HeaderId::From, local_.to_string());
    m.add_header(sip::HeaderId::CallId, id_.call_id);
}

base::Result<sip::Message> Dialog::make_request(sip::Method method, const sip::Via& via) {
    if (method == sip::Method::Ack) return fault("the ACK to a 2xx is built with make_ack");
    if (method == sip::Method::Cancel) return fault("a CANCEL is built from the INVITE it cancels (§9.1)");
    if (method == sip::Method::Register || method == sip::Method::Unknown)
        return fault(std::string(sip::to_string(method).empty() ? "this method" : sip::to_string(method)) +
                     " is not sent inside a dialog");
    if (state_ == State::Terminated) return fault("terminated: no more requests");
    if (!via.branch() || via.branch()->empty()) return fault("the Via of a new request needs a branch");
    // §12.2.1.1: the local sequence number goes up by one for each new request.
    const std::uint32_t number = local_cseq_ ? *local_cseq_ + 1 : first_local_cseq_;
    if (number > sip::kMaxCSeq) return fault("local CSeq would pass 2^31-1");
    const RequestTarget t = target();
    sip::Message m = sip::Message::request(method, t.request_uri.to_string());
    write_common(m, via, t);
    m.add_header(sip::HeaderId::CSeq, sip::CSeq::make(number, method).to_string());
    if (is_target_refresh(method) && local_target_) m.add_header(sip::HeaderId::Contact, local_target_->to_string());
    local_cseq_ = number;
    return m;
}

base::Result<sip::Message> Dialog::make_ack(const sip::Message& invite, const sip::Via& via) const {
    if (!invite.is_request() || invite.method() != sip::Method::Invite) return fault("make_ack needs the INVITE");
    const auto& cs = sip::parsed_cseq(invite);
    if (!cs) return cs.error();
    if (!via.branch() || via.branch()->empty()) return fault("the Via of the ACK needs a branch");
    const RequestTarget t = target();
    sip::Message m = sip::Message::request(sip::Method::Ack, t.request_uri.to_string());
    write_common(m, via, t);
    m.add_header(sip::HeaderId::CSeq, sip::CSeq::make(cs->number, sip::Method::Ack).to_string());
    // §13.2.2.4: the ACK carries the credentials the INVITE carried.
    for (const sip::HeaderField& f : invite.headers())
        if (f.id == sip::HeaderId::Authorization || f.id == sip::HeaderId::ProxyAuthorization)
            m.add_header(f.id, f.value);
    return m;
}

}  // namespace dialtone::dialog
