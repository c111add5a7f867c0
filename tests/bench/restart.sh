#!/bin/bash
# The hitless restart's gap: our LAC with TUNNELS x PER sessions against our
# LNS, `l2tpctl restart` BENCH_RESTART_RUNS times.  Per run, two figures:
#   gap       from sending the command until the answer (the new daemon
#             runs: it has taken everything and answered the old one); the
#             old one reads nothing from the command on, so this is the
#             window in which the peers' messages wait in the sockets'
#             queues;
#   handover  what the daemon reports: the part of it from the new
#             process's first word (its configuration read) until it runs;
# printed as percentiles (p50, p99, max), with the LAC's retransmissions
# over all the runs.  Not a test: tests/bench/run.sh relays its lines.
#
# Environment: BENCH_RESTART_TUNNELS (default 100), BENCH_RESTART_PER (10),
# BENCH_RESTART_RUNS (10).  The 1,000 x 10 figure, by hand:
#   BENCH_RESTART_TUNNELS=1000 tests/bench/restart.sh
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
if [ -z "${L2T_BUILD:-}" ] && [ -z "${L2TPD:-}" ]; then
	L2T_BUILD=$top/build
fi
# shellcheck source=../lib/lib.sh
. "$top/tests/lib/lib.sh"

TUNNELS=${BENCH_RESTART_TUNNELS:-100}
PER=${BENCH_RESTART_PER:-10}
RUNS=${BENCH_RESTART_RUNS:-10}
TOTAL=$((TUNNELS * PER))

it_init bench_restart
it_require_l2tpd
it_require_cmd jq ip
it_two_hosts
it_l2tpd lns "$NS_LNS" "$(it_conf_lns lns1 s3cret)"
it_l2tpd lac "$NS_LAC" "$(it_conf_lac lac1 s3cret "$IT_LNS_ADDR")"
it_ctl lac test vpdn dial vpdn-group LAC sessions "$TOTAL" per-tunnel "$PER" >/dev/null || it_fail "dial refused"
it_wait 300 it_counts_ok lac "$TUNNELS" "$TOTAL" || it_fail "LAC: $(it_counts lac)"

# pct FILE: "p50 p99 max" of the numbers in FILE (ms).
pct() {
	sort -n "$1" | awk '{v[NR] = $1} END {
		p50 = v[int((NR + 1) * 0.5)]; p99 = v[int(NR * 0.99 + 0.999)]
		if (p50 == "") p50 = v[1]; if (p99 == "") p99 = v[NR]
		printf "p50 %d ms, p99 %d ms, max %d ms (%d runs)", p50, p99, v[NR], NR}'
}
# shellcheck disable=SC2317 # called through it_wait
gone() { ! kill -0 "$1" 2>/dev/null || grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null; }

rtx0=$(it_stat lac .control_channels.tx_retransmits)
: >"$IT_DIR/command"
: >"$IT_DIR/paused"
for ((r = 1; r <= RUNS; r++)); do
	old=${IT_DPID[lns]}
	t0=$(it_now)
	out=$(it_ctl lns restart 2>&1) || it_fail "run $r: $out"
	awk -v a="$t0" -v b="$(it_now)" 'BEGIN {printf "%d\n", (b - a) * 1000}' >>"$IT_DIR/command"
	printf '%s\n' "$out" | sed -n 's/.*(handover \([0-9]*\) ms).*/\1/p' >>"$IT_DIR/paused"
	new=$(printf '%s\n' "$out" | sed -n 's/.*PID [0-9]* -> \([0-9]*\),.*/\1/p')
	[ -n "$new" ] || it_fail "run $r: $out"
	it_wait 10 gone "$old" || it_fail "run $r: the old LNS did not exit"
	wait "$old" 2>/dev/null || true
	IT_DPID[lns]=$new
	it_counts_ok lns "$TUNNELS" "$TOTAL" || it_fail "run $r: LNS $(it_counts lns)"
done
it_counts_ok lac "$TUNNELS" "$TOTAL" || it_fail "LAC after the runs: $(it_counts lac)"
rtx=$(($(it_stat lac .control_channels.tx_retransmits) - rtx0))
echo "bench restart: $TUNNELS tunnels x $PER sessions: gap $(pct "$IT_DIR/command")"
echo "bench restart: $TUNNELS tunnels x $PER sessions: handover $(pct "$IT_DIR/paused"); LAC retransmissions over the runs: $rtx"
kill -TERM "${IT_DPID[lns]}"
it_wait 30 gone "${IT_DPID[lns]}" || it_fail "the LNS did not stop"
unset "IT_DPID[lns]"
it_stop lac
IT_RESULT=finished
