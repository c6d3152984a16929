#pragma once
// Everything the command line, the environment and the config file can set, resolved into one
// value with the documented precedence: command line > environment > config file (the selected
// [account.NAME] table, then the top level) > built-in default.
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace dialtone::app {

enum class Command { Call, Listen, Register, Message, Options, Devices };
enum class TransportKind { Udp, Tcp, Tls };
enum class SrtpMode { Off, Optional, Mandatory };
enum class DtmfMode { Auto, Rfc4733, Info };
enum class Negotiable { Off, Supported, Required };   // --session-timer, --100rel

struct IntRange {
    int lo = 0;
    int hi = 0;
};

struct GlobalOptions {
    std::string config;                 // the config file actually read ("" when none)
    std::string account;                // selected [account.NAME], "" when none
    std::string id;                     // sip:user@host, our address-of-record
    std::string user;                   // authentication user name (default: id's user part)
    std::string password;
    std::string realm = "*";            // realm the password is for; "*" answers any
    std::string registrar;
    std::string proxy;
    std::string listen;                 // ADDR:PORT; "" lets the command choose
    TransportKind transport = TransportKind::Udp;
    bool no_udp = false;
    bool no_tcp = false;
    std::string tls_ca;
    bool tls_no_verify = false;
    std::vector<std::string> codecs{"opus", "pcmu", "pcma"};
    SrtpMode srtp = SrtpMode::Off;
    // Offered in this order; names as RFC 4568 and RFC 7714 register them, in lower case.
    std::vector<std::string> srtp_suites{"aes_cm_128_hmac_sha1_80", "aes_cm_128_hmac_sha1_32", "aead_aes_128_gcm",
                                         "aead_aes_256_gcm"};
    DtmfMode dtmf = DtmfMode::Auto;
    bool null_audio = false;
    std::string play;
    std::string record;
    std::string capture_dev;
    std::string playback_dev;
    IntRange jitter{20, 200};           // ms
    IntRange rtp_ports{16384, 32767};
    Negotiable session_timer = Negotiable::Supported;
    Negotiable rel100 = Negotiable::Supported;
    int max_calls = 0;                  // 0: no limit
    bool json = false;
    int verbose = 0;
    bool quiet = false;
    std::optional<std::string> sip_trace;   // "-" is stderr
    std::string pcap;
    std::string log_file;
};

struct CallOptions {
    std::string uri;
    double duration = 0;                // seconds; 0: until the far end hangs up
    double ring_timeout = 60;
    std::string send_dtmf;
    int dtmf_delay = 500;               // ms after answer before the first digit
    bool hangup_after_play = false;
    std::vector<std::string> headers;   // "Name: value"
    bool auto_answer_request = false;
};

struct ListenOptions {
    bool auto_answer = false;
    int answer_delay = 0;               // ms
    int answer_code = 200;
    std::vector<std::string> allow;
    bool honor_answer_headers = false;
    std::string record_dir;
    double hangup_after = 0;            // seconds; 0: never
    int exit_after = 0;                 // calls; 0: never
    std::string on_event;
    bool echo = false;
};

struct RegisterOptions {
    bool once = false;
};

struct MessageOptions {
    std::string uri;
    std::string text;
};

struct OptionsOptions {
    std::string uri;
};

struct Options {
    Command command = Command::Devices;
    GlobalOptions global;
    CallOptions call;
    ListenOptions listen;
    RegisterOptions reg;
    MessageOptions message;
    OptionsOptions options;
};

// Looks up an environment variable; nullopt when unset.
using Environment = std::function<std::optional<std::string>(const std::string&)>;
Environment process_environment();

struct ParseOutcome {
    // Set when the program should go on and run the command.
    std::optional<Options> options;
    // Otherwise: what to print (help, version, or a one-line error) and the exit status.
    std::string text;
    bool to_stderr = false;
    int exit_code = 0;
};

// `args` excludes the program name. Never throws.
ParseOutcome parse_options(const std::vector<std::string>& args, const Environment& env);

// The default config path: $XDG_CONFIG_HOME/dialtone/config.toml, else ~/.config/dialtone/config.toml.
std::string default_config_path(const Environment& env);

// The environment variable for a global option key ("password" -> "DIALTONE_PASSWORD").
std::string environment_name(const std::string& key);

}  // namespace dialtone::app
