#include "message_util.hpp"

#include "dialtone/base/strings.hpp"
#include "dialtone/sip/typed.hpp"

namespace dialtone::ua::detail {

using sip::HeaderId;

std::string_view transport_name(txn::Transport t) {
    switch (t) {
        case txn::Transport::Udp: return "UDP";
        case txn::Transport::Tcp: return "TCP";
        case txn::Transport::Tls: return "TLS";
        case txn::Transport::Sctp: return "SCTP";
        case txn::Transport::Ws: return "WS";
        case txn::Transport::Wss: return "WSS";
    }
    return "UDP";
}

sip::Message make_response(const sip::Message& request, int status, std::string_view reason,
                           std::string_view to_tag) {
    sip::Message m = sip::Message::response(status, reason);
    for (const sip::HeaderField& h : request.headers()) {
        switch (h.id) {
            case HeaderId::Via:
            case HeaderId::From:
            case HeaderId::CallId:
            case HeaderId::CSeq:
                m.add_header(h.id, h.value);
                break;
            case HeaderId::To:
                if (status > 100 && !to_tag.empty() && !has_tag_param(h.value)) {
                    // §8.2.6.2: the UAS adds its tag; the value is otherwise copied as received.
                    std::string value(h.value);
                    value += ";tag=";
                    value += to_tag;
                    m.add_header(HeaderId::To, value);
                    break;
                }
                m.add_header(HeaderId::To, h.value);
                break;
            default:
                break;
        }
    }
    return m;
}

std::string to_tag_of(const sip::Message& m) {
    const auto& to = sip::parsed_to(m);
    if (!to) return {};
    auto tag = to->tag();
    return tag ? std::string(*tag) : std::string();
}

bool has_tag_param(std::string_view value) {
    // Skip a quoted display name and the <URI>; an addr-spec without <> ends its URI at the
    // first ';', after which everything is a header parameter (§20.10).
    std::size_t i = 0;
    bool quoted = false, angle = false, after_uri = false;
    const bool has_angle = value.find('<') != std::string_view::npos;
    for (; i < value.size(); ++i) {
        const char c = value[i];
        if (quoted) {
            if (c == '\\') ++i;
            else if (c == '"') quoted = false;
            continue;
        }
        if (c == '"') quoted = true;
        else if (c == '<') angle = true;
        else if (c == '>' && angle) { angle = false; after_uri = true; }
        else if (c == ';' && !angle && (after_uri || !has_angle)) {
            std::string_view rest = base::trim_left(value.substr(i + 1));
            if (base::istarts_with(rest, "tag") &&
                base::trim_left(rest.substr(3)).substr(0, 1) == "=") return true;
        }
    }
    return false;
}

int sipfrag_status(std::string_view body) {
    // "SIP/2.0 200 OK" on the first line.
    std::string_view line = body.substr(0, body.find_first_of("\r\n"));
    if (!base::istarts_with(line, "SIP/2.0 ") || line.size() < 11) return 0;
    auto code = base::parse_u32(line.substr(8, 3));
    return code ? static_cast<int>(*code) : 0;
}

std::string_view default_reason(int status) {
    switch (status) {
        case 100: return "Trying";
        case 180: return "Ringing";
        case 183: return "Session Progress";
        case 200: return "OK";
        case 202: return "Accepted";
        case 400: return "Bad Request";
        case 403: return "Forbidden";
        case 404: return "Not Found";
        case 405: return "Method Not Allowed";
        case 408: return "Request Timeout";
        case 415: return "Unsupported Media Type";
        case 420: return "Bad Extension";
        case 422: return "Session Interval Too Small";
        case 480: return "Temporarily Unavailable";
        case 481: return "Call/Transaction Does Not Exist";
        case 482: return "Loop Detected";
        case 483: return "Too Many Hops";
        case 486: return "Busy Here";
        case 487: return "Request Terminated";
        case 488: return "Not Acceptable Here";
        case 491: return "Request Pending";
        case 500: return "Server Internal Error";
        case 503: return "Service Unavailable";
        case 603: return "Decline";
        default: break;
    }
    if (status < 200) return "Session Progress";
    if (status < 300) return "OK";
    if (status < 400) return "Redirection";
    if (status < 500) return "Request Failure";
    if (status < 600) return "Server Failure";
    return "Global Failure";
}

}  // namespace dialtone::ua::detail
