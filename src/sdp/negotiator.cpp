#include "dialtone/sdp/negotiator.hpp"

#include <algorithm>
#include <set>

#include "dialtone/base/strings.hpp"
#include "dialtone/sdp/rtpmap.hpp"
#include "offer_answer.hpp"

namespace dialtone::sdp {
namespace {

base::Error usage_error(std::string what, int status = 0) { return base::make_error(std::move(what), status); }

bool bound(const std::vector<PayloadBinding>& bindings, unsigned pt) {
    return std::any_of(bindings.begin(), bindings.end(), [&](const auto& b) { return b.payload_type == pt; });
}

// The number for an encoding in a stream: the one it already has in this session, else the
// preferred one if free, else the lowest free dynamic number (RFC 3551 §3: 96-127).
unsigned bind(std::vector<PayloadBinding>& bindings, std::string_view encoding, std::uint32_t clock,
              std::uint32_t channels, std::optional<unsigned> preferred) {
    const std::string name = base::to_lower(encoding);
    for (const auto& b : bindings)
        if (b.encoding == name && b.clock_rate == clock && b.channels == channels) return b.payload_type;
    unsigned pt = 0;
    if (preferred && !bound(bindings, *preferred)) {
        pt = *preferred;
    } else {
        pt = 96;
        while (pt < 127 && bound(bindings, pt)) ++pt;
    }
    bindings.push_back(PayloadBinding{name, clock, channels, pt});
    return pt;
}

// Remembers the numbers the peer gave its codecs, replacing any older meaning of a number.
void learn_bindings(std::vector<PayloadBinding>& bindings, const MediaDescription& m) {
    for (const auto& f : m.formats) {
        auto r = rtpmap_for(m, f);
        if (!r) continue;
        PayloadBinding b{base::to_lower(r->encoding), r->clock_rate, r->channel_count(), r->payload_type};
        std::erase_if(bindings, [&](const PayloadBinding& old) {
            return old.payload_type == b.payload_type ||
                   (old.encoding == b.encoding && old.clock_rate == b.clock_rate && old.channels == b.channels);
        });
        bindings.push_back(std::move(b));
    }
}

detail::LocalStream offer_stream(const NegotiatorConfig& config, std::vector<PayloadBinding>& bindings,
                                 std::uint16_t port) {
    detail::LocalStream s;
    s.port = port;
    s.proto = config.srtp == SrtpMode::Mandatory ? "RTP/SAVP" : "RTP/AVP";
    std::vector<std::uint32_t> clocks;
    for (const auto& c : config.codecs) {
        unsigned pt = bind(bindings, c.name, c.clock_rate, c.channels, c.payload_type);
        s.formats.push_back(detail::LocalFormat{pt, c.name, c.clock_rate, c.channels, c.fmtp});
        if (std::find(clocks.begin(), clocks.end(), c.clock_rate) == clocks.end()) clocks.push_back(c.clock_rate);
    }
    // One telephone-event per clock rate among our codecs: the peer picks the codec.
    if (config.telephone_event)
        for (auto clock : clocks) {
            unsigned pt = bind(bindings, "telephone-event", clock, 1, 101);
            s.formats.push_back(detail::LocalFormat{pt, "telephone-event", clock, 1, "0-16"});
        }
    s.direction = config.direction;
    s.ptime = config.ptime;
    s.rtcp_mux = config.rtcp_mux;
    if (config.srtp != SrtpMode::Off)
        for (std::size_t i = 0; i < config.keys.size(); ++i) {
            CryptoAttribute c;
            c.tag = static_cast<std::uint32_t>(i + 1);
            c.suite = config.keys[i].suite;
            c.suite_name = std::string(to_string(c.suite));
            c.keys.push_back(KeyParam{config.keys[i].key_salt, std::nullopt, std::nullopt, std::nullopt});
            s.crypto.push_back(std::move(c));
        }
    return s;
}

}  // namespace

std::string_view to_string(Negotiator::State s) {
    switch (s) {
    case Negotiator::State::Idle: return "Idle";
    case Negotiator::State::OfferSent: return "OfferSent";
    case Negotiator::State::OfferReceived: return "OfferReceived";
    case Negotiator::State::Stable: return "Stable";
    }
    return "?";
}

base::Result<Negotiator> Negotiator::create(NegotiatorConfig config) {
    if (config.address.empty()) return usage_error("negotiator: local media address is empty");
    for (char c : config.address)
        if (!(base::is_hex_digit(c) || c == '.' || c == ':'))
            return usage_error("negotiator: local media address \"" + config.address + "\" is not an IP literal");
    if (config.rtp_ports.empty()) return usage_error("negotiator: no RTP port configured");
    for (auto p : config.rtp_ports)
        if (p == 0) return usage_error("negotiator: RTP port 0 is not a port");
    if (config.codecs.empty()) return usage_error("negotiator: the codec list is empty");
    for (const auto& c : config.codecs)
        if (c.name.empty() || c.clock_rate == 0 || c.channels == 0)
            return usage_error("negotiator: codec \"" + c.name + "\" needs a name, clock rate and channels");
    if (config.session_id.empty() || !std::all_of(config.session_id.begin(), config.session_id.end(), base::is_digit))
        return usage_error("negotiator: session id \"" + config.session_id + "\" is not a number");
    if (config.ptime == 0) return usage_error("negotiator: ptime must be positive");
    if (config.srtp != SrtpMode::Off && config.keys.empty())
        return usage_error("negotiator: SRTP is on but no master key was given");
    for (const auto& k : config.keys) {
        if (k.suite == SrtpSuite::Unknown) return usage_error("negotiator: a master key has no suite");
        if (k.key_salt.size() != key_salt_length(k.suite))
            return usage_error("negotiator: " + std::string(to_string(k.suite)) + " master key||salt must be " +
                               std::to_string(key_salt_length(k.suite)) + " bytes, got " +
                               std::to_string(k.key_salt.size()));
    }
    return Negotiator(std::move(config));
}

SessionDescription Negotiator::finish_description(SessionDescription d) {
    // RFC 3264 §8: the version grows by one with every change and stays put otherwise.
    if (last_sent_) {
        d.origin.session_version = last_sent_->origin.session_version;
        if (d != *last_sent_) d.origin.session_version += 1;
    }
    last_sent_ = d;
    return d;
}

base::Result<SessionDescription> Negotiator::create_offer() {
    if (state_ == State::OfferSent) return usage_error("negotiator: an offer is already pending", 491);
    if (state_ == State::OfferReceived) return usage_error("negotiator: answer the received offer first", 491);

    pending_streams_ = streams_;
    if (pending_streams_.empty())
        for (std::size_t i = 0; i < config_.rtp_ports.size(); ++i) pending_streams_.push_back(Stream{i, {}});

    SessionDescription d = detail::base_description(config_);
    for (std::size_t i = 0; i < pending_streams_.size(); ++i) {
        Stream& s = pending_streams_[i];
        if (s.port_index) {
            d.media.push_back(
                detail::build_media(offer_stream(config_, s.bindings, config_.rtp_ports[*s.port_index])));
        } else {
            // RFC 3264 §8: an m= line stays in the session, declined, once it has been there.
            d.media.push_back(detail::declined_media(local_->media[i]));
        }
    }
    d = finish_description(std::move(d));
    pending_local_ = d;
    before_offer_ = state_;
    state_ = State::OfferSent;
    return d;
}

base::Status Negotiator::receive_answer(const SessionDescription& answer) {
    if (state_ != State::OfferSent) return usage_error("negotiator: an answer arrived but no offer is pending");
    const SessionDescription& offer = *pending_local_;
    if (answer.media.size() != offer.media.size()) {
        auto error = base::make_error("answer has " + std::to_string(answer.media.size()) +
                                          " m= lines, the offer had " + std::to_string(offer.media.size()) +
                                          " (RFC 3264 §6)",
                                      488);
        rollback();
        return error;
    }
    std::vector<NegotiatedMedia> media;
    for (std::size_t i = 0; i < offer.media.size(); ++i) {
        auto r = detail::take_answer_stream(config_, offer, answer, i);
        if (!r) {
            auto error = r.error();
            rollback();
            return error;
        }
        if (*r) media.push_back(std::move(**r));
    }
    if (media.empty()) {
        rollback();
        return base::make_error("answer declined every stream", 488);
    }
    pending_media_ = std::move(media);
    commit(answer);
    return {};
}

base::Status Negotiator::receive_offer(const SessionDescription& offer) {
    auto reject = [&](detail::Decline d) { return base::make_error(detail::warning_value(config_, d), 488); };
    if (state_ == State::OfferSent)
        return usage_error("negotiator: offer received while ours is pending (glare)", 491);
    if (state_ == State::OfferReceived) return usage_error("negotiator: an offer is already waiting for its answer", 491);
    if (offer.media.empty()) return reject({304, "no media stream offered"});
    // RFC 3264 §8: a re-offer keeps every m= line of the session, in order.
    if (offer.media.size() < streams_.size()) return reject({399, "offer removed m= lines of the session"});

    std::set<std::size_t> used;
    for (std::size_t i = 0; i < offer.media.size() && i < streams_.size(); ++i)
        if (streams_[i].port_index) used.insert(*streams_[i].port_index);

    std::vector<Stream> streams;
    std::vector<NegotiatedMedia> media;
    std::optional<detail::Decline> first_fault;
    SessionDescription d = detail::base_description(config_);
    for (std::size_t i = 0; i < offer.media.size(); ++i) {
        Stream s = i < streams_.size() ? streams_[i] : Stream{};
        if (!s.port_index && base::iequals(offer.media[i].media, "audio") && offer.media[i].port != 0)
            for (std::size_t p = 0; p < config_.rtp_ports.size(); ++p)
                if (!used.count(p)) {
                    s.port_index = p;
                    used.insert(p);
                    break;
                }
        std::optional<std::uint16_t> port;
        if (s.port_index) port = config_.rtp_ports[*s.port_index];
        auto answered = detail::answer_stream(config_, offer, i, port);
        if (answered.decline) {
            if (s.port_index) used.erase(*s.port_index);
            s.port_index.reset();
            if (answered.decline->warn_code != 0 && !first_fault) first_fault = answered.decline;
        } else {
            learn_bindings(s.bindings, offer.media[i]);
            media.push_back(std::move(answered.media));
        }
        d.media.push_back(std::move(answered.line));
        streams.push_back(std::move(s));
    }
    if (media.empty()) return reject(first_fault.value_or(detail::Decline{304, "no media stream offered"}));

    pending_streams_ = std::move(streams);
    pending_media_ = std::move(media);
    pending_local_ = std::move(d);
    pending_remote_ = offer;
    before_offer_ = state_;
    state_ = State::OfferReceived;
    return {};
}

base::Result<SessionDescription> Negotiator::create_answer() {
    if (state_ != State::OfferReceived) return usage_error("negotiator: no offer to answer");
    pending_local_ = finish_description(std::move(*pending_local_));
    SessionDescription answer = *pending_local_;
    SessionDescription offer = std::move(*pending_remote_);
    commit(offer);
    return answer;
}

void Negotiator::commit(const SessionDescription& remote) {
    streams_ = std::move(pending_streams_);
    media_ = std::move(pending_media_);
    local_ = std::move(pending_local_);
    remote_ = remote;
    pending_streams_.clear();
    pending_media_.clear();
    pending_local_.reset();
    pending_remote_.reset();
    state_ = State::Stable;
}

void Negotiator::rollback() {
    if (state_ != State::OfferSent && state_ != State::OfferReceived) return;
    state_ = before_offer_;
    pending_streams_.clear();
    pending_media_.clear();
    pending_local_.reset();
    pending_remote_.reset();
}

}  // namespace dialtone::sdp
