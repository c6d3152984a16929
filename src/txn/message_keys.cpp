#include "message_keys.hpp"

#include "dialtone/base/strings.hpp"
#include "dialtone/sip/cseq.hpp"
#include "dialtone/sip/header_id.hpp"
#include "dialtone/sip/name_addr.hpp"
#include "dialtone/sip/via.hpp"

namespace dialtone::txn::detail {

std::string tag_of(std::string_view value) {
    auto addr = sip::parse_name_addr(value);
    if (!addr) return {};
    auto tag = addr->tag();
    return tag ? std::string(*tag) : std::string();
}

base::Result<MessageKeys> read_keys(const sip::Message& m) {
    MessageKeys k;
    const std::vector<std::string_view> vias = m.values(sip::HeaderId::Via);
    if (vias.empty()) return base::make_error("missing Via header", 400);
    k.top_via = vias.front();
    auto via = sip::parse_via(k.top_via);
    if (!via) return base::make_error(via.error().message, 400);
    if (auto branch = via->branch()) k.branch = std::string(*branch);
    k.cookie = via->has_magic_cookie();
    k.sent_by = via->host.kind == sip::HostKind::Name ? base::to_lower(via->host.name) : via->host.name;
    k.sent_by += ':';
    if (via->port) k.sent_by += std::to_string(*via->port);

    const sip::HeaderField* cseq_field = m.find(sip::HeaderId::CSeq);
    if (!cseq_field) return base::make_error("missing CSeq header", 400);
    auto cseq = sip::parse_cseq(cseq_field->value);
    if (!cseq) return base::make_error(cseq.error().message, 400);
    k.cseq_number = cseq->number;
    k.cseq_method = std::move(cseq->method_text);

    if (const sip::HeaderField* f = m.find(sip::HeaderId::CallId)) k.call_id = f->value;
    if (const sip::HeaderField* f = m.find(sip::HeaderId::From)) k.from_tag = tag_of(f->value);
    if (const sip::HeaderField* f = m.find(sip::HeaderId::To)) k.to_tag = tag_of(f->value);
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
