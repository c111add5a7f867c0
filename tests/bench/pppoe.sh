#!/bin/bash
# The PPPoE access side's figures (null data path, two namespaces over a
# veth): BENCH_PPPOE_SESSIONS subscribers (default 1000) from
# tests/integration/pppoe_gen.py run discovery against our daemon, at most
# 64 at once, in BENCH_PPPOE_ROUNDS rounds (default 3; `clear pppoe all`
# between them).  Printed per round: sessions set up per second and the
# setup time (PADI sent to PADS received) as percentiles; then the
# daemon's RSS with no session and with the last round's sessions, and so
# its memory per session.  Run it on the plain (non-sanitizer) build.
# Environment: L2TPD, L2TPCTL (or L2T_BUILD), BENCH_PPPOE_SESSIONS,
# BENCH_PPPOE_ROUNDS.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
if [ -z "${L2T_BUILD:-}" ] && [ -z "${L2TPD:-}" ]; then
	L2T_BUILD=$top/build
fi
# shellcheck source=../lib/lib.sh
. "$top/tests/lib/lib.sh"
N=${BENCH_PPPOE_SESSIONS:-1000}
ROUNDS=${BENCH_PPPOE_ROUNDS:-3}
GEN=$top/tests/integration/pppoe_gen.py

it_init bench_pppoe
it_require_l2tpd
it_require_cmd jq ip python3
it_netns NS_AC ac
it_netns NS_SUB sub
ip -n "$NS_AC" link add acc0 type veth peer name acc0 netns "$NS_SUB" || it_fail "veth"
ip -n "$NS_AC" link set acc0 up
ip -n "$NS_SUB" link set acc0 up
it_l2tpd bras "$NS_AC" "hostname bras1
bba-group pppoe global
 sessions per-mac limit 1
interface acc0
 pppoe enable group global
pppoe rate-limit padi total 1000000"
PID=${IT_DPID[bras]}
rss() { awk '/^VmRSS/ {print $2}' "/proc/$PID/status"; }

rss0=$(rss)
for r in $(seq 1 "$ROUNDS"); do
	it_ctl bras clear pppoe all >/dev/null || it_fail "clear pppoe all refused"
	[ "$r" = 1 ] && rss0=$(rss)
	ip netns exec "$NS_SUB" python3 "$GEN" dial acc0 "$N" --mac-base $((r * 100000)) \
		>"$IT_DIR/round$r.json" || it_fail "generator failed"
	jq -r --arg r "$r" '"pppoe round \($r): \(.sessions | length) sessions (\(.failed) failed) in \(.seconds) s: \(.setups_per_s) setups/s; setup ms p50 \(.setup_ms_p50) p90 \(.setup_ms_p90) p99 \(.setup_ms_p99) max \(.setup_ms_max)"' \
		"$IT_DIR/round$r.json"
done
n=$(it_num bras .total_sessions show pppoe summary)
rss1=$(rss)
echo "pppoe memory: RSS $rss0 kB with no session, $rss1 kB with $n; $(((rss1 - rss0) * 1024 / (n > 0 ? n : 1))) bytes per session"
it_stop bras
IT_RESULT=finished
