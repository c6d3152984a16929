#include "dialtone/sip/contact.hpp"

#include "dialtone/base/strings.hpp"
#include "header_lex.hpp"

namespace dialtone::sip {

namespace {
constexpr std::string_view kWhat = "Contact";
constexpr std::uint64_t kMaxDelta = 4294967295u;  // (2**32)-1, §20.19
}  // namespace

std::optional<std::uint16_t> parse_qvalue(std::string_view text) {
    if (text.empty() || (text[0] != '0' && text[0] != '1')) return std::nullopt;
    unsigned whole = static_cast<unsigned>(text[0] - '0');
    if (text.size() == 1) return static_cast<std::uint16_t>(whole * 1000);
    if (text[1] != '.' || text.size() > 5) return std::nullopt;
    unsigned frac = 0, scale = 100;
    for (char c : text.substr(2)) {
        if (!base::is_digit(c)) return std::nullopt;
        frac += static_cast<unsigned>(c - '0') * scale;
        scale /= 10;
    }
    if (whole == 1 && frac != 0) return std::nullopt;
    return static_cast<std::uint16_t>(whole * 1000 + frac);
}

std::optional<std::uint32_t> Contact::expires() const {
    auto v = address.params.get("expires");
    if (!v) return std::nullopt;
    auto n = lex::parse_number(*v, kMaxDelta);
    if (!n) return std::nullopt;
    return static_cast<std::uint32_t>(*n);
}

std::optional<std::uint16_t> Contact::q_millis() const {
    auto v = address.params.get("q");
    if (!v) return std::nullopt;
    return parse_qvalue(*v);
}

void Contact::write(std::string& out) const {
    if (wildcard) {
        out.push_back('*');
        return;
    }
    address.write(out);
}

std::string Contact::to_string() const {
    std::string out;
    write(out);
    return out;
}

base::Result<Contact> parse_contact(std::string_view value) {
    Contact c;
    if (base::trim(value) == "*") {
        c.wildcard = true;
        return c;
    }
    if (auto st = parse_name_addr_into(value, kWhat, AddrForm::Any, c.address); !st) return st.error();
    if (auto e = c.address.params.find("expires"); e && (!e->value || !lex::parse_number(*e->value, kMaxDelta)))
        return lex::fail(kWhat, "bad expires '" + e->value.value_or("") + "'");
    if (auto q = c.address.params.find("q"); q && (!q->value || !parse_qvalue(*q->value)))
        return lex::fail(kWhat, "bad q value '" + q->value.value_or("") + "'");
    return c;
}

base::Result<std::vector<Contact>> parse_contact_list(std::string_view value) {
    std::vector<Contact> out;
    for (std::string_view item : lex::split_commas(value)) {
        if (item.empty()) return lex::fail(kWhat, "empty list element");
        auto c = parse_contact(item);
        if (!c) return c.error();
        out.push_back(std::move(c).value());
    }
    if (out.size() > 1)
        for (const Contact& c : out)
            if (c.wildcard) return lex::fail(kWhat, "'*' must be the only contact");
    return out;
}

}  // namespace dialtone::sip
