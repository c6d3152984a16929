"""The two programs under test, started the same way: an auto-answering UA on 127.0.0.1.

`Dialtone` runs the release binary with `listen --auto-answer`; `Baresip` runs baresip 1.0.0 with
a private config directory (aufile source, no device, no recording, answermode=auto). Both play
the same WAV (an 8 kHz one for dialtone, the 48 kHz mono copy baresip's aufile needs), or echo
what they hear. Processes come from the interop harness, so they are stopped by PID.
"""
import json
import os
import signal
import socket
import time

import harness

HOST = harness.HOST


def bind_udp():
    """A UDP socket bound to a free port of 127.0.0.1 (closed by the caller)."""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((HOST, 0))
    return s


class UA:
    """What every program under test offers the rows: a PID, a SIP port, stop()."""
    name = "?"
    proc = None
    sip_port = 0

    @property
    def pid(self):
        return self.proc.pid

    def running(self):
        return self.proc.running()

    def stop(self):
        return self.proc.stop()

    def log_tail(self):
        return (self.proc.stdout()[-800:] + self.proc.stderr()[-800:]).strip()

    def wait_ready(self, timeout=10.0):
        harness.wait_for_udp_port(self.sip_port, timeout)


class Dialtone(UA):
    name = "dialtone"

    def __init__(self, binary, wav8k=None, echo=False, registrar=None, codecs=None, srtp=None, rtp_ports=None,
                 command="listen", extra=(), global_args=()):
        self.sip_port = harness.free_port()
        argv = [binary, "--null-audio", "--json", "--listen", f"{HOST}:{self.sip_port}", "--no-tcp", "--quiet"]
        if wav8k and not echo:
            argv += ["--play", wav8k]
        if registrar:
            argv += ["--id", f"sip:alice@{HOST}", "--registrar", f"sip:{registrar}"]
        if codecs:
            argv += ["--codecs", codecs]
        if srtp:
            argv += ["--srtp", srtp]
        lo, hi = rtp_ports or harness.rtp_range(4000)
        argv += ["--rtp-ports", f"{lo}-{hi}"] + list(global_args)
        argv += [command]
        if command == "listen":
            argv += ["--auto-answer"]
            if echo:
                argv += ["--echo"]
        argv += list(extra)
        env = harness.dialtone_env()
        self.proc = harness.Proc("dialtone", argv, env=env)

    def stats(self):
        """The final per-call RTP figures (one `stats` event per call with final=true)."""
        out = []
        for line in self.proc.stdout().splitlines():
            if '"stats"' in line:
                try:
                    e = json.loads(line)
                except ValueError:
                    continue
                if e.get("event") == "stats" and e.get("final"):
                    out.append(e)
        return out


# aubridge only for echo: loaded with an aufile source it stalls every call (baresip 1.0.0)
BARESIP_MODULES = ["g711", "opus", "aufile", "ausine", "srtp", "account"]


class Baresip(UA):
    name = "baresip"

    def __init__(self, wav48k=None, echo=False, registrar=None, codecs=None, srtp=None, rtp_ports=None,
                 dial=None, answer=True):
        harness.require("baresip")
        self.dir = os.path.join(harness.WORK, f"baresip-{time.monotonic_ns()}")
        os.makedirs(self.dir)
        self.sip_port = harness.free_port()
        lo, hi = rtp_ports or harness.rtp_range(4000)
        if echo:  # aubridge joins a player and a source of the same device name: the caller hears itself
            source, player = "aubridge,echo", "aubridge,echo"
        elif not wav48k:  # a generated tone: aufile would hold a copy of the whole file per call
            source, player = "ausine,440", "aufile,/dev/null"
        else:
            source, player = f"aufile,{wav48k}", "aufile,/dev/null"
        config = [
            "poll_method epoll",
            f"sip_listen {HOST}:{self.sip_port}",
            "call_max_calls 10000",
            "call_local_timeout 120",
            f"audio_source {source}",
            f"audio_player {player}",
            "audio_alert aufile,/dev/null",
            f"rtp_ports {lo}-{hi + 1}",
            "rtp_timeout 0",
            f"net_interface {HOST}",
            "module_path /usr/lib/baresip/modules",
        ] + [f"module {m}.so" for m in BARESIP_MODULES + (["aubridge"] if echo else [])]
        if not echo:  # aubridge needs source and player at the codec's rate: left unset for echo
            config += ["ausrc_srate 48000", f"ausrc_channels {1 if wav48k else 2}"]  # ausine is stereo only
        if dial:
            config += ["module menu.so"]
        with open(os.path.join(self.dir, "config"), "w") as f:
            f.write("\n".join(config) + "\n")
        if registrar:
            account = f"<sip:alice@{HOST};transport=udp>;outbound=\"sip:{registrar};transport=udp\";regint=3600"
        else:
            account = f"<sip:bob@{HOST}:{self.sip_port};transport=udp>;regint=0"
        if answer:
            account += ";answermode=auto"
        if codecs:
            account += f";audio_codecs={codecs}"
        if srtp:
            account += f";mediaenc={srtp}"
        with open(os.path.join(self.dir, "accounts"), "w") as f:
            f.write(account + "\n")
        open(os.path.join(self.dir, "contacts"), "w").close()
        argv = [harness.require("baresip"), "-f", self.dir]
        if dial:
            argv += ["-e", f"/dial {dial}"]
        self.proc = harness.Proc("baresip", argv, stop_signal=signal.SIGTERM)


def start(program, binary, wavs, **kw):
    """An auto-answering UA of `program` ("dialtone" or "baresip"); `wavs` = (8 kHz, 48 kHz), or
    None for generated audio (dialtone's encoded silence, baresip's ausine tone)."""
    if program == "dialtone":
        return Dialtone(binary, wav8k=wavs[0] if wavs else None, **kw)
    return Baresip(wav48k=wavs[1] if wavs else None, **kw)
