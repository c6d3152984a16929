#pragma once
// The outcome of a completed offer/answer exchange for one stream: everything the media layer
// needs to send and receive it.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "dialtone/sdp/codec.hpp"
#include "dialtone/sdp/crypto.hpp"
#include "dialtone/sdp/direction.hpp"
#include "dialtone/sdp/session.hpp"

namespace dialtone::sdp {

struct SrtpParameters {
    SrtpSuite suite = SrtpSuite::AesCm128HmacSha1_80;
    std::uint32_t tag = 1;
    KeyParam local;   // protects what we send
    KeyParam remote;  // unprotects what we receive
};

struct NegotiatedMedia {
    std::size_t mline = 0;  // index of the m= line in both descriptions
    std::string proto;      // RTP/AVP or RTP/SAVP

    // Where to send. RFC 3605: RTCP goes to rtp port + 1 unless a=rtcp says otherwise;
    // RFC 5761: with rtcp-mux it shares the RTP port.
    Connection remote;
    std::uint16_t remote_port = 0;
    Connection remote_rtcp;
    std::uint16_t remote_rtcp_port = 0;
    bool rtcp_mux = false;
    bool remote_hold_address = false;  // the peer wrote c=0.0.0.0 (RFC 2543 hold)

    std::uint16_t local_port = 0;

    // The codec: name/clock/channels as negotiated, fmtp as the peer wrote it (what it receives).
    Codec codec;
    unsigned send_payload_type = 0;     // the number the peer gave it
    unsigned receive_payload_type = 0;  // the number we gave it
    bool opus_fec = false;              // the peer decodes in-band FEC (useinbandfec=1)
    std::optional<std::uint32_t> opus_max_average_bitrate;
    bool opus_stereo = false;           // the peer prefers to receive stereo

    // RFC 4733 telephone-event, when both ends want it: at the codec's clock rate, or at the
    // one clock rate the peer has (8000 next to Opus); durations count in that clock.
    std::optional<unsigned> telephone_event_send_payload_type;
    std::optional<unsigned> telephone_event_receive_payload_type;
    std::uint32_t telephone_event_clock_rate = 0;

    std::uint32_t ptime = 20;           // ms per packet we send: the peer's a=ptime, else ours
    std::optional<std::uint32_t> max_ptime;  // the peer's a=maxptime, if given
    Direction direction = Direction::SendRecv;  // our view: SendOnly = we send, peer does not
    std::optional<SrtpParameters> srtp;
};

}  // namespace dialtone::sdp
