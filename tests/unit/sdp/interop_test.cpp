// Offers and answers as real peers write them (tests/data/sdp/).
#include "test_util.hpp"

#include "dialtone/sdp/crypto.hpp"

using namespace sdp_test;

namespace {
const char* const kFiles[] = {
    "asterisk_answer.sdp",       "asterisk_chan_sip_hold.sdp", "asterisk_offer.sdp",
    "baresip_answer.sdp",        "baresip_offer.sdp",          "baresip_srtp_answer.sdp",
    "baresip_srtp_offer.sdp",    "freeswitch_answer.sdp",      "freeswitch_srtp_offer.sdp",
    "gb28181_unknown_lines.sdp", "linphone_answer.sdp",        "linphone_offer.sdp",
    "linphone_srtp_offer.sdp",   "pjsua_offer.sdp",            "pjsua_srtp_optional_offer.sdp",
    "rfc2543_hold_offer.sdp",    "lf_line_ends.sdp",
};

std::string to_crlf(const std::string& text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r')) out += '\r';
        out += text[i];
    }
    return out;
}
}  // namespace

TEST_CASE("interop: every sample survives parse → serialize byte-exact and is a fixed point") {
    for (const char* name : kFiles) {
        CAPTURE(name);
        const std::string text = read_data(name);
        auto first = parse(text);
        REQUIRE_MESSAGE(first.ok(), (first.ok() ? std::string() : first.error().message));
        const std::string written = serialize(*first);
        CHECK(written == to_crlf(text));
        auto second = parse(written);
        REQUIRE(second.ok());
        CHECK(*second == *first);
    }
}

TEST_CASE("interop: baresip offers Opus first with telephone-event only at 8000; the Opus call takes it") {
    auto offer = data_sdp("baresip_offer.sdp");
    auto n = negotiator();
    auto a = answer_to(n, offer);
    const auto& m = n.media().at(0);
    CHECK(m.codec.name == "opus");
    CHECK(m.send_payload_type == 96);
    // Not the codec's clock, but the only one offered: its digits count in 8 kHz.
    CHECK(m.telephone_event_send_payload_type == 101u);
    CHECK(m.telephone_event_receive_payload_type == 101u);
    CHECK(m.telephone_event_clock_rate == 8000u);
    CHECK(a.media[0].formats == std::vector<std::string>{"96", "101"});
    CHECK(m.opus_stereo);
    CHECK_FALSE(m.opus_fec);
    CHECK(m.ptime == 20);
    // With G.711 preferred, the 8000 telephone-event fits.
    auto c = config();
    c.codecs = {Codec::pcmu()};
    auto g = negotiator(c);
    answer_to(g, offer);
    CHECK(g.media()[0].telephone_event_send_payload_type == 101u);
}

TEST_CASE("interop: baresip SRTP offer answered with its one AES_CM_128_HMAC_SHA1_80 line") {
    auto offer = data_sdp("baresip_srtp_offer.sdp");
    auto cfg = config();
    cfg.srtp = SrtpMode::Mandatory;
    cfg.keys = {key(SrtpSuite::AesCm128HmacSha1_80)};
    auto n = negotiator(cfg);
    auto a = answer_to(n, offer);
    const auto& m = n.media().at(0);
    REQUIRE(m.srtp);
    CHECK(m.srtp->tag == 1);
    CHECK(m.codec.name == "opus");
    CHECK(m.send_payload_type == 96);
    CHECK(m.remote_port == 42570);
    CHECK(a.media[0].proto == "RTP/SAVP");
    CHECK(attr_value(a.media[0], "crypto").rfind("1 AES_CM_128_HMAC_SHA1_80 inline:", 0) == 0);
}

TEST_CASE("interop: baresip's SRTP offer is refused when only a suite it lacks is allowed") {
    auto cfg = config();
    cfg.srtp = SrtpMode::Mandatory;
    cfg.keys = {key(SrtpSuite::AesCm128HmacSha1_32)};
    auto n = negotiator(cfg);
    auto s = n.receive_offer(data_sdp("baresip_srtp_offer.sdp"));
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().status == 488);
}

TEST_CASE("interop: baresip answers our offer with all its codecs, Opus first under our number") {
    auto n = negotiator();
    REQUIRE(n.create_offer().ok());
    REQUIRE(n.receive_answer(data_sdp("baresip_answer.sdp")).ok());
    const auto& m = n.media().at(0);
    CHECK(m.codec.name == "opus");
    CHECK(m.send_payload_type == 111);
    CHECK(m.remote_port == 42220);
    CHECK(m.opus_stereo);
    // It kept only our 8000 telephone-event: the Opus call uses it at 8000.
    CHECK(m.telephone_event_send_payload_type == 96u);
    CHECK(m.telephone_event_receive_payload_type == 96u);
    CHECK(m.telephone_event_clock_rate == 8000u);
    CHECK_FALSE(m.srtp);
}

TEST_CASE("interop: baresip's SRTP answer takes our first crypto line") {
    auto cfg = config();
    cfg.srtp = SrtpMode::Mandatory;
    cfg.keys = {key(SrtpSuite::AesCm128HmacSha1_80)};
    auto n = negotiator(cfg);
    REQUIRE(n.create_offer().ok());
    REQUIRE(n.receive_answer(data_sdp("baresip_srtp_answer.sdp")).ok());
    const auto& m = n.media().at(0);
    REQUIRE(m.srtp);
    CHECK(m.srtp->tag == 1);
    CHECK(m.srtp->suite == SrtpSuite::AesCm128HmacSha1_80);
    CHECK(m.codec.name == "opus");
}

// The linphone samples are linphonec 5.1's own SDP, captured with dialtone --sip-trace.
TEST_CASE("interop: linphone's audio is answered and its video declined in place") {
    auto n = negotiator();
    auto a = answer_to(n, data_sdp("linphone_offer.sdp"));
    REQUIRE(a.media.size() == 2);
    CHECK(a.media[0].port == 40000);
    CHECK(a.media[1].port == 0);
    CHECK(a.media[1].media == "video");
    const auto& m = n.media().at(0);
    CHECK(m.codec.name == "opus");
    CHECK(m.telephone_event_send_payload_type == 99u);  // the 48000 one, of three rates
    CHECK(m.telephone_event_clock_rate == 48000u);
    CHECK(attr_value(a.media[0], "fmtp") == "96 useinbandfec=1");
}

TEST_CASE("interop: linphone answers our offer with every codec it shares; Opus comes first") {
    auto n = negotiator();
    REQUIRE(n.create_offer().ok());
    REQUIRE(n.receive_answer(data_sdp("linphone_answer.sdp")).ok());
    const auto& m = n.media().at(0);
    CHECK(m.codec.name == "opus");
    CHECK(m.send_payload_type == 111);
    CHECK(m.telephone_event_send_payload_type == 101u);
    CHECK(m.remote.address == "127.0.0.1");
    CHECK(m.remote_port == 44068);
    CHECK(m.direction == Direction::SendRecv);  // no direction attribute: sendrecv (RFC 4566 §6)
}

TEST_CASE("interop: linphone SRTP offer with a suite we do not know") {
    auto cfg = config();
    cfg.srtp = SrtpMode::Mandatory;
    cfg.keys = {key(SrtpSuite::AesCm128HmacSha1_32)};
    auto n = negotiator(cfg);
    answer_to(n, data_sdp("linphone_srtp_offer.sdp"));
    REQUIRE(n.media().at(0).srtp);
    CHECK(n.media()[0].srtp->tag == 2);
    auto crypto = crypto_attributes(data_sdp("linphone_srtp_offer.sdp").media[0]);
    REQUIRE(crypto.ok());
    CHECK(crypto->at(2).suite == SrtpSuite::Unknown);
}

TEST_CASE("interop: pjsua puts c= and rtcp address at media level") {
    auto n = negotiator();
    answer_to(n, data_sdp("pjsua_offer.sdp"));
    const auto& m = n.media().at(0);
    CHECK(m.remote.address == "192.168.1.50");
    CHECK(m.remote_port == 4000);
    CHECK(m.remote_rtcp_port == 4001);
    CHECK(m.codec.name == "opus");
    CHECK(m.telephone_event_send_payload_type == 120u);
}

TEST_CASE("interop: pjsua's optional SRTP (RTP/AVP with crypto) under our optional mode") {
    auto cfg = config();
    cfg.srtp = SrtpMode::Optional;
    cfg.keys = {key(SrtpSuite::AesCm128HmacSha1_80)};
    auto n = negotiator(cfg);
    auto a = answer_to(n, data_sdp("pjsua_srtp_optional_offer.sdp"));
    CHECK(a.media[0].proto == "RTP/AVP");
    REQUIRE(n.media().at(0).srtp);
    CHECK(n.media()[0].srtp->tag == 5);
    CHECK(n.media()[0].codec.name == "PCMU");
}

TEST_CASE("interop: Asterisk's offer and its chan_sip hold re-INVITE") {
    auto c = config();
    c.codecs = {Codec::opus(), Codec::pcma(), Codec::pcmu()};
    auto n = negotiator(c);
    answer_to(n, data_sdp("asterisk_offer.sdp"));
    CHECK(n.media().at(0).codec.name == "PCMA");
    CHECK(n.media()[0].telephone_event_send_payload_type == 101u);
    auto a = answer_to(n, data_sdp("asterisk_chan_sip_hold.sdp"));
    CHECK(attr(a.media[0], "recvonly"));
    CHECK(n.media().at(0).direction == Direction::RecvOnly);
    CHECK(n.media()[0].codec.name == "PCMU");
}

TEST_CASE("interop: Asterisk answers our offer with PCMU and telephone-event") {
    auto n = negotiator();
    REQUIRE(n.create_offer().ok());
    REQUIRE(n.receive_answer(data_sdp("asterisk_answer.sdp")).ok());
    const auto& m = n.media().at(0);
    CHECK(m.codec.name == "PCMU");
    CHECK(m.telephone_event_send_payload_type == 101u);
    CHECK(m.telephone_event_receive_payload_type == 96u);  // our 8000 telephone-event number
    CHECK(m.remote_port == 14290);
    CHECK(m.max_ptime == 150u);
}

TEST_CASE("interop: FreeSWITCH SRTP offer with suites of its own and spaced Opus fmtp") {
    auto cfg = config();
    cfg.srtp = SrtpMode::Mandatory;
    cfg.keys = {key(SrtpSuite::AeadAes256Gcm), key(SrtpSuite::AesCm128HmacSha1_80)};
    auto n = negotiator(cfg);
    auto a = answer_to(n, data_sdp("freeswitch_srtp_offer.sdp"));
    const auto& m = n.media().at(0);
    REQUIRE(m.srtp);
    CHECK(m.srtp->tag == 5);  // AEAD_AES_256_GCM_8 is not AEAD_AES_256_GCM
    CHECK(m.codec.name == "opus");
    CHECK(m.opus_fec);
    CHECK(m.opus_max_average_bitrate == 30000u);
    CHECK(m.remote_rtcp_port == 22441);
    CHECK(m.telephone_event_send_payload_type == 101u);  // only offered at 8000: taken at 8000
    CHECK(m.telephone_event_clock_rate == 8000u);
}

TEST_CASE("interop: FreeSWITCH answers our offer with Opus under its own number") {
    auto n = negotiator();
    REQUIRE(n.create_offer().ok());
    REQUIRE(n.receive_answer(data_sdp("freeswitch_answer.sdp")).ok());
    const auto& m = n.media().at(0);
    CHECK(m.codec.name == "opus");
    CHECK(m.send_payload_type == 111);
    CHECK(m.telephone_event_send_payload_type == 101u);
    CHECK(m.telephone_event_receive_payload_type == 101u);
    CHECK(m.opus_max_average_bitrate == 30000u);
}

TEST_CASE("interop: an RFC 2543 gateway's hold with c=0.0.0.0") {
    auto n = negotiator();
    auto a = answer_to(n, data_sdp("rfc2543_hold_offer.sdp"));
    CHECK(attr(a.media[0], "recvonly"));
    CHECK(n.media().at(0).remote_hold_address);
    CHECK(n.media()[0].direction == Direction::RecvOnly);
}

TEST_CASE("interop: a video-only GB28181 offer is refused with 488") {
    auto n = negotiator();
    auto s = n.receive_offer(data_sdp("gb28181_unknown_lines.sdp"));
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().status == 488);
}
