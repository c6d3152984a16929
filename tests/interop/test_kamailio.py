#!/usr/bin/env python3
"""dialtone against Kamailio as registrar and proxy with digest authentication (issue 6).

Usage: test_kamailio.py DIALTONE [case_name ...]
"""
import os
import signal
import subprocess
import sys
import time

import harness
from harness import Dialtone
from kamailio import Kamailio

harness.set_rtp_region(40000, 41998)

PASSWORD = "s3cret-pw"


def tls_trust(k, transport):
    return ["--tls-ca", k.ca_file] if transport == "tls" else []


def registering(k, user, transport="udp", password=PASSWORD, extra=(), command=("register",), name=None,
                stdin=None):
    """A dialtone registered as `user` with Kamailio over `transport` (the password by environment)."""
    args = ["--id", f"sip:{user}@{k.domain}", "--registrar", k.registrar(transport), "--transport", transport]
    args += tls_trust(k, transport) + list(extra) + list(command)
    kw = {"stdin": stdin} if stdin is not None else {}
    return Dialtone(args, name=name or f"dialtone-{user}", env={"DIALTONE_PASSWORD": password}, **kw)


def contact_of(k, user, transport):
    contacts = k.contacts(user)
    assert len(contacts) == 1, f"{user}: expected one contact in Kamailio's location table, got {contacts}"
    uri = contacts[0]["uri"]
    if transport == "tls":
        assert uri.startswith("sips:") or "transport=tls" in uri.lower(), f"a TLS contact, got {uri}"
    elif transport == "tcp":
        assert "transport=tcp" in uri.lower(), f"a TCP contact, got {uri}"
    return contacts[0]


def check_registers(transport):
    k = Kamailio(users={"alice": PASSWORD}).start()
    d = registering(k, "alice", transport)
    ev = d.wait_event("registered", timeout=10)
    assert ev["aor"] == "sip:alice@127.0.0.1", ev
    assert ev["bindings"] == 1, ev  # the registrar's 200 lists our one contact
    c = contact_of(k, "alice", transport)
    assert c["uri"].startswith(("sip:alice@127.0.0.1:", "sips:alice@127.0.0.1:")), c
    assert c["socket"].startswith(transport + ":"), f"REGISTER arrived over {c['socket']}, not {transport}"
    # what dialtone reports granted is what Kamailio holds (give or take the second that passed)
    assert 0 < ev["expires"] and abs(ev["expires"] - c["expires"]) <= 2, (ev, c)
    d.stop()


def case_registers_over_udp():
    check_registers("udp")


def case_registers_over_tcp():
    check_registers("tcp")


def case_registers_over_tls():
    check_registers("tls")



def case_refreshes_before_the_granted_expiry():
    # The registrar grants 4 s whatever is asked; dialtone must come back before they run out.
    k = Kamailio(users={"alice": PASSWORD}, max_expires=4).start()
    d = registering(k, "alice")
    first = d.wait_event("registered", timeout=10)
    assert first["expires"] == 4, f"the registrar granted 4 s, dialtone reports {first}"
    modified = contact_of(k, "alice", "udp")["raw"]["Last-Modified"]
    harness.wait_until(lambda: len(d.find("registered")) >= 3, 10, "two refreshes (three registered events)")
    c = contact_of(k, "alice", "udp")  # still there, well past the first 4 s
    assert c["raw"]["Last-Modified"] > modified, f"the binding was not refreshed: {c['raw']}"
    assert c["expires"] > 0, c
    assert not d.find("registration_failed"), d.find("registration_failed")
    d.stop()


def check_unregisters_on(sig):
    k = Kamailio(users={"alice": PASSWORD}).start()
    d = registering(k, "alice")
    d.wait_event("registered", timeout=10)
    contact_of(k, "alice", "udp")
    os.kill(d.pid, sig)
    code = d.wait(timeout=10)
    assert code == 0, f"dialtone register exited {code} after {signal.Signals(sig).name}; stderr: {d.stderr()[-800:]}"
    assert d.find("unregistered"), f"no unregistered event: {d.names()}"
    assert k.contacts("alice") == [], f"contact left in Kamailio's table: {k.contacts('alice')}"


def case_unregisters_on_sigterm():
    check_unregisters_on(signal.SIGTERM)


def case_unregisters_on_sigint():
    check_unregisters_on(signal.SIGINT)


def case_wrong_password_exits_6_saying_credentials_refused():
    k = Kamailio(users={"alice": PASSWORD}).start()
    d = registering(k, "alice", password="not-the-password")
    code = d.wait(timeout=15)
    assert code == 6, f"exit code {code}, expected 6; stderr: {d.stderr()[-800:]}"
    err = d.stderr().lower()
    assert "credentials" in err and "refused" in err, f"stderr does not say the credentials were refused: {err[-800:]}"
    failed = d.find("registration_failed")
    assert failed and failed[-1]["status"] == 401, failed
    assert k.contacts("alice") == []


def case_registers_with_sha256_digest():
    k = Kamailio(users={"alice": PASSWORD}, algorithm="SHA-256").start()
    d = registering(k, "alice", extra=["--sip-trace"])
    d.wait_event("registered", timeout=10)
    contact_of(k, "alice", "udp")
    auth = [line for line in d.stderr().splitlines() if line.lower().startswith("authorization:")]
    assert auth and all("algorithm=sha-256" in line.lower() for line in auth), f"credentials sent: {auth}"
    d.stop()


def tones(tag):
    """WAV files with 1 kHz and 440 Hz tones, long enough for a call of a few seconds."""
    a = harness.write_tone(os.path.join(harness.WORK, f"{tag}-1000.wav"), 1000, 8)
    b = harness.write_tone(os.path.join(harness.WORK, f"{tag}-440.wav"), 440, 8)
    return a, b


def recording_in(directory):
    wavs = [f for f in os.listdir(directory) if f.endswith(".wav")] if os.path.isdir(directory) else []
    assert len(wavs) == 1, f"expected one recording in {directory}, found {wavs}"
    return os.path.join(directory, wavs[0])


def callee(k, user, transport, tone, record_dir, extra=()):
    """`listen --auto-answer` registered with Kamailio, playing `tone` and recording each call."""
    os.makedirs(record_dir, exist_ok=True)
    d = registering(k, user, transport, command=("listen", "--auto-answer", "--record-dir", record_dir),
                    extra=["--play", tone, *extra])
    d.wait_event("registered", timeout=10)
    contact_of(k, user, transport)
    return d


def case_call_between_two_registered_dialtones():
    k = Kamailio(users={"alice": PASSWORD, "bob": PASSWORD}).start()
    t1000, t440 = tones("call")
    bob_dir, alice_dir = (os.path.join(harness.WORK, n) for n in ("bob-calls", "alice-calls"))
    bob = callee(k, "bob", "udp", t440, bob_dir)
    os.makedirs(alice_dir)
    alice = registering(k, "alice", command=("listen", "--record-dir", alice_dir), extra=["--play", t1000],
                        stdin=subprocess.PIPE)
    alice.wait_event("registered", timeout=10)
    alice.send(f"call {k.aor('bob')}")
    answered = alice.wait_event("answered", timeout=10)
    incoming = bob.wait_event("incoming", timeout=5)
    assert incoming["from"].startswith("sip:alice@127.0.0.1"), incoming
    assert incoming["source"].endswith(f":{k.udp_port}"), f"the INVITE did not come through Kamailio: {incoming}"
    time.sleep(3)  # audio flows both ways for a while
    alice.send(f"hangup {answered['call']}")
    alice.wait_event("ended", timeout=10)
    ended = bob.wait_event("ended", timeout=10)
    assert ended["by_peer"] is True and ended["status"] == 200, ended
    bob.stop()
    alice.stop()
    harness.assert_tone(recording_in(bob_dir), 1000)
    harness.assert_tone(recording_in(alice_dir), 440)



def check_listen_receives_a_routed_call(transport):
    # `dialtone call` over `transport` is challenged (407) by Kamailio, which routes the INVITE to
    # the contact that `listen` registered over `transport`.
    k = Kamailio(users={"alice": PASSWORD, "bob": PASSWORD}).start()
    t1000, t440 = tones(f"listen-{transport}")
    bob_dir = os.path.join(harness.WORK, f"bob-{transport}")
    bob = callee(k, "bob", transport, t440, bob_dir)
    rec = os.path.join(harness.WORK, f"alice-{transport}.wav")
    alice = Dialtone(["--id", f"sip:alice@{k.domain}", "--proxy", k.registrar(transport), "--transport", transport,
                      *tls_trust(k, transport), "--play", t1000, "--record", rec,
                      "call", k.aor("bob"), "--duration", "3", "--ring-timeout", "10"],
                     name="dialtone-alice", env={"DIALTONE_PASSWORD": PASSWORD})
    code = alice.wait(timeout=45)
    assert code == 0, f"call exited {code}; events {alice.names()}; stderr: {alice.stderr()[-1000:]}"
    incoming = bob.wait_event("incoming", timeout=1)
    assert incoming["from"].startswith("sip:alice@127.0.0.1"), incoming
    ended = bob.wait_event("ended", timeout=5)
    assert ended["by_peer"] is True, ended
    bob.stop()
    harness.assert_tone(recording_in(bob_dir), 1000)
    harness.assert_tone(rec, 440)


def case_listen_registered_over_udp_receives_a_call_routed_by_kamailio():
    check_listen_receives_a_routed_call("udp")


def case_listen_registered_over_tcp_receives_a_call_routed_by_kamailio():
    check_listen_receives_a_routed_call("tcp")


def case_listen_registered_over_tls_receives_a_call_routed_by_kamailio():
    check_listen_receives_a_routed_call("tls")



def case_cancel_after_a_407_challenged_invite_reaches_the_callee():
    # The CANCEL must match the INVITE sent with credentials (its own branch and CSeq), or
    # Kamailio cannot relay it and the callee rings on.
    k = Kamailio(users={"alice": PASSWORD, "bob": PASSWORD}).start()
    bob = registering(k, "bob", command=("listen",))  # rings; nobody answers
    bob.wait_event("registered", timeout=10)
    alice = Dialtone(["--id", f"sip:alice@{k.domain}", "--proxy", k.registrar("udp"),
                      "call", k.aor("bob"), "--ring-timeout", "2"], name="dialtone-alice",
                     env={"DIALTONE_PASSWORD": PASSWORD})
    code = alice.wait(timeout=20)
    assert code == 3, f"exit {code}, expected 3 (no answer); events {alice.events()}; stderr {alice.stderr()[-800:]}"
    ended = alice.wait_event("ended", timeout=1)
    assert ended["status"] == 487, ended
    bob.wait_event("incoming", timeout=1)
    gone = bob.wait_event("ended", timeout=5)
    assert gone["by_peer"] is True, gone



def case_udp_caller_and_tls_callee_follow_a_double_record_route():
    # Kamailio record-routes twice when the transports differ (UDP in, TLS out): both ends must
    # send their in-dialog requests (re-INVITE, INFO, BYE) through both entries in the right order.
    k = Kamailio(users={"alice": PASSWORD, "bob": PASSWORD}).start()
    t1000, t440 = tones("double-rr")
    bob_dir, alice_dir = (os.path.join(harness.WORK, n) for n in ("bob-drr", "alice-drr"))
    os.makedirs(bob_dir)
    os.makedirs(alice_dir)
    bob = registering(k, "bob", "tls", command=("listen", "--auto-answer", "--record-dir", bob_dir),
                      extra=["--play", t440], stdin=subprocess.PIPE)
    bob.wait_event("registered", timeout=10)
    alice = registering(k, "alice", "udp", command=("listen", "--record-dir", alice_dir),
                        extra=["--play", t1000, "--dtmf", "info"], stdin=subprocess.PIPE)
    alice.wait_event("registered", timeout=10)
    alice.send(f"call {k.aor('bob')}")
    call = alice.wait_event("answered", timeout=10)["call"]
    bob_call = bob.wait_event("answered", timeout=5)["call"]
    alice.send(f"hold {call}")
    held = bob.wait_event("hold", timeout=10)
    assert held["remote"] is True, held
    alice.send(f"resume {call}")
    bob.wait_event("resume", timeout=10)
    alice.send(f"dtmf 12# {call}")
    harness.wait_until(lambda: len(bob.find("dtmf")) >= 3, 10, "three INFO digits at bob")
    digits = "".join(e["digit"] for e in bob.find("dtmf"))
    assert digits == "12#", f"bob got digits {digits!r}"
    assert all(e["method"] == "info" for e in bob.find("dtmf")), bob.find("dtmf")
    time.sleep(1.5)  # audio after the resume
    bob.send(f"hangup {bob_call}")  # the callee's BYE goes back through the reversed route set
    ended = alice.wait_event("ended", timeout=10)
    assert ended["by_peer"] is True and ended["status"] == 200, ended
    bob.wait_event("ended", timeout=5)
    alice.stop()
    bob.stop()
    harness.assert_tone(recording_in(bob_dir), 1000)
    harness.assert_tone(recording_in(alice_dir), 440)



def case_call_to_a_user_without_contacts_gets_404_exit_5():
    k = Kamailio(users={"alice": PASSWORD, "carol": PASSWORD}).start()
    alice = Dialtone(["--id", f"sip:alice@{k.domain}", "--proxy", k.registrar("udp"), "call", k.aor("carol"),
                      "--ring-timeout", "10"], name="dialtone-alice", env={"DIALTONE_PASSWORD": PASSWORD})
    code = alice.wait(timeout=20)
    assert code == 5, f"exit {code}, expected 5 (rejected); events {alice.events()}; stderr {alice.stderr()[-800:]}"
    assert alice.wait_event("ended", timeout=1)["status"] == 404


def case_call_with_a_wrong_password_exits_6():
    k = Kamailio(users={"alice": PASSWORD, "bob": PASSWORD}).start()
    bob = registering(k, "bob", command=("listen", "--auto-answer"))
    bob.wait_event("registered", timeout=10)
    alice = Dialtone(["--id", f"sip:alice@{k.domain}", "--proxy", k.registrar("udp"), "call", k.aor("bob"),
                      "--ring-timeout", "10"], name="dialtone-alice", env={"DIALTONE_PASSWORD": "wrong"})
    code = alice.wait(timeout=20)
    assert code == 6, f"exit {code}, expected 6 (authentication); events {alice.events()}; stderr {alice.stderr()[-800:]}"
    assert alice.wait_event("ended", timeout=1)["status"] == 407
    assert not bob.find("incoming"), "the INVITE reached bob without valid credentials"


def case_tls_registration_without_the_ca_fails_verification():
    # The test CA is not in the system store: without --tls-ca the server is not trusted.
    k = Kamailio(users={"alice": PASSWORD}).start()
    d = Dialtone(["--id", f"sip:alice@{k.domain}", "--registrar", k.registrar("tls"), "--transport", "tls",
                  "register", "--once"], name="dialtone-alice", env={"DIALTONE_PASSWORD": PASSWORD})
    start = time.monotonic()
    code = d.wait(timeout=60)
    assert code == 2, f"exit {code}, expected 2 (network); events {d.events()}; stderr {d.stderr()[-800:]}"
    # the failed handshake ends the REGISTER at once (a 503, RFC 3261 §8.1.3.1), not at Timer F
    assert time.monotonic() - start < 10, f"took {time.monotonic() - start:.1f}s to give up"
    assert "certificate" in d.stderr().lower(), f"stderr does not name the certificate problem: {d.stderr()[-800:]}"
    assert k.contacts("alice") == []


if __name__ == "__main__":
    sys.exit(harness.run_cases(globals()))
