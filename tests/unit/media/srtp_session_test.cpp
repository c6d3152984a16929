#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "dialtone/media/srtp_session.hpp"

using namespace dialtone::media;

namespace {

std::vector<std::uint8_t> key_for(SrtpProfile p, std::uint8_t seed = 1) {
    std::vector<std::uint8_t> k(srtp_key_salt_length(p));
    for (std::size_t i = 0; i < k.size(); ++i) k[i] = static_cast<std::uint8_t>(seed + i * 7);
    return k;
}

// RTP version 2, PT 0, the given sequence number, SSRC 0x11223344, 160 bytes of payload.
std::vector<std::uint8_t> rtp_packet(std::uint16_t seq) {
    std::vector<std::uint8_t> p = {0x80, 0x00, static_cast<std::uint8_t>(seq >> 8), static_cast<std::uint8_t>(seq),
                                   0x00, 0x00, 0x10, 0x00, 0x11, 0x22, 0x33, 0x44};
    for (int i = 0; i < 160; ++i) p.push_back(static_cast<std::uint8_t>(i));
    return p;
}

// An RTCP receiver report with no report blocks: V=2, PT=201, length 1, SSRC.
std::vector<std::uint8_t> rtcp_packet() { return {0x80, 0xC9, 0x00, 0x01, 0x11, 0x22, 0x33, 0x44}; }

std::size_t rtp_tag_length(SrtpProfile p) {
    switch (p) {
        case SrtpProfile::AesCm128HmacSha1_80: return 10;
        case SrtpProfile::AesCm128HmacSha1_32: return 4;
        default: return 16;
    }
}

}  // namespace

TEST_CASE("SRTP: every profile protects and unprotects RTP and RTCP round trip") {
    for (auto profile : {SrtpProfile::AesCm128HmacSha1_80, SrtpProfile::AesCm128HmacSha1_32,
                         SrtpProfile::AeadAes128Gcm, SrtpProfile::AeadAes256Gcm}) {
        CAPTURE(to_string(profile));
        auto tx = SrtpSession::create(profile, key_for(profile), SrtpSession::Direction::Outbound).value();
        auto rx = SrtpSession::create(profile, key_for(profile), SrtpSession::Direction::Inbound).value();
        for (std::uint16_t seq = 1000; seq < 1005; ++seq) {
            const auto plain = rtp_packet(seq);
            auto packet = plain;
            REQUIRE(tx.protect_rtp(packet));
            CHECK(packet.size() == plain.size() + rtp_tag_length(profile));
            // The header stays readable; the payload does not.
            CHECK(std::equal(plain.begin(), plain.begin() + 12, packet.begin()));
            CHECK_FALSE(std::equal(plain.begin() + 12, plain.end(), packet.begin() + 12));
            REQUIRE(rx.unprotect_rtp(packet));
            CHECK(packet == plain);
        }
        auto report = rtcp_packet();
        REQUIRE(tx.protect_rtcp(report));
        CHECK(report.size() > rtcp_packet().size() + 4);  // E flag + SRTCP index, then the tag
        REQUIRE(rx.unprotect_rtcp(report));
        CHECK(report == rtcp_packet());
    }
}

TEST_CASE("SRTP: a changed byte fails authentication and the packet is refused") {
    auto tx = SrtpSession::create(SrtpProfile::AesCm128HmacSha1_80, key_for(SrtpProfile::AesCm128HmacSha1_80),
                                  SrtpSession::Direction::Outbound).value();
    auto rx = SrtpSession::create(SrtpProfile::AesCm128HmacSha1_80, key_for(SrtpProfile::AesCm128HmacSha1_80),
                                  SrtpSession::Direction::Inbound).value();
    auto packet = rtp_packet(7);
    REQUIRE(tx.protect_rtp(packet));
    packet[40] ^= 0x01;
    auto r = rx.unprotect_rtp(packet);
    REQUIRE_FALSE(r);
    CHECK(r.error().message == "SRTP: authentication failed");
}

TEST_CASE("SRTP: a replayed packet is refused (RFC 3711 §3.3.2)") {
    const auto p = SrtpProfile::AeadAes128Gcm;
    auto tx = SrtpSession::create(p, key_for(p), SrtpSession::Direction::Outbound).value();
    auto rx = SrtpSession::create(p, key_for(p), SrtpSession::Direction::Inbound).value();
    auto packet = rtp_packet(42);
    REQUIRE(tx.protect_rtp(packet));
    auto copy = packet;
    REQUIRE(rx.unprotect_rtp(packet));
    auto again = rx.unprotect_rtp(copy);
    REQUIRE_FALSE(again);
    CHECK(again.error().message == "SRTP: replayed packet");
}

TEST_CASE("SRTP: a different key cannot read the stream") {
    const auto p = SrtpProfile::AesCm128HmacSha1_32;
    auto tx = SrtpSession::create(p, key_for(p, 1), SrtpSession::Direction::Outbound).value();
    auto rx = SrtpSession::create(p, key_for(p, 2), SrtpSession::Direction::Inbound).value();
    auto packet = rtp_packet(1);
    REQUIRE(tx.protect_rtp(packet));
    CHECK_FALSE(rx.unprotect_rtp(packet));
}

TEST_CASE("SRTP: wrong key lengths, short packets, small buffers and wrong directions are errors") {
    const auto p = SrtpProfile::AeadAes256Gcm;
    auto bad_key = SrtpSession::create(p, key_for(SrtpProfile::AesCm128HmacSha1_80), SrtpSession::Direction::Outbound);
    REQUIRE_FALSE(bad_key);
    CHECK(bad_key.error().message == "SRTP: AEAD_AES_256_GCM needs 44 bytes of key and salt, got 30");

    auto tx = SrtpSession::create(p, key_for(p), SrtpSession::Direction::Outbound).value();
    std::vector<std::uint8_t> tiny = {0x80, 0x00, 0x00};
    auto r = tx.protect_rtp(tiny);
    REQUIRE_FALSE(r);
    CHECK(r.error().message.find("3 bytes") != std::string::npos);
    CHECK(tiny.size() == 3);

    auto packet = rtp_packet(5);
    auto no_room = tx.protect_rtp(std::span(packet), packet.size());
    REQUIRE_FALSE(no_room);
    CHECK(no_room.error().message.find("no room") != std::string::npos);

    auto wrong_way = tx.unprotect_rtp(packet);
    REQUIRE_FALSE(wrong_way);
    CHECK(wrong_way.error().message == "SRTP: this session only protects");
}

TEST_CASE("SRTP: protecting in a caller's buffer returns the new length") {
    const auto p = SrtpProfile::AesCm128HmacSha1_80;
    auto tx = SrtpSession::create(p, key_for(p), SrtpSession::Direction::Outbound).value();
    auto rx = SrtpSession::create(p, key_for(p), SrtpSession::Direction::Inbound).value();
    const auto plain = rtp_packet(9);
    std::vector<std::uint8_t> buffer(1500);
    std::copy(plain.begin(), plain.end(), buffer.begin());
    auto n = tx.protect_rtp(buffer, plain.size());
    REQUIRE(n);
    CHECK(*n == plain.size() + 10);
    auto m = rx.unprotect_rtp(buffer, *n);
    REQUIRE(m);
    CHECK(*m == plain.size());
    CHECK(std::equal(plain.begin(), plain.end(), buffer.begin()));
}
