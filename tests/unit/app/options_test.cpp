#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <unistd.h>

#include "dialtone/app/options.hpp"

using namespace dialtone::app;

namespace {

struct FakeEnv {
    std::map<std::string, std::string> vars;
    Environment get() const {
        return [this](const std::string& name) -> std::optional<std::string> {
            auto it = vars.find(name);
            if (it == vars.end()) return std::nullopt;
            return it->second;
        };
    }
};

// A config file that lives as long as the test case.
struct TempConfig {
    std::string path;
    explicit TempConfig(const std::string& text) {
        char name[] = "/tmp/dialtone-options-XXXXXX";
        int fd = mkstemp(name);
        REQUIRE(fd >= 0);
        close(fd);
        path = name;
        std::ofstream(path) << text;
    }
    ~TempConfig() { std::remove(path.c_str()); }
};

ParseOutcome parse(std::vector<std::string> args, const FakeEnv& env = {}) { return parse_options(args, env.get()); }

}  // namespace

TEST_CASE("options: call takes a URI and the global options before or after the command") {
    auto out = parse({"--null-audio", "call", "sip:bob@127.0.0.1:5070", "--codecs", "pcmu,opus", "--duration", "2.5"});
    REQUIRE(out.options);
    CHECK(out.options->command == Command::Call);
    CHECK(out.options->call.uri == "sip:bob@127.0.0.1:5070");
    CHECK(out.options->global.null_audio);
    CHECK(out.options->global.codecs == std::vector<std::string>{"pcmu", "opus"});
    CHECK(out.options->call.duration == doctest::Approx(2.5));
}

TEST_CASE("options: a URI without a scheme is taken as sip:") {
    auto out = parse({"call", "bob@example.com"});
    REQUIRE(out.options);
    CHECK(out.options->call.uri == "sip:bob@example.com");
}

TEST_CASE("options: an unknown option is one line on stderr and exit 1") {
    auto out = parse({"call", "sip:bob@example.com", "--frobnicate"});
    CHECK_FALSE(out.options);
    CHECK(out.exit_code == 1);
    CHECK(out.to_stderr);
    CHECK(out.text.find("--frobnicate") != std::string::npos);
    CHECK(out.text.find('\n') == out.text.size() - 1);
}

TEST_CASE("options: no command is a usage error") {
    auto out = parse({});
    CHECK(out.exit_code == 1);
    CHECK_FALSE(out.options);
}

TEST_CASE("options: --help and --version print to stdout and exit 0") {
    auto help = parse({"--help"});
    CHECK(help.exit_code == 0);
    CHECK_FALSE(help.to_stderr);
    CHECK(help.text.find("listen") != std::string::npos);
    auto sub = parse({"listen", "--help"});
    CHECK(sub.exit_code == 0);
    CHECK(sub.text.find("--auto-answer") != std::string::npos);
    auto version = parse({"--version"});
    CHECK(version.text.rfind("dialtone ", 0) == 0);
}

TEST_CASE("options: bad values name the option and what is expected") {
    auto srtp = parse({"--srtp", "maybe", "devices"});
    CHECK(srtp.text == "dialtone: --srtp: expected one of off, optional, mandatory, not 'maybe' (see dialtone --help)\n");
    auto codec = parse({"--codecs", "pcmu,g729", "devices"});
    CHECK(codec.text.find("unknown codec 'g729'") != std::string::npos);
    auto jitter = parse({"--jitter", "200-20", "devices"});
    CHECK(jitter.text.find("--jitter: expected LO-HI") != std::string::npos);
    auto code = parse({"listen", "--answer-code", "180"});
    CHECK(code.exit_code == 1);
    CHECK(code.text.find("--answer-code") != std::string::npos);
    auto listen = parse({"--listen", "nowhere", "devices"});
    CHECK(listen.text.find("--listen:") != std::string::npos);
    auto dtmf = parse({"call", "sip:a@b", "--send-dtmf", "12x"});
    CHECK(dtmf.text.find("'x' is not a DTMF digit") != std::string::npos);
    auto header = parse({"call", "sip:a@b", "--header", "NoColon"});
    CHECK(header.text.find("header 'NoColon' is not 'Name: value'") != std::string::npos);
}

TEST_CASE("options: repeatable options collect every value") {
    auto out = parse({"listen", "--allow", "sip:*@example.com", "--allow", "10.0.0.0/8", "-v", "-v"});
    REQUIRE(out.options);
    CHECK(out.options->listen.allow == std::vector<std::string>{"sip:*@example.com", "10.0.0.0/8"});
    CHECK(out.options->global.verbose == 2);
    auto hdr = parse({"call", "sip:a@b", "--header", "X-A: 1, 2", "--header", "X-B: 3"});
    REQUIRE(hdr.options);
    CHECK(hdr.options->call.headers == std::vector<std::string>{"X-A: 1, 2", "X-B: 3"});
}

TEST_CASE("options: --sip-trace takes an optional file") {
    auto bare = parse({"--sip-trace", "devices"});
    REQUIRE(bare.options);
    CHECK(bare.options->global.sip_trace == std::optional<std::string>("-"));
    auto file = parse({"--sip-trace=/tmp/t.log", "devices"});
    REQUIRE(file.options);
    CHECK(file.options->global.sip_trace == std::optional<std::string>("/tmp/t.log"));
    auto none = parse({"devices"});
    CHECK_FALSE(none.options->global.sip_trace);
}

TEST_CASE("options: command line beats environment beats config file") {
    TempConfig cfg(R"(
password = "from-config"
codecs = ["pcma"]
srtp = "optional"
transport = "tcp"
)");
    FakeEnv env;
    env.vars["DIALTONE_PASSWORD"] = "from-env";
    env.vars["DIALTONE_SRTP"] = "mandatory";
    auto out = parse({"-c", cfg.path, "--srtp", "off", "devices"}, env);
    REQUIRE(out.options);
    CHECK(out.options->global.password == "from-env");         // env over config
    CHECK(out.options->global.srtp == SrtpMode::Off);          // command line over env
    CHECK(out.options->global.codecs == std::vector<std::string>{"pcma"});   // config over default
    CHECK(out.options->global.transport == TransportKind::Tcp);
    CHECK(out.options->global.config == cfg.path);
}

TEST_CASE("options: a named account's table overrides the top level") {
    TempConfig cfg(R"(
account = "home"
registrar = "sip:top.example.com"

[account.home]
id = "sip:alice@home.example.com"
registrar = "sip:home.example.com"

[account.work]
id = "sip:alice@work.example.com"

[listen]
auto-answer = true
answer-delay = 250
)");
    auto def = parse({"-c", cfg.path, "listen"});
    REQUIRE(def.options);
    CHECK(def.options->global.account == "home");
    CHECK(def.options->global.id == "sip:alice@home.example.com");
    CHECK(def.options->global.registrar == "sip:home.example.com");
    CHECK(def.options->listen.auto_answer);
    CHECK(def.options->listen.answer_delay == 250);

    auto work = parse({"-c", cfg.path, "-a", "work", "register"});
    REQUIRE(work.options);
    CHECK(work.options->global.id == "sip:alice@work.example.com");
    CHECK(work.options->global.registrar == "sip:top.example.com");   // falls back to the top level

    FakeEnv env;
    env.vars["DIALTONE_ACCOUNT"] = "work";
    auto by_env = parse({"-c", cfg.path, "devices"}, env);
    REQUIRE(by_env.options);
    CHECK(by_env.options->global.account == "work");
}

TEST_CASE("options: an unknown config key is an error that names the key and the file") {
    TempConfig cfg("[account.work]\nid = \"sip:a@b\"\npasword = \"x\"\n");
    auto out = parse({"-c", cfg.path, "devices"});
    CHECK(out.exit_code == 1);
    CHECK(out.text == "dialtone: unknown key 'pasword' in [account.work] of " + cfg.path +
                          ":3 (see dialtone --help)\n");
}

TEST_CASE("options: an unknown config table and a command key at the top level are errors") {
    TempConfig table("[calls]\nduration = 3\n");
    CHECK(parse({"-c", table.path, "devices"}).text.find("unknown table [calls]") != std::string::npos);
    TempConfig misplaced("auto-answer = true\n");
    CHECK(parse({"-c", misplaced.path, "devices"}).text.find("unknown key 'auto-answer' of") != std::string::npos);
}

TEST_CASE("options: a bad config value names the file, line and key") {
    TempConfig cfg("\nmax-calls = -3\n");
    auto out = parse({"-c", cfg.path, "devices"});
    CHECK(out.text.find(cfg.path + ":2: max-calls: expected a whole number from 0 to 100000") != std::string::npos);
}

TEST_CASE("options: a missing account or config file is a usage error") {
    TempConfig cfg("[account.work]\n");
    CHECK(parse({"-c", cfg.path, "-a", "home", "devices"}).text.find("no [account.home] in") != std::string::npos);
    CHECK(parse({"-c", "/nonexistent.toml", "devices"}).text.find("cannot read config file /nonexistent.toml") !=
          std::string::npos);
}

TEST_CASE("options: an absent default config file is fine") {
    FakeEnv env;
    env.vars["XDG_CONFIG_HOME"] = "/nonexistent-dir";
    auto out = parse({"devices"}, env);
    REQUIRE(out.options);
    CHECK(out.options->global.config.empty());
    CHECK(default_config_path(env.get()) == "/nonexistent-dir/dialtone/config.toml");
}

TEST_CASE("options: flags from the environment and register's required settings") {
    FakeEnv env;
    env.vars["DIALTONE_NULL_AUDIO"] = "1";
    env.vars["DIALTONE_JSON"] = "yes";
    auto out = parse({"devices"}, env);
    REQUIRE(out.options);
    CHECK(out.options->global.null_audio);
    CHECK(out.options->global.json);
    CHECK(environment_name("tls-no-verify") == "DIALTONE_TLS_NO_VERIFY");
    CHECK(parse({"register"}).text.find("register needs --registrar") != std::string::npos);
    CHECK(parse({"--registrar", "sip:r.example.com", "register"}).text.find("needs --id") != std::string::npos);
}

TEST_CASE("options: transports that leave nothing to send on are refused") {
    CHECK(parse({"--no-udp", "devices"}).text.find("--no-udp with --transport udp") != std::string::npos);
    CHECK(parse({"--no-udp", "--no-tcp", "devices"}).exit_code == 1);
    CHECK(parse({"--no-udp", "--no-tcp", "--transport", "tls", "devices"}).options.has_value());
}

TEST_CASE("options: message and options take their arguments") {
    auto m = parse({"message", "sip:bob@example.com", "hello there"});
    REQUIRE(m.options);
    CHECK(m.options->command == Command::Message);
    CHECK(m.options->message.text == "hello there");
    auto o = parse({"options", "sip:example.com"});
    REQUIRE(o.options);
    CHECK(o.options->command == Command::Options);
    CHECK(parse({"message", "sip:bob@example.com"}).exit_code == 1);
}

TEST_CASE("options: --srtp-suites sets the offer's order; unknown names are refused") {
    auto d = parse({"devices"});
    REQUIRE(d.options);
    CHECK(d.options->global.srtp_suites.front() == "aes_cm_128_hmac_sha1_80");  // interop first
    CHECK(d.options->global.srtp_suites.size() == 4);
    auto out = parse({"--srtp-suites", "AEAD_AES_256_GCM, aes_cm_128_hmac_sha1_80,aead_aes_256_gcm", "devices"});
    REQUIRE(out.options);
    CHECK(out.options->global.srtp_suites == std::vector<std::string>{"aead_aes_256_gcm", "aes_cm_128_hmac_sha1_80"});
    auto bad = parse({"--srtp-suites", "aes_256_cm_hmac_sha1_80", "devices"});
    CHECK_FALSE(bad.options);
    CHECK(bad.text.find("unknown SRTP suite 'aes_256_cm_hmac_sha1_80'") != std::string::npos);
    auto empty = parse({"--srtp-suites", ",", "devices"});
    CHECK(empty.text.find("the SRTP suite list is empty") != std::string::npos);
}
