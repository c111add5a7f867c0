#!/usr/bin/env python3
"""PPPoE subscribers on a raw socket: the load generator of the access side
(tests/integration/t_pppoe_access.sh) and its benchmark (tests/bench/pppoe.sh).

  pppoe_gen.py dial IFACE COUNT [--vlan V [--vlan2 V2]] [--mac-base N]
      COUNT subscribers (MACs 02:5e:NN:NN:NN:NN from --mac-base) each run
      discovery (PADI, PADO, PADR with the PADO's AC-Cookie, PADS), at most
      --window at once; prints one JSON object: sessions [[mac, id]...],
      failed, seconds, setups_per_s and the setup time percentiles (ms).
  pppoe_gen.py frames IFACE SESSIONS_JSON
      one session frame (an LCP Echo-Request) from each session of a
      previous `dial` output; prints {"sent": N}.
  pppoe_gen.py padt IFACE SESSIONS_JSON [COUNT]
      a PADT from the first COUNT sessions (default all).
  pppoe_gen.py bad IFACE KIND [COUNT]
      hostile input: KIND is one of taglen (a PADI whose tag runs past the
      frame), trunc (a PADR cut inside a tag header), forged (a PADR with a
      forged cookie), othermac (a PADR with another MAC's cookie), flood
      (PADIs from COUNT MACs), padt (PADTs for COUNT unknown sessions),
      session (COUNT session frames for unknown sessions).  Prints
      {"sent": N, "answers": {code: count}} (answers seen for 1 s).
"""
import json
import select
import socket
import struct
import sys
import time

ETH_P_ALL = 0x0003
ETH_P_DISC = 0x8863
ETH_P_SESS = 0x8864
SOL_PACKET = 263
PACKET_AUXDATA = 8
TP_STATUS_VLAN_VALID = 0x10
TP_STATUS_VLAN_TPID_VALID = 0x40
PADI, PADO, PADR, PADS, PADT = 0x09, 0x07, 0x19, 0x65, 0xA7
BCAST = b"\xff" * 6


def mac_of(n):
    return b"\x02\x5e" + struct.pack("!I", n)


def mac_str(m):
    return ":".join("%02x" % b for b in m)


def tag(t, v=b""):
    return struct.pack("!HH", t, len(v)) + v


class Port:
    def __init__(self, iface, vlans):
        self.s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
        self.s.bind((iface, 0))
        self.s.setsockopt(SOL_PACKET, PACKET_AUXDATA, 1)
        self.s.setblocking(False)
        self.vlans = vlans

    def frame(self, dst, src, etype, code, sid, payload):
        hdr = dst + src
        for i, v in enumerate(self.vlans):
            tpid = 0x88A8 if len(self.vlans) == 2 and i == 0 else 0x8100
            hdr += struct.pack("!HH", tpid, v)
        hdr += struct.pack("!H", etype)
        f = hdr + struct.pack("!BBHH", 0x11, code, sid, len(payload)) + payload
        return f + b"\0" * max(0, 60 - len(f))

    def send(self, *a):
        self.s.send(self.frame(*a))

    def recv(self):
        """(dst, src, vlans, etype, code, sid, tags dict) or None."""
        try:
            data, anc, _, _ = self.s.recvmsg(2048, socket.CMSG_SPACE(20))
        except BlockingIOError:
            return None
        vlans = []
        for lvl, typ, d in anc:
            if lvl == SOL_PACKET and typ == PACKET_AUXDATA and len(d) >= 20:
                st, _, _, _, _, tci, _ = struct.unpack("IIIHHHH", d[:20])
                if st & TP_STATUS_VLAN_VALID:
                    vlans.append(tci & 0xFFF)
        off = 12
        et = struct.unpack("!H", data[off:off + 2])[0]
        while et in (0x8100, 0x88A8):
            vlans.append(struct.unpack("!H", data[off + 2:off + 4])[0] & 0xFFF)
            off += 4
            et = struct.unpack("!H", data[off:off + 2])[0]
        if et not in (ETH_P_DISC, ETH_P_SESS) or data[6:12] == b"":
            return ()
        off += 2
        _, code, sid, ln = struct.unpack("!BBHH", data[off:off + 6])
        pay = data[off + 6:off + 6 + ln]
        tags = {"payload": pay} if et == ETH_P_SESS else {}
        i = 0
        while et == ETH_P_DISC and i + 4 <= len(pay):
            t, tl = struct.unpack("!HH", pay[i:i + 4])
            tags.setdefault(t, pay[i + 4:i + 4 + tl])
            i += 4 + tl
        return (data[0:6], data[6:12], vlans, et, code, sid, tags)

    def wait(self, timeout):
        r, _, _ = select.select([self.s], [], [], timeout)
        return bool(r)


def percentile(xs, p):
    if not xs:
        return None
    xs = sorted(xs)
    return round(xs[min(len(xs) - 1, int(p / 100.0 * len(xs)))] * 1000, 2)


def dial(port, count, base, window, deadline_s):
    """Discovery for count subscribers; returns (sessions, failed, times)."""
    ac = None
    pending = {}  # mac -> [state, t0, last_send]
    done, times = [], []
    nxt = 0
    t_end = time.time() + deadline_s
    while (nxt < count or pending) and time.time() < t_end:
        while nxt < count and len(pending) < window:
            m = mac_of(base + nxt)
            nxt += 1
            now = time.time()
            pending[m] = ["padi", now, now]
            port.send(BCAST, m, ETH_P_DISC, PADI, 0, tag(0x0101) + tag(0x0103, m[2:]))
        if not port.wait(0.2):
            now = time.time()
            for m, st in pending.items():  # resend what got no answer in 1 s
                if now - st[2] > 1.0:
                    st[0], st[2] = "padi", now
                    port.send(BCAST, m, ETH_P_DISC, PADI, 0, tag(0x0101) + tag(0x0103, m[2:]))
            continue
        while True:
            r = port.recv()
            if r is None:
                break
            if not r:
                continue
            dst, src, _, et, code, sid, tags = r
            st = pending.get(dst)
            if et != ETH_P_DISC or st is None:
                continue
            if code == PADO and st[0] == "padi" and 0x0104 in tags:
                ac = src
                st[0], st[2] = "padr", time.time()
                port.send(ac, dst, ETH_P_DISC, PADR, 0,
                          tag(0x0101) + tag(0x0103, dst[2:]) + tag(0x0104, tags[0x0104]))
            elif code == PADS and st[0] == "padr" and sid:
                times.append(time.time() - st[1])
                done.append([mac_str(dst), sid, mac_str(src)])
                del pending[dst]
    return done, len(pending) + (count - nxt), times


def answers(port, secs):
    seen = {}
    t_end = time.time() + secs
    while time.time() < t_end:
        if not port.wait(0.1):
            continue
        while True:
            r = port.recv()
            if r is None:
                break
            if r and r[3] == ETH_P_DISC:  # discovery answers (session frames: PPP)
                k = "%#04x" % r[4]
                seen[k] = seen.get(k, 0) + 1
    return seen


def ac_mac(port):
    """The AC's MAC, from its PADO to a PADI of a MAC nobody else uses."""
    m = mac_of(0xFFFFFF00)
    port.send(BCAST, m, ETH_P_DISC, PADI, 0, tag(0x0101))
    t_end = time.time() + 3
    while time.time() < t_end:
        port.wait(0.2)
        r = port.recv()
        while r is not None:
            if r and r[0] == m and r[4] == PADO:
                return r[1], r[6].get(0x0104, b"")
            r = port.recv()
    raise SystemExit("no PADO from the access concentrator")


def bad(port, kind, count):
    ac, cookie = ac_mac(port)
    m = mac_of(0xFFFFFF00)
    sent = 0
    for i in range(count):
        if kind == "taglen":
            port.send(BCAST, m, ETH_P_DISC, PADI, 0, tag(0x0101) + b"\x01\x03\x00\x40ab")
        elif kind == "trunc":
            port.send(ac, m, ETH_P_DISC, PADR, 0, tag(0x0101) + b"\x01\x04")
        elif kind == "forged":
            forged = bytes(b ^ 0x5A for b in cookie) if cookie else b"x" * 24
            port.send(ac, m, ETH_P_DISC, PADR, 0, tag(0x0101) + tag(0x0104, forged))
        elif kind == "othermac":
            port.send(ac, mac_of(0xFFFFFE00 + i % 200), ETH_P_DISC, PADR, 0,
                      tag(0x0101) + tag(0x0104, cookie))
        elif kind == "flood":
            port.send(BCAST, mac_of(0x10000000 + i), ETH_P_DISC, PADI, 0, tag(0x0101))
        elif kind == "padt":
            port.send(ac, mac_of(0x20000000 + i), ETH_P_DISC, PADT, 0x7000 + i % 4000, b"")
        elif kind == "session":
            port.send(ac, mac_of(0x30000000 + i), ETH_P_SESS, 0, 0x7000 + i % 4000,
                      b"\xc0\x21\x09\x01\x00\x08\0\0\0\0")
        else:
            raise SystemExit("unknown kind " + kind)
        sent += 1
    return {"sent": sent, "answers": answers(port, 1.0)}


def main():
    a = sys.argv[1:]
    vlans = []
    opts = {"--vlan": None, "--vlan2": None, "--mac-base": "1", "--window": "64",
            "--deadline": "120"}
    rest = []
    i = 0
    while i < len(a):
        if a[i] in opts:
            opts[a[i]] = a[i + 1]
            i += 2
        else:
            rest.append(a[i])
            i += 1
    if opts["--vlan"]:
        vlans.append(int(opts["--vlan"]))
        if opts["--vlan2"]:
            vlans.append(int(opts["--vlan2"]))
    cmd, iface = rest[0], rest[1]
    port = Port(iface, vlans)
    if cmd == "dial":
        count = int(rest[2])
        t0 = time.time()
        done, failed, times = dial(port, count, int(opts["--mac-base"]), int(opts["--window"]),
                                   float(opts["--deadline"]))
        secs = time.time() - t0
        print(json.dumps({"sessions": done, "failed": failed, "seconds": round(secs, 3),
                          "setups_per_s": round(len(done) / secs, 1) if secs else 0,
                          "setup_ms_p50": percentile(times, 50),
                          "setup_ms_p90": percentile(times, 90),
                          "setup_ms_p99": percentile(times, 99),
                          "setup_ms_max": percentile(times, 100)}))
    elif cmd in ("frames", "padt"):
        with open(rest[2]) as f:
            sess = json.load(f)["sessions"]
        if len(rest) > 3:
            sess = sess[:int(rest[3])]
        for mac, sid, acm in sess:
            m = bytes.fromhex(mac.replace(":", ""))
            acb = bytes.fromhex(acm.replace(":", ""))
            if cmd == "frames":
                port.send(acb, m, ETH_P_SESS, 0, sid, b"\xc0\x21\x09\x01\x00\x08\0\0\0\0")
            else:
                port.send(acb, m, ETH_P_DISC, PADT, sid, b"")
        print(json.dumps({"sent": len(sess)}))
    elif cmd == "bad":
        print(json.dumps(bad(port, rest[2], int(rest[3]) if len(rest) > 3 else 1)))
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main()
