#include "dialtone/dialog/route_set.hpp"

namespace dialtone::dialog {

sip::Uri as_request_uri(sip::Uri uri) {
    uri.params().remove("method");
    uri.headers().clear();
    return uri;
}

RequestTarget request_target(const sip::Uri& remote_target, const RouteSet& route_set) {
    RequestTarget t;
    if (route_set.empty() || route_set.front().uri.lr()) {
        t.request_uri = remote_target;
        t.route = route_set;
        return t;
    }
    // §12.2.1.1, strict routing: the remote target travels as the last Route entry, so the
    // strict router can put it back in the Request-URI (§16.6 step 6, §16.12).
    t.strict = true;
    t.request_uri = as_request_uri(route_set.front().uri);
    t.route.assign(route_set.begin() + 1, route_set.end());
    sip::NameAddr last;
    last.uri = remote_target;
    t.route.push_back(std::move(last));
    return t;
}

const sip::Uri& next_hop(const RequestTarget& target) {
    return target.route.empty() || target.strict ? target.request_uri : target.route.front().uri;
}

}  // namespace dialtone::dialog
