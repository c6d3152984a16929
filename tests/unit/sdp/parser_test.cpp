#include <doctest/doctest.h>

#include <string>

#include "dialtone/sdp/parser.hpp"
#include "dialtone/sdp/serializer.hpp"

using namespace dialtone::sdp;

namespace {

std::string crlf(std::string s) {
    std::string out;
    for (char c : s) {
        if (c == '\n') out += '\r';
        out += c;
    }
    return out;
}

const std::string kMinimal = crlf(
    "v=0\n"
    "o=- 20518 0 IN IP4 203.0.113.1\n"
    "s= \n"
    "t=0 0\n");

// Parses and expects failure; returns the message.
std::string parse_error(const std::string& text) {
    auto r = parse(text);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().status == 400);
    return r.error().message;
}

}  // namespace

TEST_CASE("parse: the RFC 8866 §5 example session keeps every field") {
    const std::string text = crlf(
        "v=0\n"
        "o=jdoe 3724394400 3724394405 IN IP4 198.51.100.1\n"
        "s=Call to John Smith\n"
        "i=SDP Offer #1\n"
        "u=http://www.jdoe.example.com/home.html\n"
        "e=Jane Doe <jane@jdoe.example.com>\n"
        "p=+1 617 555-6011\n"
        "c=IN IP4 198.51.100.1\n"
        "t=0 0\n"
        "m=audio 49170 RTP/AVP 0\n"
        "m=audio 49180 RTP/AVP 0\n"
        "m=video 51372 RTP/AVP 99\n"
        "c=IN IP6 2001:db8::2\n"
        "a=rtpmap:99 h263-1998/90000\n");
    auto r = parse(text);
    REQUIRE(r.ok());
    const auto& s = *r;
    CHECK(s.origin.username == "jdoe");
    CHECK(s.origin.session_id == "3724394400");
    CHECK(s.origin.session_version == 3724394405u);
    CHECK(s.origin.address == "198.51.100.1");
    CHECK(s.name == "Call to John Smith");
    CHECK(s.information == "SDP Offer #1");
    CHECK(s.uri == "http://www.jdoe.example.com/home.html");
    REQUIRE(s.emails.size() == 1);
    REQUIRE(s.phones.size() == 1);
    REQUIRE(s.connection);
    CHECK(s.connection->address == "198.51.100.1");
    REQUIRE(s.media.size() == 3);
    CHECK(s.media[1].port == 49180);
    CHECK(s.media[2].media == "video");
    REQUIRE(s.media[2].connections.size() == 1);
    CHECK(s.media[2].connections[0].address_type == AddressType::IP6);
    CHECK(s.media[2].connections[0].address == "2001:db8::2");
    CHECK(serialize(s) == text);
}

TEST_CASE("parse: bare LF line ends are accepted and CRLF is written") {
    auto r = parse("v=0\no=- 1 1 IN IP4 192.0.2.1\ns=-\nt=0 0\nm=audio 5004 RTP/AVP 0\n");
    REQUIRE(r.ok());
    CHECK(serialize(*r) == crlf("v=0\no=- 1 1 IN IP4 192.0.2.1\ns=-\nt=0 0\nm=audio 5004 RTP/AVP 0\n"));
}

TEST_CASE("parse: a last line without its line end and trailing blank lines are accepted") {
    CHECK(parse("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0").ok());
    CHECK(parse(kMinimal + "\r\n\r\n").ok());
}

TEST_CASE("parse: a blank line inside the description is an error naming the line") {
    CHECK(parse_error("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\n\r\ns=-\r\nt=0 0\r\n") ==
          "SDP line 3 \"\": empty line");
}

TEST_CASE("parse: the description must begin with v=0") {
    CHECK(parse_error("o=- 1 1 IN IP4 192.0.2.1\r\nv=0\r\n").find("SDP line 1") == 0);
    CHECK(parse_error("v=1\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\n").find("unsupported SDP version") !=
          std::string::npos);
    CHECK(parse_error("").find("empty") != std::string::npos);
}

TEST_CASE("parse: lines out of the RFC 8866 §5 order are rejected") {
    // c= must precede t= at session level.
    auto e = parse_error(crlf("v=0\no=- 1 1 IN IP4 192.0.2.1\ns=-\nt=0 0\nc=IN IP4 192.0.2.1\n"));
    CHECK(e == "SDP line 5 \"c=IN IP4 192.0.2.1\": out of order: c= after t=");
    // a= before c= at media level.
    e = parse_error(kMinimal + crlf("m=audio 1 RTP/AVP 0\na=sendrecv\nc=IN IP4 192.0.2.1\n"));
    CHECK(e.find("SDP line 7") == 0);
    CHECK(e.find("out of order: c= after a=") != std::string::npos);
    // s= missing: t= directly after o=.
    CHECK(parse_error(crlf("v=0\no=- 1 1 IN IP4 192.0.2.1\nt=0 0\n")).find("s= must follow o=") != std::string::npos);
}

TEST_CASE("parse: repeated single lines are rejected") {
    CHECK(parse_error(crlf("v=0\no=- 1 1 IN IP4 192.0.2.1\ns=-\ns=again\nt=0 0\n")).find("second s= line") !=
          std::string::npos);
    CHECK(parse_error(kMinimal + crlf("m=audio 1 RTP/AVP 0\ni=a\ni=b\n")).find("second i= line") !=
          std::string::npos);
}

TEST_CASE("parse: session-only lines inside a media section are rejected") {
    CHECK(parse_error(kMinimal + crlf("m=audio 1 RTP/AVP 0\nt=0 0\n")).find("t= is not allowed in a media section") !=
          std::string::npos);
}

TEST_CASE("parse: several t= lines each keep their r= lines") {
    auto r = parse(crlf("v=0\no=- 1 1 IN IP4 192.0.2.1\ns=-\nt=3034423619 3042462419\nr=7d 1h 0 25h\n"
                        "t=3034423620 0\nz=2882844526 -1h 2898848070 0\n"));
    REQUIRE(r.ok());
    REQUIRE(r->timings.size() == 2);
    CHECK(r->timings[0].repeats == std::vector<std::string>{"7d 1h 0 25h"});
    CHECK(r->timings[1].repeats.empty());
    CHECK(r->zone == "2882844526 -1h 2898848070 0");
    CHECK(parse_error(crlf("v=0\no=- 1 1 IN IP4 192.0.2.1\ns=-\nr=7d 1h 0 25h\nt=0 0\n")).find("r= must follow t=") !=
          std::string::npos);
}

TEST_CASE("parse: a description without t= is rejected") {
    CHECK(parse_error(crlf("v=0\no=- 1 1 IN IP4 192.0.2.1\ns=-\n")).find("t= missing") != std::string::npos);
    CHECK(parse_error(crlf("v=0\no=- 1 1 IN IP4 192.0.2.1\ns=-\nm=audio 1 RTP/AVP 0\n")).find("t= missing before") !=
          std::string::npos);
}

TEST_CASE("parse: o= needs six fields with numeric id and version") {
    CHECK(parse_error(crlf("v=0\no=- 1 IN IP4 192.0.2.1\ns=-\nt=0 0\n")).find("o= needs 6 fields, found 5") !=
          std::string::npos);
    CHECK(parse_error(crlf("v=0\no=- x1 1 IN IP4 192.0.2.1\ns=-\nt=0 0\n")).find("session id is not a number") !=
          std::string::npos);
    CHECK(parse_error(crlf("v=0\no=- 1 99999999999999999999 IN IP4 192.0.2.1\ns=-\nt=0 0\n"))
              .find("session version") != std::string::npos);
}

TEST_CASE("parse: a session id longer than 64 bits is kept as written") {
    auto r = parse(crlf("v=0\no=- 91797526012528267110 2 IN IP4 10.42.0.3\ns=-\nt=0 0\n"));
    REQUIRE(r.ok());
    CHECK(r->origin.session_id == "91797526012528267110");
}

TEST_CASE("parse: c= accepts IN IP4 and IN IP6 and names other faults") {
    auto e = parse_error(crlf("v=0\no=- 1 1 IN IP4 192.0.2.1\ns=-\nc=IN IP9 192.0.2.1\nt=0 0\n"));
    CHECK(e == "SDP line 4 \"c=IN IP9 192.0.2.1\": unknown address type \"IP9\"");
    CHECK(parse_error(crlf("v=0\no=- 1 1 IN IP4 192.0.2.1\ns=-\nc=ATM NSAP 47.0091\nt=0 0\n"))
              .find("unknown network type \"ATM\"") != std::string::npos);
    CHECK(parse_error(crlf("v=0\no=- 1 1 IN IP4 192.0.2.1\ns=-\nc=IN IP4\nt=0 0\n")).find("c= needs 3 fields") !=
          std::string::npos);
    auto r = parse(kMinimal + crlf("m=audio 1 RTP/AVP 0\nc=IN IP4 233.252.0.1/127/3\n"));
    REQUIRE(r.ok());
    CHECK(r->media[0].connections[0].address == "233.252.0.1/127/3");
}

TEST_CASE("parse: c=IN IP4 0.0.0.0 is recognised as RFC 2543 hold") {
    auto r = parse(kMinimal + crlf("m=audio 1 RTP/AVP 0\nc=IN IP4 0.0.0.0\n"));
    REQUIRE(r.ok());
    CHECK(r->media[0].connections[0].is_hold());
    CHECK_FALSE((Connection{AddressType::IP4, "192.0.2.1"}).is_hold());
}

TEST_CASE("parse: m= checks port, port count and RTP payload types") {
    auto r = parse(kMinimal + crlf("m=audio 49170/2 RTP/AVP 0 8 101\n"));
    REQUIRE(r.ok());
    CHECK(r->media[0].port == 49170);
    CHECK(r->media[0].port_count == 2u);
    CHECK(r->media[0].formats == std::vector<std::string>{"0", "8", "101"});
    CHECK(parse_error(kMinimal + crlf("m=audio 65536 RTP/AVP 0\n")).find("port is not a number") != std::string::npos);
    CHECK(parse_error(kMinimal + crlf("m=audio 1 RTP/AVP 128\n")).find("payload type \"128\" is not 0-127") !=
          std::string::npos);
    CHECK(parse_error(kMinimal + crlf("m=audio 1 RTP/AVP\n")).find("m= lists no format") != std::string::npos);
    // Formats of non-RTP transports are tokens.
    CHECK(parse(kMinimal + crlf("m=application 9 UDP/BFCP *\n")).ok());
    // A declined stream without a format, as lax peers write it.
    CHECK(parse(kMinimal + crlf("m=video 0 RTP/AVP\n")).ok());
}

TEST_CASE("parse: b= is <type>:<number>") {
    auto r = parse(kMinimal + crlf("m=audio 1 RTP/AVP 0\nb=AS:64\nb=TIAS:64000\n"));
    REQUIRE(r.ok());
    REQUIRE(r->media[0].bandwidths.size() == 2);
    CHECK(r->media[0].bandwidths[1].type == "TIAS");
    CHECK(r->media[0].bandwidths[1].value == 64000u);
    CHECK(parse_error(kMinimal + crlf("m=audio 1 RTP/AVP 0\nb=AS\n")).find("b= needs") != std::string::npos);
}

TEST_CASE("parse: attributes keep property and value forms apart") {
    auto r = parse(kMinimal + crlf("a=recvonly\nm=audio 1 RTP/AVP 0\na=x-empty:\na=x-flag\na=x-odd:a:b c\n"));
    REQUIRE(r.ok());
    CHECK(r->attributes[0].name == "recvonly");
    CHECK_FALSE(r->attributes[0].value);
    const auto& a = r->media[0].attributes;
    CHECK(a[0].value == std::string(""));
    CHECK_FALSE(a[1].value);
    CHECK(a[2].value == std::string("a:b c"));
    CHECK(serialize(*r) == kMinimal + crlf("a=recvonly\nm=audio 1 RTP/AVP 0\na=x-empty:\na=x-flag\na=x-odd:a:b c\n"));
}

TEST_CASE("parse: known attributes are checked and their faults named") {
    auto media = [](const char* attr) { return kMinimal + crlf("m=audio 1 RTP/AVP 0 96\n") + attr + "\r\n"; };
    CHECK(parse_error(media("a=rtpmap:96 opus")).find("rtpmap needs <encoding>/<clock rate>") != std::string::npos);
    CHECK(parse_error(media("a=rtpmap:96 opus/0")).find("clock rate") != std::string::npos);
    CHECK(parse_error(media("a=rtpmap")).find("a=rtpmap needs a value") != std::string::npos);
    CHECK(parse_error(media("a=fmtp: useinbandfec=1")).find("fmtp format") != std::string::npos);
    CHECK(parse_error(media("a=ptime:abc")).find("packet time") != std::string::npos);
    CHECK(parse_error(media("a=ptime:0")).find("packet time") != std::string::npos);
    CHECK(parse_error(media("a=rtcp:0")).find("rtcp port") != std::string::npos);
    CHECK(parse_error(media("a=rtcp:53020 IN IP4")).find("rtcp needs") != std::string::npos);
    CHECK(parse_error(media("a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:short")).find("crypto:") != std::string::npos);
    CHECK(parse_error(media("a=:x")).find("attribute name missing") != std::string::npos);
}

TEST_CASE("parse: an error message shows the line number and at most 60 characters of it") {
    const std::string long_line = "a=rtpmap:96 " + std::string(100, 'x');
    auto e = parse_error(kMinimal + crlf("m=audio 1 RTP/AVP 96\n") + long_line + "\r\n");
    CHECK(e.find("SDP line 6 \"a=rtpmap:96 xxx") == 0);
    CHECK(e.find("...\"") != std::string::npos);
}

TEST_CASE("parse: lines of unknown type are kept byte-exact in their place") {
    const std::string text = kMinimal + crlf(
        "m=video 15060 RTP/AVP 96\n"
        "x=first in media\n"
        "a=recvonly\n"
        "y=0100000001\n"
        "a=rtpmap:96 PS/90000\n"
        "f=v/2/4///a///\n");
    auto r = parse(text);
    REQUIRE(r.ok());
    REQUIRE(r->media[0].unknown_lines.size() == 3);
    CHECK(r->media[0].unknown_lines[1].type == 'y');
    CHECK(r->media[0].unknown_lines[1].value == "0100000001");
    CHECK(serialize(*r) == text);
}

TEST_CASE("parse: an unknown line at session level stays before the first m=") {
    const std::string text = crlf("v=0\no=- 1 1 IN IP4 192.0.2.1\ns=-\nq=quirk\nt=0 0\nm=audio 1 RTP/AVP 0\n");
    auto r = parse(text);
    REQUIRE(r.ok());
    REQUIRE(r->unknown_lines.size() == 1);
    CHECK(r->unknown_lines[0].after == 's');
    CHECK(serialize(*r) == text);
}

TEST_CASE("parse: lines not of the form <letter>=<value> are rejected") {
    CHECK(parse_error(kMinimal + "A=x\r\n").find("not of the form") != std::string::npos);
    CHECK(parse_error(kMinimal + "a x\r\n").find("not of the form") != std::string::npos);
    CHECK(parse_error(kMinimal + std::string("a=x\0y\r\n", 6)).find("NUL") != std::string::npos);
}

TEST_CASE("serialize: parse → serialize → parse is a fixed point") {
    const std::string text = crlf(
        "v=0\n"
        "o=- 1 2 IN IP6 2001:db8::1\n"
        "s=-\n"
        "i=info\n"
        "c=IN IP6 2001:db8::1\n"
        "b=CT:128\n"
        "t=0 0\n"
        "k=prompt\n"
        "a=sendonly\n"
        "m=audio 5004 RTP/AVP 0\n"
        "i=voice\n"
        "b=AS:64\n"
        "k=clear:secret\n"
        "a=ptime:20\n");
    auto first = parse(text);
    REQUIRE(first.ok());
    auto again = parse(serialize(*first));
    REQUIRE(again.ok());
    CHECK(*again == *first);
    CHECK(serialize(*again) == text);
}
