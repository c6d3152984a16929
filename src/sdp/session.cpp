#include "dialtone/sdp/session.hpp"

#include "dialtone/base/strings.hpp"

namespace dialtone::sdp {

std::string_view to_string(AddressType t) { return t == AddressType::IP4 ? "IP4" : "IP6"; }

const Attribute* find_attribute(const std::vector<Attribute>& attrs, std::string_view name) {
    for (const auto& a : attrs)
        if (base::iequals(a.name, name)) return &a;
    return nullptr;
}

std::vector<const Attribute*> find_attributes(const std::vector<Attribute>& attrs, std::string_view name) {
    std::vector<const Attribute*> out;
    for (const auto& a : attrs)
        if (base::iequals(a.name, name)) out.push_back(&a);
    return out;
}

bool has_attribute(const std::vector<Attribute>& attrs, std::string_view name) {
    return find_attribute(attrs, name) != nullptr;
}

const Connection* effective_connection(const SessionDescription& s, const MediaDescription& m) {
    if (!m.connections.empty()) return &m.connections.front();
    if (s.connection) return &*s.connection;
    return nullptr;
}

}  // namespace dialtone::sdp
