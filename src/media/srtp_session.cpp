#include "dialtone/media/srtp_session.hpp"

#include <srtp2/srtp.h>

#include <mutex>
#include <string>

namespace dialtone::media {

namespace {

static_assert(kSrtpMaxOverhead >= SRTP_MAX_TRAILER_LEN + 4, "room for the SRTCP index and trailer");

// libsrtp2 keeps process-wide tables that srtp_init() fills once.
srtp_err_status_t init_library() {
    static std::once_flag once;
    static srtp_err_status_t status = srtp_err_status_ok;
    std::call_once(once, [] { status = srtp_init(); });
    return status;
}

std::string describe(srtp_err_status_t s) {
    switch (s) {
        case srtp_err_status_auth_fail: return "authentication failed";
        case srtp_err_status_replay_fail: return "replayed packet";
        case srtp_err_status_replay_old: return "packet too old for the replay window";
        case srtp_err_status_bad_param: return "malformed packet or bad parameter";
        case srtp_err_status_cipher_fail: return "cipher failure";
        case srtp_err_status_key_expired: return "key expired (too many packets)";
        case srtp_err_status_no_ctx: return "no stream for this SSRC";
        case srtp_err_status_parse_err: return "cannot parse the packet";
        default: return "libsrtp2 error " + std::to_string(static_cast<int>(s));
    }
}

}  // namespace

std::string_view to_string(SrtpProfile profile) {
    switch (profile) {
        case SrtpProfile::AesCm128HmacSha1_80: return "AES_CM_128_HMAC_SHA1_80";
        case SrtpProfile::AesCm128HmacSha1_32: return "AES_CM_128_HMAC_SHA1_32";
        case SrtpProfile::AeadAes128Gcm: return "AEAD_AES_128_GCM";
        case SrtpProfile::AeadAes256Gcm: return "AEAD_AES_256_GCM";
    }
    return "?";
}

std::size_t srtp_key_salt_length(SrtpProfile profile) {
    switch (profile) {
        case SrtpProfile::AesCm128HmacSha1_80:
        case SrtpProfile::AesCm128HmacSha1_32: return 30;  // 128-bit key, 112-bit salt (RFC 3711 §8.2)
        case SrtpProfile::AeadAes128Gcm: return 28;        // 128-bit key, 96-bit salt (RFC 7714 §12)
        case SrtpProfile::AeadAes256Gcm: return 44;        // 256-bit key, 96-bit salt
    }
    return 0;
}

void SrtpSession::Free::operator()(srtp_ctx_t_* s) const { srtp_dealloc(s); }

base::Result<SrtpSession> SrtpSession::create(SrtpProfile profile, std::span<const std::uint8_t> key_salt,
                                              Direction direction) {
    if (auto st = init_library(); st != srtp_err_status_ok) {
        return base::make_error("SRTP: cannot initialise libsrtp2: " + describe(st));
    }
    const std::size_t need = srtp_key_salt_length(profile);
    if (key_salt.size() != need) {
        return base::make_error("SRTP: " + std::string(to_string(profile)) + " needs " + std::to_string(need) +
                                " bytes of key and salt, got " + std::to_string(key_salt.size()));
    }
    srtp_policy_t policy{};
    switch (profile) {
        case SrtpProfile::AesCm128HmacSha1_80:
            srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&policy.rtp);
            srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&policy.rtcp);
            break;
        case SrtpProfile::AesCm128HmacSha1_32:
            srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32(&policy.rtp);
            srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&policy.rtcp);  // SRTCP keeps 80 bits
            break;
        case SrtpProfile::AeadAes128Gcm:
            srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtp);
            srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtcp);
            break;
        case SrtpProfile::AeadAes256Gcm:
            srtp_crypto_policy_set_aes_gcm_256_16_auth(&policy.rtp);
            srtp_crypto_policy_set_aes_gcm_256_16_auth(&policy.rtcp);
            break;
    }
    policy.ssrc.type = direction == Direction::Outbound ? ssrc_any_outbound : ssrc_any_inbound;
    // libsrtp2 reads the key during srtp_create only; a local copy is enough.
    std::vector<unsigned char> key(key_salt.begin(), key_salt.end());
    policy.key = key.data();
    policy.window_size = 1024;  // tolerate reordering across ~20 s of 20 ms packets
    policy.allow_repeat_tx = 0;
    policy.next = nullptr;

    srtp_t raw = nullptr;
    if (auto st = srtp_create(&raw, &policy); st != srtp_err_status_ok) {
        return base::make_error("SRTP: cannot create a " + std::string(to_string(profile)) + " session: " +
                                describe(st));
    }
    return SrtpSession(raw, profile, direction);
}

base::Result<std::size_t> SrtpSession::run(Op op, std::span<std::uint8_t> buffer, std::size_t length) {
    const bool rtcp = op == Op::ProtectRtcp || op == Op::UnprotectRtcp;
    const bool protect = op == Op::ProtectRtp || op == Op::ProtectRtcp;
    const char* what = rtcp ? "SRTCP" : "SRTP";
    const std::size_t min_length = rtcp ? 8 : 12;  // fixed headers (RFC 3550 §5.1, §6.4.1)
    if (length < min_length || length > buffer.size()) {
        return base::make_error(std::string(what) + ": a packet of " + std::to_string(length) +
                                " bytes is too short or exceeds its buffer");
    }
    if (protect && buffer.size() - length < kSrtpMaxOverhead) {
        return base::make_error(std::string(what) + ": the buffer has no room for the authentication tag");
    }
    if ((direction_ == Direction::Outbound) != protect) {
        return base::make_error(std::string(what) + ": this session only " +
                                (direction_ == Direction::Outbound ? "protects" : "unprotects"));
    }
    int len = static_cast<int>(length);
    srtp_err_status_t st = srtp_err_status_ok;
    switch (op) {
        case Op::ProtectRtp: st = srtp_protect(ctx_.get(), buffer.data(), &len); break;
        case Op::UnprotectRtp: st = srtp_unprotect(ctx_.get(), buffer.data(), &len); break;
        case Op::ProtectRtcp: st = srtp_protect_rtcp(ctx_.get(), buffer.data(), &len); break;
        case Op::UnprotectRtcp: st = srtp_unprotect_rtcp(ctx_.get(), buffer.data(), &len); break;
    }
    if (st != srtp_err_status_ok) return base::make_error(std::string(what) + ": " + describe(st));
    return static_cast<std::size_t>(len);
}

base::Status SrtpSession::run(Op op, std::vector<std::uint8_t>& packet) {
    const std::size_t length = packet.size();
    packet.resize(length + kSrtpMaxOverhead);
    auto r = run(op, packet, length);
    if (!r) {
        packet.resize(length);
        return r.error();
    }
    packet.resize(*r);
    return {};
}

base::Result<std::size_t> SrtpSession::protect_rtp(std::span<std::uint8_t> b, std::size_t n) { return run(Op::ProtectRtp, b, n); }
base::Result<std::size_t> SrtpSession::unprotect_rtp(std::span<std::uint8_t> b, std::size_t n) { return run(Op::UnprotectRtp, b, n); }
base::Result<std::size_t> SrtpSession::protect_rtcp(std::span<std::uint8_t> b, std::size_t n) { return run(Op::ProtectRtcp, b, n); }
base::Result<std::size_t> SrtpSession::unprotect_rtcp(std::span<std::uint8_t> b, std::size_t n) { return run(Op::UnprotectRtcp, b, n); }
base::Status SrtpSession::protect_rtp(std::vector<std::uint8_t>& p) { return run(Op::ProtectRtp, p); }
base::Status SrtpSession::unprotect_rtp(std::vector<std::uint8_t>& p) { return run(Op::UnprotectRtp, p); }
base::Status SrtpSession::protect_rtcp(std::vector<std::uint8_t>& p) { return run(Op::ProtectRtcp, p); }
base::Status SrtpSession::unprotect_rtcp(std::vector<std::uint8_t>& p) { return run(Op::UnprotectRtcp, p); }

}  // namespace dialtone::media
