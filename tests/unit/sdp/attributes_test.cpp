#include <doctest/doctest.h>

#include "dialtone/sdp/codec.hpp"
#include "dialtone/sdp/direction.hpp"
#include "dialtone/sdp/fmtp.hpp"
#include "dialtone/sdp/media_attributes.hpp"
#include "dialtone/sdp/parser.hpp"
#include "dialtone/sdp/rtpmap.hpp"

using namespace dialtone::sdp;

namespace {
SessionDescription parse_ok(const std::string& text) {
    auto r = parse(text);
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
    return *r;
}
const std::string kHead = "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\n";
}  // namespace

TEST_CASE("rtpmap: encoding, clock rate and optional channels") {
    auto r = parse_rtpmap("96 opus/48000/2");
    REQUIRE(r.ok());
    CHECK(r->payload_type == 96);
    CHECK(r->encoding == "opus");
    CHECK(r->clock_rate == 48000);
    CHECK(r->channels == 2u);
    auto u = parse_rtpmap("0 PCMU/8000");
    REQUIRE(u.ok());
    CHECK_FALSE(u->channels);
    CHECK(u->channel_count() == 1);
    CHECK(format_rtpmap(*r) == "96 opus/48000/2");
    CHECK(format_rtpmap(*u) == "0 PCMU/8000");
    CHECK_FALSE(parse_rtpmap("128 x/8000").ok());
    CHECK_FALSE(parse_rtpmap("96 opus/48000/0").ok());
    CHECK_FALSE(parse_rtpmap("96 /8000").ok());
}

TEST_CASE("rtpmap: static payload types need no rtpmap (RFC 3551 table 4)") {
    CHECK(static_payload_type(0) == Rtpmap{0, "PCMU", 8000, std::nullopt});
    CHECK(static_payload_type(8) == Rtpmap{8, "PCMA", 8000, std::nullopt});
    CHECK(static_payload_type(9) == Rtpmap{9, "G722", 8000, std::nullopt});
    CHECK(static_payload_type(18) == Rtpmap{18, "G729", 8000, std::nullopt});
    CHECK(static_payload_type(3) == Rtpmap{3, "GSM", 8000, std::nullopt});
    CHECK(static_payload_type(10)->channel_count() == 2);
    CHECK_FALSE(static_payload_type(19));
    CHECK_FALSE(static_payload_type(96));
    CHECK(is_dynamic_payload_type(96));
    CHECK_FALSE(is_dynamic_payload_type(95));
}

TEST_CASE("rtpmap: a format's meaning comes from its rtpmap, else from the static table") {
    auto s = parse_ok(kHead + "m=audio 1 RTP/AVP 0 8 96 97\r\na=rtpmap:96 opus/48000/2\r\n"
                              "a=rtpmap:0 pcmu/8000\r\n");
    const auto& m = s.media[0];
    CHECK(rtpmap_for(m, "0")->encoding == "pcmu");  // an explicit rtpmap wins
    CHECK(rtpmap_for(m, "8")->encoding == "PCMA");
    CHECK(rtpmap_for(m, "96")->clock_rate == 48000);
    CHECK_FALSE(rtpmap_for(m, "97"));  // dynamic without rtpmap means nothing
}

TEST_CASE("codec: matching ignores case and needs equal clock and channels") {
    CHECK(Codec::pcmu().matches(Rtpmap{0, "pcmu", 8000, std::nullopt}));
    CHECK_FALSE(Codec::pcmu().matches(Rtpmap{0, "PCMU", 16000, std::nullopt}));
    CHECK(Codec::opus().matches(Rtpmap{111, "OPUS", 48000, 2u}));
    // RFC 7587 §7: opus is always /48000/2; a bare opus/48000 is another thing.
    CHECK_FALSE(Codec::opus().matches(Rtpmap{111, "opus", 48000, std::nullopt}));
    CHECK(is_telephone_event(Rtpmap{101, "Telephone-Event", 8000, std::nullopt}));
}

TEST_CASE("fmtp: format and parameters; parameters split on ';' with spaces ignored") {
    auto f = parse_fmtp("102 useinbandfec=1; maxaveragebitrate=30000; ptime=20");
    REQUIRE(f.ok());
    CHECK(f->format == "102");
    CHECK(f->parameters == "useinbandfec=1; maxaveragebitrate=30000; ptime=20");
    auto p = split_fmtp_parameters(f->parameters);
    REQUIRE(p.size() == 3);
    CHECK(p[1].name == "maxaveragebitrate");
    CHECK(p[1].value == "30000");
    CHECK(fmtp_parameter(f->parameters, "PTIME") == std::string("20"));
    CHECK_FALSE(fmtp_parameter(f->parameters, "stereo"));
    auto bare = parse_fmtp("101");
    REQUIRE(bare.ok());
    CHECK(bare->parameters.empty());
}

TEST_CASE("fmtp: Opus parameters of RFC 7587 §6.1") {
    auto o = parse_opus_parameters(
        "maxplaybackrate=16000;sprop-maxcapturerate=16000;maxaveragebitrate=24000;stereo=1;sprop-stereo=0;"
        "cbr=1;useinbandfec=1;usedtx=0;ptime=40;minptime=10;maxptime=60;x-unknown=7");
    REQUIRE(o.ok());
    CHECK(o->max_playback_rate == 16000u);
    CHECK(o->sprop_max_capture_rate == 16000u);
    CHECK(o->max_average_bitrate == 24000u);
    CHECK(o->stereo == true);
    CHECK(o->sprop_stereo == false);
    CHECK(o->cbr == true);
    CHECK(o->use_inband_fec == true);
    CHECK(o->use_dtx == false);
    CHECK(o->ptime == 40u);
    CHECK(o->minptime == 10u);
    CHECK(o->maxptime == 60u);
    auto empty = parse_opus_parameters("");
    REQUIRE(empty.ok());
    CHECK_FALSE(empty->use_inband_fec);
}

TEST_CASE("fmtp: Opus parameters with bad values are named") {
    auto e = parse_opus_parameters("useinbandfec=yes");
    REQUIRE_FALSE(e.ok());
    CHECK(e.error().message == "opus fmtp useinbandfec=yes: must be 0 or 1");
    auto b = parse_opus_parameters("maxaveragebitrate=600000");
    REQUIRE_FALSE(b.ok());
    CHECK(b.error().message.find("6000 to 510000") != std::string::npos);
}

TEST_CASE("fmtp: telephone-event lists 0-15, 0-16 and single events") {
    auto a = parse_event_list("0-15");
    REQUIRE(a.ok());
    CHECK(*a == std::vector<EventRange>{{0, 15}});
    auto b = parse_event_list("0-15,66,70-72");
    REQUIRE(b.ok());
    CHECK(b->size() == 3);
    CHECK(format_event_list(*b) == "0-15,66,70-72");
    CHECK(format_event_list(intersect_events(*b, {{0, 16}})) == "0-15");
    CHECK(format_event_list(intersect_events({{0, 16}}, {{0, 16}})) == "0-16");
    CHECK(intersect_events({{32, 40}}, {{0, 16}}).empty());
    CHECK_FALSE(parse_event_list("").ok());
    CHECK_FALSE(parse_event_list("15-0").ok());
    CHECK_FALSE(parse_event_list("0-256").ok());
    CHECK_FALSE(parse_event_list("0-15,").ok());
}

TEST_CASE("direction: media level wins over session level; sendrecv by default") {
    auto s = parse_ok(kHead + "a=sendonly\r\nm=audio 1 RTP/AVP 0\r\na=inactive\r\nm=audio 2 RTP/AVP 0\r\n");
    CHECK(effective_direction(s, s.media[0]) == Direction::Inactive);
    CHECK(effective_direction(s, s.media[1]) == Direction::SendOnly);
    auto plain = parse_ok(kHead + "m=audio 1 RTP/AVP 0\r\n");
    CHECK(effective_direction(plain, plain.media[0]) == Direction::SendRecv);
}

TEST_CASE("direction: reverse swaps sendonly and recvonly") {
    CHECK(reverse(Direction::SendOnly) == Direction::RecvOnly);
    CHECK(reverse(Direction::RecvOnly) == Direction::SendOnly);
    CHECK(reverse(Direction::SendRecv) == Direction::SendRecv);
    CHECK(reverse(Direction::Inactive) == Direction::Inactive);
    CHECK(direction_from_name("SENDONLY") == Direction::SendOnly);
    CHECK_FALSE(direction_from_name("both"));
}

TEST_CASE("rtcp: port and optional address (RFC 3605 §2.1)") {
    auto r = parse_rtcp("53020");
    REQUIRE(r.ok());
    CHECK(r->port == 53020);
    CHECK_FALSE(r->connection);
    auto a = parse_rtcp("53020 IN IP6 2001:2345:6789:ABCD:EF01:2345:6789:ABCD");
    REQUIRE(a.ok());
    REQUIRE(a->connection);
    CHECK(a->connection->address_type == AddressType::IP6);
    CHECK(format_rtcp(*a) == "53020 IN IP6 2001:2345:6789:ABCD:EF01:2345:6789:ABCD");
    CHECK_FALSE(parse_rtcp("70000").ok());
}

TEST_CASE("ptime: media level, else session level; fractions round down") {
    auto s = parse_ok(kHead + "a=ptime:30\r\nm=audio 1 RTP/AVP 0\r\na=ptime:20\r\na=maxptime:150\r\n"
                              "m=audio 2 RTP/AVP 0\r\n");
    CHECK(packet_time(s, s.media[0]) == 20u);
    CHECK(packet_time(s, s.media[1]) == 30u);
    CHECK(max_packet_time(s, s.media[0]) == 150u);
    CHECK_FALSE(max_packet_time(s, s.media[1]));
    CHECK(parse_packet_time("20.0").value() == 20u);
    CHECK_FALSE(parse_packet_time("20.").ok());
}

TEST_CASE("rtcp-mux is a media-level flag (RFC 5761 §5.1.1)") {
    auto s = parse_ok(kHead + "m=audio 1 RTP/AVP 0\r\na=rtcp-mux\r\nm=audio 2 RTP/AVP 0\r\n");
    CHECK(rtcp_mux(s.media[0]));
    CHECK_FALSE(rtcp_mux(s.media[1]));
}
