#!/usr/bin/env python3
"""Command-line tests of the real dialtone binary: two processes on 127.0.0.1 — option errors,
exit codes, event sequences, DTMF, stdin commands, signals, the interactive mode.

Usage: cli_test.py PATH/TO/dialtone [CASE...]
"""
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time

from cli_harness import (BINARY, WORK, Proc, caller, goertzel_power, in_order, listener, read_wav, rtp_ports, run,
                         run_cases, write_tone)



def case_option_error_is_one_line_and_exit_1():
    r = run(["call", "sip:a@127.0.0.1", "--frobnicate"])
    assert r.returncode == 1, r
    assert r.stdout == "", r.stdout
    assert r.stderr.count("\n") == 1 and "--frobnicate" in r.stderr, r.stderr
    r = run(["--srtp", "maybe", "devices"])
    assert r.returncode == 1 and "--srtp" in r.stderr and r.stderr.count("\n") == 1, r.stderr


def case_help_of_every_command():
    for cmd in ([], ["call"], ["listen"], ["register"], ["message"], ["options"], ["devices"]):
        r = run(cmd + ["--help"])
        assert r.returncode == 0, (cmd, r.stderr)
        assert "Usage" in r.stdout or "usage" in r.stdout.lower(), r.stdout[:200]
    assert run(["--version"]).stdout.startswith("dialtone ")


def case_unknown_config_key_names_key_and_file():
    path = os.path.join(WORK, "bad.toml")
    with open(path, "w") as f:
        f.write('[account.work]\nid = "sip:a@example.com"\ncodec = "pcmu"\n')
    r = run(["-c", path, "devices"])
    assert r.returncode == 1, r
    assert f"unknown key 'codec' in [account.work] of {path}:3" in r.stderr, r.stderr


def case_call_with_tone_and_info_dtmf():
    tone = os.path.join(WORK, "tone.wav")
    write_tone(tone)
    rec_dir = os.path.join(WORK, "rec")
    os.makedirs(rec_dir, exist_ok=True)
    lis = listener("--auto-answer", "--exit-after", "1", "--record-dir", rec_dir)
    try:
        c = caller(lis.port(), "--play", tone, "--duration", "2", "--send-dtmf", "1#", "--dtmf-delay", "300",
                   "--dtmf", "info", "--codecs", "pcmu")
        assert c.wait() == 0, (c.names(), c.stderr())
        assert lis.wait() == 0, (lis.names(), lis.stderr())
        assert in_order(c.names(), ["listening", "answered", "dtmf_sent", "dtmf_sent", "ended"]), c.names()
        ans = c.wait_event("answered")
        assert ans["codec"] == "pcmu" and ans["srtp"] is None, ans
        assert in_order(lis.names(), ["listening", "incoming", "answered", "dtmf", "dtmf", "ended"]), lis.names()
        digits = [(e["digit"], e["method"]) for e in lis.events() if e["event"] == "dtmf"]
        assert digits == [("1", "info"), ("#", "info")], digits
        ended = lis.wait_event("ended")
        assert ended["by_peer"] is True and ended["status"] == 200, ended
        files = os.listdir(rec_dir)
        assert len(files) == 1, files
        rate, samples = read_wav(os.path.join(rec_dir, files[0]))
        assert len(samples) > rate, len(samples)
        mid = samples[len(samples) // 4: len(samples) // 4 + rate // 2]
        p1000 = goertzel_power(mid, rate, 1000)
        assert p1000 > 100 * goertzel_power(mid, rate, 1500), "the far-end recording has no 1 kHz tone"
        assert p1000 > 100 * goertzel_power(mid, rate, 700)
    finally:
        lis.stop()


def case_call_with_registrar_neither_registers_nor_reports_unregistered():
    """Only `listen` and `register` register; a `call` has no binding to remove or report."""
    registrar = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    registrar.bind(("127.0.0.1", 0))
    lis = listener("--auto-answer", "--exit-after", "1")
    try:
        c = Proc(["--null-audio", "--listen", "127.0.0.1:0", "--rtp-ports", rtp_ports(), "--id", "sip:bob@127.0.0.1",
                  "--registrar", f"sip:127.0.0.1:{registrar.getsockname()[1]}", "call",
                  f"sip:alice@127.0.0.1:{lis.port()}", "--duration", "1"])
        assert c.wait() == 0, (c.names(), c.stderr())
        assert c.wait_event("ended")["by_peer"] is False
        assert "unregistered" not in c.names() and "registered" not in c.names(), c.names()
        registrar.setblocking(False)
        try:
            data = registrar.recv(65536)
            raise AssertionError(f"the registrar got {data[:40]!r}")
        except BlockingIOError:
            pass
    finally:
        lis.stop()
        registrar.close()


def exit_code_case(answer_code, expected_exit, expected_status):
    lis = listener("--auto-answer", "--answer-code", str(answer_code), "--exit-after", "1")
    try:
        c = caller(lis.port())
        rc = c.wait()
        assert rc == expected_exit, (answer_code, rc, c.names(), c.stderr())
        assert c.wait_event("ended")["status"] == expected_status
        assert lis.wait() == 0
    finally:
        lis.stop()


def case_exit_code_4_busy():
    exit_code_case(486, 4, 486)


def case_exit_code_5_rejected():
    exit_code_case(603, 5, 603)


def case_exit_code_7_media_not_agreed():
    exit_code_case(488, 7, 488)


def case_exit_code_7_srtp_required_against_plain_rtp():
    lis = Proc(["--null-audio", "--listen", "127.0.0.1:0", "--rtp-ports", rtp_ports(), "--srtp", "off", "listen",
                "--auto-answer"])
    try:
        c = caller(lis.port(), "--srtp", "mandatory")
        assert c.wait() == 7, (c.names(), c.stderr())
        ended = c.wait_event("ended")
        assert ended["status"] == 488 and ended["by_peer"] is True, ended
        assert ended["answered_at"] is None and ended["duration_ms"] is None, ended
    finally:
        lis.stop()


def case_ended_says_when_the_call_was_answered_and_how_long_it_lasted():
    lis = listener("--auto-answer", "--exit-after", "1")
    try:
        c = caller(lis.port(), "--duration", "1")
        assert c.wait() == 0, (c.names(), c.stderr())
        assert lis.wait() == 0
        for p in (c, lis):
            answered, ended = p.wait_event("answered"), p.wait_event("ended")
            assert ended["answered_at"] == answered["time"], (answered, ended)
            assert 900 <= ended["duration_ms"] < 3000, ended
    finally:
        lis.stop()


def case_exit_code_3_no_answer_on_480():
    exit_code_case(480, 3, 480)


def case_exit_code_6_forbidden_by_allowlist():
    lis = listener("--auto-answer", "--allow", "sip:*@trusted.example", "--exit-after", "1")
    try:
        c = caller(lis.port())
        assert c.wait() == 6, (c.names(), c.stderr())
        assert c.wait_event("ended")["status"] == 403
    finally:
        lis.stop()


def case_exit_code_3_ring_timeout():
    lis = listener()   # no --auto-answer: it rings until the caller gives up
    try:
        c = caller(lis.port(), "--ring-timeout", "1")
        assert c.wait() == 3, (c.names(), c.stderr())
        assert "ringing" in c.names()
    finally:
        lis.stop()


def case_exit_code_2_tcp_connection_refused_at_once():
    # A bound TCP socket that never listens: every connect to it is refused (RST), and no other
    # process can take the port while the case runs.
    closed = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
        start = time.monotonic()
        c = Proc(["--null-audio", "--listen", "127.0.0.1:0", "--rtp-ports", rtp_ports(), "--transport", "tcp",
                  "call", f"sip:bob@127.0.0.1:{port}"])
        rc = c.wait(timeout=20)
        elapsed = time.monotonic() - start
        assert rc == 2, (rc, c.names(), c.stderr())
        ended = c.wait_event("ended")
        assert ended["status"] == 503 and ended["network_failure"] is True, ended
        assert "refused" in ended["reason"].lower(), ended
        assert "Connection refused" in c.stderr(), c.stderr()
        # Timer B would end it only after 32 s; the refusal ends it as soon as it arrives.
        assert elapsed < 5, elapsed
    finally:
        closed.close()


def case_exit_code_1_bad_play_file():
    r = run(["--null-audio", "--listen", "127.0.0.1:0", "call", "sip:a@127.0.0.1:9", "--play", "/nonexistent.wav"])
    assert r.returncode == 1 and r.stderr.count("\n") == 1 and "/nonexistent.wav" in r.stderr, r


def case_stdin_answer_and_hangup():
    lis = listener(stdin=subprocess.PIPE)
    try:
        c = caller(lis.port())
        inc = lis.wait_event("incoming")
        lis.p.stdin.write(f"answer {inc['call']}\n".encode())
        lis.p.stdin.flush()
        c.wait_event("answered")
        lis.p.stdin.write(b"dtmf 7\n")
        lis.p.stdin.flush()
        c.wait_event("dtmf", digit="7")
        lis.p.stdin.write(b"hangup\nquit\n")
        lis.p.stdin.flush()
        assert c.wait() == 0, c.names()
        assert c.wait_event("ended")["by_peer"] is True
        assert lis.wait() == 0
    finally:
        lis.stop()


def case_sigterm_finalises_the_recording():
    lis = listener("--auto-answer", "--echo")
    rec = os.path.join(WORK, "sigterm.wav")
    tone = os.path.join(WORK, "tone440.wav")
    write_tone(tone, freq=440.0, seconds=10)
    try:
        c = caller(lis.port(), "--play", tone, "--record", rec)
        c.wait_event("answered")
        time.sleep(1.5)
        c.p.send_signal(signal.SIGTERM)
        assert c.wait() == 0, c.names()
        assert c.wait_event("ended")["by_peer"] is False
        rate, samples = read_wav(rec)   # a valid header: the file was finalised
        assert len(samples) > rate // 2, len(samples)
        lis.wait_event("ended")
    finally:
        lis.stop()


def case_echo_sends_each_caller_its_own_audio():
    tone = os.path.join(WORK, "echo440.wav")
    write_tone(tone, freq=440.0, seconds=5)
    lis = listener("--auto-answer", "--echo")
    try:
        for codec in ("pcmu", "opus"):
            rec = os.path.join(WORK, f"echo-{codec}.wav")
            c = caller(lis.port(), "--play", tone, "--record", rec, "--codecs", codec, "--duration", "2")
            assert c.wait() == 0, (c.names(), c.stderr())
            assert c.wait_event("answered")["codec"] == codec
            rate, samples = read_wav(rec)
            assert len(samples) > rate, len(samples)
            mid = samples[len(samples) // 2: len(samples) // 2 + rate // 2]
            p440 = goertzel_power(mid, rate, 440)
            assert p440 > 100 * goertzel_power(mid, rate, 1000), f"{codec}: the echo has no 440 Hz tone"
            assert p440 > 100 * goertzel_power(mid, rate, 700), codec
    finally:
        lis.stop()


def case_message_and_options():
    lis = listener()
    try:
        port = lis.port()
        r = run(["--listen", "127.0.0.1:0", "message", f"sip:bob@127.0.0.1:{port}", "hello there"])
        assert r.returncode == 0, r
        events = [json.loads(line) for line in r.stdout.splitlines()]
        assert events[-1]["event"] == "message_sent" and events[-1]["status"] == 200, events
        m = lis.wait_event("message")
        assert m["text"] == "hello there" and m["content_type"].startswith("text/plain"), m
        r = run(["--listen", "127.0.0.1:0", "options", f"sip:127.0.0.1:{port}"])
        assert r.returncode == 0, r
        o = [json.loads(line) for line in r.stdout.splitlines()][-1]
        assert o["event"] == "options" and o["status"] == 200 and "INVITE" in o["allow"], o
        assert o["rtt_ms"] >= 0
    finally:
        lis.stop()


def case_on_event_runs_a_command_per_event():
    log = os.path.join(WORK, "on-event.log")
    lis = listener("--auto-answer", "--exit-after", "1", "--on-event",
                   f'echo "$DIALTONE_EVENT $DIALTONE_CALL" >> {log}')
    try:
        c = caller(lis.port(), "--duration", "0.5")
        assert c.wait() == 0
        assert lis.wait() == 0
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            lines = open(log).read().split("\n") if os.path.exists(log) else []
            if "ended 1" in lines:
                break
            time.sleep(0.05)
        assert "incoming 1" in lines and "ended 1" in lines, lines
    finally:
        lis.stop()


def case_on_event_gets_the_json_on_stdin_and_none_of_our_sockets():
    log, fds = os.path.join(WORK, "hook-events.log"), os.path.join(WORK, "hook-fds.log")
    hook = (f'line=$(cat); printf "%s %s\\n" "$DIALTONE_EVENT" "$line" >> {log}; '
            f'for f in /proc/$$/fd/*; do printf "%s " "$(readlink "$f")"; done >> {fds}; echo >> {fds}')
    lis = listener("--auto-answer", "--exit-after", "1", "--on-event", hook)
    try:
        c = caller(lis.port(), "--duration", "0.5")
        assert c.wait() == 0
        assert lis.wait() == 0
        seen = {}
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and "ended" not in seen:
            seen = {}
            for line in (open(log).read().splitlines() if os.path.exists(log) else []):
                name, text = line.split(" ", 1)
                seen[name] = json.loads(text)
            time.sleep(0.05)
        for name, event in seen.items():
            assert event["event"] == name, (name, event)   # the environment and stdin agree
        assert seen["incoming"]["call"] == 1 and seen["incoming"]["from"].startswith("sip:dialtone@127.0.0.1:"), seen
        assert seen["ended"]["call"] == 1 and seen["ended"]["status"] == 200, seen
        assert seen["listening"]["transport"] in ("udp", "tcp"), seen
        held = open(fds).read()
        assert held.count("\n") >= len(seen) and "socket:" not in held, held
    finally:
        lis.stop()


RUN_SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "run")


def run_demo(binary, name):
    directory = os.path.join(WORK, name)
    return directory, subprocess.run([RUN_SCRIPT, "demo", "--bin", binary, "--dir", directory], capture_output=True,
                                     text=True, timeout=60, stdin=subprocess.DEVNULL)


def case_run_demo_reports_both_exit_codes_and_the_recording():
    directory, r = run_demo(BINARY, "demo")
    assert r.returncode == 0, (r.stdout[-2000:], r.stderr)
    assert "caller exit code 0, listener exit code 0" in r.stdout, r.stdout[-500:]
    recordings = os.listdir(os.path.join(directory, "recordings"))
    assert len(recordings) == 1, recordings
    rate, samples = read_wav(os.path.join(directory, "recordings", recordings[0]))
    mid = samples[len(samples) // 3: len(samples) // 3 + rate // 2]
    assert goertzel_power(mid, rate, 1000) > 100 * goertzel_power(mid, rate, 700), "no 1 kHz tone recorded"
    digits = [json.loads(line.split("listener ", 1)[1])["digit"] for line in r.stdout.splitlines()
              if line.startswith("  listener ") and '"event":"dtmf"' in line]
    assert digits == ["1", "2", "3", "#"], digits


def case_run_demo_fails_when_the_caller_fails():
    # The listener is the real binary; `call` fails at once with status 5.
    failing = os.path.join(WORK, "failing-caller")
    with open(failing, "w") as f:
        f.write(f'#!/bin/sh\nfor a; do [ "$a" = call ] && exit 5; done\nexec {BINARY} "$@"\n')
    os.chmod(failing, 0o755)
    _, r = run_demo(failing, "demo-failing")
    assert r.returncode != 0, r.stdout
    assert "caller exit code 5," in r.stdout, r.stdout[-500:]


def case_interactive_status_line_keys_through_tmux():
    if not shutil.which("tmux"):
        raise RuntimeError("tmux is not installed (./run setup installs it)")
    lis = listener("--auto-answer", "--exit-after", "1")
    session = f"dialtone-cli-{os.getpid()}"
    tmux = ["tmux", "-L", session]
    try:
        port = lis.port()
        command = (f"env XDG_CONFIG_HOME={WORK}/no-config NO_COLOR=1 {BINARY} --null-audio --listen 127.0.0.1:0 "
                   f"--rtp-ports {rtp_ports()} call sip:bob@127.0.0.1:{port}; sleep 30")
        subprocess.run(tmux + ["new-session", "-d", "-s", session, "-x", "150", "-y", "20", command], check=True,
                       timeout=10)

        def screen():
            return subprocess.run(tmux + ["capture-pane", "-p", "-t", session], capture_output=True, text=True,
                                  timeout=10).stdout

        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and "SRTP off" not in screen():
            time.sleep(0.1)
        text = screen()
        assert "[1] answered" in text and "00:0" in text and "SRTP off" in text, text
        def key(k):
            subprocess.run(tmux + ["send-keys", "-t", session, k], check=True, timeout=10)

        def screen_shows(text):
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and text not in screen():
                time.sleep(0.1)
            return text in screen()

        key("5")
        assert lis.wait_event("dtmf", digit="5")["method"] in ("rfc4733", "info")
        key("H")   # hold: the far end hears of it, the status line says it
        assert lis.wait_event("hold")["remote"] is True
        assert screen_shows("[1] on hold"), screen()
        key("H")   # and resume
        assert lis.wait_event("resume")["remote"] is False
        assert screen_shows("[1] answered"), screen()
        key("m")
        assert screen_shows("(muted)"), screen()
        key("m")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and "(muted)" in screen():
            time.sleep(0.1)
        assert "(muted)" not in screen(), screen()
        key("h")
        assert lis.wait_event("ended")["by_peer"] is True
        assert lis.wait() == 0
    finally:
        subprocess.run(tmux + ["kill-server"], capture_output=True, timeout=10)
        lis.stop()


def case_interactive_colour_unless_no_color():
    if not shutil.which("tmux"):
        raise RuntimeError("tmux is not installed (./run setup installs it)")
    lis = listener("--auto-answer", "--hangup-after", "3", "--exit-after", "2")
    server = f"dialtone-colour-{os.getpid()}"
    tmux = ["tmux", "-L", server]
    try:
        port = lis.port()
        for name, no_color in (("plain", "NO_COLOR=1"), ("colour", "NO_COLOR=")):
            command = (f"env XDG_CONFIG_HOME={WORK}/no-config {no_color} {BINARY} --null-audio --listen 127.0.0.1:0 "
                       f"--rtp-ports {rtp_ports()} call sip:bob@127.0.0.1:{port}; sleep 30")
            subprocess.run(tmux + ["new-session", "-d", "-s", name, "-x", "150", "-y", "20", command], check=True,
                           timeout=10)

        def screen(name):   # with -e: the escape sequences of colours and attributes too
            return subprocess.run(tmux + ["capture-pane", "-e", "-p", "-t", name], capture_output=True, text=True,
                                  timeout=10).stdout

        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not all("SRTP off" in screen(n) for n in ("plain", "colour")):
            time.sleep(0.1)
        plain, colour = screen("plain"), screen("colour")
        assert "[1] answered" in plain and "[1] answered" in re.sub(r"\x1b\[[0-9;]*m", "", colour), (plain, colour)
        assert "\x1b[32m" in colour, repr(colour)   # green: answered
        assert "\x1b[3" not in plain, repr(plain)
    finally:
        subprocess.run(tmux + ["kill-server"], capture_output=True, timeout=10)
        lis.stop()


if __name__ == "__main__":
    sys.exit(run_cases(globals()))
