#pragma once
// The few fields transaction matching needs from a message (§17.1.3, §17.2.3), and the keys
// built from them. Views point into the message (and the typed values it keeps), which the
// layer keeps alive and never edits.
#include "dialtone/base/result.hpp"
#include "dialtone/sip/message.hpp"
#include "dialtone/sip/name_addr.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace dialtone::txn::detail {

struct MessageKeys {
    std::string_view top_via;      // the whole first Via value, as received
    std::string_view branch;       // empty when the top Via has none (RFC 2543)
    std::string sent_by;           // host (lower case) ":" port (empty when absent)
    std::uint32_t cseq_number = 0;
    std::string_view cseq_method;
    std::string_view call_id;
    std::string_view from_tag;  // the tags are read for RFC 2543 matching only (no cookie)
    std::string_view to_tag;
    bool cookie = false;  // the branch starts with z9hG4bK (§8.1.1.7)

    bool has_cookie() const { return cookie; }
};

// Errors name the header at fault ("missing Via header", "bad CSeq header '...'", or the
// header grammar's own message such as "Via: bad sent-by port '70000'").
base::Result<MessageKeys> read_keys(const sip::Message& m);

// §17.1.3: the top Via branch and the CSeq method.
std::string client_key(std::string_view branch, std::string_view cseq_method);
// §17.2.3: branch, sent-by and the method, ACK counted as INVITE. `method` is the request's.
std::string server_key(const MessageKeys& k, std::string_view method);
// RFC 2543 (§17.2.3): Request-URI, From tag, Call-ID, CSeq number and top Via; the method and
// To tag are compared afterwards because the ACK differs from its INVITE in both.
std::string legacy_key(const MessageKeys& k, std::string_view request_uri);

// The tag parameter of a parsed From or To; empty when none or when the value did not parse.
std::string_view tag_of(const base::Result<sip::NameAddr>& addr);

}  // namespace dialtone::txn::detail
