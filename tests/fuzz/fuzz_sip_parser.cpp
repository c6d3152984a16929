// libFuzzer target: arbitrary bytes through the SIP parser, the header grammars and the receipt
// checks. Aborts when a parsed message does not reach the serialize → parse → serialize fixed
// point, or when a reason phrase could not go on a status line.
#include "dialtone/sip/multipart.hpp"
#include "dialtone/sip/parser.hpp"
#include "dialtone/sip/typed.hpp"
#include "dialtone/sip/validate.hpp"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

using namespace dialtone::sip;

namespace {

[[noreturn]] void fail(const char* what, std::string_view detail) {
    std::fprintf(stderr, "fuzz-sip-parser: %s\n%.*s\n", what, static_cast<int>(detail.size()), detail.data());
    std::abort();
}

// Every typed accessor over the message; results are dropped, only crashes matter.
void exercise_typed(const Message& m) {
    if (m.is_request()) (void)request_uri(m);
    (void)top_via(m), (void)vias(m), (void)from(m), (void)to(m), (void)call_id(m), (void)cseq(m);
    (void)max_forwards(m), (void)expires(m), (void)min_expires(m), (void)content_length(m);
    (void)content_type(m), (void)rseq(m), (void)rack(m), (void)session_expires(m), (void)min_se(m);
    (void)event(m), (void)refer_to(m), (void)referred_by(m), (void)replaces(m);
    (void)contacts(m), (void)routes(m), (void)record_routes(m), (void)accept(m), (void)allow(m);
    (void)supported(m), (void)require(m), (void)proxy_require(m), (void)unsupported(m);
    (void)allow_events(m), (void)call_info(m), (void)alert_info(m), (void)reasons(m), (void)warnings(m);
    (void)body_of_type(m, "application/sdp");
}

void check_reason(const Message& m) {
    ReceiptPolicy proxy;
    proxy.forwards = true;
    for (const ReceiptPolicy& policy : {ReceiptPolicy{}, proxy}) {
        const auto r = validate(m, policy);
        if (!r) continue;
        if (r->status < 400 || r->status > 699) fail("rejection status out of range", r->reason);
        for (char c : r->reason) {
            const auto u = static_cast<unsigned char>(c);
            if (u < 0x20 || u == 0x7f) fail("control character in reason phrase", r->reason);
        }
    }
}

void check_fixed_point(const Message& m) {
    const std::string first = m.serialize();
    auto again = parse_message(first);
    if (!again) fail("serialized message does not parse", again.error().message + "\n" + first);
    const std::string second = again->serialize();
    if (first != second) fail("serialize is not a fixed point", first + "\n----\n" + second);
    if (again->body() != m.body()) fail("body changed on the way through serialize", first);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    for (Framing framing : {Framing::Datagram, Framing::Stream}) {
        ParseOptions options;
        options.framing = framing;
        auto m = parse_message(bytes, options);
        if (!m) {
            if (m.error().status != 400) fail("parse error without status 400", m.error().message);
            continue;
        }
        exercise_typed(*m);
        check_reason(*m);
        check_fixed_point(*m);
    }
    return 0;
}
