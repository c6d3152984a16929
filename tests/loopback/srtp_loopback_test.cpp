// SRTP contexts across a re-INVITE: an RtpSession on 127.0.0.1 receives packets that a
// reference sender (one libsrtp2 context for the whole test) protects and sends from a plain socket.
#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "dialtone/io/rtp_session.hpp"
#include "dialtone/media/srtp_session.hpp"
#include "media_test_util.hpp"

using namespace dialtone;
using namespace dialtone::media_test;

namespace {

std::span<const std::uint8_t> bytes(const std::string& k) {
    return {reinterpret_cast<const std::uint8_t*>(k.data()), k.size()};
}

// Sends PCMU packets protected by one outbound context that lives as long as the sender.
class ReferenceSender {
public:
    ReferenceSender(media::SrtpProfile profile, const std::string& key_salt, std::uint16_t to_port)
        : fd_(socket(AF_INET, SOCK_DGRAM, 0)) {
        auto s = media::SrtpSession::create(profile, bytes(key_salt), media::SrtpSession::Direction::Outbound);
        REQUIRE(s.ok());
        srtp_ = std::make_unique<media::SrtpSession>(std::move(s).value());
        REQUIRE(fd_ >= 0);
        to_.sin_family = AF_INET;
        to_.sin_port = htons(to_port);
        to_.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    }
    ~ReferenceSender() { close(fd_); }
    ReferenceSender(const ReferenceSender&) = delete;
    ReferenceSender& operator=(const ReferenceSender&) = delete;

    // `index` is the packet's extended sequence number (RFC 3711 §3.3.1: ROC * 2^16 + SEQ).
    void send(std::uint32_t index) {
        const std::uint16_t seq = static_cast<std::uint16_t>(index);
        const std::uint32_t ts = index * 160;
        std::vector<std::uint8_t> p(12 + 160, 0xff);  // PCMU, SSRC 0x5ec07e11
        const std::uint8_t header[12] = {0x80, 0x00, static_cast<std::uint8_t>(seq >> 8), static_cast<std::uint8_t>(seq),
                                         static_cast<std::uint8_t>(ts >> 24), static_cast<std::uint8_t>(ts >> 16),
                                         static_cast<std::uint8_t>(ts >> 8), static_cast<std::uint8_t>(ts),
                                         0x5e, 0xc0, 0x7e, 0x11};
        std::copy(std::begin(header), std::end(header), p.begin());
        REQUIRE(srtp_->protect_rtp(p).ok());
        REQUIRE(sendto(fd_, p.data(), p.size(), 0, reinterpret_cast<const sockaddr*>(&to_), sizeof to_) ==
                static_cast<ssize_t>(p.size()));
    }

private:
    int fd_;
    sockaddr_in to_{};
    std::unique_ptr<media::SrtpSession> srtp_;
};

std::unique_ptr<io::RtpSession> receiver() {
    auto s = io::RtpSession::create(unbuffered_rtp(44000));
    REQUIRE(s.ok());
    REQUIRE((*s)->set_payloads(io::RtpPayloads{}));
    return std::move(s).value();
}

// oRTP reads the socket once per receive timestamp, so each call asks for a later one.
io::MediaStats drain(io::RtpSession& s) {
    static std::uint32_t tick = 0;
    sleep_ms(50);
    std::vector<io::ReceivedPacket> packets;
    (void)s.receive(tick += 160, packets);
    return s.stats();
}

}  // namespace

TEST_CASE("SRTP re-INVITE: the same keys again keep the context, so the rollover counter survives a sequence wrap") {
    // RFC 3711 §3.3.1: the receiver guesses the ROC from the highest sequence number it has
    // seen. A context rebuilt for an unchanged key (hold, resume, session refresh) forgets it,
    // and after the wrap every packet would fail authentication.
    const auto profile = media::SrtpProfile::AesCm128HmacSha1_80;
    const std::string ours = key_of(30, 3), theirs = key_of(30, 40);
    auto b = receiver();
    REQUIRE(b->set_srtp(profile, bytes(ours), bytes(theirs)));
    ReferenceSender a(profile, theirs, b->local_port());

    for (std::uint32_t i = 65530; i < 65536; ++i) a.send(i);
    auto s = drain(*b);
    REQUIRE(s.packets_received == 6);
    REQUIRE(s.srtp_auth_failures == 0);

    REQUIRE(b->set_srtp(profile, bytes(ours), bytes(theirs)));  // the re-INVITE's answer, keys kept
    for (std::uint32_t i = 65536; i < 65542; ++i) a.send(i);    // SEQ 0-5 under ROC 1
    s = drain(*b);
    CHECK(s.srtp_auth_failures == 0);
    CHECK(s.packets_received == 12);

    // A key that does change still takes effect: the old sender's packets now fail.
    REQUIRE(b->set_srtp(profile, bytes(ours), bytes(key_of(30, 77))));
    for (std::uint32_t i = 65542; i < 65545; ++i) a.send(i);
    s = drain(*b);
    CHECK(s.srtp_auth_failures == 3);
    CHECK(s.packets_received == 12);
}

TEST_CASE("SRTP re-INVITE: a new suite with the same key bytes gets new contexts") {
    const std::string ours = key_of(30, 5), theirs = key_of(30, 50);
    auto b = receiver();
    REQUIRE(b->set_srtp(media::SrtpProfile::AesCm128HmacSha1_80, bytes(ours), bytes(theirs)));
    REQUIRE(b->set_srtp(media::SrtpProfile::AesCm128HmacSha1_32, bytes(ours), bytes(theirs)));
    ReferenceSender a(media::SrtpProfile::AesCm128HmacSha1_32, theirs, b->local_port());
    for (std::uint32_t i = 100; i < 104; ++i) a.send(i);
    auto s = drain(*b);
    CHECK(s.srtp_auth_failures == 0);
    CHECK(s.packets_received == 4);
}
