"""RTP in pcap files: write a PCMU click stream for SIPp to play, read what dumpcap saw on `lo`.

Only what the benchmarks need: classic pcap (not pcapng), IPv4, UDP, RTP without extensions.
"""
import math
import struct

PCAP_HEADER = struct.Struct("<IHHiIII")
RECORD = struct.Struct("<IIII")
LINK_ETHERNET, LINK_LINUX_SLL = 1, 113


def linear_to_ulaw(x):
    """ITU-T G.711 μ-law of a 16-bit sample."""
    bias, clip = 0x84, 32635
    sign = 0x80 if x < 0 else 0
    x = min(abs(x), clip) + bias
    exponent = 7
    mask = 0x4000
    while exponent > 0 and not x & mask:
        exponent -= 1
        mask >>= 1
    mantissa = (x >> (exponent + 3)) & 0x0F
    return ~(sign | (exponent << 4) | mantissa) & 0xFF


def _ulaw_table():
    out = []
    for u in range(256):
        u = ~u & 0xFF
        t = ((u & 0x0F) << 3) + 0x84
        t <<= (u & 0x70) >> 4
        out.append((0x84 - t) if u & 0x80 else (t - 0x84))
    return out


ULAW = _ulaw_table()


def write_clicks(path, seconds, every_s=2.0, click_ms=4, first_s=1.0, port=6000):
    """A PCMU RTP stream (20 ms packets) of silence with a 4 ms 1 kHz burst every `every_s`."""
    rate, frame = 8000, 160
    samples = []
    for n in range(int(seconds * rate)):
        t = n / rate
        k = (t - first_s) / every_s
        in_click = t >= first_s and (k - math.floor(k)) * every_s * 1000 < click_ms
        samples.append(int(20000 * math.sin(2 * math.pi * 1000 * t)) if in_click else 0)
    silence = linear_to_ulaw(0)
    with open(path, "wb") as f:
        f.write(PCAP_HEADER.pack(0xA1B2C3D4, 2, 4, 0, 0, 65535, LINK_ETHERNET))
        for i in range(len(samples) // frame):
            payload = bytes(linear_to_ulaw(s) if s else silence for s in samples[i * frame:(i + 1) * frame])
            rtp = struct.pack("!BBHII", 0x80, 0, i & 0xFFFF, i * frame, 0x11223344) + payload
            udp = struct.pack("!HHHH", port, port, 8 + len(rtp), 0) + rtp
            ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), i & 0xFFFF, 0, 64, 17, 0,
                             bytes([127, 0, 0, 1]), bytes([127, 0, 0, 1])) + udp
            eth = b"\0" * 12 + b"\x08\x00" + ip
            usec = i * 20000
            f.write(RECORD.pack(usec // 1_000_000, usec % 1_000_000, len(eth), len(eth)) + eth)


def read_udp(path):
    """Every UDP/IPv4 packet in a classic pcap file: (time in s, src port, dst port, UDP payload)."""
    with open(path, "rb") as f:
        data = f.read()
    magic, _, _, _, _, _, link = PCAP_HEADER.unpack_from(data, 0)
    if magic != 0xA1B2C3D4:
        raise ValueError(f"{path}: not a classic little-endian pcap file (magic {magic:#x})")
    skip = 14 if link == LINK_ETHERNET else 16 if link == LINK_LINUX_SLL else None
    if skip is None:
        raise ValueError(f"{path}: link type {link} not handled")
    out = []
    pos = PCAP_HEADER.size
    end = len(data)
    while pos + RECORD.size <= end:
        sec, usec, caplen, _ = RECORD.unpack_from(data, pos)
        pos += RECORD.size
        frame = data[pos:pos + caplen]
        pos += caplen
        ip = frame[skip:]
        if len(ip) < 28 or ip[9] != 17:
            continue
        ihl = (ip[0] & 0x0F) * 4
        sport, dport = struct.unpack_from("!HH", ip, ihl)
        out.append((sec + usec / 1e6, sport, dport, ip[ihl + 8:]))
    return out


def count_by_port(path, far_port):
    """Per UA port: (packets to `far_port`, packets from it). Counts only; the pcap may be cut short."""
    counts = {}
    with open(path, "rb") as f:
        data = f.read()
    magic, _, _, _, _, _, link = PCAP_HEADER.unpack_from(data, 0)
    skip = 14 if link == LINK_ETHERNET else 16
    pos, end = PCAP_HEADER.size, len(data)
    unpack_rec, unpack_ports = RECORD.unpack_from, struct.Struct("!HH").unpack_from
    while pos + RECORD.size <= end:
        caplen = unpack_rec(data, pos)[2]
        start = pos + RECORD.size + skip
        pos += RECORD.size + caplen
        ihl = (data[start] & 0x0F) * 4
        sport, dport = unpack_ports(data, start + ihl)
        if dport == far_port:
            c = counts.setdefault(sport, [0, 0])
            c[0] += 1
        elif sport == far_port:
            c = counts.setdefault(dport, [0, 0])
            c[1] += 1
    return counts


def click_onsets(packets, threshold=4000):
    """Times (s) where a click starts in a PCMU stream: packet time + the sample's offset in it.

    A click is a sample louder than `threshold` after at least 100 ms of quiet.
    """
    onsets = []
    quiet_since = None
    for t, payload in packets:
        for i, b in enumerate(payload):
            at = t + i / 8000.0
            if abs(ULAW[b]) > threshold:
                if quiet_since is not None and at - quiet_since >= 0.1:
                    onsets.append(at)
                quiet_since = None
            elif quiet_since is None:
                quiet_since = at
    return onsets
