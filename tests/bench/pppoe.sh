#!/bin/bash
# The PPPoE access side's figures (null data path, two namespaces over a
# veth): BENCH_PPPOE_SESSIONS subscribers (default 1000) from
# tests/integration/pppoe_gen.py run discovery against our daemon, at most
# 64 at once, in BENCH_PPPOE_ROUNDS rounds (default 3; `clear pppoe all`
# between them).  Printed per round: sessions set up per second and the
# setup time (PADI sent to PADS received) as percentiles; then the
# daemon's RSS with no session and with the last round's sessions, and so
# its memory per session.  Then end to end: the same number of
# subscribers (tests/integration/pppoe_sub.py: discovery, LCP, PAP, IPCP,
# an LCP echo) through our LAC to our LNS (a third namespace), each call
# carrying proxy LCP and authentication, every frame relayed by the LAC:
# sessions up per second, the setup time (PADI sent to IPCP up) as
# percentiles, and the LAC's memory per relayed session.  Run it on the
# plain (non-sanitizer) build.
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
SUB=$top/tests/integration/pppoe_sub.py

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

# end to end: subscribers -> our LAC -> our LNS
it_two_hosts
ip -n "$NS_LAC" link add acc1 type veth peer name acc1 netns "$NS_SUB" || it_fail "veth"
ip -n "$NS_LAC" link set acc1 up
ip -n "$NS_SUB" link set acc1 up
it_l2tpd lns "$NS_LNS" "$(it_conf_head lns1
	for ((i = 1; i <= N; i++)); do printf 'username sub%d@isp.example password pw%d\n' "$i" "$i"; done
	it_conf_template 10.200.255.254 pap "" 10.200.63.254
	it_conf_dialin 1 "$(it_conf_tunnel lns1 s3cret)")"
it_l2tpd lac "$NS_LAC" "$(it_conf_head lac1
	printf 'vpdn-group LAC\n request-dialin\n  protocol l2tp\n  domain isp.example\n'
	printf ' initiate-to ip %s\n%s\n' "$IT_LNS_ADDR" "$(it_conf_tunnel lac1 s3cret)"
	printf 'bba-group pppoe global\n sessions per-mac limit 1\ninterface acc1\n pppoe enable group global\n'
	printf 'pppoe rate-limit padi total 1000000\n')"
LPID=${IT_DPID[lac]}
lrss() { awk '/^VmRSS/ {print $2}' "/proc/$LPID/status"; }
lrss0=$(lrss)
ip netns exec "$NS_SUB" python3 "$SUB" acc1 "$N" --user 'sub{n}@isp.example' --password 'pw{n}' \
	--auth pap --deadline 300 >"$IT_DIR/e2e.json" || it_fail "subscriber generator failed"
lrss1=$(lrss)
up=$(jq .up "$IT_DIR/e2e.json")
jq -r '"pppoe end to end (LAC to LNS, null path): \(.up) of \(.count) subscribers up (proxy auth, IPCP, echo answered \(.echo_ok)) in \(.seconds) s: \(.setups_per_s) sessions/s; setup ms p50 \(.setup_ms_p50) p99 \(.setup_ms_p99) max \(.setup_ms_max)"' \
	"$IT_DIR/e2e.json"
echo "pppoe LAC memory: RSS $lrss0 kB with no session, $lrss1 kB with $up relayed; $(((lrss1 - lrss0) * 1024 / (up > 0 ? up : 1))) bytes per session (PPPoE session, its PPP until the call, the L2TP call)"
echo "pppoe LAC relayed frames: $(it_json lac show pppoe statistics | jq -c '{relayed_to_lns, relayed_to_subscriber, lac_calls_up}')"
it_stop lac
it_stop lns
IT_RESULT=finished
