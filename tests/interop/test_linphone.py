#!/usr/bin/env python3
"""dialtone against linphonec: calls each way with audio checked, and linphonec's DTMF.

Usage: test_linphone.py DIALTONE [CASE ...]
"""
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from linphone import Linphonec  # noqa: E402

harness.set_rtp_region(44000, 45998)

DIALTONE_TONE, LINPHONE_TONE = 1000, 440
CALL_SECONDS = 4


def wav(name):
    """A fresh path in WORK: linphonec's recorder appends to a file that already exists."""
    stem, ext = os.path.splitext(name)
    return os.path.join(harness.WORK, f"{stem}-{os.urandom(4).hex()}{ext}")


def tones():
    """(what dialtone plays, what linphonec plays), fresh files for each case."""
    return (harness.write_tone(wav("dialtone-plays.wav"), DIALTONE_TONE, 8),
            harness.write_tone(wav("linphonec-plays.wav"), LINPHONE_TONE, 8))


def only_recording(directory):
    files = [f for f in os.listdir(directory) if f.endswith(".wav")]
    if len(files) != 1:
        raise AssertionError(f"expected one recording in {directory}, found {files}")
    return os.path.join(directory, files[0])


def assert_tones_both_ways(dialtone_heard, linphonec_heard):
    harness.assert_tone(dialtone_heard, LINPHONE_TONE)
    harness.assert_tone(linphonec_heard, DIALTONE_TONE)


def linphonec_calls_dialtone(dialtone_args=(), linphonec_sip=None):
    """linphonec calls a listening dialtone; both recordings checked. Returns dialtone's 'answered'."""
    # --null-audio: what dialtone hears goes to --record-dir only, no sound card is opened
    dt_play, lin_play = tones()
    record_dir = wav("dialtone-recordings")
    os.makedirs(record_dir)
    lin_heard = wav("linphonec-heard.wav")
    dt = harness.Dialtone(["--null-audio", "--play", dt_play, *dialtone_args,
                           "listen", "--auto-answer", "--record-dir", record_dir,
                           "--hangup-after", CALL_SECONDS, "--exit-after", 1])
    lin = Linphonec(sip=linphonec_sip)
    lin.use_files(lin_play, lin_heard)
    lin.command(f"call sip:dt@{harness.HOST}:{dt.sip_port()}")
    answered = dt.wait_event("answered", timeout=10)
    dt.wait_event("ended", timeout=CALL_SECONDS + 10)
    lin.wait_output(r"Call \d+ with .* ended", timeout=10)
    assert dt.wait(10) == 0, f"dialtone exit code {dt.p.returncode}"
    lin.stop()  # the recording is complete once linphonec has let go of it
    assert_tones_both_ways(only_recording(record_dir), lin_heard)
    return answered


def dialtone_calls_linphonec(dialtone_args=(), linphonec_sip=None):
    """A listening, auto-answering linphonec is called by dialtone; both recordings checked."""
    dt_play, lin_play = tones()
    dt_heard, lin_heard = wav("dialtone-heard.wav"), wav("linphonec-heard.wav")
    lin = Linphonec(sip=linphonec_sip)
    lin.command("autoanswer enable")
    lin.use_files(lin_play, lin_heard)
    dt = harness.Dialtone(["--play", dt_play, "--record", dt_heard, *dialtone_args,
                           "call", lin.uri, "--duration", CALL_SECONDS])
    answered = dt.wait_event("answered", timeout=10)
    assert dt.wait(CALL_SECONDS + 10) == 0, f"dialtone exit code {dt.p.returncode}; {dt.stderr()[-800:]}"
    lin.wait_output(r"Call \d+ with .* ended", timeout=10)
    lin.stop()
    assert_tones_both_ways(dt_heard, lin_heard)
    return answered


# --- calls ------------------------------------------------------------------------------------

def case_linphonec_calls_dialtone_audio_both_ways():
    answered = linphonec_calls_dialtone()
    assert answered["codec"] == "opus" and answered["srtp"] is None, answered


def case_dialtone_calls_linphonec_audio_both_ways():
    answered = dialtone_calls_linphonec()
    assert answered["codec"] == "opus" and answered["srtp"] is None, answered


def case_pcma_forced_linphonec_calls_dialtone():
    answered = linphonec_calls_dialtone(["--codecs", "pcma"])
    assert answered["codec"] == "pcma", answered


def case_pcma_forced_dialtone_calls_linphonec():
    answered = dialtone_calls_linphonec(["--codecs", "pcma"])
    assert answered["codec"] == "pcma", answered


SRTP_MANDATORY = {"media_encryption": "srtp", "media_encryption_mandatory": 1}


def case_srtp_mandatory_linphonec_calls_dialtone():
    answered = linphonec_calls_dialtone(["--srtp", "mandatory"], SRTP_MANDATORY)
    assert answered["srtp"] == "AES_CM_128_HMAC_SHA1_80", answered


def case_srtp_mandatory_dialtone_calls_linphonec():
    answered = dialtone_calls_linphonec(["--srtp", "mandatory"], SRTP_MANDATORY)
    assert answered["srtp"] == "AES_CM_128_HMAC_SHA1_80", answered


# --- DTMF -------------------------------------------------------------------------------------

DIGITS = "159#*0"


def linphonec_sends_digits(sip, method):
    """linphonec, in a call to dialtone, types DIGITS; each arrives once, in order, by `method`."""
    dt = harness.Dialtone(["listen", "--auto-answer", "--hangup-after", 30, "--exit-after", 1])
    target = f"sip:dt@{harness.HOST}:{dt.sip_port()}"
    lin = Linphonec(sip=sip)
    lin.command(f"call {target}")
    dt.wait_event("answered", timeout=10)
    lin.wait_output(r"Call \d+ with .* connected", timeout=10)
    for digit in DIGITS:
        lin.command(digit)
    harness.wait_until(lambda: len(dt.find("dtmf")) >= len(DIGITS), 20, f"{len(DIGITS)} dtmf events")
    time.sleep(0.5)  # a digit reported twice (RFC 4733 repeats its end packet) would show by now
    lin.command("terminate")
    dt.wait_event("ended", timeout=10)
    assert dt.wait(10) == 0, f"dialtone exit code {dt.p.returncode}"
    events = dt.find("dtmf")
    got = "".join(e["digit"] for e in events)
    assert got == DIGITS, f"digits {got!r}, expected {DIGITS!r}: {events}"
    methods = {e["method"] for e in events}
    assert methods == {method}, f"methods {methods}, expected {method}: {events}"


def case_linphonec_info_dtmf_arrives_once_in_order():
    linphonec_sends_digits({"use_info": 1, "use_rfc2833": 0}, "info")


def case_linphonec_rfc4733_dtmf_arrives_once_in_order():
    linphonec_sends_digits({"use_info": 0, "use_rfc2833": 1}, "rfc4733")


def dialtone_sends_digits(method):
    """dialtone, calling linphonec, sends DIGITS by `method`; linphonec reports each once, in order."""
    lin = Linphonec(sip={"use_info": 0, "use_rfc2833": 1})
    lin.command("autoanswer enable")
    dt = harness.Dialtone(["--dtmf", method, "call", lin.uri, "--send-dtmf", DIGITS, "--duration", 4])
    assert dt.wait(15) == 0, f"dialtone exit code {dt.p.returncode}; {dt.stderr()[-800:]}"
    sent = dt.find("dtmf_sent")
    assert "".join(e["digit"] for e in sent) == DIGITS and {e["method"] for e in sent} == {method}, sent
    lin.wait_output(r"Call \d+ with .* ended", timeout=10)
    heard = "".join(re.findall(r"Receiving tone (\S) from", lin.stdout()))
    assert heard == DIGITS, f"linphonec heard {heard!r}, expected {DIGITS!r}"


def case_dialtone_info_dtmf_reaches_linphonec_once_in_order():
    dialtone_sends_digits("info")


def case_dialtone_rfc4733_dtmf_reaches_linphonec_once_in_order():
    dialtone_sends_digits("rfc4733")


# --- hold -------------------------------------------------------------------------------------

def packets_received(dt):
    stats = dt.find("stats")
    return stats[-1]["packets_received"] if stats else 0


def case_hold_and_resume_each_way_then_audio_flows():
    """dialtone holds and resumes (re-INVITEs), then linphonec pauses and resumes; the call goes on."""
    dt_play, lin_play = tones()
    dt_heard, lin_heard = wav("dialtone-heard.wav"), wav("linphonec-heard.wav")
    lin = Linphonec()
    lin.command("autoanswer enable")
    lin.use_files(lin_play, lin_heard)
    # -v: a stats event every second, to see packets arrive after the resume
    dt = harness.Dialtone(["-v", "--play", dt_play, "--record", dt_heard, "call", lin.uri, "--duration", 30],
                          stdin=subprocess.PIPE)
    dt.wait_event("answered", timeout=10)
    dt.send("hold")
    dt.wait_event("hold", local=True, remote=False)
    lin.wait_output(r"Call \d+ has been paused by ")
    dt.send("resume")
    dt.wait_event("resume")
    lin.command("pause")
    dt.wait_event("hold", local=False, remote=True)
    lin.wait_output(r"Call \d+ with .* is now paused")  # its resume fails while the pause is under way
    lin.command("resume")
    harness.wait_until(lambda: len(dt.find("resume")) >= 2, 10, "dialtone's second 'resume' event")
    resumed_at = packets_received(dt)
    # linphonec sends 50 packets a second
    harness.wait_until(lambda: packets_received(dt) >= resumed_at + 50, 10,
                       f"packets from linphonec after the resume (had {resumed_at})")
    dt.send("hangup")
    assert dt.wait(10) == 0, f"dialtone exit code {dt.p.returncode}; {dt.stderr()[-800:]}"
    lin.wait_output(r"Call \d+ with .* ended", timeout=10)
    lin.stop()
    assert_tones_both_ways(dt_heard, lin_heard)


# --- transfer ---------------------------------------------------------------------------------

def case_dialtone_transfers_linphonec_then_leaves():
    """dialtone's REFER sends linphonec to a second dialtone; on NOTIFY 200 dialtone hangs up."""
    bob = harness.Dialtone(["listen", "--auto-answer", "--hangup-after", 2, "--exit-after", 1], name="bob")
    bob_uri = f"sip:bob@{harness.HOST}:{bob.sip_port()}"
    lin = Linphonec()
    lin.command("autoanswer enable")
    dt = harness.Dialtone(["call", lin.uri], stdin=subprocess.PIPE)
    dt.wait_event("answered", timeout=10)
    dt.send(f"transfer {bob_uri}")
    incoming = bob.wait_event("incoming", timeout=10)
    assert incoming["source"] == f"{harness.HOST}:{lin.sip_port}", incoming
    bob.wait_event("answered", timeout=10)
    done = dt.wait_event("transfer_progress", timeout=10, final=True)
    assert done["status"] == 200, done
    ended = dt.wait_event("ended", timeout=10)
    assert ended["reason"] == "transferred" and not ended["by_peer"], ended
    assert dt.wait(10) == 0, f"dialtone exit code {dt.p.returncode}"
    assert bob.wait(10) == 0, f"bob's exit code {bob.p.returncode}"


def case_linphonec_transfers_dialtone_which_follows():
    """linphonec's REFER sends dialtone to a second dialtone; dialtone stays in the new call."""
    dt_play, _ = tones()
    record_dir = wav("carol-recordings")
    os.makedirs(record_dir)
    carol = harness.Dialtone(["--null-audio", "listen", "--auto-answer", "--record-dir", record_dir,
                              "--hangup-after", CALL_SECONDS, "--exit-after", 1], name="carol")
    carol_uri = f"sip:carol@{harness.HOST}:{carol.sip_port()}"
    lin = Linphonec()
    lin.command("autoanswer enable")
    dt = harness.Dialtone(["--null-audio", "--play", dt_play, "call", lin.uri])
    dt.wait_event("answered", call=1, timeout=10)
    call_id = lin.wait_output(r"Receiving new incoming call from .*, assigned id (\d+)").group(1)
    lin.wait_output(rf"Media streams established with .* for call {call_id} ")
    lin.command(f"transfer {call_id} {carol_uri}")
    transfer = dt.wait_event("transfer", timeout=10)
    assert transfer["target"] == carol_uri, transfer
    new_call = transfer["new_call"]
    dt.wait_event("answered", call=new_call, timeout=10)
    first_ended = dt.wait_event("ended", call=1, timeout=10)
    assert first_ended["by_peer"], first_ended  # linphonec leaves once the transfer succeeded
    # the call with carol goes on until carol hangs up
    second_ended = dt.wait_event("ended", call=new_call, timeout=CALL_SECONDS + 10)
    assert second_ended["by_peer"], second_ended
    assert dt.wait(10) == 0, f"dialtone exit code {dt.p.returncode}"
    assert carol.wait(10) == 0, f"carol's exit code {carol.p.returncode}"
    harness.assert_tone(only_recording(record_dir), DIALTONE_TONE)


def case_linphonec_transfers_dialtone_to_a_busy_target_and_the_call_stays():
    """The new call gets 486: dialtone stays in the first call until --duration ends it."""
    busy = harness.Dialtone(["listen", "--auto-answer", "--answer-code", 486], name="busy")
    busy_uri = f"sip:busy@{harness.HOST}:{busy.sip_port()}"
    lin = Linphonec()
    lin.command("autoanswer enable")
    dt = harness.Dialtone(["call", lin.uri, "--duration", CALL_SECONDS])
    dt.wait_event("answered", call=1, timeout=10)
    call_id = lin.wait_output(r"Receiving new incoming call from .*, assigned id (\d+)").group(1)
    lin.wait_output(rf"Media streams established with .* for call {call_id} ")
    lin.command(f"transfer {call_id} {busy_uri}")
    new_call = dt.wait_event("transfer", timeout=10)["new_call"]
    refused = dt.wait_event("ended", call=new_call, timeout=10)
    assert refused["status"] == 486, refused
    assert dt.wait(CALL_SECONDS + 10) == 0, f"dialtone exit code {dt.p.returncode}"
    first = dt.find("ended", call=1)
    assert first and not first[0]["by_peer"] and first[0]["reason"] == "hung up", first


# --- call set-up that ends early, and requests outside calls ----------------------------------

def case_linphonec_gives_up_before_the_answer():
    """linphonec's CANCEL ends dialtone's ringing call with 487."""
    dt = harness.Dialtone(["listen", "--exit-after", 1])
    lin = Linphonec()
    lin.command(f"call sip:dt@{harness.HOST}:{dt.sip_port()}")
    dt.wait_event("incoming", timeout=10)
    lin.wait_output(r"Call \d+ to .* ringing")
    lin.command("terminate")
    ended = dt.wait_event("ended", timeout=10)
    assert ended["status"] == 487 and ended["by_peer"], ended
    assert dt.wait(10) == 0, f"dialtone exit code {dt.p.returncode}"


def case_linphonec_declines_and_dialtone_exits_5():
    lin = Linphonec()
    dt = harness.Dialtone(["call", lin.uri])
    call_id = lin.wait_output(r"Receiving new incoming call from .*, assigned id (\d+)").group(1)
    lin.command(f"terminate {call_id}")
    assert dt.wait(10) == 5, f"dialtone exit code {dt.p.returncode}; events {dt.names()}"
    ended = dt.find("ended")
    assert ended and ended[0]["status"] == 603 and ended[0]["by_peer"], ended


def case_options_and_message_to_linphonec():
    lin = Linphonec()
    options = harness.Dialtone(["options", lin.uri], name="options")
    assert options.wait(10) == 0, f"options exit code {options.p.returncode}"
    assert options.find("options", status=200), options.events()
    text = "hello from dialtone"
    message = harness.Dialtone(["message", lin.uri, text], name="message")
    assert message.wait(10) == 0, f"message exit code {message.p.returncode}"
    assert message.find("message_sent", status=200), message.events()
    lin.wait_output(rf"Message received from sip:dialtone@[^:]+: {text}")


if __name__ == "__main__":
    sys.exit(harness.run_cases(globals()))
