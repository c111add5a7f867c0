#!/bin/bash
# The soak of failovers (soak.sh: an HA pair behind keepalived, FreeRADIUS,
# our LAC keeping subscribers up while it places and clears calls, the
# active box killed every SOAK_INTERVAL s, the boxes alternating).
#
#   tests/soak/run.sh          the short soak (the test command's soak
#                              stage): 4 failovers 30 s apart, about 2 min
#                              of failovers, 3 to 4 min in all
#   tests/soak/run.sh long     the long one, run by hand: 20 failovers 30 s
#                              apart (10 min of failovers)
#
# It prints soak.sh's verdict, its `soak:` lines (per cycle: what was
# rebuilt and kept, the resync time, RSS and descriptors of the LAC and of
# the boxes; at the end the accounting and the RSS/descriptor series) and a
# closing "N passed, N failed" line.  Needs root (namespaces), keepalived
# and FreeRADIUS (scripts/install-deps.sh).  The daemons come from build/
# (L2T_BUILD to change it), not the sanitizer build: RSS is one of the
# things measured, and ASan's quarantine grows it on purpose.
#
# Environment (the presets set the first two; anything set wins):
#   SOAK_FAILOVERS   failovers (short 4, long 20)
#   SOAK_INTERVAL    seconds between failovers (30)
#   SOAK_KEEP        subscribers kept up throughout (1000), SOAK_KEEP_PER a
#                    tunnel (100)
#   SOAK_RATE        calls placed and cleared a second (20); SOAK_CHURN_LIFE
#                    how long each lives, s (10)
#   SOAK_RSS_PCT, SOAK_FD_SLACK  how flat is flat (20 % + 8 MiB, 16 fds)
#   L2T_LOGDIR       where the files of a failed run are kept
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
mode=${1:-short}
case $mode in
short) : "${SOAK_FAILOVERS:=4}" ;;
long) : "${SOAK_FAILOVERS:=20}" ;;
*)
	echo "usage: $0 [short|long]" >&2
	exit 2
	;;
esac
: "${SOAK_INTERVAL:=30}"
export SOAK_FAILOVERS SOAK_INTERVAL
if [ -z "${L2T_BUILD:-}" ] && [ -z "${L2TPD:-}" ]; then
	export L2T_BUILD=$top/build
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "soak: must run as root (network namespaces)" >&2
	echo "0 passed, 1 failed"
	exit 1
fi

limit=$((SOAK_FAILOVERS * (SOAK_INTERVAL + 30) + 400))
start=$(date +%s)
rc=0
out=$(timeout -k 30 "$limit" bash "$here/soak.sh") || rc=$?
took=$(($(date +%s) - start))
printf '%s\n' "$out" | grep '^soak: ' || true
verdict=$(printf '%s\n' "$out" | grep -E '^(PASS|FAIL) ' | tail -n 1 || true)
if [ "$rc" -eq 0 ] && [ "${verdict%% *}" = PASS ]; then
	printf '%s (%s, %d s)\n' "$verdict" "$mode" "$took"
	echo "1 passed, 0 failed"
	exit 0
fi
if [ -z "$verdict" ]; then
	verdict="FAIL soak: no verdict (exit $rc)"
	[ "$rc" -eq 124 ] && verdict="FAIL soak: timed out after $limit s"
fi
printf '%s (%s, %d s)\n' "$verdict" "$mode" "$took"
echo "0 passed, 1 failed"
exit 1
