#!/bin/bash
# Interop: PPPoE subscribers (tests/integration/pppoe_sub.py) through our
# LAC (null data path) to xl2tpd as the LNS (t_pppoe_l2tpns.sh: the same
# to l2tpns).
# Each call comes up (ICRQ, ICRP, ICCN: established on our LAC) and its
# ICCN carries the proxy LCP and authentication of the subscriber's
# negotiation with our LAC (RFC 2661 §4.4.5): our packet log shows them
# sent, xl2tpd names the proxy LCP AVPs it has no handler for.  xl2tpd
# runs a stand-in pppd: the subscribers' PPP is not asserted.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
it_init pppoe_xl2tpd
it_require_l2tpd
it_require_cmd jq ip python3 xl2tpd unshare
SUB=$(dirname "$0")/pppoe_sub.py
N=3

it_two_hosts
it_netns NS_SUB sub
ip -n "$NS_LAC" link add acc0 type veth peer name acc0 netns "$NS_SUB" || it_fail "veth"
ip -n "$NS_LAC" link set acc0 up
ip -n "$NS_SUB" link set acc0 up

lac_conf() {
	it_conf_head lac1
	printf 'vpdn-group LAC\n request-dialin\n  protocol l2tp\n  domain isp.example\n'
	printf ' initiate-to ip %s\n%s\n' "$IT_LNS_ADDR" "$(it_conf_tunnel lac1 s3cret)"
	cat <<-EOF
	interface Virtual-Template1
	 ppp authentication pap
	bba-group pppoe global
	 virtual-template 1
	interface acc0
	 pppoe enable group global
	EOF
}
sub_run() {
	ip netns exec "$NS_SUB" python3 "$SUB" acc0 "$N" --user 'sub{n}@isp.example' \
		--password 'pw{n}' --auth pap --mac-base "$1" --deadline 8 --padt >"$IT_DIR/$2.json" 2>&1
}
# shellcheck disable=SC2317 # called through it_wait
proxy_iccns() {
	local i
	for ((i = 1; i <= N; i++)); do
		grep -q "send ICCN.*Last Sent LCP CONFREQ=.*Proxy Authen Type=3.*Proxy Authen Name=\"sub$i@isp.example\"" \
			"$IT_DIR/lac.log" || return 1
	done
}

it_xl2tpd xlns "$NS_LNS" "$(it_xl2tpd_conf_lns 10.9.0.10-10.9.0.250 10.9.0.1)" "* * s3cret"
it_l2tpd lac "$NS_LAC" "$(lac_conf)"
it_ctl lac debug l2tp packet >/dev/null || it_fail "debug l2tp packet refused"
sub_run 100 subs_xl2tpd &
subs_pid=$!
it_wait 20 it_sessions_eq lac "$N" established || it_fail "xl2tpd: not $N calls up: $(it_counts lac)"
it_wait 5 proxy_iccns || it_fail "xl2tpd: not $N ICCNs with proxy LCP and PAP sent"
it_grep_log xlns "no handler for attribute 27" || it_fail "xl2tpd did not see the proxy LCP AVPs"
[ "$(it_num lac .lac_calls_up show pppoe statistics)" = "$N" ] || it_fail "xl2tpd: lac_calls_up not $N"
wait "$subs_pid" || true
it_say "xl2tpd: $N PPPoE calls up, proxy AVPs sent and seen"
it_check_healthy lac
it_stop lac
it_alive xlns || it_fail "xl2tpd died"
it_pass

