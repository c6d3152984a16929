// Hold and resume (RFC 3264 §8.4) and SRTP negotiation (RFC 4568 §7).
#include "test_util.hpp"

#include <optional>

#include "dialtone/sdp/base64.hpp"

using namespace sdp_test;

namespace {

const std::string kHead =
    "v=0\n"
    "o=peer 77 1 IN IP4 198.51.100.2\n"
    "s=-\n"
    "c=IN IP4 198.51.100.2\n"
    "t=0 0\n";

SessionDescription remote(const std::string& media) { return sdp(kHead + media); }

std::string crypto_line(unsigned tag, SrtpSuite suite, char fill = 'p') {
    return "a=crypto:" + std::to_string(tag) + " " + std::string(to_string(suite)) + " inline:" +
           base64_encode(std::string(key_salt_length(suite), fill)) + "\n";
}

NegotiatorConfig srtp_config(SrtpMode mode, std::vector<LocalKey> keys) {
    auto c = config();
    c.srtp = mode;
    c.keys = std::move(keys);
    return c;
}

}  // namespace

TEST_CASE("hold: our sendonly offer answered recvonly holds the peer; sendrecv resumes") {
    auto n = negotiator();
    REQUIRE(n.create_offer().ok());
    REQUIRE(n.receive_answer(remote("m=audio 6000 RTP/AVP 0\n")).ok());
    CHECK(n.media()[0].direction == Direction::SendRecv);

    n.set_direction(Direction::SendOnly);
    auto hold = n.create_offer();
    REQUIRE(hold.ok());
    CHECK(attr(hold->media[0], "sendonly"));
    REQUIRE(n.receive_answer(remote("m=audio 6000 RTP/AVP 0\na=recvonly\n")).ok());
    CHECK(n.media()[0].direction == Direction::SendOnly);

    n.set_direction(Direction::SendRecv);
    REQUIRE(n.create_offer().ok());
    REQUIRE(n.receive_answer(remote("m=audio 6000 RTP/AVP 0\na=sendrecv\n")).ok());
    CHECK(n.media()[0].direction == Direction::SendRecv);
}

TEST_CASE("hold: a lax peer answering our sendonly offer with sendrecv still only receives") {
    auto c = config();
    c.direction = Direction::SendOnly;
    auto n = negotiator(c);
    REQUIRE(n.create_offer().ok());
    REQUIRE(n.receive_answer(remote("m=audio 6000 RTP/AVP 0\n")).ok());
    CHECK(n.media()[0].direction == Direction::SendOnly);
}

TEST_CASE("hold: inactive offered and answered") {
    auto c = config();
    c.direction = Direction::Inactive;
    auto n = negotiator(c);
    auto o = n.create_offer();
    REQUIRE(o.ok());
    CHECK(attr(o->media[0], "inactive"));
    REQUIRE(n.receive_answer(remote("m=audio 6000 RTP/AVP 0\na=inactive\n")).ok());
    CHECK(n.media()[0].direction == Direction::Inactive);
}

TEST_CASE("hold: the answer to an offer follows RFC 3264 §6.1 directions") {
    struct Row {
        std::string offered;  // attribute line, or "" for none
        Direction ours;
        std::string answered;
        Direction local;
    };
    const std::vector<Row> table = {
        {"", Direction::SendRecv, "sendrecv", Direction::SendRecv},
        {"a=sendonly\n", Direction::SendRecv, "recvonly", Direction::RecvOnly},
        {"a=recvonly\n", Direction::SendRecv, "sendonly", Direction::SendOnly},
        {"a=inactive\n", Direction::SendRecv, "inactive", Direction::Inactive},
        {"a=sendrecv\n", Direction::SendOnly, "sendonly", Direction::SendOnly},
        {"a=sendonly\n", Direction::SendOnly, "inactive", Direction::Inactive},
        {"a=sendrecv\n", Direction::Inactive, "inactive", Direction::Inactive},
        {"a=recvonly\n", Direction::RecvOnly, "inactive", Direction::Inactive},
    };
    for (const auto& row : table) {
        CAPTURE(row.offered);
        CAPTURE(to_string(row.ours));
        auto c = config();
        c.direction = row.ours;
        auto n = negotiator(c);
        auto a = answer_to(n, remote("m=audio 6000 RTP/AVP 0\n" + row.offered));
        CHECK(attr(a.media[0], row.answered));
        CHECK(n.media()[0].direction == row.local);
    }
}

TEST_CASE("hold: session-level sendonly applies when the media level says nothing") {
    auto n = negotiator();
    auto a = answer_to(n, sdp(kHead + "a=sendonly\nm=audio 6000 RTP/AVP 0\n"));
    CHECK(attr(a.media[0], "recvonly"));
    CHECK(n.media()[0].direction == Direction::RecvOnly);
}

TEST_CASE("hold: a peer's c=0.0.0.0 (RFC 2543) is treated as hold") {
    auto n = negotiator();
    auto a = answer_to(n, sdp("v=0\no=old 1 2 IN IP4 192.0.2.40\ns=-\nc=IN IP4 0.0.0.0\nt=0 0\n"
                              "m=audio 6000 RTP/AVP 0\n"));
    CHECK(attr(a.media[0], "recvonly"));
    CHECK(n.media()[0].direction == Direction::RecvOnly);
    CHECK(n.media()[0].remote_hold_address);
}

TEST_CASE("hold: a peer holding and resuming within a dialog, version and session id kept") {
    auto n = negotiator();
    auto a1 = answer_to(n, remote("m=audio 6000 RTP/AVP 0\n"));
    auto a2 = answer_to(n, remote("m=audio 6000 RTP/AVP 0\na=sendonly\n"));
    CHECK(n.media()[0].direction == Direction::RecvOnly);
    CHECK(a2.origin.session_id == a1.origin.session_id);
    CHECK(a2.origin.session_version == a1.origin.session_version + 1);
    auto a3 = answer_to(n, remote("m=audio 6000 RTP/AVP 0\na=sendrecv\n"));
    CHECK(n.media()[0].direction == Direction::SendRecv);
    CHECK(a3.origin.session_version == a1.origin.session_version + 2);
    CHECK(a3.media[0].port == a1.media[0].port);
}

TEST_CASE("srtp: mandatory offers RTP/SAVP with one crypto line per key") {
    auto n = negotiator(srtp_config(SrtpMode::Mandatory,
                                    {key(SrtpSuite::AesCm128HmacSha1_80, 'a'), key(SrtpSuite::AeadAes128Gcm, 'b')}));
    auto o = n.create_offer();
    REQUIRE(o.ok());
    CHECK(o->media[0].proto == "RTP/SAVP");
    auto lines = find_attributes(o->media[0].attributes, "crypto");
    REQUIRE(lines.size() == 2);
    CHECK(*lines[0]->value == "1 AES_CM_128_HMAC_SHA1_80 inline:" + base64_encode(std::string(30, 'a')));
    CHECK(*lines[1]->value == "2 AEAD_AES_128_GCM inline:" + base64_encode(std::string(28, 'b')));
}

TEST_CASE("srtp: optional offers RTP/AVP with crypto lines; off offers none") {
    auto opt = negotiator(srtp_config(SrtpMode::Optional, {key(SrtpSuite::AesCm128HmacSha1_32)}));
    auto o = opt.create_offer();
    REQUIRE(o.ok());
    CHECK(o->media[0].proto == "RTP/AVP");
    CHECK(find_attributes(o->media[0].attributes, "crypto").size() == 1);
    auto off = negotiator(srtp_config(SrtpMode::Off, {key(SrtpSuite::AesCm128HmacSha1_32)}));
    auto p = off.create_offer();
    REQUIRE(p.ok());
    CHECK(find_attributes(p->media[0].attributes, "crypto").empty());
}

TEST_CASE("srtp: the answer picks the offerer's first usable crypto line and keeps its tag") {
    auto n = negotiator(srtp_config(SrtpMode::Mandatory,
                                    {key(SrtpSuite::AesCm128HmacSha1_80, 'a'), key(SrtpSuite::AesCm128HmacSha1_32, 'b')}));
    auto a = answer_to(n, remote("m=audio 6000 RTP/SAVP 0\n" +
                                 std::string("a=crypto:1 AES_256_CM_HMAC_SHA1_80 inline:") +
                                 base64_encode(std::string(46, 'z')) + "\n" +
                                 crypto_line(2, SrtpSuite::AeadAes256Gcm) +
                                 "a=crypto:3 AES_CM_128_HMAC_SHA1_32 inline:" + base64_encode(std::string(30, 'q')) +
                                 " UNENCRYPTED_SRTP\n" + crypto_line(4, SrtpSuite::AesCm128HmacSha1_32, 'r') +
                                 crypto_line(5, SrtpSuite::AesCm128HmacSha1_80, 's')));
    CHECK(a.media[0].proto == "RTP/SAVP");
    auto lines = find_attributes(a.media[0].attributes, "crypto");
    REQUIRE(lines.size() == 1);
    CHECK(*lines[0]->value == "4 AES_CM_128_HMAC_SHA1_32 inline:" + base64_encode(std::string(30, 'b')));
    const auto& m = n.media()[0];
    REQUIRE(m.srtp);
    CHECK(m.srtp->suite == SrtpSuite::AesCm128HmacSha1_32);
    CHECK(m.srtp->tag == 4);
    CHECK(m.srtp->local.key_salt == std::string(30, 'b'));
    CHECK(m.srtp->remote.key_salt == std::string(30, 'r'));
}

TEST_CASE("srtp: mandatory and an offer without usable crypto is a 488") {
    auto n = negotiator(srtp_config(SrtpMode::Mandatory, {key(SrtpSuite::AesCm128HmacSha1_80)}));
    const std::string expected = "302 dialtone \"SRTP required but no usable crypto attribute offered\"";
    for (const std::string& media :
         {std::string("m=audio 6000 RTP/AVP 0\n"), std::string("m=audio 6000 RTP/SAVP 0\n"),
          "m=audio 6000 RTP/SAVP 0\n" + crypto_line(1, SrtpSuite::AeadAes128Gcm)}) {
        CAPTURE(media);
        auto s = n.receive_offer(remote(media));
        REQUIRE_FALSE(s.ok());
        CHECK(s.error().status == 488);
        CHECK(s.error().message == expected);
    }
}

TEST_CASE("srtp: crypto lines with an MKI or several keys are skipped; none left is a 488") {
    // Nothing keys libsrtp2 with an MKI, so the peer's packets (which carry it) would all fail.
    const std::string k80 = base64_encode(std::string(30, 'm')), k80b = base64_encode(std::string(30, 'n'));
    const std::string mki = "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" + k80 + "|2^20|1:4\n";
    const std::string two_keys =
        "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" + k80 + "|2^20|1:4;inline:" + k80b + "|2^20|2:4\n";
    const std::string lifetime_only = "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" + k80 + "|2^31\n";
    struct Row {
        SrtpMode mode;
        std::string media;
        std::optional<std::uint32_t> tag;  // the line chosen; none: no SRTP (488 if required)
    };
    const std::string savp = "m=audio 6000 RTP/SAVP 0\n", avp = "m=audio 6000 RTP/AVP 0\n";
    const std::vector<Row> table = {
        {SrtpMode::Mandatory, savp + mki + crypto_line(2, SrtpSuite::AesCm128HmacSha1_80), 2},
        {SrtpMode::Mandatory, savp + two_keys + crypto_line(2, SrtpSuite::AeadAes128Gcm), 2},
        {SrtpMode::Mandatory, savp + lifetime_only, 1},
        {SrtpMode::Mandatory, savp + mki, std::nullopt},
        {SrtpMode::Mandatory, savp + two_keys, std::nullopt},
        {SrtpMode::Optional, savp + mki, std::nullopt},
        {SrtpMode::Optional, avp + mki, std::nullopt},
    };
    for (const auto& row : table) {
        CAPTURE(row.media);
        auto n = negotiator(srtp_config(row.mode, {key(SrtpSuite::AesCm128HmacSha1_80, 'a'),
                                                    key(SrtpSuite::AeadAes128Gcm, 'b')}));
        const bool refused = !row.tag && (row.mode == SrtpMode::Mandatory || row.media.starts_with(savp));
        if (refused) {
            auto s = n.receive_offer(remote(row.media));
            REQUIRE_FALSE(s.ok());
            CHECK(s.error().status == 488);
            CHECK(s.error().message == "302 dialtone \"SRTP required but no usable crypto attribute offered\"");
            continue;
        }
        auto a = answer_to(n, remote(row.media));
        const auto& m = n.media()[0];
        auto lines = find_attributes(a.media[0].attributes, "crypto");
        if (!row.tag) {
            CHECK_FALSE(m.srtp);
            CHECK(lines.empty());
            continue;
        }
        REQUIRE(m.srtp);
        CHECK(m.srtp->tag == *row.tag);
        CHECK_FALSE(m.srtp->remote.mki);
        REQUIRE(lines.size() == 1);
        CHECK(lines[0]->value->find('|') == std::string::npos);  // our key has no MKI either
    }
}

TEST_CASE("srtp: an answer whose crypto line has an MKI is refused, not run with failing packets") {
    auto n = negotiator(srtp_config(SrtpMode::Mandatory, {key(SrtpSuite::AesCm128HmacSha1_80)}));
    REQUIRE(n.create_offer().ok());
    auto s = n.receive_answer(remote("m=audio 6000 RTP/SAVP 0\na=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" +
                                     base64_encode(std::string(30, 'x')) + "|2^20|7:2\n"));
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().status == 488);
    CHECK(s.error().message == "answer m-line 1: crypto tag 1 answered with an MKI or several keys");
}

TEST_CASE("srtp: mandatory accepts RTP/AVP with a usable crypto line and answers in kind") {
    auto n = negotiator(srtp_config(SrtpMode::Mandatory, {key(SrtpSuite::AesCm128HmacSha1_80)}));
    auto a = answer_to(n, remote("m=audio 6000 RTP/AVP 0\n" + crypto_line(7, SrtpSuite::AesCm128HmacSha1_80)));
    CHECK(a.media[0].proto == "RTP/AVP");
    REQUIRE(n.media()[0].srtp);
    CHECK(n.media()[0].srtp->tag == 7);
}

TEST_CASE("srtp: optional takes plain RTP/AVP, RTP/AVP with crypto, and RTP/SAVP") {
    auto cfg = srtp_config(SrtpMode::Optional, {key(SrtpSuite::AesCm128HmacSha1_80)});
    auto plain = negotiator(cfg);
    auto a = answer_to(plain, remote("m=audio 6000 RTP/AVP 0\n"));
    CHECK(find_attributes(a.media[0].attributes, "crypto").empty());
    CHECK_FALSE(plain.media()[0].srtp);

    auto best_effort = negotiator(cfg);
    auto b = answer_to(best_effort, remote("m=audio 6000 RTP/AVP 0\n" + crypto_line(1, SrtpSuite::AesCm128HmacSha1_80)));
    CHECK(find_attributes(b.media[0].attributes, "crypto").size() == 1);
    CHECK(best_effort.media()[0].srtp);

    auto savp = negotiator(cfg);
    answer_to(savp, remote("m=audio 6000 RTP/SAVP 0\n" + crypto_line(1, SrtpSuite::AesCm128HmacSha1_80)));
    REQUIRE(savp.media()[0].srtp);
    CHECK(savp.media()[0].proto == "RTP/SAVP");
}

TEST_CASE("srtp: off declines RTP/SAVP and ignores crypto lines on RTP/AVP") {
    auto n = negotiator();
    auto s = n.receive_offer(remote("m=audio 6000 RTP/SAVP 0\n" + crypto_line(1, SrtpSuite::AesCm128HmacSha1_80)));
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().message == "302 dialtone \"RTP/SAVP offered but SRTP is off\"");
    auto a = answer_to(n, remote("m=audio 6000 RTP/AVP 0\n" + crypto_line(1, SrtpSuite::AesCm128HmacSha1_80)));
    CHECK(find_attributes(a.media[0].attributes, "crypto").empty());
    CHECK_FALSE(n.media()[0].srtp);
}

TEST_CASE("srtp: the answer's crypto line must carry an offered tag and its suite (RFC 4568 §7.1.2)") {
    auto cfg = srtp_config(SrtpMode::Mandatory,
                           {key(SrtpSuite::AesCm128HmacSha1_80, 'a'), key(SrtpSuite::AesCm128HmacSha1_32, 'b')});
    {
        auto n = negotiator(cfg);
        REQUIRE(n.create_offer().ok());
        REQUIRE(n.receive_answer(remote("m=audio 6000 RTP/SAVP 0\n" +
                                        crypto_line(2, SrtpSuite::AesCm128HmacSha1_32, 'x')))
                    .ok());
        const auto& m = n.media()[0];
        REQUIRE(m.srtp);
        CHECK(m.srtp->tag == 2);
        CHECK(m.srtp->local.key_salt == std::string(30, 'b'));
        CHECK(m.srtp->remote.key_salt == std::string(30, 'x'));
    }
    {
        auto n = negotiator(cfg);
        REQUIRE(n.create_offer().ok());
        auto s = n.receive_answer(remote("m=audio 6000 RTP/SAVP 0\n" + crypto_line(3, SrtpSuite::AesCm128HmacSha1_80)));
        REQUIRE_FALSE(s.ok());
        CHECK(s.error().message == "answer m-line 1: crypto tag 3 was not offered");
    }
    {
        auto n = negotiator(cfg);
        REQUIRE(n.create_offer().ok());
        auto s = n.receive_answer(remote("m=audio 6000 RTP/SAVP 0\n" + crypto_line(1, SrtpSuite::AesCm128HmacSha1_32)));
        REQUIRE_FALSE(s.ok());
        CHECK(s.error().message.find("crypto tag 1 answered with suite AES_CM_128_HMAC_SHA1_32") != std::string::npos);
    }
    {
        auto n = negotiator(cfg);
        REQUIRE(n.create_offer().ok());
        auto s = n.receive_answer(remote("m=audio 6000 RTP/SAVP 0\n"));
        REQUIRE_FALSE(s.ok());
        CHECK(s.error().message == "answer m-line 1: RTP/SAVP answered without a crypto attribute");
    }
}

TEST_CASE("srtp: optional offer answered without crypto falls back to plain RTP") {
    auto n = negotiator(srtp_config(SrtpMode::Optional, {key(SrtpSuite::AesCm128HmacSha1_80)}));
    REQUIRE(n.create_offer().ok());
    REQUIRE(n.receive_answer(remote("m=audio 6000 RTP/AVP 0\n")).ok());
    CHECK_FALSE(n.media()[0].srtp);
}
