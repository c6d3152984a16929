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

from cli_harness import (WORK, Proc, caller, goertzel_power, listener, read_wav, rtp_ports, run, run_cases,
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


if __name__ == "__main__":
    sys.exit(run_cases(globals()))
