#include "message_keys.hpp"

#include "dialtone/base/strings.hpp"
#include "dialtone/sip/comma_list.hpp"
#include "dialtone/sip/cseq.hpp"
#include "dialtone/sip/header_id.hpp"
#include "dialtone/sip/name_addr.hpp"
#include "dialtone/sip/typed.hpp"
#include "dialtone/sip/via.hpp"

#include <charconv>
#include <optional>

namespace dialtone::txn::detail {

std::string_view tag_of(const base::Result<sip::NameAddr>& addr) {
    if (!addr) return {};
    return addr->tag().value_or(std::string_view());
}

base::Result<MessageKeys> read_keys(const sip::Message& m) {
    MessageKeys k;
    const sip::HeaderField* via_field = m.find(sip::HeaderId::Via);
    if (!via_field) return base::make_error("missing Via header", 400);
    k.top_via = sip::split_comma_list(via_field->value).front();
    // Only the top Via matters here: when a later one is malformed, parse the top one alone.
    const auto& vias = sip::parsed_vias(m);
    std::optional<sip::Via> top_alone;
    if (!vias) {
        auto top = sip::parse_via(k.top_via);
        if (!top) return base::make_error(top.error().message, 400);
        top_alone = std::move(top).value();
    }
    const sip::Via& via = vias ? vias->front() : *top_alone;
    if (auto branch = via.branch()) k.branch = *branch;
    k.cookie = via.has_magic_cookie();
    if (via.host.kind == sip::HostKind::Name) k.sent_by = base::to_lower(via.host.name);
    else k.sent_by = via.host.name;
    k.sent_by += ':';
    if (via.port) {
        char digits[8];
        auto [end, ec] = std::to_chars(digits, digits + sizeof digits, *via.port);
        (void)ec;
        k.sent_by.append(digits, end);
    }

    const auto& cseq = sip::parsed_cseq(m);
    if (!cseq) return base::make_error(cseq.error().message, 400);
    k.cseq_number = cseq->number;
    k.cseq_method = cseq->method_text;

    if (const sip::HeaderField* f = m.find(sip::HeaderId::CallId)) k.call_id = f->value;
    if (!k.cookie) {
        // Only the RFC 2543 rules compare tags; a branch with the cookie identifies alone.
        if (m.find(sip::HeaderId::From)) k.from_tag = tag_of(sip::parsed_from(m));
        if (m.find(sip::HeaderId::To)) k.to_tag = tag_of(sip::parsed_to(m));
    }
    return k;
}

std::string client_key(std::string_view branch, std::string_view cseq_method) {
    std::string key;
    key.reserve(branch.size() + cseq_method.size() + 1);
    key += branch;
    key += '\n';
    key += cseq_method;
    return key;
}

std::string server_key(const MessageKeys& k, std::string_view method) {
    if (method == "ACK") method = "INVITE";
    std::string key;
    key.reserve(k.branch.size() + k.sent_by.size() + method.size() + 2);
    key += k.branch;
    key += '\n';
    key += k.sent_by;
    key += '\n';
    key += method;
    return key;
}

std::string legacy_key(const MessageKeys& k, std::string_view request_uri) {
    std::string key;
    key += request_uri;
    key += '\n';
    key += k.from_tag;
    key += '\n';
    key += k.call_id;
    key += '\n';
    key += std::to_string(k.cseq_number);
    key += '\n';
    key += k.top_via;
    return key;
}

}  // namespace dialtone::txn::detail
