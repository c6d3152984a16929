// The socket-free parts of the SIP transport: HOST:PORT text, cutting a stream into messages
// with their exact bytes (RFC 3261 §18.3), keep-alive pings (RFC 5626 §3.5.1) and the
// connection timers.
#include "dialtone/io/connection_timers.hpp"
#include "dialtone/io/host_port.hpp"
#include "dialtone/io/stream_reader.hpp"
#include "dialtone/io/system_clock.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace dialtone;
using io::ConnectionDue;

namespace {

const std::string options_request =
    "OPTIONS sip:bob@example.com SIP/2.0\r\n"
    "Via: SIP/2.0/TCP 127.0.0.1:5060;branch=z9hG4bK776asdhds\r\n"
    "Max-Forwards: 70\r\n"
    "To: <sip:bob@example.com>\r\n"
    "From: <sip:alice@example.com>;tag=1928301774\r\n"
    "Call-ID: a84b4c76e66710@pc33.example.com\r\n"
    "CSeq: 63104 OPTIONS\r\n"
    "Content-Length: 4\r\n"
    "\r\n"
    "body";

std::vector<std::string> drain(io::StreamReader& reader) {
    std::vector<std::string> out;
    while (auto m = reader.next()) out.push_back(m->bytes);
    return out;
}

base::TimePoint at(std::int64_t ms) { return base::TimePoint(base::milliseconds(ms)); }

}  // namespace

TEST_SUITE("io: host and port") {
    TEST_CASE("HOST:PORT parses IPv4, bracketed IPv6 and names") {
        auto v4 = io::parse_host_port("127.0.0.1:5060");
        REQUIRE(v4.ok());
        CHECK(v4->host == "127.0.0.1");
        CHECK(v4->port == 5060);
        auto v6 = io::parse_host_port("[::1]:0");
        REQUIRE(v6.ok());
        CHECK(v6->host == "::1");
        CHECK(v6->port == 0);
        CHECK(v6->is_ipv6());
        auto name = io::parse_host_port("sip.example.com:5061");
        REQUIRE(name.ok());
        CHECK(name->host == "sip.example.com");
    }

    TEST_CASE("HOST:PORT errors name the fault") {
        CHECK(io::parse_host_port("127.0.0.1").error().message.find("missing ':PORT'") != std::string::npos);
        CHECK(io::parse_host_port("::1:5060").error().message.find("needs brackets") != std::string::npos);
        CHECK(io::parse_host_port("[::1:5060").error().message.find("closing ']'") != std::string::npos);
        CHECK(io::parse_host_port("127.0.0.1:65536").error().message.find("0 to 65535") != std::string::npos);
        CHECK(io::parse_host_port(":5060").error().message.find("missing host") != std::string::npos);
        CHECK_FALSE(io::parse_host_port("[example.com]:5060").ok());
    }

    TEST_CASE("an address prints with brackets around IPv6") {
        CHECK(io::to_string(ua::Address{"::1", 5061}) == "[::1]:5061");
        CHECK(io::to_string(ua::Address{"127.0.0.1", 5060}) == "127.0.0.1:5060");
        CHECK(io::to_string(ua::Address{"", 0}) == "*:0");
        CHECK(io::to_string(ua::Transport::Tls) == "tls");
    }
}

TEST_SUITE("io: stream reader") {
    TEST_CASE("§18.3: a message written a byte at a time comes out once, byte for byte") {
        io::StreamReader reader;
        std::vector<std::string> got;
        for (char ch : options_request) {
            reader.feed(std::string_view(&ch, 1));
            for (auto& m : drain(reader)) got.push_back(m);
        }
        REQUIRE(got.size() == 1);
        CHECK(got[0] == options_request);
        CHECK(reader.buffered() == 0);
    }

    TEST_CASE("§18.3: three messages in one read come out as three") {
        io::StreamReader reader;
        reader.feed(options_request + options_request + options_request);
        const auto got = drain(reader);
        REQUIRE(got.size() == 3);
        for (const auto& m : got) CHECK(m == options_request);
    }

    TEST_CASE("RFC 5626 §3.5.1: a double CRLF between messages is a ping, not part of a message") {
        io::StreamReader reader;
        reader.feed("\r\n\r\n" + options_request + "\r\n\r\n");
        const auto got = drain(reader);
        REQUIRE(got.size() == 1);
        CHECK(got[0] == options_request);
        CHECK(reader.take_pings() == 2);
        CHECK(reader.take_pings() == 0);
    }

    TEST_CASE("a lone ping yields no message and one pong owed") {
        io::StreamReader reader;
        reader.feed("\r\n\r\n");
        CHECK_FALSE(reader.next().has_value());
        CHECK(reader.take_pings() == 1);
        CHECK(reader.buffered() == 0);
    }

    TEST_CASE("a framed but unparsable message is handed out with its fault, and the stream goes on") {
        io::StreamReader reader;
        const std::string bad = "NOT A SIP LINE\r\nContent-Length: 0\r\n\r\n";
        reader.feed(bad + options_request);
        auto first = reader.next();
        REQUIRE(first.has_value());
        CHECK(first->bytes == bad);
        CHECK_FALSE(first->malformed.empty());
        auto second = reader.next();
        REQUIRE(second.has_value());
        CHECK(second->bytes == options_request);
        CHECK(second->malformed.empty());
        CHECK_FALSE(reader.broken());
    }

    TEST_CASE("§18.3: a message without Content-Length breaks the stream") {
        io::StreamReader reader;
        reader.feed("OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/TCP h;branch=z9hG4bK1\r\n\r\n");
        CHECK_FALSE(reader.next().has_value());
        CHECK(reader.broken());
        CHECK(reader.error().find("Content-Length") != std::string::npos);
        reader.feed(options_request);
        CHECK_FALSE(reader.next().has_value());
    }

    TEST_CASE("a message over the size limit breaks the stream") {
        io::StreamReader reader(128);
        reader.feed(options_request + std::string(200, 'x'));
        CHECK_FALSE(reader.next().has_value());
        CHECK(reader.broken());
        CHECK(reader.error().find("maximum message size") != std::string::npos);
    }
}

TEST_SUITE("io: connection timers") {
    TEST_CASE("nothing configured, nothing due: no deadline at all") {
        io::ConnectionTimers timers(io::ConnectionTimerConfig{base::Duration{0}, base::Duration{0}, base::Duration{0}});
        timers.opening(1, at(0));
        timers.opened(2, at(0), true);
        CHECK_FALSE(timers.next_deadline().has_value());
        CHECK(timers.expire(at(1'000'000)).empty());
    }

    TEST_CASE("a connection not up within the connect timeout is due for closing") {
        io::ConnectionTimers timers(io::ConnectionTimerConfig{base::seconds(10), base::Duration{0}, base::Duration{0}});
        timers.opening(7, at(500));
        CHECK(timers.next_deadline() == at(10'500));
        CHECK(timers.expire(at(10'499)).empty());
        const auto due = timers.expire(at(10'500));
        REQUIRE(due.size() == 1);
        CHECK(due[0].first == 7);
        CHECK(due[0].second == ConnectionDue::ConnectTimeout);
        CHECK(timers.size() == 0);
    }

    TEST_CASE("once open, the connect timeout no longer applies") {
        io::ConnectionTimers timers(io::ConnectionTimerConfig{base::seconds(10), base::Duration{0}, base::Duration{0}});
        timers.opening(1, at(0));
        timers.opened(1, at(100), false);
        CHECK_FALSE(timers.next_deadline().has_value());
    }

    TEST_CASE("idle close counts from the last byte received or message sent") {
        io::ConnectionTimers timers(io::ConnectionTimerConfig{base::seconds(10), base::seconds(30), base::Duration{0}});
        timers.opened(3, at(0), false);
        CHECK(timers.next_deadline() == at(30'000));
        timers.received(3, at(5'000));
        timers.sent(3, at(12'000));
        // The armed deadline is stale: firing then finds nothing due and gives the new one.
        CHECK(timers.expire(at(30'000)).empty());
        CHECK(timers.next_deadline() == at(42'000));
        const auto due = timers.expire(at(42'000));
        REQUIRE(due.size() == 1);
        CHECK(due[0].second == ConnectionDue::Idle);
        CHECK_FALSE(timers.next_deadline().has_value());
    }

    TEST_CASE("RFC 5626 §4.4.1: outbound connections ping after an interval without sending") {
        io::ConnectionTimers timers(
            io::ConnectionTimerConfig{base::seconds(10), base::Duration{0}, base::seconds(25), base::Duration{0}});
        timers.opened(1, at(0), true);
        timers.opened(2, at(0), false);  // accepted: the peer pings, we answer
        CHECK(timers.next_deadline() == at(25'000));
        auto due = timers.expire(at(25'000));
        REQUIRE(due.size() == 1);
        CHECK(due[0] == std::pair<std::uint64_t, ConnectionDue>{1, ConnectionDue::Ping});
        CHECK(timers.next_deadline() == at(50'000));
        timers.sent(1, at(40'000));  // a message refreshes the binding as well as a ping
        CHECK(timers.expire(at(50'000)).empty());
        CHECK(timers.next_deadline() == at(65'000));
    }

    TEST_CASE("pings do not keep our side from calling a silent connection idle") {
        io::ConnectionTimers timers(
            io::ConnectionTimerConfig{base::seconds(10), base::seconds(60), base::seconds(25), base::Duration{0}});
        timers.opened(1, at(0), true);
        CHECK(timers.expire(at(25'000)).size() == 1);
        CHECK(timers.expire(at(50'000)).size() == 1);
        const auto due = timers.expire(at(60'000));
        REQUIRE(due.size() == 1);
        CHECK(due[0].second == ConnectionDue::Idle);
    }

    TEST_CASE("without close_idle_outbound only the connections the peer opened close when idle") {
        io::ConnectionTimerConfig config{base::seconds(10), base::seconds(60), base::seconds(25), base::Duration{0}};
        config.close_idle_outbound = false;
        io::ConnectionTimers timers(config);
        timers.opened(1, at(0), true);
        timers.opened(2, at(0), false);
        CHECK(timers.expire(at(25'000)) == std::vector<std::pair<std::uint64_t, ConnectionDue>>{{1, ConnectionDue::Ping}});
        CHECK(timers.expire(at(50'000)) == std::vector<std::pair<std::uint64_t, ConnectionDue>>{{1, ConnectionDue::Ping}});
        CHECK(timers.expire(at(60'000)) == std::vector<std::pair<std::uint64_t, ConnectionDue>>{{2, ConnectionDue::Idle}});
        CHECK(timers.size() == 1);
        CHECK(timers.next_deadline() == at(75'000));   // our flow: only its pings
    }

    TEST_CASE("the idle timeout can be lifted and set again; it counts from the last activity") {
        io::ConnectionTimers timers(io::ConnectionTimerConfig{base::seconds(10), base::seconds(60), base::Duration{0}});
        timers.opened(1, at(0), false);
        timers.set_idle_timeout(base::Duration{0});
        CHECK_FALSE(timers.next_deadline().has_value());
        CHECK(timers.expire(at(600'000)).empty());
        timers.set_idle_timeout(base::seconds(60));
        CHECK(timers.next_deadline() == at(60'000));
        CHECK(timers.expire(at(600'000)) == std::vector<std::pair<std::uint64_t, ConnectionDue>>{{1, ConnectionDue::Idle}});
    }

    TEST_CASE("RFC 5626 §4.4.1: a ping unanswered for the pong timeout fails the flow") {
        io::ConnectionTimers timers(io::ConnectionTimerConfig{base::seconds(10), base::Duration{0}, base::seconds(25)});
        timers.opened(1, at(0), true);
        REQUIRE(timers.expire(at(25'000)).size() == 1);  // the ping
        CHECK(timers.next_deadline() == at(35'000));
        const auto due = timers.expire(at(35'000));
        REQUIRE(due.size() == 1);
        CHECK(due[0].second == ConnectionDue::PongTimeout);
        CHECK(timers.size() == 0);
    }

    TEST_CASE("RFC 5626 §4.4.1: the pong (any bytes) clears the pong timeout") {
        io::ConnectionTimers timers(io::ConnectionTimerConfig{base::seconds(10), base::Duration{0}, base::seconds(25)});
        timers.opened(1, at(0), true);
        REQUIRE(timers.expire(at(25'000)).size() == 1);
        timers.received(1, at(25'010));
        CHECK(timers.next_deadline() == at(50'000));  // only the next ping
        CHECK(timers.expire(at(35'000)).empty());
        const auto due = timers.expire(at(50'000));
        REQUIRE(due.size() == 1);
        CHECK(due[0].second == ConnectionDue::Ping);
    }

    TEST_CASE("removed connections have no deadline") {
        io::ConnectionTimers timers(io::ConnectionTimerConfig{base::seconds(10), base::seconds(60), base::Duration{0}});
        timers.opened(1, at(0), false);
        timers.opening(2, at(0));
        timers.remove(2);
        CHECK(timers.next_deadline() == at(60'000));
        timers.remove(1);
        CHECK_FALSE(timers.next_deadline().has_value());
    }
}

TEST_SUITE("io: system clock") {
    TEST_CASE("steady_clock time points convert to TimePoint and back exactly") {
        const auto t = std::chrono::steady_clock::time_point(std::chrono::nanoseconds(123'456'789));
        CHECK(io::from_steady(t).time_since_epoch() == base::Duration(123'456'789));
        CHECK(io::to_steady(io::from_steady(t)) == t);
        CHECK(io::to_steady(base::TimePoint::max()) == std::chrono::steady_clock::time_point::max());
    }

    TEST_CASE("the system clock never goes back") {
        io::SystemClock clock;
        const auto a = clock.now();
        const auto b = clock.now();
        CHECK(b >= a);
    }
}
