#!/bin/bash
# Interop: PPPoE subscribers (tests/integration/pppoe_sub.py) through our
# LAC (null data path) to l2tpns (Debian) as the LNS (t_pppoe_xl2tpd.sh:
# the same to xl2tpd).
# Each call comes up (ICRQ, ICRP, ICCN: established on our LAC) and its
# ICCN carries the proxy LCP and authentication of the subscriber's
# negotiation with our LAC (RFC 2661 §4.4.5): our packet log shows them
# sent, l2tpns logs each one it decodes.  l2tpns authenticates through
# RADIUS only, not run here: the subscribers' PPP is not asserted.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
it_init pppoe_l2tpns
it_require_l2tpd
it_require_cmd jq ip python3 l2tpns
[ -c /dev/net/tun ] || it_skip "no /dev/net/tun for l2tpns"
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

cat >"$IT_DIR/l2tpns.conf" <<CONF
set debug 4
set log_file "$IT_DIR/l2tpns.log"
set pid_file "$IT_DIR/l2tpns.pid"
set bind_address $IT_LNS_ADDR
set l2tp_secret "s3cret"
set primary_dns 10.9.0.53
set primary_radius 127.0.0.1
set radius_secret "unused"
set cli_bind_address 127.0.0.1
set cluster_interface veth0
CONF
: >"$IT_DIR/l2tpns.log"
# its own session: left in the script's process group, its exit (after
# calls from PPPoE subscribers) ended the script too
it_daemon l2tpns_out "$NS_LNS" setsid l2tpns -c "$IT_DIR/l2tpns.conf"
# shellcheck disable=SC2317 # called through it_wait
l2tpns_ready() {
	it_alive l2tpns_out && ip netns exec "$NS_LNS" ss -lun | grep -q ":1701 "
}
it_wait 10 l2tpns_ready || it_fail "l2tpns did not start: $(tail -n 5 "$IT_DIR/l2tpns_out.log" | tr '\n' ' ')"
it_l2tpd lac "$NS_LAC" "$(lac_conf)"
it_ctl lac debug l2tp packet >/dev/null || it_fail "debug l2tp packet refused"
sub_run 100 subs_l2tpns &
subs_pid=$!
it_wait 20 it_sessions_eq lac "$N" established || it_fail "l2tpns: not $N calls up: $(it_counts lac)"
it_wait 5 proxy_iccns || it_fail "l2tpns: not $N ICCNs with proxy LCP and PAP sent"
for avp in "AVP 26 \\(Initial Received LCP CONFREQ\\)" "AVP 27 \\(Last Sent LCP CONFREQ\\)" \
	"AVP 28 \\(Last Received LCP CONFREQ\\)" "Proxy Auth Type 3 \\(PPP PAP\\)" \
	"Proxy Auth Name \\(sub1@isp.example\\)" "AVP 33 \\(Proxy Authen Response\\)"; do
	it_wait 5 it_grep_log l2tpns "$avp" || it_fail "l2tpns did not log: $avp"
done
wait "$subs_pid" || true
it_say "l2tpns: $N PPPoE calls up, proxy AVPs sent and decoded"
it_check_healthy lac
it_stop lac
it_pass
