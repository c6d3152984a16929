#include "offer_answer.hpp"

#include "dialtone/base/strings.hpp"
#include "dialtone/sdp/fmtp.hpp"
#include "dialtone/sdp/media_attributes.hpp"
#include "dialtone/sdp/rtpmap.hpp"

namespace dialtone::sdp::detail {
namespace {

bool is_savp(std::string_view proto) { return base::iequals(proto, "RTP/SAVP"); }
bool is_avp(std::string_view proto) { return base::iequals(proto, "RTP/AVP"); }

// RFC 4733 §2.4.1: without fmtp a telephone-event receiver handles events 0-15. We handle 0-16
// (16 is flash).
const std::vector<EventRange> kOurEvents{{0, 16}};
const std::vector<EventRange> kDefaultEvents{{0, 15}};

std::vector<EventRange> offered_events(const MediaDescription& m, const std::string& format) {
    auto params = fmtp_for(m, format);
    if (params.empty()) return kDefaultEvents;
    auto list = parse_event_list(params);
    return list ? *list : std::vector<EventRange>{};
}

// One master key and no MKI: all we key libsrtp2 with. A line with an MKI (RFC 4568 §6.1) has
// the peer put the MKI in every packet, and several keys need MKIs or lifetimes to switch.
bool single_key_without_mki(const CryptoAttribute& c) { return c.keys.size() == 1 && !c.keys.front().mki; }

struct Remote {
    Connection connection;
    std::uint16_t port = 0;
    Connection rtcp_connection;
    std::uint16_t rtcp_port = 0;
    bool hold = false;
};

base::Result<Remote> remote_transport(const SessionDescription& s, const MediaDescription& m, bool mux) {
    const Connection* c = effective_connection(s, m);
    if (!c) return base::make_error("no c= line for the stream", 488);
    Remote r;
    r.connection = *c;
    r.port = m.port;
    r.hold = c->is_hold();
    r.rtcp_connection = *c;
    // RFC 3605 §2.1 (explicit port and address), RFC 3550 §11 (port + 1), RFC 5761 (same port).
    r.rtcp_port = mux ? m.port : static_cast<std::uint16_t>(m.port + 1);
    if (!mux)
        if (const Attribute* a = find_attribute(m.attributes, "rtcp"); a && a->value)
            if (auto rtcp = parse_rtcp(*a->value)) {
                r.rtcp_port = rtcp->port;
                if (rtcp->connection) r.rtcp_connection = *rtcp->connection;
            }
    return r;
}

void apply_remote(NegotiatedMedia& n, const Remote& r, bool mux) {
    n.remote = r.connection;
    n.remote_port = r.port;
    n.remote_rtcp = r.rtcp_connection;
    n.remote_rtcp_port = r.rtcp_port;
    n.rtcp_mux = mux;
    n.remote_hold_address = r.hold;
}

// The codec parameters the peer asked for in its fmtp (what it wants to receive).
void apply_codec(NegotiatedMedia& n, const Codec& ours, const MediaDescription& remote, const std::string& format) {
    n.codec = ours;
    n.codec.fmtp = fmtp_for(remote, format);
    n.codec.payload_type = n.send_payload_type;
    if (base::iequals(ours.name, "opus"))
        if (auto o = parse_opus_parameters(n.codec.fmtp)) {
            n.opus_fec = o->use_inband_fec.value_or(false);
            n.opus_max_average_bitrate = o->max_average_bitrate;
            n.opus_stereo = o->stereo.value_or(false);
            if (o->ptime) n.ptime = *o->ptime;
        }
}

// The peer's direction, with an RFC 2543 c=0.0.0.0 hold read as "do not send to me" (RFC 3264 §8.4).
Direction remote_direction(const SessionDescription& s, const MediaDescription& m, bool hold) {
    Direction d = effective_direction(s, m);
    return hold ? make_direction(sends(d), false) : d;
}

}  // namespace

std::string warning_value(const NegotiatorConfig& config, const Decline& d) {
    return std::to_string(d.warn_code) + " " + config.warning_agent + " \"" + d.text + "\"";
}

AddressType address_type_of(std::string_view address) {
    return address.find(':') != std::string_view::npos ? AddressType::IP6 : AddressType::IP4;
}

MediaDescription build_media(const LocalStream& s) {
    MediaDescription m;
    m.media = "audio";
    m.port = s.port;
    m.proto = s.proto;
    for (const auto& f : s.formats) {
        m.formats.push_back(std::to_string(f.payload_type));
        Rtpmap r{f.payload_type, f.encoding, f.clock_rate, std::nullopt};
        if (f.channels != 1) r.channels = f.channels;
        m.attributes.push_back({"rtpmap", format_rtpmap(r)});
        if (!f.fmtp.empty()) m.attributes.push_back({"fmtp", std::to_string(f.payload_type) + " " + f.fmtp});
    }
    m.attributes.push_back({"ptime", std::to_string(s.ptime)});
    for (const auto& c : s.crypto) m.attributes.push_back({"crypto", format_crypto(c)});
    if (s.rtcp_mux) m.attributes.push_back({"rtcp-mux", std::nullopt});
    m.attributes.push_back({std::string(to_string(s.direction)), std::nullopt});
    return m;
}

MediaDescription declined_media(const MediaDescription& offered) {
    MediaDescription m;
    m.media = offered.media;
    m.port = 0;
    m.proto = offered.proto;
    m.formats = offered.formats;
    if (m.formats.empty()) m.formats.push_back("0");
    return m;
}

SessionDescription base_description(const NegotiatorConfig& config) {
    SessionDescription d;
    d.origin.username = config.username;
    d.origin.session_id = config.session_id;
    d.origin.session_version = config.session_version;
    d.origin.address_type = address_type_of(config.address);
    d.origin.address = config.address;
    d.name = config.session_name;
    d.connection = Connection{address_type_of(config.address), config.address};
    return d;
}

AnsweredStream answer_stream(const NegotiatorConfig& config, const SessionDescription& offer, std::size_t mline,
                             std::optional<std::uint16_t> port) {
    const MediaDescription& m = offer.media[mline];
    AnsweredStream out;
    auto decline = [&](int code, std::string text) {
        out.decline = Decline{code, std::move(text)};
        out.line = declined_media(m);
        return out;
    };
    if (m.port == 0) return decline(0, "stream disabled by the offerer");
    if (!base::iequals(m.media, "audio")) return decline(304, "media type " + m.media + " not available");
    if (!port) return decline(304, "no local port for another audio stream");

    // RFC 3264 §6: a stream with a transport we do not speak (AVPF, SAVPF, DTLS) is declined.
    const bool savp = is_savp(m.proto);
    if (!savp && !is_avp(m.proto)) return decline(302, "transport protocol " + m.proto + " not supported");
    if (savp && config.srtp == SrtpMode::Off) return decline(302, "RTP/SAVP offered but SRTP is off");

    const Connection* c = effective_connection(offer, m);
    if (!c) return decline(399, "no c= line for the stream");
    if (!c->is_hold() && c->address_type != address_type_of(config.address))
        return decline(301, "incompatible network address format " + std::string(to_string(c->address_type)));

    // RFC 4568 §7.1.1: take the first crypto line, in the offerer's order, with a suite we have
    // a key for; unknown suites, session parameters and MKIs we do not implement are skipped.
    std::optional<CryptoAttribute> remote_crypto;
    const LocalKey* local_key = nullptr;
    if (config.srtp != SrtpMode::Off) {
        auto list = crypto_attributes(m);
        if (list)
            for (const auto& offered : *list) {
                if (offered.suite == SrtpSuite::Unknown || !offered.session_params.empty() ||
                    !single_key_without_mki(offered))
                    continue;
                for (const auto& k : config.keys)
                    if (k.suite == offered.suite) {
                        local_key = &k;
                        break;
                    }
                if (local_key) {
                    remote_crypto = offered;
                    break;
                }
            }
        if (!remote_crypto && (savp || config.srtp == SrtpMode::Mandatory))
            return decline(302, "SRTP required but no usable crypto attribute offered");
    }

    // The first codec of the user's preference list that the offer carries (RFC 3264 §6.1).
    const Codec* chosen = nullptr;
    std::string chosen_format;
    std::optional<Rtpmap> chosen_map;
    for (const auto& codec : config.codecs) {
        for (const auto& f : m.formats) {
            auto r = rtpmap_for(m, f);
            if (r && codec.matches(*r)) {
                chosen = &codec;
                chosen_format = f;
                chosen_map = r;
                break;
            }
        }
        if (chosen) break;
    }
    if (!chosen) return decline(304, "no common codec");

    // RFC 4733 §2.1 wants telephone-event at the codec's clock rate. Peers that offer it only
    // at 8000 next to Opus (baresip) send and expect 8 kHz durations: take that one, at its own
    // rate, rather than lose their digits.
    std::optional<LocalFormat> te;
    if (config.telephone_event)
        for (const bool same_clock : {true, false}) {
            for (const auto& f : m.formats) {
                auto r = rtpmap_for(m, f);
                if (!r || !is_telephone_event(*r) || (r->clock_rate == chosen->clock_rate) != same_clock) continue;
                auto events = intersect_events(offered_events(m, f), kOurEvents);
                if (events.empty()) continue;
                te = LocalFormat{r->payload_type, "telephone-event", r->clock_rate, 1, format_event_list(events)};
                break;
            }
            if (te) break;
        }

    const bool mux = config.rtcp_mux && rtcp_mux(m);
    auto remote = remote_transport(offer, m, mux);
    if (!remote) return decline(399, remote.error().message);

    // RFC 3264 §6.1: sendonly is answered recvonly, recvonly sendonly, inactive inactive.
    const Direction offered = remote_direction(offer, m, remote->hold);
    const Direction answer_dir = make_direction(receives(offered) && sends(config.direction),
                                                sends(offered) && receives(config.direction));

    LocalStream local;
    local.port = *port;
    local.proto = m.proto;
    local.formats.push_back(LocalFormat{chosen_map->payload_type, chosen->name, chosen->clock_rate,
                                        chosen->channels, chosen->fmtp});
    if (te) local.formats.push_back(*te);
    local.direction = answer_dir;
    local.ptime = config.ptime;
    local.rtcp_mux = mux;
    if (remote_crypto) {
        CryptoAttribute ours;
        ours.tag = remote_crypto->tag;  // RFC 4568 §7.1.1: the answer uses the offer's tag
        ours.suite = remote_crypto->suite;
        ours.suite_name = std::string(to_string(remote_crypto->suite));
        ours.keys.push_back(KeyParam{local_key->key_salt, std::nullopt, std::nullopt, std::nullopt});
        local.crypto.push_back(ours);
    }
    out.line = build_media(local);

    NegotiatedMedia& n = out.media;
    n.mline = mline;
    n.proto = m.proto;
    apply_remote(n, *remote, mux);
    n.local_port = *port;
    n.send_payload_type = n.receive_payload_type = chosen_map->payload_type;
    n.ptime = config.ptime;
    apply_codec(n, *chosen, m, chosen_format);
    if (auto p = packet_time(offer, m)) n.ptime = *p;  // an explicit a=ptime wins over fmtp
    n.max_ptime = max_packet_time(offer, m);
    if (te) {
        n.telephone_event_send_payload_type = n.telephone_event_receive_payload_type = te->payload_type;
        n.telephone_event_clock_rate = te->clock_rate;
    }
    n.direction = answer_dir;
    if (remote_crypto)
        n.srtp = SrtpParameters{remote_crypto->suite, remote_crypto->tag, local.crypto.front().keys.front(),
                                remote_crypto->keys.front()};
    return out;
}

base::Result<std::optional<NegotiatedMedia>> take_answer_stream(const NegotiatorConfig& config,
                                                                const SessionDescription& offer,
                                                                const SessionDescription& answer, std::size_t mline) {
    const MediaDescription& om = offer.media[mline];
    const MediaDescription& am = answer.media[mline];
    const std::string where = "answer m-line " + std::to_string(mline + 1);
    auto fail = [&](std::string what) { return base::make_error(where + ": " + what, 488); };

    if (!base::iequals(am.media, om.media)) return fail("is " + am.media + " where the offer had " + om.media);
    if (om.port == 0 || am.port == 0) return std::optional<NegotiatedMedia>{};
    if (!base::iequals(am.proto, om.proto)) return fail("proto " + am.proto + " differs from the offered " + om.proto);

    // The first format of the answer that names a codec we offered; numbers may differ
    // (RFC 3264 §6.1 only says SHOULD), so codecs are matched by name, clock and channels.
    const Codec* chosen = nullptr;
    std::string chosen_format;
    unsigned send_pt = 0, receive_pt = 0;
    for (const auto& f : am.formats) {
        auto r = rtpmap_for(am, f);
        if (!r || is_telephone_event(*r)) continue;
        for (const auto& of : om.formats) {
            auto mine = rtpmap_for(om, of);
            if (!mine || is_telephone_event(*mine)) continue;
            for (const auto& codec : config.codecs)
                if (codec.matches(*mine) && codec.matches(*r)) {
                    chosen = &codec;
                    receive_pt = mine->payload_type;
                    break;
                }
            if (chosen) break;
        }
        if (chosen) {
            chosen_format = f;
            send_pt = r->payload_type;
            break;
        }
    }
    if (!chosen) return fail("chose no codec that was offered");

    NegotiatedMedia n;
    n.mline = mline;
    n.proto = om.proto;
    n.send_payload_type = send_pt;
    n.receive_payload_type = receive_pt;
    n.ptime = config.ptime;
    apply_codec(n, *chosen, am, chosen_format);
    if (auto p = packet_time(answer, am)) n.ptime = *p;
    n.max_ptime = max_packet_time(answer, am);

    // The answer's telephone-event at the codec's clock, else one at another clock we offered
    // (as in an answer we write).
    for (const bool same_clock : {true, false}) {
        for (const auto& f : am.formats) {
            auto r = rtpmap_for(am, f);
            if (!r || !is_telephone_event(*r) || (r->clock_rate == chosen->clock_rate) != same_clock) continue;
            for (const auto& of : om.formats) {
                auto mine = rtpmap_for(om, of);
                if (mine && is_telephone_event(*mine) && mine->clock_rate == r->clock_rate) {
                    n.telephone_event_send_payload_type = r->payload_type;
                    n.telephone_event_receive_payload_type = mine->payload_type;
                    n.telephone_event_clock_rate = r->clock_rate;
                }
            }
            if (n.telephone_event_send_payload_type) break;
        }
        if (n.telephone_event_send_payload_type) break;
    }

    // RFC 4568 §7.1.2: the answer's crypto line carries a tag and suite from the offer.
    auto offered_crypto = crypto_attributes(om);
    if (offered_crypto && !offered_crypto->empty()) {
        auto answered = crypto_attributes(am);
        if (!answered) return fail(answered.error().message);
        if (answered->empty()) {
            if (is_savp(om.proto)) return fail("RTP/SAVP answered without a crypto attribute");
        } else {
            const CryptoAttribute& a = answered->front();
            const CryptoAttribute* mine = nullptr;
            for (const auto& o : *offered_crypto)
                if (o.tag == a.tag) mine = &o;
            if (!mine) return fail("crypto tag " + std::to_string(a.tag) + " was not offered");
            if (a.suite != mine->suite || a.suite == SrtpSuite::Unknown)
                return fail("crypto tag " + std::to_string(a.tag) + " answered with suite " + a.suite_name +
                            " instead of " + mine->suite_name);
            if (!single_key_without_mki(a))
                return fail("crypto tag " + std::to_string(a.tag) + " answered with an MKI or several keys");
            n.srtp = SrtpParameters{a.suite, a.tag, mine->keys.front(), a.keys.front()};
        }
    }

    const bool mux = config.rtcp_mux && rtcp_mux(om) && rtcp_mux(am);
    auto remote = remote_transport(answer, am, mux);
    if (!remote) return fail(remote.error().message);
    apply_remote(n, *remote, mux);
    n.local_port = om.port;

    // Our view of the stream: we send if we offered to and the peer receives, and vice versa.
    const Direction offered = effective_direction(offer, om);
    const Direction answered = remote_direction(answer, am, remote->hold);
    n.direction = make_direction(sends(offered) && receives(answered), receives(offered) && sends(answered));
    return std::optional<NegotiatedMedia>{std::move(n)};
}

}  // namespace dialtone::sdp::detail
