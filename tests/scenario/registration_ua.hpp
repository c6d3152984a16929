#pragma once
// A registering UA for scenarios: one ua::Registration over a TransactionLayer, speaking
// Datagrams. It is the slice of the UserAgent facade that registration needs, and records
// every event with the instant it came.
#include "address_book.hpp"

#include "dialtone/base/random.hpp"
#include "dialtone/base/time.hpp"
#include "dialtone/sip/digest.hpp"
#include "dialtone/txn/transaction_layer.hpp"
#include "dialtone/ua/datagram.hpp"
#include "dialtone/ua/registration.hpp"

#include <optional>
#include <vector>

namespace dialtone::scenario {

struct TimedRegistrationEvent {
    base::TimePoint at;
    ua::RegistrationEvent event;
};

class RegistrationUa {
public:
    RegistrationUa(ua::Address self, ua::RegistrationConfig config, base::Random& random, const sip::DigestHash& hash);

    ua::Registration& registration() { return reg_; }
    void start(base::TimePoint now) { reg_.start(now); pump(now); }
    void stop(base::TimePoint now) { reg_.stop(now); pump(now); }
    void remove_all(base::TimePoint now) { reg_.remove_all(now); pump(now); }
    void query(base::TimePoint now) { reg_.query(now); pump(now); }
    void update_contacts(std::vector<sip::Contact> c, base::TimePoint now) {
        reg_.update_contacts(std::move(c), now);
        pump(now);
    }

    void on_datagram(const ua::Datagram& in, base::TimePoint now);
    void on_timer(base::TimePoint now);
    std::optional<base::TimePoint> next_deadline() const;
    std::optional<ua::Datagram> poll_transmit();

    const std::vector<TimedRegistrationEvent>& events() const { return events_; }
    template <class T>
    std::size_t count() const {
        std::size_t n = 0;
        for (const auto& e : events_) n += std::holds_alternative<T>(e.event);
        return n;
    }
    template <class T>
    const T* last() const {
        for (auto it = events_.rbegin(); it != events_.rend(); ++it)
            if (auto* p = std::get_if<T>(&it->event)) return p;
        return nullptr;
    }

private:
    void pump(base::TimePoint now);

    ua::Address self_;
    txn::TransactionLayer txn_;
    ua::Registration reg_;
    AddressBook book_;
    txn::TransactionId reg_txn_;
    std::vector<TimedRegistrationEvent> events_;
};

}  // namespace dialtone::scenario
