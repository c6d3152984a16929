#pragma once
// One direction of SRTP/SRTCP (RFC 3711; AES-GCM per RFC 7714) over libsrtp2, keyed with the
// master key || salt that SDP security descriptions (RFC 4568) carry. Packets are protected and
// unprotected in place; the RTP layer owns the sockets and the packet buffers.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "dialtone/base/result.hpp"

struct srtp_ctx_t_;

namespace dialtone::media {

enum class SrtpProfile {
    AesCm128HmacSha1_80,  // AES_CM_128_HMAC_SHA1_80: 80-bit tag
    AesCm128HmacSha1_32,  // AES_CM_128_HMAC_SHA1_32: 32-bit RTP tag, 80-bit SRTCP tag (RFC 4568 §6.2.2)
    AeadAes128Gcm,        // AEAD_AES_128_GCM: 128-bit tag (RFC 7714)
    AeadAes256Gcm,        // AEAD_AES_256_GCM
};

std::string_view to_string(SrtpProfile profile);
// Bytes of master key || master salt: 30, 30, 28, 44.
std::size_t srtp_key_salt_length(SrtpProfile profile);

// Room a buffer needs beyond the packet for protect_*(): tag, MKI and the SRTCP index.
inline constexpr std::size_t kSrtpMaxOverhead = 16 + 128 + 4;

class SrtpSession {
public:
    enum class Direction { Outbound, Inbound };

    // Any SSRC in the given direction; `key_salt` is copied.
    static base::Result<SrtpSession> create(SrtpProfile profile, std::span<const std::uint8_t> key_salt,
                                            Direction direction);

    // In place: `buffer` holds `length` bytes of packet and has room for kSrtpMaxOverhead more.
    // Returns the new length.
    base::Result<std::size_t> protect_rtp(std::span<std::uint8_t> buffer, std::size_t length);
    base::Result<std::size_t> unprotect_rtp(std::span<std::uint8_t> buffer, std::size_t length);
    base::Result<std::size_t> protect_rtcp(std::span<std::uint8_t> buffer, std::size_t length);
    base::Result<std::size_t> unprotect_rtcp(std::span<std::uint8_t> buffer, std::size_t length);

    // The same on whole vectors, which grow or shrink to the result.
    base::Status protect_rtp(std::vector<std::uint8_t>& packet);
    base::Status unprotect_rtp(std::vector<std::uint8_t>& packet);
    base::Status protect_rtcp(std::vector<std::uint8_t>& packet);
    base::Status unprotect_rtcp(std::vector<std::uint8_t>& packet);

    SrtpProfile profile() const { return profile_; }
    Direction direction() const { return direction_; }

private:
    enum class Op { ProtectRtp, UnprotectRtp, ProtectRtcp, UnprotectRtcp };
    struct Free { void operator()(srtp_ctx_t_* s) const; };
    SrtpSession(srtp_ctx_t_* s, SrtpProfile p, Direction d) : ctx_(s), profile_(p), direction_(d) {}
    base::Result<std::size_t> run(Op op, std::span<std::uint8_t> buffer, std::size_t length);
    base::Status run(Op op, std::vector<std::uint8_t>& packet);

    std::unique_ptr<srtp_ctx_t_, Free> ctx_;
    SrtpProfile profile_;
    Direction direction_;
};

}  // namespace dialtone::media
