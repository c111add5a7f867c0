#!/bin/bash
# The LNS under an SCCRQ flood (see tests/integration/t_flood.sh for what
# must hold; this prints how fast): our LNS with its open-files limit pinned
# to 1024, 100 tunnels x 10 sessions from our LAC, then BENCH_FLOOD_ROUNDS
# floods of 70,000 SCCRQs from one host and as many from 50 addresses.
# During each flood the LAC dials a new tunnel and l2tpctl asks `show vpdn`
# (three times); printed: the new tunnel's time to established and the
# answer times as percentiles (p50, p90, max) per kind of flood, the
# flood's send time, and the LNS's RSS and descriptors before, during (the
# highest sample) and after.  Run it on the plain (non-sanitizer) build.
# Environment: L2TPD, L2TPCTL (or L2T_BUILD), BENCH_FLOOD_ROUNDS (5),
# BENCH_FLOOD_COUNT (70000).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
if [ -z "${L2T_BUILD:-}" ] && [ -z "${L2TPD:-}" ]; then
	L2T_BUILD=$top/build
fi
# shellcheck source=../lib/lib.sh
. "$top/tests/lib/lib.sh"
ROUNDS=${BENCH_FLOOD_ROUNDS:-5}
COUNT=${BENCH_FLOOD_COUNT:-70000}
FLOOD=$top/tests/integration/l2tp_flood.py

it_init bench_flood
it_require_l2tpd
it_require_cmd jq ip prlimit python3
it_two_hosts
it_netns NS_ATK atk
it_veth "$NS_LNS" 10.3.0.2/16 "$NS_ATK" 10.3.0.1/16 veth1
SOURCES=""
for i in $(seq 1 50); do
	ip -n "$NS_ATK" addr add "10.3.1.$i/16" dev veth1
	SOURCES+="${SOURCES:+,}10.3.1.$i"
done
printf '%s\n' "$(it_conf_lns lns1 s3cret)" >"$IT_DIR/lns.conf"
it_daemon lns "$NS_LNS" prlimit --nofile=1024:1024 -- "$L2TPD" -f -c "$IT_DIR/lns.conf" \
	-s "$IT_DIR/lns.sock" -d "$IT_DATAPATH"
it_wait 15 it_ctl_ready lns || it_fail "the LNS did not start"
it_l2tpd lac "$NS_LAC" "$(it_conf_lac lac1 s3cret "$IT_LNS_ADDR")"
PID=${IT_DPID[lns]}
it_ctl lac test vpdn dial vpdn-group LAC sessions 1000 per-tunnel 10 >/dev/null || it_fail "dial refused"
it_wait 120 it_counts_ok lac 100 1000 || it_fail "LAC: $(it_counts lac)"

rss() { awk '/^VmRSS/ {print $2}' "/proc/$PID/status"; }
fds() { find "/proc/$PID/fd" -mindepth 1 -maxdepth 1 | wc -l; }
# pct FILE: "p50 p90 max" of the numbers in FILE (ms).
pct() {
	sort -n "$1" | awk '{v[NR] = $1} END {
		p50 = v[int((NR + 1) * 0.5)]; p90 = v[int(NR * 0.9 + 0.999)]
		if (p50 == "") p50 = v[1]; if (p90 == "") p90 = v[NR]
		printf "p50 %d ms, p90 %d ms, max %d ms (%d samples)", p50, p90, v[NR], NR}'
}
ms_since() { awk -v a="$1" -v b="$(it_now)" 'BEGIN {printf "%d\n", (b - a) * 1000}'; }

TUNNELS=100
SESSIONS=1000
rss0=$(rss)
fds0=$(fds)
echo "bench flood: LNS before: RSS $rss0 kB, $fds0 descriptors (100 tunnels x 10 sessions; open files 1024)"
for kind in one-host 50-addresses; do
	src=10.3.0.1 socks=64
	[ "$kind" = one-host ] || { src=$SOURCES; socks=2; }
	: >"$IT_DIR/tunnel-$kind" ; : >"$IT_DIR/show-$kind"
	rssmax=0 fdsmax=0
	for r in $(seq 1 "$ROUNDS"); do
		ip netns exec "$NS_ATK" python3 "$FLOOD" flood 10.3.0.2 "$COUNT" "$src" "$socks" \
			>"$IT_DIR/flood.out" 2>&1 &
		fpid=$!
		sleep 0.2
		for i in 1 2 3; do
			t0=$(it_now)
			it_ctl lns show vpdn >/dev/null || it_fail "show vpdn got no answer"
			ms_since "$t0" >>"$IT_DIR/show-$kind"
		done
		TUNNELS=$((TUNNELS + 1)) SESSIONS=$((SESSIONS + 1))
		t0=$(it_now)
		it_ctl lac test vpdn dial vpdn-group LAC sessions 1 per-tunnel 1 >/dev/null
		it_wait 31 it_counts_ok lac "$TUNNELS" "$SESSIONS" || it_fail "no new tunnel in 31 s"
		ms_since "$t0" >>"$IT_DIR/tunnel-$kind"
		v=$(rss); [ "$v" -le "$rssmax" ] || rssmax=$v
		v=$(fds); [ "$v" -le "$fdsmax" ] || fdsmax=$v
		wait "$fpid" || it_fail "flood sender failed"
		echo "bench flood: $kind round $r: $(cat "$IT_DIR/flood.out")"
	done
	echo "bench flood: $kind: new tunnel during the flood $(pct "$IT_DIR/tunnel-$kind")"
	echo "bench flood: $kind: show vpdn during the flood $(pct "$IT_DIR/show-$kind")"
	echo "bench flood: $kind: LNS during: RSS up to $rssmax kB, up to $fdsmax descriptors"
done
sleep 1
echo "bench flood: LNS after: RSS $(rss) kB, $(fds) descriptors ($((TUNNELS - 100)) new tunnels)"
echo "bench flood: $(it_json lns show l2tp security | jq -c 'del(.blocked)')"
it_stop lac
it_stop lns
IT_RESULT=finished
