#include "dialtone/ua/registration.hpp"

#include "dialtone/base/strings.hpp"
#include "dialtone/sip/cseq.hpp"
#include "dialtone/sip/typed.hpp"

#include <algorithm>
#include <utility>

namespace dialtone::ua {

std::string_view to_string(RegistrationState s) {
    switch (s) {
    case RegistrationState::Unregistered: return "unregistered";
    case RegistrationState::Registering: return "registering";
    case RegistrationState::Registered: return "registered";
    case RegistrationState::Unregistering: return "unregistering";
    case RegistrationState::Failed: return "failed";
    }
    return "?";
}

namespace {

// A challenged REGISTER is answered at most this often in a row: the DigestClient already
// refuses repeated nonces; this bounds a server that hands out fresh stale nonces forever.
constexpr int kMaxAuthRounds = 4;

// Retry-After (§20.33): delta-seconds, optionally followed by a comment and parameters.
std::optional<base::Duration> retry_after(const sip::Message& m) {
    const sip::HeaderField* f = m.find(sip::HeaderId::RetryAfter);
    if (!f) return std::nullopt;
    std::string_view v = base::trim(f->value);
    std::size_t n = 0;
    while (n < v.size() && base::is_digit(v[n])) ++n;
    auto secs = base::parse_u32(v.substr(0, n));
    if (!secs) return std::nullopt;
    return base::seconds(*secs);
}

bool retryable(int status) { return status == 408 || status == 480 || (status >= 500 && status <= 599); }

}  // namespace

Registration::Registration(RegistrationConfig config, base::Random& random, const sip::DigestHash& hash)
    : config_(std::move(config)),
      random_(random),
      hash_(hash),
      expires_(config_.expires),
      www_(config_.username.empty() ? config_.aor.user() : config_.username, config_.password),
      proxy_(config_.username.empty() ? config_.aor.user() : config_.username, config_.password) {
    // §10.2.4: one Call-ID for every registration of this UA to this registrar.
    call_id_ = random_.token(20);
    from_tag_ = random_.token(10);
}

// --- commands -------------------------------------------------------------------------------

void Registration::start(base::TimePoint now) {
    wanted_ = true;
    failures_ = 0;
    retry_at_.reset();
    refresh_at_.reset();
    drop_pending(OpKind::Register);
    enqueue(Op{OpKind::Register, expires_, {}, 0}, now);
}

void Registration::stop(base::TimePoint now) {
    wanted_ = false;
    refresh_at_.reset();
    retry_at_.reset();
    drop_pending(OpKind::Register);
    const bool bound = state_ == RegistrationState::Registered || in_flight_.has_value() ||
                       (state_ == RegistrationState::Failed && granted_ > 0);
    if (!bound) {
        state_ = RegistrationState::Unregistered;
        events_.push_back(Unregistered{config_.aor});
        return;
    }
    enqueue(Op{OpKind::Unregister, 0, {}, 0}, now);
}

void Registration::remove_all(base::TimePoint now) {
    wanted_ = false;
    refresh_at_.reset();
    retry_at_.reset();
    drop_pending(OpKind::Register);
    enqueue(Op{OpKind::RemoveAll, 0, {}, 0}, now);
}

void Registration::query(base::TimePoint now) { enqueue(Op{OpKind::Query, 0, {}, 0}, now); }

void Registration::update_contacts(std::vector<sip::Contact> contacts, base::TimePoint now) {
    enqueue(Op{OpKind::Update, 0, std::move(contacts), 0}, now);
}

void Registration::drop_pending(OpKind kind) {
    pending_.erase(std::remove_if(pending_.begin(), pending_.end(), [kind](const Op& op) { return op.kind == kind; }),
                   pending_.end());
}

void Registration::enqueue(Op op, base::TimePoint now) {
    pending_.push_back(std::move(op));
    pump(now);
}

void Registration::pump(base::TimePoint now) {
    // §10.2: one REGISTER at a time.
    while (!in_flight_ && !pending_.empty()) {
        Op op = std::move(pending_.front());
        pending_.pop_front();
        send(std::move(op), now);
    }
}

// --- building requests ----------------------------------------------------------------------

sip::Contact Registration::our_contact() const {
    sip::Contact c;
    c.address.uri = config_.contact;
    if (config_.instance_id) c.address.params.set("+sip.instance", "<" + *config_.instance_id + ">", true);
    return c;
}

void Registration::send(Op op, base::TimePoint now) {
    const std::string ruri = config_.registrar.to_string();
    sip::Message m = sip::Message::request(sip::Method::Register, ruri);
    sip::Via via = config_.via;
    via.set_branch(std::string(sip::kMagicCookie) + random_.token(16));
    m.add_header(sip::HeaderId::Via, via.to_string());
    m.add_header(sip::HeaderId::MaxForwards, "70");
    if (config_.outbound_proxy) {
        // §8.1.2: a loose Route to the outbound proxy, which is also the next hop.
        sip::NameAddr route;
        route.uri = *config_.outbound_proxy;
        if (!route.uri.lr()) route.uri.params().set("lr");
        m.add_header(sip::HeaderId::Route, route.to_string());
    }
    sip::NameAddr aor;
    aor.uri = config_.aor;
    m.add_header(sip::HeaderId::To, aor.to_string());
    aor.set_tag(from_tag_);
    m.add_header(sip::HeaderId::From, aor.to_string());
    m.add_header(sip::HeaderId::CallId, call_id_);
    // §10.2.4: the CSeq goes up by one for each REGISTER with the same Call-ID.
    ++cseq_;
    m.add_header(sip::HeaderId::CSeq, sip::CSeq::make(cseq_, sip::Method::Register).to_string());
    switch (op.kind) {
    case OpKind::Register:
        m.add_header(sip::HeaderId::Contact, our_contact().to_string());
        m.add_header(sip::HeaderId::Expires, std::to_string(op.expires));
        if (state_ != RegistrationState::Registered) state_ = RegistrationState::Registering;
        break;
    case OpKind::Unregister:
        m.add_header(sip::HeaderId::Contact, our_contact().to_string());
        m.add_header(sip::HeaderId::Expires, "0");  // §10.2.2
        state_ = RegistrationState::Unregistering;
        break;
    case OpKind::RemoveAll:
        m.add_header(sip::HeaderId::Contact, "*");  // §10.2.2: only with Expires: 0
        m.add_header(sip::HeaderId::Expires, "0");
        state_ = RegistrationState::Unregistering;
        break;
    case OpKind::Query:
        break;  // §10.2.3: no Contact asks for the current list
    case OpKind::Update:
        for (const sip::Contact& c : op.contacts) m.add_header(sip::HeaderId::Contact, c.to_string());
        break;
    }

    InFlight f{std::move(op), cseq_, false, false};
    // §22.3: once challenged, later requests to the same realm carry credentials unasked.
    for (sip::DigestClient* client : {&www_, &proxy_}) {
        if (!client->challenge()) continue;
        auto cr = client->authorize(hash_, "REGISTER", ruri);
        if (!cr) {
            fail(f, 0, "cannot compute Digest credentials: " + cr.error().message, false, now);
            return;
        }
        const bool www = client == &www_;
        m.add_header(www ? sip::HeaderId::Authorization : sip::HeaderId::ProxyAuthorization, cr->to_string());
        (www ? f.sent_www : f.sent_proxy) = true;
    }
    if (!config_.user_agent.empty()) m.add_header(sip::HeaderId::UserAgent, config_.user_agent);
    m.add_header(sip::HeaderId::ContentLength, "0");

    in_flight_ = std::move(f);
    outbox_.push_back(OutgoingRequest{std::move(m), config_.outbound_proxy ? *config_.outbound_proxy : config_.registrar});
}

// --- responses and failures -----------------------------------------------------------------

bool Registration::owns(const sip::Message& response) const {
    if (!in_flight_ || !response.is_response()) return false;
    auto id = sip::call_id(response);
    if (!id || *id != call_id_) return false;
    auto cs = sip::cseq(response);
    return cs && cs->number == in_flight_->cseq && cs->method() == sip::Method::Register;
}

bool Registration::on_response(const sip::Message& response, base::TimePoint now) {
    if (!owns(response)) return false;
    const int status = response.status_code();
    if (status < 200) return true;  // a 100 says only that the registrar is working on it
    InFlight f = std::move(*in_flight_);
    in_flight_.reset();

    if (status < 300) {
        on_success(f, response, now);
    } else if (status == 401 || status == 407) {
        on_challenge(std::move(f), response, now);
    } else if (status == 423 && (f.op.kind == OpKind::Register)) {
        // §10.2.8: retry with an interval at least Min-Expires; one that does not raise ours
        // would only earn another 423.
        auto min = sip::min_expires(response);
        if (!min || !min->has_value() || **min <= f.op.expires) {
            fail(f, status, "Interval Too Brief without a usable Min-Expires", false, now);
        } else {
            expires_ = std::max(expires_, **min);
            f.op.expires = **min;
            send(std::move(f.op), now);
        }
    } else {
        fail(f, status, std::string(response.reason()), retryable(status), now, retry_after(response));
    }
    pump(now);
    return true;
}

void Registration::on_request_failed(int status, std::string_view reason, base::TimePoint now) {
    if (!in_flight_) return;
    InFlight f = std::move(*in_flight_);
    in_flight_.reset();
    fail(f, status, std::string(reason), true, now);
    // No response at all: the app tells an unreachable registrar from a refusal by this.
    if (auto* failed = std::get_if<RegistrationFailed>(&events_.back())) failed->network_failure = true;
    pump(now);
}

void Registration::on_success(const InFlight& f, const sip::Message& response, base::TimePoint now) {
    auto listed = sip::contacts(response);
    if (!listed) {
        fail(f, response.status_code(), "malformed 200: " + listed.error().message, false, now);
        return;
    }
    switch (f.op.kind) {
    case OpKind::Register: {
        // §10.2.4: the expires parameter of our Contact in the 200, else its Expires header.
        std::optional<std::uint32_t> granted;
        for (const sip::Contact& c : *listed)
            if (!c.wildcard && c.address.uri.equivalent(config_.contact) && c.expires()) granted = c.expires();
        if (!granted) {
            auto header = sip::expires(response);
            if (header && header->has_value()) granted = **header;
        }
        const std::uint32_t g = granted.value_or(f.op.expires);
        if (g == 0) {
            fail(f, response.status_code(), "registrar granted 0 seconds", false, now);
            return;
        }
        state_ = RegistrationState::Registered;
        granted_ = g;
        failures_ = 0;
        retry_at_.reset();
        // Refresh at half the granted interval: a margin for a whole Timer F and a retry.
        refresh_at_ = wanted_ ? std::optional<base::TimePoint>(now + base::milliseconds(std::int64_t{g} * 500))
                              : std::nullopt;
        events_.push_back(Registered{config_.aor, g, std::move(listed).value()});
        break;
    }
    case OpKind::Unregister:
    case OpKind::RemoveAll:
        state_ = RegistrationState::Unregistered;
        granted_ = 0;
        refresh_at_.reset();
        events_.push_back(Unregistered{config_.aor});
        break;
    case OpKind::Query:
    case OpKind::Update:
        events_.push_back(BindingsListed{config_.aor, std::move(listed).value()});
        break;
    }
}

void Registration::on_challenge(InFlight f, const sip::Message& response, base::TimePoint now) {
    const int status = response.status_code();
    auto challenges = sip::digest_challenges(response);
    if (!challenges) {
        fail(f, status, "unusable challenge: " + challenges.error().message, false, now);
        return;
    }
    const auto mine = sip::challenges_for_realm(*challenges, config_.realm);
    if (mine.empty() && !challenges->empty()) {
        fail(f, status, sip::realm_mismatch(*challenges, config_.realm), false, now);
        return;
    }
    if (++f.op.auth_rounds > kMaxAuthRounds) {
        fail(f, status, "challenged " + std::to_string(kMaxAuthRounds) + " times in a row", false, now);
        return;
    }
    sip::DigestClient& client = status == 401 ? www_ : proxy_;
    const bool sent = status == 401 ? f.sent_www : f.sent_proxy;
    switch (client.on_challenge(mine, sent ? sip::Attempt::WithCredentials : sip::Attempt::WithoutCredentials,
                                random_)) {
    case sip::AuthDecision::Retry:
        send(std::move(f.op), now);
        return;
    case sip::AuthDecision::Refused:
        fail(f, status, "credentials refused", false, now);
        return;
    case sip::AuthDecision::Unsupported:
        fail(f, status, "no Digest challenge dialtone can answer", false, now);
        return;
    }
}

void Registration::fail(const InFlight& f, int status, std::string reason, bool retry, base::TimePoint now,
                        std::optional<base::Duration> after) {
    std::optional<base::TimePoint> retry_at;
    switch (f.op.kind) {
    case OpKind::Register:
        state_ = RegistrationState::Failed;
        refresh_at_.reset();
        if (retry && wanted_) {
            // Backoff: base, 2×base, 4×base, … capped; Retry-After wins when given.
            ++failures_;
            base::Duration delay = config_.retry_base;
            for (int i = 1; i < failures_ && delay < config_.retry_max; ++i) delay *= 2;
            delay = std::min(delay, config_.retry_max);
            if (after) delay = *after;
            retry_at = now + delay;
        }
        retry_at_ = retry_at;
        break;
    case OpKind::Unregister:
    case OpKind::RemoveAll:
        // We stop refreshing either way: the binding runs out on its own.
        state_ = RegistrationState::Unregistered;
        granted_ = 0;
        break;
    case OpKind::Query:
    case OpKind::Update:
        break;
    }
    events_.push_back(RegistrationFailed{config_.aor, status, std::move(reason), retry_at});
}

// --- time and outputs -----------------------------------------------------------------------

void Registration::on_timer(base::TimePoint now) {
    bool again = false;
    if (refresh_at_ && *refresh_at_ <= now) {
        refresh_at_.reset();
        again = true;
    }
    if (retry_at_ && *retry_at_ <= now) {
        retry_at_.reset();
        again = true;
    }
    if (again && wanted_) {
        drop_pending(OpKind::Register);
        // A refresh still on its way (a slow transaction) already does the job.
        if (!(in_flight_ && in_flight_->op.kind == OpKind::Register)) enqueue(Op{OpKind::Register, expires_, {}, 0}, now);
    }
}

std::optional<base::TimePoint> Registration::next_deadline() const {
    if (refresh_at_ && retry_at_) return std::min(*refresh_at_, *retry_at_);
    return refresh_at_ ? refresh_at_ : retry_at_;
}

std::optional<OutgoingRequest> Registration::poll_request() {
    if (outbox_.empty()) return std::nullopt;
    OutgoingRequest r = std::move(outbox_.front());
    outbox_.pop_front();
    return r;
}

std::optional<RegistrationEvent> Registration::poll_event() {
    if (events_.empty()) return std::nullopt;
    RegistrationEvent e = std::move(events_.front());
    events_.pop_front();
    return e;
}

}  // namespace dialtone::ua
