#include "dialtone/sip/typed.hpp"

#include "dialtone/sip/numbers.hpp"
#include "header_lex.hpp"
#include "typed_headers.hpp"

#include <string>

namespace dialtone::sip {

namespace {

std::string header_name(HeaderId id) { return std::string(canonical_name(id)); }

// The values of every line of `id`, unsplit (our list parsers split them).
std::vector<std::string_view> lines(const Message& m, HeaderId id) {
    std::vector<std::string_view> out;
    for (const HeaderField& f : m.headers())
        if (f.id == id) out.push_back(f.value);
    return out;
}

// The one line of a single-valued header; nullopt if absent, an error if repeated.
base::Result<std::optional<std::string_view>> single(const Message& m, HeaderId id) {
    const HeaderField* first = m.find(id);
    if (!first) return std::optional<std::string_view>();
    if (const std::size_t n = m.count(id); n > 1)
        return lex::fail(header_name(id), "appears " + std::to_string(n) + " times");
    return std::optional<std::string_view>(first->value);
}

base::Result<std::string_view> mandatory(const Message& m, HeaderId id) {
    auto v = single(m, id);
    if (!v) return v.error();
    if (!v->has_value()) return base::make_error("missing " + header_name(id) + " header", 400);
    return **v;
}

// An optional single value parsed by `parse`.
template <class T, class Parse>
base::Result<std::optional<T>> optional_value(const Message& m, HeaderId id, Parse parse) {
    auto v = single(m, id);
    if (!v) return v.error();
    if (!v->has_value()) return std::optional<T>();
    auto r = parse(**v);
    if (!r) return r.error();
    return std::optional<T>(std::move(r).value());
}

// Every element of every line of `id`, parsed by `parse_list` (one line → vector<T>).
template <class T, class ParseList>
base::Result<std::vector<T>> all_lines(const Message& m, HeaderId id, ParseList parse_list) {
    std::vector<T> out;
    for (const HeaderField& f : m.headers()) {
        if (f.id != id) continue;
        auto r = parse_list(f.value);
        if (!r) return r.error();
        if (out.empty()) out = std::move(r).value();  // the usual single line: no element moves
        else for (T& item : r.value()) out.push_back(std::move(item));
    }
    return out;
}

base::Result<TokenList> tokens(const Message& m, HeaderId id, EmptyList empty) {
    TokenList out;
    for (std::string_view line : lines(m, id)) {
        auto r = parse_token_list(line, canonical_name(id), empty);
        if (!r) return r.error();
        for (std::string& t : r->tokens) out.tokens.push_back(std::move(t));
    }
    return out;
}

}  // namespace

base::Result<Uri> request_uri(const Message& m) {
    if (!m.is_request()) return base::make_error("Request-URI: not a request", 400);
    return parse_uri(m.request_uri(), "Request-URI");
}

base::Result<std::vector<Via>> vias(const Message& m) { return parsed_vias(m); }

base::Result<Via> top_via(const Message& m) {
    const HeaderField* f = m.find(HeaderId::Via);
    if (!f) return base::make_error("missing Via header", 400);
    if (const auto& all = parsed_vias(m)) return all->front();  // already parsed (receipt checks)
    // Only the first element of the first line: the rest need not be parsed.
    auto list = lex::split_commas(f->value);
    if (list.front().empty()) return lex::fail("Via", "empty list element");
    return parse_via(list.front());
}

base::Result<NameAddr> from(const Message& m) { return parsed_from(m); }
base::Result<NameAddr> to(const Message& m) { return parsed_to(m); }

base::Result<std::string_view> call_id(const Message& m) {
    auto v = mandatory(m, HeaderId::CallId);
    if (!v) return v.error();
    if (!lex::is_call_id(*v)) return lex::fail("Call-ID", "bad value '" + std::string(*v) + "'");
    return *v;
}

base::Result<CSeq> cseq(const Message& m) { return parsed_cseq(m); }

namespace {
// Parses the From or To of `m` straight into the message's slot (no moves of the result).
const base::Result<NameAddr>& name_addr_header(const Message& m, HeaderId id,
                                               std::optional<base::Result<NameAddr>>& slot) {
    if (slot) return *slot;
    auto v = mandatory(m, id);
    if (!v) return slot.emplace(v.error());
    slot.emplace(NameAddr{});
    if (auto st = parse_name_addr_into(*v, canonical_name(id), AddrForm::Any, slot->value()); !st) *slot = st.error();
    return *slot;
}
}  // namespace

const base::Result<NameAddr>& parsed_from(const Message& m) {
    return name_addr_header(m, HeaderId::From, m.typed_headers().from);
}

const base::Result<NameAddr>& parsed_to(const Message& m) {
    return name_addr_header(m, HeaderId::To, m.typed_headers().to);
}

const base::Result<std::vector<Via>>& parsed_vias(const Message& m) {
    auto& slot = m.typed_headers().vias;
    if (!slot) {
        auto out = all_lines<Via>(m, HeaderId::Via, parse_via_list);
        if (out && out->empty()) out = base::make_error("missing Via header", 400);
        slot.emplace(std::move(out));
    }
    return *slot;
}

const base::Result<CSeq>& parsed_cseq(const Message& m) {
    auto& slot = m.typed_headers().cseq;
    if (!slot) {
        auto v = mandatory(m, HeaderId::CSeq);
        slot.emplace(v ? parse_cseq(*v) : base::Result<CSeq>(v.error()));
    }
    return *slot;
}

const base::Result<std::vector<Contact>>& parsed_contacts(const Message& m) {
    auto& slot = m.typed_headers().contacts;
    if (!slot) {
        auto out = all_lines<Contact>(m, HeaderId::Contact, parse_contact_list);
        if (out && out->size() > 1)
            for (const Contact& c : out.value())
                if (c.wildcard) {
                    out = lex::fail("Contact", "'*' must be the only contact");
                    break;
                }
        slot.emplace(std::move(out));
    }
    return *slot;
}

base::Result<std::optional<std::uint8_t>> max_forwards(const Message& m) {
    return optional_value<std::uint8_t>(m, HeaderId::MaxForwards, parse_max_forwards);
}
base::Result<std::optional<std::uint32_t>> expires(const Message& m) {
    return optional_value<std::uint32_t>(m, HeaderId::Expires, parse_expires);
}
base::Result<std::optional<std::uint32_t>> min_expires(const Message& m) {
    return optional_value<std::uint32_t>(m, HeaderId::MinExpires, parse_min_expires);
}
base::Result<std::optional<std::uint32_t>> content_length(const Message& m) {
    return optional_value<std::uint32_t>(m, HeaderId::ContentLength, parse_content_length);
}
base::Result<std::optional<MediaType>> content_type(const Message& m) {
    return optional_value<MediaType>(m, HeaderId::ContentType, parse_content_type);
}
base::Result<std::optional<std::uint32_t>> rseq(const Message& m) {
    return optional_value<std::uint32_t>(m, HeaderId::RSeq, parse_rseq);
}
base::Result<std::optional<RAck>> rack(const Message& m) {
    return optional_value<RAck>(m, HeaderId::RAck, parse_rack);
}
base::Result<std::optional<SessionExpires>> session_expires(const Message& m) {
    return optional_value<SessionExpires>(m, HeaderId::SessionExpires, parse_session_expires);
}
base::Result<std::optional<MinSE>> min_se(const Message& m) {
    return optional_value<MinSE>(m, HeaderId::MinSE, parse_min_se);
}
base::Result<std::optional<Event>> event(const Message& m) {
    return optional_value<Event>(m, HeaderId::Event, parse_event);
}
base::Result<std::optional<NameAddr>> refer_to(const Message& m) {
    return optional_value<NameAddr>(m, HeaderId::ReferTo, parse_refer_to);
}
base::Result<std::optional<NameAddr>> referred_by(const Message& m) {
    return optional_value<NameAddr>(m, HeaderId::ReferredBy, parse_referred_by);
}
base::Result<std::optional<Replaces>> replaces(const Message& m) {
    return optional_value<Replaces>(m, HeaderId::Replaces, parse_replaces);
}

base::Result<std::vector<Contact>> contacts(const Message& m) { return parsed_contacts(m); }

base::Result<std::vector<NameAddr>> routes(const Message& m) {
    return all_lines<NameAddr>(m, HeaderId::Route, [](std::string_view v) { return parse_route_list(v, "Route"); });
}

base::Result<std::vector<NameAddr>> record_routes(const Message& m) {
    return all_lines<NameAddr>(m, HeaderId::RecordRoute,
                               [](std::string_view v) { return parse_route_list(v, "Record-Route"); });
}

base::Result<std::optional<std::vector<MediaType>>> accept(const Message& m) {
    if (!m.find(HeaderId::Accept)) return std::optional<std::vector<MediaType>>();
    auto out = all_lines<MediaType>(m, HeaderId::Accept, parse_accept);
    if (!out) return out.error();
    return std::optional<std::vector<MediaType>>(std::move(out).value());
}

base::Result<TokenList> allow(const Message& m) { return tokens(m, HeaderId::Allow, EmptyList::Allowed); }
base::Result<TokenList> supported(const Message& m) { return tokens(m, HeaderId::Supported, EmptyList::Allowed); }
base::Result<TokenList> require(const Message& m) { return tokens(m, HeaderId::Require, EmptyList::Rejected); }
base::Result<TokenList> proxy_require(const Message& m) {
    return tokens(m, HeaderId::ProxyRequire, EmptyList::Rejected);
}
base::Result<TokenList> unsupported(const Message& m) {
    return tokens(m, HeaderId::Unsupported, EmptyList::Rejected);
}
base::Result<TokenList> allow_events(const Message& m) {
    return tokens(m, HeaderId::AllowEvents, EmptyList::Allowed);
}

base::Result<std::vector<CallInfo>> call_info(const Message& m) {
    return all_lines<CallInfo>(m, HeaderId::CallInfo, [](std::string_view v) { return parse_call_info_list(v); });
}
base::Result<std::vector<CallInfo>> alert_info(const Message& m) {
    return all_lines<CallInfo>(m, HeaderId::AlertInfo, parse_alert_info_list);
}
base::Result<std::vector<Reason>> reasons(const Message& m) {
    return all_lines<Reason>(m, HeaderId::Reason, parse_reason_list);
}
base::Result<std::vector<Warning>> warnings(const Message& m) {
    return all_lines<Warning>(m, HeaderId::Warning, parse_warning_list);
}

}  // namespace dialtone::sip
