#include <doctest/doctest.h>

#include "dialtone/app/exit_code.hpp"

using namespace dialtone::app;

TEST_CASE("exit codes: a 2xx final response is success") {
    CHECK(exit_code_for_status(200) == ExitCode::Ok);
    CHECK(exit_code_for_status(202) == ExitCode::Ok);
}

TEST_CASE("exit codes: 408, 480 and 487 mean nobody answered") {
    CHECK(to_int(exit_code_for_status(408)) == 3);
    CHECK(to_int(exit_code_for_status(480)) == 3);
    CHECK(to_int(exit_code_for_status(487)) == 3);
}

TEST_CASE("exit codes: 486 and 600 are busy") {
    CHECK(to_int(exit_code_for_status(486)) == 4);
    CHECK(to_int(exit_code_for_status(600)) == 4);
}

TEST_CASE("exit codes: 401/407 after the retry and 403 are authentication failures") {
    CHECK(to_int(exit_code_for_status(401)) == 6);
    CHECK(to_int(exit_code_for_status(407)) == 6);
    CHECK(to_int(exit_code_for_status(403)) == 6);
}

TEST_CASE("exit codes: 488 and 606 mean the media could not be agreed") {
    CHECK(to_int(exit_code_for_status(488)) == 7);
    CHECK(to_int(exit_code_for_status(606)) == 7);
}

TEST_CASE("exit codes: every other final status is a rejection") {
    for (int s : {302, 404, 415, 500, 503, 603, 699}) {
        CAPTURE(s);
        CHECK(to_int(exit_code_for_status(s)) == 5);
    }
}

TEST_CASE("exit codes: names are stable for scripts") {
    CHECK(exit_code_name(ExitCode::Busy) == "busy");
    CHECK(exit_code_name(ExitCode::NoAnswer) == "no-answer");
    CHECK(exit_code_name(ExitCode::MediaFailed) == "media-failed");
}
