#include "dialtone/io/pcap_writer.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace dialtone::io {

namespace {

constexpr std::uint32_t kMagicMicroseconds = 0xa1b2c3d4;
constexpr std::uint32_t kLinktypeRaw = 101;  // the record starts at the IP header
constexpr std::uint32_t kSnapLength = 262144;
constexpr std::uint8_t kProtocolTcp = 6;
constexpr std::uint8_t kProtocolUdp = 17;
constexpr std::size_t kMaxTcpSegment = 65495 - 20 - 20;  // an IPv4 packet is at most 65535 bytes

void put16(std::uint8_t* p, std::uint32_t v) {
    p[0] = static_cast<std::uint8_t>(v >> 8);
    p[1] = static_cast<std::uint8_t>(v);
}
void put32(std::uint8_t* p, std::uint32_t v) {
    put16(p, v >> 16);
    put16(p + 2, v);
}

// The Internet checksum (RFC 1071), summed in pieces: add() every part, then result().
class Checksum {
public:
    void add(const std::uint8_t* data, std::size_t size) {
        for (std::size_t i = 0; i < size; ++i) {
            sum_ += odd_ ? data[i] : static_cast<std::uint32_t>(data[i]) << 8;
            odd_ = !odd_;
        }
    }
    std::uint16_t result() const {
        std::uint64_t s = sum_;
        while (s >> 16) s = (s & 0xffff) + (s >> 16);
        return static_cast<std::uint16_t>(~s & 0xffff);
    }

private:
    std::uint64_t sum_ = 0;
    bool odd_ = false;
};

// Both ends in one family: an IPv4 end next to an IPv6 one becomes ::ffff:a.b.c.d.
void same_family(PcapEndpoint& a, PcapEndpoint& b) {
    auto map = [](PcapEndpoint& e) {
        std::array<std::uint8_t, 16> ip{};
        ip[10] = ip[11] = 0xff;
        std::copy_n(e.ip.begin(), 4, ip.begin() + 12);
        e.ip = ip;
        e.v6 = true;
    };
    if (a.v6 && !b.v6) map(b);
    if (b.v6 && !a.v6) map(a);
}

// Writes the IP header for `transport_size` bytes of `protocol` at `out`; returns its length.
// Adds the pseudo-header (RFC 768, RFC 793, RFC 8200 §8.1) to `sum`.
std::size_t ip_header(std::uint8_t* out, const PcapEndpoint& from, const PcapEndpoint& to, std::uint8_t protocol,
                      std::size_t transport_size, std::uint16_t id, Checksum& sum) {
    std::uint8_t pseudo[40] = {};
    if (!from.v6) {
        std::memset(out, 0, 20);
        out[0] = 0x45;
        put16(out + 2, static_cast<std::uint32_t>(20 + transport_size));
        put16(out + 4, id);
        put16(out + 6, 0x4000);  // don't fragment
        out[8] = 64;
        out[9] = protocol;
        std::copy_n(from.ip.begin(), 4, out + 12);
        std::copy_n(to.ip.begin(), 4, out + 16);
        Checksum header;
        header.add(out, 20);
        put16(out + 10, header.result());
        std::copy_n(out + 12, 8, pseudo);
        pseudo[9] = protocol;
        put16(pseudo + 10, static_cast<std::uint32_t>(transport_size));
        sum.add(pseudo, 12);
        return 20;
    }
    std::memset(out, 0, 40);
    out[0] = 0x60;
    put16(out + 4, static_cast<std::uint32_t>(transport_size));
    out[6] = protocol;
    out[7] = 64;
    std::copy(from.ip.begin(), from.ip.end(), out + 8);
    std::copy(to.ip.begin(), to.ip.end(), out + 24);
    std::copy_n(out + 8, 32, pseudo);
    put32(pseudo + 32, static_cast<std::uint32_t>(transport_size));
    pseudo[39] = protocol;
    sum.add(pseudo, 40);
    return 40;
}

}  // namespace

std::optional<PcapEndpoint> PcapEndpoint::from(const ua::Address& address) {
    PcapEndpoint e;
    e.port = address.port;
    if (inet_pton(AF_INET, address.host.c_str(), e.ip.data()) == 1) return e;
    if (inet_pton(AF_INET6, address.host.c_str(), e.ip.data()) == 1) {
        e.v6 = true;
        return e;
    }
    return std::nullopt;
}

std::optional<PcapEndpoint> PcapEndpoint::from(const sockaddr* address) {
    if (!address) return std::nullopt;
    PcapEndpoint e;
    if (address->sa_family == AF_INET) {
        sockaddr_in in;
        std::memcpy(&in, address, sizeof in);
        std::memcpy(e.ip.data(), &in.sin_addr, 4);
        e.port = ntohs(in.sin_port);
        return e;
    }
    if (address->sa_family == AF_INET6) {
        sockaddr_in6 in;
        std::memcpy(&in, address, sizeof in);
        e.port = ntohs(in.sin6_port);
        if (IN6_IS_ADDR_V4MAPPED(&in.sin6_addr)) {
            std::memcpy(e.ip.data(), reinterpret_cast<const std::uint8_t*>(&in.sin6_addr) + 12, 4);
        } else {
            std::memcpy(e.ip.data(), &in.sin6_addr, 16);
            e.v6 = true;
        }
        return e;
    }
    return std::nullopt;
}

base::Result<std::shared_ptr<PcapWriter>> PcapWriter::create(const std::string& path, Clock clock) {
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (!f) return base::make_error("cannot write pcap file " + path + ": " + std::strerror(errno));
    std::setvbuf(f, nullptr, _IOFBF, 1 << 16);
    // The global header in our byte order; readers tell the order by the magic number.
    const std::uint32_t magic = kMagicMicroseconds, zone = 0, sigfigs = 0, snap = kSnapLength,
                        link = kLinktypeRaw;
    const std::uint16_t major = 2, minor = 4;
    std::fwrite(&magic, 4, 1, f);
    std::fwrite(&major, 2, 1, f);
    std::fwrite(&minor, 2, 1, f);
    std::fwrite(&zone, 4, 1, f);
    std::fwrite(&sigfigs, 4, 1, f);
    std::fwrite(&snap, 4, 1, f);
    std::fwrite(&link, 4, 1, f);
    if (std::fflush(f) != 0) {
        std::fclose(f);
        return base::make_error("cannot write pcap file " + path + ": " + std::strerror(errno));
    }
    if (!clock) clock = [] { return std::chrono::system_clock::now(); };
    return std::shared_ptr<PcapWriter>(new PcapWriter(f, std::move(clock)));
}

PcapWriter::~PcapWriter() {
    if (file_) std::fclose(file_);
}

// Under mutex_: the record header, then the packet in two parts (headers, payload).
void PcapWriter::write_record(const std::uint8_t* headers, std::size_t header_size,
                              std::span<const std::uint8_t> payload) {
    const auto now = std::chrono::duration_cast<std::chrono::microseconds>(clock_().time_since_epoch()).count();
    const auto size = static_cast<std::uint32_t>(header_size + payload.size());
    const std::uint32_t record[4] = {static_cast<std::uint32_t>(now / 1000000),
                                     static_cast<std::uint32_t>(now % 1000000), size, size};
    std::fwrite(record, sizeof record, 1, file_);
    std::fwrite(headers, 1, header_size, file_);
    std::fwrite(payload.data(), 1, payload.size(), file_);
    ++records_;
}

void PcapWriter::udp(const PcapEndpoint& from_in, const PcapEndpoint& to_in, std::span<const std::uint8_t> payload) {
    if (payload.size() > 65507) return;  // not a UDP datagram
    PcapEndpoint from = from_in, to = to_in;
    same_family(from, to);
    std::uint8_t headers[48];
    const std::size_t udp_size = 8 + payload.size();
    Checksum sum;
    std::lock_guard lock(mutex_);
    const std::size_t ip = ip_header(headers, from, to, kProtocolUdp, udp_size, ip_id_++, sum);
    std::uint8_t* u = headers + ip;
    put16(u, from.port);
    put16(u + 2, to.port);
    put16(u + 4, static_cast<std::uint32_t>(udp_size));
    put16(u + 6, 0);
    sum.add(u, 8);
    sum.add(payload.data(), payload.size());
    const std::uint16_t c = sum.result();
    put16(u + 6, c == 0 ? 0xffff : c);  // RFC 768: a computed zero is sent as all ones
    write_record(headers, ip + 8, payload);
}

void PcapWriter::tcp(const PcapEndpoint& from_in, const PcapEndpoint& to_in, std::span<const std::uint8_t> payload) {
    PcapEndpoint from = from_in, to = to_in;
    same_family(from, to);
    std::lock_guard lock(mutex_);
    do {
        const auto part = payload.first(std::min(payload.size(), kMaxTcpSegment));
        payload = payload.subspan(part.size());
        std::uint8_t headers[60];
        const std::size_t tcp_size = 20 + part.size();
        Checksum sum;
        const std::size_t ip = ip_header(headers, from, to, kProtocolTcp, tcp_size, ip_id_++, sum);
        std::uint8_t* t = headers + ip;
        std::memset(t, 0, 20);
        put16(t, from.port);
        put16(t + 2, to.port);
        auto it = sequence_.try_emplace(std::make_pair(from, to), 1u).first;
        put32(t + 4, it->second);
        it->second += static_cast<std::uint32_t>(part.size());
        auto back = sequence_.find(std::make_pair(to, from));
        put32(t + 8, back == sequence_.end() ? 1u : back->second);
        t[12] = 0x50;  // 5 words, no options
        t[13] = 0x18;  // PSH, ACK
        put16(t + 14, 0xffff);
        sum.add(t, 20);
        sum.add(part.data(), part.size());
        put16(t + 16, sum.result());
        write_record(headers, ip + 20, part);
    } while (!payload.empty());
}

void PcapWriter::sip(ua::Transport transport, const ua::Address& from, const ua::Address& to, std::string_view bytes) {
    auto a = PcapEndpoint::from(from);
    auto b = PcapEndpoint::from(to);
    if (!a || !b) return;
    std::span<const std::uint8_t> payload(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
    if (transport == ua::Transport::Udp) udp(*a, *b, payload);
    else tcp(*a, *b, payload);
}

void PcapWriter::flush() {
    std::lock_guard lock(mutex_);
    std::fflush(file_);
}

std::uint64_t PcapWriter::records() const {
    std::lock_guard lock(mutex_);
    return records_;
}

}  // namespace dialtone::io
