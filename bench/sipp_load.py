"""SIPp as the load generator and as a registrar, with its `-trace_stat` counts read back."""
import csv
import os
import time

import harness

HERE = os.path.dirname(os.path.abspath(__file__))
SCENARIOS = os.path.join(HERE, "sipp")

# Counters that must stay at 0 for a run to count (the cumulative "(C)" columns of -trace_stat).
# Retransmissions that reach a finished call (DeadCallMsgs: a 200 OK resent because the ACK was
# late) are legal and only reported.
FAILURES = ("FailedCall(C)", "FailedUnexpectedMessage(C)", "FailedMaxUDPRetrans(C)", "FailedCallRejected(C)",
            "FailedTimeoutOnRecv(C)")
REPORTED = ("Retransmissions(C)", "DeadCallMsgs(C)", "OutOfCallMsgs(C)")


def read_stat(path):
    """The last row of a -trace_stat file as {column: int or str}."""
    with open(path, newline="") as f:
        rows = list(csv.reader(f, delimiter=";"))
    if len(rows) < 2:
        return {}
    out = {}
    for key, value in zip(rows[0], rows[-1]):
        try:
            out[key] = int(value)
        except ValueError:
            out[key] = value
    return out


class Result:
    def __init__(self, stat, calls, wall_s, rc, unexpected=""):
        self.stat, self.calls, self.wall_s, self.rc = stat, calls, wall_s, rc
        self.unexpected = unexpected

    @property
    def successful(self):
        return self.stat.get("SuccessfulCall(C)", 0)

    def failures(self):
        return {k: self.stat.get(k, 0) for k in FAILURES if self.stat.get(k, 0)}

    def clean(self):
        return self.rc is not None and self.successful == self.calls and not self.failures()

    def describe(self):
        f = ", ".join(f"{k} {v}" for k, v in self.failures().items()) or "no failures"
        f += "".join(f", {k} {self.stat[k]}" for k in REPORTED if self.stat.get(k))
        hung = "" if self.rc is not None else ", SIPp did not finish in time"
        first = f"; first unexpected: {self.unexpected}" if self.unexpected else ""
        return f"{self.successful}/{self.calls} calls in {self.wall_s:.1f}s, {f}{hung}{first}"


def uac(target_port, rate, calls, hold_ms, user="bob", media_port=None, rtp_echo=False, scenario=None,
        limit=None, timeout_s=None):
    """Runs `sipp -sn uac` (or `-sf scenario`) against 127.0.0.1:target_port to the end; a Result."""
    stat = os.path.join(harness.WORK, f"sipp-{time.monotonic_ns()}.csv")
    errors = stat[:-4] + "-errors.log"
    argv = [harness.require("sipp")]
    argv += ["-sf", scenario] if scenario else ["-sn", "uac"]
    argv += ["-s", user, "-r", rate, "-d", hold_ms, "-m", calls, "-i", harness.HOST, "-p", harness.free_port(),
             "-mp", media_port or harness.free_port(), "-trace_stat", "-stf", stat, "-fd", "1", "-nostdin",
             "-trace_err", "-error_file", errors, "-max_socket", 20000]
    if rtp_echo:
        argv += ["-rtp_echo"]
    if limit:
        argv += ["-l", limit]
    budget = timeout_s or (calls / max(rate, 1) + hold_ms / 1000 + 40)
    argv += ["-timeout", f"{int(budget)}s", f"{harness.HOST}:{target_port}"]
    proc = harness.Proc("sipp", argv)
    start = time.monotonic()
    try:
        rc = proc.wait(budget + 15)
    except AssertionError:  # SIPp overran its own -timeout: the run failed
        rc = None
    finally:
        proc.stop()
    wall = time.monotonic() - start
    return Result(read_stat(stat) if os.path.exists(stat) else {}, calls, wall, rc, first_unexpected(errors))


def first_unexpected(errors):
    """The first message SIPp called unexpected, in one line ("" when there was none)."""
    if not os.path.exists(errors):
        return ""
    with open(errors, errors="replace") as f:
        text = f.read()
    at = text.find("unexpected")
    if at < 0:
        return ""
    lines = text[at:].splitlines()
    return " / ".join(lines[:2])[:200]


class Registrar:
    """SIPp answering every REGISTER with 200 OK (bench/sipp/registrar.xml) on its own port."""

    def __init__(self):
        self.port = harness.free_port()
        self.stat = os.path.join(harness.WORK, f"registrar-{time.monotonic_ns()}.csv")
        self.proc = harness.Proc("registrar", [
            harness.require("sipp"), "-sf", os.path.join(SCENARIOS, "registrar.xml"), "-i", harness.HOST,
            "-p", self.port, "-trace_stat", "-stf", self.stat, "-fd", "1", "-nostdin"])
        harness.wait_for_udp_port(self.port)

    @property
    def address(self):
        return f"{harness.HOST}:{self.port}"

    def stop(self):
        self.proc.stop()

