#pragma once
// One dialog (RFC 3261 §12): its id, early or confirmed state, the route set, the remote target,
// the local and remote CSeq, and the requests sent inside it.
//
// A UAC creates it from a 1xx with a To tag (early) or a 2xx (confirmed) to its INVITE
// (§12.1.2); a UAS from the INVITE and the 1xx/2xx it answers with (§12.1.1). Responses and
// requests of the dialog then pass through on_response() and on_request(), which apply the
// rules of §12.2 and §13.2.2.4; make_request() and make_ack() build what goes out.
//
// The Via of an outgoing request (sent-by, transport, a fresh branch) is the caller's: the
// dialog does not know the transport and owns no randomness.
#include "dialtone/base/result.hpp"
#include "dialtone/dialog/dialog_id.hpp"
#include "dialtone/dialog/route_set.hpp"
#include "dialtone/sip/message.hpp"
#include "dialtone/sip/method.hpp"
#include "dialtone/sip/name_addr.hpp"
#include "dialtone/sip/uri.hpp"
#include "dialtone/sip/via.hpp"

#include <cstdint>
#include <optional>
#include <string_view>

namespace dialtone::dialog {

enum class State { Early, Confirmed, Terminated };
enum class Role { Uac, Uas };

std::string_view to_string(State s);

// Requests whose Contact replaces the remote target, and whose 2xx does too (§12.2, RFC 3311
// UPDATE, RFC 6665 SUBSCRIBE/NOTIFY, RFC 3515 REFER).
bool is_target_refresh(sip::Method m);

class Dialog {
public:
    // §12.1.2: `request` is the INVITE we sent, `response` a 1xx carrying a To tag or a 2xx.
    // The route set is the response's Record-Route reversed; the remote target its Contact.
    static base::Result<Dialog> create_uac(const sip::Message& request, const sip::Message& response);
    // §12.1.1: `request` is the INVITE we received, `response` the 1xx (with a To tag) or 2xx
    // we answer with; its Contact is our local target. The route set is the request's
    // Record-Route in order, the remote target its Contact. The local CSeq stays empty until
    // our first request, which then uses `first_local_cseq`.
    static base::Result<Dialog> create_uas(const sip::Message& request, const sip::Message& response,
                                           std::uint32_t first_local_cseq = 1);

    const DialogId& id() const { return id_; }
    Role role() const { return role_; }
    State state() const { return state_; }
    bool secure() const { return secure_; }  // §12.1.1: sips Request-URI (UAS) / R-URI (UAC)

    const sip::NameAddr& local_uri() const { return local_; }    // From of our requests, with our tag
    const sip::NameAddr& remote_uri() const { return remote_; }  // To of our requests, with theirs
    const sip::Uri& remote_target() const { return remote_target_; }
    const std::optional<sip::NameAddr>& local_target() const { return local_target_; }
    const RouteSet& route_set() const { return route_set_; }
    std::optional<std::uint32_t> local_cseq() const { return local_cseq_; }
    std::optional<std::uint32_t> remote_cseq() const { return remote_cseq_; }

    // The Contact we put in target refresh requests (e.g. after our address changed).
    void set_local_target(sip::NameAddr contact) { local_target_ = std::move(contact); }
    // A UAS dialog becomes confirmed when its 2xx goes out.
    void confirm() { if (state_ == State::Early) state_ = State::Confirmed; }
    void terminate() { state_ = State::Terminated; }

    // A response to a request of this dialog (the initial INVITE or a later one).
    //  - 2xx to the INVITE while early: confirmed; the UAC recomputes the route set from its
    //    Record-Route (§13.2.2.4) and takes its Contact as remote target;
    //  - 2xx to a target refresh: the remote target becomes its Contact (§12.2.1.2);
    //  - a final non-2xx to the INVITE while early, or a 481/408 to any request: terminated
    //    (§12.3, §12.2.1.2).
    // An error when the response belongs to another dialog or its headers are malformed.
    base::Status on_response(const sip::Message& response);

    // A request received in this dialog (§12.2.2): a CSeq lower than the remote CSeq is out of
    // order and earns 500 (the error carries status 500); otherwise the remote CSeq moves up
    // and a target refresh replaces the remote target with its Contact.
    base::Status on_request(const sip::Message& request);

    // §12.2.1.1: a request inside the dialog with the next local CSeq: Via (as given; it must
    // carry the branch), Max-Forwards, Request-URI and Route from the route set, To, From,
    // Call-ID, CSeq, and our Contact for target refresh methods. ACK and CANCEL are refused:
    // the ACK to a 2xx is make_ack(), a CANCEL is built from the INVITE it cancels (§9.1).
    base::Result<sip::Message> make_request(sip::Method method, const sip::Via& via);

    // §13.2.2.4: the ACK for a 2xx to `invite` (the INVITE we sent in this dialog): the INVITE's
    // CSeq number with method ACK, the same credentials, a new branch (in `via`). The local CSeq
    // does not move. A body (an answer to an offer in the 2xx) is the caller's to add.
    base::Result<sip::Message> make_ack(const sip::Message& invite, const sip::Via& via) const;

    // Where make_request() sends: the Request-URI and Route of §12.2.1.1.
    RequestTarget target() const { return request_target(remote_target_, route_set_); }

private:
    Dialog() = default;
    void write_common(sip::Message& m, const sip::Via& via, const RequestTarget& t) const;

    DialogId id_;
    Role role_ = Role::Uac;
    State state_ = State::Early;
    bool secure_ = false;
    sip::NameAddr local_;
    sip::NameAddr remote_;
    sip::Uri remote_target_;
    std::optional<sip::NameAddr> local_target_;
    RouteSet route_set_;
    std::optional<std::uint32_t> local_cseq_;
    std::optional<std::uint32_t> remote_cseq_;
    std::uint32_t first_local_cseq_ = 1;
    std::uint32_t invite_cseq_ = 0;  // CSeq number of the INVITE that created the dialog
};

}  // namespace dialtone::dialog
