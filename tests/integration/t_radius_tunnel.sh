#!/bin/bash
# The LAC's tunnel chosen by RADIUS (RFC 2868, radius_lib.sh).  With `aaa
# authorization network default group radius`, our LAC asks FreeRADIUS (in
# its namespace) about the domain of alice@isp.example; the answer holds two
# tagged tunnel sets toward our LNS: tag 1, Tunnel-Preference 1, a wrong
# Tunnel-Password; tag 2, preference 2, the LNS's secret.  The LAC's own
# vpdn-group points at an address nobody has, so only RADIUS's choice can
# bring the calls up: the first tunnel fails authentication (our StopCCN),
# the calls go to the second and come up on the LNS (PPP, the LNS's local
# user).  The domain bad.example gets only a set with Tunnel-Type PPTP:
# refused with a log line, nothing reaches the LNS.
set -euo pipefail
. "$(dirname "$0")/radius_lib.sh"
it_init radius_tunnel
rad_init
it_require_l2tpd
it_two_hosts

RAD_USERS_EXTRA=$(printf '%s\n' \
	'isp.example	Cleartext-Password := "cisco"' \
	'	Tunnel-Type:1 = L2TP,' \
	'	Tunnel-Medium-Type:1 = IP,' \
	"	Tunnel-Server-Endpoint:1 = \"$IT_LNS_ADDR\"," \
	'	Tunnel-Password:1 = "not-the-secret",' \
	'	Tunnel-Preference:1 = 1,' \
	'	Tunnel-Type:2 = L2TP,' \
	'	Tunnel-Medium-Type:2 = IP,' \
	"	Tunnel-Server-Endpoint:2 = \"$IT_LNS_ADDR\"," \
	'	Tunnel-Password:2 = "s3cret",' \
	'	Tunnel-Preference:2 = 2,' \
	'	Tunnel-Assignment-Id:2 = "isp"' \
	'' \
	'bad.example	Cleartext-Password := "cisco"' \
	'	Tunnel-Type:1 = PPTP,' \
	'	Tunnel-Medium-Type:1 = IP,' \
	"	Tunnel-Server-Endpoint:1 = \"$IT_LNS_ADDR\"")
export RAD_USERS_EXTRA
rad_start r1 "$NS_LAC" 127.0.0.1 1812 1813
[ "$(rad_radtest r1 isp.example cisco)" = accept ] || it_fail "FreeRADIUS does not accept isp.example"

it_l2tpd lns "$NS_LNS" "$(rad_conf_lns pap "username alice@isp.example password wonderland")"
it_l2tpd lac "$NS_LAC" "$(cat <<-EOF
	hostname lac1
	vpdn enable
	$(rad_conf_servers r1)
	aaa new-model
	aaa authorization network default group radius
	vpdn-group LAC
	 request-dialin
	  protocol l2tp
	  domain isp.example
	 initiate-to ip 192.0.2.254
	 local name lac1
	 l2tp tunnel password group-secret
	 l2tp tunnel retransmit retries 2
	 l2tp tunnel retransmit timeout min 1
	 l2tp tunnel retransmit timeout max 2
	EOF
)"

out=$(it_ctl lac test vpdn dial username alice@isp.example password wonderland sessions 2)
case $out in
*RADIUS*) ;;
*) it_fail "the dial did not wait for RADIUS: $out" ;;
esac
it_wait 30 rad_user_up lns alice@isp.example 2 ||
	it_fail "alice@isp.example not up twice on the LNS: $(it_counts lns); lac: $(it_counts lac)"
it_grep_log lac 'not established .*trying the next LNS' || it_fail "the calls did not move to the next set"
it_grep_log lac 'assignment isp' || it_fail "the second set (Tunnel-Assignment-Id isp) was not the one used"
it_wait 10 it_tunnels_eq lac 1 established || it_fail "LAC: $(it_counts lac), one established tunnel expected"
it_say "alice@isp.example: 2 calls up through the preference-2 set after the preference-1 tunnel failed"

# A refused set: logged, nothing dialled toward the LNS.
t0=$(it_tunnels lns)
it_ctl lac test vpdn dial username bob@bad.example password x sessions 1 >>"$IT_DIR/dial.out" 2>&1 || true
it_wait 10 it_grep_log lac 'domain bad.example: tunnel tag 1 refused: Tunnel-Type not L2TP' ||
	it_fail "no log line refusing bad.example's PPTP set"
sleep 1
[ "$(it_tunnels lns)" = "$t0" ] || it_fail "a tunnel reached the LNS for bad.example"

it_check_healthy lac
it_check_healthy lns
it_stop lac
it_stop lns
it_pass
