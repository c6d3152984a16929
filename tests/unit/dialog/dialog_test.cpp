// RFC 3261 §12 (dialogs), §13.2.2.4 (ACK to a 2xx), §12.2.1.1 (loose and strict routing).
#include "dialog_test_util.hpp"

#include "dialtone/dialog/dialog.hpp"
#include "dialtone/dialog/dialog_table.hpp"
#include "dialtone/sip/typed.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace dialtone;
using dialog::Dialog;
using dialog::test::kInvite;
using dialog::test::kInviteAtBob;
using dialog::test::msg;
using dialog::test::via;

namespace {

// A response to Alice's INVITE as it reaches her, through the two proxies.
std::string response_at_alice(int status, std::string_view reason, std::string_view to_tag,
                              std::string_view contact = "<sip:bob@192.0.2.4>") {
    std::string s = "SIP/2.0 " + std::to_string(status) + " " + std::string(reason) + "\n";
    s += "Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bKnashds8;received=192.0.2.1\n";
    s += "Record-Route: <sip:server10.biloxi.com;lr>\n";
    s += "Record-Route: <sip:bigbox3.site3.atlanta.com;lr>\n";
    s += "To: Bob <sip:bob@biloxi.com>";
    if (!to_tag.empty()) s += ";tag=" + std::string(to_tag);
    s += "\nFrom: Alice <sip:alice@atlanta.com>;tag=1928301774\n";
    s += "Call-ID: a84b4c76e66710\n";
    s += "CSeq: 314159 INVITE\n";
    if (!contact.empty()) s += "Contact: " + std::string(contact) + "\n";
    s += "Content-Length: 0\n\n";
    return s;
}

// Bob's answer to the INVITE he received, carrying his tag and Contact.
std::string response_at_bob(int status, std::string_view reason) {
    std::string s = "SIP/2.0 " + std::to_string(status) + " " + std::string(reason) + "\n";
    s += "Via: SIP/2.0/UDP server10.biloxi.com;branch=z9hG4bK4b43c2ff8.1\n";
    s += "Record-Route: <sip:server10.biloxi.com;lr>\n";
    s += "Record-Route: <sip:bigbox3.site3.atlanta.com;lr>\n";
    s += "To: Bob <sip:bob@biloxi.com>;tag=a6c85cf\n";
    s += "From: Alice <sip:alice@atlanta.com>;tag=1928301774\n";
    s += "Call-ID: a84b4c76e66710\n";
    s += "CSeq: 314159 INVITE\n";
    s += "Contact: <sip:bob@192.0.2.4>\n";
    s += "Content-Length: 0\n\n";
    return s;
}

Dialog alice_confirmed() {
    auto d = Dialog::create_uac(msg(kInvite), msg(response_at_alice(200, "OK", "a6c85cf")));
    REQUIRE(d.ok());
    return std::move(d).value();
}

Dialog bob_confirmed() {
    auto d = Dialog::create_uas(msg(kInviteAtBob), msg(response_at_bob(200, "OK")), 1000);
    REQUIRE(d.ok());
    return std::move(d).value();
}

// A request from Bob to Alice inside the dialog, as Alice receives it.
std::string request_at_alice(std::string_view method, std::uint32_t cseq, std::string_view contact = "") {
    std::string s = std::string(method) + " sip:alice@pc33.atlanta.com SIP/2.0\n";
    s += "Via: SIP/2.0/UDP bigbox3.site3.atlanta.com;branch=z9hG4bKnew1\n";
    s += "Max-Forwards: 69\n";
    s += "To: Alice <sip:alice@atlanta.com>;tag=1928301774\n";
    s += "From: Bob <sip:bob@biloxi.com>;tag=a6c85cf\n";
    s += "Call-ID: a84b4c76e66710\n";
    s += "CSeq: " + std::to_string(cseq) + " " + std::string(method) + "\n";
    if (!contact.empty()) s += "Contact: " + std::string(contact) + "\n";
    s += "Content-Length: 0\n\n";
    return s;
}

std::string header(const sip::Message& m, sip::HeaderId id) {
    const sip::HeaderField* f = m.find(id);
    return f ? std::string(f->value) : std::string();
}

}  // namespace

TEST_CASE("dialog id: a received request has our tag in To and the peer's in From") {
    auto id = dialog::id_of_received_request(msg(request_at_alice("BYE", 1)));
    REQUIRE(id.ok());
    CHECK(id->call_id == "a84b4c76e66710");
    CHECK(id->local_tag == "1928301774");
    CHECK(id->remote_tag == "a6c85cf");
}

TEST_CASE("dialog id: a received response has our tag in From and the peer's in To") {
    auto id = dialog::id_of_received_response(msg(response_at_alice(180, "Ringing", "a6c85cf")));
    REQUIRE(id.ok());
    CHECK(id->local_tag == "1928301774");
    CHECK(id->remote_tag == "a6c85cf");
    CHECK(dialog::DialogIdHash{}(*id) == dialog::DialogIdHash{}(alice_confirmed().id()));
}

TEST_CASE("UAC: a 1xx with a To tag creates an early dialog (§12.1.2)") {
    auto d = Dialog::create_uac(msg(kInvite), msg(response_at_alice(180, "Ringing", "a6c85cf")));
    REQUIRE(d.ok());
    CHECK(d->state() == dialog::State::Early);
    CHECK(d->role() == dialog::Role::Uac);
    CHECK(d->id() == dialog::DialogId{"a84b4c76e66710", "1928301774", "a6c85cf"});
    CHECK(d->remote_target().to_string() == "sip:bob@192.0.2.4");
    CHECK(d->local_cseq() == 314159u);
    CHECK_FALSE(d->remote_cseq().has_value());
    CHECK(d->local_uri().to_string() == "\"Alice\" <sip:alice@atlanta.com>;tag=1928301774");
    CHECK(d->remote_uri().tag() == "a6c85cf");
}

TEST_CASE("UAC: a 1xx without a To tag or a 100 creates no dialog") {
    auto untagged = Dialog::create_uac(msg(kInvite), msg(response_at_alice(180, "Ringing", "")));
    REQUIRE_FALSE(untagged.ok());
    CHECK(untagged.error().message == "dialog: a 1xx without a To tag creates no dialog");
    auto trying = Dialog::create_uac(msg(kInvite), msg(response_at_alice(100, "Trying", "")));
    REQUIRE_FALSE(trying.ok());
    CHECK(trying.error().message == "dialog: a 100 response creates no dialog");
    CHECK_FALSE(Dialog::create_uac(msg(kInvite), msg(response_at_alice(486, "Busy Here", "x"))).ok());
}

TEST_CASE("UAC: a 2xx without Contact leaves the Request-URI as remote target") {
    auto d = Dialog::create_uac(msg(kInvite), msg(response_at_alice(200, "OK", "a6c85cf", "")));
    REQUIRE(d.ok());
    CHECK(d->state() == dialog::State::Confirmed);
    CHECK(d->remote_target().to_string() == "sip:bob@biloxi.com");
}

TEST_CASE("UAC: a 2xx whose Contact is not a URI creates no dialog") {
    auto d = Dialog::create_uac(msg(kInvite), msg(response_at_alice(200, "OK", "a6c85cf", "<no uri here>")));
    REQUIRE_FALSE(d.ok());
    CHECK(d.error().status == 400);
}

TEST_CASE("UAC: the route set is the response's Record-Route in reverse order (§12.1.2)") {
    Dialog d = alice_confirmed();
    CHECK(d.state() == dialog::State::Confirmed);
    REQUIRE(d.route_set().size() == 2);
    CHECK(d.route_set()[0].uri.to_string() == "sip:bigbox3.site3.atlanta.com;lr");
    CHECK(d.route_set()[1].uri.to_string() == "sip:server10.biloxi.com;lr");
}

TEST_CASE("UAC: a 2xx confirms an early dialog and recomputes its route set (§13.2.2.4)") {
    std::string ringing =
        "SIP/2.0 180 Ringing\n"
        "Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bKnashds8\n"
        "Record-Route: <sip:early.biloxi.com;lr>\n"
        "To: Bob <sip:bob@biloxi.com>;tag=a6c85cf\n"
        "From: Alice <sip:alice@atlanta.com>;tag=1928301774\n"
        "Call-ID: a84b4c76e66710\n"
        "CSeq: 314159 INVITE\n"
        "Content-Length: 0\n\n";
    auto d = Dialog::create_uac(msg(kInvite), msg(ringing));
    REQUIRE(d.ok());
    REQUIRE(d->route_set().size() == 1);
    // No Contact in the 1xx: the Request-URI stands in until the 2xx brings one.
    CHECK(d->remote_target().to_string() == "sip:bob@biloxi.com");
    REQUIRE(d->on_response(msg(response_at_alice(200, "OK", "a6c85cf"))).ok());
    CHECK(d->state() == dialog::State::Confirmed);
    REQUIRE(d->route_set().size() == 2);
    CHECK(d->route_set()[0].uri.host().name == "bigbox3.site3.atlanta.com");
    CHECK(d->remote_target().to_string() == "sip:bob@192.0.2.4");
}

TEST_CASE("UAC: a final non-2xx ends an early dialog (§12.3)") {
    auto d = Dialog::create_uac(msg(kInvite), msg(response_at_alice(183, "Session Progress", "a6c85cf")));
    REQUIRE(d.ok());
    REQUIRE(d->on_response(msg(response_at_alice(486, "Busy Here", "a6c85cf"))).ok());
    CHECK(d->state() == dialog::State::Terminated);
}

TEST_CASE("UAC: a response of another dialog is refused") {
    Dialog d = alice_confirmed();
    auto st = d.on_response(msg(response_at_alice(200, "OK", "other")));
    REQUIRE_FALSE(st.ok());
    CHECK(st.error().message == "dialog: response belongs to another dialog");
    CHECK(d.state() == dialog::State::Confirmed);
}

TEST_CASE("UAS: the INVITE and our 1xx create an early dialog, Record-Route kept in order (§12.1.1)") {
    auto d = Dialog::create_uas(msg(kInviteAtBob), msg(response_at_bob(180, "Ringing")));
    REQUIRE(d.ok());
    CHECK(d->state() == dialog::State::Early);
    CHECK(d->role() == dialog::Role::Uas);
    CHECK(d->id() == dialog::DialogId{"a84b4c76e66710", "a6c85cf", "1928301774"});
    REQUIRE(d->route_set().size() == 2);
    CHECK(d->route_set()[0].uri.host().name == "server10.biloxi.com");
    CHECK(d->route_set()[1].uri.host().name == "bigbox3.site3.atlanta.com");
    CHECK(d->remote_target().to_string() == "sip:alice@pc33.atlanta.com");
    CHECK(d->remote_cseq() == 314159u);
    CHECK_FALSE(d->local_cseq().has_value());
    REQUIRE(d->local_target().has_value());
    CHECK(d->local_target()->uri.to_string() == "sip:bob@192.0.2.4");
    d->confirm();
    CHECK(d->state() == dialog::State::Confirmed);
}

TEST_CASE("UAS: an INVITE without Contact or a response without To tag creates no dialog") {
    std::string no_contact(kInviteAtBob);
    no_contact.erase(no_contact.find("Contact:"), std::string("Contact: <sip:alice@pc33.atlanta.com>\n").size());
    auto d = Dialog::create_uas(msg(no_contact), msg(response_at_bob(200, "OK")));
    REQUIRE_FALSE(d.ok());
    CHECK(d.error().message == "dialog: request without Contact: no remote target");
    std::string untagged = response_at_bob(200, "OK");
    untagged.replace(untagged.find(";tag=a6c85cf"), 12, "");
    auto e = Dialog::create_uas(msg(kInviteAtBob), msg(untagged));
    REQUIRE_FALSE(e.ok());
    CHECK(e.error().message == "dialog: our response carries no To tag");
}

TEST_CASE("loose routing: Request-URI is the remote target, Route is the route set (§12.2.1.1)") {
    Dialog d = alice_confirmed();
    auto bye = d.make_request(sip::Method::Bye, via("z9hG4bKbye1"));
    REQUIRE(bye.ok());
    CHECK(bye->request_uri() == "sip:bob@192.0.2.4");
    CHECK(header(*bye, sip::HeaderId::Route) == "<sip:bigbox3.site3.atlanta.com;lr>, <sip:server10.biloxi.com;lr>");
    CHECK(dialog::next_hop(d.target()).host().name == "bigbox3.site3.atlanta.com");
}

TEST_CASE("strict routing: first route becomes the Request-URI, remote target the last Route (§12.2.1.1)") {
    sip::NameAddr strict, loose;
    strict.uri = *sip::parse_uri("sip:strict.example.com;method=INVITE?Subject=x");
    loose.uri = *sip::parse_uri("sip:loose.example.com;lr");
    auto t = dialog::request_target(*sip::parse_uri("sip:bob@192.0.2.4"), {strict, loose});
    CHECK(t.strict);
    CHECK(t.request_uri.to_string() == "sip:strict.example.com");  // method and headers stripped
    REQUIRE(t.route.size() == 2);
    CHECK(t.route[0].uri.to_string() == "sip:loose.example.com;lr");
    CHECK(t.route[1].uri.to_string() == "sip:bob@192.0.2.4");
    CHECK(dialog::next_hop(t).host().name == "strict.example.com");
}

TEST_CASE("empty route set: the request goes to the remote target with no Route header") {
    std::string plain =
        "SIP/2.0 200 OK\n"
        "Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bKnashds8\n"
        "To: Bob <sip:bob@biloxi.com>;tag=a6c85cf\n"
        "From: Alice <sip:alice@atlanta.com>;tag=1928301774\n"
        "Call-ID: a84b4c76e66710\n"
        "CSeq: 314159 INVITE\n"
        "Contact: <sip:bob@192.0.2.4:5070;transport=tcp>\n"
        "Content-Length: 0\n\n";
    auto d = Dialog::create_uac(msg(kInvite), msg(plain));
    REQUIRE(d.ok());
    auto info = d->make_request(sip::Method::Info, via("z9hG4bKinfo"));
    REQUIRE(info.ok());
    CHECK(info->find(sip::HeaderId::Route) == nullptr);
    CHECK(info->request_uri() == "sip:bob@192.0.2.4:5070;transport=tcp");
    CHECK(dialog::next_hop(d->target()).port() == 5070);
}

TEST_CASE("in-dialog requests: local CSeq goes up by one, To/From/Call-ID from the dialog (§12.2.1.1)") {
    Dialog d = alice_confirmed();
    auto bye = d.make_request(sip::Method::Bye, via("z9hG4bKb1"));
    REQUIRE(bye.ok());
    CHECK(header(*bye, sip::HeaderId::CSeq) == "314160 BYE");
    CHECK(header(*bye, sip::HeaderId::To) == "\"Bob\" <sip:bob@biloxi.com>;tag=a6c85cf");
    CHECK(header(*bye, sip::HeaderId::From) == "\"Alice\" <sip:alice@atlanta.com>;tag=1928301774");
    CHECK(header(*bye, sip::HeaderId::CallId) == "a84b4c76e66710");
    CHECK(header(*bye, sip::HeaderId::MaxForwards) == "70");
    CHECK(header(*bye, sip::HeaderId::Via) == "SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bKb1");
    CHECK(bye->find(sip::HeaderId::Contact) == nullptr);
    auto info = d.make_request(sip::Method::Info, via("z9hG4bKb2"));
    REQUIRE(info.ok());
    CHECK(header(*info, sip::HeaderId::CSeq) == "314161 INFO");
    CHECK(d.local_cseq() == 314161u);
}

TEST_CASE("in-dialog requests: every method builds; target refreshes carry our Contact") {
    struct Case {
        sip::Method method;
        bool contact;
    };
    const Case cases[] = {{sip::Method::Bye, false},    {sip::Method::Invite, true}, {sip::Method::Info, false},
                          {sip::Method::Update, true},  {sip::Method::Prack, false}, {sip::Method::Refer, true},
                          {sip::Method::Notify, true},  {sip::Method::Message, false}};
    Dialog d = alice_confirmed();
    for (const Case& c : cases) {
        CAPTURE(sip::to_string(c.method));
        auto m = d.make_request(c.method, via("z9hG4bKm"));
        REQUIRE(m.ok());
        CHECK(m->method() == c.method);
        CHECK((m->find(sip::HeaderId::Contact) != nullptr) == c.contact);
        auto cs = sip::cseq(*m);
        REQUIRE(cs.ok());
        CHECK(cs->method() == c.method);
    }
    CHECK(header(*d.make_request(sip::Method::Invite, via("z9hG4bKr")), sip::HeaderId::Contact) ==
          "<sip:alice@pc33.atlanta.com>");
}

TEST_CASE("in-dialog requests: ACK, CANCEL and REGISTER are refused; a Via needs a branch") {
    Dialog d = alice_confirmed();
    auto ack = d.make_request(sip::Method::Ack, via("z9hG4bKa"));
    REQUIRE_FALSE(ack.ok());
    CHECK(ack.error().message == "dialog: the ACK to a 2xx is built with make_ack");
    CHECK_FALSE(d.make_request(sip::Method::Cancel, via("z9hG4bKc")).ok());
    CHECK_FALSE(d.make_request(sip::Method::Register, via("z9hG4bKr")).ok());
    sip::Via bare;
    bare.host.name = "pc33.atlanta.com";
    CHECK_FALSE(d.make_request(sip::Method::Bye, bare).ok());
    CHECK(d.local_cseq() == 314159u);  // nothing sent, nothing counted
}

TEST_CASE("UAS: our first request uses the chosen local CSeq, the next one adds one") {
    Dialog d = bob_confirmed();
    auto bye = d.make_request(sip::Method::Bye, via("z9hG4bKu1"));
    REQUIRE(bye.ok());
    CHECK(header(*bye, sip::HeaderId::CSeq) == "1000 BYE");
    CHECK(bye->request_uri() == "sip:alice@pc33.atlanta.com");
    // The UAS keeps the Record-Route order: the first proxy toward Alice is server10.
    CHECK(header(*bye, sip::HeaderId::Route) == "<sip:server10.biloxi.com;lr>, <sip:bigbox3.site3.atlanta.com;lr>");
    CHECK(header(*bye, sip::HeaderId::To) == "\"Alice\" <sip:alice@atlanta.com>;tag=1928301774");
    CHECK(header(*bye, sip::HeaderId::From) == "\"Bob\" <sip:bob@biloxi.com>;tag=a6c85cf");
    CHECK(header(*d.make_request(sip::Method::Info, via("z9hG4bKu2")), sip::HeaderId::CSeq) == "1001 INFO");
}

TEST_CASE("ACK to a 2xx: the INVITE's CSeq number, a new branch, the same credentials (§13.2.2.4)") {
    std::string with_auth(kInvite);
    with_auth.insert(with_auth.find("Content-Length"),
                     "Proxy-Authorization: Digest username=\"alice\", realm=\"atlanta.com\", nonce=\"n\", "
                     "uri=\"sip:bob@biloxi.com\", response=\"0123\"\n");
    sip::Message invite = msg(with_auth);
    auto d = Dialog::create_uac(invite, msg(response_at_alice(200, "OK", "a6c85cf")));
    REQUIRE(d.ok());
    auto ack = d->make_ack(invite, via("z9hG4bKack1"));
    REQUIRE(ack.ok());
    CHECK(ack->method() == sip::Method::Ack);
    CHECK(header(*ack, sip::HeaderId::CSeq) == "314159 ACK");
    CHECK(header(*ack, sip::HeaderId::Via) == "SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bKack1");
    CHECK(ack->request_uri() == "sip:bob@192.0.2.4");
    CHECK(header(*ack, sip::HeaderId::Route) == "<sip:bigbox3.site3.atlanta.com;lr>, <sip:server10.biloxi.com;lr>");
    CHECK(header(*ack, sip::HeaderId::ProxyAuthorization).find("username=\"alice\"") != std::string::npos);
    CHECK(d->local_cseq() == 314159u);  // the ACK does not use up a CSeq
}

TEST_CASE("remote CSeq: a request with a lower CSeq is out of order and earns 500 (§12.2.2)") {
    Dialog d = alice_confirmed();
    REQUIRE(d.on_request(msg(request_at_alice("INFO", 5))).ok());
    CHECK(d.remote_cseq() == 5u);
    auto late = d.on_request(msg(request_at_alice("INFO", 4)));
    REQUIRE_FALSE(late.ok());
    CHECK(late.error().status == 500);
    CHECK(late.error().message == "out of order: CSeq 4 is lower than 5 already seen in this dialog");
    CHECK(d.remote_cseq() == 5u);
    REQUIRE(d.on_request(msg(request_at_alice("BYE", 9))).ok());
    CHECK(d.remote_cseq() == 9u);
}

TEST_CASE("remote CSeq: an empty remote CSeq takes the first request's value (§12.2.2)") {
    Dialog d = alice_confirmed();
    CHECK_FALSE(d.remote_cseq().has_value());
    REQUIRE(d.on_request(msg(request_at_alice("INFO", 77))).ok());
    CHECK(d.remote_cseq() == 77u);
}

TEST_CASE("UAS: the ACK keeps the INVITE's CSeq and is not out of order") {
    Dialog d = bob_confirmed();
    std::string ack(kInviteAtBob);
    ack.replace(0, 6, "ACK");
    ack.replace(ack.find("To: Bob <sip:bob@biloxi.com>"), 28, "To: Bob <sip:bob@biloxi.com>;tag=a6c85cf");
    ack.replace(ack.find("314159 INVITE"), 13, "314159 ACK");
    CHECK(d.on_request(msg(ack)).ok());
}

TEST_CASE("a request of another dialog is refused with 481") {
    Dialog d = alice_confirmed();
    std::string other = request_at_alice("BYE", 9);
    other.replace(other.find("tag=a6c85cf"), 11, "tag=zzzzzzz");
    auto st = d.on_request(msg(other));
    REQUIRE_FALSE(st.ok());
    CHECK(st.error().status == 481);
}

TEST_CASE("target refresh: a re-INVITE or UPDATE replaces the remote target; a BYE does not (§12.2.2)") {
    Dialog d = alice_confirmed();
    REQUIRE(d.on_request(msg(request_at_alice("INVITE", 10, "<sip:bob@198.51.100.7>"))).ok());
    CHECK(d.remote_target().to_string() == "sip:bob@198.51.100.7");
    REQUIRE(d.on_request(msg(request_at_alice("UPDATE", 11, "<sip:bob@198.51.100.8>"))).ok());
    CHECK(d.remote_target().to_string() == "sip:bob@198.51.100.8");
    REQUIRE(d.on_request(msg(request_at_alice("MESSAGE", 12, "<sip:bob@198.51.100.9>"))).ok());
    CHECK(d.remote_target().to_string() == "sip:bob@198.51.100.8");
}

TEST_CASE("target refresh: the 2xx to our re-INVITE replaces the remote target (§12.2.1.2)") {
    Dialog d = alice_confirmed();
    auto reinvite = d.make_request(sip::Method::Invite, via("z9hG4bKre"));
    REQUIRE(reinvite.ok());
    std::string ok = response_at_alice(200, "OK", "a6c85cf", "<sip:bob@203.0.113.5>");
    ok.replace(ok.find("314159 INVITE"), 13, "314160 INVITE");
    // A re-INVITE's 2xx may carry another Record-Route; the route set does not change (§12.2).
    REQUIRE(d.on_response(msg(ok)).ok());
    CHECK(d.remote_target().to_string() == "sip:bob@203.0.113.5");
    CHECK(d.route_set().size() == 2);
    CHECK(d.state() == dialog::State::Confirmed);
}

TEST_CASE("a 481 or 408 to an in-dialog request terminates the dialog (§12.2.1.2)") {
    for (int status : {481, 408}) {
        Dialog d = alice_confirmed();
        std::string r = response_at_alice(status, "X", "a6c85cf");
        r.replace(r.find("314159 INVITE"), 13, "314160 BYE");
        REQUIRE(d.on_response(msg(r)).ok());
        CHECK(d.state() == dialog::State::Terminated);
        CHECK_FALSE(d.make_request(sip::Method::Bye, via("z9hG4bKt")).ok());
    }
}

TEST_CASE("dialog table: a received request finds its dialog; no To tag finds none") {
    dialog::DialogTable table;
    table.insert(alice_confirmed());
    table.insert(bob_confirmed());
    CHECK(table.size() == 2);
    dialog::Dialog* found = table.find_for_request(msg(request_at_alice("BYE", 3)));
    REQUIRE(found != nullptr);
    CHECK(found->role() == dialog::Role::Uac);
    CHECK(table.find_for_response(msg(response_at_alice(200, "OK", "a6c85cf"))) == found);
    std::string no_tag = request_at_alice("BYE", 3);
    no_tag.replace(no_tag.find(";tag=1928301774"), 15, "");
    CHECK(table.find_for_request(msg(no_tag)) == nullptr);
    CHECK(table.erase(found->id()));
    CHECK(table.find_for_request(msg(request_at_alice("BYE", 3))) == nullptr);
    CHECK(table.size() == 1);
}
