// Requests outside any dialog (RFC 3261 §11 OPTIONS, RFC 3428 MESSAGE): answering and sending.
#include "dialtone/ua/user_agent.hpp"

#include "message_util.hpp"

#include "dialtone/dialog/route_set.hpp"
#include "dialtone/sip/typed.hpp"

namespace dialtone::ua {

using sip::HeaderId;

void UserAgent::on_out_of_dialog_request(const txn::Event& e, base::TimePoint now) {
    const sip::Message& r = *e.message;
    switch (r.method()) {
        case sip::Method::Options: {
            // §11.2: what we can do, as we would answer an INVITE.
            sip::Message resp = detail::make_response(r, 200, "OK", new_tag());
            resp.add_header(HeaderId::Allow, detail::kAllow);
            resp.add_header(HeaderId::Accept, detail::kAccept);
            if (std::string supported = supported_value(); !supported.empty())
                resp.add_header(HeaderId::Supported, supported);
            resp.add_header(HeaderId::Contact, contact_);
            respond(e.txn, resp, now);
            return;
        }
        case sip::Method::Message: {
            // RFC 3428 §7: 200 once the message is handed to the user.
            respond(e.txn, detail::make_response(r, 200, "OK", new_tag()), now);
            auto from = sip::from(r);
            const sip::HeaderField* ct = r.find(HeaderId::ContentType);
            emit(MessageReceived{from ? *from : sip::NameAddr{}, ct ? std::string(ct->value) : std::string("text/plain"),
                                 std::string(r.body()), 0});
            return;
        }
        case sip::Method::Bye:
        case sip::Method::Info:
        case sip::Method::Update:
        case sip::Method::Prack:
        case sip::Method::Refer:
        case sip::Method::Notify:
            // These live only in dialogs (§15.1.2, RFC 3311, RFC 3262, RFC 3515, RFC 6665).
            respond(e.txn, detail::make_response(r, 481, "Call/Transaction Does Not Exist", new_tag()), now);
            return;
        default: {
            sip::Message resp = detail::make_response(r, 405, "Method Not Allowed", new_tag());
            resp.add_header(HeaderId::Allow, detail::kAllow);
            respond(e.txn, resp, now);
            return;
        }
    }
}

sip::Message UserAgent::make_out_of_dialog_request(sip::Method method, const sip::Uri& target, txn::Destination& to) {
    const sip::Uri request_uri = dialog::as_request_uri(target);
    sip::Message m = sip::Message::request(method, request_uri.to_string());
    m.add_header(HeaderId::Via, make_via().to_string());
    m.add_header(HeaderId::MaxForwards, "70");
    if (config_.outbound_proxy) {
        sip::Uri proxy = *config_.outbound_proxy;
        proxy.params().set("lr");
        m.add_header(HeaderId::Route, "<" + proxy.to_string() + ">");
        to = destination_for_uri(*config_.outbound_proxy);
    } else {
        to = destination_for_uri(request_uri);
    }
    sip::NameAddr from{config_.account.display_name, config_.account.aor, {}};
    from.set_tag(new_tag());
    m.add_header(HeaderId::From, from.to_string());
    m.add_header(HeaderId::To, sip::NameAddr{std::nullopt, request_uri, {}}.to_string());
    m.add_header(HeaderId::CallId, random_.token(20) + "@" + via_template_.host.to_string());
    m.add_header(HeaderId::CSeq, "1 " + std::string(sip::to_string(method)));
    if (!config_.user_agent.empty()) m.add_header(HeaderId::UserAgent, config_.user_agent);
    return m;
}

RequestId UserAgent::send_options(const sip::Uri& target, base::TimePoint now) {
    const RequestId id = next_request_++;
    txn::Destination to;
    sip::Message m = make_out_of_dialog_request(sip::Method::Options, target, to);
    m.add_header(HeaderId::Accept, "application/sdp");
    if (!send_request(std::move(m), to, Pending{Purpose::Options, 0, id, 0}, now))
        emit(OptionsResult{id, 503, {}});
    pump(now);
    return id;
}

RequestId UserAgent::send_message(const sip::Uri& target, std::string_view content_type, std::string_view text,
                                  base::TimePoint now) {
    const RequestId id = next_request_++;
    txn::Destination to;
    sip::Message m = make_out_of_dialog_request(sip::Method::Message, target, to);
    m.set_body(content_type.empty() ? "text/plain" : content_type, text);
    if (!send_request(std::move(m), to, Pending{Purpose::Message, 0, id, 0}, now))
        emit(MessageResult{id, 503, "the MESSAGE could not be sent"});
    pump(now);
    return id;
}

}  // namespace dialtone::ua
