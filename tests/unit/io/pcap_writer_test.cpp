// io::PcapWriter: the file it writes, read back byte by byte — the pcap headers, the synthesized
// IPv4/IPv6 + UDP/TCP headers with valid checksums, and TCP sequence numbers that continue.
#include "dialtone/io/pcap_writer.hpp"

#include <doctest/doctest.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace dialtone;

namespace {

std::uint32_t get16(const std::vector<std::uint8_t>& b, std::size_t at) { return (b[at] << 8) | b[at + 1]; }
std::uint32_t get32(const std::vector<std::uint8_t>& b, std::size_t at) { return (get16(b, at) << 16) | get16(b, at + 2); }
std::uint32_t host32(const std::vector<std::uint8_t>& b, std::size_t at) {
    std::uint32_t v;
    std::memcpy(&v, b.data() + at, 4);
    return v;
}

// RFC 1071 over the concatenation of the parts; 0 when a packet with its checksum is intact.
std::uint16_t fold(const std::vector<std::uint8_t>& bytes) {
    std::uint64_t sum = 0;
    for (std::size_t i = 0; i < bytes.size(); ++i) sum += i % 2 ? bytes[i] : bytes[i] << 8;
    while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
    return static_cast<std::uint16_t>(~sum & 0xffff);
}

struct Record {
    std::uint32_t seconds = 0, micros = 0;
    std::vector<std::uint8_t> packet;
};

struct Parsed {
    int version = 0;
    int protocol = 0;
    std::string src, dst;
    std::uint32_t sport = 0, dport = 0;
    std::uint32_t seq = 0, ack = 0;
    std::string payload;
    bool checksums_ok = false;
};

Parsed parse(const std::vector<std::uint8_t>& p) {
    Parsed out;
    out.version = p[0] >> 4;
    std::size_t ip = 0;
    std::vector<std::uint8_t> pseudo;
    char text[64];
    bool ip_ok = true;
    if (out.version == 4) {
        ip = (p[0] & 0x0f) * 4u;
        CHECK(get16(p, 2) == p.size());
        out.protocol = p[9];
        std::snprintf(text, sizeof text, "%d.%d.%d.%d", p[12], p[13], p[14], p[15]);
        out.src = text;
        std::snprintf(text, sizeof text, "%d.%d.%d.%d", p[16], p[17], p[18], p[19]);
        out.dst = text;
        ip_ok = fold(std::vector<std::uint8_t>(p.begin(), p.begin() + 20)) == 0;
        pseudo.assign(p.begin() + 12, p.begin() + 20);
        pseudo.insert(pseudo.end(), {0, static_cast<std::uint8_t>(out.protocol)});
        auto len = p.size() - ip;
        pseudo.insert(pseudo.end(), {static_cast<std::uint8_t>(len >> 8), static_cast<std::uint8_t>(len)});
    } else {
        ip = 40;
        CHECK(get16(p, 4) + 40 == p.size());
        out.protocol = p[6];
        out.src = p[8 + 15] == 1 ? "::1" : "?";
        out.dst = p[24 + 15] == 1 ? "::1" : "?";
        pseudo.assign(p.begin() + 8, p.begin() + 40);
        auto len = static_cast<std::uint32_t>(p.size() - ip);
        pseudo.insert(pseudo.end(), {static_cast<std::uint8_t>(len >> 24), static_cast<std::uint8_t>(len >> 16),
                                     static_cast<std::uint8_t>(len >> 8), static_cast<std::uint8_t>(len), 0, 0, 0,
                                     static_cast<std::uint8_t>(out.protocol)});
    }
    out.sport = get16(p, ip);
    out.dport = get16(p, ip + 2);
    std::size_t data = ip + 8;
    if (out.protocol == 17) {
        CHECK(get16(p, ip + 4) == p.size() - ip);
    } else {
        out.seq = get32(p, ip + 4);
        out.ack = get32(p, ip + 8);
        data = ip + (p[ip + 12] >> 4) * 4u;
    }
    pseudo.insert(pseudo.end(), p.begin() + static_cast<std::ptrdiff_t>(ip), p.end());
    out.checksums_ok = ip_ok && fold(pseudo) == 0;
    out.payload.assign(p.begin() + static_cast<std::ptrdiff_t>(data), p.end());
    return out;
}

struct File {
    std::uint32_t magic = 0, linktype = 0;
    std::uint16_t major = 0, minor = 0;
    std::vector<Record> records;
};

File read_pcap(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::vector<std::uint8_t> b((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    File f;
    REQUIRE(b.size() >= 24);
    f.magic = host32(b, 0);
    std::memcpy(&f.major, b.data() + 4, 2);
    std::memcpy(&f.minor, b.data() + 6, 2);
    f.linktype = host32(b, 20);
    std::size_t at = 24;
    while (at + 16 <= b.size()) {
        Record r;
        r.seconds = host32(b, at);
        r.micros = host32(b, at + 4);
        const std::uint32_t included = host32(b, at + 8);
        CHECK(host32(b, at + 12) == included);
        REQUIRE(at + 16 + included <= b.size());
        r.packet.assign(b.begin() + static_cast<std::ptrdiff_t>(at + 16),
                        b.begin() + static_cast<std::ptrdiff_t>(at + 16 + included));
        f.records.push_back(std::move(r));
        at += 16 + included;
    }
    CHECK(at == b.size());
    return f;
}

std::string temp_path(const char* name) {
    return std::string(P_tmpdir) + "/dialtone-" + name + "-" + std::to_string(getpid()) + ".pcap";
}

std::span<const std::uint8_t> bytes(const std::string& s) {
    return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

}  // namespace

TEST_CASE("pcap: SIP over UDP, TCP and IPv6 read back with real addresses, ports and valid checksums") {
    const std::string path = temp_path("sip");
    std::int64_t tick = 1'700'000'000'000'000;  // µs
    auto clock = [&tick] { return std::chrono::system_clock::time_point(std::chrono::microseconds(tick += 250)); };
    {
        auto w = io::PcapWriter::create(path, clock);
        REQUIRE(w.ok());
        auto& writer = **w;
        writer.sip(ua::Transport::Udp, {"127.0.0.1", 5062}, {"127.0.0.1", 5060}, "INVITE sip:b@x SIP/2.0\r\n\r\n");
        writer.sip(ua::Transport::Tcp, {"127.0.0.1", 40000}, {"127.0.0.1", 5060}, "OPTIONS sip:x SIP/2.0\r\n\r\n");
        writer.sip(ua::Transport::Tls, {"127.0.0.1", 5061}, {"127.0.0.1", 40000}, "SIP/2.0 200 OK\r\n\r\n");
        writer.sip(ua::Transport::Tcp, {"127.0.0.1", 40000}, {"127.0.0.1", 5060}, "ACK");
        writer.sip(ua::Transport::Udp, {"::1", 5060}, {"::1", 5062}, "SIP/2.0 180 Ringing\r\n\r\n");
        writer.sip(ua::Transport::Udp, {"example.com", 5060}, {"::1", 5062}, "not numeric: not written");
        CHECK(writer.records() == 5);
    }
    File f = read_pcap(path);
    CHECK(f.magic == 0xa1b2c3d4);
    CHECK(f.major == 2);
    CHECK(f.minor == 4);
    CHECK(f.linktype == 101);
    REQUIRE(f.records.size() == 5);
    CHECK(f.records[0].seconds == 1'700'000'000);
    CHECK(f.records[0].micros == 250);
    CHECK(f.records[4].micros == 1250);

    Parsed invite = parse(f.records[0].packet);
    CHECK(invite.version == 4);
    CHECK(invite.protocol == 17);
    CHECK(invite.src == "127.0.0.1");
    CHECK(invite.sport == 5062);
    CHECK(invite.dport == 5060);
    CHECK(invite.payload == "INVITE sip:b@x SIP/2.0\r\n\r\n");
    CHECK(invite.checksums_ok);

    Parsed options = parse(f.records[1].packet);
    Parsed ok = parse(f.records[2].packet);
    Parsed ack = parse(f.records[3].packet);
    CHECK(options.protocol == 6);
    CHECK(ok.protocol == 6);  // TLS written in clear, as TCP on the TLS port
    CHECK(ok.sport == 5061);
    CHECK(ok.payload == "SIP/2.0 200 OK\r\n\r\n");
    CHECK(options.checksums_ok);
    CHECK(ok.checksums_ok);
    CHECK(ack.checksums_ok);
    // One direction's sequence numbers continue where the last segment ended.
    CHECK(ack.seq == options.seq + options.payload.size());
    CHECK(ack.payload == "ACK");

    Parsed ringing = parse(f.records[4].packet);
    CHECK(ringing.version == 6);
    CHECK(ringing.protocol == 17);
    CHECK(ringing.src == "::1");
    CHECK(ringing.dport == 5062);
    CHECK(ringing.checksums_ok);
    std::remove(path.c_str());
}

TEST_CASE("pcap: two threads write whole records, none torn") {
    const std::string path = temp_path("threads");
    {
        auto w = io::PcapWriter::create(path);
        REQUIRE(w.ok());
        auto writer = *w;
        auto a = *io::PcapEndpoint::from(ua::Address{"127.0.0.1", 20000});
        auto b = *io::PcapEndpoint::from(ua::Address{"127.0.0.1", 30000});
        const std::string rtp(172, 'r');
        std::thread media([&] {
            for (int i = 0; i < 2000; ++i) writer->udp(a, b, bytes(rtp));
        });
        for (int i = 0; i < 2000; ++i) writer->sip(ua::Transport::Tcp, {"127.0.0.1", 5060}, {"127.0.0.1", 40000}, "BYE");
        media.join();
        writer->flush();
    }
    File f = read_pcap(path);
    REQUIRE(f.records.size() == 4000);
    int udp = 0, tcp = 0;
    for (const auto& r : f.records) {
        Parsed p = parse(r.packet);
        (p.protocol == 17 ? udp : tcp) += 1;
        CHECK(p.payload == (p.protocol == 17 ? std::string(172, 'r') : std::string("BYE")));
    }
    CHECK(udp == 2000);
    CHECK(tcp == 2000);
    std::remove(path.c_str());
}

TEST_CASE("pcap: an unwritable path is a one-line error") {
    auto w = io::PcapWriter::create("/nonexistent-dir/x.pcap");
    REQUIRE_FALSE(w.ok());
    CHECK(w.error().message.find("/nonexistent-dir/x.pcap") != std::string::npos);
}
