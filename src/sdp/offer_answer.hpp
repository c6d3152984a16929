#pragma once
// The per-stream rules of RFC 3264 that the Negotiator strings together (not installed).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dialtone/base/result.hpp"
#include "dialtone/sdp/negotiator.hpp"

namespace dialtone::sdp::detail {

// Why a stream is declined: a Warning code (RFC 3261 §20.43) and text; code 0 is no fault
// (the offerer had disabled the stream itself).
struct Decline {
    int warn_code = 0;
    std::string text;
};
std::string warning_value(const NegotiatorConfig& config, const Decline& d);

struct LocalFormat {
    unsigned payload_type = 0;
    std::string encoding;
    std::uint32_t clock_rate = 8000;
    std::uint32_t channels = 1;
    std::string fmtp;
};

// One m= section we write, offer or answer.
struct LocalStream {
    std::uint16_t port = 0;
    std::string proto = "RTP/AVP";
    std::vector<LocalFormat> formats;
    Direction direction = Direction::SendRecv;
    std::uint32_t ptime = 20;
    std::vector<CryptoAttribute> crypto;
    bool rtcp_mux = false;
};
MediaDescription build_media(const LocalStream& s);

// RFC 3264 §6: a declined stream keeps its place with port 0 and the offered formats.
MediaDescription declined_media(const MediaDescription& offered);

// v o s c t with our address; the o= version is filled in later.
SessionDescription base_description(const NegotiatorConfig& config);

AddressType address_type_of(std::string_view address);

// The answer to one offered stream, given the local port it may use (none: no port left).
struct AnsweredStream {
    std::optional<Decline> decline;
    MediaDescription line;
    NegotiatedMedia media;
};
AnsweredStream answer_stream(const NegotiatorConfig& config, const SessionDescription& offer, std::size_t mline,
                             std::optional<std::uint16_t> port);

// The outcome of one stream of our offer given the peer's answer: nullopt when either side
// declined it, an error (488) when the answer breaks the offer's terms.
base::Result<std::optional<NegotiatedMedia>> take_answer_stream(const NegotiatorConfig& config,
                                                                const SessionDescription& offer,
                                                                const SessionDescription& answer, std::size_t mline);

}  // namespace dialtone::sdp::detail
