#include "via_receipt.hpp"

#include "dialtone/sip/via.hpp"

#include <string>
#include <vector>

namespace dialtone::ua::detail {

namespace {

// The first line of the header, written back: its first via-parm edited, any others (and any
// further Via lines) kept in order, folded into that one line (§7.3.1 makes them equivalent).
void rewrite_top(sip::Message& request, const std::vector<sip::Via>& first_line) {
    std::string value;
    for (const sip::Via& v : first_line) {
        if (!value.empty()) value += ", ";
        v.write(value);
    }
    bool first = true;
    for (const sip::HeaderField& h : request.headers()) {
        if (h.id != sip::HeaderId::Via) continue;
        if (!first) {
            value += ", ";
            value += h.value;
        }
        first = false;
    }
    request.set_header(sip::HeaderId::Via, value);
}

}  // namespace

Address stamp_received(sip::Message& request, Transport transport, const Address& source) {
    const sip::HeaderField* top = request.find(sip::HeaderId::Via);
    if (!top) return source;
    auto parsed = sip::parse_via_list(top->value);
    if (!parsed || parsed->empty()) return source;
    std::vector<sip::Via> line = std::move(*parsed);
    sip::Via& via = line.front();

    auto source_host = sip::parse_host(source.host, "source", true);
    const bool same_host = source_host && via.host.equivalent(*source_host);
    const bool wants_rport = via.has_rport() && !via.rport();
    if (!same_host || wants_rport) {
        via.set_received(source.host);
        if (wants_rport) via.set_rport(source.port);
        rewrite_top(request, line);
    }

    // §18.2.2 (reliable): the connection it came on; should it close, received and sent-by port.
    // RFC 3581 §4 (unreliable): received and rport, i.e. the source address and port.
    const std::uint16_t default_port = transport == Transport::Tls ? 5061 : 5060;
    Address to;
    to.host = via.received() ? std::string(*via.received()) : via.host.name;
    to.port = via.port.value_or(default_port);
    if (transport == Transport::Udp && via.rport()) to.port = *via.rport();
    return to;
}

}  // namespace dialtone::ua::detail
