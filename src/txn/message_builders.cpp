#include "message_builders.hpp"

#include "message_keys.hpp"

namespace dialtone::txn::detail {

using sip::HeaderId;

sip::Message build_ack(const sip::Message& invite, const sip::Message& final_response) {
    // §17.1.1.3: the INVITE's Request-URI, its top Via only (same branch), Call-ID, From and
    // CSeq number; the response's To (with its tag); the INVITE's Route header fields.
    sip::Message ack = sip::Message::request(sip::Method::Ack, invite.request_uri());
    auto keys = read_keys(invite);  // the INVITE went out through send_request: it has both
    if (keys) ack.add_header(HeaderId::Via, keys->top_via);
    const sip::HeaderField* max_forwards = invite.find(HeaderId::MaxForwards);
    ack.add_header(HeaderId::MaxForwards, max_forwards ? max_forwards->value : "70");
    for (const sip::HeaderField& h : invite.headers()) {
        if (h.id == HeaderId::Route) ack.add_header(HeaderId::Route, h.value);
    }
    if (const sip::HeaderField* from = invite.find(HeaderId::From))
        ack.add_header(HeaderId::From, from->value);
    if (const sip::HeaderField* to = final_response.find(HeaderId::To))
        ack.add_header(HeaderId::To, to->value);
    if (const sip::HeaderField* call_id = invite.find(HeaderId::CallId)) {
        ack.add_header(HeaderId::CallId, call_id->value);
    }
    if (keys) ack.add_header(HeaderId::CSeq, std::to_string(keys->cseq_number) + " ACK");
    return ack;
}

sip::Message build_trying(const sip::Message& request) {
    // §8.2.6.1: Via (all, in order), From, To, Call-ID, CSeq and Timestamp copied from the request.
    sip::Message trying = sip::Message::response(100, "Trying");
    for (const sip::HeaderField& h : request.headers()) {
        switch (h.id) {
            case HeaderId::Via:
            case HeaderId::From:
            case HeaderId::To:
            case HeaderId::CallId:
            case HeaderId::CSeq:
            case HeaderId::Timestamp: trying.add_header(h.id, h.value); break;
            default: break;
        }
    }
    return trying;
}

}  // namespace dialtone::txn::detail
