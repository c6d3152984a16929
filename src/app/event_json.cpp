#include "dialtone/app/event_json.hpp"

#include <cctype>
#include <chrono>
#include <cstdio>

#include "dialtone/sdp/crypto.hpp"

namespace dialtone::app {

namespace {

Json head(const char* name, const std::string& time) {
    Json j;
    j["event"] = name;
    j["time"] = time;
    return j;
}

std::string digit_text(char d) { return std::string(1, d); }

// Codec, clock, packet time, SRTP suite and where the audio goes, from the first audio stream.
void add_media(Json& j, const std::vector<sdp::NegotiatedMedia>& media) {
    if (media.empty()) {
        j["codec"] = nullptr;
        j["srtp"] = nullptr;
        return;
    }
    const auto& m = media.front();
    std::string codec = m.codec.name;
    for (auto& c : codec) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    j["codec"] = codec;
    j["clock_rate"] = m.codec.clock_rate;
    j["ptime"] = m.ptime;
    if (m.srtp) j["srtp"] = std::string(sdp::to_string(m.srtp->suite));
    else j["srtp"] = nullptr;
    j["telephone_event"] = m.telephone_event_send_payload_type.has_value();
    j["remote_rtp"] = m.remote.address + ":" + std::to_string(m.remote_port);
}

}  // namespace

Json describe(const ua::Event& event, const std::string& time, base::TimePoint now) {
    return std::visit(
        [&](const auto& e) -> Json {
            using T = std::decay_t<decltype(e)>;
            if constexpr (std::is_same_v<T, ua::IncomingCall>) {
                Json j = head("incoming", time);
                j["call"] = e.call;
                j["from"] = e.from.uri.to_string();
                j["display_name"] = e.from.display_name ? Json(*e.from.display_name) : Json(nullptr);
                j["to"] = e.to.uri.to_string();
                j["request_uri"] = e.request_uri.to_string();
                j["answer_after"] = e.answer_after ? Json(*e.answer_after) : Json(nullptr);
                return j;
            } else if constexpr (std::is_same_v<T, ua::CallRinging>) {
                Json j = head("ringing", time);
                j["call"] = e.call;
                j["status"] = e.status;
                return j;
            } else if constexpr (std::is_same_v<T, ua::CallEarlyMedia>) {
                Json j = head("early", time);
                j["call"] = e.call;
                add_media(j, e.media);
                return j;
            } else if constexpr (std::is_same_v<T, ua::CallAnswered>) {
                Json j = head("answered", time);
                j["call"] = e.call;
                add_media(j, e.media);
                return j;
            } else if constexpr (std::is_same_v<T, ua::MediaUpdated>) {
                Json j = head("media", time);
                j["call"] = e.call;
                add_media(j, e.media);
                return j;
            } else if constexpr (std::is_same_v<T, ua::HoldChanged>) {
                Json j = head(e.local || e.remote ? "hold" : "resume", time);
                j["call"] = e.call;
                j["local"] = e.local;
                j["remote"] = e.remote;
                return j;
            } else if constexpr (std::is_same_v<T, ua::DtmfReceived>) {
                Json j = head("dtmf", time);
                j["call"] = e.call;
                j["digit"] = digit_text(e.digit);
                j["duration_ms"] = e.duration_ms;
                j["method"] = e.method == ua::DtmfMethod::Info ? "info" : "rfc4733";
                return j;
            } else if constexpr (std::is_same_v<T, ua::DtmfSent>) {
                Json j = head("dtmf_sent", time);
                j["call"] = e.call;
                j["digit"] = digit_text(e.digit);
                j["method"] = "info";
                j["status"] = e.status;
                return j;
            } else if constexpr (std::is_same_v<T, ua::CallEnded>) {
                Json j = head("ended", time);
                j["call"] = e.call;
                j["status"] = e.status;
                j["reason"] = e.reason;
                j["by_peer"] = e.by_peer;
                j["network_failure"] = e.network_failure;
                return j;
            } else if constexpr (std::is_same_v<T, ua::TransferRequested>) {
                Json j = head("transfer", time);
                j["call"] = e.call;
                j["new_call"] = e.new_call;
                j["target"] = e.target.to_string();
                return j;
            } else if constexpr (std::is_same_v<T, ua::TransferProgress>) {
                Json j = head("transfer_progress", time);
                j["call"] = e.call;
                j["status"] = e.status;
                j["final"] = e.final;
                return j;
            } else if constexpr (std::is_same_v<T, ua::OptionsResult>) {
                Json j = head("options", time);
                j["request"] = e.request;
                j["status"] = e.status;
                j["allow"] = e.allow;
                j["network_failure"] = e.network_failure;
                return j;
            } else if constexpr (std::is_same_v<T, ua::MessageReceived>) {
                Json j = head("message", time);
                j["call"] = e.call;
                j["from"] = e.from.uri.to_string();
                j["content_type"] = e.content_type;
                j["text"] = e.text;
                return j;
            } else if constexpr (std::is_same_v<T, ua::MessageResult>) {
                Json j = head("message_sent", time);
                j["request"] = e.request;
                j["status"] = e.status;
                j["reason"] = e.reason;
                j["network_failure"] = e.network_failure;
                return j;
            } else if constexpr (std::is_same_v<T, ua::Registered>) {
                Json j = head("registered", time);
                j["aor"] = e.aor.to_string();
                j["expires"] = e.expires;
                j["bindings"] = e.bindings.size();
                return j;
            } else if constexpr (std::is_same_v<T, ua::RegistrationFailed>) {
                Json j = head("registration_failed", time);
                j["aor"] = e.aor.to_string();
                j["status"] = e.status;
                j["reason"] = e.reason;
                j["network_failure"] = e.network_failure;
                if (e.retry_at) {
                    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(*e.retry_at - now).count();
                    j["retry_in"] = static_cast<double>(ms < 0 ? 0 : ms) / 1000.0;
                } else {
                    j["retry_in"] = nullptr;
                }
                return j;
            } else if constexpr (std::is_same_v<T, ua::Unregistered>) {
                Json j = head("unregistered", time);
                j["aor"] = e.aor.to_string();
                return j;
            } else {
                static_assert(std::is_same_v<T, ua::BindingsListed>);
                Json j = head("bindings", time);
                j["aor"] = e.aor.to_string();
                j["bindings"] = e.bindings.size();
                return j;
            }
        },
        event);
}

Json listening_event(const std::string& time, const std::string& transport, const std::string& address) {
    Json j = head("listening", time);
    j["transport"] = transport;
    j["address"] = address;
    return j;
}

Json error_event(const std::string& time, const std::string& message) {
    Json j = head("error", time);
    j["message"] = message;
    return j;
}

std::string format_utc(std::int64_t unix_ms) {
    using namespace std::chrono;
    sys_days day = floor<days>(sys_time<milliseconds>(milliseconds(unix_ms)));
    year_month_day ymd(day);
    auto rest = milliseconds(unix_ms) - duration_cast<milliseconds>(day.time_since_epoch());
    hh_mm_ss<milliseconds> hms(rest);
    char buf[40];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                  static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                  static_cast<int>(hms.seconds().count()), static_cast<int>(hms.subseconds().count()));
    return buf;
}

std::string to_json_line(const Json& event) {
    // dump() escapes control characters, so a text with a line break stays on one line.
    return event.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::vector<std::pair<std::string, std::string>> event_environment(const Json& event) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& [key, value] : event.items()) {
        std::string name = "DIALTONE_";
        for (char c : key) name += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        std::string text;
        if (value.is_string()) {
            text = value.get<std::string>();
        } else if (value.is_null()) {
            text = "";
        } else if (value.is_array()) {
            for (const auto& item : value) {
                if (!text.empty()) text += ',';
                text += item.is_string() ? item.get<std::string>() : item.dump();
            }
        } else if (value.is_object()) {
            continue;
        } else {
            text = value.dump();
        }
        out.emplace_back(std::move(name), std::move(text));
    }
    return out;
}

}  // namespace dialtone::app
