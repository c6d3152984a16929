#include "test_util.hpp"

#include "dialtone/sdp/fmtp.hpp"
#include "dialtone/sdp/rtpmap.hpp"

using namespace sdp_test;

namespace {

const std::string kOfferHead =
    "v=0\n"
    "o=peer 77 1 IN IP4 198.51.100.2\n"
    "s=-\n"
    "c=IN IP4 198.51.100.2\n"
    "t=0 0\n";

SessionDescription offer(const std::string& media) { return sdp(kOfferHead + media); }

std::string rejection(Negotiator& n, const SessionDescription& o) {
    auto s = n.receive_offer(o);
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().status == 488);
    CHECK(n.state() == Negotiator::State::Idle);
    return s.error().message;
}

}  // namespace

TEST_CASE("offer: the first offer lists the codecs in preference order with telephone-event per clock rate") {
    auto n = negotiator();
    auto o = n.create_offer();
    REQUIRE(o.ok());
    CHECK(n.state() == Negotiator::State::OfferSent);
    CHECK(serialize(*o) == crlf("v=0\n"
                                "o=dialtone 4242 1 IN IP4 192.0.2.10\n"
                                "s=dialtone\n"
                                "c=IN IP4 192.0.2.10\n"
                                "t=0 0\n"
                                "m=audio 40000 RTP/AVP 111 0 8 101 96\n"
                                "a=rtpmap:111 opus/48000/2\n"
                                "a=fmtp:111 useinbandfec=1\n"
                                "a=rtpmap:0 PCMU/8000\n"
                                "a=rtpmap:8 PCMA/8000\n"
                                "a=rtpmap:101 telephone-event/48000\n"
                                "a=fmtp:101 0-16\n"
                                "a=rtpmap:96 telephone-event/8000\n"
                                "a=fmtp:96 0-16\n"
                                "a=ptime:20\n"
                                "a=sendrecv\n"));
}

TEST_CASE("offer: IPv6 address, rtcp-mux and no telephone-event") {
    auto c = config();
    c.address = "2001:db8::10";
    c.rtcp_mux = true;
    c.telephone_event = false;
    c.codecs = {Codec::pcma()};
    auto n = negotiator(c);
    auto o = n.create_offer();
    REQUIRE(o.ok());
    CHECK(o->origin.address_type == AddressType::IP6);
    CHECK(o->connection->address_type == AddressType::IP6);
    CHECK(o->media[0].formats == std::vector<std::string>{"8"});
    CHECK(attr(o->media[0], "rtcp-mux"));
}

TEST_CASE("offer: one m= line per configured port") {
    auto c = config();
    c.rtp_ports = {40000, 40002};
    auto n = negotiator(c);
    auto o = n.create_offer();
    REQUIRE(o.ok());
    REQUIRE(o->media.size() == 2);
    CHECK(o->media[1].port == 40002);
}

TEST_CASE("create: a configuration that cannot describe a stream is refused") {
    auto bad = [](auto edit) {
        auto c = config();
        edit(c);
        return Negotiator::create(c).ok();
    };
    CHECK_FALSE(bad([](NegotiatorConfig& c) { c.address = ""; }));
    CHECK_FALSE(bad([](NegotiatorConfig& c) { c.address = "example.com"; }));
    CHECK_FALSE(bad([](NegotiatorConfig& c) { c.rtp_ports.clear(); }));
    CHECK_FALSE(bad([](NegotiatorConfig& c) { c.rtp_ports = {0}; }));
    CHECK_FALSE(bad([](NegotiatorConfig& c) { c.codecs.clear(); }));
    CHECK_FALSE(bad([](NegotiatorConfig& c) { c.session_id = "12a"; }));
    CHECK_FALSE(bad([](NegotiatorConfig& c) { c.srtp = SrtpMode::Mandatory; }));
    CHECK_FALSE(bad([](NegotiatorConfig& c) {
        c.srtp = SrtpMode::Optional;
        c.keys = {LocalKey{SrtpSuite::AeadAes256Gcm, std::string(30, 'x')}};
    }));
    auto e = Negotiator::create([] {
        auto c = config();
        c.srtp = SrtpMode::Optional;
        c.keys = {LocalKey{SrtpSuite::AeadAes128Gcm, std::string(30, 'x')}};
        return c;
    }());
    REQUIRE_FALSE(e.ok());
    CHECK(e.error().message == "negotiator: AEAD_AES_128_GCM master key||salt must be 28 bytes, got 30");
}

TEST_CASE("answer: the first codec of the user's preference that the offer carries is chosen") {
    struct Row {
        std::vector<Codec> prefs;
        std::string media;
        std::string chosen;
        unsigned pt;
    };
    const std::vector<Row> table = {
        {{Codec::opus(), Codec::pcmu(), Codec::pcma()}, "m=audio 5000 RTP/AVP 0 8 96\na=rtpmap:96 opus/48000/2\n",
         "opus", 96},
        {{Codec::pcma(), Codec::pcmu()}, "m=audio 5000 RTP/AVP 0 8\n", "PCMA", 8},
        {{Codec::pcmu(), Codec::pcma()}, "m=audio 5000 RTP/AVP 8 0\n", "PCMU", 0},
        {{Codec::opus(), Codec::pcma()}, "m=audio 5000 RTP/AVP 18 8 0\n", "PCMA", 8},
        {{Codec::g722(), Codec::pcmu()}, "m=audio 5000 RTP/AVP 0 9\n", "G722", 9},
        // An explicit rtpmap for a static number, in another case.
        {{Codec::pcmu()}, "m=audio 5000 RTP/AVP 0\na=rtpmap:0 pcmu/8000\n", "PCMU", 0},
    };
    for (const auto& row : table) {
        CAPTURE(row.media);
        auto c = config();
        c.codecs = row.prefs;
        auto n = negotiator(c);
        auto a = answer_to(n, offer(row.media));
        REQUIRE(n.media().size() == 1);
        CHECK(n.media()[0].codec.name == row.chosen);
        CHECK(n.media()[0].send_payload_type == row.pt);
        CHECK(n.media()[0].receive_payload_type == row.pt);
        CHECK(a.media[0].formats.front() == std::to_string(row.pt));
    }
}

TEST_CASE("answer: the offerer's payload type numbers are kept for dynamic codecs") {
    auto n = negotiator();
    auto a = answer_to(n, offer("m=audio 5000 RTP/AVP 107 0\na=rtpmap:107 opus/48000/2\n"));
    CHECK(a.media[0].formats == std::vector<std::string>{"107"});
    CHECK(attr_value(a.media[0], "rtpmap") == "107 opus/48000/2");
    CHECK(n.media()[0].send_payload_type == 107);
    CHECK(n.media()[0].codec.clock_rate == 48000);
    CHECK(n.media()[0].codec.channels == 2);
}

TEST_CASE("answer: telephone-event is matched at the chosen codec's clock rate") {
    struct Row {
        std::string media;
        std::string codec;
        std::optional<unsigned> te;
        std::string te_fmtp;
        std::uint32_t te_clock = 0;
    };
    const std::vector<Row> table = {
        // Both rates offered: Opus gets the 48000 one.
        {"m=audio 5000 RTP/AVP 96 0 97 101\na=rtpmap:96 opus/48000/2\na=rtpmap:97 telephone-event/48000\n"
         "a=fmtp:97 0-16\na=rtpmap:101 telephone-event/8000\na=fmtp:101 0-16\n",
         "opus", 97, "97 0-16", 48000},
        // Only 8000 offered next to Opus (baresip): taken at 8000 rather than losing the digits.
        {"m=audio 5000 RTP/AVP 96 0 101\na=rtpmap:96 opus/48000/2\na=rtpmap:101 telephone-event/8000\n", "opus",
         101, "101 0-15", 8000},
        // Only 48000 offered next to G.711: taken at 48000 likewise.
        {"m=audio 5000 RTP/AVP 0 120\na=rtpmap:120 telephone-event/48000\na=fmtp:120 0-16\n", "PCMU", 120,
         "120 0-16", 48000},
        // G.711 gets the 8000 one; no fmtp means 0-15 (RFC 4733 §2.4.1).
        {"m=audio 5000 RTP/AVP 0 120 121\na=rtpmap:120 telephone-event/48000\na=rtpmap:121 telephone-event/8000\n",
         "PCMU", 121, "121 0-15", 8000},
        // Events beyond 16 are not answered.
        {"m=audio 5000 RTP/AVP 8 101\na=rtpmap:101 telephone-event/8000\na=fmtp:101 0-15,66,70\n", "PCMA", 101,
         "101 0-15", 8000},
        // An event list we share nothing with is dropped.
        {"m=audio 5000 RTP/AVP 8 101\na=rtpmap:101 telephone-event/8000\na=fmtp:101 32-40\n", "PCMA", std::nullopt,
         "", 0},
    };
    for (const auto& row : table) {
        CAPTURE(row.media);
        auto n = negotiator();
        auto a = answer_to(n, offer(row.media));
        const auto& m = n.media().at(0);
        CHECK(m.codec.name == row.codec);
        CHECK(m.telephone_event_send_payload_type == row.te);
        CHECK(m.telephone_event_receive_payload_type == row.te);
        CHECK(m.telephone_event_clock_rate == row.te_clock);
        if (row.te) {
            CHECK(a.media[0].formats.size() == 2);
            bool found = false;
            for (const auto* f : find_attributes(a.media[0].attributes, "fmtp")) found |= *f->value == row.te_fmtp;
            CHECK(found);
        } else {
            CHECK(a.media[0].formats.size() == 1);
        }
    }
}

TEST_CASE("answer: telephone-event is left out when the user does not want it") {
    auto c = config();
    c.telephone_event = false;
    auto n = negotiator(c);
    auto a = answer_to(n, offer("m=audio 5000 RTP/AVP 0 101\na=rtpmap:101 telephone-event/8000\n"));
    CHECK(a.media[0].formats == std::vector<std::string>{"0"});
    CHECK_FALSE(n.media()[0].telephone_event_send_payload_type);
}

TEST_CASE("answer: unsupported streams are declined with port 0 in place, same number and order") {
    auto n = negotiator();
    auto a = answer_to(n, offer("m=video 5002 RTP/AVP 96\na=rtpmap:96 VP8/90000\n"
                                "m=audio 5000 RTP/AVP 0\n"
                                "m=audio 0 RTP/AVP 8\n"
                                "m=application 5010 UDP/BFCP *\n"
                                "m=audio 5004 RTP/AVP 8\n"));
    REQUIRE(a.media.size() == 5);
    CHECK(a.media[0].media == "video");
    CHECK(a.media[0].port == 0);
    CHECK(a.media[0].formats == std::vector<std::string>{"96"});
    CHECK(a.media[1].port == 40000);
    CHECK(a.media[2].port == 0);
    CHECK(a.media[3].port == 0);
    CHECK(a.media[3].proto == "UDP/BFCP");
    CHECK(a.media[4].port == 0);  // one configured port: the second audio stream has none
    REQUIRE(n.media().size() == 1);
    CHECK(n.media()[0].mline == 1);
    CHECK(n.media()[0].remote_port == 5000);
}

TEST_CASE("answer: a second audio stream gets the second configured port") {
    auto c = config();
    c.rtp_ports = {40000, 40002};
    auto n = negotiator(c);
    auto a = answer_to(n, offer("m=audio 5000 RTP/AVP 0\nm=audio 5004 RTP/AVP 8\n"));
    CHECK(a.media[0].port == 40000);
    CHECK(a.media[1].port == 40002);
    REQUIRE(n.media().size() == 2);
    CHECK(n.media()[1].codec.name == "PCMA");
}

TEST_CASE("answer: no common codec is a 488 with a 304 warning") {
    auto n = negotiator();
    CHECK(rejection(n, offer("m=audio 5000 RTP/AVP 18 3\n")) == "304 dialtone \"no common codec\"");
    // Opus written without /2 is not RFC 7587 Opus.
    CHECK(rejection(n, offer("m=audio 5000 RTP/AVP 96\na=rtpmap:96 opus/48000\n")) ==
          "304 dialtone \"no common codec\"");
}

TEST_CASE("answer: the warn-agent comes from the configuration") {
    auto c = config();
    c.warning_agent = "pbx.example.com";
    auto n = negotiator(c);
    CHECK(rejection(n, offer("m=audio 5000 RTP/AVP 18\n")) == "304 pbx.example.com \"no common codec\"");
}

TEST_CASE("answer: only video, or no m= line at all, is a 488") {
    auto n = negotiator();
    CHECK(rejection(n, offer("m=video 5002 RTP/AVP 31\n")) == "304 dialtone \"media type video not available\"");
    CHECK(rejection(n, offer("")) == "304 dialtone \"no media stream offered\"");
}

TEST_CASE("answer: AVPF, SAVPF and DTLS transports are recognised and declined") {
    auto n = negotiator();
    for (const char* proto : {"RTP/AVPF", "RTP/SAVPF", "UDP/TLS/RTP/SAVP", "UDP/TLS/RTP/SAVPF"}) {
        CAPTURE(proto);
        CHECK(rejection(n, offer(std::string("m=audio 5000 ") + proto + " 0\n")) ==
              std::string("302 dialtone \"transport protocol ") + proto + " not supported\"");
    }
}

TEST_CASE("answer: an IPv6 stream cannot be answered from an IPv4 address") {
    auto n = negotiator();
    CHECK(rejection(n, offer("m=audio 5000 RTP/AVP 0\nc=IN IP6 2001:db8::2\n")) ==
          "301 dialtone \"incompatible network address format IP6\"");
}

TEST_CASE("answer: the result carries the peer's address, RTCP port, ptime and Opus wishes") {
    auto n = negotiator();
    answer_to(n, offer("m=audio 5000 RTP/AVP 96\nc=IN IP4 198.51.100.9\na=rtpmap:96 opus/48000/2\n"
                       "a=fmtp:96 useinbandfec=1;maxaveragebitrate=20000;stereo=1\na=ptime:40\n"
                       "a=rtcp:5009 IN IP4 198.51.100.10\n"));
    const auto& m = n.media().at(0);
    CHECK(m.remote.address == "198.51.100.9");
    CHECK(m.remote_port == 5000);
    CHECK(m.remote_rtcp.address == "198.51.100.10");
    CHECK(m.remote_rtcp_port == 5009);
    CHECK_FALSE(m.rtcp_mux);
    CHECK(m.local_port == 40000);
    CHECK(m.ptime == 40);
    CHECK(m.opus_fec);
    CHECK(m.opus_max_average_bitrate == 20000u);
    CHECK(m.opus_stereo);
    CHECK(m.codec.fmtp == "useinbandfec=1;maxaveragebitrate=20000;stereo=1");
    CHECK(m.direction == Direction::SendRecv);
    CHECK_FALSE(m.srtp);
    CHECK(m.proto == "RTP/AVP");
}

TEST_CASE("answer: RTCP goes to port + 1 unless multiplexed (RFC 3605, RFC 5761)") {
    auto plain = negotiator();
    answer_to(plain, offer("m=audio 5000 RTP/AVP 0\na=rtcp-mux\n"));
    CHECK(plain.media()[0].remote_rtcp_port == 5001);
    CHECK_FALSE(plain.media()[0].rtcp_mux);

    auto c = config();
    c.rtcp_mux = true;
    auto mux = negotiator(c);
    auto a = answer_to(mux, offer("m=audio 5000 RTP/AVP 0\na=rtcp:5001\na=rtcp-mux\n"));
    CHECK(attr(a.media[0], "rtcp-mux"));
    CHECK(mux.media()[0].rtcp_mux);
    CHECK(mux.media()[0].remote_rtcp_port == 5000);
}

TEST_CASE("answer: the answer describes our side") {
    auto n = negotiator();
    auto a = answer_to(n, offer("m=audio 5000 RTP/AVP 0 101\na=rtpmap:101 telephone-event/8000\na=fmtp:101 0-16\n"));
    CHECK(serialize(a) == crlf("v=0\n"
                               "o=dialtone 4242 1 IN IP4 192.0.2.10\n"
                               "s=dialtone\n"
                               "c=IN IP4 192.0.2.10\n"
                               "t=0 0\n"
                               "m=audio 40000 RTP/AVP 0 101\n"
                               "a=rtpmap:0 PCMU/8000\n"
                               "a=rtpmap:101 telephone-event/8000\n"
                               "a=fmtp:101 0-16\n"
                               "a=ptime:20\n"
                               "a=sendrecv\n"));
    CHECK(n.state() == Negotiator::State::Stable);
    REQUIRE(n.local_description());
    CHECK(*n.local_description() == a);
    REQUIRE(n.remote_description());
    CHECK(n.remote_description()->origin.username == "peer");
}

TEST_CASE("state: operations out of turn are refused") {
    auto n = negotiator();
    CHECK_FALSE(n.create_answer().ok());
    CHECK_FALSE(n.receive_answer(offer("m=audio 5000 RTP/AVP 0\n")).ok());
    REQUIRE(n.create_offer().ok());
    auto again = n.create_offer();
    REQUIRE_FALSE(again.ok());
    CHECK(again.error().status == 491);
    // RFC 3261 §14.2: an offer while ours is outstanding is glare.
    auto glare = n.receive_offer(offer("m=audio 5000 RTP/AVP 0\n"));
    REQUIRE_FALSE(glare.ok());
    CHECK(glare.error().status == 491);
    CHECK(n.state() == Negotiator::State::OfferSent);
}

TEST_CASE("state: rollback returns to the state before the offer") {
    auto n = negotiator();
    REQUIRE(n.create_offer().ok());
    n.rollback();
    CHECK(n.state() == Negotiator::State::Idle);
    REQUIRE(n.receive_offer(offer("m=audio 5000 RTP/AVP 0\n")).ok());
    CHECK(n.state() == Negotiator::State::OfferReceived);
    n.rollback();
    CHECK(n.state() == Negotiator::State::Idle);
    CHECK(n.media().empty());
}

TEST_CASE("answer received: chosen codec, asymmetric payload numbers and telephone-event") {
    auto n = negotiator();
    REQUIRE(n.create_offer().ok());
    // The peer took Opus under another number (RFC 3264 §6.1 only says SHOULD keep it).
    auto s = n.receive_answer(offer("m=audio 6000 RTP/AVP 98 100\na=rtpmap:98 opus/48000/2\n"
                                    "a=fmtp:98 useinbandfec=1\na=rtpmap:100 telephone-event/48000\n"
                                    "a=fmtp:100 0-15\n"));
    REQUIRE(s.ok());
    CHECK(n.state() == Negotiator::State::Stable);
    const auto& m = n.media().at(0);
    CHECK(m.codec.name == "opus");
    CHECK(m.send_payload_type == 98);
    CHECK(m.receive_payload_type == 111);
    CHECK(m.telephone_event_send_payload_type == 100u);
    CHECK(m.telephone_event_receive_payload_type == 101u);
    CHECK(m.opus_fec);
    CHECK(m.remote_port == 6000);
    CHECK(m.local_port == 40000);
}

TEST_CASE("answer received: a codec that was not offered is refused and the offer withdrawn") {
    auto n = negotiator();
    REQUIRE(n.create_offer().ok());
    auto s = n.receive_answer(offer("m=audio 6000 RTP/AVP 18\n"));
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().status == 488);
    CHECK(s.error().message == "answer m-line 1: chose no codec that was offered");
    CHECK(n.state() == Negotiator::State::Idle);
}

TEST_CASE("answer received: formats the offer did not carry are skipped for one it did") {
    auto c = config();
    c.codecs = {Codec::pcma()};
    auto n = negotiator(c);
    REQUIRE(n.create_offer().ok());
    REQUIRE(n.receive_answer(offer("m=audio 6000 RTP/AVP 0 8\n")).ok());
    CHECK(n.media()[0].codec.name == "PCMA");
}

TEST_CASE("answer received: the m= line count must match the offer") {
    auto n = negotiator();
    REQUIRE(n.create_offer().ok());
    auto s = n.receive_answer(offer("m=audio 6000 RTP/AVP 0\nm=audio 6002 RTP/AVP 0\n"));
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().message == "answer has 2 m= lines, the offer had 1 (RFC 3264 §6)");
    CHECK(n.state() == Negotiator::State::Idle);
}

TEST_CASE("answer received: every stream declined is a failure") {
    auto n = negotiator();
    REQUIRE(n.create_offer().ok());
    auto s = n.receive_answer(offer("m=audio 0 RTP/AVP 0\n"));
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().message == "answer declined every stream");
}

TEST_CASE("answer received: a different media type or proto breaks the offer") {
    auto n = negotiator();
    REQUIRE(n.create_offer().ok());
    CHECK(n.receive_answer(offer("m=video 6000 RTP/AVP 0\n")).error().message ==
          "answer m-line 1: is video where the offer had audio");
    REQUIRE(n.create_offer().ok());
    CHECK(n.receive_answer(offer("m=audio 6000 RTP/SAVP 0\n")).error().message ==
          "answer m-line 1: proto RTP/SAVP differs from the offered RTP/AVP");
}

TEST_CASE("answer received: a missing c= is refused") {
    auto n = negotiator();
    REQUIRE(n.create_offer().ok());
    auto s = n.receive_answer(sdp("v=0\no=- 1 1 IN IP4 198.51.100.2\ns=-\nt=0 0\nm=audio 6000 RTP/AVP 0\n"));
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().message == "answer m-line 1: no c= line for the stream");
}

TEST_CASE("version: a re-offer keeps the session id and bumps the version only on change (RFC 3264 §8)") {
    auto n = negotiator();
    auto first = n.create_offer();
    REQUIRE(first.ok());
    REQUIRE(n.receive_answer(offer("m=audio 6000 RTP/AVP 0\n")).ok());

    auto same = n.create_offer();
    REQUIRE(same.ok());
    CHECK(same->origin.session_id == "4242");
    CHECK(same->origin.session_version == 1);
    CHECK(*same == *first);
    REQUIRE(n.receive_answer(offer("m=audio 6000 RTP/AVP 0\n")).ok());

    n.set_direction(Direction::SendOnly);
    auto hold = n.create_offer();
    REQUIRE(hold.ok());
    CHECK(hold->origin.session_id == "4242");
    CHECK(hold->origin.session_version == 2);
    n.rollback();  // the peer refused it: the version was still used

    n.set_direction(Direction::SendRecv);
    auto resume = n.create_offer();
    REQUIRE(resume.ok());
    CHECK(resume->origin.session_version == 3);
}

TEST_CASE("version: an unchanged answer to a re-offer keeps the version") {
    auto n = negotiator();
    auto a1 = answer_to(n, offer("m=audio 5000 RTP/AVP 0\n"));
    auto a2 = answer_to(n, offer("m=audio 5000 RTP/AVP 0\n"));
    CHECK(a2.origin.session_version == a1.origin.session_version);
    auto a3 = answer_to(n, offer("m=audio 5000 RTP/AVP 0\na=sendonly\n"));
    CHECK(a3.origin.session_version == a1.origin.session_version + 1);
    auto o = n.create_offer();  // back to sendrecv: changed again
    REQUIRE(o.ok());
    CHECK(o->origin.session_version == a1.origin.session_version + 2);
}

TEST_CASE("re-offer: m= lines of the session stay, declined ones with port 0") {
    auto n = negotiator();
    answer_to(n, offer("m=audio 5000 RTP/AVP 96 0\na=rtpmap:96 opus/48000/2\nm=video 5002 RTP/AVP 31\n"));
    auto o = n.create_offer();
    REQUIRE(o.ok());
    REQUIRE(o->media.size() == 2);
    CHECK(o->media[0].port == 40000);
    CHECK(o->media[1].media == "video");
    CHECK(o->media[1].port == 0);
    // The peer's number for Opus is kept in our re-offer (RFC 3264 §8.3.2).
    CHECK(o->media[0].formats.front() == "96");
    CHECK(attr_value(o->media[0], "rtpmap") == "96 opus/48000/2");
}

TEST_CASE("re-offer: an offer that drops m= lines of the session is refused") {
    auto n = negotiator();
    answer_to(n, offer("m=audio 5000 RTP/AVP 0\nm=video 5002 RTP/AVP 31\n"));
    auto s = n.receive_offer(offer("m=audio 5000 RTP/AVP 0\n"));
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().status == 488);
    CHECK(s.error().message == "399 dialtone \"offer removed m= lines of the session\"");
    CHECK(n.state() == Negotiator::State::Stable);
}

TEST_CASE("answer: an offer without any c= line is refused") {
    auto n = negotiator();
    auto s = n.receive_offer(sdp("v=0\no=- 1 1 IN IP4 198.51.100.2\ns=-\nt=0 0\nm=audio 5000 RTP/AVP 0\n"));
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().message == "399 dialtone \"no c= line for the stream\"");
}

TEST_CASE("answer: IPv6 offers are answered from an IPv6 address") {
    auto c = config();
    c.address = "2001:db8::10";
    auto n = negotiator(c);
    auto a = answer_to(n, sdp("v=0\no=- 1 1 IN IP6 2001:db8::2\ns=-\nc=IN IP6 2001:db8::2\nt=0 0\n"
                              "m=audio 5000 RTP/AVP 0\n"));
    CHECK(a.connection->address == "2001:db8::10");
    CHECK(a.connection->address_type == AddressType::IP6);
    CHECK(n.media()[0].remote.address == "2001:db8::2");
}

TEST_CASE("answer received: a refused re-offer keeps the media of the last exchange") {
    auto n = negotiator();
    REQUIRE(n.create_offer().ok());
    REQUIRE(n.receive_answer(offer("m=audio 6000 RTP/AVP 8\n")).ok());
    n.set_direction(Direction::SendOnly);
    REQUIRE(n.create_offer().ok());
    CHECK_FALSE(n.receive_answer(offer("m=audio 6000 RTP/AVP 18\n")).ok());
    CHECK(n.state() == Negotiator::State::Stable);
    REQUIRE(n.media().size() == 1);
    CHECK(n.media()[0].codec.name == "PCMA");
    CHECK(n.media()[0].direction == Direction::SendRecv);
}

TEST_CASE("answer received: rtcp-mux only when both sides wrote it") {
    auto c = config();
    c.rtcp_mux = true;
    auto n = negotiator(c);
    REQUIRE(n.create_offer().ok());
    REQUIRE(n.receive_answer(offer("m=audio 6000 RTP/AVP 0\na=rtcp-mux\n")).ok());
    CHECK(n.media()[0].rtcp_mux);
    CHECK(n.media()[0].remote_rtcp_port == 6000);
    REQUIRE(n.create_offer().ok());
    REQUIRE(n.receive_answer(offer("m=audio 6000 RTP/AVP 0\n")).ok());
    CHECK_FALSE(n.media()[0].rtcp_mux);
    CHECK(n.media()[0].remote_rtcp_port == 6001);
}

TEST_CASE("answer received: the peer's a=ptime sets our packet time") {
    auto n = negotiator();
    REQUIRE(n.create_offer().ok());
    REQUIRE(n.receive_answer(offer("m=audio 6000 RTP/AVP 0\na=ptime:30\n")).ok());
    CHECK(n.media()[0].ptime == 30);
}
