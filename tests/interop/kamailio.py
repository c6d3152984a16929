"""Kamailio on 127.0.0.1 as registrar and proxy with digest authentication, for the interop suite.

    k = Kamailio(users={"alice": "secret", "bob": "secret"}, algorithm="MD5")  # or "SHA-256"
    k.start()                       # returns once UDP, TCP and TLS listen; k.stop() (or the case's end) kills it by PID
    k.udp_port, k.tcp_port, k.tls_port, k.ca_file, k.domain   # realm and domain are "127.0.0.1"
    k.registrar("tls")              # "sip:127.0.0.1:PORT;transport=tls", for dialtone's --registrar/--proxy
    k.aor("bob")                    # "sip:bob@127.0.0.1:UDP_PORT": call this and Kamailio routes to bob's contacts
    k.contacts("alice")             # [{"uri", "expires" (seconds left), "socket" (ours it came in on), ...}] or []

What the proxy does, as a small PBX would: REGISTER is challenged with 401 and saved in an
in-memory location table (no database). Every other request that starts a dialog or stands alone
is challenged with 407 when its From is one of our users, then routed to the registered contacts
of its Request-URI's user (404 when none); requests from elsewhere are routed unchallenged. INVITEs
are record-routed (twice when the transport changes) and in-dialog requests follow their Route set,
unchallenged. No NAT helpers: contacts are used as registered, and a contact on TCP/TLS is reached
over an open connection from that address when there is one (else a new connection). Credentials live in an htable filled at start-up; `algorithm` picks MD5 or SHA-256
(Kamailio 5.6 offers one per instance). `max_expires` caps the interval the registrar grants.
"""
import json
import os
import socket
import subprocess
import time

import harness

MODULES = "/usr/lib/x86_64-linux-gnu/kamailio/modules/"
_tls_material = {}  # one CA and one server certificate per suite run


def tls_material():
    """(ca_file, cert_file, key_file): a test CA and a certificate for IP 127.0.0.1 it signed."""
    if _tls_material:
        return _tls_material["ca"], _tls_material["cert"], _tls_material["key"]
    d = os.path.join(harness.WORK, "pki")
    os.makedirs(d, exist_ok=True)
    ca_key, ca, key, csr, cert = (os.path.join(d, n) for n in ("ca.key", "ca.pem", "server.key", "server.csr",
                                                              "server.pem"))
    ext = os.path.join(d, "server.ext")
    with open(ext, "w") as f:
        f.write("subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n")

    def openssl(*args):
        r = subprocess.run(["openssl", *args], capture_output=True, text=True, timeout=30)
        if r.returncode != 0:
            raise AssertionError(f"openssl {args[0]} failed: {r.stderr.strip()}")

    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", ca_key, "-out", ca, "-days", "2",
            "-subj", "/CN=dialtone interop test CA")
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", csr, "-subj", "/CN=127.0.0.1")
    openssl("x509", "-req", "-in", csr, "-CA", ca, "-CAkey", ca_key, "-CAcreateserial", "-out", cert, "-days", "2",
            "-extfile", ext)
    _tls_material.update(ca=ca, cert=cert, key=key)
    return ca, cert, key


def _quote(s):
    """A Kamailio config string literal."""
    return '"' + str(s).replace("\\", "\\\\").replace('"', '\\"') + '"'


class Kamailio:
    def __init__(self, users, algorithm="MD5", max_expires=3600, name="kamailio"):
        if algorithm not in ("MD5", "SHA-256"):
            raise ValueError(f"algorithm {algorithm!r}: Kamailio 5.6 offers MD5 or SHA-256")
        self.users = dict(users)
        self.algorithm = algorithm
        self.max_expires = max_expires
        self.name = name
        self.domain = harness.HOST
        self.proc = None
        self.udp_port = self.tcp_port = self.tls_port = None
        self.ca_file = None
        self.dir = None
        self._rpc_id = 0

    # --- life cycle ---------------------------------------------------------------------------

    def start(self, timeout=15.0):
        kamailio = harness.require("kamailio")
        if not os.path.exists(os.path.join(MODULES, "tls.so")):
            raise AssertionError("Kamailio's TLS module is missing: run ./run setup (it installs kamailio-tls-modules)")
        self.dir = os.path.join(harness.WORK, f"{self.name}-{time.monotonic_ns()}")
        os.makedirs(self.dir)
        self.ca_file, cert, key = tls_material()
        self.udp_port = harness.free_port()  # TCP listens on the same number
        self.tls_port = harness.free_port()
        while self.tls_port == self.udp_port:
            self.tls_port = harness.free_port()
        self.tcp_port = self.udp_port
        self.rpc_socket = os.path.join(self.dir, "rpc.sock")
        tls_cfg = os.path.join(self.dir, "tls.cfg")
        with open(tls_cfg, "w") as f:
            f.write(f"[server:default]\nmethod = TLSv1.2+\nverify_certificate = no\nrequire_certificate = no\n"
                    f"private_key = {key}\ncertificate = {cert}\n\n"
                    f"[client:default]\nmethod = TLSv1.2+\nverify_certificate = no\nrequire_certificate = no\n")
        cfg = os.path.join(self.dir, "kamailio.cfg")
        with open(cfg, "w") as f:
            f.write(self._config(tls_cfg))
        self.proc = harness.Proc(self.name, [kamailio, "-f", cfg, "-DD", "-E", "-Y", self.dir, "-m", "64", "-M", "8",
                                             "-L", MODULES], cwd=self.dir)

        def up():
            if not self.proc.running():
                raise AssertionError(f"kamailio exited with {self.proc.p.returncode}: {self.proc.stderr()[-3000:]}")
            return os.path.exists(self.rpc_socket)
        harness.wait_until(up, timeout, "kamailio's control socket")
        harness.wait_for_udp_port(self.udp_port, timeout)
        harness.wait_for_tcp_port(self.tcp_port, timeout)
        harness.wait_for_tcp_port(self.tls_port, timeout)
        return self

    def stop(self):
        if self.proc:
            self.proc.stop()

    def log(self):
        return self.proc.stderr() if self.proc else ""

    # --- addresses ----------------------------------------------------------------------------

    def port(self, transport="udp"):
        return {"udp": self.udp_port, "tcp": self.tcp_port, "tls": self.tls_port}[transport]

    def registrar(self, transport="udp"):
        """The registrar URI for dialtone's --registrar (and --proxy) over `transport`."""
        return f"sip:{self.domain}:{self.port(transport)};transport={transport}"

    def aor(self, user):
        """A user's address of record: the proxy routes requests for it to the user's contacts."""
        return f"sip:{user}@{self.domain}:{self.udp_port}"

    # --- control ------------------------------------------------------------------------------

    def rpc(self, method, *params, timeout=5.0):
        """A JSON-RPC call over Kamailio's datagram control socket; the `result` or None on error."""
        self._rpc_id += 1
        request = {"jsonrpc": "2.0", "method": method, "params": list(params), "id": self._rpc_id}
        reply_path = os.path.join(self.dir, f"rpc-reply-{self._rpc_id}.sock")
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as s:
            s.bind(reply_path)
            try:
                s.settimeout(timeout)
                s.sendto(json.dumps(request).encode(), self.rpc_socket)
                data = s.recv(65536)
            except socket.timeout:
                raise AssertionError(f"kamailio did not answer the RPC {method} within {timeout}s")
            finally:
                os.unlink(reply_path)
        reply = json.loads(data)
        return reply.get("result")

    def contacts(self, user):
        """The contacts registered for `user`: dicts with uri, expires (seconds left), socket (the
        Kamailio socket the REGISTER arrived on, "tls:127.0.0.1:P"), received, raw (all of ul.lookup)."""
        result = self.rpc("ul.lookup", "location", user)
        if not result:
            return []
        out = []
        for item in result.get("Contacts", []):
            c = item.get("Contact", item)
            expires = c.get("Expires")
            out.append({"uri": c.get("Address"), "expires": expires if isinstance(expires, int) else None,
                        "socket": c.get("Socket"), "received": c.get("Received"), "raw": c})
        return out

    # --- configuration ------------------------------------------------------------------------

    def _config(self, tls_cfg):
        users = "\n".join(f"    $sht(users=>{u}) = {_quote(p)};" for u, p in self.users.items())
        h = harness.HOST
        return f"""#!KAMAILIO
# written by tests/interop/kamailio.py: a registrar and proxy for the dialtone interop suite
debug=2
log_stderror=yes
log_prefix=""
children=2
tcp_children=2
# No alias for 127.0.0.1: one without a port makes every contact on this host "myself", and
# loose_route() then takes an in-dialog request to a phone for a strict-routed one to us.
auto_aliases=no
dns=no
rev_dns=no
use_dns_cache=off
disable_tcp=no
enable_tls=yes
tcp_connection_lifetime=3605
tcp_accept_aliases=no
listen=udp:{h}:{self.udp_port}
listen=tcp:{h}:{self.tcp_port}
listen=tls:{h}:{self.tls_port}

loadmodule "jsonrpcs.so"
loadmodule "kex.so"
loadmodule "corex.so"
loadmodule "tm.so"
loadmodule "tmx.so"
loadmodule "sl.so"
loadmodule "rr.so"
loadmodule "pv.so"
loadmodule "maxfwd.so"
loadmodule "usrloc.so"
loadmodule "registrar.so"
loadmodule "textops.so"
loadmodule "siputils.so"
loadmodule "xlog.so"
loadmodule "sanity.so"
loadmodule "htable.so"
loadmodule "auth.so"
loadmodule "tls.so"

modparam("jsonrpcs", "transport", 4)
modparam("jsonrpcs", "dgram_socket", "{self.rpc_socket}")
modparam("jsonrpcs", "pretty_format", 0)
modparam("tls", "config", "{tls_cfg}")
modparam("usrloc", "db_mode", 0)
modparam("registrar", "max_expires", {int(self.max_expires)})
modparam("registrar", "min_expires", 1)
modparam("htable", "htable", "users=>size=4;")
modparam("auth", "algorithm", "{self.algorithm}")
modparam("auth", "nonce_expire", 300)
modparam("rr", "enable_full_lr", 1)

event_route[htable:mod-init] {{
{users}
}}

request_route {{
    if (!mf_process_maxfwd_header("10")) {{
        sl_send_reply("483", "Too Many Hops");
        exit;
    }}
    if (!sanity_check("17895", "7")) {{
        xlog("L_WARN", "malformed $rm from $si:$sp\\n");
        exit;
    }}
    if (has_totag()) {{
        route(IN_DIALOG);
        exit;
    }}
    if (is_method("CANCEL")) {{
        if (t_check_trans()) t_relay();
        exit;
    }}
    if (is_method("ACK")) {{
        # an ACK for a negative reply of ours is absorbed by tm; anything else is stray
        t_check_trans();
        exit;
    }}
    t_check_trans();  # a retransmission is answered by its transaction
    route(AUTH);
    remove_hf("Route");
    if (is_method("INVITE|SUBSCRIBE|REFER")) record_route();
    if (is_method("REGISTER")) {{
        if (!save("location")) sl_reply_error();
        exit;
    }}
    if ($rU == $null) {{
        if (is_method("OPTIONS")) {{
            sl_send_reply("200", "OK");
            exit;
        }}
        sl_send_reply("484", "Address Incomplete");
        exit;
    }}
    if (uri == myself) {{
        if (!lookup("location")) {{
            send_reply("404", "Not Found");
            exit;
        }}
    }}
    route(RELAY);
}}

route[AUTH] {{
    # our users' requests are challenged; the realm is the domain
    if (!is_method("REGISTER") && !($fd == "{h}" && $sht(users=>$fU) != $null)) return;
    if (!has_credentials("{h}") || $sht(users=>$au) == $null) {{
        auth_challenge("{h}", "1");  # no credentials yet, or for no user of ours
        exit;
    }}
    if (!pv_auth_check("{h}", "$sht(users=>$au)", "0", "1")) {{
        xlog("L_NOTICE", "challenging $rm from $fu ($si:$sp)\\n");
        auth_challenge("{h}", "1");
        exit;
    }}
    consume_credentials();
}}

route[IN_DIALOG] {{
    if (loose_route()) {{
        route(RELAY);
        exit;
    }}
    if (is_method("ACK")) {{
        if (t_check_trans()) t_relay();
        exit;
    }}
    send_reply("404", "Not Here");
}}

route[RELAY] {{
    if (!t_relay()) sl_reply_error();
    exit;
}}
"""
