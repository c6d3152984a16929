#pragma once
// Route and Record-Route (RFC 3261 §20.30, §20.34): comma-separated name-addrs, always in
// angle brackets, with header parameters. A route set is the list in order (§12.1).
#include "dialtone/base/result.hpp"
#include "dialtone/sip/name_addr.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace dialtone::sip {

using RouteEntry = NameAddr;

// `what` is "Route" or "Record-Route" (or "Path", "Service-Route": same grammar).
base::Result<std::vector<RouteEntry>> parse_route_list(std::string_view value, std::string_view what = "Route");

// Writes entries comma-separated, the way one header line carries them.
void write_route_list(std::string& out, const std::vector<RouteEntry>& routes);
std::string route_list_to_string(const std::vector<RouteEntry>& routes);

}  // namespace dialtone::sip
