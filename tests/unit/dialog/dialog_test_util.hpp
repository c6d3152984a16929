#pragma once
// Messages of the RFC 3261 §24.2 / RFC 3665 style, written with "\n" and parsed as wire bytes.
#include "dialtone/sip/message.hpp"
#include "dialtone/sip/parser.hpp"
#include "dialtone/sip/via.hpp"

#include <doctest/doctest.h>

#include <string>
#include <string_view>

namespace dialtone::dialog::test {

inline sip::Message msg(std::string_view text) {
    std::string wire;
    for (char c : text) {
        if (c == '\n') wire += "\r\n";
        else wire += c;
    }
    auto m = sip::parse_message(wire);
    REQUIRE_MESSAGE(m.ok(), (m.ok() ? "" : m.error().message));
    return std::move(m).value();
}

inline sip::Via via(std::string branch) {
    sip::Via v;
    v.host.name = "pc33.atlanta.com";
    v.set_branch(std::move(branch));
    return v;
}

// Alice's INVITE to Bob through two proxies, as a UAC sends it.
inline constexpr std::string_view kInvite =
    "INVITE sip:bob@biloxi.com SIP/2.0\n"
    "Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bKnashds8\n"
    "Max-Forwards: 70\n"
    "To: Bob <sip:bob@biloxi.com>\n"
    "From: Alice <sip:alice@atlanta.com>;tag=1928301774\n"
    "Call-ID: a84b4c76e66710\n"
    "CSeq: 314159 INVITE\n"
    "Contact: <sip:alice@pc33.atlanta.com>\n"
    "Content-Length: 0\n\n";

// The same INVITE as Bob receives it, with the proxies' Record-Route.
inline constexpr std::string_view kInviteAtBob =
    "INVITE sip:bob@192.0.2.4 SIP/2.0\n"
    "Via: SIP/2.0/UDP server10.biloxi.com;branch=z9hG4bK4b43c2ff8.1\n"
    "Via: SIP/2.0/UDP bigbox3.site3.atlanta.com;branch=z9hG4bK77ef4c2312983.1\n"
    "Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bKnashds8;received=192.0.2.1\n"
    "Max-Forwards: 68\n"
    "Record-Route: <sip:server10.biloxi.com;lr>\n"
    "Record-Route: <sip:bigbox3.site3.atlanta.com;lr>\n"
    "To: Bob <sip:bob@biloxi.com>\n"
    "From: Alice <sip:alice@atlanta.com>;tag=1928301774\n"
    "Call-ID: a84b4c76e66710\n"
    "CSeq: 314159 INVITE\n"
    "Contact: <sip:alice@pc33.atlanta.com>\n"
    "Content-Length: 0\n\n";

}  // namespace dialtone::dialog::test
