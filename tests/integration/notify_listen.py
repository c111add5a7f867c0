#!/usr/bin/env python3
"""A service manager's end of sd_notify(3) for the tests: bind a datagram
socket at PATH and print every notification as one line, "SECONDS MESSAGE"
(monotonic seconds; the message's newlines as '|'), until SECONDS pass or
the process is killed.  t_service.sh reads the order and the gaps."""
import os
import socket
import sys
import time


def main():
    path, limit = sys.argv[1], float(sys.argv[2])
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind(path)
    s.settimeout(0.1)
    end = time.monotonic() + limit
    while time.monotonic() < end:
        try:
            msg = s.recv(4096)
        except socket.timeout:
            continue
        print("%.3f %s" % (time.monotonic(), msg.decode(errors="replace").replace("\n", "|")),
              flush=True)


if __name__ == "__main__":
    main()
