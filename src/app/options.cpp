#include "dialtone/app/options.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "dialtone/app/config_file.hpp"
#include "dialtone/app/exit_code.hpp"
#include "dialtone/app/version.hpp"
#include "dialtone/base/strings.hpp"
#include "dialtone/io/host_port.hpp"
#include "dialtone/sdp/crypto.hpp"
#include "dialtone/sip/uri.hpp"

namespace dialtone::app {

namespace {

using base::make_error;
using base::Status;
using Values = std::vector<std::string>;

// Where a setting may appear: global ones on the main command, in the environment, at the top of
// the config file and in account tables; the others only after their command and in its table.
enum class Scope { Global, Call, Listen, Register };
enum class Kind { Value, Flag, Count, List, OptionalValue };
using Apply = Status (*)(Options&, const Values&);

struct Spec {
    const char* key;
    const char* flags;   // CLI11 names, e.g. "-c,--config"
    Scope scope;
    Kind kind;
    const char* type_name;
    const char* help;
    Apply apply;
};

const std::string& last(const Values& v) { return v.back(); }

// "a, B" "c" → a, b, c: lower case, trimmed, each name once in its first place.
std::vector<std::string> comma_list(const Values& v) {
    std::vector<std::string> out;
    for (const auto& item : v) {
        std::string_view rest = item;
        while (!rest.empty()) {
            auto comma = rest.find(',');
            std::string name = base::to_lower(base::trim(rest.substr(0, comma)));
            rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
            if (!name.empty() && std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
        }
    }
    return out;
}

base::Result<bool> parse_bool(const std::string& s) {
    std::string l = base::to_lower(s);
    if (l == "true" || l == "1" || l == "yes" || l == "on") return true;
    if (l == "false" || l == "0" || l == "no" || l == "off" || l.empty()) return false;
    return make_error("expected true or false, not '" + s + "'");
}

base::Result<int> parse_int(const std::string& s, int lo, int hi) {
    auto v = base::parse_i64(s);
    if (!v || *v < lo || *v > hi)
        return make_error("expected a whole number from " + std::to_string(lo) + " to " + std::to_string(hi) +
                          ", not '" + s + "'");
    return static_cast<int>(*v);
}

base::Result<double> parse_seconds(const std::string& s) {
    char* end = nullptr;
    double v = std::strtod(s.c_str(), &end);
    if (s.empty() || end != s.c_str() + s.size() || !(v >= 0) || v > 1e7)
        return make_error("expected a number of seconds, not '" + s + "'");
    return v;
}

base::Result<IntRange> parse_range(const std::string& s, int lo, int hi) {
    auto dash = s.find('-');
    if (dash == std::string::npos) return make_error("expected LO-HI, not '" + s + "'");
    auto a = base::parse_u32(s.substr(0, dash));
    auto b = base::parse_u32(s.substr(dash + 1));
    if (!a || !b || *a > *b || static_cast<int>(*a) < lo || static_cast<int>(*b) > hi)
        return make_error("expected LO-HI with " + std::to_string(lo) + " <= LO <= HI <= " + std::to_string(hi) +
                          ", not '" + s + "'");
    return IntRange{static_cast<int>(*a), static_cast<int>(*b)};
}

template <class E>
base::Result<E> parse_choice(const std::string& s, std::initializer_list<std::pair<const char*, E>> choices) {
    std::string names;
    for (const auto& [name, value] : choices) {
        if (base::iequals(s, name)) return value;
        names += names.empty() ? "" : ", ";
        names += name;
    }
    return make_error("expected one of " + names + ", not '" + s + "'");
}

Status set_bool(bool& out, const Values& v) {
    auto b = parse_bool(last(v));
    if (!b) return b.error();
    out = *b;
    return {};
}

Status set_int(int& out, const Values& v, int lo, int hi) {
    auto i = parse_int(last(v), lo, hi);
    if (!i) return i.error();
    out = *i;
    return {};
}

Status set_seconds(double& out, const Values& v) {
    auto d = parse_seconds(last(v));
    if (!d) return d.error();
    out = *d;
    return {};
}

Status set_negotiable(Negotiable& out, const Values& v) {
    auto n = parse_choice<Negotiable>(last(v), {{"off", Negotiable::Off},
                                               {"supported", Negotiable::Supported},
                                               {"required", Negotiable::Required}});
    if (!n) return n.error();
    out = *n;
    return {};
}

// Headers the user agent writes on every INVITE: a second copy would contradict the first
// (RFC 3261 §8.1.1 and §20), so --header may not give them. Compact forms too (§7.3.3).
bool is_written_by_us(std::string_view name) {
    static constexpr std::string_view kOwn[] = {"call-id", "i", "via", "v", "from", "f", "to", "t", "cseq",
                                                "content-length", "l", "contact", "m", "max-forwards"};
    return std::any_of(std::begin(kOwn), std::end(kOwn), [&](std::string_view own) { return base::iequals(name, own); });
}

Status check_uri(const std::string& text) {
    auto uri = sip::parse_uri(text);
    if (!uri) return uri.error();
    return {};
}

// The option table: one row per setting, shared by the command line, environment and config.
const Spec kSpecs[] = {
    {"config", "-c,--config", Scope::Global, Kind::Value, "FILE",
     "config file (default $XDG_CONFIG_HOME/dialtone/config.toml)",
     +[](Options& o, const Values& v) -> Status { o.global.config = last(v); return {}; }},
    {"account", "-a,--account", Scope::Global, Kind::Value, "NAME", "use [account.NAME] of the config file",
     +[](Options& o, const Values& v) -> Status { o.global.account = last(v); return {}; }},
    {"id", "--id", Scope::Global, Kind::Value, "URI", "our address, sip:user@host",
     +[](Options& o, const Values& v) -> Status {
         if (auto s = check_uri(last(v)); !s) return s;
         o.global.id = last(v);
         return {};
     }},
    {"user", "--user", Scope::Global, Kind::Value, "NAME", "authentication user name (default: the user of --id)",
     +[](Options& o, const Values& v) -> Status { o.global.user = last(v); return {}; }},
    {"password", "--password", Scope::Global, Kind::Value, "SECRET",
     "password for digest authentication (better: DIALTONE_PASSWORD)",
     +[](Options& o, const Values& v) -> Status { o.global.password = last(v); return {}; }},
    {"realm", "--realm", Scope::Global, Kind::Value, "REALM", "realm the password is for; * for any (default)",
     +[](Options& o, const Values& v) -> Status { o.global.realm = last(v); return {}; }},
    {"registrar", "--registrar", Scope::Global, Kind::Value, "URI", "register with this registrar",
     +[](Options& o, const Values& v) -> Status {
         if (auto s = check_uri(last(v)); !s) return s;
         o.global.registrar = last(v);
         return {};
     }},
    {"proxy", "--proxy", Scope::Global, Kind::Value, "URI", "send every request through this outbound proxy",
     +[](Options& o, const Values& v) -> Status {
         if (auto s = check_uri(last(v)); !s) return s;
         o.global.proxy = last(v);
         return {};
     }},
    {"listen", "--listen", Scope::Global, Kind::Value, "ADDR:PORT",
     "local SIP address (port 0: any free port; default 0.0.0.0:5060 for listen, :0 otherwise)",
     +[](Options& o, const Values& v) -> Status {
         auto a = io::parse_host_port(last(v));
         if (!a) return a.error();
         o.global.listen = last(v);
         return {};
     }},
    {"transport", "--transport", Scope::Global, Kind::Value, "udp|tcp|tls", "transport for outgoing requests",
     +[](Options& o, const Values& v) -> Status {
         auto t = parse_choice<TransportKind>(
             last(v), {{"udp", TransportKind::Udp}, {"tcp", TransportKind::Tcp}, {"tls", TransportKind::Tls}});
         if (!t) return t.error();
         o.global.transport = *t;
         return {};
     }},
    {"no-udp", "--no-udp", Scope::Global, Kind::Flag, "", "do not listen on UDP",
     +[](Options& o, const Values& v) { return set_bool(o.global.no_udp, v); }},
    {"no-tcp", "--no-tcp", Scope::Global, Kind::Flag, "", "do not listen on TCP",
     +[](Options& o, const Values& v) { return set_bool(o.global.no_tcp, v); }},
    {"tls-ca", "--tls-ca", Scope::Global, Kind::Value, "FILE", "trust the CA certificates in FILE",
     +[](Options& o, const Values& v) -> Status { o.global.tls_ca = last(v); return {}; }},
    {"tls-no-verify", "--tls-no-verify", Scope::Global, Kind::Flag, "", "do not verify the TLS peer (unsafe)",
     +[](Options& o, const Values& v) { return set_bool(o.global.tls_no_verify, v); }},
    {"codecs", "--codecs", Scope::Global, Kind::List, "LIST", "codecs in order of preference (default opus,pcmu,pcma)",
     +[](Options& o, const Values& v) -> Status {
         auto out = comma_list(v);
         for (const auto& name : out)
             if (name != "opus" && name != "pcmu" && name != "pcma")
                 return make_error("unknown codec '" + name + "' (known: opus, pcmu, pcma)");
         if (out.empty()) return make_error("the codec list is empty");
         o.global.codecs = std::move(out);
         return {};
     }},
    {"srtp", "--srtp", Scope::Global, Kind::Value, "off|optional|mandatory", "SRTP (RFC 4568 SDES keys); default off",
     +[](Options& o, const Values& v) -> Status {
         auto s = parse_choice<SrtpMode>(
             last(v), {{"off", SrtpMode::Off}, {"optional", SrtpMode::Optional}, {"mandatory", SrtpMode::Mandatory}});
         if (!s) return s.error();
         o.global.srtp = *s;
         return {};
     }},
    {"srtp-suites", "--srtp-suites", Scope::Global, Kind::List, "LIST",
     "SRTP suites to offer, in order (default aes_cm_128_hmac_sha1_80,aes_cm_128_hmac_sha1_32,"
     "aead_aes_128_gcm,aead_aes_256_gcm)",
     +[](Options& o, const Values& v) -> Status {
         auto out = comma_list(v);
         for (const auto& name : out)
             if (sdp::srtp_suite_from_name(name) == sdp::SrtpSuite::Unknown)
                 return make_error("unknown SRTP suite '" + name +
                                   "' (known: aes_cm_128_hmac_sha1_80, aes_cm_128_hmac_sha1_32, aead_aes_128_gcm, "
                                   "aead_aes_256_gcm)");
         if (out.empty()) return make_error("the SRTP suite list is empty");
         o.global.srtp_suites = std::move(out);
         return {};
     }},
    {"dtmf", "--dtmf", Scope::Global, Kind::Value, "auto|rfc4733|info",
     "how digits are sent (all methods are received); default auto",
     +[](Options& o, const Values& v) -> Status {
         auto d = parse_choice<DtmfMode>(
             last(v), {{"auto", DtmfMode::Auto}, {"rfc4733", DtmfMode::Rfc4733}, {"info", DtmfMode::Info}});
         if (!d) return d.error();
         o.global.dtmf = *d;
         return {};
     }},
    {"null-audio", "--null-audio", Scope::Global, Kind::Flag, "", "no sound card: send silence, discard what arrives",
     +[](Options& o, const Values& v) { return set_bool(o.global.null_audio, v); }},
    {"play", "--play", Scope::Global, Kind::Value, "FILE.wav", "send this WAV file instead of the microphone",
     +[](Options& o, const Values& v) -> Status { o.global.play = last(v); return {}; }},
    {"record", "--record", Scope::Global, Kind::Value, "FILE.wav", "record the call (far end) to this WAV file",
     +[](Options& o, const Values& v) -> Status { o.global.record = last(v); return {}; }},
    {"capture-dev", "--capture-dev", Scope::Global, Kind::Value, "DEV", "capture device: index or (part of a) name",
     +[](Options& o, const Values& v) -> Status { o.global.capture_dev = last(v); return {}; }},
    {"playback-dev", "--playback-dev", Scope::Global, Kind::Value, "DEV", "playback device: index or (part of a) name",
     +[](Options& o, const Values& v) -> Status { o.global.playback_dev = last(v); return {}; }},
    {"jitter", "--jitter", Scope::Global, Kind::Value, "MIN-MAX", "jitter buffer bounds in ms (default 20-200)",
     +[](Options& o, const Values& v) -> Status {
         auto r = parse_range(last(v), 0, 5000);
         if (!r) return r.error();
         o.global.jitter = *r;
         return {};
     }},
    {"rtp-ports", "--rtp-ports", Scope::Global, Kind::Value, "LO-HI", "UDP ports for RTP (default 16384-32767)",
     +[](Options& o, const Values& v) -> Status {
         auto r = parse_range(last(v), 1024, 65535);
         if (!r) return r.error();
         if (r->hi - r->lo < 1) return make_error("the RTP port range '" + last(v) + "' needs at least two ports");
         o.global.rtp_ports = *r;
         return {};
     }},
    {"session-timer", "--session-timer", Scope::Global, Kind::Value, "off|supported|required",
     "RFC 4028 session timers (default supported)",
     +[](Options& o, const Values& v) { return set_negotiable(o.global.session_timer, v); }},
    {"100rel", "--100rel", Scope::Global, Kind::Value, "off|supported|required",
     "RFC 3262 reliable provisional responses (default supported)",
     +[](Options& o, const Values& v) { return set_negotiable(o.global.rel100, v); }},
    {"max-calls", "--max-calls", Scope::Global, Kind::Value, "N", "refuse calls beyond N at once with 486 (0: no limit)",
     +[](Options& o, const Values& v) { return set_int(o.global.max_calls, v, 0, 100000); }},
    {"json", "--json", Scope::Global, Kind::Flag, "", "events as JSON lines on stdout (implied when stdin is not a terminal)",
     +[](Options& o, const Values& v) { return set_bool(o.global.json, v); }},
    {"verbose", "-v,--verbose", Scope::Global, Kind::Count, "", "more log detail on stderr (repeatable)",
     +[](Options& o, const Values& v) { return set_int(o.global.verbose, v, 0, 10); }},
    {"quiet", "-q,--quiet", Scope::Global, Kind::Flag, "", "only errors on stderr",
     +[](Options& o, const Values& v) { return set_bool(o.global.quiet, v); }},
    {"sip-trace", "--sip-trace", Scope::Global, Kind::OptionalValue, "FILE",
     "print every SIP message with time, direction and addresses (to stderr, or --sip-trace=FILE)",
     +[](Options& o, const Values& v) -> Status {
         o.global.sip_trace = v.empty() || last(v).empty() ? std::string("-") : last(v);
         return {};
     }},
    {"pcap", "--pcap", Scope::Global, Kind::Value, "FILE", "write SIP and RTP as sent and received to a pcap file",
     +[](Options& o, const Values& v) -> Status { o.global.pcap = last(v); return {}; }},
    {"log-file", "--log-file", Scope::Global, Kind::Value, "FILE", "write the log here instead of stderr",
     +[](Options& o, const Values& v) -> Status { o.global.log_file = last(v); return {}; }},

    // call
    {"duration", "--duration", Scope::Call, Kind::Value, "SECS", "hang up this long after the answer",
     +[](Options& o, const Values& v) { return set_seconds(o.call.duration, v); }},
    {"ring-timeout", "--ring-timeout", Scope::Call, Kind::Value, "SECS", "give up (exit 3) when unanswered this long (default 60)",
     +[](Options& o, const Values& v) { return set_seconds(o.call.ring_timeout, v); }},
    {"send-dtmf", "--send-dtmf", Scope::Call, Kind::Value, "DIGITS", "send these digits after the answer (',' pauses)",
     +[](Options& o, const Values& v) -> Status {
         for (char c : last(v))
             if (std::string_view("0123456789*#ABCDabcd,").find(c) == std::string_view::npos)
                 return make_error(std::string("'") + c + "' is not a DTMF digit (0-9 * # A-D, ',' to pause)");
         o.call.send_dtmf = last(v);
         return {};
     }},
    {"dtmf-delay", "--dtmf-delay", Scope::Call, Kind::Value, "MS", "wait this long after the answer before the digits (default 500)",
     +[](Options& o, const Values& v) { return set_int(o.call.dtmf_delay, v, 0, 3600000); }},
    {"hangup-after-play", "--hangup-after-play", Scope::Call, Kind::Flag, "", "hang up when the --play file ends",
     +[](Options& o, const Values& v) { return set_bool(o.call.hangup_after_play, v); }},
    {"header", "--header", Scope::Call, Kind::List, "\"NAME: VALUE\"", "add this header to the INVITE (repeatable)",
     +[](Options& o, const Values& v) -> Status {
         for (const auto& h : v) {
             auto colon = h.find(':');
             if (colon == std::string::npos || colon == 0 || base::trim(std::string_view(h).substr(0, colon)).empty())
                 return make_error("header '" + h + "' is not 'Name: value'");
             if (h.find_first_of("\r\n") != std::string::npos)
                 return make_error("header '" + h.substr(0, colon) + "' contains a line break");
             if (is_written_by_us(base::trim(std::string_view(h).substr(0, colon))))
                 return make_error("header '" + std::string(base::trim(std::string_view(h).substr(0, colon))) +
                                   "' is written by dialtone itself and cannot be given");
         }
         o.call.headers = v;
         return {};
     }},
    {"auto-answer-request", "--auto-answer-request", Scope::Call, Kind::Flag, "",
     "ask the callee to answer on its own (Call-Info answer-after=0, Alert-Info, Answer-Mode: Auto)",
     +[](Options& o, const Values& v) { return set_bool(o.call.auto_answer_request, v); }},

    // listen
    {"auto-answer", "--auto-answer", Scope::Listen, Kind::Flag, "", "answer every allowed call",
     +[](Options& o, const Values& v) { return set_bool(o.listen.auto_answer, v); }},
    {"answer-delay", "--answer-delay", Scope::Listen, Kind::Value, "MS", "ring this long before answering",
     +[](Options& o, const Values& v) { return set_int(o.listen.answer_delay, v, 0, 3600000); }},
    {"answer-code", "--answer-code", Scope::Listen, Kind::Value, "CODE", "answer with this status (200, or 4xx-6xx to reject)",
     +[](Options& o, const Values& v) -> Status {
         auto c = parse_int(last(v), 200, 699);
         if (!c) return c.error();
         if (*c != 200 && *c < 400) return make_error("answer code " + last(v) + " is neither 200 nor a 4xx-6xx rejection");
         o.listen.answer_code = *c;
         return {};
     }},
    {"allow", "--allow", Scope::Listen, Kind::List, "PATTERN",
     "accept calls only from this From URI glob or source address/CIDR (repeatable); others get 403",
     +[](Options& o, const Values& v) -> Status { o.listen.allow = v; return {}; }},
    {"honor-answer-headers", "--honor-answer-headers", Scope::Listen, Kind::Flag, "",
     "answer when the caller asks, after the delay it asks for (Call-Info answer-after, Alert-Info, Answer-Mode); "
     "off by default",
     +[](Options& o, const Values& v) { return set_bool(o.listen.honor_answer_headers, v); }},
    {"record-dir", "--record-dir", Scope::Listen, Kind::Value, "DIR", "record each call to its own WAV file in DIR",
     +[](Options& o, const Values& v) -> Status { o.listen.record_dir = last(v); return {}; }},
    {"hangup-after", "--hangup-after", Scope::Listen, Kind::Value, "SECS", "hang up each call this long after the answer",
     +[](Options& o, const Values& v) { return set_seconds(o.listen.hangup_after, v); }},
    {"exit-after", "--exit-after", Scope::Listen, Kind::Value, "N", "exit once N calls have ended",
     +[](Options& o, const Values& v) { return set_int(o.listen.exit_after, v, 0, 100000000); }},
    {"on-event", "--on-event", Scope::Listen, Kind::Value, "CMD",
     "run CMD (through /bin/sh) for each event: JSON on its stdin, fields in DIALTONE_* variables",
     +[](Options& o, const Values& v) -> Status { o.listen.on_event = last(v); return {}; }},
    {"echo", "--echo", Scope::Listen, Kind::Flag, "", "play back to each caller what it sends",
     +[](Options& o, const Values& v) { return set_bool(o.listen.echo, v); }},

    // register
    {"once", "--once", Scope::Register, Kind::Flag, "", "register once, report and exit (no refresh)",
     +[](Options& o, const Values& v) { return set_bool(o.reg.once, v); }},
};

const char* scope_table(Scope scope) {
    switch (scope) {
    case Scope::Global: return "";
    case Scope::Call: return "call";
    case Scope::Listen: return "listen";
    case Scope::Register: return "register";
    }
    return "";
}

const Spec* find_spec(const std::string& key, Scope scope) {
    for (const auto& s : kSpecs)
        if (key == s.key && s.scope == scope) return &s;
    return nullptr;
}

std::string long_name(const Spec& s) { return std::string("--") + s.key; }

// Checks every table and key of the file, so that a typo in an unused account is caught too.
Status check_config_keys(const ConfigFile& file) {
    for (const auto& [table, keys] : file.tables) {
        Scope scope = Scope::Global;
        bool account_table = false;
        if (table.empty()) {
        } else if (table.rfind("account.", 0) == 0 && table.size() > 8) {
            account_table = true;
        } else if (table == "call") {
            scope = Scope::Call;
        } else if (table == "listen") {
            scope = Scope::Listen;
        } else if (table == "register") {
            scope = Scope::Register;
        } else {
            int line = keys.empty() ? 0 : keys.begin()->second.line;
            return make_error("unknown table [" + table + "] in " + file.path +
                              (line ? " (before line " + std::to_string(line) + ")" : "") +
                              "; expected [account.NAME], [call], [listen] or [register]");
        }
        for (const auto& [key, value] : keys) {
            bool known = find_spec(key, scope) != nullptr;
            if (key == "config") known = false;
            if (key == "account") known = table.empty();
            if (!known)
                return make_error("unknown key '" + key + "'" + (table.empty() ? "" : " in [" + table + "]") +
                                  " of " + file.path + ":" + std::to_string(value.line) +
                                  (account_table && key == "account" ? " (accounts do not nest)" : ""));
            const Spec* spec = find_spec(key, scope);
            if (spec && value.is_array && spec->kind != Kind::List)
                return make_error(file.path + ":" + std::to_string(value.line) + ": " + key + " takes one value, not an array");
        }
    }
    return {};
}

std::string one_line(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
    std::replace(s.begin(), s.end(), '\n', ' ');
    return s;
}

ParseOutcome usage_error(const std::string& message) {
    ParseOutcome out;
    out.text = "dialtone: " + one_line(message) + " (see dialtone --help)\n";
    out.to_stderr = true;
    out.exit_code = to_int(ExitCode::Usage);
    return out;
}

// The URI of a command argument: "alice@example.com" is taken as sip:alice@example.com.
base::Result<std::string> command_uri(const std::string& text) {
    std::string uri = text;
    if (uri.find(':') == std::string::npos || (uri.find('@') != std::string::npos && uri.find(':') > uri.find('@')))
        uri = "sip:" + uri;
    auto parsed = sip::parse_uri(uri);
    if (!parsed) return make_error("'" + text + "' is not a SIP URI: " + parsed.error().message);
    if (!parsed->is_sip()) return make_error("'" + text + "' is not a sip: or sips: URI");
    return uri;
}

}  // namespace

Environment process_environment() {
    return [](const std::string& name) -> std::optional<std::string> {
        const char* v = std::getenv(name.c_str());
        if (!v) return std::nullopt;
        return std::string(v);
    };
}

std::string environment_name(const std::string& key) {
    std::string out = "DIALTONE_";
    for (char c : key) out += c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

std::string default_config_path(const Environment& env) {
    if (auto xdg = env("XDG_CONFIG_HOME"); xdg && !xdg->empty()) return *xdg + "/dialtone/config.toml";
    if (auto home = env("HOME"); home && !home->empty()) return *home + "/.config/dialtone/config.toml";
    return "";
}

ParseOutcome parse_options(const std::vector<std::string>& args, const Environment& env) {
    CLI::App app{"dialtone: a command-line SIP softphone", "dialtone"};
    app.set_version_flag("-V,--version", std::string(version()));
    app.require_subcommand(1);
    app.fallthrough();
    app.footer("Exit status: 0 ok, 1 usage, 2 network, 3 no answer, 4 busy, 5 rejected, "
               "6 authentication failed, 7 media not agreed. See dialtone(1).");

    Options options;
    CLI::App* call = app.add_subcommand("call", "place a call; returns when it ends");
    call->add_option("uri", options.call.uri, "whom to call: sip:user@host")->required();
    CLI::App* listen = app.add_subcommand("listen", "wait for calls (registered if an account says so)");
    CLI::App* reg = app.add_subcommand("register", "register, report and refresh until Ctrl-C");
    CLI::App* message = app.add_subcommand("message", "send a SIP MESSAGE");
    message->add_option("uri", options.message.uri, "recipient: sip:user@host")->required();
    message->add_option("text", options.message.text, "the message text")->required();
    CLI::App* opts = app.add_subcommand("options", "send OPTIONS; print status, Allow and round-trip time");
    opts->add_option("uri", options.options.uri, "whom to ask: sip:host")->required();
    CLI::App* devices = app.add_subcommand("devices", "list audio devices");

    auto owner = [&](Scope scope) -> CLI::App* {
        switch (scope) {
        case Scope::Global: return &app;
        case Scope::Call: return call;
        case Scope::Listen: return listen;
        case Scope::Register: return reg;
        }
        return &app;
    };
    std::vector<std::pair<const Spec*, CLI::Option*>> declared;
    for (const auto& s : kSpecs) {
        CLI::App* where = owner(s.scope);
        CLI::Option* opt = nullptr;
        switch (s.kind) {
        case Kind::Flag:
        case Kind::Count:
            opt = where->add_flag(s.flags, s.help);
            if (s.kind == Kind::Flag) opt->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
            break;
        case Kind::Value:
            opt = where->add_option(s.flags, s.help)->type_name(s.type_name);
            break;
        case Kind::List:
            opt = where->add_option(s.flags, s.help)->type_name(s.type_name)->type_size(1)->expected(1)
                      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
            break;
        case Kind::OptionalValue:
            // The value attaches only with '=': `--sip-trace sip:bob@h` must leave the URI alone.
            opt = where->add_option(s.flags, s.help)->type_name("[=" + std::string(s.type_name) + "]")
                      ->expected(0, 0);
            break;
        }
        if (s.scope == Scope::Global) opt->group("Global options");
        declared.emplace_back(&s, opt);
    }

    std::vector<std::string> reversed(args.rbegin(), args.rend());
    try {
        app.parse(reversed);
    } catch (const CLI::CallForHelp&) {
        ParseOutcome out;
        // Help of the subcommand that was named, if any.
        const CLI::App* shown = &app;
        for (const CLI::App* sub : app.get_subcommands()) shown = sub;
        out.text = shown == &app ? app.help() : app.help(shown->get_name());
        return out;
    } catch (const CLI::CallForAllHelp&) {
        ParseOutcome out;
        out.text = app.help("", CLI::AppFormatMode::All);
        return out;
    } catch (const CLI::CallForVersion&) {
        ParseOutcome out;
        out.text = "dialtone " + std::string(version()) + "\n";
        return out;
    } catch (const CLI::ParseError& e) {
        return usage_error(e.what());
    }

    if (call->parsed()) options.command = Command::Call;
    else if (listen->parsed()) options.command = Command::Listen;
    else if (reg->parsed()) options.command = Command::Register;
    else if (message->parsed()) options.command = Command::Message;
    else if (opts->parsed()) options.command = Command::Options;
    else if (devices->parsed()) options.command = Command::Devices;

    auto cli_option = [&](const std::string& key) -> CLI::Option* {
        for (auto& [spec, opt] : declared)
            if (key == spec->key) return opt;
        return nullptr;
    };

    // 1. Which config file, and which account: command line, then environment, then default.
    std::string config_path;
    bool config_required = true;
    if (auto* o = cli_option("config"); o->count() > 0) config_path = o->results().back();
    else if (auto e = env(environment_name("config")); e && !e->empty()) config_path = *e;
    else {
        config_path = default_config_path(env);
        config_required = false;
    }
    std::optional<ConfigFile> config;
    if (!config_path.empty()) {
        auto loaded = load_config(config_path);
        if (loaded) {
            config = std::move(*loaded);
        } else if (config_required || std::ifstream(config_path).good()) {
            return usage_error(loaded.error().message);
        }
    }
    if (config) {
        if (auto s = check_config_keys(*config); !s) return usage_error(s.error().message);
        options.global.config = config_path;
    }
    std::string account;
    if (auto* o = cli_option("account"); o->count() > 0) account = o->results().back();
    else if (auto e = env(environment_name("account")); e && !e->empty()) account = *e;
    else if (config) {
        if (const auto* v = config->find("", "account")) account = v->values.back();
    }
    std::string account_table;
    if (!account.empty()) {
        if (!config) return usage_error("account '" + account + "' named but no config file was read");
        account_table = "account." + account;
        if (!config->tables.count(account_table))
            return usage_error("no [" + account_table + "] in " + config->path);
        options.global.account = account;
    }

    // 2. Every other setting: command line > environment > account table > top level/command table.
    for (auto& [spec, opt] : declared) {
        std::string key = spec->key;
        if (key == "config" || key == "account") continue;
        Values values;
        std::string source;
        if (opt->count() > 0) {
            source = long_name(*spec);
            if (spec->kind == Kind::Flag) values = {"true"};
            else if (spec->kind == Kind::Count) values = {std::to_string(opt->count())};
            else values = opt->results();
        } else if (spec->scope == Scope::Global && env(environment_name(key))) {
            source = "environment variable " + environment_name(key);
            values = {*env(environment_name(key))};
        } else if (config) {
            const ConfigValue* v = nullptr;
            if (spec->scope == Scope::Global && !account_table.empty()) v = config->find(account_table, key);
            if (!v) v = config->find(scope_table(spec->scope), key);
            if (v) {
                source = config->path + ":" + std::to_string(v->line) + ": " + key;
                values = v->values;
                if (values.empty()) {
                    if (spec->kind != Kind::List) return usage_error(source + ": empty value");
                    continue;
                }
            }
        }
        if (source.empty()) continue;
        if (values.empty() && spec->kind != Kind::OptionalValue) return usage_error(source + ": missing value");
        if (auto s = spec->apply(options, values); !s) return usage_error(source + ": " + s.error().message);
    }

    // 3. Checks that involve the command or several settings.
    auto fix_uri = [&](std::string& uri, const char* what) -> std::optional<ParseOutcome> {
        auto u = command_uri(uri);
        if (!u) return usage_error(std::string(what) + ": " + u.error().message);
        uri = *u;
        return std::nullopt;
    };
    if (options.command == Command::Call)
        if (auto e = fix_uri(options.call.uri, "call")) return *e;
    if (options.command == Command::Message)
        if (auto e = fix_uri(options.message.uri, "message")) return *e;
    if (options.command == Command::Options)
        if (auto e = fix_uri(options.options.uri, "options")) return *e;
    const auto& g = options.global;
    if (g.no_udp && g.no_tcp && g.transport != TransportKind::Tls)
        return usage_error("--no-udp and --no-tcp leave no transport; add --transport tls");
    if (g.no_udp && g.transport == TransportKind::Udp)
        return usage_error("--no-udp with --transport udp leaves nothing to send on");
    if (g.no_tcp && g.transport == TransportKind::Tcp)
        return usage_error("--no-tcp with --transport tcp leaves nothing to send on");
    if (options.command == Command::Register) {
        if (g.registrar.empty()) return usage_error("register needs --registrar (or an account that sets registrar)");
        if (g.id.empty()) return usage_error("register needs --id sip:user@host (or an account that sets id)");
    }
    if (g.quiet && g.verbose > 0) return usage_error("--quiet and --verbose contradict each other");
    if (options.command == Command::Listen && !g.record.empty()) {
        // One file holds one call: a second one would overwrite it.
        if (options.listen.exit_after != 1)
            return usage_error("listen --record FILE records one call: add --exit-after 1, or use --record-dir DIR "
                               "for a file per call");
        if (g.max_calls != 1) options.global.max_calls = 1;   // a second caller meanwhile gets 486
    }
    if (options.command == Command::Call && options.call.hangup_after_play && g.play.empty())
        return usage_error("--hangup-after-play needs --play FILE.wav");

    ParseOutcome out;
    out.options = std::move(options);
    return out;
}

}  // namespace dialtone::app
