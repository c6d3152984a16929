#!/usr/bin/env python3
"""dialtone and baresip side by side: the rows of the benchmark table, same load, same machine.

    bench/vs_baresip.py [--dialtone BIN] [--reps N] [--quick] [--markdown FILE] [ROW ...]

ROW is any of: capacity concurrent idle launch transit cpu (default: all, in that order).
Each row runs both programs --reps times (default 3) and prints, per figure, each program's
median with the lowest and highest run, their ratio (dialtone / baresip) and the goal; `nproc`
and the load average are printed before and after every row. --quick shortens every run (for
trying the harness, not for figures). --markdown appends the table to FILE.
"""
import argparse
import datetime
import os
import shutil
import statistics
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "tests", "interop"))
sys.path.insert(0, HERE)

import harness  # noqa: E402
import peers  # noqa: E402
import procstat  # noqa: E402
import rtp_pcap  # noqa: E402
import sipp_load  # noqa: E402

PROGRAMS = ("dialtone", "baresip")


class Figure:
    """One line of the table: a value per run for each program, and the goal for dialtone."""

    def __init__(self, name, unit, goal_text, meets, higher_is_better):
        self.name, self.unit, self.goal_text, self.meets = name, unit, goal_text, meets
        self.higher_is_better = higher_is_better
        self.runs = {p: [] for p in PROGRAMS}
        self.notes = []

    def add(self, program, value):
        self.runs[program].append(value)

    def median(self, program):
        return procstat.summary(self.runs[program])[0]

    def cell(self, program):
        med, lo, hi = procstat.summary(self.runs[program])
        if med is None:
            return "—"
        return f"{fmt(med)} ({fmt(lo)}–{fmt(hi)})" if len(self.runs[program]) > 1 else fmt(med)

    def ratio(self):
        d, b = self.median("dialtone"), self.median("baresip")
        if d is None or b is None or b == 0:
            return "—"
        return f"{d / b:.2f}×"

    def met(self):
        d = self.median("dialtone")
        if d is None:
            return "no figure"
        return "yes" if self.meets(d) else "**no**"


def fmt(v):
    if isinstance(v, float):
        if abs(v) >= 100:
            return f"{v:,.0f}"
        if abs(v) >= 10:
            return f"{v:.1f}"
        return f"{v:.2f}" if abs(v) >= 0.1 else f"{v:.3f}"
    return f"{v:,}" if isinstance(v, int) else str(v)


def say(text):
    print(text, flush=True)


class Bench:
    def __init__(self, args):
        self.args = args
        self.binary = os.path.abspath(args.dialtone)
        self.reps = args.reps
        self.quick = args.quick
        self.figures = []
        # baresip's aufile reads the whole file for every call: 30 s unless a call lasts longer
        self.wav8k, self.wav48k = self.tone(30)
        self.long_wavs = self.tone(90 if not self.quick else 30)

    @staticmethod
    def tone(seconds):
        """The 440 Hz WAV both UAs play: (8 kHz for dialtone, 48 kHz mono for baresip's aufile)."""
        return tuple(harness.write_tone(os.path.join(harness.WORK, f"tone-{seconds}s-{rate // 1000}k.wav"), 440,
                                        seconds, rate=rate, amplitude=0.3) for rate in (8000, 48000))

    def figure(self, *a, **kw):
        f = Figure(*a, **kw)
        self.figures.append(f)
        return f

    def ua(self, program, wavs="default", **kw):
        wavs = (self.wav8k, self.wav48k) if wavs == "default" else wavs
        ua = peers.start(program, self.binary, wavs, **kw)
        try:
            ua.wait_ready()
        except AssertionError:
            ua.stop()
            raise AssertionError(f"{program} did not start: {ua.log_tail()}")
        return ua

    # --- auto-answer capacity -----------------------------------------------------------------

    def capacity_trial(self, program, rate, seconds, hold_ms):
        ua = self.ua(program)
        try:
            r = sipp_load.uac(ua.sip_port, rate, rate * seconds, hold_ms)
            alive = ua.running()
        finally:
            ua.stop()
        ok = r.clean() and alive and r.wall_s <= seconds * 1.25 + hold_ms / 1000 + 5
        why = ""
        if not ok and program == "dialtone":  # its own word on a call it ended itself
            errors = [line for line in ua.proc.stdout().splitlines() if '"event":"error"' in line]
            why = f"; dialtone's first of {len(errors)} error events: {errors[0][:160]}" if errors else ""
        say(f"    {program:8} {rate:5} calls/s: {'ok  ' if ok else 'FAIL'} {r.describe()}"
            f"{'' if alive else ', the UA died'}{why}")
        return ok

    def row_capacity(self):
        """Highest SIPp uac rate sustained with 0 failed calls and 0 unexpected messages."""
        seconds = 5 if self.quick else 20
        hold_ms = 100
        top, steps = 4000, 2 if self.quick else 3
        f = self.figure("auto-answer capacity, playing a WAV (calls/s)", "calls/s", "≥ 2,000 calls/s",
                        lambda v: v >= 2000, True)
        for rep in range(self.reps):
            for program in PROGRAMS:
                # Double from 50 until a rate fails, then bisect between the last pass and the fail.
                good, bad, rate = 0, None, 50
                while rate <= top:
                    if self.capacity_trial(program, rate, seconds, hold_ms):
                        good, rate = rate, rate * 2
                    else:
                        bad = rate
                        break
                for _ in range(steps if bad else 0):
                    mid = (good + bad) // 2
                    if mid - good < max(5, good // 20):
                        break
                    if self.capacity_trial(program, mid, seconds, hold_ms):
                        good = mid
                    else:
                        bad = mid
                f.add(program, good)
                say(f"  rep {rep + 1}: {program} sustains {good} calls/s"
                    f"{'' if bad else f' (the search stops at {top})'}")
        f.notes.append(f"`sipp -sn uac -s bob -r RATE -d {hold_ms} -m RATE×{seconds}`, UA playing a 440 Hz WAV; "
                       f"rates doubled from 50 then bisected {steps} times")

    # --- concurrent G.711 calls with RTP echoed -------------------------------------------------

    def concurrent_trial(self, program, calls, window_s):
        setup_rate = min(calls, 100)
        ramp = calls / setup_rate
        hold_s = ramp + window_s + 2
        media_port = harness.free_port()
        pcap = os.path.join(harness.WORK, f"echo-{program}-{calls}-{time.monotonic_ns()}.pcap")
        capture = harness.Proc("dumpcap", ["dumpcap", "-q", "-P", "-i", "lo", "-s", "64", "-B", "64",
                                           "-f", f"udp port {media_port}", "-w", pcap], stop_signal=2)
        ua = self.ua(program, None, codecs="pcmu" if program == "dialtone" else "PCMU/8000/1",
                     rtp_ports=harness.rtp_range(4 * calls + 200))
        time.sleep(1.0)
        idle = procstat.Sample(ua.pid)
        result = {}
        try:
            runner = threading.Thread(target=lambda: result.update(r=sipp_load.uac(
                ua.sip_port, setup_rate, calls, int(hold_s * 1000), media_port=media_port, rtp_echo=True,
                limit=calls)))
            runner.start()
            time.sleep(ramp + 1.0)
            a = procstat.Sample(ua.pid)
            time.sleep(window_s - 1.0)
            b = procstat.Sample(ua.pid)
            runner.join(hold_s + 120)
            r = result.get("r")
        finally:
            time.sleep(1.0)
            ua.stop()
            time.sleep(0.5)
            capture.stop()
        counts = rtp_pcap.count_by_port(pcap, media_port) if os.path.exists(pcap) else {}
        if os.path.exists(pcap):
            os.remove(pcap)  # a thousand calls make ~100 MB
        # Complete: the UA sent at least 90 % of a packet per 20 ms of the hold time and got all
        # but the last 200 ms of it back (still in flight at the BYE).
        expected = int(hold_s * 50)
        complete = sum(1 for out, back in counts.values() if out >= 0.9 * expected and back >= out - 10)
        cpu = procstat.cpu_share(a, b)
        rss_per_call = (b.rss_kb - idle.rss_kb) / calls
        ok = bool(r and r.clean() and complete == calls)
        outs = sorted(c[0] for c in counts.values()) or [0]
        detail = (f"{complete}/{calls} calls with RTP complete both ways (≥{int(0.9 * expected)} packets; "
                  f"sent per call {outs[0]}–{outs[-1]}, median {outs[len(outs) // 2]})")
        if program == "dialtone":  # its own count of what it read from the socket must agree
            st = ua.stats()
            full = sum(1 for s in st if s["packets_sent"] >= 0.9 * expected and
                       s["packets_received"] >= s["packets_sent"] - 10)
            ok = ok and full == calls
            detail += f"; its own stats: {full}/{len(st)} complete"
        say(f"    {program:8} {calls:5} calls: {'ok  ' if ok else 'FAIL'} {r.describe() if r else 'sipp gave no result'}; "
            f"{detail}; {cpu:.1f} % of a core, {rss_per_call:.1f} KB RSS per call, {b.threads} threads")
        return ok, cpu, rss_per_call, b.threads

    def row_concurrent(self):
        window = 5 if self.quick else 10
        counts = [50, 100, 200, 400, 800, 1000] + ([] if self.quick else [1200, 1600, 2000])
        most = self.figure("concurrent G.711 calls, RTP echoed, all complete", "calls", "≥ 1,000",
                           lambda v: v >= 1000, True)
        cpu = self.figure("  CPU at that count (% of one core)", "%", "< 100 %", lambda v: v < 100, False)
        mem = self.figure("  RSS per call at that count (KB)", "KB", "< 50 KB", lambda v: v < 50, False)
        for rep in range(self.reps):
            for program in PROGRAMS:
                best = None
                for n in counts:
                    ok, c, m, _ = self.concurrent_trial(program, n, window)
                    if not ok:
                        break
                    best = (n, c, m)
                most.add(program, best[0] if best else 0)
                if best:
                    cpu.add(program, best[1])
                    mem.add(program, best[2])
                say(f"  rep {rep + 1}: {program} carries {best[0] if best else 0} calls")
        most.notes.append(f"`sipp -sn uac -rtp_echo -r 100 -l N -m N -d (N/100+{window}+2)s`; counts tried "
                          f"{', '.join(map(str, counts))}; complete = UA sent ≥ 90 % of 50 packets/s and got "
                          f"all back (dumpcap on lo); dialtone sends encoded silence (--null-audio), "
                          f"baresip its ausine tone (aufile would hold the whole WAV per call)")

    # --- idle and registered ---------------------------------------------------------------

    def row_idle(self):
        seconds = 15 if self.quick else 60
        reg = sipp_load.Registrar()
        uas = []
        try:
            for _ in range(self.reps):
                for program in PROGRAMS:
                    uas.append(self.ua(program, registrar=reg.address))
            time.sleep(3.0)
            registered = sipp_load.read_stat(reg.stat).get("SuccessfulCall(C)", 0) if os.path.exists(reg.stat) else 0
            say(f"  {len(uas)} UAs running, {registered} REGISTERs answered; sampling for {seconds}s")
            a = {id(u): procstat.Sample(u.pid) for u in uas}
            time.sleep(seconds)
            b = {id(u): procstat.Sample(u.pid) for u in uas}
            registered = sipp_load.read_stat(reg.stat).get("SuccessfulCall(C)", 0) if os.path.exists(reg.stat) else 0
        finally:
            for u in uas:
                u.stop()
            reg.stop()
        rss = self.figure("idle registered: RSS (MB)", "MB", "≤ 6 MB", lambda v: v <= 6, False)
        cpu = self.figure("idle registered: CPU (% of a core)", "%", "0 %", lambda v: v < 0.05, False)
        wake = self.figure("idle registered: wake-ups/s", "/s", "none when nothing is due", lambda v: v < 0.1, False)
        thr = self.figure("idle registered: threads", "", "", lambda v: True, False)
        for u in uas:
            sa, sb = a[id(u)], b[id(u)]
            rss.add(u.name, sb.rss_kb / 1024)
            cpu.add(u.name, procstat.cpu_share(sa, sb))
            wake.add(u.name, procstat.wakeups_per_s(sa, sb))
            thr.add(u.name, sb.threads)
        rss.notes.append(f"{len(uas)} UAs registered with a SIPp registrar ({registered} REGISTERs answered), "
                         f"/proc sampled {seconds}s apart; wake-ups = context switches of all threads")

    # --- launch to first request on the wire --------------------------------------------------

    def launch_once(self, program, method):
        sock = peers.bind_udp()
        port = sock.getsockname()[1]
        sock.settimeout(5.0)
        target = f"{harness.HOST}:{port}"
        start = time.monotonic()
        if program == "dialtone":
            if method == "REGISTER":
                ua = peers.Dialtone(self.binary, registrar=target, command="register")
            else:
                ua = peers.Dialtone(self.binary, command="call", extra=[f"sip:bob@{target}"])
        else:
            if method == "REGISTER":
                ua = peers.Baresip(wav48k=self.wav48k, registrar=target)
            else:
                ua = peers.Baresip(wav48k=self.wav48k, dial=f"sip:bob@{target}", answer=False)
        try:
            while True:
                data, _ = sock.recvfrom(65535)
                if data.startswith(method.encode()):
                    return (time.monotonic() - start) * 1000
        except OSError:
            say(f"    {program}: no {method} within 5 s: {ua.log_tail()[-300:]}")
            return None
        finally:
            ua.stop()
            sock.close()

    def row_launch(self):
        runs = 5 if self.quick else 15
        for method in ("REGISTER", "INVITE"):
            f = self.figure(f"launch → {method} on the wire (ms)", "ms", "≤ 5 ms", lambda v: v <= 5, False)
            for program in PROGRAMS:
                times = [self.launch_once(program, method) for _ in range(runs * self.reps)]
                # each repetition is the median of `runs` launches
                for rep in range(self.reps):
                    chunk = [t for t in times[rep * runs:(rep + 1) * runs] if t is not None]
                    if chunk:
                        f.add(program, statistics.median(chunk))
                say(f"  {program} {method}: {', '.join(fmt(t) for t in times if t is not None)} ms")
            f.notes.append(f"{runs} launches per repetition; time from spawning the process to the {method} "
                           f"arriving at a UDP socket of the script")

    # --- audio transit through an echoing far end ----------------------------------------------

    def transit_call(self, program, seconds):
        clicks = os.path.join(harness.WORK, "clicks.pcap")
        if not os.path.exists(clicks):
            rtp_pcap.write_clicks(clicks, seconds)
        scenario = os.path.join(harness.WORK, "uac_clicks.xml")
        with open(os.path.join(sipp_load.SCENARIOS, "uac_clicks.xml")) as src, open(scenario, "w") as dst:
            dst.write(src.read().replace("@CLICKS@", clicks))
        lo, hi = harness.rtp_range(200)
        ua = self.ua(program, echo=True, rtp_ports=(lo, hi),
                     codecs="pcmu" if program == "dialtone" else "PCMU/8000/1")
        pcap = os.path.join(harness.WORK, f"transit-{program}-{time.monotonic_ns()}.pcap")
        capture = harness.Proc("dumpcap", ["dumpcap", "-q", "-P", "-i", "lo", "-f", f"udp portrange {lo}-{hi + 1}",
                                           "-w", pcap], stop_signal=2)
        time.sleep(1.0)
        try:
            r = sipp_load.uac(ua.sip_port, 1, 1, int(seconds * 1000) + 500, scenario=scenario)
        finally:
            ua.stop()
            time.sleep(0.5)
            capture.stop()
        packets = rtp_pcap.read_udp(pcap) if os.path.exists(pcap) else []
        into = [(t, p[12:]) for t, sport, dport, p in packets if lo <= dport <= hi and len(p) > 12 and p[1] & 0x7F == 0]
        back = [(t, p[12:]) for t, sport, dport, p in packets if lo <= sport <= hi and len(p) > 12 and p[1] & 0x7F == 0]
        ins, outs = rtp_pcap.click_onsets(into), rtp_pcap.click_onsets(back)
        transits = []
        for t in ins:
            later = [o - t for o in outs if 0 <= o - t < 1.0]
            if later:
                transits.append(1000 * min(later))
        say(f"    {program}: {r.describe()}; {len(ins)} clicks sent, {len(outs)} echoed; transit ms: "
            f"{', '.join(f'{x:.1f}' for x in transits)}")
        return transits

    def row_transit(self):
        seconds = 10 if self.quick else 20
        med = self.figure("audio transit, far end echoing: median (ms)", "ms", "≤ 20 ms", lambda v: v <= 20, False)
        spread = self.figure("audio transit: spread within a call (ms)", "ms", "≤ 5 ms", lambda v: v <= 5, False)
        for _ in range(self.reps):
            for program in PROGRAMS:
                t = self.transit_call(program, seconds)
                if t:
                    med.add(program, statistics.median(t))
                    spread.add(program, max(t) - min(t))
        med.notes.append(f"SIPp plays a PCMU RTP file with a 4 ms click every 2 s for {seconds}s; onsets found in "
                         f"both directions on lo (dumpcap); dialtone `listen --auto-answer --echo`, baresip aubridge")

    # --- CPU per stream --------------------------------------------------------------------

    def cpu_case(self, codec, srtp, seconds):
        callees, callers = {}, {}
        try:
            for program in PROGRAMS:
                if program == "dialtone":
                    callees[program] = self.ua(program, self.long_wavs, codecs=codec,
                                               srtp="mandatory" if srtp else None)
                else:
                    callees[program] = self.ua(program, self.long_wavs,
                                               codecs="PCMU/8000/1" if codec == "pcmu" else "opus/48000/2",
                                               srtp="srtp-mand" if srtp else None)
            time.sleep(1.0)
            idle = {p: procstat.Sample(u.pid) for p, u in callees.items()}
            time.sleep(5.0)
            before = {p: procstat.Sample(u.pid) for p, u in callees.items()}
            for program, ua in callees.items():
                extra = [f"sip:bob@{harness.HOST}:{ua.sip_port}", "--duration", str(seconds)]
                args = dict(codecs=codec, srtp="mandatory" if srtp else None, command="call", extra=extra)
                callers[program] = peers.Dialtone(self.binary, wav8k=self.long_wavs[0], **args)
            for c in callers.values():
                c.proc.wait(seconds + 30)
            after = {p: procstat.Sample(u.pid) for p, u in callees.items()}
        finally:
            for u in list(callers.values()) + list(callees.values()):
                u.stop()
        out = {}
        for program in PROGRAMS:
            events = callers[program].proc.stdout()
            answered = '"answered"' in events
            # the stream's share: the call's CPU time over its length, less what the process spends idle
            during = procstat.cpu_share(before[program], after[program]) * (after[program].at - before[program].at) / seconds
            out[program] = during - procstat.cpu_share(idle[program], before[program]) if answered else None
            if not answered:
                say(f"    {program}: the call was not answered: {events[-300:]} {callers[program].proc.stderr()[-300:]}")
        return out

    def row_cpu(self):
        seconds = 15 if self.quick else 60
        for codec, srtp, goal, limit in (("pcmu", True, "< 0.2 %", 0.2), ("opus", False, "< 1 %", 1.0)):
            name = "G.711 + SRTP" if srtp else "Opus"
            f = self.figure(f"CPU per stream, {name} (% of a core)", "%", goal, lambda v, limit=limit: v < limit, False)
            for _ in range(self.reps):
                for program, v in self.cpu_case(codec, srtp, seconds).items():
                    if v is not None:
                        f.add(program, v)
                say(f"  {name}: dialtone {f.runs['dialtone']}, baresip {f.runs['baresip']}")
            f.notes.append(f"the answering UA's CPU time (/proc) over a {seconds}s call from a dialtone caller "
                           f"playing a tone, less its idle CPU share over the 5 s before; both UAs play a WAV back")

    # --- the table -----------------------------------------------------------------------

    def table(self):
        lines = ["| figure | dialtone median (low–high) | baresip median (low–high) | ratio | goal | met? |",
                 "|---|---:|---:|---:|---|---|"]
        for f in self.figures:
            lines.append(f"| {f.name} | {f.cell('dialtone')} | {f.cell('baresip')} | {f.ratio()} | "
                         f"{f.goal_text} | {f.met()} |")
        notes = [f"- {f.name}: {n}" for f in self.figures for n in f.notes]
        return "\n".join(lines) + "\n\n" + "\n".join(notes) + "\n"


ROWS = ("capacity", "concurrent", "idle", "launch", "transit", "cpu")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("rows", nargs="*", metavar="ROW")
    ap.add_argument("--dialtone", default=os.path.join(ROOT, "build", "release", "src", "dialtone"))
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--markdown")
    args = ap.parse_args()
    rows = args.rows or list(ROWS)
    unknown = [r for r in rows if r not in ROWS]
    if unknown:
        ap.error(f"unknown row {', '.join(unknown)}; rows are {' '.join(ROWS)}")
    if not os.access(args.dialtone, os.X_OK):
        ap.error(f"no dialtone binary at {args.dialtone}: ./run build makes it")
    # RTP below the kernel's ephemeral ports (32768-60999), where SIPp's and everyone's other
    # sockets land: a UA whose RTP port is taken ends the call.
    harness.set_rtp_region(10000, 32000)
    bench = Bench(args)
    started = datetime.datetime.now(datetime.timezone.utc)
    say(f"dialtone {bench.binary} vs baresip; {procstat.machine()}; {started:%Y-%m-%d %H:%M} UTC")
    failed = 0
    for row in rows:
        say(f"== {row}: {procstat.machine()}")
        try:
            getattr(bench, f"row_{row}")()
        except AssertionError as e:
            failed += 1
            say(f"  {row} failed: {e}")
        harness.stop_all()
        say(f"   {row} done: {procstat.machine()}")
    table = bench.table()
    say("\n" + table)
    say(f"machine: {procstat.machine()}; reps {args.reps}{' (quick)' if args.quick else ''}")
    if args.markdown:
        with open(args.markdown, "a") as f:
            f.write(f"Run of {started:%Y-%m-%d %H:%M} UTC, `{' '.join(sys.argv)}`, {procstat.machine()} at the end.\n\n")
            f.write(table + "\n")
    shutil.rmtree(harness.WORK, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
