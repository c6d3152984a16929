#include <doctest/doctest.h>

#include "dialtone/app/event_json.hpp"
#include "dialtone/sip/name_addr.hpp"

using namespace dialtone;
using namespace dialtone::app;

namespace {
const std::string kTime = "2026-11-22T01:02:03.004Z";

sip::NameAddr name_addr(const char* text) { return sip::parse_name_addr(text).value(); }
}  // namespace

TEST_CASE("events: the event name comes first, then the time and the call") {
    ua::CallRinging ringing{7, 180};
    std::string line = to_json_line(describe(ringing, kTime, {}));
    CHECK(line == "{\"event\":\"ringing\",\"time\":\"2026-11-22T01:02:03.004Z\",\"call\":7,\"status\":180}\n");
}

TEST_CASE("events: incoming carries the From URI and display name") {
    ua::IncomingCall in;
    in.call = 1;
    in.from = name_addr("\"Alice\" <sip:alice@example.com>;tag=1");
    in.to = name_addr("<sip:bob@example.com>");
    in.request_uri = in.to.uri;
    Json j = describe(in, kTime, {});
    CHECK(j["event"] == "incoming");
    CHECK(j["from"] == "sip:alice@example.com");
    CHECK(j["display_name"] == "Alice");
    CHECK(j["to"] == "sip:bob@example.com");
}

TEST_CASE("events: answered names the codec in lower case and the SRTP suite or null") {
    ua::CallAnswered a;
    a.call = 2;
    sdp::NegotiatedMedia m;
    m.codec = sdp::Codec::pcmu();
    m.remote.address = "127.0.0.1";
    m.remote_port = 40000;
    a.media.push_back(m);
    Json plain = describe(a, kTime, {});
    CHECK(plain["codec"] == "pcmu");
    CHECK(plain["clock_rate"] == 8000);
    CHECK(plain["srtp"].is_null());
    CHECK(plain["remote_rtp"] == "127.0.0.1:40000");
    a.media[0].srtp = sdp::SrtpParameters{};
    CHECK(describe(a, kTime, {})["srtp"] == "AES_CM_128_HMAC_SHA1_80");
}

TEST_CASE("events: dtmf gives digit, duration and method") {
    ua::DtmfReceived d{3, '#', 160, ua::DtmfMethod::Rfc4733};
    Json j = describe(d, kTime, {});
    CHECK(j["digit"] == "#");
    CHECK(j["duration_ms"] == 160);
    CHECK(j["method"] == "rfc4733");
    d.method = ua::DtmfMethod::Info;
    CHECK(describe(d, kTime, {})["method"] == "info");
}

TEST_CASE("events: ended gives the final status, reason and who ended it") {
    ua::CallEnded e{4, 486, "Busy Here", true};
    Json j = describe(e, kTime, {});
    CHECK(j["event"] == "ended");
    CHECK(j["status"] == 486);
    CHECK(j["reason"] == "Busy Here");
    CHECK(j["by_peer"] == true);
    CHECK(j["network_failure"] == false);
}

TEST_CASE("events: ended tells a transport failure made here from a status the peer sent") {
    ua::CallEnded e{5, 503, "tcp connect to 127.0.0.1:9 failed: Connection refused", false, true};
    Json j = describe(e, kTime, {});
    CHECK(j["status"] == 503);
    CHECK(j["network_failure"] == true);
    CHECK(j["reason"] == "tcp connect to 127.0.0.1:9 failed: Connection refused");
}

TEST_CASE("events: hold and resume are told apart by the hold flags") {
    CHECK(describe(ua::HoldChanged{1, false, true, {}}, kTime, {})["event"] == "hold");
    CHECK(describe(ua::HoldChanged{1, false, false, {}}, kTime, {})["event"] == "resume");
}

TEST_CASE("events: registration_failed reports the retry in seconds from now") {
    ua::RegistrationFailed f;
    f.aor = sip::parse_uri("sip:alice@example.com").value();
    f.status = 503;
    f.reason = "Service Unavailable";
    base::TimePoint now{};
    f.retry_at = now + base::seconds(30);
    Json j = describe(f, kTime, now);
    CHECK(j["retry_in"] == 30.0);
    f.retry_at.reset();
    CHECK(describe(f, kTime, now)["retry_in"].is_null());
}

TEST_CASE("events: a message text with a line break stays on one line") {
    ua::MessageReceived m;
    m.from = name_addr("<sip:alice@example.com>");
    m.content_type = "text/plain";
    m.text = "two\nlines";
    std::string line = to_json_line(describe(m, kTime, {}));
    CHECK(line.find('\n') == line.size() - 1);
    CHECK(line.find("two\\nlines") != std::string::npos);
}

TEST_CASE("events: --on-event gets each top-level field as a DIALTONE_ variable") {
    ua::OptionsResult o{9, 200, {"INVITE", "ACK", "BYE"}};
    auto env = event_environment(describe(o, kTime, {}));
    REQUIRE(env.size() == 6);
    CHECK(env[0] == std::pair<std::string, std::string>{"DIALTONE_EVENT", "options"});
    CHECK(env[1].first == "DIALTONE_TIME");
    CHECK(env[3] == std::pair<std::string, std::string>{"DIALTONE_STATUS", "200"});
    CHECK(env[4] == std::pair<std::string, std::string>{"DIALTONE_ALLOW", "INVITE,ACK,BYE"});
    CHECK(env[5] == std::pair<std::string, std::string>{"DIALTONE_NETWORK_FAILURE", "false"});
}

TEST_CASE("events: times are ISO 8601 UTC with milliseconds") {
    CHECK(format_utc(0) == "1970-01-01T00:00:00.000Z");
    CHECK(format_utc(1795309323004) == "2026-11-22T01:02:03.004Z");
}

TEST_CASE("events: listening reports the bound address") {
    Json j = listening_event(kTime, "udp", "127.0.0.1:40123");
    CHECK(to_json_line(j) ==
          "{\"event\":\"listening\",\"time\":\"2026-11-22T01:02:03.004Z\",\"transport\":\"udp\",\"address\":\"127.0.0.1:40123\"}\n");
}
