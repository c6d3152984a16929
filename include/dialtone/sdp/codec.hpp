#pragma once
// An audio codec as SDP names it: the entries of the user's preference list.
#include <cstdint>
#include <optional>
#include <string>

#include "dialtone/sdp/rtpmap.hpp"

namespace dialtone::sdp {

struct Codec {
    std::string name;               // encoding name as written in rtpmap: "opus", "PCMU", …
    std::uint32_t clock_rate = 8000;
    std::uint32_t channels = 1;     // rtpmap channels; Opus is always written /2 (RFC 7587 §7)
    std::string fmtp;               // what we announce for this codec, e.g. "useinbandfec=1"
    std::optional<unsigned> payload_type;  // static number, or the dynamic number we prefer

    // Opus at 48000/2 with in-band FEC wanted (RFC 7587 §6.1).
    static Codec opus(std::string fmtp = "useinbandfec=1");
    static Codec pcmu();  // static payload type 0
    static Codec pcma();  // static payload type 8
    static Codec g722();  // static payload type 9; its RTP clock is 8000 (RFC 3551 §4.5.2)

    // Same encoding (case-insensitive), clock rate and channel count.
    bool matches(const Rtpmap& r) const;
    bool operator==(const Codec&) const = default;
};

bool is_telephone_event(const Rtpmap& r);

}  // namespace dialtone::sdp
