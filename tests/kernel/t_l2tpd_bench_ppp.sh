#!/bin/bash
# Benchmark (prints figures; fails only if the load does not come up):
# PPP subscribers with full PPP (LCP + CHAP + IPCP) to our LNS on the
# kernel data path.  The subscribers are played by our LAC on the null data
# path (its PPP runs in user space; its frames reach the LNS's kernel as L2TP
# data messages), so the LNS does exactly what it does for real subscribers:
# kernel tunnel and session, PPPoL2TP channel, pppN with a pool address.
# Prints sessions/s and the LNS's resident memory per session.
# KT_BENCH_N subscribers (default 500: under TCG the LNS of a slower host
# could not answer 1,000 subscribers' LCP within their 30 s), 100 per tunnel.
# kt-timeout: 120
# shellcheck disable=SC2317 # predicates called through it_wait
set -euo pipefail
. "$(dirname "$0")/lib.sh"
kt_init l2tpd_bench_ppp
it_require_cmd ip jq
kt_require_modules l2tp_ppp ppp_generic pppox
N=${KT_BENCH_N:-500}
it_two_hosts

it_l2tpd lns "$NS_LNS" "$(it_conf_head lns
it_conf_template 10.201.0.1 chap " keepalive 60 5" 10.200.255.254
it_conf_dialin 1 " l2tp tunnel hello 60"
echo "username alice password wonderland")"
it_l2tpd lac "$NS_LAC" "$(it_conf_head lac
it_conf_dialout "$IT_LNS_ADDR" " local name lac
 l2tp tunnel hello 60")" null

rss() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
up_count() { it_json lns show l2tp session | jq "[$IT_JQ_ROWS | select(.ppp_up == true)] | length"; }
all_up() { [ "$(up_count)" = "$N" ]; }

rss0=$(rss "${IT_DPID[lns]}")
t0=$(it_now)
it_ctl lac test vpdn dial vpdn-group LAC sessions "$N" per-tunnel 100 username alice password wonderland >/dev/null ||
	it_fail "dial failed"
it_wait 240 all_up || it_fail "only $(up_count) of $N subscribers reached PPP up on the LNS in 240 s"
secs=$(it_elapsed "$t0" 1)
rss1=$(rss "${IT_DPID[lns]}")
ifs=$(ip -n "$NS_LNS" -o link show type ppp | wc -l)
[ "$ifs" = "$N" ] || it_fail "$ifs ppp interfaces on the LNS, not $N"
printf 'bench: VM (TCG, 1 vCPU) LNS on the kernel data path: %d PPP subscribers (LCP+CHAP+IPCP, pppN each) up in %s s = %s sessions/s; LNS RSS %s -> %s KiB = %s bytes/session\n' \
	"$N" "$secs" "$(awk -v n="$N" -v e="$secs" 'BEGIN { printf "%.0f", n / e }')" "$rss0" "$rss1" \
	"$(awk -v a="$rss0" -v b="$rss1" -v n="$N" 'BEGIN { printf "%.0f", (b - a) * 1024 / n }')"

t1=$(it_now)
for id in $(it_json lac show l2tp tunnel | jq -r "$IT_JQ_ROWS | .local_tunnel_id"); do
	it_ctl lac clear l2tp tunnel id "$id" >/dev/null || true
done
gone() { [ "$(ip -n "$NS_LNS" -o link show type ppp | wc -l)" = 0 ]; }
it_wait 120 gone || it_fail "$(ip -n "$NS_LNS" -o link show type ppp | wc -l) ppp interfaces left on the LNS"
printf 'bench: VM teardown of %d sessions (CDN, pppN removed): %s s\n' "$N" "$(it_elapsed "$t1" 1)"
it_pass
