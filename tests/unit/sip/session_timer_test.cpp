#include <doctest/doctest.h>

#include "dialtone/sip/event.hpp"
#include "dialtone/sip/session_expires.hpp"

using namespace dialtone::sip;

TEST_CASE("Session-Expires: delta and refresher (RFC 4028 §4)") {
    auto se = parse_session_expires("1800;refresher=uac");
    REQUIRE(se.ok());
    CHECK(se->delta_seconds == 1800u);
    CHECK(se->refresher() == Refresher::Uac);
    CHECK(se->to_string() == "1800;refresher=uac");

    auto plain = parse_session_expires(" 4000 ");
    REQUIRE(plain.ok());
    CHECK(plain->refresher() == Refresher::Unspecified);

    auto upper = parse_session_expires("90 ; Refresher=UAS ; x");
    REQUIRE(upper.ok());
    CHECK(upper->refresher() == Refresher::Uas);
    auto again = parse_session_expires(upper->to_string());
    REQUIRE(again.ok());
    CHECK(again.value() == upper.value());
}

TEST_CASE("Session-Expires: set_refresher rewrites or removes the parameter") {
    SessionExpires se;
    se.delta_seconds = 600;
    se.set_refresher(Refresher::Uas);
    CHECK(se.to_string() == "600;refresher=uas");
    se.set_refresher(Refresher::Uac);
    CHECK(se.to_string() == "600;refresher=uac");
    se.set_refresher(Refresher::Unspecified);
    CHECK(se.to_string() == "600");
}

TEST_CASE("Session-Expires: faults are named") {
    auto bad_ref = parse_session_expires("1800;refresher=both");
    REQUIRE_FALSE(bad_ref.ok());
    CHECK(bad_ref.error().message == "Session-Expires: bad refresher 'both'");
    auto bad_delta = parse_session_expires("soon;refresher=uac");
    REQUIRE_FALSE(bad_delta.ok());
    CHECK(bad_delta.error().message == "Session-Expires: bad delta-seconds 'soon'");
    auto empty = parse_session_expires("");
    REQUIRE_FALSE(empty.ok());
    CHECK(empty.error().message == "Session-Expires: missing delta-seconds");
}

TEST_CASE("Min-SE: delta with generic parameters (RFC 4028 §5)") {
    auto m = parse_min_se("90");
    REQUIRE(m.ok());
    CHECK(m->delta_seconds == 90u);
    CHECK(m->to_string() == "90");
    auto bad = parse_min_se("90 x");
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().message == "Min-SE: unexpected 'x'");
}

TEST_CASE("Event: package, templates and id (RFC 6665 §8.2.1)") {
    auto e = parse_event("refer;id=93809824");
    REQUIRE(e.ok());
    CHECK(e->type == "refer");
    CHECK(e->package() == "refer");
    CHECK(e->id() == "93809824");
    CHECK(e->to_string() == "refer;id=93809824");

    auto w = parse_event("presence.winfo");
    REQUIRE(w.ok());
    CHECK(w->package() == "presence");
    CHECK_FALSE(w->id());
    auto again = parse_event(w->to_string());
    REQUIRE(again.ok());
    CHECK(again.value() == w.value());
}

TEST_CASE("Event: faults are named") {
    auto empty = parse_event("");
    REQUIRE_FALSE(empty.ok());
    CHECK(empty.error().message == "Event: missing event type");
    auto dots = parse_event("presence..winfo");
    REQUIRE_FALSE(dots.ok());
    CHECK(dots.error().message == "Event: bad event type 'presence..winfo'");
    auto id = parse_event("dialog;id");
    REQUIRE_FALSE(id.ok());
    CHECK(id.error().message == "Event: bad id ''");
}
