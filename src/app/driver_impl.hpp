#pragma once
// The driver's state, shared by driver.cpp (set-up, loop, events, commands) and
// driver_media.cpp (streams, DTMF, recordings).
#include <cstdio>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include <asio/posix/stream_descriptor.hpp>
#include <asio/steady_timer.hpp>
#include <asio/streambuf.hpp>

#include "dialtone/app/allowlist.hpp"
#include "dialtone/app/event_json.hpp"
#include "dialtone/app/exit_code.hpp"
#include "dialtone/app/options.hpp"
#include "dialtone/base/random.hpp"
#include "dialtone/io/event_loop.hpp"
#include "dialtone/io/log.hpp"
#include "dialtone/io/media_module.hpp"
#include "dialtone/io/openssl_hash.hpp"
#include "dialtone/io/pcap_writer.hpp"
#include "dialtone/io/sip_transport.hpp"
#include "dialtone/ua/user_agent.hpp"
#include "terminal.hpp"

namespace dialtone::app {

struct CallSlot {
    ua::CallId id = 0;
    bool incoming = false;
    bool answered = false;
    bool ended = false;
    std::string peer;
    std::optional<io::StreamId> stream;
    bool telephone_event = false;
    bool muted = false;
    bool on_hold = false;
    std::string record_path;
    // For the interactive status line.
    std::string state = "calling";
    base::TimePoint answered_at{};
    std::string answered_time;   // as the answered event gave it
    std::string codec;
    bool srtp = false;
    std::optional<io::MediaStats> stats;
};

class Driver {
public:
    explicit Driver(const Options& options);
    ~Driver();
    int run();

private:
    // driver.cpp
    base::Status setup();
    base::Result<ua::Address> open_listeners(const ua::Address& bind, const io::TransportOptions& topts);
    void pump();
    void on_ua_event(const ua::Event& event);
    void on_incoming(const ua::IncomingCall& in);
    void on_ended(const ua::CallEnded& e);
    void emit(const Json& event);
    std::string now_text() const;
    void tick();
    void arm_tick();
    void rearm_tick();
    void start_stdin();
    void read_stdin();
    void on_control_line(const std::string& line);
    void on_signal(int signal);
    void finish(std::optional<ExitCode> code);
    void hang_up_and_exit();
    void end_unconfirmed_calls();
    void after(base::Duration delay, std::function<void()> action);
    ua::CallId pick_call(std::optional<std::uint64_t> id) const;
    void log(io::LogLevel level, const std::string& message) const;
    void trace(const ua::Datagram& d, bool outgoing);
    void capture(const io::WireMessage& m);

    // driver_terminal.cpp: the interactive mode
    void start_keys();
    void read_keys();
    void on_key(char key);
    void clear_status();
    void render_status();
    void note_state(ua::CallId id, const char* state);

    // driver_media.cpp
    void start_media(CallSlot& slot, const std::vector<sdp::NegotiatedMedia>& media);
    void update_media(CallSlot& slot, const std::vector<sdp::NegotiatedMedia>& media);
    void stop_media(CallSlot& slot);
    void on_media_event(const io::MediaEvent& e);
    void send_digits(ua::CallId id, const std::string& digits);
    base::Status check_audio_options();
    io::MediaBackend* media_backend();

    const Options& o_;
    io::EventLoop loop_;
    io::Logger logger_;
    std::unique_ptr<io::SipTransport> transport_;
    std::unique_ptr<io::MediaModule> media_;  // loaded on first use: `call`, `listen`'s first call
    std::unique_ptr<base::SeededRandom> random_;
    io::OpensslDigestHash hash_;
    std::unique_ptr<ua::KeySource> keys_;
    std::unique_ptr<ua::UserAgent> ua_;
    std::shared_ptr<io::AudioDevice> device_;
    bool device_in_use_ = false;
    Allowlist allowlist_;
    bool json_ = false;
    FILE* trace_ = nullptr;
    FILE* log_file_ = nullptr;
    std::shared_ptr<io::PcapWriter> pcap_;
    base::TimePoint pcap_flushed_{};

    std::map<ua::CallId, CallSlot> calls_;
    std::map<io::StreamId, ua::CallId> streams_;
    ua::CallId main_call_ = 0;
    // `call` follows a transfer the peer asks for: the new call becomes the main one, and the
    // one it came from is kept to fall back to if the new call is never answered.
    ua::CallId transferred_from_ = 0;
    ua::RequestId request_ = 0;
    base::TimePoint request_sent_{};
    ua::Address last_source_;
    int calls_ended_ = 0;
    int signals_ = 0;
    bool stopping_ = false;
    bool idle_paused_ = false;   // connections do not close when idle while a call is up
    std::optional<ExitCode> exit_;
    std::multimap<base::TimePoint, std::function<void()>> timers_;
    std::size_t children_ = 0;  // --on-event commands not yet reaped
    asio::steady_timer tick_timer_;
    std::unique_ptr<asio::posix::stream_descriptor> stdin_;
    asio::streambuf stdin_buf_;

    bool interactive_ = false;
    bool color_ = false;
    RawTerminal raw_;
    int status_lines_ = 0;
    std::optional<std::string> typing_;   // the URI being typed after 't'
    char key_buf_[64] = {};
    base::TimePoint last_render_{};
};

}  // namespace dialtone::app
