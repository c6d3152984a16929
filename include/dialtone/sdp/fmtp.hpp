#pragma once
// a=fmtp:<format> <parameters> (RFC 8866 §6.15) and the parameter sets dialtone understands:
// Opus (RFC 7587 §6.1) and telephone-event (RFC 4733 §2.4.1).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dialtone/base/result.hpp"
#include "dialtone/sdp/session.hpp"

namespace dialtone::sdp {

struct Fmtp {
    std::string format;
    std::string parameters;  // as written, may be empty
};

base::Result<Fmtp> parse_fmtp(std::string_view value);

// The fmtp parameters of a format in a media section ("" when it has none).
std::string fmtp_for(const MediaDescription& m, std::string_view format);

// `name=value` pairs separated by ';' (spaces around them ignored); a bare name has value "".
struct FmtpParameter {
    std::string name;
    std::string value;
};
std::vector<FmtpParameter> split_fmtp_parameters(std::string_view parameters);
// The value of a named parameter (name compared without regard to case).
std::optional<std::string> fmtp_parameter(std::string_view parameters, std::string_view name);

// RFC 7587 §6.1. Each member is set only when the parameter is present.
struct OpusParameters {
    std::optional<std::uint32_t> max_playback_rate;     // maxplaybackrate
    std::optional<std::uint32_t> sprop_max_capture_rate;
    std::optional<std::uint32_t> max_average_bitrate;   // maxaveragebitrate, 6000-510000
    std::optional<bool> stereo;
    std::optional<bool> sprop_stereo;
    std::optional<bool> cbr;
    std::optional<bool> use_inband_fec;                 // useinbandfec
    std::optional<bool> use_dtx;                        // usedtx
    std::optional<std::uint32_t> ptime;
    std::optional<std::uint32_t> minptime;
    std::optional<std::uint32_t> maxptime;
};
// Unknown parameters are ignored (RFC 7587 §6.1); known ones with bad values are errors.
base::Result<OpusParameters> parse_opus_parameters(std::string_view parameters);

// telephone-event events: "0-15", "0-16", "0-15,66,70-72" (RFC 4733 §2.4.1).
struct EventRange {
    unsigned first = 0;
    unsigned last = 0;
    bool operator==(const EventRange&) const = default;
};
base::Result<std::vector<EventRange>> parse_event_list(std::string_view parameters);
std::string format_event_list(const std::vector<EventRange>& events);
// The events both lists carry.
std::vector<EventRange> intersect_events(const std::vector<EventRange>& a, const std::vector<EventRange>& b);

}  // namespace dialtone::sdp
