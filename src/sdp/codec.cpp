#include "dialtone/sdp/codec.hpp"

#include "dialtone/base/strings.hpp"

namespace dialtone::sdp {

Codec Codec::opus(std::string fmtp) { return Codec{"opus", 48000, 2, std::move(fmtp), 111}; }
Codec Codec::pcmu() { return Codec{"PCMU", 8000, 1, "", 0}; }
Codec Codec::pcma() { return Codec{"PCMA", 8000, 1, "", 8}; }
Codec Codec::g722() { return Codec{"G722", 8000, 1, "", 9}; }

bool Codec::matches(const Rtpmap& r) const {
    return base::iequals(name, r.encoding) && clock_rate == r.clock_rate && channels == r.channel_count();
}

bool is_telephone_event(const Rtpmap& r) { return base::iequals(r.encoding, "telephone-event"); }

}  // namespace dialtone::sdp
