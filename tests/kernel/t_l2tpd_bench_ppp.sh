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
# shellcheck disable=SC2317 # predicates called through kt_wait
set -euo pipefail
. "$(dirname "$0")/lib.sh"
kt_init l2tpd_bench_ppp
kt_require_cmd ip jq
kt_require_modules l2tp_ppp ppp_generic pppox
N=${KT_BENCH_N:-500}
kt_two_hosts

kt_l2tpd lns "$NS_LNS" "hostname lns
vpdn enable
ip local pool SUBS 10.200.0.1 10.200.255.254
interface Virtual-Template1
 ip address 10.201.0.1 255.255.255.255
 peer default ip address pool SUBS
 ppp authentication chap
 keepalive 60 5
vpdn-group LNS
 accept-dialin
  protocol l2tp
  virtual-template 1
 l2tp tunnel hello 60
username alice password wonderland"
kt_l2tpd lac "$NS_LAC" "hostname lac
vpdn enable
vpdn-group LAC
 request-dialin
  protocol l2tp
 initiate-to ip $KT_LNS_ADDR
 local name lac
 l2tp tunnel hello 60" null

rss() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
up_count() { kt_json lns show l2tp session | jq "[$KT_JQ_ROWS | select(.ppp_up == true)] | length"; }
all_up() { [ "$(up_count)" = "$N" ]; }

rss0=$(rss "${KT_PID[lns]}")
t0=$(kt_now)
kt_ctl lac test vpdn dial vpdn-group LAC sessions "$N" per-tunnel 100 username alice password wonderland >/dev/null ||
	kt_fail "dial failed"
kt_wait 240 all_up || kt_fail "only $(up_count) of $N subscribers reached PPP up on the LNS in 240 s"
secs=$(kt_elapsed "$t0")
rss1=$(rss "${KT_PID[lns]}")
ifs=$(ip -n "$NS_LNS" -o link show type ppp | wc -l)
[ "$ifs" = "$N" ] || kt_fail "$ifs ppp interfaces on the LNS, not $N"
printf 'bench: VM (TCG, 1 vCPU) LNS on the kernel data path: %d PPP subscribers (LCP+CHAP+IPCP, pppN each) up in %s s = %s sessions/s; LNS RSS %s -> %s KiB = %s bytes/session\n' \
	"$N" "$secs" "$(awk -v n="$N" -v e="$secs" 'BEGIN { printf "%.0f", n / e }')" "$rss0" "$rss1" \
	"$(awk -v a="$rss0" -v b="$rss1" -v n="$N" 'BEGIN { printf "%.0f", (b - a) * 1024 / n }')"

t1=$(kt_now)
for id in $(kt_json lac show l2tp tunnel | jq -r "$KT_JQ_ROWS | .local_tunnel_id"); do
	kt_ctl lac clear l2tp tunnel id "$id" >/dev/null || true
done
gone() { [ "$(ip -n "$NS_LNS" -o link show type ppp | wc -l)" = 0 ]; }
kt_wait 120 gone || kt_fail "$(ip -n "$NS_LNS" -o link show type ppp | wc -l) ppp interfaces left on the LNS"
printf 'bench: VM teardown of %d sessions (CDN, pppN removed): %s s\n' "$N" "$(kt_elapsed "$t1")"
kt_pass
