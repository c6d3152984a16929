#pragma once
// --pcap: what went over the wire, as a classic pcap file (microsecond timestamps) that
// Wireshark, tshark and sngrep open. Records are LINKTYPE_RAW: each starts with an IPv4 or IPv6
// header we synthesize from the real addresses and ports, then a UDP header (SIP over UDP, RTP,
// RTCP) or a TCP header (SIP over TCP and TLS, with sequence numbers counted per direction so
// the stream reassembles). TLS is written in clear: the SIP message as it was before encryption,
// on the real ports.
//
// Thread-safe: the signalling thread (SIP) and the media thread (RTP) both write. A record is
// built on the caller's stack and copied into a stdio buffer under a mutex; the file is written
// when that buffer fills or on flush(), so the media thread makes no system call per packet.
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <utility>

#include "dialtone/base/result.hpp"
#include "dialtone/ua/datagram.hpp"

struct sockaddr;

namespace dialtone::io {

// An IP address and port in network form: IPv4 in the first 4 bytes.
struct PcapEndpoint {
    bool v6 = false;
    std::array<std::uint8_t, 16> ip{};
    std::uint16_t port = 0;

    // A numeric address (no name lookup); nullopt otherwise.
    static std::optional<PcapEndpoint> from(const ua::Address& address);
    static std::optional<PcapEndpoint> from(const sockaddr* address);
    friend auto operator<=>(const PcapEndpoint&, const PcapEndpoint&) = default;
};

class PcapWriter {
public:
    using Clock = std::function<std::chrono::system_clock::time_point()>;

    // Creates (truncates) `path` and writes the file header. `clock` stamps each record.
    static base::Result<std::shared_ptr<PcapWriter>> create(const std::string& path, Clock clock = {});
    ~PcapWriter();  // flushes and closes
    PcapWriter(const PcapWriter&) = delete;
    PcapWriter& operator=(const PcapWriter&) = delete;

    void udp(const PcapEndpoint& from, const PcapEndpoint& to, std::span<const std::uint8_t> payload);
    // One TCP segment per call (a larger payload is cut into several).
    void tcp(const PcapEndpoint& from, const PcapEndpoint& to, std::span<const std::uint8_t> payload);

    // SIP as the transport sent or received it: UDP as UDP, TCP and TLS as TCP.
    void sip(ua::Transport transport, const ua::Address& from, const ua::Address& to, std::string_view bytes);

    void flush();
    std::uint64_t records() const;

private:
    PcapWriter(std::FILE* file, Clock clock) : file_(file), clock_(std::move(clock)) {}
    void write_record(const std::uint8_t* headers, std::size_t header_size, std::span<const std::uint8_t> payload);

    mutable std::mutex mutex_;
    std::FILE* file_;
    Clock clock_;
    std::uint16_t ip_id_ = 0;
    std::uint64_t records_ = 0;
    // Next TCP sequence number of each direction of each connection.
    std::map<std::pair<PcapEndpoint, PcapEndpoint>, std::uint32_t> sequence_;
};

}  // namespace dialtone::io
