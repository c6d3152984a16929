// How a UserAgent picks the RTP port it offers for each call.
#include "call_wire.hpp"

#include <doctest/doctest.h>

#include <set>
#include <string>

using namespace dialtone;
using namespace dialtone::ua;
using namespace dialtone::ua::test;

namespace {
std::uint16_t offered_port(const Sent& invite) {
    const auto at = invite.bytes.find("m=audio ");
    REQUIRE(at != std::string::npos);
    return static_cast<std::uint16_t>(std::stoi(invite.bytes.substr(at + 8)));
}
}  // namespace

TEST_CASE("RTP ports: each UserAgent starts at its own place in the range, then takes them in turn") {
    // Two processes sharing a range (the default one) should seldom offer the same port.
    std::set<std::uint16_t> first_ports;
    for (std::uint64_t seed = 1; seed <= 8; ++seed) {
        Wire w;
        Node& alice = w.add("alice", node_config("alice", 5060), seed);
        Node& bob = w.add("bob", node_config("bob", 5070), 100 + seed);
        (void)alice.ua->call(w.uri_of(bob), {}, w.now);
        (void)alice.ua->call(w.uri_of(bob), {}, w.now);
        w.flush();
        const auto invites = w.sent("INVITE", "alice");
        REQUIRE(invites.size() == 2);
        const std::uint16_t first = offered_port(invites[0]), second = offered_port(invites[1]);
        const RtpPortRange range = alice.ua->config().rtp_ports;
        CHECK(first % 2 == 0);
        CHECK(first >= range.first);
        CHECK(first <= range.last);
        CHECK(second == (first + 2 <= range.last ? first + 2 : range.first));
        first_ports.insert(first);
    }
    CHECK(first_ports.size() > 4);
}
