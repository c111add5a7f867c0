#!/usr/bin/env python3
"""Hostile L2TP peers for t_flood and t_bruteforce (standard library only).

  l2tp_flood.py flood DST COUNT SOURCES [SOCKETS_PER_SOURCE]
      COUNT SCCRQs (each with its own Assigned Tunnel ID, no secret), as
      fast as the sockets take them, spread round-robin over SOURCES (comma
      separated local addresses) and SOCKETS_PER_SOURCE source ports each.
      Prints "sent N in S s".
  l2tp_flood.py brute DST SOURCE ATTEMPTS
      ATTEMPTS tunnel set-ups with a wrong secret from SOURCE, each from a
      port of its own: SCCRQ, then (if an SCCRP comes) an SCCCN whose
      Challenge Response is wrong.  Prints "answered A unanswered U".
Every loop is bounded in count and time; DST is an address of a test
namespace.
"""
import os
import socket
import struct
import sys
import time

PORT = 1701
SCCRQ, SCCRP, SCCCN = 1, 2, 3
AVP_MSG_TYPE, AVP_PROTO_VER, AVP_FRAMING, AVP_HOST = 0, 2, 3, 7
AVP_TID, AVP_CHALLENGE, AVP_RESPONSE = 9, 11, 13


def avp(typ, value, mandatory=True):
    flags = 0x8000 if mandatory else 0
    return struct.pack("!HHH", flags | (6 + len(value)), 0, typ) + value


def control(tid, ns, nr, avps):
    body = b"".join(avps)
    return struct.pack("!HHHHHH", 0xC802, 12 + len(body), tid, 0, ns, nr) + body


def sccrq(my_tid, host=b"flood"):
    return control(0, 0, 0, [
        avp(AVP_MSG_TYPE, struct.pack("!H", SCCRQ)),
        avp(AVP_PROTO_VER, b"\x01\x00"),
        avp(AVP_FRAMING, struct.pack("!I", 3)),
        avp(AVP_HOST, host),
        avp(AVP_TID, struct.pack("!H", my_tid)),
    ])


def parse(buf):
    """(tunnel id of the header, message type, {avp type: value}) or None."""
    if len(buf) < 12 or not buf[0] & 0x80:
        return None
    tid = struct.unpack("!H", buf[4:6])[0]
    avps, off = {}, 12
    while off + 6 <= len(buf):
        fl, _vendor, typ = struct.unpack("!HHH", buf[off:off + 6])
        ln = fl & 0x3FF
        if ln < 6 or off + ln > len(buf):
            return None
        avps[typ] = buf[off + 6:off + ln]
        off += ln
    if AVP_MSG_TYPE not in avps:
        return None
    return tid, struct.unpack("!H", avps[AVP_MSG_TYPE])[0], avps


def flood(dst, count, sources, per_source):
    socks = []
    for src in sources:
        for _ in range(per_source):
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.bind((src, 0))
            s.setblocking(False)
            socks.append(s)
    pkts = [sccrq(t) for t in range(1, 65536)]
    sent, t0, n = 0, time.monotonic(), len(socks)
    deadline = t0 + 60
    for i in range(count):
        if time.monotonic() > deadline:
            break
        try:
            socks[i % n].sendto(pkts[i % 65535], (dst, PORT))
            sent += 1
        except BlockingIOError:
            time.sleep(0.0005)
    print("sent %d in %.2f s" % (sent, time.monotonic() - t0))


def brute(dst, src, attempts):
    answered = unanswered = 0
    wait = 1.0
    t0 = time.monotonic()
    for i in range(attempts):
        if time.monotonic() - t0 > 120:
            break
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind((src, 0))
        s.settimeout(wait)
        my_tid = 1000 + i
        s.sendto(sccrq(my_tid, b"intruder"), (dst, PORT))
        try:
            while True:
                buf, peer = s.recvfrom(4096)
                m = parse(buf)
                if m and m[0] == my_tid and m[1] == SCCRP:
                    break
        except socket.timeout:
            unanswered += 1
            wait = 0.05
            s.close()
            continue
        answered += 1
        wait = 1.0
        _, _, avps = m
        lns_tid = struct.unpack("!H", avps[AVP_TID])[0]
        s.sendto(control(lns_tid, 1, 1, [
            avp(AVP_MSG_TYPE, struct.pack("!H", SCCCN)),
            avp(AVP_RESPONSE, os.urandom(16)),
        ]), peer)
        s.close()
    print("answered %d unanswered %d" % (answered, unanswered))


def main(argv):
    if len(argv) >= 5 and argv[1] == "flood":
        flood(argv[2], int(argv[3]), argv[4].split(","), int(argv[5]) if len(argv) > 5 else 16)
    elif len(argv) == 5 and argv[1] == "brute":
        brute(argv[2], argv[3], int(argv[4]))
    else:
        sys.stderr.write(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
