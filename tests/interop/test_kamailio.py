#!/usr/bin/env python3
"""dialtone against Kamailio as registrar and proxy with digest authentication (issue 6).

Usage: test_kamailio.py DIALTONE [case_name ...]
"""
import os
import signal
import sys

import harness
from harness import Dialtone
from kamailio import Kamailio

harness.set_rtp_region(40000, 41998)

PASSWORD = "s3cret-pw"


def registering(k, user, transport="udp", password=PASSWORD, extra=(), command=("register",), name=None,
                stdin=None):
    """A dialtone registered as `user` with Kamailio over `transport` (the password by environment)."""
    args = ["--id", f"sip:{user}@{k.domain}", "--registrar", k.registrar(transport), "--transport", transport]
    if transport == "tls":
        args += ["--tls-ca", k.ca_file]
    args += list(extra) + list(command)
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
    assert ev["aor"].startswith("sip:alice@127.0.0.1"), ev
    assert 0 < ev["expires"] <= 3600, ev
    assert ev["bindings"] >= 1, ev
    c = contact_of(k, "alice", transport)
    assert c["uri"].startswith(("sip:alice@127.0.0.1:", "sips:alice@127.0.0.1:")), c
    d.stop()


def case_registers_over_udp():
    check_registers("udp")


def case_registers_over_tcp():
    check_registers("tcp")


def case_registers_over_tls():
    check_registers("tls")


if __name__ == "__main__":
    sys.exit(harness.run_cases(globals()))
