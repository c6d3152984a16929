"""linphonec (linphone-cli) as a peer: files for a sound card, commands on its stdin.

Facts that shape this fixture (linphonec 5.1 on Debian 12):
- commands go through a pipe on its stdin. Without --pipe it reads that pipe line by line and
  echoes each command after its prompt (end of file does not stop it). With --pipe it serves
  /tmp/linphonec-UID instead (one instance per user), handles one read as one command, and its
  `quit` waits for a client on that socket: so no --pipe here;
- every call gets 503 unless the [storage] database paths are writable: HOME is private;
- `soundcard use files` then `play FILE` / `record FILE` replace the sound card; the recorder
  appends to a file that exists, and counts the WAV header in the data chunk's size;
- it ignores SIGTERM: it is asked to `quit`, then stopped by PID;
- sip_tcp_port=-1 means a random port, 0 means none.
"""
import os
import re
import subprocess
import tempfile

import harness

PROMPT = "linphonec> "


class Linphonec(harness.Proc):
    """One linphonec on 127.0.0.1 with its own SIP port, RTP ports, HOME and config file.

    `sip` adds or overrides keys of the [sip] section (use_info, use_rfc2833, ...).
    """

    def __init__(self, name="linphonec", user="lin", sip=None, rtp=None):
        self.user = user
        self.home = tempfile.mkdtemp(prefix=f"{name}-", dir=harness.WORK)
        os.makedirs(os.path.join(self.home, ".local", "share", "linphone"))
        self.sip_port = harness.free_port()
        self.rtp_ports = harness.rtp_range()
        self.log_path = os.path.join(self.home, "linphonec.log")
        self.config_path = os.path.join(self.home, "linphonerc")
        sip_section = {
            "sip_port": self.sip_port, "sip_tcp_port": 0, "sip_tls_port": 0,
            "bind_address": harness.HOST, "contact": f"sip:{user}@{harness.HOST}", "use_ipv6": 0,
            "use_info": 0, "use_rfc2833": 1,
        }
        sip_section.update(sip or {})
        rtp_section = {
            "audio_rtp_port": f"{self.rtp_ports[0]}-{self.rtp_ports[1]}",
            "bind_address": harness.HOST,
        }
        rtp_section.update(rtp or {})
        self._write_config({
            "sip": sip_section,
            "rtp": rtp_section,
            "storage": {"backend": "sqlite3", "uri": os.path.join(self.home, "linphone.db")},
            "video": {"enabled": 0, "capture": 0, "display": 0},
            "net": {"firewall_policy": 0},
        })
        env = dict(os.environ)
        env["HOME"] = self.home
        env["XDG_DATA_HOME"] = os.path.join(self.home, ".local", "share")
        env["XDG_CONFIG_HOME"] = os.path.join(self.home, ".config")
        argv = [harness.require("linphonec"), "-c", self.config_path, "-d", "5", "-l", self.log_path]
        super().__init__(name, argv, env=env, stdin=subprocess.PIPE)
        self._wait_prompts(1, 15.0, "its first prompt")
        harness.wait_for_udp_port(self.sip_port)

    def _write_config(self, sections):
        with open(self.config_path, "w") as f:
            for section, keys in sections.items():
                f.write(f"[{section}]\n")
                for key, value in keys.items():
                    f.write(f"{key}={value}\n")
                f.write("\n")

    @property
    def uri(self):
        return f"sip:{self.user}@{harness.HOST}:{self.sip_port}"

    def _wait_prompts(self, count, timeout, what):
        def enough():
            if not self.running():
                raise AssertionError(f"{self.name} exited ({self.p.returncode}) before {what}; "
                                     f"stdout tail: {self.stdout()[-800:]!r}; stderr tail: {self.stderr()[-800:]}")
            return self.stdout().count(PROMPT) >= count
        harness.wait_until(enough, timeout, f"{self.name}: {what}")

    def command(self, line, timeout=10.0):
        """Send one command and wait until linphonec has handled it (its next prompt)."""
        before = self.stdout().count(PROMPT)
        self.p.stdin.write((line + "\n").encode())
        self.p.stdin.flush()
        self._wait_prompts(before + 1, timeout, f"the prompt after '{line}'")

    def use_files(self, play, record):
        """WAV files instead of the sound card: `play` is sent, what arrives goes to `record`."""
        self.command("soundcard use files")
        self.command(f"play {play}")
        self.command(f"record {record}")

    def wait_output(self, pattern, timeout=10.0):
        """The first match of regular expression `pattern` in linphonec's console output."""
        rx = re.compile(pattern)

        def found():
            m = rx.search(self.stdout())
            if not m and not self.running():
                raise AssertionError(f"{self.name} exited before printing /{pattern}/")
            return m
        try:
            return harness.wait_until(found, timeout, f"{self.name} to print /{pattern}/")
        except AssertionError as e:
            raise AssertionError(f"{e}; output: {self.stdout()[-1500:]!r}") from None

    def log(self):
        with open(self.log_path, encoding="utf-8", errors="replace") as f:
            return f.read()

    def stop(self, grace=5.0):
        """`quit` first (SIGTERM is ignored), then by PID."""
        if self.running() and self.p.stdin and not self.p.stdin.closed:
            try:
                self.p.stdin.write(b"quit\n")
                self.p.stdin.flush()
                self.p.stdin.close()
                self.p.wait(timeout=grace)
            except (BrokenPipeError, subprocess.TimeoutExpired):
                pass
        return super().stop(grace=1.0)
