#include "dialtone/app/driver.hpp"

#include <openssl/rand.h>
#include <unistd.h>

#include <asio/read_until.hpp>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstdio>
#include <iostream>
#include <random>
#include <utility>

#include "dialtone/app/control_command.hpp"
#include "dialtone/base/strings.hpp"
#include "dialtone/io/host_port.hpp"
#include "driver_impl.hpp"
#include "process_util.hpp"

namespace dialtone::app {

namespace {

class OpensslKeySource final : public ua::KeySource {
public:
    std::string random_bytes(std::size_t n) override {
        std::string out(n, '\0');
        if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1) out.clear();
        return out;
    }
};

std::uint64_t random_seed() {
    std::random_device rd;
    return (static_cast<std::uint64_t>(rd()) << 32) ^ rd() ^
           static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
}

sdp::Codec codec_by_name(const std::string& name) {
    if (name == "pcmu") return sdp::Codec::pcmu();
    if (name == "pcma") return sdp::Codec::pcma();
    return sdp::Codec::opus();
}

ua::Transport to_ua(TransportKind t) {
    switch (t) {
    case TransportKind::Udp: return ua::Transport::Udp;
    case TransportKind::Tcp: return ua::Transport::Tcp;
    case TransportKind::Tls: return ua::Transport::Tls;
    }
    return ua::Transport::Udp;
}

constexpr base::Duration kIdleConnectionTimeout = base::seconds(300);

base::Duration seconds_f(double s) { return base::milliseconds(static_cast<std::int64_t>(s * 1000.0)); }

std::string human_line(const Json& event) {
    std::string out = event.value("event", std::string("event"));
    for (const auto& [key, value] : event.items()) {
        if (key == "event" || key == "time" || value.is_null()) continue;
        out += ' ';
        out += key;
        out += '=';
        out += value.is_string() ? value.get<std::string>() : value.dump();
    }
    return out + "\n";
}

}  // namespace

Driver::Driver(const Options& options) : o_(options), tick_timer_(loop_.context()) {
    int level = o_.global.quiet ? 3 : o_.global.verbose >= 2 ? 0 : o_.global.verbose == 1 ? 1 : 2;
    if (!o_.global.log_file.empty()) log_file_ = std::fopen(o_.global.log_file.c_str(), "a");
    FILE* out = log_file_ ? log_file_ : stderr;
    logger_ = io::Logger([level, out](io::LogLevel l, std::string_view message) {
        if (static_cast<int>(l) < level) return;
        std::fprintf(out, "dialtone: %s: %.*s\n", std::string(io::to_string(l)).c_str(),
                     static_cast<int>(message.size()), message.data());
        std::fflush(out);
    });
    json_ = o_.global.json || !isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO);
    interactive_ = !json_ && (o_.command == Command::Call || o_.command == Command::Listen);
    // https://no-color.org: any non-empty NO_COLOR turns colour off.
    const char* no_color = std::getenv("NO_COLOR");
    color_ = interactive_ && !(no_color && *no_color);
    media_ = std::make_unique<io::MediaModule>(io::MediaBackendConfig{logger_});
}

Driver::~Driver() {
    if (trace_ && trace_ != stderr) std::fclose(trace_);
    if (log_file_) std::fclose(log_file_);
}

void Driver::log(io::LogLevel level, const std::string& message) const { logger_.log(level, message); }

std::string Driver::now_text() const {
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                  std::chrono::system_clock::now().time_since_epoch()).count();
    return format_utc(ms);
}

base::Status Driver::setup() {
    const auto& g = o_.global;
    if (!g.pcap.empty()) {
        auto w = io::PcapWriter::create(g.pcap);
        if (!w) return w.error();
        pcap_ = *w;
    }
    if (g.sip_trace) {
        trace_ = *g.sip_trace == "-" ? stderr : std::fopen(g.sip_trace->c_str(), "w");
        if (!trace_) return base::make_error("cannot write SIP trace " + *g.sip_trace);
    }
    auto allow = Allowlist::parse(o_.listen.allow);
    if (!allow) return allow.error();
    allowlist_ = std::move(*allow);
    if (auto s = check_audio_options(); !s) return s;

    std::string listen = g.listen.empty() ? (o_.command == Command::Listen ? "0.0.0.0:5060" : "0.0.0.0:0") : g.listen;
    auto bind = io::parse_host_port(listen);
    if (!bind) return bind.error();

    io::TransportOptions topts;
    // TCP/TLS: our connections keep their NAT bindings with RFC 5626 CRLF pings, every 20-25 s
    // (80-100 % of 25 s, §4.4.1; drawn once per process). Only RFC 5626 servers answer them, so
    // a missing pong does not fail the flow. A connection a peer opened and left silent for
    // 5 minutes is closed, but not while a call is up (its dialog may need it: see pump()); a
    // peer that needs it again reconnects to the address we listen on.
    std::mt19937_64 jitter(random_seed());
    topts.timers.keepalive_interval =
        base::milliseconds(std::uniform_int_distribution<std::int64_t>(20000, 25000)(jitter));
    topts.timers.pong_timeout = base::Duration{0};
    topts.timers.idle_timeout = kIdleConnectionTimeout;
    topts.timers.close_idle_outbound = false;
    if (!g.tls_ca.empty() || g.tls_no_verify) {
        io::TlsOptions tls;
        tls.ca_file = g.tls_ca;
        tls.verify_server = !g.tls_no_verify;
        topts.tls = tls;
    }
    auto bound = open_listeners(*bind, topts);
    if (!bound) return bound.error();
    for (const auto& p : transport_->listen_points())
        emit(listening_event(now_text(), std::string(io::to_string(p.transport)), io::to_string(p.local)));

    // The address others reach us at: the bound one, or the interface that faces the peer.
    std::string target_host;
    auto host_of = [](const std::string& text) -> std::string {
        auto uri = sip::parse_uri(text);
        return uri ? uri->host().to_string() : std::string();
    };
    if (o_.command == Command::Call) target_host = host_of(o_.call.uri);
    else if (o_.command == Command::Message) target_host = host_of(o_.message.uri);
    else if (o_.command == Command::Options) target_host = host_of(o_.options.uri);
    if (!g.proxy.empty()) target_host = host_of(g.proxy);
    else if (!g.registrar.empty() && target_host.empty()) target_host = host_of(g.registrar);
    if (!target_host.empty() && target_host.front() == '[') target_host = target_host.substr(1, target_host.size() - 2);
    std::string local_ip = bound->host;
    if (local_ip.empty() || local_ip == "0.0.0.0" || local_ip == "::") {
        bool numeric = !target_host.empty() &&
                       (target_host.find(':') != std::string::npos ||
                        target_host.find_first_not_of("0123456789.") == std::string::npos);
        local_ip = io::local_address_towards(numeric ? target_host : "192.0.2.1");
    }

    ua::UserAgentConfig cfg;
    std::string id = g.id.empty() ? "sip:dialtone@" + (local_ip.find(':') != std::string::npos ? "[" + local_ip + "]" : local_ip) +
                                        ":" + std::to_string(bound->port)
                                  : g.id;
    auto aor = sip::parse_uri(id);
    if (!aor) return base::make_error("--id: " + aor.error().message);
    cfg.account.aor = *aor;
    cfg.account.username = g.user;
    cfg.account.password = g.password;
    cfg.account.realm = g.realm.empty() ? "*" : g.realm;
    if (!g.registrar.empty()) cfg.account.registrar = sip::parse_uri(g.registrar).value();
    if (!g.proxy.empty()) cfg.outbound_proxy = sip::parse_uri(g.proxy).value();
    cfg.local = {local_ip, bound->port};
    cfg.transport = to_ua(g.transport);
    cfg.media.address = local_ip;
    cfg.media.codecs.clear();
    for (const auto& c : g.codecs) cfg.media.codecs.push_back(codec_by_name(c));
    cfg.media.srtp = g.srtp == SrtpMode::Off        ? sdp::SrtpMode::Off
                     : g.srtp == SrtpMode::Optional ? sdp::SrtpMode::Optional
                                                    : sdp::SrtpMode::Mandatory;
    cfg.srtp_suites.clear();
    for (const auto& name : g.srtp_suites) cfg.srtp_suites.push_back(sdp::srtp_suite_from_name(name));
    int lo = g.rtp_ports.lo + (g.rtp_ports.lo % 2);
    cfg.rtp_ports = {static_cast<std::uint16_t>(lo), static_cast<std::uint16_t>(g.rtp_ports.hi)};
    cfg.max_calls = g.max_calls == 0 ? 100000 : static_cast<std::size_t>(g.max_calls);
    cfg.ring_timeout = o_.command == Command::Call && o_.call.ring_timeout > 0 ? seconds_f(o_.call.ring_timeout)
                                                                               : base::Duration::zero();
    if (g.session_timer == Negotiable::Off) cfg.session_expires = 0;
    cfg.reliable_provisionals = g.rel100 != Negotiable::Off;

    random_ = std::make_unique<base::SeededRandom>(random_seed());
    keys_ = std::make_unique<OpensslKeySource>();
    ua_ = std::make_unique<ua::UserAgent>(std::move(cfg), *random_, &hash_, keys_.get());

    transport_->on_receive([this](ua::Datagram d) {
        trace(d, false);
        last_source_ = d.remote;
        ua_->on_datagram(d, loop_.now());
        pump();
    });
    if (pcap_) transport_->on_wire([this](const io::WireMessage& m) { capture(m); });
    transport_->on_send_failure([this](io::SendFailure f) {
        log(io::LogLevel::Warning, f.reason);
        ua_->on_transport_error(f.datagram, f.reason, loop_.now());
        pump();
    });
    loop_.on_timer([this](base::TimePoint now) {
        ua_->on_timer(now);
        pump();
    });
    loop_.on_signal([this](int s) { on_signal(s); });
    return {};
}

// UDP and TCP on one port number, as the Via and Contact name only one. With port 0 the kernel
// picks UDP's; when that number is taken on TCP, another pair is tried.
base::Result<ua::Address> Driver::open_listeners(const ua::Address& bind, const io::TransportOptions& topts) {
    const auto& g = o_.global;
    constexpr int kAttempts = 32;
    for (int attempt = 1;; ++attempt) {
        transport_ = std::make_unique<io::SipTransport>(loop_, topts, logger_);
        ua::Address bound = bind;
        if (!g.no_udp) {
            auto a = transport_->listen(ua::Transport::Udp, bind);
            if (!a) return base::make_error(a.error().message, 2);   // "cannot listen on udp ADDR: why"
            bound = *a;
        }
        if (g.no_tcp) return bound;
        auto a = transport_->listen(ua::Transport::Tcp, bound);
        if (a) return *a;
        if (g.no_udp) return base::make_error(a.error().message, 2);
        if (bind.port == 0 && attempt < kAttempts) continue;
        log(io::LogLevel::Warning, "no TCP listener: " + a.error().message);
        return bound;
    }
}

void Driver::trace(const ua::Datagram& d, bool outgoing) {
    if (!trace_) return;
    std::string local = io::to_string(d.local), remote = io::to_string(d.remote);
    std::fprintf(trace_, "%s %s %s %s %s %s (%zu bytes)\n%s\n", now_text().c_str(), outgoing ? "send" : "recv",
                 std::string(io::to_string(d.transport)).c_str(), outgoing ? local.c_str() : remote.c_str(),
                 "->", outgoing ? remote.c_str() : local.c_str(), d.bytes.size(), d.bytes.c_str());
    std::fflush(trace_);
}

// A UDP socket bound to 0.0.0.0 or :: does not say which address a datagram used; the address
// we advertise is the best guess.
void Driver::capture(const io::WireMessage& m) {
    ua::Address local = m.local;
    const auto& ours = ua_->config().local;
    if ((local.host == "0.0.0.0" || local.host == "::") && local.is_ipv6() == ours.is_ipv6()) local.host = ours.host;
    if (m.outgoing) pcap_->sip(m.transport, local, m.remote, m.bytes);
    else pcap_->sip(m.transport, m.remote, local, m.bytes);
}

void Driver::pump() {
    // Events first may cause more to send (an answer, a BYE); loop until both are drained.
    for (;;) {
        bool any = false;
        while (auto d = ua_->poll_transmit()) {
            any = true;
            trace(*d, true);
            transport_->send(std::move(*d));
        }
        while (auto e = ua_->poll_event()) {
            any = true;
            on_ua_event(*e);
        }
        if (!any) break;
    }
    // Connections idle only between calls: which one a dialog uses is not known here.
    if (calls_.empty() == idle_paused_) {
        idle_paused_ = !calls_.empty();
        transport_->set_idle_timeout(idle_paused_ ? base::Duration{0} : kIdleConnectionTimeout);
    }
    loop_.arm(ua_->next_deadline());
}

void Driver::emit(const Json& event) {
    std::string line = json_ ? to_json_line(event) : human_line(event);
    if (interactive_) clear_status();
    std::fwrite(line.data(), 1, line.size(), stdout);
    if (interactive_) render_status();
    std::fflush(stdout);
    if (o_.listen.on_event.empty() || o_.command != Command::Listen) return;
    if (spawn_with_input(o_.listen.on_event, event_environment(event), to_json_line(event))) {
        if (children_++ == 0) rearm_tick();
    } else {
        log(io::LogLevel::Warning, "--on-event: cannot start /bin/sh");
    }
}

void Driver::after(base::Duration delay, std::function<void()> action) {
    const auto it = timers_.emplace(loop_.now() + delay, std::move(action));
    if (it == timers_.begin()) rearm_tick();  // due before whatever the tick waits for
}

void Driver::on_ua_event(const ua::Event& event) {
    base::TimePoint now = loop_.now();
    Json j = describe(event, now_text(), now);
    if (const auto* in = std::get_if<ua::IncomingCall>(&event)) {
        j["source"] = io::to_string(last_source_);
        auto& slot = calls_[in->call];
        slot.id = in->call;
        slot.state = "incoming";
        slot.peer = in->from.uri.to_string();
        emit(j);
        on_incoming(*in);
        return;
    }
    if (const auto* r = std::get_if<ua::CallRinging>(&event)) note_state(r->call, "ringing");
    if (const auto* h = std::get_if<ua::HoldChanged>(&event)) {
        note_state(h->call, h->local || h->remote ? "on hold" : "answered");
        if (auto it = calls_.find(h->call); it != calls_.end()) it->second.on_hold = h->local;
    }
    if (const auto* a = std::get_if<ua::CallAnswered>(&event)) {
        auto& slot = calls_[a->call];
        slot.id = a->call;
        slot.state = "answered";
        slot.answered = true;
        slot.answered_at = now;
        slot.answered_time = j["time"].get<std::string>();
        if (!a->media.empty()) {
            slot.codec = j.value("codec", std::string());
            slot.srtp = a->media.front().srtp.has_value();
        }
    }
    if (const auto* e = std::get_if<ua::CallEnded>(&event)) {
        auto it = calls_.find(e->call);
        const bool answered = it != calls_.end() && it->second.answered;
        j["answered_at"] = answered ? Json(it->second.answered_time) : Json(nullptr);
        j["duration_ms"] = answered ? Json(base::to_milliseconds(now - it->second.answered_at)) : Json(nullptr);
    }
    if (std::holds_alternative<ua::OptionsResult>(event) || std::holds_alternative<ua::MessageResult>(event))
        j["rtt_ms"] = static_cast<double>(base::to_milliseconds(now - request_sent_));
    emit(j);

    std::visit(
        [&](const auto& e) {
            using T = std::decay_t<decltype(e)>;
            if constexpr (std::is_same_v<T, ua::CallEarlyMedia>) {
                if (auto it = calls_.find(e.call); it != calls_.end()) start_media(it->second, e.media);
            } else if constexpr (std::is_same_v<T, ua::CallAnswered>) {
                auto& slot = calls_[e.call];
                slot.id = e.call;
                slot.answered = true;
                start_media(slot, e.media);
                if (o_.command == Command::Call && e.call == main_call_) {
                    if (o_.call.duration > 0)
                        after(seconds_f(o_.call.duration), [this, id = e.call] { (void)ua_->hangup(id, loop_.now()); });
                    const bool transferred = transferred_from_ != 0;
                    transferred_from_ = 0;
                    if (!o_.call.send_dtmf.empty() && !transferred)  // the digits were for the first party
                        after(base::milliseconds(o_.call.dtmf_delay),
                              [this, id = e.call] { send_digits(id, o_.call.send_dtmf); });
                }
                if (o_.command == Command::Listen && o_.listen.hangup_after > 0)
                    after(seconds_f(o_.listen.hangup_after), [this, id = e.call] { (void)ua_->hangup(id, loop_.now()); });
            } else if constexpr (std::is_same_v<T, ua::MediaUpdated> || std::is_same_v<T, ua::HoldChanged>) {
                if (auto it = calls_.find(e.call); it != calls_.end()) update_media(it->second, e.media);
            } else if constexpr (std::is_same_v<T, ua::CallEnded>) {
                on_ended(e);
            } else if constexpr (std::is_same_v<T, ua::TransferRequested>) {
                // We were transferred: the new call is the one `call` now lives for. (As the
                // transferor, the UserAgent itself hangs up once the transfer succeeded.)
                if (e.new_call) {
                    calls_[e.new_call].id = e.new_call;
                    calls_[e.new_call].peer = e.target.to_string();
                    if (o_.command == Command::Call && e.call == main_call_) {
                        transferred_from_ = e.call;
                        main_call_ = e.new_call;
                    }
                }
            } else if constexpr (std::is_same_v<T, ua::Registered>) {
                if (o_.command == Command::Register && o_.reg.once) finish(ExitCode::Ok);
            } else if constexpr (std::is_same_v<T, ua::RegistrationFailed>) {
                // The event says it to scripts; a person reading the terminal learns it here.
                log(e.retry_at ? io::LogLevel::Warning : io::LogLevel::Error,
                    "registration of " + e.aor.to_string() + " failed: " +
                        (e.status ? std::to_string(e.status) + " " : std::string()) + e.reason +
                        (e.retry_at ? " (trying again)" : ""));
                if (o_.command == Command::Register || o_.command == Command::Listen) {
                    if (o_.reg.once || !e.retry_at) {
                        finish(e.network_failure ? ExitCode::Network : exit_code_for_status(e.status));
                    }
                }
            } else if constexpr (std::is_same_v<T, ua::OptionsResult> || std::is_same_v<T, ua::MessageResult>) {
                if (e.request == request_ &&
                    (o_.command == Command::Options || o_.command == Command::Message))
                    finish(e.network_failure ? ExitCode::Network : exit_code_for_status(e.status));
            }
        },
        event);
}

void Driver::on_incoming(const ua::IncomingCall& in) {
    auto& slot = calls_[in.call];
    slot.id = in.call;
    slot.incoming = true;
    slot.peer = in.from.uri.to_string();
    if (o_.command != Command::Listen) {
        (void)ua_->reject(in.call, 486, "Busy Here", loop_.now());
        return;
    }
    if (!allowlist_.permits(slot.peer, last_source_.host)) {
        log(io::LogLevel::Info, "refused " + slot.peer + " from " + io::to_string(last_source_) + ": not in --allow");
        (void)ua_->reject(in.call, 403, "Forbidden", loop_.now());
        return;
    }
    // The caller's auto-answer request is obeyed only when asked to (RFC 5373 §8): else anyone
    // could open a microphone by sending the right header.
    const bool requested = o_.listen.honor_answer_headers && in.answer_after.has_value();
    if (!o_.listen.auto_answer && !requested) return;   // answered by `answer` on stdin
    auto act = [this, id = in.call] {
        if (o_.listen.answer_code == 200) (void)ua_->answer(id, loop_.now());
        else (void)ua_->reject(id, o_.listen.answer_code, "", loop_.now());
    };
    base::Duration delay = requested ? base::seconds(*in.answer_after) : base::milliseconds(o_.listen.answer_delay);
    if (delay > base::Duration::zero()) after(delay, act);
    else act();
}

void Driver::on_ended(const ua::CallEnded& e) {
    auto it = calls_.find(e.call);
    bool answered = it != calls_.end() && it->second.answered;
    if (it != calls_.end()) {
        stop_media(it->second);
        calls_.erase(it);
    }
    ++calls_ended_;
    if (o_.command == Command::Call && e.call == transferred_from_) {
        transferred_from_ = 0;  // the transferor left, as it should once we placed the new call
    } else if (o_.command == Command::Call && e.call == main_call_ && !answered && transferred_from_) {
        // The transfer failed: back to the call it came from, which the transferor keeps.
        main_call_ = std::exchange(transferred_from_, 0);
    } else if (o_.command == Command::Call && e.call == main_call_) {
        if (!answered && (e.status == 401 || e.status == 407))
            log(io::LogLevel::Error, "authentication failed: " + std::to_string(e.status) + " " + e.reason);
        if (!answered && exit_code_for_status(e.status) == ExitCode::MediaFailed)
            log(io::LogLevel::Error, "media not agreed: " + std::to_string(e.status) + " " + e.reason);
        if (answered) finish(ExitCode::Ok);
        else if (stopping_ && e.status == 487) finish(ExitCode::NoAnswer);   // we cancelled it (Ctrl-C, quit)
        else if (e.network_failure) finish(ExitCode::Network);
        else finish(exit_code_for_status(e.status));
    } else if (o_.command == Command::Listen && o_.listen.exit_after > 0 && calls_ended_ >= o_.listen.exit_after) {
        finish(ExitCode::Ok);
    }
    if (stopping_ && calls_.empty()) finish(exit_.value_or(ExitCode::Ok));
}

void Driver::finish(std::optional<ExitCode> code) {
    if (!exit_) exit_ = code;
    if (stopping_ && calls_.empty()) {
        // A short grace lets the last ACK or 200 to a BYE leave before the sockets close.
        after(base::milliseconds(200), [this] { loop_.stop(); });
        return;
    }
    stopping_ = true;
    for (auto& [id, slot] : calls_) (void)ua_->hangup(id, loop_.now());
    // Only `listen` registers (besides `register`, which unregisters on its own): a `call` given
    // --registrar has no binding to remove, and must not report one removed.
    if (ua_->registration() && o_.command == Command::Listen) (void)ua_->unregister_account(loop_.now());
    pump();
    if (calls_.empty()) {
        after(base::milliseconds(200), [this] { loop_.stop(); });
        return;
    }
    after(base::seconds(3), [this] {   // bounded: a peer that never answers the CANCEL or BYE
        end_unconfirmed_calls();
        loop_.stop();
    });
}

// Every call gets its `ended`, also one whose peer never answered our CANCEL or BYE: the status
// is the one the request would have had (487 for the INVITE we cancelled), made here.
void Driver::end_unconfirmed_calls() {
    while (!calls_.empty()) {
        const CallSlot& slot = calls_.begin()->second;
        ua::CallEnded ended{slot.id, slot.answered ? 408 : 487,
                            slot.answered ? "no response to the BYE" : "no response to the CANCEL", false, true};
        on_ua_event(ended);
    }
}

// Ctrl-C, SIGTERM and `quit`: hang up everything. The exit status is the main call's outcome (a
// call cancelled before the answer is "no answer"), so it is set when that call ends.
void Driver::hang_up_and_exit() {
    const bool main_call_open = o_.command == Command::Call && calls_.count(main_call_);
    finish(main_call_open ? std::nullopt : std::optional(ExitCode::Ok));
}

void Driver::on_signal(int signal) {
    ++signals_;
    if (signals_ > 1 && signal == SIGINT) {
        end_unconfirmed_calls();   // a second Ctrl-C: leave at once (recordings are still closed)
        loop_.stop();
        return;
    }
    log(io::LogLevel::Info, signal == SIGINT ? "interrupted: hanging up" : "terminated: hanging up");
    if (o_.command == Command::Register && ua_->registration()) (void)ua_->unregister_account(loop_.now());
    hang_up_and_exit();
}

// The driver looks every 100 ms while there is something to poll: media streams (digits, stats,
// a file that ended), children of --on-event to reap, the terminal's status line, a --pcap file
// to flush. Otherwise it sleeps until its next `after` action, so an idle phone wakes up for
// nothing. (`after` actions run on time either way: the timer is armed for the earliest.)
void Driver::arm_tick() {
    constexpr auto kPoll = base::milliseconds(100);
    const base::TimePoint now = loop_.now();
    std::optional<base::TimePoint> at;
    if (!streams_.empty() || children_ > 0 || interactive_ || pcap_) at = now + kPoll;
    if (!timers_.empty() && (!at || timers_.begin()->first < *at)) at = timers_.begin()->first;
    if (!at) return;
    tick_timer_.expires_after(std::max(*at - now, base::Duration::zero()));
    tick_timer_.async_wait([this](const asio::error_code& ec) {
        if (ec) return;
        tick();
        arm_tick();
    });
}

void Driver::rearm_tick() {
    tick_timer_.cancel();  // the pending wait ends with operation_aborted and does nothing
    arm_tick();
}

void Driver::tick() {
    if (auto* m = media_->loaded())
        while (auto e = m->poll_event()) on_media_event(*e);
    base::TimePoint now = loop_.now();
    while (!timers_.empty() && timers_.begin()->first <= now) {
        auto action = std::move(timers_.begin()->second);
        timers_.erase(timers_.begin());
        action();
    }
    children_ -= std::min(children_, reap_children());
    if (pcap_ && now - pcap_flushed_ >= base::seconds(1)) {
        pcap_->flush();
        pcap_flushed_ = now;
    }
    if (interactive_ && now - last_render_ >= base::milliseconds(500)) {
        clear_status();
        render_status();
        std::fflush(stdout);
    }
    pump();
}

void Driver::start_stdin() {
    if (interactive_) {
        start_keys();
        return;
    }
    int fd = dup(STDIN_FILENO);
    if (fd < 0) return;
    try {
        stdin_ = std::make_unique<asio::posix::stream_descriptor>(loop_.context(), fd);
        stdin_->non_blocking(true);
    } catch (const std::exception&) {
        // A regular file or /dev/null cannot be watched by epoll: there are no commands to read.
        stdin_.reset();
        close(fd);
        return;
    }
    read_stdin();
}

void Driver::read_stdin() {
    asio::async_read_until(*stdin_, stdin_buf_, '\n', [this](const asio::error_code& ec, std::size_t n) {
        if (ec) return;   // end of input: keep running; the command ends as it would otherwise
        std::string line(asio::buffers_begin(stdin_buf_.data()), asio::buffers_begin(stdin_buf_.data()) + static_cast<std::ptrdiff_t>(n));
        stdin_buf_.consume(n);
        if (!line.empty() && line.back() == '\n') line.pop_back();
        on_control_line(line);
        if (stdin_) read_stdin();
    });
}

ua::CallId Driver::pick_call(std::optional<std::uint64_t> id) const {
    if (id) return *id;
    return calls_.empty() ? 0 : calls_.rbegin()->first;
}

void Driver::on_control_line(const std::string& line) {
    auto cmd = parse_control_command(line);
    if (!cmd) {
        if (!cmd.error().message.empty()) emit(error_event(now_text(), cmd.error().message));
        return;
    }
    base::TimePoint now = loop_.now();
    base::Status result;
    ua::CallId id = pick_call(cmd->call);
    auto need_call = [&]() -> bool {
        if (id != 0 && calls_.count(id)) return true;
        emit(error_event(now_text(), cmd->call ? "no call " + std::to_string(*cmd->call) : std::string("no call")));
        return false;
    };
    switch (cmd->verb) {
    case ControlVerb::Quit: hang_up_and_exit(); return;
    case ControlVerb::Call: {
        auto uri = sip::parse_uri(cmd->uri);
        if (!uri) { emit(error_event(now_text(), "call: " + uri.error().message)); return; }
        ua::CallId c = ua_->call(*uri, ua::CallOptions{}, now);
        if (c) calls_[c].id = c, calls_[c].peer = cmd->uri;
        break;
    }
    case ControlVerb::Answer: if (need_call()) result = ua_->answer(id, now); break;
    case ControlVerb::Hangup: if (need_call()) result = ua_->hangup(id, now); break;
    case ControlVerb::Hold: if (need_call()) result = ua_->hold(id, now); break;
    case ControlVerb::Resume: if (need_call()) result = ua_->resume(id, now); break;
    case ControlVerb::Mute:
        if (need_call()) {
            auto& slot = calls_[id];
            slot.muted = !slot.muted;
            if (slot.stream) result = media_->loaded()->set_muted(*slot.stream, slot.muted);
        }
        break;
    case ControlVerb::Dtmf: if (need_call()) send_digits(id, cmd->text); break;
    case ControlVerb::Transfer: {
        auto uri = sip::parse_uri(cmd->uri);
        if (!uri) { emit(error_event(now_text(), "transfer: " + uri.error().message)); return; }
        if (need_call()) result = ua_->transfer(id, *uri, now);
        break;
    }
    case ControlVerb::Message: {
        auto uri = sip::parse_uri(cmd->uri);
        if (!uri) { emit(error_event(now_text(), "message: " + uri.error().message)); return; }
        ua_->send_message(*uri, "text/plain", cmd->text, now);
        break;
    }
    }
    if (!result) emit(error_event(now_text(), result.error().message));
    pump();
}

int Driver::run() {
    if (auto s = setup(); !s) {
        std::fprintf(stderr, "dialtone: %s\n", s.error().message.c_str());
        return s.error().status == 2 ? to_int(ExitCode::Network) : to_int(ExitCode::Usage);
    }
    base::TimePoint now = loop_.now();
    switch (o_.command) {
    case Command::Call: {
        ua::CallOptions co;
        for (const auto& h : o_.call.headers) {
            auto colon = h.find(':');
            co.headers.emplace_back(std::string(base::trim(std::string_view(h).substr(0, colon))),
                                    std::string(base::trim(std::string_view(h).substr(colon + 1))));
        }
        if (o_.call.auto_answer_request) {
            // The three forms phones look for: Call-Info answer-after (RFC 5373 predecessors),
            // Alert-Info auto-answer, and RFC 5373 Answer-Mode.
            co.headers.emplace_back("Call-Info", "<sip:" + ua_->config().local.host + ">;answer-after=0");
            co.headers.emplace_back("Alert-Info", "<http://127.0.0.1/auto-answer>;info=alert-autoanswer");
            co.headers.emplace_back("Answer-Mode", "Auto");
        }
        if (o_.global.rel100 == Negotiable::Required) co.require_100rel = true;
        if (o_.global.session_timer == Negotiable::Required) co.require_timer = true;
        main_call_ = ua_->call(sip::parse_uri(o_.call.uri).value(), co, now);
        if (main_call_) {
            calls_[main_call_].id = main_call_;
            calls_[main_call_].peer = o_.call.uri;
        }
        break;
    }
    case Command::Listen:
        if (ua_->config().account.registrar)
            if (auto s = ua_->register_account(now); !s) log(io::LogLevel::Error, s.error().message);
        break;
    case Command::Register:
        if (auto s = ua_->register_account(now); !s) {
            std::fprintf(stderr, "dialtone: %s\n", s.error().message.c_str());
            return to_int(ExitCode::Usage);
        }
        break;
    case Command::Message:
        request_sent_ = now;
        request_ = ua_->send_message(sip::parse_uri(o_.message.uri).value(), "text/plain", o_.message.text, now);
        break;
    case Command::Options:
        request_sent_ = now;
        request_ = ua_->send_options(sip::parse_uri(o_.options.uri).value(), now);
        break;
    case Command::Devices: break;
    }
    pump();
    // The INVITE is on the wire; what comes back needs the media module (check_audio_options).
    if (o_.command == Command::Call) (void)media_backend();
    arm_tick();
    start_stdin();
    if (!exit_ || !stopping_) loop_.run();
    if (auto* m = media_->loaded()) {
        m->stop();
        while (auto e = m->poll_event()) on_media_event(*e);
    }
    if (interactive_) {
        clear_status();
        raw_.restore();
    }
    if (stdin_) stdin_->release();
    // What is still queued fails as the sockets close: the UA has no more calls to end with it.
    transport_->on_send_failure([this](io::SendFailure f) { log(io::LogLevel::Debug, f.reason); });
    transport_->close();
    return to_int(exit_.value_or(ExitCode::Ok));
}

int run_command(const Options& options) {
    if (options.command == Command::Devices) {
        io::MediaModule module(io::MediaBackendConfig{});
        auto backend = module.get();
        if (!backend) {
            std::fprintf(stderr, "dialtone: %s\n", backend.error().message.c_str());
            return to_int(ExitCode::Usage);
        }
        auto list = (*backend)->list_devices();
        if (!list) {
            std::fprintf(stderr, "dialtone: %s\n", list.error().message.c_str());
            return to_int(ExitCode::Usage);
        }
        if (list->empty()) std::printf("no audio devices (use --null-audio, --play and --record)\n");
        for (const auto& d : *list)
            std::printf("%3d  %-40s %-6s in:%d out:%d %.0f Hz\n", d.index, d.name.c_str(), d.host_api.c_str(),
                        d.max_input_channels, d.max_output_channels, d.default_rate);
        return 0;
    }
    std::signal(SIGPIPE, SIG_IGN);
    Driver driver(options);
    return driver.run();
}

}  // namespace dialtone::app
