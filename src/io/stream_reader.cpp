#include "dialtone/io/stream_reader.hpp"

namespace dialtone::io {

StreamReader::StreamReader(std::size_t max_message_size) : framer_(max_message_size) {}

void StreamReader::feed(std::string_view bytes) {
    if (broken()) return;
    if (auto fed = framer_.feed(bytes); !fed) {
        error_ = fed.error().message;
        pending_.clear();
        return;
    }
    pending_.append(bytes);
}

std::optional<StreamMessage> StreamReader::next() {
    if (broken()) return std::nullopt;
    const std::size_t before = framer_.buffered();
    auto popped = framer_.pop();
    pings_seen_ = framer_.pings();
    if (framer_.failed()) {
        error_ = popped.ok() ? "stream framing failed" : popped.error().message;
        pending_.clear();
        return std::nullopt;
    }
    // The framer consumed a prefix of what it held: keep-alive CRLFs, then maybe one message.
    const std::size_t consumed = before - framer_.buffered();
    std::string_view chunk = std::string_view(pending_).substr(0, consumed);
    if (popped.ok() && !popped.value().has_value()) {
        pending_.erase(0, consumed);  // CRLFs only: the next message is not complete yet
        return std::nullopt;
    }
    const std::size_t start = chunk.find_first_not_of("\r\n");
    StreamMessage out;
    if (start != std::string_view::npos) out.bytes = std::string(chunk.substr(start));
    pending_.erase(0, consumed);
    if (!popped.ok()) out.malformed = popped.error().message;
    return out;
}

std::size_t StreamReader::take_pings() {
    const std::size_t n = pings_seen_ - pings_taken_;
    pings_taken_ = pings_seen_;
    return n;
}

}  // namespace dialtone::io
