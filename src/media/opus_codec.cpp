#include "dialtone/media/opus_codec.hpp"

#include <opus.h>

#include <algorithm>
#include <string>

#include "dialtone/base/strings.hpp"

namespace dialtone::media::opus {

namespace {

base::Error opus_error(std::string_view what, int code) {
    return base::make_error("opus: " + std::string(what) + ": " + opus_strerror(code));
}

bool valid_frame(std::size_t samples) {
    // 2.5, 5, 10, 20, 40, 60 ms at 48 kHz (RFC 6716 §2.1.4).
    switch (samples) {
        case 120: case 240: case 480: case 960: case 1920: case 2880: return true;
        default: return false;
    }
}

// Largest packet libopus writes for one frame of up to 60 ms (3 × 1275 bytes plus framing).
constexpr int kMaxPacketBytes = 4000;

}  // namespace

CodecOptions apply_fmtp(CodecOptions options, std::string_view fmtp) {
    while (!fmtp.empty()) {
        const std::size_t semi = fmtp.find(';');
        const std::string_view item = base::trim(fmtp.substr(0, semi));
        fmtp = semi == std::string_view::npos ? std::string_view{} : fmtp.substr(semi + 1);
        const std::size_t eq = item.find('=');
        if (eq == std::string_view::npos) continue;
        const std::string_view name = base::trim(item.substr(0, eq));
        const auto value = base::parse_u32(base::trim(item.substr(eq + 1)));
        if (!value) continue;
        if (base::iequals(name, "useinbandfec")) {
            if (*value <= 1) options.inband_fec = *value == 1;
        } else if (base::iequals(name, "maxaveragebitrate")) {
            // RFC 7587 §6.1: 6000 to 510000 bit/s.
            if (*value >= 6000 && *value <= 510000 &&
                (options.bitrate == 0 || options.bitrate > static_cast<int>(*value))) {
                options.bitrate = static_cast<int>(*value);
            }
        }
    }
    return options;
}

void Encoder::Free::operator()(::OpusEncoder* e) const { opus_encoder_destroy(e); }
void Decoder::Free::operator()(::OpusDecoder* d) const { opus_decoder_destroy(d); }

base::Result<Encoder> Encoder::create(const CodecOptions& options) {
    if (options.complexity < 0 || options.complexity > 10) {
        return base::make_error("opus: complexity " + std::to_string(options.complexity) +
                                " is outside 0..10");
    }
    int err = OPUS_OK;
    ::OpusEncoder* raw = opus_encoder_create(kSampleRate, 1, OPUS_APPLICATION_VOIP, &err);
    if (err != OPUS_OK || raw == nullptr) return opus_error("cannot create encoder", err);
    Encoder enc(raw);
    if (int rc = opus_encoder_ctl(raw, OPUS_SET_COMPLEXITY(options.complexity)); rc != OPUS_OK) {
        return opus_error("complexity", rc);
    }
    if (auto st = enc.set_bitrate(options.bitrate); !st) return st.error();
    if (auto st = enc.set_inband_fec(options.inband_fec); !st) return st.error();
    if (auto st = enc.set_packet_loss_percent(options.packet_loss_percent); !st) return st.error();
    return enc;
}

base::Result<Bytes> Encoder::encode(std::span<const std::int16_t> pcm) {
    if (!valid_frame(pcm.size())) {
        return base::make_error("opus: a frame of " + std::to_string(pcm.size()) +
                                " samples is not 2.5, 5, 10, 20, 40 or 60 ms at 48 kHz");
    }
    Bytes out(kMaxPacketBytes);
    const opus_int32 n = opus_encode(enc_.get(), pcm.data(), static_cast<int>(pcm.size()), out.data(),
                                     kMaxPacketBytes);
    if (n < 0) return opus_error("encode", n);
    out.resize(static_cast<std::size_t>(n));
    return out;
}

base::Status Encoder::set_bitrate(int bits_per_second) {
    if (bits_per_second != 0 && (bits_per_second < 500 || bits_per_second > 512000)) {
        return base::make_error("opus: bitrate " + std::to_string(bits_per_second) +
                                " is outside 500..512000 bit/s");
    }
    const int value = bits_per_second == 0 ? OPUS_AUTO : bits_per_second;
    if (int rc = opus_encoder_ctl(enc_.get(), OPUS_SET_BITRATE(value)); rc != OPUS_OK) {
        return opus_error("bitrate", rc);
    }
    return {};
}

base::Status Encoder::set_inband_fec(bool on) {
    if (int rc = opus_encoder_ctl(enc_.get(), OPUS_SET_INBAND_FEC(on ? 1 : 0)); rc != OPUS_OK) {
        return opus_error("inband FEC", rc);
    }
    return {};
}

base::Status Encoder::set_packet_loss_percent(int percent) {
    if (percent < 0 || percent > 100) {
        return base::make_error("opus: packet loss " + std::to_string(percent) + "% is outside 0..100");
    }
    if (int rc = opus_encoder_ctl(enc_.get(), OPUS_SET_PACKET_LOSS_PERC(percent)); rc != OPUS_OK) {
        return opus_error("packet loss percentage", rc);
    }
    return {};
}

base::Result<Decoder> Decoder::create() {
    int err = OPUS_OK;
    ::OpusDecoder* raw = opus_decoder_create(kSampleRate, 1, &err);
    if (err != OPUS_OK || raw == nullptr) return opus_error("cannot create decoder", err);
    return Decoder(raw);
}

base::Result<Samples> Decoder::decode(std::span<const std::uint8_t> packet) {
    if (packet.empty()) return base::make_error("opus: empty packet");
    Samples out(kMaxFrameSamples);
    const int n = opus_decode(dec_.get(), packet.data(), static_cast<opus_int32>(packet.size()), out.data(),
                              static_cast<int>(kMaxFrameSamples), 0);
    if (n < 0) return opus_error("decode", n);
    out.resize(static_cast<std::size_t>(n));
    return out;
}

base::Result<Samples> Decoder::decode_fec(std::span<const std::uint8_t> next_packet, std::size_t samples) {
    if (next_packet.empty()) return base::make_error("opus: empty packet");
    if (samples == 0 || samples % 120 != 0 || samples > kMaxFrameSamples) {
        return base::make_error("opus: cannot recover " + std::to_string(samples) +
                                " samples: not a multiple of 2.5 ms up to 120 ms");
    }
    Samples out(samples);
    const int n = opus_decode(dec_.get(), next_packet.data(), static_cast<opus_int32>(next_packet.size()),
                              out.data(), static_cast<int>(samples), 1);
    if (n < 0) return opus_error("FEC decode", n);
    out.resize(static_cast<std::size_t>(n));
    return out;
}

Samples Decoder::conceal(std::size_t samples) {
    Samples out(samples, 0);
    // libopus conceals in multiples of 2.5 ms; anything else is filled with silence.
    if (samples == 0 || samples % 120 != 0 || samples > kMaxFrameSamples) return out;
    const int n = opus_decode(dec_.get(), nullptr, 0, out.data(), static_cast<int>(samples), 0);
    if (n < 0) std::fill(out.begin(), out.end(), std::int16_t{0});
    return out;
}

}  // namespace dialtone::media::opus

namespace dialtone::media {

base::Result<std::unique_ptr<OpusCodec>> OpusCodec::create(const CodecOptions& options) {
    auto enc = opus::Encoder::create(options);
    if (!enc) return enc.error();
    auto dec = opus::Decoder::create();
    if (!dec) return dec.error();
    return std::unique_ptr<OpusCodec>(new OpusCodec(std::move(enc).value(), std::move(dec).value()));
}

}  // namespace dialtone::media
