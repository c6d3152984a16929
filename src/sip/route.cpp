#include "dialtone/sip/route.hpp"

namespace dialtone::sip {

base::Result<std::vector<RouteEntry>> parse_route_list(std::string_view value, std::string_view what) {
    return parse_name_addr_list(value, what, AddrForm::NameAddrOnly);
}

void write_route_list(std::string& out, const std::vector<RouteEntry>& routes) {
    for (std::size_t i = 0; i < routes.size(); ++i) {
        if (i > 0) out += ", ";
        routes[i].write(out);
    }
}

std::string route_list_to_string(const std::vector<RouteEntry>& routes) {
    std::string out;
    write_route_list(out, routes);
    return out;
}

}  // namespace dialtone::sip
