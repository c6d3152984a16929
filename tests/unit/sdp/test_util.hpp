#pragma once
// Helpers shared by the SDP tests.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "dialtone/sdp/negotiator.hpp"
#include "dialtone/sdp/parser.hpp"
#include "dialtone/sdp/serializer.hpp"

namespace sdp_test {

using namespace dialtone::sdp;

inline std::string crlf(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '\n') out += '\r';
        out += c;
    }
    return out;
}

inline SessionDescription sdp(const std::string& lf_text) {
    auto r = parse(crlf(lf_text));
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? std::string() : r.error().message));
    return *r;
}

inline std::string read_data(const std::string& name) {
    std::ifstream in(std::string(DIALTONE_SDP_DATA_DIR) + "/" + name, std::ios::binary);
    REQUIRE_MESSAGE(in.good(), "cannot open " << name);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

inline SessionDescription data_sdp(const std::string& name) {
    auto r = parse(read_data(name));
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? std::string() : r.error().message));
    return *r;
}

inline NegotiatorConfig config(std::uint16_t port = 40000) {
    NegotiatorConfig c;
    c.address = "192.0.2.10";
    c.rtp_ports = {port};
    c.session_id = "4242";
    c.session_version = 1;
    return c;
}

inline Negotiator negotiator(NegotiatorConfig c = config()) {
    auto n = Negotiator::create(std::move(c));
    REQUIRE_MESSAGE(n.ok(), (n.ok() ? std::string() : n.error().message));
    return std::move(n).value();
}

inline LocalKey key(SrtpSuite suite, char fill = 'a') { return LocalKey{suite, std::string(key_salt_length(suite), fill)}; }

// The answer from `n` to `offer`, which must be accepted.
inline SessionDescription answer_to(Negotiator& n, const SessionDescription& offer) {
    auto s = n.receive_offer(offer);
    REQUIRE_MESSAGE(s.ok(), (s.ok() ? std::string() : s.error().message));
    auto a = n.create_answer();
    REQUIRE(a.ok());
    return *a;
}

inline const Attribute* attr(const MediaDescription& m, std::string_view name) { return find_attribute(m.attributes, name); }

inline std::string attr_value(const MediaDescription& m, std::string_view name) {
    const Attribute* a = attr(m, name);
    return a && a->value ? *a->value : std::string("<none>");
}

}  // namespace sdp_test
