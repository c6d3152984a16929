#pragma once
// Where an in-dialog request goes (RFC 3261 §12.2.1.1): the Request-URI and Route header it
// carries, from the dialog's remote target and route set, for loose and strict next hops.
#include "dialtone/sip/name_addr.hpp"
#include "dialtone/sip/uri.hpp"

#include <vector>

namespace dialtone::dialog {

using RouteSet = std::vector<sip::NameAddr>;

struct RequestTarget {
    sip::Uri request_uri;
    RouteSet route;  // the Route header, in order; empty: no Route header
    bool strict = false;  // the first hop is a strict router, named by the Request-URI
};

// §12.2.1.1:
//  - empty route set: Request-URI = remote target, no Route;
//  - first route has ;lr (loose router): Request-URI = remote target, Route = route set;
//  - otherwise (strict router): Request-URI = first route's URI without the parameters a
//    Request-URI may not carry (§19.1.1: method, URI headers), Route = the rest of the route set
//    followed by the remote target.
RequestTarget request_target(const sip::Uri& remote_target, const RouteSet& route_set);

// The URI the request is sent to (§8.1.2, RFC 3263): the first Route entry for a loose first
// hop, else the Request-URI.
const sip::Uri& next_hop(const RequestTarget& target);

// A URI as a Request-URI may carry it (§19.1.1 Table 1): without the method parameter and
// without headers.
sip::Uri as_request_uri(sip::Uri uri);

}  // namespace dialtone::dialog
