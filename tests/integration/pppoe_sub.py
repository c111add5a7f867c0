#!/usr/bin/env python3
"""PPPoE subscribers that speak PPP, on a raw socket (pppoe_gen.py's Port):
the load of tests/integration/t_pppoe_lac.sh and tests/bench/pppoe.sh.

  pppoe_sub.py IFACE COUNT --user FMT --password FMT [--auth pap|chap]
               [--mac-base N] [--window W] [--deadline S] [--hold S] [--padt]
               [--vlan V] [--echo-every S] [--hold-file PATH] [--redial S]
               [--rate R]
      COUNT subscribers (MACs from --mac-base, as pppoe_gen.py makes them),
      at most --window setting up at once, each: discovery (PADI, PADO,
      PADR, PADS), LCP (MRU 1492 and a magic number; whatever the AC asks
      is acknowledged), PAP or CHAP-MD5 as the AC asks (user and password
      from FMT, "{n}" the subscriber's number from 1), IPCP (the address
      the peer gives), then an LCP Echo-Request that must be answered.
      Echo-Requests are answered for --hold seconds after the last one is
      up; then one more echo each (echo_end_ok), then (--padt) a PADT each.
      --auth refuses the other method (LCP Nak).  Prints one JSON object:
      up, failed, auth_failed, lcp_after_auth (LCP Configure-Requests
      received after authentication began: a second negotiation), echo_ok,
      echo_end_ok, padt_rx (PADTs received by subscribers that were up),
      addresses, setups_per_s and the set-up time percentiles (PADI to IPCP
      up, ms).
      --echo-every S: during the hold each subscriber that is up sends an
      Echo-Request every S seconds (a failover must not stop them): echo_lost
      (requests unanswered when the next was due), echo_gap_ms_p50/_p99/_max (the
      largest interval between two answered echoes of a subscriber: the gap
      a failover leaves), term_rx (LCP Terminate-Requests received while up),
      disc_tx_after_up (PADI/PADR sent by a subscriber once up: none, a
      subscriber of ours never dials again).  --hold-file PATH: the hold
      lasts until PATH exists (at most --hold seconds), then 3 s more.
      --redial S: a subscriber still setting up S seconds after its PADI, or
      sent a PADT while setting up, dials again from a PADI (as pppd does
      when LCP or the AC gives up; a session it had is ended by a PADT): redials (how many times), and
      sids_seen (every PPPoE session ID a PADS gave each subscriber).
      --rate R: at most R subscribers begin dialling a second (a burst
      spread over COUNT/R seconds, so that a box can die in its middle).
"""
import hashlib
import json
import os
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pppoe_gen import (BCAST, ETH_P_DISC, ETH_P_SESS, PADI, PADO, PADR, PADS, PADT,  # noqa: E402
                       Port, mac_of, mac_str, percentile, tag)

LCP, PAP, CHAP, IPCP = 0xC021, 0xC023, 0xC223, 0x8021
CONFREQ, CONFACK, CONFNAK, CONFREJ, TERMREQ, TERMACK = 1, 2, 3, 4, 5, 6
ECHOREQ, ECHOREP = 9, 10
SETTING_UP = ("padi", "padr", "lcp", "auth", "ipcp")


def cp(proto, code, ident, data=b""):
    return struct.pack("!HBBH", proto, code, ident, len(data) + 4) + data


def options(data):
    out, i = [], 0
    while i + 2 <= len(data):
        t, ln = data[i], data[i + 1]
        if ln < 2:
            break
        out.append((t, data[i + 2:i + ln]))
        i += ln
    return out


class Sub:
    def __init__(self, gen, n, mac):
        self.g, self.n, self.mac = gen, n, mac
        self.user = gen.user_fmt.format(n=n).encode()
        self.password = gen.pw_fmt.format(n=n).encode()
        self.state, self.sid, self.ac = "padi", 0, None
        self.t0 = self.last = time.time()
        self.magic = struct.unpack("!I", os.urandom(4))[0] | 1
        self.ident = 1
        self.lcp_id = 1
        self.lcp_opts = {1: struct.pack("!H", 1492), 5: struct.pack("!I", self.magic)}
        self.our_acked = self.peer_acked = False
        self.auth = None
        self.ip = b"\0\0\0\0"
        self.ip_acked = self.peer_ip_acked = False
        self.echo_wait = False
        self.echo_ok = self.echo_end_ok = False
        self.cookie = b""
        self.echo_tx_t = self.reply_t = 0.0
        self.gap = 0.0
        self.lost = 0

    # --- output ---
    def ppp(self, frame):
        self.g.port.send(self.ac, self.mac, ETH_P_SESS, 0, self.sid, frame)
        self.last = time.time()

    def padi(self):
        if self.state.startswith("up"):
            self.g.disc_tx_after_up += 1
        self.g.port.send(BCAST, self.mac, ETH_P_DISC, PADI, 0, tag(0x0101) + tag(0x0103, self.mac[2:]))
        self.last = time.time()

    def padr(self):
        self.g.port.send(self.ac, self.mac, ETH_P_DISC, PADR, 0,
                         tag(0x0101) + tag(0x0103, self.mac[2:]) + tag(0x0104, self.cookie))
        self.last = time.time()

    def lcp_req(self):
        self.ppp(cp(LCP, CONFREQ, self.lcp_id,
                    b"".join(bytes([t, len(v) + 2]) + v for t, v in sorted(self.lcp_opts.items()))))

    def pap_req(self):
        self.ppp(cp(PAP, 1, self.ident, bytes([len(self.user)]) + self.user +
                    bytes([len(self.password)]) + self.password))

    def ipcp_req(self):
        self.ppp(cp(IPCP, CONFREQ, self.ident, struct.pack("!BB", 3, 6) + self.ip))

    def echo(self):
        self.echo_wait = True
        self.echo_tx_t = time.time()
        self.ppp(cp(LCP, ECHOREQ, self.ident, struct.pack("!I", self.magic) + b"ping"))

    def retransmit(self):
        if self.state == "padi":
            self.padi()
        elif self.state == "padr":
            self.padr()
        elif self.state == "lcp" and not self.our_acked:
            self.lcp_req()
        elif self.state == "auth" and self.auth == PAP:
            self.pap_req()
        elif self.state == "ipcp" and not self.ip_acked:
            self.ipcp_req()
        elif self.echo_wait:
            self.echo()

    # --- input ---
    def disc(self, src, code, sid, tags):
        if code == PADO and self.state == "padi" and 0x0104 in tags:
            self.ac, self.cookie, self.state = src, tags[0x0104], "padr"
            self.padr()
        elif code == PADS and self.state == "padr" and sid:
            self.sid, self.state = sid, "lcp"
            self.g.sids_seen.append([mac_str(self.mac), sid])
            self.lcp_req()
        elif code == PADT and sid == self.sid:
            if self.state in ("up", "up2"):
                self.g.padt_rx += 1
            elif self.g.redial and self.state in SETTING_UP:
                self.redial()
                return
            if not self.state.startswith("failed"):
                self.state = "gone"

    def session(self, pay):
        if len(pay) < 6:
            return
        proto, code, ident, ln = struct.unpack("!HBBH", pay[:6])
        data = pay[6:4 + ln] if ln >= 4 else b""
        if proto == LCP:
            self.lcp(code, ident, data)
        elif proto == PAP and self.state == "auth":
            if code == 2:
                self.to_ipcp()
            elif code == 3:
                self.fail("auth")
        elif proto == CHAP and self.state == "auth":
            self.chap(code, ident, data)
        elif proto == IPCP:
            self.ipcp(code, ident, data)

    def lcp(self, code, ident, data):
        if code == CONFREQ:
            if self.state != "lcp":
                self.g.lcp_after_auth += 1
                return
            nak = b""
            for t, v in options(data):
                if t == 3:
                    want = PAP if self.g.auth == "pap" else CHAP
                    got = struct.unpack("!H", v[:2])[0] if len(v) >= 2 else 0
                    if self.g.auth and got != want:
                        nak += struct.pack("!BBH", 3, 4, want) if want == PAP else \
                            struct.pack("!BBHB", 3, 5, want, 5)
                    self.auth = got
            if nak:
                self.ppp(cp(LCP, CONFNAK, ident, nak))
                return
            self.ppp(cp(LCP, CONFACK, ident, data))
            self.peer_acked = True
        elif code == CONFACK and ident == self.lcp_id:
            self.our_acked = True
        elif code in (CONFNAK, CONFREJ) and ident == self.lcp_id and self.state == "lcp":
            for t, v in options(data):  # take what the AC suggests, drop what it rejects
                if code == CONFNAK and t in self.lcp_opts:
                    self.lcp_opts[t] = v
                elif code == CONFREJ:
                    self.lcp_opts.pop(t, None)
            self.lcp_id += 1
            self.lcp_req()
        elif code == ECHOREQ:
            self.ppp(cp(LCP, ECHOREP, ident, struct.pack("!I", self.magic) + data[4:]))
        elif code == ECHOREP and self.echo_wait:
            self.echo_wait = False
            now = time.time()
            if self.reply_t:
                self.gap = max(self.gap, now - self.reply_t)
            self.reply_t = now
            if self.state == "up":
                self.echo_ok = True
            elif self.state == "up2":
                self.echo_end_ok = True
        elif code == TERMREQ:
            if self.state.startswith("up"):
                self.g.term_rx += 1
            self.ppp(cp(LCP, TERMACK, ident))
        if self.state == "lcp" and self.our_acked and self.peer_acked:
            self.state = "auth"
            self.ident = 2
            if self.auth == PAP:
                self.pap_req()
            elif self.auth != CHAP:
                self.to_ipcp()

    def chap(self, code, ident, data):
        if code == 1 and data:
            chal = data[1:1 + data[0]]
            resp = hashlib.md5(bytes([ident]) + self.password + chal).digest()
            self.ppp(cp(CHAP, 2, ident, bytes([16]) + resp + self.user))
        elif code == 3:
            self.to_ipcp()
        elif code == 4:
            self.fail("auth")

    def to_ipcp(self):
        self.state, self.ident = "ipcp", 3
        self.ipcp_req()

    def ipcp(self, code, ident, data):
        if self.state != "ipcp":
            if code == CONFREQ:
                self.ppp(cp(IPCP, CONFACK, ident, data))
            return
        if code == CONFREQ:
            self.ppp(cp(IPCP, CONFACK, ident, data))
            self.peer_ip_acked = True
        elif code == CONFNAK:
            for t, v in options(data):
                if t == 3 and len(v) == 4:
                    self.ip = v
            self.ident += 1
            self.ipcp_req()
        elif code == CONFACK and ident == self.ident:
            self.ip_acked = True
        if self.ip_acked and self.peer_ip_acked:
            self.state = "up"
            self.g.times.append(time.time() - self.t0)
            self.ident = 10
            self.echo()

    def fail(self, why):
        self.state = "failed-" + why

    def redial(self):
        """Start again from discovery, with a fresh negotiation; the
        session given up is ended with a PADT first, as pppd does."""
        self.g.redials += 1
        if self.sid and self.state != "padr":
            self.g.port.send(self.ac, self.mac, ETH_P_DISC, PADT, self.sid, b"")
        self.__init__(self.g, self.n, self.mac)
        self.padi()


class Gen:
    def __init__(self, port, o):
        self.port = port
        self.user_fmt, self.pw_fmt = o["--user"], o["--password"]
        self.auth = o["--auth"]
        self.subs = {}
        self.times = []
        self.lcp_after_auth = self.padt_rx = self.term_rx = self.disc_tx_after_up = 0
        self.echo_every = float(o["--echo-every"] or 0)
        self.redial = float(o["--redial"] or 0)
        self.redials = 0
        self.sids_seen = []

    def echoes(self):
        """Each subscriber up sends its next Echo-Request when it is due."""
        now = time.time()
        for s in self.subs.values():
            if s.state != "up" or now - s.echo_tx_t < self.echo_every:
                continue
            if s.echo_wait:
                s.lost += 1
            s.ident = (s.ident + 1) & 0xFF or 10
            s.echo()

    def pump(self, timeout):
        if not self.port.wait(timeout):
            return
        while True:
            r = self.port.recv()
            if r is None:
                return
            if not r:
                continue
            dst, src, _, et, code, sid, tags = r
            s = self.subs.get(dst)
            if s is None:
                continue
            if et == ETH_P_DISC:
                s.disc(src, code, sid, tags)
            elif sid == s.sid and s.sid:
                s.session(tags.get("payload", b""))

    def retransmit(self, states):
        now = time.time()
        for s in self.subs.values():
            if self.redial and s.state in SETTING_UP and now - s.t0 > self.redial:
                s.redial()
            elif s.state in states and now - s.last > 1.0:
                s.retransmit()


def run(port, count, o):
    g = Gen(port, o)
    base, window = int(o["--mac-base"]), int(o["--window"])
    rate = float(o["--rate"] or 0)
    t_end = time.time() + float(o["--deadline"])
    setting_up = SETTING_UP
    t0 = time.time()
    nxt = 0
    while time.time() < t_end:
        busy = sum(1 for s in g.subs.values() if s.state in setting_up or s.echo_wait)
        while nxt < count and busy < window and (not rate or nxt < (time.time() - t0) * rate):
            s = Sub(g, nxt + 1, mac_of(base + nxt))
            g.subs[s.mac] = s
            s.padi()
            nxt += 1
            busy += 1
        if nxt == count and busy == 0:
            break
        g.pump(0.05)
        g.retransmit(setting_up + ("up",))
    secs = time.time() - t0
    t_hold = time.time() + float(o["--hold"])
    hold_file, t_after = o["--hold-file"], None
    while time.time() < t_hold:
        g.pump(0.1)
        if g.echo_every:
            g.echoes()
        if hold_file and t_after is None and os.path.exists(hold_file):
            t_after = time.time() + 3
        if t_after is not None and time.time() > t_after:
            break
    for s in g.subs.values():
        if s.state == "up":
            s.state = "up2"
            s.echo()
    t_end = time.time() + 5
    while time.time() < t_end and any(s.echo_wait for s in g.subs.values() if s.state == "up2"):
        g.pump(0.1)
        g.retransmit(("up2",))
    up = [s for s in g.subs.values() if s.state in ("up", "up2")]
    res = {
        "count": count, "up": len(up),
        "failed": count - len(up),
        "auth_failed": sum(1 for s in g.subs.values() if s.state == "failed-auth"),
        "states": {},
        "lcp_after_auth": g.lcp_after_auth,
        "echo_ok": sum(1 for s in g.subs.values() if s.echo_ok or s.echo_end_ok),
        "echo_end_ok": sum(1 for s in up if s.echo_end_ok),
        "padt_rx": g.padt_rx,
        "term_rx": g.term_rx,
        "disc_tx_after_up": g.disc_tx_after_up,
        "echo_lost": sum(s.lost for s in up),
        "echo_gap_ms_p50": percentile([s.gap for s in up], 50),
        "echo_gap_ms_p99": percentile([s.gap for s in up], 99),
        "echo_gap_ms_max": percentile([s.gap for s in up], 100),
        "addresses": sorted(".".join(str(b) for b in s.ip) for s in up),
        "sessions": [[mac_str(s.mac), s.sid, mac_str(s.ac)] for s in up],
        "redials": g.redials,
        "sids_seen": g.sids_seen,
        "seconds": round(secs, 3),
        "setups_per_s": round(len(g.times) / secs, 1) if secs else 0,
        "setup_ms_p50": percentile(g.times, 50),
        "setup_ms_p99": percentile(g.times, 99),
        "setup_ms_max": percentile(g.times, 100),
    }
    for s in g.subs.values():
        res["states"][s.state] = res["states"].get(s.state, 0) + 1
    if o["--padt"]:
        for s in up:
            port.send(s.ac, s.mac, ETH_P_DISC, PADT, s.sid, b"")
    return res


def main():
    a = sys.argv[1:]
    o = {"--user": "sub{n}", "--password": "pw{n}", "--auth": "", "--mac-base": "1",
         "--window": "64", "--deadline": "120", "--hold": "0", "--padt": "", "--vlan": "",
         "--echo-every": "", "--hold-file": "", "--redial": "", "--rate": ""}
    rest = []
    i = 0
    while i < len(a):
        if a[i] == "--padt":
            o["--padt"] = "1"
            i += 1
        elif a[i] in o:
            o[a[i]] = a[i + 1]
            i += 2
        else:
            rest.append(a[i])
            i += 1
    if len(rest) != 2:
        raise SystemExit(__doc__)
    vlans = [int(o["--vlan"])] if o["--vlan"] else []
    print(json.dumps(run(Port(rest[0], vlans), int(rest[1]), o)))


if __name__ == "__main__":
    main()
