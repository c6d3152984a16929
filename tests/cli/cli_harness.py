"""What the command-line tests share: the binary, dialtone processes whose JSON events are read
line by line, WAV helpers, and the loop that runs the cases of a file.

Usage of a test file: FILE.py PATH/TO/dialtone [CASE...]
Every wait is bounded, every process is stopped by its PID, and the last line is
`cases: P passed, F failed`.
"""
import json
import math
import os
import signal
import struct
import subprocess
import sys
import tempfile
import time
import wave

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "pylib"))
from cases import run_cases  # noqa: E402  (re-exported: the test files import it from here)

BINARY = os.path.abspath(sys.argv[1])
WORK = tempfile.mkdtemp(prefix="dialtone-cli-")
NEXT_RTP = [20000]


def rtp_ports():
    """A private RTP range for each process, so that two on one host never collide."""
    lo = NEXT_RTP[0]
    NEXT_RTP[0] += 200
    return f"{lo}-{lo + 198}"


def base_env():
    env = dict(os.environ)
    env["XDG_CONFIG_HOME"] = os.path.join(WORK, "no-config")
    env.pop("DIALTONE_PASSWORD", None)
    return env


class Proc:
    """A dialtone process whose JSON events are read line by line."""

    def __init__(self, args, stdin=subprocess.DEVNULL, env=None):
        self.args = args
        environment = base_env()
        environment.update(env or {})
        self.out_path = os.path.join(WORK, f"out-{time.monotonic_ns()}.jsonl")
        self.err_path = self.out_path.replace(".jsonl", ".err")
        self.out = open(self.out_path, "wb")
        self.err = open(self.err_path, "wb")
        self.p = subprocess.Popen([BINARY] + args, stdin=stdin, stdout=self.out, stderr=self.err,
                                  env=environment)

    def events(self):
        with open(self.out_path, encoding="utf-8") as f:
            return [json.loads(line) for line in f if line.strip()]

    def names(self):
        return [e["event"] for e in self.events()]

    def wait_event(self, name, timeout=10.0, **fields):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for e in self.events():
                if e["event"] == name and all(e.get(k) == v for k, v in fields.items()):
                    return e
            if self.p.poll() is not None:
                break
            time.sleep(0.05)
        for e in self.events():
            if e["event"] == name and all(e.get(k) == v for k, v in fields.items()):
                return e
        raise AssertionError(f"no {name} {fields} within {timeout}s; got {self.names()}; stderr: {self.stderr()}")

    def port(self):
        return int(self.wait_event("listening", transport="udp")["address"].rsplit(":", 1)[1])

    def wait(self, timeout=15.0):
        try:
            return self.p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.stop()
            raise AssertionError(f"{self.args[:3]}... did not exit within {timeout}s; events {self.names()}")

    def stderr(self):
        with open(self.err_path, encoding="utf-8", errors="replace") as f:
            return f.read()

    def stop(self):
        if self.p.poll() is None:
            self.p.send_signal(signal.SIGKILL)
            self.p.wait(timeout=5)


def listener(*extra, stdin=subprocess.DEVNULL, env=None):
    return Proc(["--null-audio", "--listen", "127.0.0.1:0", "--rtp-ports", rtp_ports(), "listen"] + list(extra),
                stdin=stdin, env=env)


def caller(port, *extra, user="bob"):
    return Proc(["--null-audio", "--listen", "127.0.0.1:0", "--rtp-ports", rtp_ports(), "call",
                 f"sip:{user}@127.0.0.1:{port}"] + list(extra))


def run(args, timeout=10.0):
    return subprocess.run([BINARY] + args, capture_output=True, text=True, timeout=timeout, env=base_env(),
                          stdin=subprocess.DEVNULL)


def write_tone(path, freq=1000.0, seconds=3.0, rate=48000):
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        n = int(seconds * rate)
        w.writeframes(b"".join(struct.pack("<h", int(16000 * math.sin(2 * math.pi * freq * i / rate)))
                               for i in range(n)))


def goertzel_power(samples, rate, freq):
    k = 2 * math.cos(2 * math.pi * freq / rate)
    s1 = s2 = 0.0
    for x in samples:
        s1, s2 = x + k * s1 - s2, s1
    return s1 * s1 + s2 * s2 - k * s1 * s2


def read_wav(path):
    with wave.open(path, "rb") as w:
        rate, n, ch = w.getframerate(), w.getnframes(), w.getnchannels()
        data = w.readframes(n)
    samples = struct.unpack(f"<{n * ch}h", data)[::ch]
    return rate, samples


def in_order(names, expected):
    """`expected` appears in `names` as a subsequence."""
    it = iter(names)
    return all(any(n == e for n in it) for e in expected)
