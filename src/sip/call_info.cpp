#include "dialtone/sip/call_info.hpp"

#include "dialtone/sip/name_addr.hpp"
#include "header_lex.hpp"

namespace dialtone::sip {

std::optional<std::uint32_t> CallInfo::answer_after() const {
    auto v = params.get("answer-after");
    if (!v) return std::nullopt;
    auto n = lex::parse_number(*v, 4294967295u);
    if (!n) return std::nullopt;
    return static_cast<std::uint32_t>(*n);
}

void CallInfo::write(std::string& out) const {
    out.push_back('<');
    uri.write(out);
    out.push_back('>');
    params.write(out);
}

std::string CallInfo::to_string() const {
    std::string out;
    write(out);
    return out;
}

base::Result<std::vector<CallInfo>> parse_call_info_list(std::string_view value, std::string_view what) {
    std::vector<CallInfo> out;
    for (std::string_view item : lex::split_commas(value)) {
        if (item.empty()) return lex::fail(what, "empty list element");
        auto na = parse_name_addr(item, what, AddrForm::NameAddrOnly);
        if (!na) return na.error();
        if (na->display_name) return lex::fail(what, "unexpected display name");
        CallInfo ci{std::move(na->uri), std::move(na->params)};
        if (const Param* a = ci.params.find("answer-after");
            a && (!a->value || !lex::parse_number(*a->value, 4294967295u)))
            return lex::fail(what, "bad answer-after '" + a->value.value_or("") + "'");
        out.push_back(std::move(ci));
    }
    return out;
}

base::Result<std::vector<CallInfo>> parse_alert_info_list(std::string_view value) {
    return parse_call_info_list(value, "Alert-Info");
}

}  // namespace dialtone::sip
