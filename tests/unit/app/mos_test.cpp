#include <doctest/doctest.h>

#include "dialtone/app/mos.hpp"

using namespace dialtone::app;

TEST_CASE("E-model: no delay and no loss gives the G.107 default R of 93.2 and MOS 4.41") {
    CHECK(r_factor(0, 0) == doctest::Approx(93.2));
    CHECK(mos_from_r(93.2) == doctest::Approx(4.409).epsilon(0.001));
}

TEST_CASE("E-model: delay past 177.3 ms costs more per millisecond") {
    double below = r_factor(100, 0) - r_factor(150, 0);
    double above = r_factor(250, 0) - r_factor(300, 0);
    CHECK(below == doctest::Approx(1.2));
    CHECK(above == doctest::Approx(1.2 + 5.5));
}

TEST_CASE("E-model: 1 % random loss with G.711 PLC costs Ie,eff = 95/26.1") {
    CHECK(r_factor(0, 1) == doctest::Approx(93.2 - 95.0 / 26.1));
    CHECK(mos_from_r(r_factor(0, 5)) < mos_from_r(r_factor(0, 1)));
}

TEST_CASE("E-model: MOS stays within 1 and 4.5") {
    CHECK(mos_from_r(-20) == 1.0);
    CHECK(mos_from_r(120) == 4.5);
    CHECK(mos_from_r(r_factor(800, 60)) == 1.0);
}
