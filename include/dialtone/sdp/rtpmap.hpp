#pragma once
// a=rtpmap:<payload type> <encoding name>/<clock rate>[/<channels>]  (RFC 8866 §6.6) and the
// static payload types that need no rtpmap (RFC 3551 §6, table 4).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "dialtone/base/result.hpp"
#include "dialtone/sdp/session.hpp"

namespace dialtone::sdp {

struct Rtpmap {
    unsigned payload_type = 0;
    std::string encoding;
    std::uint32_t clock_rate = 0;
    std::optional<std::uint32_t> channels;  // absent means 1 for audio

    std::uint32_t channel_count() const { return channels.value_or(1); }
    bool operator==(const Rtpmap&) const = default;
};

base::Result<Rtpmap> parse_rtpmap(std::string_view value);
std::string format_rtpmap(const Rtpmap& r);  // the attribute value, without "rtpmap:"

// 0 PCMU/8000, 3 GSM/8000, 8 PCMA/8000, 9 G722/8000, 18 G729/8000, … ; nullopt if not static.
std::optional<Rtpmap> static_payload_type(unsigned payload_type);

// Payload types are 0-127 (RFC 3551 §3); 96-127 are dynamic.
constexpr bool is_dynamic_payload_type(unsigned pt) { return pt >= 96 && pt <= 127; }

// What a format of an RTP media section means: its rtpmap, else the static table.
std::optional<Rtpmap> rtpmap_for(const MediaDescription& m, std::string_view format);

}  // namespace dialtone::sdp
