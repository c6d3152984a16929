#include "registration_ua.hpp"

#include "dialtone/sip/parser.hpp"
#include "dialtone/sip/validate.hpp"

namespace dialtone::scenario {

RegistrationUa::RegistrationUa(ua::Address self, ua::RegistrationConfig config, base::Random& random,
                               const sip::DigestHash& hash)
    : self_(std::move(self)), reg_(std::move(config), random, hash) {}

void RegistrationUa::on_datagram(const ua::Datagram& in, base::TimePoint now) {
    auto m = sip::parse_message(in.bytes);
    if (!m || sip::validate(*m)) return;  // malformed: dropped (a UA would answer a request 400)
    (void)txn_.on_message(std::move(m).value(), book_.destination(in.remote), now);
    pump(now);
}

void RegistrationUa::on_timer(base::TimePoint now) {
    txn_.on_timer(now);
    reg_.on_timer(now);
    pump(now);
}

std::optional<base::TimePoint> RegistrationUa::next_deadline() const {
    auto a = txn_.next_deadline();
    auto b = reg_.next_deadline();
    if (a && b) return std::min(*a, *b);
    return a ? a : b;
}

std::optional<ua::Datagram> RegistrationUa::poll_transmit() {
    auto t = txn_.poll_transmit();
    if (!t) return std::nullopt;
    ua::Datagram d;
    d.local = self_;
    d.remote = book_.address(t->destination.handle);
    d.bytes = *t->bytes;
    return d;
}

void RegistrationUa::pump(base::TimePoint now) {
    bool again = true;
    while (again) {
        again = false;
        while (auto e = txn_.poll_event()) {
            const bool ours = reg_txn_ && e->txn == reg_txn_;
            switch (e->kind) {
            case txn::EventKind::ResponseReceived:
                if (ours) reg_.on_response(*e->message, now);
                break;
            case txn::EventKind::Timeout:
                if (ours) reg_.on_request_failed(408, "no response (Timer F)", now);
                break;
            case txn::EventKind::TransportError:
                if (ours) reg_.on_request_failed(503, "transport error", now);
                break;
            default:
                break;
            }
        }
        while (auto out = reg_.poll_request()) {
            auto id = txn_.send_request(std::move(out->request), book_.destination(address_of(out->next_hop)), now);
            if (id) reg_txn_ = *id;
            else reg_.on_request_failed(503, "cannot send: " + id.error().message, now);
            again = true;
        }
        while (auto ev = reg_.poll_event()) events_.push_back(TimedRegistrationEvent{now, std::move(*ev)});
    }
}

}  // namespace dialtone::scenario
