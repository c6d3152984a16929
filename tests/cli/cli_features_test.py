#!/usr/bin/env python3
"""Command-line tests of the real dialtone binary, second part: --pcap, header-driven
auto-answer, --realm, listening ports, and the options, commands and behaviours the first part
leaves out.

Usage: cli_features_test.py PATH/TO/dialtone [CASE...]
"""
import hashlib
import os
import re
import shutil
import socket
import subprocess
import sys
import signal
import threading
import time
from datetime import datetime

from cli_harness import (BINARY, WORK, Proc, caller, goertzel_power, listener, read_wav, rtp_ports, run, run_cases,
                         write_tone)


def tshark_fields(path, *fields, extra=()):
    if not shutil.which("tshark"):
        raise RuntimeError("tshark is not installed (./run setup installs it)")
    args = ["tshark", "-r", path, "-T", "fields", "-E", "separator=|", "-E", "occurrence=f"] + list(extra)
    for f in fields:
        args += ["-e", f]
    r = subprocess.run(args, capture_output=True, text=True, timeout=30)
    assert r.returncode == 0, r.stderr
    return [dict(zip(fields, line.split("|"))) for line in r.stdout.splitlines()]


def case_pcap_holds_the_call_signalling_and_rtp_with_real_ports():
    pcap = os.path.join(WORK, "call.pcap")
    lis = listener("--auto-answer", "--exit-after", "1")
    try:
        port = lis.port()
        c = caller(port, "--duration", "1", "--codecs", "pcmu", "--pcap", pcap)
        assert c.wait() == 0, (c.names(), c.stderr())
        assert lis.wait() == 0
        our_port = c.port()
        rows = tshark_fields(pcap, "ip.src", "ip.dst", "udp.srcport", "udp.dstport", "sip.Method",
                             "sip.Status-Code", "sip.CSeq.method", "sdp.media.port", "rtp.ssrc", "rtcp.pt")
        sip = [r for r in rows if r["sip.Method"] or r["sip.Status-Code"]]
        outgoing = [(r["sip.Method"] or r["sip.Status-Code"], r["sip.CSeq.method"]) for r in sip
                    if r["udp.srcport"] == str(our_port) and r["udp.dstport"] == str(port)]
        incoming = [(r["sip.Method"] or r["sip.Status-Code"], r["sip.CSeq.method"]) for r in sip
                    if r["udp.srcport"] == str(port) and r["udp.dstport"] == str(our_port)]
        assert ("INVITE", "INVITE") in outgoing and ("ACK", "ACK") in outgoing and ("BYE", "BYE") in outgoing, outgoing
        assert ("200", "INVITE") in incoming and ("200", "BYE") in incoming, incoming
        assert all(r["ip.src"] == "127.0.0.1" and r["ip.dst"] == "127.0.0.1" for r in rows), rows[:3]
        # The RTP ports are the ones each side put in its SDP.
        offer = next(r for r in sip if r["sip.Method"] == "INVITE")["sdp.media.port"]
        answer = next(r for r in sip if r["sip.Status-Code"] == "200" and r["sip.CSeq.method"] == "INVITE")
        answer = answer["sdp.media.port"]
        assert offer and answer, (offer, answer)
        rtp = [r for r in rows if r["rtp.ssrc"]]
        sent = [r for r in rtp if (r["udp.srcport"], r["udp.dstport"]) == (offer, answer)]
        received = [r for r in rtp if (r["udp.srcport"], r["udp.dstport"]) == (answer, offer)]
        assert len(sent) >= 25 and len(received) >= 25, (len(sent), len(received), len(rtp))
        # Wireshark recomputes the synthesized IP and UDP checksums: none is wrong.
        checked = tshark_fields(pcap, "udp.checksum.status", extra=["-o", "udp.check_checksum:TRUE"])
        assert {r["udp.checksum.status"] for r in checked} == {"1"}, {r["udp.checksum.status"] for r in checked}
    finally:
        lis.stop()


def case_pcap_unwritable_is_a_one_line_error():
    r = run(["--null-audio", "--listen", "127.0.0.1:0", "--pcap", "/nonexistent/x.pcap", "options",
             "sip:127.0.0.1:9"])
    assert r.returncode == 1 and r.stderr.count("\n") == 1 and "/nonexistent/x.pcap" in r.stderr, r


# --- header-driven auto-answer ---------------------------------------------------------------

def event_time(e):
    return datetime.fromisoformat(e["time"].replace("Z", "+00:00")).timestamp()


def case_honor_answer_headers_answers_a_call_that_asks():
    lis = listener("--honor-answer-headers", "--exit-after", "1")
    try:
        c = caller(lis.port(), "--auto-answer-request", "--duration", "0.5", "--ring-timeout", "5")
        assert c.wait() == 0, (c.names(), c.stderr())
        assert lis.wait() == 0
        assert lis.wait_event("incoming")["answer_after"] == 0
        assert "answered" in lis.names()
    finally:
        lis.stop()


def case_honor_answer_headers_waits_the_delay_asked_for():
    lis = listener("--honor-answer-headers", "--exit-after", "1")
    try:
        c = caller(lis.port(), "--header", "Call-Info: <sip:127.0.0.1>;answer-after=1", "--duration", "0.3")
        assert c.wait() == 0, (c.names(), c.stderr())
        incoming, answered = lis.wait_event("incoming"), lis.wait_event("answered")
        assert incoming["answer_after"] == 1, incoming
        delay = event_time(answered) - event_time(incoming)
        assert 0.9 <= delay < 3, delay
    finally:
        lis.stop()


def case_answer_headers_are_ignored_without_the_flag():
    plain = listener()
    honoring = listener("--honor-answer-headers")
    try:
        # The caller asks, but the listener was not told to obey: it rings until the caller gives up.
        asks = caller(plain.port(), "--auto-answer-request", "--ring-timeout", "1")
        # The listener would obey, but this caller does not ask.
        silent = caller(honoring.port(), "--ring-timeout", "1")
        assert asks.wait() == 3, (asks.names(), asks.stderr())
        assert silent.wait() == 3, (silent.names(), silent.stderr())
        assert plain.wait_event("incoming")["answer_after"] == 0
        assert honoring.wait_event("incoming")["answer_after"] is None
        assert "answered" not in plain.names() and "answered" not in honoring.names()
    finally:
        plain.stop()
        honoring.stop()


# --- --realm ---------------------------------------------------------------------------------

class Challenger:
    """A SIP registrar/UAS stand-in on UDP 127.0.0.1 that challenges every REGISTER and MESSAGE
    (401) and INVITE (407) for one realm and accepts REGISTER and MESSAGE credentials made with
    the right password (RFC 2617 MD5, qop=auth)."""

    def __init__(self, realm, user, password):
        self.realm, self.user, self.password = realm, user, password
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.requests = []
        self.stopping = False
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def close(self):
        self.stopping = True
        self.thread.join(timeout=5)
        self.sock.close()

    def serve(self):
        while not self.stopping:
            try:
                data, peer = self.sock.recvfrom(65535)
            except socket.timeout:
                continue
            text = data.decode(errors="replace")
            if not text.strip():
                continue
            self.requests.append(text)
            method = text.split(" ", 1)[0]
            if method in ("ACK", "SIP/2.0"):
                continue
            headers = text.split("\r\n\r\n", 1)[0].split("\r\n")[1:]
            auth = next((h.split(":", 1)[1].strip() for h in headers
                         if h.lower().startswith(("authorization:", "proxy-authorization:"))), None)
            if method in ("REGISTER", "MESSAGE") and auth and self.valid(method, auth):
                expires = next((h for h in headers if h.lower().startswith("expires:")), "Expires: 60")
                reply = self.response(headers, "200 OK", [expires] +
                                      [h for h in headers if h.lower().startswith("contact:")])
            elif method in ("REGISTER", "MESSAGE", "INVITE"):
                name = "WWW-Authenticate" if method != "INVITE" else "Proxy-Authenticate"
                status = "401 Unauthorized" if method != "INVITE" else "407 Proxy Authentication Required"
                reply = self.response(headers, status, [f'{name}: Digest realm="{self.realm}", nonce="n0nce", '
                                                        'qop="auth", algorithm=MD5'])
            else:
                reply = self.response(headers, "200 OK", [])
            self.sock.sendto(reply.encode(), peer)

    @staticmethod
    def response(headers, status, extra):
        keep = [h for h in headers if h.split(":", 1)[0].strip().lower() in ("via", "from", "call-id", "cseq", "v",
                                                                            "f", "i")]
        to = next(h for h in headers if h.lower().startswith(("to:", "t:")))
        if ";tag=" not in to:
            to += ";tag=challenger"
        return "\r\n".join([f"SIP/2.0 {status}"] + keep + [to] + extra + ["Content-Length: 0", "", ""])

    def valid(self, method, auth):
        p = dict(re.findall(r'(\w+)="?([^",]*)"?', auth))
        md5 = lambda s: hashlib.md5(s.encode()).hexdigest()
        ha1 = md5(f"{self.user}:{self.realm}:{self.password}")
        ha2 = md5(f"{method}:{p.get('uri', '')}")
        expected = md5(f"{ha1}:{p.get('nonce')}:{p.get('nc')}:{p.get('cnonce')}:{p.get('qop')}:{ha2}")
        return p.get("realm") == self.realm and p.get("response") == expected

    def authorized(self):
        return [r for r in self.requests if re.search(r"^(proxy-)?authorization:", r, re.I | re.M)]


def register_with(server, *extra):
    return run(["--null-audio", "--listen", "127.0.0.1:0", "--id", "sip:alice@127.0.0.1",
                "--registrar", f"sip:127.0.0.1:{server.port}", "--password", "secret"] + list(extra)
               + ["register", "--once"])


def case_realm_matching_the_challenge_registers():
    server = Challenger("biloxi.example", "alice", "secret")
    try:
        r = register_with(server, "--realm", "biloxi.example")
        assert r.returncode == 0, (r.stdout, r.stderr)
        assert '"event":"registered"' in r.stdout, r.stdout
        assert len(server.authorized()) == 1
    finally:
        server.close()


def case_realm_other_than_the_challenge_fails_with_exit_6_and_no_password_sent():
    server = Challenger("biloxi.example", "alice", "secret")
    try:
        r = register_with(server, "--realm", "atlanta.example")
        assert r.returncode == 6, (r.returncode, r.stdout, r.stderr)
        assert 'realm \\"biloxi.example\\"' in r.stdout and "atlanta.example" in r.stdout, r.stdout
        assert "biloxi.example" in r.stderr, r.stderr
        assert server.authorized() == [], "credentials were offered to the wrong realm"
        c = Proc(["--null-audio", "--listen", "127.0.0.1:0", "--rtp-ports", rtp_ports(), "--password", "secret",
                  "--realm", "atlanta.example", "call", f"sip:bob@127.0.0.1:{server.port}"])
        assert c.wait() == 6, (c.names(), c.stderr())
        ended = c.wait_event("ended")
        assert ended["status"] == 407 and '"biloxi.example"' in ended["reason"], ended
        assert server.authorized() == []
        r = run(["--listen", "127.0.0.1:0", "--password", "secret", "--realm", "atlanta.example", "message",
                 f"sip:alice@127.0.0.1:{server.port}", "hello"])
        assert r.returncode == 6, (r.returncode, r.stdout, r.stderr)
        assert server.authorized() == []
        r = run(["--listen", "127.0.0.1:0", "--user", "alice", "--password", "secret", "--realm", "biloxi.example",
                 "message", f"sip:alice@127.0.0.1:{server.port}", "hello"])
        assert r.returncode == 0 and len(server.authorized()) == 1, (r.returncode, r.stdout, r.stderr)
    finally:
        server.close()


# --- listening ports -------------------------------------------------------------------------

def case_port_0_gives_udp_and_tcp_one_port():
    for _ in range(3):
        lis = listener("--exit-after", "1")
        try:
            udp = lis.wait_event("listening", transport="udp")["address"]
            tcp = lis.wait_event("listening", transport="tcp")["address"]
            assert udp == tcp and not udp.endswith(":0"), (udp, tcp)
        finally:
            lis.stop()


def case_listen_port_taken_on_tcp_keeps_udp_and_warns():
    blocker = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    blocker.bind(("127.0.0.1", 0))
    blocker.listen(1)
    port = blocker.getsockname()[1]
    lis = Proc(["--null-audio", "--listen", f"127.0.0.1:{port}", "listen"])
    try:
        assert lis.port() == port
        deadline = time.monotonic() + 5
        while "no TCP listener" not in lis.stderr() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert "no TCP listener" in lis.stderr(), lis.stderr()
        assert [e for e in lis.events() if e["event"] == "listening" and e["transport"] == "tcp"] == []
        lis.stop()
        quiet = Proc(["--null-audio", "-q", "--listen", f"127.0.0.1:{port}", "listen"])   # -q: errors only
        try:
            quiet.wait_event("listening")
            time.sleep(0.3)
            assert quiet.stderr() == "", quiet.stderr()
        finally:
            quiet.stop()
    finally:
        lis.stop()
        blocker.close()


# --- listen options, traces and logs ---------------------------------------------------------

def case_answer_delay_hangup_after_record_dir_names_trace_and_log_file():
    rec_dir = os.path.join(WORK, "named")
    os.makedirs(rec_dir, exist_ok=True)
    trace, log = os.path.join(WORK, "trace.txt"), os.path.join(WORK, "caller.log")
    lis = listener("--auto-answer", "--answer-delay", "700", "--hangup-after", "1", "--record-dir", rec_dir,
                   "--exit-after", "1")
    try:
        port = lis.port()
        c = caller(port, f"--sip-trace={trace}", "--log-file", log, "-v")
        assert c.wait() == 0, (c.names(), c.stderr())
        assert lis.wait() == 0
        incoming, answered, ended = (lis.wait_event(n) for n in ("incoming", "answered", "ended"))
        assert 0.6 <= event_time(answered) - event_time(incoming) < 3, (incoming, answered)
        assert 0.9 <= event_time(ended) - event_time(answered) < 3, (answered, ended)
        assert ended["by_peer"] is False and c.wait_event("ended")["by_peer"] is True
        # One WAV per call, named by time, caller and call number.
        files = os.listdir(rec_dir)
        our_port = c.port()
        pattern = rf"\d{{4}}-\d\d-\d\dT\d\d-\d\d-\d\d(\.\d+)?Z_sip_dialtone@127\.0\.0\.1_{our_port}_1\.wav"
        assert len(files) == 1 and re.fullmatch(pattern, files[0]), files
        text = open(trace).read()
        assert re.search(rf"send udp 127\.0\.0\.1:{our_port} -> 127\.0\.0\.1:{port} .*\nINVITE sip:bob@", text), text[:300]
        assert re.search(rf"recv udp 127\.0\.0\.1:{port} -> .*\nSIP/2\.0 200 OK", text), text[:300]
        assert "dialtone: info: listening on udp" in open(log).read()
        assert c.stderr() == "", c.stderr()
        assert "stats" in c.names()   # -v: a stats event each second
    finally:
        lis.stop()


def case_allow_by_cidr():
    inside = listener("--auto-answer", "--allow", "127.0.0.0/8", "--exit-after", "1")
    outside = listener("--auto-answer", "--allow", "10.0.0.0/8", "--allow", "::1/128", "--exit-after", "1")
    try:
        accepted = caller(inside.port(), "--duration", "0.3")
        refused = caller(outside.port())
        assert accepted.wait() == 0, (accepted.names(), accepted.stderr())
        assert refused.wait() == 6, (refused.names(), refused.stderr())
        assert refused.wait_event("ended")["status"] == 403
    finally:
        inside.stop()
        outside.stop()


def case_allow_by_uri_glob_accepts_the_matching_caller():
    lis = listener("--auto-answer", "--allow", "sip:alice@*", "--exit-after", "2")
    try:
        port = lis.port()
        alice = caller(port, "--id", "sip:alice@127.0.0.1", "--duration", "0.3")
        assert alice.wait() == 0, (alice.names(), alice.stderr())
        other = caller(port, "--id", "sip:mallory@127.0.0.1")
        assert other.wait() == 6, (other.names(), other.stderr())
        assert other.wait_event("ended")["status"] == 403
        incoming = {e["call"]: e["from"] for e in lis.events() if e["event"] == "incoming"}
        answered = [e["call"] for e in lis.events() if e["event"] == "answered"]
        assert [incoming[call] for call in answered] == ["sip:alice@127.0.0.1"], (incoming, answered)
    finally:
        lis.stop()


def case_codecs_order_is_the_preference():
    def answered_codec(listener_codecs, caller_codecs):
        lis = Proc(["--null-audio", "--listen", "127.0.0.1:0", "--rtp-ports", rtp_ports(), "--codecs", listener_codecs,
                    "listen", "--auto-answer", "--exit-after", "1"])
        try:
            c = caller(lis.port(), "--codecs", caller_codecs, "--duration", "0.3")
            assert c.wait() == 0, (listener_codecs, caller_codecs, c.names(), c.stderr())
            assert lis.wait() == 0
            codec = c.wait_event("answered")["codec"]
            assert lis.wait_event("answered")["codec"] == codec
            return codec
        finally:
            lis.stop()

    # The answer takes the answerer's first codec that the offer has.
    assert answered_codec("pcma,pcmu,opus", "opus,pcmu,pcma") == "pcma"
    assert answered_codec("pcmu,pcma", "pcma,pcmu") == "pcmu"
    assert answered_codec("opus,pcmu,pcma", "pcmu,opus") == "opus"
    # The offerer's list limits what can be taken.
    assert answered_codec("opus,pcmu,pcma", "pcma") == "pcma"


def case_no_tcp_listens_and_calls_on_udp_only():
    lis = Proc(["--null-audio", "--no-tcp", "--listen", "127.0.0.1:0", "--rtp-ports", rtp_ports(), "listen",
                "--auto-answer", "--exit-after", "1"])
    try:
        port = lis.port()
        time.sleep(0.2)
        assert [e["transport"] for e in lis.events() if e["event"] == "listening"] == ["udp"], lis.events()
        probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        probe.settimeout(2)
        try:
            assert probe.connect_ex(("127.0.0.1", port)) != 0, "something listens on TCP"
        finally:
            probe.close()
        c = Proc(["--null-audio", "--no-tcp", "--listen", "127.0.0.1:0", "--rtp-ports", rtp_ports(), "call",
                  f"sip:bob@127.0.0.1:{port}", "--duration", "0.3"])
        assert c.wait() == 0, (c.names(), c.stderr())
        assert [e["transport"] for e in c.events() if e["event"] == "listening"] == ["udp"]
        assert lis.wait() == 0
    finally:
        lis.stop()


def case_without_null_audio_on_a_headless_machine_warns_and_keeps_stdout_json():
    # PortAudio's ALSA plugins leak when unloaded (see case_devices_...): not ours to report.
    env = {"ASAN_OPTIONS": (os.environ.get("ASAN_OPTIONS", "") + ":detect_leaks=0").lstrip(":")}
    lis = Proc(["--listen", "127.0.0.1:0", "--rtp-ports", rtp_ports(), "listen", "--auto-answer", "--exit-after",
                "1"], env=env)
    try:
        c = caller(lis.port(), "--duration", "0.5")
        assert c.wait() == 0, (c.names(), c.stderr())
        assert lis.wait() == 0, (lis.names(), lis.stderr())
        names = lis.names()   # every stdout line parses as JSON, or this raises
        assert "answered" in names and "ended" in names, names
        with open(lis.out_path, encoding="utf-8") as f:
            assert all(line.startswith('{"event":') for line in f), "non-JSON output on stdout"
        devices = subprocess.run([BINARY, "devices"], capture_output=True, text=True, timeout=20,
                                 env=dict(os.environ, **env), stdin=subprocess.DEVNULL).stdout
        if devices.startswith("no audio devices"):
            assert "going on without audio" in lis.stderr(), lis.stderr()
            assert lis.stderr().count("\n") <= 3, lis.stderr()   # one warning, not PortAudio's noise
    finally:
        lis.stop()


def case_config_precedence_command_line_over_environment_over_file():
    config = os.path.join(WORK, "precedence.toml")
    with open(config, "w") as f:
        f.write('listen = "127.0.0.2:0"\n[listen]\nanswer-code = 486\n')

    def listening_host(env, *args):
        p = Proc(["-c", config, "--null-audio"] + list(args) + ["listen"], env=env)
        try:
            return p.wait_event("listening", transport="udp")["address"].rsplit(":", 1)[0]
        finally:
            p.stop()

    assert listening_host({}) == "127.0.0.2"
    assert listening_host({"DIALTONE_LISTEN": "127.0.0.3:0"}) == "127.0.0.3"
    assert listening_host({"DIALTONE_LISTEN": "127.0.0.3:0"}, "--listen", "127.0.0.4:0") == "127.0.0.4"
    # A command's table applies to that command: [listen] answer-code refuses the call.
    lis = Proc(["-c", config, "--null-audio", "--listen", "127.0.0.1:0", "--rtp-ports", rtp_ports(), "listen",
                "--auto-answer", "--exit-after", "1"])
    try:
        c = caller(lis.port())
        assert c.wait() == 4, (c.names(), c.stderr())
    finally:
        lis.stop()


# --- signals and stdin commands --------------------------------------------------------------

def call_a_peer_that_rings_then_says_nothing():
    """A caller, and a UDP socket that answers its INVITE with 180 and ignores everything after."""
    silent = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    silent.bind(("127.0.0.1", 0))
    silent.settimeout(5)
    c = caller(silent.getsockname()[1])
    invite, peer = silent.recvfrom(65535)
    headers = invite.decode().split("\r\n\r\n", 1)[0].split("\r\n")[1:]
    contact = f"Contact: <sip:silent@127.0.0.1:{silent.getsockname()[1]}>"
    silent.sendto(Challenger.response(headers, "180 Ringing", [contact]).encode(), peer)
    c.wait_event("ringing")
    return silent, c


def case_second_sigint_exits_at_once():
    # The CANCEL of the first SIGINT gets no answer.
    silent, c = call_a_peer_that_rings_then_says_nothing()
    try:
        c.p.send_signal(signal.SIGINT)
        time.sleep(0.5)
        assert c.p.poll() is None, "the first SIGINT should wait (bounded) for the calls to end"
        start = time.monotonic()
        c.p.send_signal(signal.SIGINT)
        c.wait(timeout=5)
        assert time.monotonic() - start < 1.0, time.monotonic() - start
        assert c.wait_event("ended")["status"] == 487, c.events()
    finally:
        silent.close()


def case_sigint_or_quit_before_the_answer_exits_3():
    """A call cancelled before the answer did not succeed: exit 3 (no answer), as for 487."""
    lis = listener()   # rings, never answers
    try:
        port = lis.port()
        by_signal = caller(port)
        by_signal.wait_event("ringing")
        by_signal.p.send_signal(signal.SIGINT)
        assert by_signal.wait() == 3, (by_signal.names(), by_signal.stderr())
        assert by_signal.wait_event("ended")["status"] == 487
        by_quit = Proc(["--null-audio", "--listen", "127.0.0.1:0", "--rtp-ports", rtp_ports(), "call",
                        f"sip:bob@127.0.0.1:{port}"], stdin=subprocess.PIPE)
        by_quit.wait_event("ringing")
        by_quit.p.stdin.write(b"quit\n")
        by_quit.p.stdin.flush()
        assert by_quit.wait() == 3, (by_quit.names(), by_quit.stderr())
        assert by_quit.wait_event("ended")["status"] == 487
    finally:
        lis.stop()


def case_sigint_after_the_answer_exits_0():
    lis = listener("--auto-answer")
    try:
        c = caller(lis.port())
        c.wait_event("answered")
        c.p.send_signal(signal.SIGINT)
        assert c.wait() == 0, (c.names(), c.stderr())
        assert c.wait_event("ended")["by_peer"] is False
    finally:
        lis.stop()


def case_cancel_without_response_still_ends_the_call():
    silent, c = call_a_peer_that_rings_then_says_nothing()
    try:
        c.p.send_signal(signal.SIGTERM)
        assert c.wait(timeout=10) == 3, (c.names(), c.stderr())
        ended = c.wait_event("ended")
        assert ended["status"] == 487 and ended["network_failure"] is True and "CANCEL" in ended["reason"], ended
    finally:
        silent.close()


def case_transfer_by_stdin_moves_the_caller_to_the_target():
    target = listener("--auto-answer", "--hangup-after", "0.5", "--exit-after", "1")
    transferor = listener("--auto-answer", stdin=subprocess.PIPE)
    try:
        c = caller(transferor.port(), "--duration", "10")
        transferor.wait_event("answered")
        c.wait_event("answered")
        time.sleep(0.3)   # REFER needs the confirmed dialog: let the caller's ACK arrive
        transferor.p.stdin.write(f"transfer sip:carol@127.0.0.1:{target.port()}\n".encode())
        transferor.p.stdin.flush()
        moved = c.wait_event("transfer")
        assert moved["target"] == f"sip:carol@127.0.0.1:{target.port()}", moved
        assert target.wait_event("answered")
        progress = transferor.wait_event("transfer_progress", final=True)
        assert progress["status"] == 200, progress
        # The transferor leaves; the caller stays in the new call until the target hangs up.
        assert transferor.wait_event("ended", call=progress["call"])
        assert c.wait() == 0, (c.names(), c.stderr())
        assert target.wait() == 0
        assert [e["call"] for e in c.events() if e["event"] == "ended"][-1] == moved["new_call"]
    finally:
        transferor.stop()
        target.stop()


def case_mute_by_stdin_silences_what_the_far_end_hears():
    tone = os.path.join(WORK, "mute-tone.wav")
    write_tone(tone, freq=1000.0, seconds=5)
    rec = os.path.join(WORK, "muted.wav")
    lis = listener("--auto-answer", "--play", tone, stdin=subprocess.PIPE)
    try:
        c = caller(lis.port(), "--record", rec, "--duration", "2.2", "--codecs", "pcmu")
        lis.wait_event("answered")
        time.sleep(1.0)
        lis.p.stdin.write(b"mute\n")
        lis.p.stdin.flush()
        assert c.wait() == 0, (c.names(), c.stderr())
        assert "error" not in lis.names(), lis.events()
        rate, samples = read_wav(rec)
        before = samples[int(0.3 * rate):int(0.7 * rate)]
        after = samples[-int(0.6 * rate):-int(0.1 * rate)]
        assert goertzel_power(before, rate, 1000) > 1000 * max(goertzel_power(after, rate, 1000), 1.0), \
            "the tone went on after mute"
    finally:
        lis.stop()


def case_hold_and_resume_by_stdin_reach_both_sides():
    lis = listener("--auto-answer", stdin=subprocess.PIPE)
    try:
        c = caller(lis.port(), "--duration", "10")
        c.wait_event("answered")
        time.sleep(0.3)   # a re-INVITE needs the confirmed dialog: let the ACK arrive
        lis.p.stdin.write(b"hold\n")
        lis.p.stdin.flush()
        assert lis.wait_event("hold")["local"] is True
        assert c.wait_event("hold")["remote"] is True
        lis.p.stdin.write(b"resume\n")
        lis.p.stdin.flush()
        assert c.wait_event("resume")["remote"] is False
        lis.p.stdin.write(b"hangup\n")
        lis.p.stdin.flush()
        assert c.wait() == 0, (c.names(), c.stderr())
        assert "error" not in lis.names(), lis.events()
    finally:
        lis.stop()


def case_stdin_call_and_message_from_a_listener():
    callee = listener("--auto-answer", "--hangup-after", "0.5")
    lis = listener(stdin=subprocess.PIPE)
    try:
        port = callee.port()
        lis.port()
        lis.p.stdin.write(f"message sip:bob@127.0.0.1:{port} hello from stdin\ncall sip:bob@127.0.0.1:{port}\n"
                          .encode())
        lis.p.stdin.flush()
        assert callee.wait_event("message")["text"] == "hello from stdin"
        assert lis.wait_event("message_sent")["status"] == 200
        lis.wait_event("answered")
        assert lis.wait_event("ended")["by_peer"] is True
    finally:
        lis.stop()
        callee.stop()


def case_stdin_hangup_by_id_ends_that_call_only():
    lis = listener(stdin=subprocess.PIPE)   # rings; answers only when told
    try:
        port = lis.port()
        first = caller(port)
        lis.wait_event("incoming", call=1)
        second = caller(port)
        lis.wait_event("incoming", call=2)
        lis.p.stdin.write(b"hangup 1\n")
        lis.p.stdin.flush()
        assert first.wait() != 0, (first.names(), first.stderr())   # refused before the answer
        assert lis.wait_event("ended", call=1)
        assert second.p.poll() is None and "ended" not in second.names(), second.names()
        lis.p.stdin.write(b"answer 2\n")
        lis.p.stdin.flush()
        second.wait_event("answered")
        lis.p.stdin.write(b"hangup 2\nhangup 7\n")
        lis.p.stdin.flush()
        assert second.wait() == 0, (second.names(), second.stderr())
        assert second.wait_event("ended")["by_peer"] is True
        assert lis.wait_event("error")["message"] == "no call 7"
    finally:
        lis.stop()


def case_stdin_closed_does_not_end_the_process():
    lis = listener("--auto-answer", "--exit-after", "1", stdin=subprocess.PIPE)
    try:
        port = lis.port()
        lis.p.stdin.close()   # end of input: the listener goes on
        c = Proc(["--null-audio", "--listen", "127.0.0.1:0", "--rtp-ports", rtp_ports(), "call",
                  f"sip:bob@127.0.0.1:{port}", "--duration", "1"], stdin=subprocess.PIPE)
        c.p.stdin.close()     # and so does the caller
        assert c.wait() == 0, (c.names(), c.stderr())
        ended = c.wait_event("ended")
        assert ended["by_peer"] is False and ended["duration_ms"] >= 900, ended
        assert lis.wait() == 0, (lis.names(), lis.stderr())
    finally:
        lis.stop()


def case_sigterm_on_listen_during_a_call_ends_it_and_finalises_the_recording():
    rec_dir = os.path.join(WORK, "sigterm-listen")
    os.makedirs(rec_dir, exist_ok=True)
    tone = os.path.join(WORK, "sigterm-listen-tone.wav")
    write_tone(tone, seconds=10)
    lis = listener("--auto-answer", "--record-dir", rec_dir)
    try:
        c = caller(lis.port(), "--play", tone, "--codecs", "pcmu")
        lis.wait_event("answered")
        time.sleep(1.5)
        lis.p.send_signal(signal.SIGTERM)
        assert lis.wait() == 0, (lis.names(), lis.stderr())
        assert lis.wait_event("ended")["by_peer"] is False
        assert c.wait() == 0, (c.names(), c.stderr())
        assert c.wait_event("ended")["by_peer"] is True
        files = os.listdir(rec_dir)
        assert len(files) == 1, files
        rate, samples = read_wav(os.path.join(rec_dir, files[0]))   # a valid header: finalised
        assert len(samples) > rate, len(samples)
        mid = samples[len(samples) // 2: len(samples) // 2 + rate // 4]
        assert goertzel_power(mid, rate, 1000) > 100 * goertzel_power(mid, rate, 1500), "no tone recorded"
    finally:
        lis.stop()


def case_register_refreshes_until_sigint_then_unregisters():
    server = Challenger("biloxi.example", "alice", "secret")
    try:
        p = Proc(["--null-audio", "--listen", "127.0.0.1:0", "--id", "sip:alice@127.0.0.1", "--registrar",
                  f"sip:127.0.0.1:{server.port}", "--password", "secret", "register"])
        p.wait_event("registered")
        p.p.send_signal(signal.SIGINT)
        assert p.wait() == 0, (p.names(), p.stderr())
        assert p.wait_event("unregistered")
        assert re.search(r"^Expires: 0", server.authorized()[-1], re.M | re.I), server.authorized()[-1]
    finally:
        server.close()


# --- transports, limits, accounts ------------------------------------------------------------

def case_tcp_only_call():
    lis = Proc(["--null-audio", "--no-udp", "--transport", "tcp", "--listen", "127.0.0.1:0", "--rtp-ports",
                rtp_ports(), "listen", "--auto-answer", "--exit-after", "1"])
    try:
        address = lis.wait_event("listening", transport="tcp")["address"]
        assert [e["transport"] for e in lis.events() if e["event"] == "listening"] == ["tcp"]
        port = address.rsplit(":", 1)[1]
        c = Proc(["--null-audio", "--transport", "tcp", "--listen", "127.0.0.1:0", "--rtp-ports", rtp_ports(),
                  "call", f"sip:bob@127.0.0.1:{port};transport=tcp", "--duration", "0.5"])
        assert c.wait() == 0, (c.names(), c.stderr())
        assert lis.wait() == 0
    finally:
        lis.stop()


def case_tcp_registration_flow_gets_crlf_keepalives():
    """RFC 5626 §4.4.1: our TCP connection to the registrar is pinged every 20-25 s."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    server.settimeout(10)
    port = server.getsockname()[1]
    p = Proc(["--null-audio", "--transport", "tcp", "--listen", "127.0.0.1:0", "--id", "sip:alice@127.0.0.1",
              "--registrar", f"sip:127.0.0.1:{port};transport=tcp", "register"])
    try:
        conn, _ = server.accept()
        conn.settimeout(30)
        data = b""
        while b"\r\n\r\n" not in data:
            data += conn.recv(65536)
        registered_at = time.monotonic()
        request = data.decode()
        assert request.startswith("REGISTER "), request
        headers = request.split("\r\n\r\n", 1)[0].split("\r\n")[1:]
        contact = next(h for h in headers if h.lower().startswith(("contact:", "m:")))
        ok = Challenger.response(headers, "200 OK", ["Expires: 3600", contact])
        conn.sendall(ok.encode())
        p.wait_event("registered")
        ping = b""
        while b"\r\n\r\n" not in ping:
            chunk = conn.recv(64)
            assert chunk, "the connection closed instead of pinging"
            ping += chunk
        elapsed = time.monotonic() - registered_at
        assert ping == b"\r\n\r\n", ping
        assert 19.5 <= elapsed <= 26.5, elapsed
        conn.sendall(b"\r\n")   # the pong
        time.sleep(0.3)
        assert p.p.poll() is None and "registration_failed" not in p.names(), (p.names(), p.stderr())
        conn.close()
    finally:
        p.stop()
        server.close()


def case_max_calls_refuses_the_call_beyond_the_limit_with_486():
    lis = listener("--max-calls", "1")   # rings, never answers
    try:
        port = lis.port()
        first = caller(port, "--ring-timeout", "5")
        lis.wait_event("incoming")
        second = caller(port)
        assert second.wait() == 4, (second.names(), second.stderr())
        assert second.wait_event("ended")["status"] == 486
        first.stop()
    finally:
        lis.stop()


def case_account_from_the_config_file():
    config = os.path.join(WORK, "accounts.toml")
    with open(config, "w") as f:
        f.write('account = "work"\n[account.work]\nid = "sip:alice@127.0.0.1"\ncodecs = ["pcma"]\n'
                '[account.home]\nid = "sip:carol@127.0.0.1"\n')
    lis = listener("--auto-answer", "--exit-after", "2")
    try:
        port = lis.port()
        for extra, who, codec in (([], "sip:alice@127.0.0.1", "pcma"), (["-a", "home"], "sip:carol@127.0.0.1", "opus")):
            c = Proc(["-c", config] + extra + ["--null-audio", "--listen", "127.0.0.1:0", "--rtp-ports", rtp_ports(),
                                               "call", f"sip:bob@127.0.0.1:{port}", "--duration", "0.3"])
            assert c.wait() == 0, (c.names(), c.stderr())
            assert c.wait_event("answered")["codec"] == codec
            assert [e["from"] for e in lis.events() if e["event"] == "incoming"][-1] == who
        r = run(["-c", config, "-a", "office", "devices"])
        assert r.returncode == 1 and "[account.office]" in r.stderr, r.stderr
    finally:
        lis.stop()


def case_100rel_and_session_timer_reach_the_wire():
    lis = listener("--auto-answer", "--exit-after", "2")
    try:
        port = lis.port()
        c = caller(port, "--100rel", "required", "--session-timer", "required", "--sip-trace", "--duration", "0.3")
        assert c.wait() == 0, (c.names(), c.stderr())
        trace = c.stderr()   # --sip-trace without a file: stderr
        invite = trace[trace.index("\nINVITE sip:"):]
        invite = invite[:invite.index("\n\n")]   # (read as text: CRLF became LF)
        assert re.search(r"^Require: .*100rel", invite, re.M) and re.search(r"^Require: .*timer", invite, re.M), invite
        assert re.search(r"^Session-Expires: \d+", invite, re.M), invite
        assert "\nPRACK sip:" in trace, "no PRACK for the reliable 180"
        c = caller(port, "--session-timer", "off", "--100rel", "off", "--sip-trace", "--duration", "0.3")
        assert c.wait() == 0, (c.names(), c.stderr())
        assert "Session-Expires" not in c.stderr() and "\nPRACK sip:" not in c.stderr()
    finally:
        lis.stop()


def case_devices_lists_devices_or_says_there_are_none():
    # ALSA's plugins leak when PortAudio unloads them (see tests/loopback/media_device_test.cpp):
    # not ours to report, so the sanitizer's leak check is off for this one process.
    env = dict(os.environ, XDG_CONFIG_HOME=os.path.join(WORK, "no-config"))
    env["ASAN_OPTIONS"] = (env.get("ASAN_OPTIONS", "") + ":detect_leaks=0").lstrip(":")
    r = subprocess.run([BINARY, "devices"], capture_output=True, text=True, timeout=20, env=env,
                       stdin=subprocess.DEVNULL)
    assert r.returncode == 0, r
    lines = r.stdout.splitlines()
    assert lines == ["no audio devices (use --null-audio, --play and --record)"] or \
        all(re.match(r"\s*\d+  .* in:\d+ out:\d+ \d+ Hz$", line) for line in lines), r.stdout


def case_hangup_after_play():
    tone = os.path.join(WORK, "short.wav")
    write_tone(tone, seconds=0.5)
    lis = listener("--auto-answer", "--exit-after", "1")
    try:
        c = caller(lis.port(), "--play", tone, "--hangup-after-play")
        assert c.wait() == 0, (c.names(), c.stderr())
        answered, ended = c.wait_event("answered"), c.wait_event("ended")
        assert ended["by_peer"] is False and event_time(ended) - event_time(answered) < 3, (answered, ended)
        r = run(["call", "sip:a@127.0.0.1", "--hangup-after-play"])
        assert r.returncode == 1 and "--play" in r.stderr, r.stderr
    finally:
        lis.stop()


def case_rfc4733_dtmf_sent_when_it_goes_out_and_comma_pauses_a_second():
    lis = listener("--auto-answer", "--exit-after", "1")
    try:
        c = caller(lis.port(), "--duration", "3", "--send-dtmf", "12,3", "--dtmf-delay", "200", "--dtmf", "rfc4733")
        assert c.wait() == 0, (c.names(), c.stderr())
        assert lis.wait() == 0
        sent = [e for e in c.events() if e["event"] == "dtmf_sent"]
        assert [(e["digit"], e["method"]) for e in sent] == [("1", "rfc4733"), ("2", "rfc4733"), ("3", "rfc4733")], sent
        received = [e["digit"] for e in lis.events() if e["event"] == "dtmf"]
        assert received == ["1", "2", "3"], received
        t1, t2, t3 = (event_time(e) for e in sent)
        # "1" and "2" are queued together; "2" goes out once "1" (160 ms and its end packets) is done.
        assert 0.05 <= t2 - t1 < 1.0, (t1, t2)
        # ',' waits one second between the groups.
        assert 0.8 <= t3 - t1 < 2.5, (t1, t3)
    finally:
        lis.stop()


# --- option parsing --------------------------------------------------------------------------

def case_sip_trace_value_attaches_only_with_equals():
    trace = os.path.join(WORK, "trace-equals.txt")
    lis = listener("--auto-answer", "--exit-after", "2")
    try:
        port = lis.port()
        # Bare flag before the URI: the URI stays the call's, the trace goes to stderr.
        bare = Proc(["--null-audio", "--listen", "127.0.0.1:0", "--rtp-ports", rtp_ports(), "call", "--sip-trace",
                     f"sip:bob@127.0.0.1:{port}", "--duration", "0.3"])
        assert bare.wait() == 0, (bare.names(), bare.stderr())
        assert f"\nINVITE sip:bob@127.0.0.1:{port} SIP/2.0" in bare.stderr(), bare.stderr()[:300]
        attached = Proc(["--null-audio", "--listen", "127.0.0.1:0", "--rtp-ports", rtp_ports(), "call",
                         f"--sip-trace={trace}", f"sip:bob@127.0.0.1:{port}", "--duration", "0.3"])
        assert attached.wait() == 0, (attached.names(), attached.stderr())
        assert f"\nINVITE sip:bob@127.0.0.1:{port} SIP/2.0" in open(trace).read()
        assert "INVITE" not in attached.stderr(), attached.stderr()
    finally:
        lis.stop()


def case_header_refuses_the_headers_dialtone_writes():
    for name in ("Call-ID", "via", "From", "To", "CSeq", "Content-Length", "Contact", "Max-Forwards", "i", "m"):
        r = run(["--null-audio", "--listen", "127.0.0.1:0", "call", "sip:a@127.0.0.1:9", "--header", f"{name}: x"])
        assert r.returncode == 1 and r.stderr.count("\n") == 1, (name, r)
        assert f"'{name}' is written by dialtone" in r.stderr, r.stderr
    lis = listener("--auto-answer", "--exit-after", "1")
    try:   # any other header still goes out
        c = caller(lis.port(), "--header", "Subject: hello", "--sip-trace", "--duration", "0.3")
        assert c.wait() == 0, (c.names(), c.stderr())
        assert "\nSubject: hello\n" in c.stderr(), c.stderr()[:500]
    finally:
        lis.stop()


def case_listen_record_takes_one_call():
    rec = os.path.join(WORK, "listen-one.wav")
    r = run(["--null-audio", "--listen", "127.0.0.1:0", "--record", rec, "listen", "--auto-answer"])
    assert r.returncode == 1 and r.stderr.count("\n") == 1 and "--record-dir" in r.stderr, r
    r = run(["--null-audio", "--listen", "127.0.0.1:0", "--record", rec, "listen", "--exit-after", "2"])
    assert r.returncode == 1 and "--exit-after 1" in r.stderr, r
    tone = os.path.join(WORK, "listen-one-tone.wav")
    write_tone(tone, seconds=3)
    lis = Proc(["--null-audio", "--listen", "127.0.0.1:0", "--rtp-ports", rtp_ports(), "--record", rec, "listen",
                "--auto-answer", "--exit-after", "1"])
    try:
        port = lis.port()
        first = caller(port, "--play", tone, "--duration", "1.5", "--codecs", "pcmu")
        lis.wait_event("answered")
        second = caller(port)   # meanwhile: refused, it would have overwritten the file
        assert second.wait() == 4, (second.names(), second.stderr())
        assert first.wait() == 0, (first.names(), first.stderr())
        assert lis.wait() == 0, (lis.names(), lis.stderr())
        rate, samples = read_wav(rec)
        mid = samples[len(samples) // 4: len(samples) // 4 + rate // 4]
        assert goertzel_power(mid, rate, 1000) > 100 * goertzel_power(mid, rate, 1500), "the first call's tone"
    finally:
        lis.stop()


# --- the media module --------------------------------------------------------------------------
# oRTP, PortAudio, libsndfile and libsrtp2 live in dialtone-media.so, loaded on first use; the
# binary finds it beside itself (the build tree), in $DIALTONE_MODULE_DIR or where it is installed.

MEDIA_LIBRARIES = ("dialtone-media.so", "libortp", "libportaudio", "libsndfile", "libsrtp2", "libbctoolbox")


def loaded_media_libraries(pid):
    with open(f"/proc/{pid}/maps") as f:
        maps = f.read()
    return [name for name in MEDIA_LIBRARIES if name in maps]


def binary_without_module():
    """A copy of the binary in a folder of its own: no module beside it, nor (in a build tree
    that was never installed) where it would be installed."""
    folder = os.path.join(WORK, "no-module")
    path = os.path.join(folder, "dialtone")
    if not os.path.exists(path):
        os.makedirs(folder, exist_ok=True)
        shutil.copy2(BINARY, path)
    return path


def run_binary(binary, args, env=None, timeout=10.0):
    environment = dict(os.environ, XDG_CONFIG_HOME=os.path.join(WORK, "no-config"))
    environment.update(env or {})
    return subprocess.run([binary] + args, capture_output=True, text=True, timeout=timeout, env=environment,
                          stdin=subprocess.DEVNULL)


def case_registered_and_idle_the_media_module_is_never_loaded():
    server = Challenger("biloxi.example", "alice", "secret")
    procs = []
    try:
        account = ["--null-audio", "--listen", "127.0.0.1:0", "--no-tcp", "--id", "sip:alice@127.0.0.1",
                   "--registrar", f"sip:127.0.0.1:{server.port}", "--password", "secret"]
        tone = os.path.join(WORK, "idle-tone.wav")
        write_tone(tone, seconds=0.5)
        procs = [Proc(account + ["register"]), Proc(account + ["--rtp-ports", rtp_ports(), "listen"]),
                 Proc(account + ["--rtp-ports", rtp_ports(), "--play", tone, "listen", "--auto-answer"])]
        for p in procs:
            p.wait_event("registered")
            assert loaded_media_libraries(p.p.pid) == [], (p.args, loaded_media_libraries(p.p.pid))
        for p in procs:
            p.p.send_signal(signal.SIGINT)
            assert p.wait() == 0, (p.names(), p.stderr())
    finally:
        for p in procs:
            p.stop()
        server.close()


def case_register_options_and_message_work_without_the_media_module():
    server = Challenger("biloxi.example", "alice", "secret")
    binary = binary_without_module()
    try:
        common = ["--null-audio", "--listen", "127.0.0.1:0", "--id", "sip:alice@127.0.0.1", "--password", "secret"]
        r = run_binary(binary, common + ["--registrar", f"sip:127.0.0.1:{server.port}", "register", "--once"])
        assert r.returncode == 0 and '"event":"registered"' in r.stdout, r
        r = run_binary(binary, common + ["options", f"sip:127.0.0.1:{server.port}"])
        assert r.returncode == 0, r
        r = run_binary(binary, common + ["message", f"sip:bob@127.0.0.1:{server.port}", "hello"])
        assert r.returncode == 0, r
    finally:
        server.close()


def case_missing_media_module_is_a_one_line_error_and_exit_1():
    binary = binary_without_module()
    for args in (["--null-audio", "--listen", "127.0.0.1:0", "call", "sip:a@127.0.0.1:9"],
                 ["--null-audio", "--listen", "127.0.0.1:0", "listen"],
                 ["devices"]):
        r = run_binary(binary, args, env={"DIALTONE_MODULE_DIR": os.path.join(WORK, "nowhere")})
        assert r.returncode == 1 and r.stderr.count("\n") == 1, (args, r)
        assert "media module dialtone-media.so not found in " + os.path.join(WORK, "nowhere") + ", " + \
            os.path.dirname(binary) in r.stderr, r.stderr


def case_broken_media_module_is_a_one_line_error_and_exit_1():
    # $DIALTONE_MODULE_DIR comes before the module beside the binary.
    folder = os.path.join(WORK, "broken-module")
    os.makedirs(folder, exist_ok=True)
    module = os.path.join(folder, "dialtone-media.so")
    with open(module, "w") as f:
        f.write("not a shared object\n")
    target = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)   # takes the INVITE sent meanwhile
    target.bind(("127.0.0.1", 0))
    try:
        r = run_binary(BINARY, ["--null-audio", "--listen", "127.0.0.1:0", "--no-tcp", "call",
                                f"sip:a@127.0.0.1:{target.getsockname()[1]}"],
                       env={"DIALTONE_MODULE_DIR": folder})
    finally:
        target.close()
    assert r.returncode == 1 and r.stderr.count("\n") == 1, r
    assert r.stderr.startswith(f"dialtone: cannot load media module {module}: "), r.stderr


def case_srtp_mandatory_calling_a_plain_listener_gets_488_exit_7_and_says_why():
    lis = listener("--auto-answer")
    try:
        c = caller(lis.port(), "--srtp", "mandatory")
        assert c.wait() == 7, (c.names(), c.stderr())
        ended = c.wait_event("ended")
        assert ended["status"] == 488 and ended["by_peer"] is True, ended
        assert ended["reason"] == "Not Acceptable Here (RTP/SAVP offered but SRTP is off)", ended
        errors = [line for line in c.stderr().splitlines() if "media not agreed" in line]
        assert len(errors) == 1 and "488 Not Acceptable Here (RTP/SAVP offered but SRTP is off)" in errors[0], \
            c.stderr()
        assert "answered" not in c.names() and "incoming" not in lis.names(), (c.names(), lis.names())
    finally:
        lis.stop()


def case_a_device_index_too_large_is_a_one_line_error():
    for opt in ("--capture-dev", "--playback-dev"):
        r = run([opt, "99999999999", "call", "sip:a@127.0.0.1:9"])
        assert r.returncode == 1, r
        lines = r.stderr.strip().splitlines()
        assert len(lines) == 1 and "audio device index 99999999999 is out of range" in lines[0], r.stderr


def case_a_bad_record_path_fails_before_the_call():
    lis = listener("--auto-answer")
    try:
        bad = os.path.join(WORK, "no-such-dir", "call.wav")
        c = caller(lis.port(), "--record", bad, "--duration", "1")
        assert c.wait() == 1, (c.names(), c.stderr())
        assert "invite" not in c.stderr().lower() and "answered" not in c.names(), c.names()
        lines = c.stderr().strip().splitlines()
        assert len(lines) == 1 and bad in lines[0], c.stderr()
        assert not [e for e in lis.events() if e["event"] == "incoming"], lis.names()
    finally:
        lis.stop()


def srtp_call(caller_suites, listener_suites, expected_suite):
    lis = listener("--auto-answer", "--exit-after", "1", "--srtp", "mandatory", *listener_suites)
    try:
        c = caller(lis.port(), "--srtp", "mandatory", "--duration", "1", "--codecs", "pcmu", *caller_suites)
        assert c.wait() == 0, (c.names(), c.stderr())
        assert lis.wait() == 0, (lis.names(), lis.stderr())
        for side in (c, lis):
            assert side.wait_event("answered")["srtp"] == expected_suite, (expected_suite, side.events())
            # Packets that fail authentication are dropped before they are counted.
            stats = side.wait_event("stats", final=True)
            assert stats["packets_received"] > 20, stats
    finally:
        lis.stop()


def case_srtp_mandatory_both_ends_report_the_suite_in_answered():
    srtp_call([], [], "AES_CM_128_HMAC_SHA1_80")  # the default order puts it first
    srtp_call(["--srtp-suites", "aead_aes_256_gcm,aes_cm_128_hmac_sha1_80"], [], "AEAD_AES_256_GCM")
    srtp_call([], ["--srtp-suites", "aes_cm_128_hmac_sha1_32"], "AES_CM_128_HMAC_SHA1_32")


if __name__ == "__main__":
    sys.exit(run_cases(globals()))
