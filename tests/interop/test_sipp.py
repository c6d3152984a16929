#!/usr/bin/env python3
"""SIPp against dialtone: scenarios in sipp/ play the other party, one case per behaviour.

Usage: test_sipp.py PATH/TO/dialtone [case_name ...]

Each case checks both sides: dialtone's events and exit code, and SIPp's own verdict (its exit
code and, from -trace_stat, no failed call and no unexpected message). SIPp's traces (messages,
errors, final screen) stay in the work folder when a case fails.
"""
import csv
import datetime
import os
import socket
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import HOST, Dialtone  # noqa: E402

SCENARIOS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sipp")
harness.set_rtp_region(46000, 47998)


def port_bound(port):
    """True when something holds UDP `port` on 127.0.0.1."""
    try:
        harness.wait_for_udp_port(port, timeout=0)
        return True
    except AssertionError:
        return False


def free_media_port():
    """The first port of a block from this script's RTP region that is free now: SIPp binds its
    audio port and the video port two above at start, and exits if either is taken."""
    for _ in range(50):
        lo = harness.rtp_range(10)[0]
        try:
            held = []
            for port in (lo, lo + 1, lo + 2, lo + 3):
                sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                held.append(sock)
                sock.bind((HOST, port))
            return lo
        except OSError:
            continue
        finally:
            for sock in held:
                sock.close()
    raise AssertionError("no free block of 4 UDP ports in the RTP region 46000-47998")


class Sipp(harness.Proc):
    """One SIPp instance running one scenario file for one call (-m 1), bounded by -timeout.

    `remote` is where a UAC scenario sends its first request (None for a UAS scenario).
    `keys` become [name] keywords in the scenario's messages (-key name value).
    """

    def __init__(self, scenario, remote=None, keys=None, name=None):
        self.scenario = scenario
        self.port = harness.free_port()
        self.media_port = free_media_port()
        tag = f"{name or scenario}-{self.port}"
        self.files = {kind: os.path.join(harness.WORK, f"sipp-{tag}.{kind}")
                      for kind in ("stat", "errors", "messages", "screen")}
        argv = [harness.require("sipp"), "-sf", os.path.join(SCENARIOS, scenario + ".xml"),
                "-i", HOST, "-p", self.port, "-mp", self.media_port, "-m", 1, "-nostdin",
                "-timeout", "20s", "-timeout_error",
                "-trace_stat", "-stf", self.files["stat"],
                "-trace_err", "-error_file", self.files["errors"],
                "-trace_msg", "-message_file", self.files["messages"],
                "-trace_screen", "-screen_file", self.files["screen"]]
        for key, value in (keys or {}).items():
            argv += ["-key", key, value]
        if remote:
            argv.append(remote)
        super().__init__(f"sipp-{tag}", argv)
        if not remote:
            harness.wait_until(lambda: not self.running() or port_bound(self.port), 10.0,
                               f"SIPp listening on udp {HOST}:{self.port}")
            if not self.running():
                raise AssertionError(f"{self.name} exited at start ({self.p.returncode}): {self.diagnosis()}")

    def uri(self, user="sipp"):
        return f"sip:{user}@{HOST}:{self.port}"

    def _read(self, kind):
        try:
            with open(self.files[kind], encoding="utf-8", errors="replace") as f:
                return f.read()
        except FileNotFoundError:
            return ""

    def statistics(self):
        """The last row of the -trace_stat CSV as {column: value}."""
        rows = list(csv.reader(self._read("stat").splitlines(), delimiter=";"))
        if len(rows) < 2:
            raise AssertionError(f"{self.name}: no statistics written; {self.diagnosis()}")
        return dict(zip(rows[0], rows[-1]))

    def diagnosis(self):
        return (f"errors: {self._read('errors')[-800:]!r}; stderr: {self.stderr()[-300:]!r}; "
                f"message trace: {self.files['messages']}")

    def outcome(self, timeout=25.0):
        """(exit code, successful calls, failed calls, unexpected messages) once SIPp has exited."""
        code = self.wait(timeout)
        stats = self.statistics()

        def count(column):
            return int(stats.get(column, "0") or 0)

        return code, count("SuccessfulCall(C)"), count("FailedCall(C)"), count("FailedUnexpectedMessage(C)")

    def assert_passed(self, timeout=25.0):
        """SIPp's verdict: exit code 0, one successful call, no failed call, no unexpected message."""
        code, successful, failed, unexpected = self.outcome(timeout)
        if (code, successful, failed, unexpected) != (0, 1, 0, 0):
            raise AssertionError(f"{self.name}: exit {code}, successful {successful}, failed {failed}, "
                                 f"unexpected {unexpected}; {self.diagnosis()}")

    def messages(self):
        """Every message SIPp sent and received, as -trace_msg logged them."""
        return self._read("messages")


def listener(*args, stdin=subprocess.DEVNULL):
    """dialtone listen on a free UDP port; returns (process, port)."""
    d = Dialtone(["listen", "--exit-after", 1] + list(args), name="dialtone-listen", stdin=stdin)
    return d, d.sip_port()


def parse_time(stamp):
    """Seconds since the epoch of an event's "time" (ISO 8601 UTC with milliseconds)."""
    return datetime.datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=datetime.timezone.utc).timestamp()


def assert_exit(proc, expected, timeout=20.0):
    code = proc.wait(timeout)
    if code != expected:
        raise AssertionError(f"{proc.name}: exit {code}, expected {expected}; events {proc.names()}; "
                             f"stderr tail: {proc.stderr()[-1500:]}")


# --- SIPp calls dialtone --------------------------------------------------------------------------

def case_basic_call():
    d, port = listener("--auto-answer")
    sipp = Sipp("uac_basic", remote=f"{HOST}:{port}")
    sipp.assert_passed()
    incoming = d.wait_event("incoming")
    assert incoming["from"].startswith("sip:sipp@127.0.0.1"), incoming
    answered = d.wait_event("answered")
    assert answered["codec"] == "pcmu" and answered["remote_rtp"] == f"{HOST}:{sipp.media_port}", answered
    ended = d.wait_event("ended")
    assert ended["by_peer"] is True and ended["status"] == 200, ended
    assert_exit(d, 0)


def case_answer_by_stdin_command():
    d, port = listener(stdin=subprocess.PIPE)  # no --auto-answer: it rings until told
    sipp = Sipp("uac_basic", remote=f"{HOST}:{port}", name="uac_basic-stdin")
    incoming = d.wait_event("incoming")
    d.send(f"answer {incoming['call']}")
    sipp.assert_passed()
    assert d.wait_event("answered")["call"] == incoming["call"]
    assert d.wait_event("ended")["by_peer"] is True
    assert_exit(d, 0)


def case_invite_without_sdp():
    d, _ = listener("--auto-answer")
    sipp = Sipp("uac_invite_without_sdp", remote=f"{HOST}:{d.sip_port()}")
    sipp.assert_passed()
    answered = d.wait_event("answered")  # the answer came in the ACK
    assert answered["codec"] == "pcmu" and answered["remote_rtp"] == f"{HOST}:{sipp.media_port}", answered
    assert d.wait_event("ended")["by_peer"] is True
    assert_exit(d, 0)


def case_cancel_before_answer():
    d, port = listener()  # rings until told to answer: nobody does
    sipp = Sipp("uac_cancel", remote=f"{HOST}:{port}")
    sipp.assert_passed()
    ended = d.wait_event("ended")
    assert ended["status"] == 487 and ended["by_peer"] is True, ended
    assert not d.find("answered"), d.names()
    assert_exit(d, 0)


def case_reinvite_hold_and_resume():
    d, port = listener("--auto-answer")
    sipp = Sipp("uac_hold_resume", remote=f"{HOST}:{port}")
    sipp.assert_passed()  # SIPp checked a=recvonly in the answer to hold, a=sendrecv in the one to resume
    hold = d.wait_event("hold")
    assert hold["remote"] is True and hold["local"] is False, hold
    resume = d.wait_event("resume")
    assert resume["remote"] is False and resume["local"] is False, resume
    names = d.names()
    assert names.index("answered") < names.index("hold") < names.index("resume") < names.index("ended"), names
    assert_exit(d, 0)


def case_options():
    d, port = listener()
    Sipp("uac_options", remote=f"{HOST}:{port}").assert_passed()  # 200 with INVITE, MESSAGE, INFO allowed
    assert not d.find("incoming"), d.names()


def case_message():
    d, port = listener()
    text = "hello from SIPp: 1 2 3, ünïcödé"
    Sipp("uac_message", remote=f"{HOST}:{port}", keys={"text": text}).assert_passed()
    message = d.wait_event("message")
    assert message["text"] == text and message["call"] == 0, message
    assert message["from"].startswith("sip:sipp@127.0.0.1"), message
    assert message["content_type"].startswith("text/plain"), message


# INFO DTMF bodies as phones send them. Signal carries a digit or an RFC 4733 event code
# (10 = '*', 11 = '#', 12-15 = A-D, 16 = flash), the convention of Cisco's dtmf-relay and of
# phones that send numbers: dialtone reports the character.
INFO_DTMF = {
    "dtmf_relay_crlf": ("application/dtmf-relay", "Signal=1\r\nDuration=160\r\n", "1", 160),
    "dtmf_relay_bare_lf": ("application/dtmf-relay", "Signal=2\nDuration=160\n", "2", 160),
    "dtmf_relay_spaces": ("application/dtmf-relay", "  Signal = 3 \r\n Duration =  250 \r\n", "3", 250),
    "dtmf_relay_signal_10_is_star": ("application/dtmf-relay", "Signal=10\r\nDuration=160\r\n", "*", 160),
    "dtmf_relay_signal_11_is_hash": ("application/dtmf-relay", "Signal=11\r\nDuration=160\r\n", "#", 160),
    "dtmf_relay_letter": ("application/dtmf-relay", "Signal=B\r\nDuration=100\r\n", "B", 100),
    "dtmf_relay_no_duration": ("application/dtmf-relay", "Signal=4\r\n", "4", None),
    "dtmf_relay_no_final_line_end": ("application/dtmf-relay", "Signal=#\r\nDuration=120", "#", 120),
    "application_dtmf": ("application/dtmf", "5", "5", None),
    "application_dtmf_star": ("application/dtmf", "*\r\n", "*", None),
}


def info_dtmf_case(variant):
    content_type, body, digit, duration = INFO_DTMF[variant]
    d, port = listener("--auto-answer")
    Sipp("uac_info", remote=f"{HOST}:{port}", keys={"info_type": content_type, "info_body": body},
         name=f"uac_info-{variant}").assert_passed()  # both the INFO and its retransmission got 200
    d.wait_event("ended")
    dtmf = d.find("dtmf")
    assert [(e["digit"], e["method"]) for e in dtmf] == [(digit, "info")], \
        f"{variant}: body {body!r} gave {dtmf}; expected digit {digit!r} once, method info"
    if duration is not None:
        assert dtmf[0]["duration_ms"] == duration, dtmf
    assert_exit(d, 0)


for _variant in INFO_DTMF:
    globals()[f"case_info_{_variant}"] = (lambda v: lambda: info_dtmf_case(v))(_variant)


def case_info_unknown_body_gets_415():
    d, port = listener("--auto-answer")
    Sipp("uac_info_unknown_body", remote=f"{HOST}:{port}").assert_passed()  # 415 with Accept; BYE 200
    assert d.wait_event("ended")["by_peer"] is True
    assert not d.find("dtmf"), d.find("dtmf")
    assert_exit(d, 0)



# --- dialtone calls SIPp --------------------------------------------------------------------------

def caller(target, *args, env=None):
    """dialtone call TARGET as sip:alice@127.0.0.1."""
    return Dialtone(["--id", f"sip:alice@{HOST}", "call", target] + list(args), name="dialtone-call", env=env)


def case_ringing_then_answer():
    sipp = Sipp("uas_answer")
    d = caller(sipp.uri(), "--duration", 1)
    assert_exit(d, 0)
    sipp.assert_passed()  # it saw the ACK and our BYE
    assert d.wait_event("ringing")["status"] == 180
    answered = d.wait_event("answered")
    assert answered["codec"] == "pcmu" and answered["remote_rtp"] == f"{HOST}:{sipp.media_port}", answered
    ended = d.wait_event("ended")
    assert ended["by_peer"] is False, ended
    names = d.names()
    assert names.index("ringing") < names.index("answered") < names.index("ended"), names


def case_early_media_in_183():
    sipp = Sipp("uas_early_media")
    d = caller(sipp.uri(), "--duration", 1)
    assert_exit(d, 0)
    sipp.assert_passed()
    early = d.wait_event("early")
    assert early["codec"] == "pcmu" and early["remote_rtp"] == f"{HOST}:{sipp.media_port}", early
    names = d.names()
    assert names.index("early") < names.index("answered"), names


def rejected_case(status, exit_code):
    sipp = Sipp(f"uas_reject_{status}")
    d = caller(sipp.uri())
    assert_exit(d, exit_code)
    sipp.assert_passed()  # the final response was ACKed and nothing followed
    ended = d.wait_event("ended")
    assert ended["status"] == status and ended["by_peer"] is True, ended
    assert not d.find("answered"), d.names()


def case_busy_486_exits_4():
    rejected_case(486, 4)


def case_not_found_404_exits_5():
    rejected_case(404, 5)


def case_redirect_302_is_followed():
    second = Sipp("uas_answer", name="uas_answer-redirected")
    first = Sipp("uas_redirect", keys={"target": second.uri("moved")})
    d = caller(first.uri(), "--duration", 1)
    assert_exit(d, 0)
    first.assert_passed()   # 302 ACKed
    second.assert_passed()  # the new INVITE came here, was answered, ACKed and ended with BYE
    assert "INVITE sip:moved@" in second.messages(), "the redirected INVITE does not use the Contact of the 302"
    assert d.wait_event("answered")["remote_rtp"] == f"{HOST}:{second.media_port}"


def case_digest_challenge_on_invite_is_answered():
    sipp = Sipp("uas_auth", keys={"user": "alice", "password": "s3cret-pw"})
    d = caller(sipp.uri(), "--duration", 1, env={"DIALTONE_PASSWORD": "s3cret-pw"})
    assert_exit(d, 0)
    sipp.assert_passed()  # verifyauth accepted the Authorization of the second INVITE
    assert 'Authorization: Digest username="alice"' in sipp.messages()
    assert d.wait_event("answered")


def case_digest_wrong_password_exits_6():
    sipp = Sipp("uas_auth", keys={"user": "alice", "password": "s3cret-pw"})
    d = caller(sipp.uri(), "--duration", 1, env={"DIALTONE_PASSWORD": "not-the-password"})
    assert_exit(d, 6)
    ended = d.wait_event("ended")
    assert ended["status"] == 403 and ended["by_peer"] is True, ended
    # SIPp's verifyauth refused the credentials: the scenario's 403 branch fails its call
    code, successful, failed, _ = sipp.outcome()
    assert (code, successful, failed) == (1, 0, 1), f"SIPp: exit {code}, successful {successful}, failed {failed}"


def case_no_answer_exits_3_after_ring_timeout():
    sipp = Sipp("uas_no_answer")
    d = caller(sipp.uri(), "--ring-timeout", 2)
    assert_exit(d, 3, timeout=15)
    sipp.assert_passed()  # CANCEL came, 487 was ACKed
    ringing = d.wait_event("ringing")
    ended = d.wait_event("ended")
    assert ended["status"] == 487 and ended["by_peer"] is False, ended
    waited = parse_time(ended["time"]) - parse_time(ringing["time"])
    assert 1.5 <= waited <= 6.0, f"gave up {waited:.1f}s after ringing; --ring-timeout was 2s"


def case_bye_from_far_end_ends_the_call():
    sipp = Sipp("uas_bye_from_far_end")
    d = caller(sipp.uri())  # no --duration: only the far end ends this call
    assert_exit(d, 0)
    sipp.assert_passed()  # our 200 to its BYE arrived
    ended = d.wait_event("ended")
    assert ended["by_peer"] is True and ended["status"] == 200, ended


def case_answer_without_contact_is_acked_to_the_request_uri():
    sipp = Sipp("uas_answer_without_contact")
    d = caller(sipp.uri(), "--duration", 1)
    assert_exit(d, 0)
    sipp.assert_passed()  # the ACK and the BYE both reached it, one ACK only
    assert sipp.messages().count("ACK sip:sipp@127.0.0.1") >= 1
    ended = d.wait_event("ended")
    assert ended["by_peer"] is False, ended


def case_answer_with_malformed_contact_is_acked_then_ended():
    sipp = Sipp("uas_answer_with_malformed_contact")
    d = caller(sipp.uri(), "--duration", 5)
    code = d.wait(20)
    sipp.assert_passed()  # ACK then BYE, both to the Request-URI
    ended = d.wait_event("ended")
    assert ended["status"] == 502 and "Contact" in ended["reason"], ended
    assert not d.find("answered"), d.names()
    assert code == 5, f"exit {code}; expected 5 (the call failed with 502)"


if __name__ == "__main__":
    sys.exit(harness.run_cases(globals()))
