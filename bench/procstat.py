"""One process's footprint from /proc: CPU time, RSS, threads and context switches (all threads)."""
import os
import statistics
import time

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


class Sample:
    def __init__(self, pid):
        self.pid = pid
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        # fields[0] is field 3 (state): utime is field 14, stime field 15
        self.cpu_s = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
        status = read_status(pid)
        self.rss_kb = int(status["VmRSS"].split()[0])
        self.threads = int(status["Threads"])
        self.switches = 0
        for tid in os.listdir(f"/proc/{pid}/task"):
            try:
                s = read_status(pid, tid)
            except OSError:
                continue
            self.switches += int(s["voluntary_ctxt_switches"]) + int(s["nonvoluntary_ctxt_switches"])
        self.at = time.monotonic()


def read_status(pid, tid=None):
    path = f"/proc/{pid}/status" if tid is None else f"/proc/{pid}/task/{tid}/status"
    out = {}
    with open(path) as f:
        for line in f:
            key, _, value = line.partition(":")
            out[key] = value.strip()
    return out


def cpu_share(a, b):
    """Share of one core used between two samples, in %."""
    return 100.0 * (b.cpu_s - a.cpu_s) / max(b.at - a.at, 1e-9)


def wakeups_per_s(a, b):
    return (b.switches - a.switches) / max(b.at - a.at, 1e-9)


def machine():
    """`nproc` and the load averages, as printed beside every figure."""
    with open("/proc/loadavg") as f:
        load = " ".join(f.read().split()[:3])
    return f"nproc {os.cpu_count()}, load average {load}"


def summary(values):
    """(median, lowest, highest) of the values that are not None."""
    v = [x for x in values if x is not None]
    if not v:
        return None, None, None
    return statistics.median(v), min(v), max(v)
