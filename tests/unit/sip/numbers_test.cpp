#include <doctest/doctest.h>

#include "dialtone/sip/numbers.hpp"

using namespace dialtone::sip;

namespace {
template <class T>
std::string error_of(const dialtone::base::Result<T>& r) {
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().status == 400);
    return r.error().message;
}
}  // namespace

TEST_CASE("Max-Forwards: 0 to 255 (§20.22)") {
    CHECK(parse_max_forwards("70").value() == 70);
    CHECK(parse_max_forwards(" 0 ").value() == 0);
    CHECK(parse_max_forwards("255").value() == 255);
    CHECK(error_of(parse_max_forwards("256")) == "Max-Forwards: value '256' out of range 0-255");
    CHECK(error_of(parse_max_forwards("-1")) == "Max-Forwards: bad value '-1'");
    CHECK(error_of(parse_max_forwards("")) == "Max-Forwards: empty value");
    CHECK(error_of(parse_max_forwards("7 0")) == "Max-Forwards: bad value '7 0'");
}

TEST_CASE("Expires and Min-Expires: delta-seconds up to 2^32-1 (§20.19, §20.23)") {
    CHECK(parse_expires("3600").value() == 3600u);
    CHECK(parse_expires("4294967295").value() == 4294967295u);
    CHECK(error_of(parse_expires("4294967296")) == "Expires: value '4294967296' out of range 0-4294967295");
    CHECK(error_of(parse_expires("Thu, 01 Dec 1994 16:00:00 GMT")) ==
          "Expires: bad value 'Thu, 01 Dec 1994 16:00:00 GMT'");
    CHECK(parse_min_expires("60").value() == 60u);
    CHECK(error_of(parse_min_expires("x")) == "Min-Expires: bad value 'x'");
}

TEST_CASE("Content-Length: decimal octet count (§20.14)") {
    CHECK(parse_content_length("0").value() == 0u);
    CHECK(parse_content_length("  142").value() == 142u);
    CHECK(error_of(parse_content_length("1e3")) == "Content-Length: bad value '1e3'");
    CHECK(error_of(parse_content_length("99999999999999999999")) ==
          "Content-Length: value '99999999999999999999' out of range 0-4294967295");
}

TEST_CASE("RSeq: 1 to 2^31-1 (RFC 3262 §7.1)") {
    CHECK(parse_rseq("988789").value() == 988789u);
    CHECK(parse_rseq("2147483647").value() == 2147483647u);
    CHECK(error_of(parse_rseq("0")) == "RSeq: value '0' out of range 1-2147483647");
    CHECK(error_of(parse_rseq("2147483648")) == "RSeq: value '2147483648' out of range 1-2147483647");
}
