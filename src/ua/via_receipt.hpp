#pragma once
// What the server side of the transport does with the top Via of a request it receives
// (RFC 3261 §18.2.1, RFC 3581 §4), and where the responses to that request go (§18.2.2).
#include "dialtone/sip/message.hpp"
#include "dialtone/ua/datagram.hpp"

namespace dialtone::ua::detail {

// §18.2.1: a sent-by host other than the source address earns received=<source address>;
// RFC 3581 §4: an empty rport is filled with the source port (and received added even when
// the host matches). Returns where responses to the request go: over the connection it came
// on for TCP/TLS (with received and the sent-by port should that connection be gone); for UDP
// to received (else the sent-by host) at rport (else the sent-by port, else 5060 or 5061).
// A request without a usable Via is left alone and answered to its source.
Address stamp_received(sip::Message& request, Transport transport, const Address& source);

}  // namespace dialtone::ua::detail
