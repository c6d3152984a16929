// A UserAgent's answers to requests written by hand (RFC 3261 §8.2, §12.2.2, RFC 6086).
#include "call_wire.hpp"

#include "dialtone/sip/parser.hpp"
#include "dialtone/sip/typed.hpp"

#include <doctest/doctest.h>

using namespace dialtone;
using namespace dialtone::ua;
using namespace dialtone::ua::test;

namespace {

const char* kSdp =
    "v=0\r\no=- 1 1 IN IP4 192.0.2.9\r\ns=-\r\nc=IN IP4 192.0.2.9\r\nt=0 0\r\n"
    "m=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";

struct Raw {
    base::SeededRandom random{7};
    UserAgent ua;
    base::TimePoint now{};
    explicit Raw(UserAgentConfig c = node_config("bob", 5070)) : ua(std::move(c), random) {}

    std::vector<sip::Message> send(const std::string& text) {
        Datagram d;
        d.local = Address{"127.0.0.1", 5070};
        d.remote = Address{"192.0.2.9", 5060};
        d.bytes = text;
        ua.on_datagram(d, now);
        std::vector<sip::Message> out;
        while (auto t = ua.poll_transmit()) {
            auto m = sip::parse_message(t->bytes);
            REQUIRE(m.ok());
            out.push_back(std::move(*m));
        }
        return out;
    }
};

std::string invite(const std::string& branch, const std::string& extra = {}, const std::string& call_id = "c1@x",
                   int cseq = 1, bool body = true) {
    std::string sdp = body ? kSdp : "";
    std::string m = "INVITE sip:bob@127.0.0.1:5070 SIP/2.0\r\n"
                    "Via: SIP/2.0/UDP 192.0.2.9:5060;branch=" + branch + "\r\n"
                    "Max-Forwards: 70\r\n"
                    "From: <sip:alice@192.0.2.9>;tag=a1\r\n"
                    "To: <sip:bob@127.0.0.1:5070>\r\n"
                    "Call-ID: " + call_id + "\r\n"
                    "CSeq: " + std::to_string(cseq) + " INVITE\r\n"
                    "Contact: <sip:alice@192.0.2.9:5060>\r\n" + extra;
    if (body) m += "Content-Type: application/sdp\r\n";
    m += "Content-Length: " + std::to_string(sdp.size()) + "\r\n\r\n" + sdp;
    return m;
}

std::string in_dialog(const std::string& method, const std::string& to_tag, int cseq, const std::string& extra,
                      const std::string& body = {}) {
    return method + " sip:bob@127.0.0.1:5070 SIP/2.0\r\n"
                    "Via: SIP/2.0/UDP 192.0.2.9:5060;branch=z9hG4bK" + method + std::to_string(cseq) + "\r\n"
                    "Max-Forwards: 70\r\n"
                    "From: <sip:alice@192.0.2.9>;tag=a1\r\n"
                    "To: <sip:bob@127.0.0.1:5070>;tag=" + to_tag + "\r\n"
                    "Call-ID: c1@x\r\n"
                    "CSeq: " + std::to_string(cseq) + " " + method + "\r\n" + extra +
                    "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

const sip::Message* with_status(const std::vector<sip::Message>& v, int status) {
    for (const auto& m : v)
        if (m.status_code() == status) return &m;
    return nullptr;
}

// An established call from a hand-written INVITE; returns Bob's To tag.
std::string establish(Raw& r) {
    r.send(invite("z9hG4bKinv1"));
    auto ev = r.ua.poll_event();
    REQUIRE(ev);
    REQUIRE(std::holds_alternative<IncomingCall>(*ev));
    REQUIRE(r.ua.answer(std::get<IncomingCall>(*ev).call, r.now).ok());
    std::string tag;
    while (auto t = r.ua.poll_transmit()) {
        auto m = sip::parse_message(t->bytes);
        if (m && m->status_code() == 200) tag = std::string(*sip::to(*m)->tag());
    }
    REQUIRE_FALSE(tag.empty());
    r.send(in_dialog("ACK", tag, 1, ""));
    return tag;
}

}  // namespace

TEST_CASE("a malformed request earns 400 with a reason that names the fault") {
    Raw r;
    auto out = r.send(invite("z9hG4bKbad", "", "c1@x", 1).replace(invite("z9hG4bKbad").find("CSeq: 1 INVITE"), 14,
                                                                  "CSeq: 1 BYE"));
    REQUIRE(out.size() == 1);
    CHECK(out[0].status_code() == 400);
    CHECK(out[0].reason().find("CSeq") != std::string_view::npos);
}

TEST_CASE("an unknown Require option tag earns 420 with Unsupported (§8.2.2.3)") {
    Raw r;
    auto out = r.send(invite("z9hG4bKreq", "Require: foo\r\n"));
    REQUIRE(out.size() == 1);
    CHECK(out[0].status_code() == 420);
    REQUIRE(out[0].find(sip::HeaderId::Unsupported));
    CHECK(out[0].find(sip::HeaderId::Unsupported)->value == "foo");
}

TEST_CASE("Max-Forwards 0 earns 483") {
    Raw r;
    std::string m = invite("z9hG4bKmf");
    m.replace(m.find("Max-Forwards: 70"), 16, "Max-Forwards: 0");
    auto out = r.send(m);
    REQUIRE(out.size() == 1);
    CHECK(out[0].status_code() == 483);
}

TEST_CASE("a merged request (same Call-ID, From tag and CSeq, another branch) earns 482 (§8.2.2.2)") {
    Raw r;
    r.send(invite("z9hG4bKpath1"));
    auto out = r.send(invite("z9hG4bKpath2"));
    REQUIRE(with_status(out, 482));
}

TEST_CASE("a request with a To tag for no dialog earns 481 (§12.2.2)") {
    Raw r;
    auto out = r.send(in_dialog("BYE", "nosuchtag", 2, ""));
    REQUIRE(out.size() == 1);
    CHECK(out[0].status_code() == 481);
}

TEST_CASE("an offer without a common codec earns 488 with a Warning") {
    Raw r;
    std::string m = invite("z9hG4bKcodec");
    m.replace(m.find("RTP/AVP 0\r\na=rtpmap:0 PCMU/8000"), 31, "RTP/AVP 9\r\na=rtpmap:9 G722/8000");
    auto out = r.send(m);
    const sip::Message* rej = with_status(out, 488);
    REQUIRE(rej);
    CHECK(rej->find(sip::HeaderId::Warning));
}

TEST_CASE("INFO: tolerant dtmf-relay is answered 200, other bodies 415 with Accept") {
    Raw r;
    std::string tag = establish(r);
    while (r.ua.poll_event()) {}
    auto ok = r.send(in_dialog("INFO", tag, 2, "Content-Type: application/dtmf-relay\r\n", "signal= 11\nduration =100\n"));
    REQUIRE(with_status(ok, 200));
    auto ev = r.ua.poll_event();
    REQUIRE(ev);
    REQUIRE(std::holds_alternative<DtmfReceived>(*ev));
    CHECK(std::get<DtmfReceived>(*ev).digit == '#');
    CHECK(std::get<DtmfReceived>(*ev).duration_ms == 100);

    auto bad = r.send(in_dialog("INFO", tag, 3, "Content-Type: text/plain\r\n", "hello"));
    const sip::Message* rej = with_status(bad, 415);
    REQUIRE(rej);
    REQUIRE(rej->find(sip::HeaderId::Accept));
    CHECK(std::string(rej->find(sip::HeaderId::Accept)->value).find("application/dtmf-relay") != std::string::npos);
    // The call survives.
    CHECK(r.ua.call_count() == 1);
}

TEST_CASE("INFO: an application/dtmf body (the digit alone) is answered 200 and reported") {
    Raw r;
    std::string tag = establish(r);
    while (r.ua.poll_event()) {}
    auto ok = r.send(in_dialog("INFO", tag, 2, "Content-Type: application/dtmf\r\n", "*"));
    REQUIRE(with_status(ok, 200));
    auto ev = r.ua.poll_event();
    REQUIRE(ev);
    REQUIRE(std::holds_alternative<DtmfReceived>(*ev));
    CHECK(std::get<DtmfReceived>(*ev).digit == '*');
    CHECK(std::get<DtmfReceived>(*ev).method == DtmfMethod::Info);
}

TEST_CASE("a BYE in the dialog ends the call and is answered 200") {
    Raw r;
    std::string tag = establish(r);
    while (r.ua.poll_event()) {}
    auto out = r.send(in_dialog("BYE", tag, 2, ""));
    REQUIRE(with_status(out, 200));
    auto ev = r.ua.poll_event();
    REQUIRE(ev);
    REQUIRE(std::holds_alternative<CallEnded>(*ev));
    CHECK(std::get<CallEnded>(*ev).by_peer);
    CHECK(r.ua.call_count() == 0);
}

TEST_CASE("a re-INVITE with sendonly is a remote hold") {
    Raw r;
    std::string tag = establish(r);
    while (r.ua.poll_event()) {}
    std::string sdp = std::string(kSdp) + "a=sendonly\r\n";
    sdp.replace(sdp.find("o=- 1 1"), 7, "o=- 1 2");
    auto out = r.send(in_dialog("INVITE", tag, 2, "Contact: <sip:alice@192.0.2.9:5060>\r\nContent-Type: application/sdp\r\n", sdp));
    const sip::Message* ok = with_status(out, 200);
    REQUIRE(ok);
    CHECK(std::string(ok->body()).find("a=recvonly") != std::string::npos);
    auto ev = r.ua.poll_event();
    REQUIRE(ev);
    REQUIRE(std::holds_alternative<HoldChanged>(*ev));
    CHECK(std::get<HoldChanged>(*ev).remote);
    CHECK_FALSE(std::get<HoldChanged>(*ev).local);
}

TEST_CASE("a ';tag=' inside a quoted display name does not make an INVITE in-dialog") {
    Raw r;
    std::string m = invite("z9hG4bKquoted");
    m.replace(m.find("To: <sip:bob"), 4, "To: \"x;tag=y\" ");
    auto out = r.send(m);
    auto ev = r.ua.poll_event();
    REQUIRE(ev);
    CHECK(std::holds_alternative<IncomingCall>(*ev));
    const sip::Message* ringing = with_status(out, 180);
    REQUIRE(ringing);
    auto to = sip::to(*ringing);
    REQUIRE(to.ok());
    REQUIRE(to->tag());
    CHECK(to->display_name == "x;tag=y");
}

namespace {

// The caller's side against a hand-written callee: the INVITE Alice sent, and responses to it.
struct RawCallee {
    base::SeededRandom random{11};
    UserAgent ua{node_config("alice", 5060), random};
    base::TimePoint now{};
    std::string invite;

    std::vector<sip::Message> drain() {
        std::vector<sip::Message> out;
        while (auto t = ua.poll_transmit()) {
            auto m = sip::parse_message(t->bytes);
            REQUIRE(m.ok());
            out.push_back(std::move(*m));
        }
        return out;
    }
    CallId dial() {
        CallId id = ua.call(*sip::parse_uri("sip:bob@192.0.2.9:5060"), {}, now);
        auto out = drain();
        REQUIRE(out.size() == 1);
        invite = out[0].serialize();
        return id;
    }
    // A response to the INVITE with To tag `tag`, an optional SDP body and Contact (none when empty).
    std::vector<sip::Message> respond(int status, const std::string& reason, const std::string& tag,
                                      const std::string& body = {},
                                      const std::string& contact = "<sip:bob@192.0.2.9:5060>") {
        auto inv = *sip::parse_message(invite);
        std::string r = "SIP/2.0 " + std::to_string(status) + " " + reason + "\r\n";
        for (const auto& h : inv.headers()) {
            if (h.id == sip::HeaderId::Via || h.id == sip::HeaderId::From || h.id == sip::HeaderId::CallId ||
                h.id == sip::HeaderId::CSeq)
                r += std::string(h.name) + ": " + std::string(h.value) + "\r\n";
            if (h.id == sip::HeaderId::To) r += "To: " + std::string(h.value) + ";tag=" + tag + "\r\n";
        }
        if (!contact.empty()) r += "Contact: " + contact + "\r\n";
        if (!body.empty()) r += "Content-Type: application/sdp\r\n";
        r += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
        Datagram d;
        d.local = Address{"127.0.0.1", 5060};
        d.remote = Address{"192.0.2.9", 5060};
        d.bytes = r;
        ua.on_datagram(d, now);
        return drain();
    }
};

std::string method_of(const sip::Message& m) { return std::string(m.method_text()); }

}  // namespace

TEST_CASE("early media: the answer in a 183 completes the offer/answer exchange (§13.2.1)") {
    RawCallee r;
    CallId id = r.dial();
    r.respond(183, "Session Progress", "b1", kSdp);
    std::vector<Event> events;
    while (auto e = r.ua.poll_event()) events.push_back(*e);
    REQUIRE(events.size() == 2);
    REQUIRE(std::holds_alternative<CallRinging>(events[0]));
    CHECK(std::get<CallRinging>(events[0]).status == 183);
    REQUIRE(std::holds_alternative<CallEarlyMedia>(events[1]));
    const auto& media = std::get<CallEarlyMedia>(events[1]).media;
    REQUIRE(media.size() == 1);
    CHECK(media[0].remote_port == 40000);
    CHECK(std::get<CallEarlyMedia>(events[1]).call == id);
    // The 200 then needs no answer of its own.
    auto out = r.respond(200, "OK", "b1");
    REQUIRE(out.size() == 1);
    CHECK(method_of(out[0]) == "ACK");
    CHECK(out[0].body().empty());
}

TEST_CASE("forked 2xx: the first answer wins, a second dialog's 2xx is ACKed and ended with BYE (§13.2.2.4)") {
    RawCallee r;
    r.dial();
    auto first = r.respond(200, "OK", "fork1", kSdp);
    REQUIRE(first.size() == 1);
    CHECK(method_of(first[0]) == "ACK");
    auto second = r.respond(200, "OK", "fork2", kSdp);
    REQUIRE(second.size() == 2);
    CHECK(method_of(second[0]) == "ACK");
    CHECK(method_of(second[1]) == "BYE");
    CHECK(sip::to(second[1])->tag() == std::optional<std::string_view>("fork2"));
    // A retransmission of the first 2xx is ACKed again, and nothing else.
    auto again = r.respond(200, "OK", "fork1", kSdp);
    REQUIRE(again.size() == 1);
    CHECK(method_of(again[0]) == "ACK");
    CHECK(sip::to(again[0])->tag() == std::optional<std::string_view>("fork1"));
    int answered = 0;
    while (auto e = r.ua.poll_event()) answered += std::holds_alternative<CallAnswered>(*e);
    CHECK(answered == 1);
}

TEST_CASE("a 2xx whose answer is unusable is ACKed, then the call ends with BYE") {
    RawCallee r;
    CallId id = r.dial();
    std::string bad = kSdp;
    bad.replace(bad.find("RTP/AVP 0\r\na=rtpmap:0 PCMU/8000"), 31, "RTP/AVP 9\r\na=rtpmap:9 G722/8000");
    auto out = r.respond(200, "OK", "b1", bad);
    REQUIRE(out.size() == 2);
    CHECK(method_of(out[0]) == "ACK");
    CHECK(method_of(out[1]) == "BYE");
    std::optional<CallEnded> ended;
    while (auto e = r.ua.poll_event())
        if (auto* c = std::get_if<CallEnded>(&*e)) ended = *c;
    REQUIRE(ended);
    CHECK(ended->call == id);
    CHECK(ended->status == 488);
}

TEST_CASE("a 2xx without Contact is ACKed to the Request-URI, which stays the remote target") {
    RawCallee r;
    CallId id = r.dial();
    auto out = r.respond(200, "OK", "b1", kSdp, "");
    REQUIRE(out.size() == 1);
    CHECK(method_of(out[0]) == "ACK");
    CHECK(out[0].request_uri() == "sip:bob@192.0.2.9:5060");
    bool answered = false;
    while (auto e = r.ua.poll_event()) answered = answered || std::holds_alternative<CallAnswered>(*e);
    CHECK(answered);
    REQUIRE(r.ua.hangup(id, r.now).ok());
    auto bye = r.drain();
    REQUIRE(bye.size() == 1);
    CHECK(method_of(bye[0]) == "BYE");
    CHECK(bye[0].request_uri() == "sip:bob@192.0.2.9:5060");
}

TEST_CASE("a 2xx whose Contact is not a URI is ACKed and ended with BYE at the Request-URI (§13.2.2.4)") {
    RawCallee r;
    CallId id = r.dial();
    auto out = r.respond(200, "OK", "b1", kSdp, "<no uri here>");
    REQUIRE(out.size() == 2);
    CHECK(method_of(out[0]) == "ACK");
    CHECK(method_of(out[1]) == "BYE");
    CHECK(out[0].request_uri() == "sip:bob@192.0.2.9:5060");
    CHECK(out[1].request_uri() == "sip:bob@192.0.2.9:5060");
    CHECK(sip::to(out[1])->tag() == std::optional<std::string_view>("b1"));
    std::optional<CallEnded> ended;
    while (auto e = r.ua.poll_event())
        if (auto* c = std::get_if<CallEnded>(&*e)) ended = *c;
    REQUIRE(ended);
    CHECK(ended->call == id);
    CHECK(ended->status == 502);
    CHECK(ended->reason.find("Contact") != std::string::npos);
}

TEST_CASE("a 2xx retransmitted after its ACK and BYE is ACKed again and gets no second BYE (§13.2.2.4)") {
    std::string unusable = kSdp;
    unusable.replace(unusable.find("RTP/AVP 0\r\na=rtpmap:0 PCMU/8000"), 31, "RTP/AVP 9\r\na=rtpmap:9 G722/8000");
    struct Case {
        const char* name;
        std::string body;
        std::string contact;
    };
    for (const Case& k : {Case{"unusable answer", unusable, "<sip:bob@192.0.2.9:5060>"},
                          Case{"Contact that is no URI", kSdp, "<no uri here>"}}) {
        CAPTURE(k.name);
        RawCallee r;
        r.dial();
        auto first = r.respond(200, "OK", "b1", k.body, k.contact);
        REQUIRE(first.size() == 2);
        CHECK(method_of(first[1]) == "BYE");
        for (int i = 0; i < 3; ++i) {
            auto again = r.respond(200, "OK", "b1", k.body, k.contact);
            REQUIRE(again.size() == 1);
            CHECK(method_of(again[0]) == "ACK");
            CHECK(again[0].serialize() == first[0].serialize());
        }
    }
}

TEST_CASE("a second fork's 2xx, retransmitted after its ACK and BYE, is ACKed again and gets no second BYE") {
    RawCallee r;
    r.dial();
    REQUIRE(r.respond(200, "OK", "fork1", kSdp).size() == 1);
    auto second = r.respond(200, "OK", "fork2", kSdp);
    REQUIRE(second.size() == 2);
    auto again = r.respond(200, "OK", "fork2", kSdp);
    REQUIRE(again.size() == 1);
    CHECK(method_of(again[0]) == "ACK");
    CHECK(again[0].serialize() == second[0].serialize());
}

namespace {

// Bob's 200 to a hand-written INVITE carrying `extra` headers.
sip::Message answered_200(Raw& r, const std::string& extra) {
    r.send(invite("z9hG4bKst1", extra));
    std::optional<CallId> incoming;
    while (auto e = r.ua.poll_event())
        if (auto* c = std::get_if<IncomingCall>(&*e)) incoming = c->call;
    REQUIRE(incoming);
    REQUIRE(r.ua.answer(*incoming, r.now).ok());
    std::optional<sip::Message> ok;
    while (auto t = r.ua.poll_transmit()) {
        auto m = sip::parse_message(t->bytes);
        if (m && m->status_code() == 200) ok = std::move(*m);
    }
    REQUIRE(ok);
    return *ok;
}

std::string header(const sip::Message& m, sip::HeaderId id) {
    const sip::HeaderField* h = m.find(id);
    return h ? std::string(h->value) : std::string();
}

}  // namespace

TEST_CASE("RFC 4028 §9: a Session-Expires from a UAC without Supported: timer makes us the refresher, and the 2xx does not Require timer") {
    Raw r;
    sip::Message ok = answered_200(r, "Session-Expires: 1800\r\n");
    CHECK(header(ok, sip::HeaderId::SessionExpires) == "1800;refresher=uas");
    CHECK_FALSE(ok.find(sip::HeaderId::Require));
}

TEST_CASE("RFC 4028 §9: to a UAC with Supported: timer the 2xx names it the refresher and Requires timer") {
    Raw r;
    sip::Message ok = answered_200(r, "Supported: timer\r\nSession-Expires: 1800\r\n");
    CHECK(header(ok, sip::HeaderId::SessionExpires) == "1800;refresher=uac");
    CHECK(header(ok, sip::HeaderId::Require) == "timer");
}

TEST_CASE("session timers off: no Supported: timer in OPTIONS, INVITE or 2xx; a Session-Expires goes unanswered, Require: timer earns 420") {
    auto cfg = node_config("bob", 5070);
    cfg.session_expires = 0;
    {
        Raw r(cfg);
        sip::Message ok = answered_200(r, "Supported: timer\r\nSession-Expires: 1800\r\n");
        CHECK(header(ok, sip::HeaderId::Supported) == "100rel");
        CHECK_FALSE(ok.find(sip::HeaderId::SessionExpires));
        CHECK_FALSE(ok.find(sip::HeaderId::Require));
    }
    {
        Raw r(cfg);
        auto out = r.send("OPTIONS sip:bob@127.0.0.1:5070 SIP/2.0\r\n"
                          "Via: SIP/2.0/UDP 192.0.2.9:5060;branch=z9hG4bKopt1\r\n"
                          "Max-Forwards: 70\r\nFrom: <sip:alice@192.0.2.9>;tag=a1\r\nTo: <sip:bob@127.0.0.1:5070>\r\n"
                          "Call-ID: o1@x\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n");
        const sip::Message* ok = with_status(out, 200);
        REQUIRE(ok);
        CHECK(header(*ok, sip::HeaderId::Supported) == "100rel");
    }
    {
        Raw r(cfg);
        auto out = r.send(invite("z9hG4bKst2", "Require: timer\r\nSession-Expires: 1800\r\n"));
        const sip::Message* refused = with_status(out, 420);
        REQUIRE(refused);
        CHECK(header(*refused, sip::HeaderId::Unsupported) == "timer");
    }
    {
        Raw r(cfg);
        r.ua.call(*sip::parse_uri("sip:alice@192.0.2.9:5060"), {}, r.now);
        auto t = r.ua.poll_transmit();
        REQUIRE(t);
        auto inv = sip::parse_message(t->bytes);
        REQUIRE(inv.ok());
        CHECK(header(*inv, sip::HeaderId::Supported) == "100rel");
        CHECK_FALSE(inv->find(sip::HeaderId::SessionExpires));
    }
    {
        cfg.reliable_provisionals = false;
        Raw r(cfg);
        r.ua.call(*sip::parse_uri("sip:alice@192.0.2.9:5060"), {}, r.now);
        auto t = r.ua.poll_transmit();
        REQUIRE(t);
        CHECK_FALSE(sip::parse_message(t->bytes)->find(sip::HeaderId::Supported));
    }
}

namespace {

// The first datagram Alice sends when she calls `target` with an extra header of `padding` bytes.
Datagram first_invite(UserAgent& ua, const std::string& target, std::size_t padding) {
    CallOptions o;
    o.headers.emplace_back("X-Padding", std::string(padding, 'p'));
    ua.call(*sip::parse_uri(target), o, base::TimePoint{});
    auto t = ua.poll_transmit();
    REQUIRE(t);
    return *t;
}

}  // namespace

TEST_CASE("§18.1.1: a request over 1300 bytes goes over TCP with its Via saying so; one of 1300 stays on UDP") {
    base::SeededRandom random{3};
    UserAgent probe{node_config("alice", 5060), random};
    const Datagram small = first_invite(probe, "sip:bob@192.0.2.9:5060", 0);
    CHECK(small.transport == Transport::Udp);
    const std::size_t to_limit = 1300 - small.bytes.size();  // the same INVITE, padded to 1300 bytes

    UserAgent at_limit{node_config("alice", 5060), random};
    Datagram d = first_invite(at_limit, "sip:bob@192.0.2.9:5060", to_limit);
    CHECK(d.bytes.size() == 1300);
    CHECK(d.transport == Transport::Udp);

    UserAgent over{node_config("alice", 5060), random};
    d = first_invite(over, "sip:bob@192.0.2.9:5060", to_limit + 1);
    CHECK(d.bytes.size() == 1301);
    CHECK(d.transport == Transport::Tcp);
    CHECK(d.remote == Address{"192.0.2.9", 5060});
    auto m = sip::parse_message(d.bytes);
    REQUIRE(m.ok());
    CHECK(sip::top_via(*m)->transport == "TCP");
    // Over TCP the INVITE is not retransmitted (§17.1.1.2).
    CHECK_FALSE(over.poll_transmit());
}

TEST_CASE("§18.1.1: a target with transport=udp keeps a large request on UDP") {
    base::SeededRandom random{4};
    UserAgent ua{node_config("alice", 5060), random};
    const Datagram d = first_invite(ua, "sip:bob@192.0.2.9:5060;transport=udp", 2000);
    CHECK(d.transport == Transport::Udp);
    CHECK(sip::top_via(*sip::parse_message(d.bytes))->transport == "UDP");
}

TEST_CASE("§18.1.1: a request moved to TCP for its size is sent again over UDP when the connection fails") {
    base::SeededRandom random{5};
    UserAgent ua{node_config("alice", 5060), random};
    const Datagram over_tcp = first_invite(ua, "sip:bob@192.0.2.9:5060", 2000);
    REQUIRE(over_tcp.transport == Transport::Tcp);
    const auto tcp_invite = sip::parse_message(over_tcp.bytes);
    REQUIRE(tcp_invite.ok());

    ua.on_transport_error(over_tcp, "connection refused", base::TimePoint{});
    auto t = ua.poll_transmit();
    REQUIRE(t);
    CHECK(t->transport == Transport::Udp);
    CHECK(t->remote == Address{"192.0.2.9", 5060});
    auto udp_invite = sip::parse_message(t->bytes);
    REQUIRE(udp_invite.ok());
    CHECK(udp_invite->method() == sip::Method::Invite);
    const auto via = sip::top_via(*udp_invite);
    CHECK(via->transport == "UDP");
    CHECK(via->branch() != sip::top_via(*tcp_invite)->branch());  // a new transaction
    CHECK(header(*udp_invite, sip::HeaderId::CallId) == header(*tcp_invite, sip::HeaderId::CallId));
    // The call goes on: no 503 ended it.
    while (auto e = ua.poll_event()) CHECK_FALSE(std::holds_alternative<CallEnded>(*e));

    // Over UDP the INVITE is retransmitted by Timer A (§17.1.1.2) ...
    ua.on_timer(base::TimePoint{} + std::chrono::milliseconds(500));
    auto again = ua.poll_transmit();
    REQUIRE(again);
    CHECK(again->transport == Transport::Udp);
    // ... and the next large request to that peer stays on UDP.
    CallOptions o;
    o.headers.emplace_back("X-Padding", std::string(2000, 'p'));
    ua.call(*sip::parse_uri("sip:carol@192.0.2.9:5060"), o, base::TimePoint{} + std::chrono::seconds(1));
    while (auto d = ua.poll_transmit()) CHECK(d->transport == Transport::Udp);
}
