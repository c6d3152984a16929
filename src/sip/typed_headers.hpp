#pragma once
// The typed values a Message keeps of its most-read headers (From, To, Via, CSeq, Contact):
// each parsed on first use by typed.hpp and dropped when a header line is edited. Receipt
// checks, transaction matching and dialog matching all read the same parse.
#include "dialtone/base/result.hpp"
#include "dialtone/sip/contact.hpp"
#include "dialtone/sip/cseq.hpp"
#include "dialtone/sip/name_addr.hpp"
#include "dialtone/sip/via.hpp"

#include <optional>
#include <vector>

namespace dialtone::sip {

struct TypedHeaders {
    std::optional<base::Result<NameAddr>> from;
    std::optional<base::Result<NameAddr>> to;
    std::optional<base::Result<std::vector<Via>>> vias;
    std::optional<base::Result<CSeq>> cseq;
    std::optional<base::Result<std::vector<Contact>>> contacts;
};

}  // namespace dialtone::sip
