#!/bin/bash
# PPPoE subscribers whose tunnel RADIUS chooses (RFC 2868, radius_lib.sh).
# Namespaces: sub (tests/integration/pppoe_sub.py) - lac (our LAC, with
# FreeRADIUS on 127.0.0.1 and `aaa authorization network default group
# radius`) - lns (our LNS, local users).  The LAC's vpdn-group for
# isp.example points at an address nobody has, so only RADIUS's answer
# can bring the calls up:
#  - N subscribers sub{n}@isp.example: after their PAP the LAC asks
#    FreeRADIUS about isp.example (User-Name the domain), whose answer
#    names our LNS (Tunnel-Server-Endpoint, Tunnel-Password, Tunnel-
#    Assignment-Id, Tunnel-Client-Auth-Id); every call lands on the LNS,
#    all on one tunnel (one assignment) whose SCCRQ names us as RADIUS
#    said, with the proxy AVPs on the wire (the LNS's packet log);
#  - a subscriber of bad.example, whose answer has only a Tunnel-Type PPTP
#    set, is refused: a log line naming the set, its PAP refused, its
#    PPPoE session ended (PADT), counted (though a local user and a pool
#    would have terminated it here: a refusal is not a fallback); the N
#    subscribers keep answering echoes.
set -euo pipefail
. "$(dirname "$0")/radius_lib.sh"
it_init radius_pppoe_tunnel
rad_init
it_require_l2tpd
it_require_cmd jq ip python3
SUB=$(dirname "$0")/pppoe_sub.py
N=${L2T_PPPOE_RADIUS_N:-20}

it_two_hosts
it_netns NS_SUB sub
ip -n "$NS_LAC" link add acc0 type veth peer name acc0 netns "$NS_SUB" || it_fail "veth"
ip -n "$NS_LAC" link set acc0 up
ip -n "$NS_SUB" link set acc0 up

RAD_USERS_EXTRA=$(printf '%s\n' \
	'isp.example	Cleartext-Password := "cisco"' \
	'	Tunnel-Type:1 = L2TP,' \
	'	Tunnel-Medium-Type:1 = IP,' \
	"	Tunnel-Server-Endpoint:1 = \"$IT_LNS_ADDR\"," \
	'	Tunnel-Password:1 = "s3cret",' \
	'	Tunnel-Client-Auth-Id:1 = "bras-west",' \
	'	Tunnel-Assignment-Id:1 = "isp"' \
	'' \
	'bad.example	Cleartext-Password := "cisco"' \
	'	Tunnel-Type:1 = PPTP,' \
	'	Tunnel-Medium-Type:1 = IP,' \
	"	Tunnel-Server-Endpoint:1 = \"$IT_LNS_ADDR\"")
export RAD_USERS_EXTRA
rad_start r1 "$NS_LAC" 127.0.0.1 1812 1813
[ "$(rad_radtest r1 isp.example cisco)" = accept ] || it_fail "FreeRADIUS does not accept isp.example"

lns_conf() {
	it_conf_head lns1
	for ((i = 1; i <= N; i++)); do
		printf 'username sub%d@isp.example password pw%d\n' "$i" "$i"
	done
	it_conf_template 10.200.255.254 "pap chap" "" 10.200.3.254
	it_conf_dialin 1 "$(it_conf_tunnel lns1 s3cret)"
}
lac_conf() {
	it_conf_head lac1
	rad_conf_servers r1
	cat <<-EOF
	aaa new-model
	aaa authorization network default group radius
	vpdn search-order domain
	vpdn-group LAC
	 request-dialin
	  protocol l2tp
	  domain isp.example
	 initiate-to ip 192.0.2.254
	 local name lac1
	 l2tp tunnel password group-secret
	username eve@bad.example password x
	ip local pool LOCAL 10.99.0.1 10.99.0.9
	interface Virtual-Template1
	 ip address 10.99.255.254 255.255.255.255
	 peer default ip address pool LOCAL
	 ppp authentication pap
	bba-group pppoe global
	 virtual-template 1
	 ac name BRAS1
	interface acc0
	 pppoe enable group global
	EOF
}

it_l2tpd lns "$NS_LNS" "$(lns_conf)"
it_l2tpd lac "$NS_LAC" "$(lac_conf)"
it_ctl lns debug l2tp packet >/dev/null || it_fail "debug l2tp packet refused"
grep -qx 'vpdn search-order domain' <<<"$(it_ctl lac show running-config)" ||
	it_fail "show running-config lacks vpdn search-order domain"

sub() { ip netns exec "$NS_SUB" python3 "$SUB" "$@"; }
pstat() { it_num lac "$1" show pppoe statistics; }

# 1. N subscribers of isp.example: on RADIUS's LNS, one tunnel
sub acc0 "$N" --user 'sub{n}@isp.example' --password 'pw{n}' --auth pap --hold 6 \
	>"$IT_DIR/subs.json" 2>"$IT_DIR/subs.err" &
subs_pid=$!
it_wait 60 it_ppp_up_eq lns "$N" || it_fail "$(it_ppp_up lns) of $N subscribers up on the LNS; lac: $(it_counts lac)"
[ "$(pstat .radius_tunnel_asked)" = "$N" ] || it_fail "radius_tunnel_asked $(pstat .radius_tunnel_asked), not $N"
[ "$(pstat .radius_tunnel_chosen)" = "$N" ] || it_fail "radius_tunnel_chosen $(pstat .radius_tunnel_chosen), not $N"
it_tunnels_eq lac 1 established || it_fail "LAC: $(it_counts lac), one established tunnel expected"
it_grep_log lac "to $IT_LNS_ADDR \\(RADIUS tag 1, assignment isp\\)" || it_fail "no log line of a call on RADIUS's tunnel"
grep -q 'recv SCCRQ.*Host Name="bras-west"' "$IT_DIR/lns.log" ||
	it_fail "the SCCRQ does not carry Tunnel-Client-Auth-Id as its Host Name"
for avp in "Last Received LCP CONFREQ=" "Proxy Authen Type=3" 'Proxy Authen Name="sub1@isp.example"'; do
	grep -q "recv ICCN.*$avp" "$IT_DIR/lns.log" || it_fail "no ICCN with $avp in the LNS's packet log"
done

# 2. bad.example: refused, with a log line, a PADT; the others untouched
sub acc0 1 --user 'eve@bad.example' --password 'x' --auth pap --mac-base 7000 --deadline 8 \
	>"$IT_DIR/bad.json" || it_fail "bad.example subscriber: generator failed"
[ "$(jq '.up, .auth_failed' "$IT_DIR/bad.json" | tr '\n' ' ')" = "0 1 " ] ||
	it_fail "bad.example: $(jq -c 'del(.sessions)' "$IT_DIR/bad.json")"
it_grep_log lac 'domain bad.example: tunnel tag 1 refused: Tunnel-Type not L2TP' ||
	it_fail "no log line refusing bad.example's PPTP set"
it_grep_log lac 'user eve@bad.example: refused by RADIUS tunnel authorization' ||
	it_fail "no log line refusing the subscriber"
[ "$(pstat .local_up)" = 0 ] || it_fail "the refused subscriber was terminated here"
[ "$(pstat .radius_tunnel_refused)" = 1 ] || it_fail "radius_tunnel_refused $(pstat .radius_tunnel_refused)"
# The PADT follows LCP's Terminate-Request, which the generator, gone once
# PAP failed, never acknowledges: the LAC's Restart timer runs out first
# (RFC 1661 §4.6, Max-Terminate), seconds after the generator returned.
# shellcheck disable=SC2317 # called through it_wait
ended_local() { [ "$(pstat .sessions_ended_local)" = 1 ]; }
it_wait 15 ended_local || it_fail "sessions_ended_local $(pstat .sessions_ended_local): no PADT for the refused subscriber"
wait "$subs_pid" || it_fail "subscribers: generator failed: $(cat "$IT_DIR/subs.err")"
r() { jq -r "$1" "$IT_DIR/subs.json"; }
[ "$(r .up)" = "$N" ] || it_fail "$(r .up) of $N subscribers up"
[ "$(r .echo_end_ok)" = "$N" ] || it_fail "after the refused subscriber, $(r .echo_end_ok) of $N echoes answered"
[ "$(r .padt_rx)" = 0 ] || it_fail "$(r .padt_rx) established subscribers got a PADT"
it_say "subscribers: $(jq -c 'del(.sessions, .addresses, .sids_seen)' "$IT_DIR/subs.json")"

it_check_healthy lac
it_check_healthy lns
it_stop lac
it_stop lns
it_pass
