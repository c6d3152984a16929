#pragma once
// Shared steps of the torture suite: load a message file from tests/data (the directory comes in
// DIALTONE_TEST_DATA), parse it as a datagram, and check the serialize → parse → serialize fixed
// point and the fault a rejected message earns.
#include "dialtone/sip/message.hpp"
#include "dialtone/sip/name_addr.hpp"
#include "dialtone/sip/parser.hpp"
#include "dialtone/sip/uri.hpp"
#include "dialtone/sip/validate.hpp"
#include "dialtone/sip/via.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <initializer_list>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

namespace torture {

using namespace dialtone::sip;

inline std::string data_path(std::string_view relative) {
    const char* dir = std::getenv("DIALTONE_TEST_DATA");
    REQUIRE_MESSAGE(dir != nullptr, "DIALTONE_TEST_DATA is not set (meson test sets it)");
    return std::string(dir) + "/" + std::string(relative);
}

// The bytes of tests/data/<relative>; the test fails if the file is missing or empty.
inline std::string load(std::string_view relative) {
    std::ifstream in(data_path(relative), std::ios::binary);
    REQUIRE_MESSAGE(in.good(), "cannot open " << relative);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    REQUIRE_MESSAGE(!bytes.empty(), relative << " is empty");
    return bytes;
}

inline Message parse_file(std::string_view relative) {
    auto m = parse_message(load(relative));
    REQUIRE_MESSAGE(m.ok(), relative << ": " << (m.ok() ? std::string() : m.error().message));
    return std::move(m).value();
}

// serialize → parse → serialize gives the same bytes, and the reparsed message keeps the start
// line, every header value and the body.
inline void check_fixed_point(const Message& m) {
    const std::string first = m.serialize();
    auto again = parse_message(first);
    REQUIRE_MESSAGE(again.ok(), "serialized form does not parse: " << (again.ok() ? "" : again.error().message)
                                                                    << "\n" << first);
    const std::string second = again->serialize();
    CHECK(first == second);
    CHECK(again->is_request() == m.is_request());
    CHECK(again->method_text() == m.method_text());
    CHECK(again->request_uri() == m.request_uri());
    CHECK(again->status_code() == m.status_code());
    CHECK(again->reason() == m.reason());
    CHECK(again->body() == m.body());
    for (HeaderId id : {HeaderId::Via, HeaderId::From, HeaderId::To, HeaderId::CallId, HeaderId::CSeq,
                        HeaderId::Contact, HeaderId::Route, HeaderId::ContentType}) {
        CHECK(again->values(id) == m.values(id));
    }
}

inline bool mentions(std::string_view text, std::initializer_list<std::string_view> words) {
    for (std::string_view w : words) {
        if (text.find(w) != std::string_view::npos) return true;
    }
    return false;
}

// The message is refused with `status`, by the parser or else by the receipt checks, and the
// fault named mentions one of `words` (the header or element at fault).
inline void expect_rejected(std::string_view relative, int status, std::initializer_list<std::string_view> words) {
    auto m = parse_message(load(relative));
    if (!m.ok()) {
        INFO("parser: " << m.error().message);
        CHECK(m.error().status == status);
        CHECK(mentions(m.error().message, words));
        return;
    }
    auto r = validate(*m);
    REQUIRE_MESSAGE(r.has_value(), relative << " passed every receipt check");
    INFO("validate: " << r->status << " " << r->reason);
    CHECK(r->status == status);
    CHECK(mentions(r->reason, words));
}

inline NameAddr name_addr(const Message& m, HeaderId id) {
    const HeaderField* f = m.find(id);
    REQUIRE(f != nullptr);
    auto na = parse_name_addr(f->value, canonical_name(id));
    REQUIRE_MESSAGE(na.ok(), (na.ok() ? std::string() : na.error().message));
    return std::move(na).value();
}

inline std::vector<NameAddr> contacts(const Message& m) {
    std::vector<NameAddr> out;
    for (std::string_view v : m.values(HeaderId::Contact)) {
        auto na = parse_name_addr(v, "Contact");
        REQUIRE_MESSAGE(na.ok(), (na.ok() ? std::string() : na.error().message));
        out.push_back(std::move(na).value());
    }
    return out;
}

inline std::vector<Via> vias(const Message& m) {
    std::vector<Via> out;
    for (std::string_view v : m.values(HeaderId::Via)) {
        auto via = parse_via(v);
        REQUIRE_MESSAGE(via.ok(), (via.ok() ? std::string() : via.error().message));
        out.push_back(std::move(via).value());
    }
    return out;
}

inline Uri request_uri(const Message& m) {
    auto u = parse_uri(m.request_uri(), "Request-URI");
    REQUIRE_MESSAGE(u.ok(), (u.ok() ? std::string() : u.error().message));
    return std::move(u).value();
}

}  // namespace torture
