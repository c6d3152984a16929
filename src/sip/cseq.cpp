#include "dialtone/sip/cseq.hpp"

#include "dialtone/base/strings.hpp"
#include "header_lex.hpp"

namespace dialtone::sip {

namespace {

// Reads one 1*DIGIT field bounded by [min, max]; `field` names it in errors.
base::Status number_field(lex::Cursor& c, std::string_view what, std::string_view field, std::uint32_t min,
                          std::uint32_t max, std::uint32_t& out) {
    c.skip_ws();
    std::string_view digits = c.until_any(" \t");
    if (digits.empty()) return lex::fail(what, "missing " + std::string(field));
    for (char ch : digits)
        if (!base::is_digit(ch)) return lex::fail(what, "bad " + std::string(field) + " '" + std::string(digits) + "'");
    auto n = base::parse_u64(digits);
    if (!n || *n < min || *n > max) {
        std::string range = min > 0 ? "outside 1 to 2^31-1" : "above 2^31-1";
        return lex::fail(what, std::string(field) + " '" + std::string(digits) + "' " + range);
    }
    out = static_cast<std::uint32_t>(*n);
    return {};
}

base::Status method_field(lex::Cursor& c, std::string_view what, std::string& out) {
    std::size_t before = c.pos();
    c.skip_ws();
    if (c.done()) return lex::fail(what, "missing method");
    if (c.pos() == before) return lex::fail(what, "missing space before method");
    std::string_view m = c.until_any(" \t");
    if (!lex::is_token(m)) return lex::fail(what, "bad method '" + std::string(m) + "'");
    c.skip_ws();
    if (!c.done()) return lex::fail(what, "unexpected '" + std::string(c.rest()) + "'");
    out = std::string(m);
    return {};
}

}  // namespace

CSeq CSeq::make(std::uint32_t number, Method method) { return CSeq{number, std::string(sip::to_string(method))}; }

void CSeq::write(std::string& out) const {
    out += std::to_string(number);
    out.push_back(' ');
    out += method_text;
}

std::string CSeq::to_string() const {
    std::string out;
    write(out);
    return out;
}

void RAck::write(std::string& out) const {
    out += std::to_string(rseq);
    out.push_back(' ');
    out += std::to_string(cseq);
    out.push_back(' ');
    out += method_text;
}

std::string RAck::to_string() const {
    std::string out;
    write(out);
    return out;
}

base::Result<CSeq> parse_cseq(std::string_view value) {
    constexpr std::string_view what = "CSeq";
    lex::Cursor c(value);
    CSeq cs;
    if (auto st = number_field(c, what, "sequence number", 0, kMaxCSeq, cs.number); !st) return st.error();
    if (auto st = method_field(c, what, cs.method_text); !st) return st.error();
    return cs;
}

base::Result<RAck> parse_rack(std::string_view value) {
    constexpr std::string_view what = "RAck";
    lex::Cursor c(value);
    RAck r;
    if (auto st = number_field(c, what, "response number", 1, kMaxCSeq, r.rseq); !st) return st.error();
    if (c.done()) return lex::fail(what, "missing CSeq number");
    if (auto st = number_field(c, what, "CSeq number", 0, kMaxCSeq, r.cseq); !st) return st.error();
    if (auto st = method_field(c, what, r.method_text); !st) return st.error();
    return r;
}

}  // namespace dialtone::sip
