// The top Via of a request received (RFC 3261 §18.2.1, RFC 3581 §4) and where the response goes
// (§18.2.2), seen from outside a UserAgent: the Via its response carries and the address it
// is sent to.
#include "call_wire.hpp"

#include "dialtone/sip/parser.hpp"
#include "dialtone/sip/typed.hpp"

#include <doctest/doctest.h>

using namespace dialtone;
using namespace dialtone::ua;
using namespace dialtone::ua::test;

namespace {

struct Answer {
    Datagram datagram;
    std::string top_via;
};

// An OPTIONS with the given top Via arrives from `source`; the UA's response comes back.
Answer options_from(const std::string& via, const Address& source, Transport transport = Transport::Udp,
                    std::uint64_t connection = 0) {
    base::SeededRandom random(3);
    UserAgent ua(node_config("bob", 5070), random);
    Datagram d;
    d.transport = transport;
    d.local = Address{"127.0.0.1", 5070};
    d.remote = source;
    d.connection = connection;
    d.bytes = "OPTIONS sip:bob@127.0.0.1:5070 SIP/2.0\r\n"
              "Via: " + via + "\r\n"
              "Via: SIP/2.0/UDP proxy.example.com;branch=z9hG4bKouter\r\n"
              "Max-Forwards: 70\r\n"
              "From: <sip:alice@atlanta.example.com>;tag=a1\r\n"
              "To: <sip:bob@127.0.0.1:5070>\r\n"
              "Call-ID: via-1@x\r\n"
              "CSeq: 1 OPTIONS\r\n"
              "Content-Length: 0\r\n\r\n";
    ua.on_datagram(d, base::TimePoint{});
    auto out = ua.poll_transmit();
    REQUIRE(out);
    auto m = sip::parse_message(out->bytes);
    REQUIRE(m.ok());
    CHECK(m->status_code() == 200);
    auto vias = m->values(sip::HeaderId::Via);
    REQUIRE(vias.size() == 2);
    CHECK(vias[1] == "SIP/2.0/UDP proxy.example.com;branch=z9hG4bKouter");
    return Answer{*out, std::string(vias[0])};
}

}  // namespace

TEST_CASE("received and rport: the Via the response carries and the address it goes to") {
    // Plain pointers and numbers only: GCC 12 at -O3 warns falsely about a table of std::string.
    struct Endpoint {
        const char* host;
        std::uint16_t port;
        Address address() const { return Address{host, port}; }
    };
    struct Case {
        const char* what;
        const char* via;
        Endpoint source;
        const char* answered_via;
        Endpoint answered_at;
    };
    const Case cases[] = {
        {"§18.2.1: a sent-by host other than the source earns received=; no rport, so the sent-by port",
         "SIP/2.0/UDP pc33.atlanta.example.com:5066;branch=z9hG4bKa1", {"192.0.2.9", 41000},
         "SIP/2.0/UDP pc33.atlanta.example.com:5066;branch=z9hG4bKa1;received=192.0.2.9", {"192.0.2.9", 5066}},
        {"§18.2.2: a sent-by without a port is answered at 5060",
         "SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bKa2", {"192.0.2.9", 41000},
         "SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bKa2;received=192.0.2.9", {"192.0.2.9", 5060}},
        {"a sent-by equal to the source is left as it came",
         "SIP/2.0/UDP 192.0.2.9:5060;branch=z9hG4bKa3", {"192.0.2.9", 5060},
         "SIP/2.0/UDP 192.0.2.9:5060;branch=z9hG4bKa3", {"192.0.2.9", 5060}},
        {"RFC 3581 §4: an empty rport gets the source port, received is added, both are used",
         "SIP/2.0/UDP 192.0.2.9:5060;rport;branch=z9hG4bKa4", {"192.0.2.9", 41000},
         "SIP/2.0/UDP 192.0.2.9:5060;rport=41000;branch=z9hG4bKa4;received=192.0.2.9", {"192.0.2.9", 41000}},
        {"rport behind a NAT: address and port both from the source",
         "SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bKa5;rport", {"198.51.100.7", 3478},
         "SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bKa5;rport=3478;received=198.51.100.7", {"198.51.100.7", 3478}},
        {"RFC 5118 §4.5: an IPv6 source goes in received without brackets",
         "SIP/2.0/UDP host.example.com;branch=z9hG4bKa6", {"2001:db8::9", 5060},
         "SIP/2.0/UDP host.example.com;branch=z9hG4bKa6;received=2001:db8::9", {"2001:db8::9", 5060}},
    };
    for (const Case& c : cases) {
        CAPTURE(c.what);
        Answer a = options_from(c.via, c.source.address());
        CHECK(a.top_via == c.answered_via);
        CHECK(a.datagram.remote == c.answered_at.address());
    }
}

TEST_CASE("received over TCP: the response takes the connection the request came on") {
    Answer a = options_from("SIP/2.0/TCP pc33.atlanta.example.com:5062;branch=z9hG4bKa7;rport", {"192.0.2.9", 40123},
                            Transport::Tcp, 12);
    CHECK(a.top_via == "SIP/2.0/TCP pc33.atlanta.example.com:5062;branch=z9hG4bKa7;rport=40123;received=192.0.2.9");
    CHECK(a.datagram.transport == Transport::Tcp);
    CHECK(a.datagram.connection == 12);
    // Should that connection be gone, §18.2.2: a new one to received at the sent-by port.
    CHECK(a.datagram.remote == Address{"192.0.2.9", 5062});
}
