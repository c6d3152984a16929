#pragma once
// A caller's request that the callee answer on its own, in the three forms phones send:
//
//   Call-Info: <sip:pbx.example.com>;answer-after=N    (answer after N seconds)
//   Alert-Info: <http://example.com/aa>;info=alert-autoanswer
//   Answer-Mode: Auto                                    (RFC 5373 §4; also Priv-Answer-Mode)
//
// Whether to honour it is the callee's policy (RFC 5373 §8: never by default).
#include "dialtone/sip/message.hpp"

#include <cstdint>
#include <optional>

namespace dialtone::sip {

// The delay in seconds the request asks for (the shortest when several forms are present);
// nullopt when none asks, for "Answer-Mode: Manual", and for a header that does not parse.
std::optional<std::uint32_t> requested_answer_after(const Message& invite);

}  // namespace dialtone::sip
