"""A baresip 1.0.0 peer for the interop suite: one account, auto-answer, a WAV as microphone.

Each instance gets a private config directory under harness.WORK (config, accounts, contacts),
listens for SIP on its own port of 127.0.0.1 and takes RTP ports from the script's region. It
plays `tone` (a 48 kHz mono WAV, as `ausrc_srate 48000`/`ausrc_channels 1` require) and the
sndfile module writes what it hears to `<snd_path>/dump-*-dec.wav`. It is driven through
ctrl_tcp: netstring-framed JSON commands (`dial`, `hangup`, `sndcode`), with responses and
events (`CALL_ESTABLISHED`, `CALL_DTMF_START`, `CALL_CLOSED`, ...) coming back the same way.

baresip ends a call by itself when the aufile source runs out, so the tone's length bounds
every call it takes part in.
"""
import glob
import json
import os
import signal
import socket
import threading
import time

import harness

MODULES = ["opus", "g711", "aufile", "sndfile", "srtp", "account", "menu", "ctrl_tcp"]


class CtrlTcp:
    """A client of baresip's ctrl_tcp module: netstrings (`LEN:JSON,`) both ways.

    A reader thread collects every message; responses are matched to commands by token.
    """

    def __init__(self, port, timeout=20.0):
        self.sock = harness.wait_until(lambda: self._connect(port), timeout, f"baresip ctrl_tcp on port {port}")
        self._lock = threading.Lock()
        self._messages = []
        self._token = 0
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    @staticmethod
    def _connect(port):
        try:
            return socket.create_connection((harness.HOST, port), timeout=0.5)
        except OSError:
            return None

    def _read(self):
        buf = b""
        self.sock.settimeout(None)
        while True:
            try:
                data = self.sock.recv(65536)
            except OSError:
                return
            if not data:
                return
            buf += data
            while True:  # netstring: decimal length, ':', payload, ','
                colon = buf.find(b":")
                if colon < 0 or not buf[:colon].isdigit():
                    break
                end = colon + 1 + int(buf[:colon])
                if len(buf) <= end:
                    break
                payload, buf = buf[colon + 1:end], buf[end + 1:]
                with self._lock:
                    self._messages.append(json.loads(payload))

    def messages(self):
        with self._lock:
            return list(self._messages)

    def events(self, kind=None):
        return [m for m in self.messages() if m.get("event") and (kind is None or m.get("type") == kind)]

    def command(self, command, params="", timeout=5.0):
        """Run a command and return its response ({"ok": ..., "data": ...}); fail when it is not ok."""
        self._token += 1
        token = f"t{self._token}"
        body = json.dumps({"command": command, "params": params, "token": token}).encode()
        self.sock.sendall(str(len(body)).encode() + b":" + body + b",")
        response = harness.wait_until(
            lambda: next((m for m in self.messages() if m.get("response") and m.get("token") == token), None),
            timeout, f"baresip's response to {command} {params}")
        if not response.get("ok"):
            raise AssertionError(f"baresip refused '{command} {params}': {response.get('data')}")
        return response

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


class Baresip:
    """A running baresip with one account for `user`.

    Without `registrar` the account is local (`sip:user@127.0.0.1:PORT`, no REGISTER). With
    `registrar` ("host:port" of a proxy/registrar) it registers `sip:user@domain` there with
    `password` and sends every request through it (`outbound`). `codecs` becomes the account's
    `audio_codecs` (e.g. "PCMU/8000/1"), `mediaenc` its media encryption (e.g. "srtp-mand").
    """

    def __init__(self, tone, user="bob", name="baresip", registrar=None, domain=harness.HOST, password=None,
                 transport="udp", codecs=None, mediaenc=None, answermode="auto"):
        harness.require("baresip")
        self.user = user
        self.dir = os.path.join(harness.WORK, f"{name}-{time.monotonic_ns()}")
        self.snd_path = os.path.join(self.dir, "recordings")
        os.makedirs(self.snd_path)
        self.sip_port = harness.free_port(span=2)  # SIP on the port, SIP/TLS on the next
        self.ctrl_port = harness.free_port()
        while self.ctrl_port == self.sip_port + 1:
            self.ctrl_port = harness.free_port()
        lo, hi = harness.rtp_range()
        self._write_config(tone, lo, hi)
        self._write_accounts(registrar, domain, password, transport, codecs, mediaenc, answermode)
        with open(os.path.join(self.dir, "contacts"), "w"):
            pass
        self.proc = harness.Proc(name, [harness.require("baresip"), "-f", self.dir], stop_signal=signal.SIGTERM)
        try:
            self.ctrl = CtrlTcp(self.ctrl_port)
        except AssertionError:
            self.proc.stop()
            raise AssertionError(f"baresip did not start: {self.log()[-1500:]}")

    def _write_config(self, tone, rtp_lo, rtp_hi):
        lines = [
            "poll_method epoll",
            f"sip_listen {harness.HOST}:{self.sip_port}",
            "call_local_timeout 30",
            "call_max_calls 4",
            f"audio_source aufile,{tone}",
            "audio_player aufile,/dev/null",
            "audio_alert aufile,/dev/null",
            "ausrc_srate 48000",
            "ausrc_channels 1",
            f"rtp_ports {rtp_lo}-{rtp_hi + 1}",
            "rtp_timeout 10",
            f"net_interface {harness.HOST}",
            "module_path /usr/lib/baresip/modules",
            f"ctrl_tcp_listen {harness.HOST}:{self.ctrl_port}",
            f"snd_path {self.snd_path}",
        ]
        lines += [f"module {m}.so" for m in MODULES]
        with open(os.path.join(self.dir, "config"), "w") as f:
            f.write("\n".join(lines) + "\n")

    def _write_accounts(self, registrar, domain, password, transport, codecs, mediaenc, answermode):
        if registrar:
            aor = f"<sip:{self.user}@{domain};transport={transport}>"
            params = [f'outbound="sip:{registrar};transport={transport}"', "regint=300"]
            if password:
                params.append(f"auth_pass={password}")
        else:
            aor = f"<sip:{self.user}@{harness.HOST}:{self.sip_port};transport={transport}>"
            params = ["regint=0"]
        params.append(f"answermode={answermode}")
        if codecs:
            params.append(f"audio_codecs={codecs}")
        if mediaenc:
            params.append(f"mediaenc={mediaenc}")
        self.account = aor + "".join(";" + p for p in params)
        with open(os.path.join(self.dir, "accounts"), "w") as f:
            f.write(self.account + "\n")

    @property
    def uri(self):
        """Where to reach this account directly (no proxy)."""
        return f"sip:{self.user}@{harness.HOST}:{self.sip_port}"

    def log(self):
        return self.proc.stdout() + self.proc.stderr()

    def events(self, kind=None):
        return self.ctrl.events(kind)

    def wait_event(self, kind, timeout=10.0):
        try:
            return harness.wait_until(lambda: next(iter(self.events(kind)), None), timeout, f"baresip event {kind}")
        except AssertionError:
            seen = [e.get("type") for e in self.events()]
            raise AssertionError(f"baresip: no {kind} event within {timeout}s; events {seen}; "
                                 f"log tail: {self.log()[-1500:]}")

    def wait_registered(self, timeout=10.0):
        """Until `reginfo` shows the account registered (its REGISTER_OK event may come before
        ctrl_tcp has a client, so the event alone cannot be waited for)."""
        def state():
            info = self.ctrl.command("reginfo")["data"]
            if "ERR" in info:
                raise AssertionError(f"baresip's registration failed: {info.strip()}")
            return "OK" in info
        try:
            harness.wait_until(state, timeout, "baresip to register")
        except AssertionError as e:
            raise AssertionError(f"{e}; log tail: {self.log()[-800:]}") from None

    def dial(self, uri):
        return self.ctrl.command("dial", uri)

    def hangup(self):
        return self.ctrl.command("hangup")

    def send_dtmf(self, digits):
        """RFC 4733 telephone events, one key press and release per digit."""
        return self.ctrl.command("sndcode", digits)

    def received_dtmf(self):
        return "".join(e.get("param", "") for e in self.events("CALL_DTMF_START"))

    def recording(self):
        """The WAV of what baresip heard (decoded far-end audio) in its one call."""
        found = sorted(glob.glob(os.path.join(self.snd_path, "*-dec.wav")))
        if not found:
            raise AssertionError(f"baresip recorded nothing in {self.snd_path}; log tail: {self.log()[-1500:]}")
        return found[-1]

    def stop(self):
        self.ctrl.close()
        return self.proc.stop()
