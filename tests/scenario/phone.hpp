#pragma once
// A UserAgent as a SimNetwork endpoint that keeps every event it reported with its instant,
// and an "auth gate" in front of one that challenges INVITEs as a UAS with credentials would
// (RFC 3261 §22.1: 401 from a UAS, 407 from a proxy in the path).
#include "address_book.hpp"

#include "dialtone/base/random.hpp"
#include "dialtone/sip/auth.hpp"
#include "dialtone/sip/digest.hpp"
#include "dialtone/sip/message.hpp"
#include "dialtone/ua/user_agent.hpp"

#include <deque>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace dialtone::scenario {

struct TimedEvent {
    base::TimePoint at;
    ua::Event event;
};

class Phone {
public:
    Phone(ua::UserAgentConfig config, std::uint64_t seed, const sip::DigestHash* hash = nullptr)
        : random_(seed), ua_(std::make_unique<ua::UserAgent>(std::move(config), random_, hash)) {}

    ua::UserAgent& ua() { return *ua_; }
    const ua::Address& address() const { return ua_->config().local; }

    void on_datagram(const ua::Datagram& d, base::TimePoint now) {
        ua_->on_datagram(d, now);
        drain(now);
    }
    void on_timer(base::TimePoint now) {
        ua_->on_timer(now);
        drain(now);
    }
    void on_transport_error(const ua::Datagram& d, std::string_view reason, base::TimePoint now) {
        ua_->on_transport_error(d, reason, now);
        drain(now);
    }
    std::optional<base::TimePoint> next_deadline() const { return ua_->next_deadline(); }
    std::optional<ua::Datagram> poll_transmit() { return ua_->poll_transmit(); }

    // Collects the events a command produced (commands are called on ua() directly).
    void drain(base::TimePoint now) {
        while (auto e = ua_->poll_event()) events_.push_back(TimedEvent{now, std::move(*e)});
    }

    const std::vector<TimedEvent>& events() const { return events_; }
    template <class T>
    std::vector<T> all() const {
        std::vector<T> out;
        for (const auto& e : events_)
            if (auto* v = std::get_if<T>(&e.event)) out.push_back(*v);
        return out;
    }
    template <class T>
    const T* last() const {
        for (auto it = events_.rbegin(); it != events_.rend(); ++it)
            if (auto* v = std::get_if<T>(&it->event)) return v;
        return nullptr;
    }
    template <class T>
    std::optional<base::TimePoint> last_at() const {
        for (auto it = events_.rbegin(); it != events_.rend(); ++it)
            if (std::holds_alternative<T>(it->event)) return it->at;
        return std::nullopt;
    }

private:
    base::SeededRandom random_;
    std::unique_ptr<ua::UserAgent> ua_;
    std::vector<TimedEvent> events_;
};

// Sits at a phone's address: a request of the challenged methods (INVITE unless told
// otherwise; in or out of a dialog) without valid credentials gets a Digest challenge (`status`
// 401 or 407) and never reaches the phone; everything else passes through.
class AuthGate {
public:
    AuthGate(Phone& phone, int status, std::string user, std::string password, const sip::DigestHash& hash,
             std::set<std::string> methods = {"INVITE"})
        : phone_(phone), status_(status), user_(std::move(user)), password_(std::move(password)), hash_(hash),
          methods_(std::move(methods)) {}

    void on_datagram(const ua::Datagram& d, base::TimePoint now);
    void on_timer(base::TimePoint now) { phone_.on_timer(now); }
    std::optional<base::TimePoint> next_deadline() const { return phone_.next_deadline(); }
    std::optional<ua::Datagram> poll_transmit() {
        if (!out_.empty()) {
            ua::Datagram d = std::move(out_.front());
            out_.pop_front();
            return d;
        }
        return phone_.poll_transmit();
    }
    std::size_t challenges() const { return challenges_; }
    std::size_t accepted() const { return accepted_; }
    // The requests that reached the phone with valid credentials, as they came.
    const std::vector<std::string>& accepted_requests() const { return accepted_requests_; }
    // A new nonce from now on: credentials for the old one are challenged again.
    void new_nonce(std::string nonce) { nonce_ = std::move(nonce); }

private:
    Phone& phone_;
    int status_;
    std::string user_;
    std::string password_;
    const sip::DigestHash& hash_;
    std::set<std::string> methods_;
    std::vector<std::string> accepted_requests_;
    std::string nonce_ = "5ee1c0ffee";
    std::set<std::string> challenged_branches_;
    std::deque<ua::Datagram> out_;
    std::size_t challenges_ = 0;
    std::size_t accepted_ = 0;
};

// A redirect server (RFC 3261 §8.3): answers every INVITE 302 with `contacts`, absorbs the
// ACKs, and counts what it redirected.
class Redirector {
public:
    explicit Redirector(std::vector<std::string> contacts) : contacts_(std::move(contacts)) {}
    void on_datagram(const ua::Datagram& d, base::TimePoint now);
    void on_timer(base::TimePoint) {}
    std::optional<base::TimePoint> next_deadline() const { return std::nullopt; }
    std::optional<ua::Datagram> poll_transmit() {
        if (out_.empty()) return std::nullopt;
        ua::Datagram d = std::move(out_.front());
        out_.pop_front();
        return d;
    }
    std::size_t redirected() const { return redirected_; }

private:
    std::vector<std::string> contacts_;
    std::deque<ua::Datagram> out_;
    std::size_t redirected_ = 0;
};

}  // namespace dialtone::scenario
