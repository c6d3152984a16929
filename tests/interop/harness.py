"""Shared parts of the interop suite: processes stopped by PID, loopback ports, tones, cases.

Every peer runs on 127.0.0.1 only. Every wait is bounded. Every process a case starts is
stopped by its PID when the case ends (pass or fail) and again at exit, so nothing outlives
the suite. A peer program that is not installed makes its cases fail with a message.
"""
import atexit
import json
import math
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
import wave

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "pylib"))
import cases  # noqa: E402

HOST = "127.0.0.1"
WORK = tempfile.mkdtemp(prefix="dialtone-interop-")
_live = []          # every Proc started and not yet stopped
_rtp_next = [0, 0]  # [next, end] of this script's private RTP range


def set_rtp_region(lo, hi):
    """Each suite script owns a distinct RTP port region, so scripts may run side by side."""
    _rtp_next[0], _rtp_next[1] = lo, hi


def rtp_range(size=100):
    """A fresh even-aligned block of `size` RTP ports from this script's region, as (lo, hi)."""
    lo = _rtp_next[0]
    if lo + size > _rtp_next[1]:
        lo = _rtp_next[0] = _rtp_next[1] - 10 * size  # wrap into the region; old calls are over
        lo = max(lo, 1024)
    _rtp_next[0] = lo + size
    return lo, lo + size - 2


def free_port(span=1):
    """A port free for both UDP and TCP on 127.0.0.1 (SIP listens on both); with `span`, the
    `span - 1` ports after it are free too (baresip listens for TLS on its SIP port + 1)."""
    for _ in range(50):
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as u:
            u.bind((HOST, 0))
            port = u.getsockname()[1]
        if port + span > 65536:
            continue
        if all(_free_udp_tcp(p) for p in range(port, port + span)):
            return port
    raise AssertionError(f"no {span} free UDP+TCP port(s) in a row on 127.0.0.1")


def _free_udp_tcp(port):
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as u, \
                socket.socket(socket.AF_INET, socket.SOCK_STREAM) as t:
            u.bind((HOST, port))
            t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            t.bind((HOST, port))
        return True
    except OSError:
        return False


def require(program):
    """The path of a peer program, or a failure that says how to get it."""
    path = shutil.which(program) or (f"/usr/sbin/{program}" if os.path.exists(f"/usr/sbin/{program}") else None)
    if not path:
        raise AssertionError(f"{program} is not installed: run ./run setup (it installs the interop peers)")
    return path


def wait_until(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    value = predicate()
    if value:
        return value
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def wait_for_udp_port(port, timeout=10.0):
    """True once something is bound to UDP `port` on 127.0.0.1 (our bind attempt fails)."""
    def bound():
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            try:
                s.bind((HOST, port))
                return False
            except OSError:
                return True
    wait_until(bound, timeout, f"a listener on udp {HOST}:{port}")


def wait_for_tcp_port(port, timeout=10.0):
    def accepting():
        try:
            with socket.create_connection((HOST, port), timeout=0.5):
                return True
        except OSError:
            return False
    wait_until(accepting, timeout, f"a listener on tcp {HOST}:{port}")


class Proc:
    """A child process with its output in files under WORK, stopped by PID."""

    def __init__(self, name, argv, cwd=None, env=None, stdin=subprocess.DEVNULL, stop_signal=signal.SIGTERM):
        self.name = name
        self.argv = [str(a) for a in argv]
        base = os.path.join(WORK, f"{name}-{time.monotonic_ns()}")
        self.out_path, self.err_path = base + ".out", base + ".err"
        self._out = open(self.out_path, "wb")
        self._err = open(self.err_path, "wb")
        self.stop_signal = stop_signal
        self.p = subprocess.Popen(self.argv, cwd=cwd, env=env, stdin=stdin, stdout=self._out, stderr=self._err,
                                  start_new_session=True)
        _live.append(self)

    @property
    def pid(self):
        return self.p.pid

    def running(self):
        return self.p.poll() is None

    def stdout(self):
        with open(self.out_path, encoding="utf-8", errors="replace") as f:
            return f.read()

    def stderr(self):
        with open(self.err_path, encoding="utf-8", errors="replace") as f:
            return f.read()

    def wait(self, timeout):
        """The exit code; a process still running after `timeout` is killed and the case fails."""
        try:
            return self.p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.stop()
            raise AssertionError(f"{self.name} did not exit within {timeout}s; stderr tail: {self.stderr()[-1500:]}")

    def stop(self, grace=5.0):
        """Ask politely, then kill; the whole process group, since some peers fork."""
        if self.p.poll() is None:
            try:
                os.kill(self.p.pid, self.stop_signal)
                self.p.wait(timeout=grace)
            except (subprocess.TimeoutExpired, ProcessLookupError):
                pass
        if self.p.poll() is None:
            try:
                os.killpg(self.p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.p.wait(timeout=5)
        try:  # children left in the group (kamailio's workers) go too
            os.killpg(self.p.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        for f in (self._out, self._err):
            f.close()
        if self in _live:
            _live.remove(self)
        return self.p.returncode


def stop_all():
    for proc in list(reversed(_live)):
        try:
            proc.stop(grace=2.0)
        except Exception:
            pass


atexit.register(stop_all)


# --- dialtone ---------------------------------------------------------------------------------

DIALTONE = None  # set by main() from argv[1]


def dialtone_env():
    env = dict(os.environ)
    env["XDG_CONFIG_HOME"] = os.path.join(WORK, "no-config")
    env.pop("DIALTONE_PASSWORD", None)
    return env


class Dialtone(Proc):
    """A dialtone process in JSON mode; `args` go after the binary (global options, command, ...).

    Unless the caller gives them, --null-audio, --json, --listen 127.0.0.1:0 and a private
    --rtp-ports range are added in front.
    """

    def __init__(self, args, name="dialtone", stdin=subprocess.DEVNULL, defaults=True, env=None):
        args = [str(a) for a in args]
        front = []
        if defaults:
            if "--null-audio" not in args and "--play" not in args:
                front.append("--null-audio")
            front.append("--json")
            if not any(a.startswith("--listen") for a in args):
                front += ["--listen", f"{HOST}:0"]
            if "--rtp-ports" not in args:
                lo, hi = rtp_range()
                front += ["--rtp-ports", f"{lo}-{hi}"]
        full_env = dialtone_env()
        full_env.update(env or {})
        super().__init__(name, [DIALTONE] + front + args, env=full_env, stdin=stdin)

    def events(self):
        out = []
        with open(self.out_path, encoding="utf-8", errors="replace") as f:
            for line in f:
                line = line.strip()
                if line:
                    try:
                        out.append(json.loads(line))
                    except json.JSONDecodeError:
                        raise AssertionError(f"dialtone wrote a non-JSON line to stdout: {line!r}")
        return out

    def names(self):
        return [e["event"] for e in self.events()]

    def find(self, name, **fields):
        return [e for e in self.events() if e["event"] == name and all(e.get(k) == v for k, v in fields.items())]

    def wait_event(self, name, timeout=10.0, **fields):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.find(name, **fields)
            if found:
                return found[0]
            if not self.running():
                break
            time.sleep(0.05)
        found = self.find(name, **fields)
        if found:
            return found[0]
        raise AssertionError(f"{self.name}: no '{name}' event {fields or ''} within {timeout}s; "
                             f"events {self.names()}; stderr tail: {self.stderr()[-1500:]}")

    def sip_port(self, transport="udp"):
        address = self.wait_event("listening", transport=transport)["address"]
        return int(address.rsplit(":", 1)[1])

    def send(self, line):
        """A command line on stdin (start with stdin=subprocess.PIPE)."""
        self.p.stdin.write((line + "\n").encode())
        self.p.stdin.flush()


# --- audio ------------------------------------------------------------------------------------

def write_tone(path, freq, seconds, rate=8000, amplitude=0.5):
    """A mono 16-bit WAV of one sine at `amplitude` of full scale."""
    n = int(seconds * rate)
    a = 32767 * amplitude
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(b"".join(struct.pack("<h", int(a * math.sin(2 * math.pi * freq * i / rate)))
                               for i in range(n)))
    return path


def read_wav(path):
    """(rate, samples of the first channel as floats in [-1, 1])."""
    with wave.open(path, "rb") as w:
        rate, n, ch, width = w.getframerate(), w.getnframes(), w.getnchannels(), w.getsampwidth()
        data = w.readframes(n)
    # linphonec's recorder counts the 44-byte header in the data chunk's size: trust the bytes read
    n = len(data) // (width * ch)
    data = data[: n * width * ch]
    if width != 2:
        raise AssertionError(f"{path}: {8 * width}-bit samples; expected 16-bit")
    samples = struct.unpack(f"<{n * ch}h", data)[::ch]
    return rate, [s / 32768.0 for s in samples]


def _goertzel(samples, rate, freq):
    k = 2 * math.cos(2 * math.pi * freq / rate)
    s1 = s2 = 0.0
    for x in samples:
        s1, s2 = x + k * s1 - s2, s1
    return max(s1 * s1 + s2 * s2 - k * s1 * s2, 0.0)


def tone_report(path, window_seconds=1.0):
    """Where a recording is loudest: (dominant frequency in Hz, its RMS level in dBFS).

    Looks at the loudest `window_seconds` of the file, scans 100-3500 Hz in 10 Hz steps with
    the Goertzel filter, then refines around the peak in 1 Hz steps.
    """
    rate, samples = read_wav(path)
    win = int(rate * window_seconds)
    if len(samples) < win:
        raise AssertionError(f"{path}: only {len(samples) / rate:.2f}s recorded; expected at least {window_seconds}s")
    step = max(win // 4, 1)
    best, best_rms = 0, -1.0
    for start in range(0, len(samples) - win + 1, step):
        seg = samples[start:start + win]
        rms = math.sqrt(sum(x * x for x in seg) / win)
        if rms > best_rms:
            best, best_rms = start, rms
    seg = samples[best:best + win]
    # decimate the search segment to keep pure Python quick: 0.25 s is plenty for 1 Hz refinement
    seg = seg[: int(rate * 0.25)]
    coarse = max(range(100, 3501, 10), key=lambda f: _goertzel(seg, rate, f))
    fine = max(range(coarse - 10, coarse + 11), key=lambda f: _goertzel(seg, rate, f))
    level = 20 * math.log10(best_rms) if best_rms > 0 else -200.0
    return fine, level


def assert_tone(path, freq, min_dbfs=-30.0, tolerance_hz=15):
    """The recording holds `freq` (within `tolerance_hz`) at least `min_dbfs` loud."""
    if not os.path.exists(path) or os.path.getsize(path) <= 44:
        raise AssertionError(f"no recording at {path}")
    got, level = tone_report(path)
    if abs(got - freq) > tolerance_hz or level < min_dbfs:
        raise AssertionError(f"{os.path.basename(path)}: loudest tone {got} Hz at {level:.1f} dBFS; "
                             f"expected {freq} Hz at >= {min_dbfs} dBFS")
    return got, level


# --- cases ------------------------------------------------------------------------------------

def run_cases(module_globals):
    """Run every `case_*` function in definition order (or those named in argv[2:]), stopping
    every process after each. Ends with `cases: P passed, F failed`; logs are kept on failure."""
    global DIALTONE
    DIALTONE = os.path.abspath(sys.argv[1])
    status = cases.run_cases(module_globals, after_each=stop_all)
    if status == 0:
        shutil.rmtree(WORK, ignore_errors=True)
    else:
        print(f"logs kept in {WORK}", flush=True)
    return status
