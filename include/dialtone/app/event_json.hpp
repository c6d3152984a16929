#pragma once
// Events as JSON lines: one object per line on stdout, `event` first, then `time` and the call,
// then the fields of that event. docs/events.md is the schema; the tests hold it to that.
#include <nlohmann/json.hpp>

#include <string>
#include <utility>
#include <vector>

#include "dialtone/base/time.hpp"
#include "dialtone/ua/events.hpp"

namespace dialtone::app {

using Json = nlohmann::ordered_json;

// The event object of one UserAgent event. `time` is the wall-clock stamp to put in it
// (ISO 8601 UTC, see format_utc); `now` the core's time, to turn a retry instant into seconds.
Json describe(const ua::Event& event, const std::string& time, base::TimePoint now);

// Events the app itself reports.
Json listening_event(const std::string& time, const std::string& transport, const std::string& address);
Json error_event(const std::string& time, const std::string& message);

// "2026-11-22T01:02:03.456Z" for milliseconds since the Unix epoch.
std::string format_utc(std::int64_t unix_ms);

// The one line written for an event (no line breaks inside, '\n' at the end).
std::string to_json_line(const Json& event);

// What --on-event passes in the environment: DIALTONE_EVENT, DIALTONE_CALL, … one variable per
// top-level field; arrays joined with commas, booleans as true/false, objects left out.
std::vector<std::pair<std::string, std::string>> event_environment(const Json& event);

}  // namespace dialtone::app
