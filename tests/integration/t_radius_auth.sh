#!/bin/bash
# it-seconds: 45
# PPP authentication through a real FreeRADIUS (radius_lib.sh), our LAC
# playing the subscribers and our LNS the RADIUS client (FreeRADIUS insists
# on a Message-Authenticator in every Access-Request):
#   1. PAP, CHAP and MS-CHAPv2 (the Virtual-Template asks for each in turn):
#      alice/wonderland is accepted; a wrong password and a user RADIUS
#      rejects outright (mallory) are refused, the others stay up;
#   2. reply attributes (CHAP): Framed-IP-Address is the session's address,
#      Framed-Pool picks the pool, Framed-MTU / Idle-Timeout / Class are
#      the session's, Session-Timeout 4 ends the session after about 4 s,
#      Class comes back in the Accounting-Start;
#   3. with `aaa authentication ppp default group radius local`: a RADIUS
#      Reject is final (carol with her local password is refused: no
#      fallback); the first server down, the second one answers; both down,
#      the local base lets carol in.
# shellcheck disable=SC2016 # $x in single quotes are jq's
set -euo pipefail
. "$(dirname "$0")/radius_lib.sh"
it_init radius_auth
rad_init
it_require_l2tpd
it_two_hosts

rad_start r1 "$NS_LNS" 127.0.0.1 1812 1813
rad_start r2 "$NS_LNS" 127.0.0.1 11812 11813
[ "$(rad_radtest r1 alice wonderland)" = accept ] || it_fail "FreeRADIUS r1 does not accept alice itself (see radtest.out)"
[ "$(rad_radtest r2 alice nope)" = reject ] || it_fail "FreeRADIUS r2 does not reject a wrong password itself"

lns_up() {
	it_l2tpd lns "$NS_LNS" "$(rad_conf_lns "$1" "$(rad_conf_servers r1 r2)
$(rad_conf_aaa "${2:-group radius}")")"
	rad_require_radius lns
	it_l2tpd lac "$NS_LAC" "$(it_conf_lac lac1 s3cret "$IT_LNS_ADDR")"
}

lns_down() {
	it_check_healthy lns
	it_check_healthy lac
	it_stop lac
	it_stop lns
}

# refused USER PASS WHAT: a dial of USER/PASS is refused, nothing else moves.
refused() {
	local f0 n0
	f0=$(rad_auth_failures lns)
	n0=$(it_sessions lns)
	rad_dial lac "$1" "$2" || it_fail "$3: dial of $1 failed on the LAC"
	it_wait 15 rad_auth_failures_gt lns "$f0" ||
		it_fail "$3: $1/$2 not refused: ppp_auth_failures $(rad_auth_failures lns), sessions $(it_sessions lns); RADIUS $(rad_stats_line lns)"
	it_wait 10 it_sessions_eq lns "$n0" || it_fail "$3: $(it_sessions lns) sessions after the refusal, $n0 before"
}

# ---- 1. the three methods
for method in pap chap ms-chap-v2; do
	lns_up "$method"
	t0=$(it_now)
	rad_dial lac alice wonderland 2 || it_fail "$method: dial failed"
	it_wait 20 rad_user_up lns alice 2 ||
		it_fail "$method: alice not up through RADIUS: $(rad_user_count lns alice) sessions; RADIUS $(rad_stats_line lns)"
	up=$(it_elapsed "$t0")
	a0=$(rad_stat lns "$RAD_ACCEPTS")
	[ "$a0" -ge 2 ] || it_fail "$method: alice up but the daemon counts $a0 Access-Accepts"
	refused alice wrongpw "$method"
	refused mallory anything "$method"
	rj=$(rad_stat lns "$RAD_REJECTS")
	[ "$rj" -ge 2 ] || it_fail "$method: $rj Access-Rejects counted for 2 refusals"
	rad_user_up lns alice 2 || it_fail "$method: the refusals disturbed alice's sessions"
	it_grep_log lns 'reject' || it_fail "$method: no log line tells of the Access-Reject"
	it_say "$method: alice x2 up in $up s; alice/wrongpw and mallory refused; RADIUS $(rad_stats_line lns)"
	lns_down
done

# ---- 2. reply attributes
lns_up chap
rad_dial lac attr attrpw || it_fail "attributes: dial failed"
rad_dial lac pooled poolpw || it_fail "attributes: dial failed"
it_wait 20 rad_user_up lns attr || it_fail "attributes: user attr not up"
it_wait 20 rad_user_up lns pooled || it_fail "attributes: user pooled not up"
ip=$(rad_sess lns attr peer_ip)
[ "$ip" = 10.201.0.77 ] || it_fail "attributes: Framed-IP-Address 10.201.0.77 not applied: peer_ip $ip"
pip=$(rad_sess lns pooled peer_ip)
case $pip in 10.203.0.*) ;; *) it_fail "attributes: Framed-Pool RADPOOL not applied: peer_ip $pip" ;; esac
mtu=$(rad_sess_attr lns attr .aaa.framed_mtu || true)
[ "$mtu" = 1400 ] || it_fail "attributes: Framed-MTU 1400 not on the session: '$mtu'"
idle=$(rad_sess_attr lns attr .aaa.idle_timeout || true)
[ "$idle" = 600 ] || it_fail "attributes: Idle-Timeout 600 not on the session: '$idle'"
cls=$(rad_sess_attr lns attr .aaa.class || true)
rad_class_is "$cls" gold-class || it_fail "attributes: Class gold-class not on the session: '$cls'"
routes=$(rad_sess_attr lns attr .aaa.framed_routes || true)
case $routes in *10.202.0.0*) ;; *) it_fail "attributes: Framed-Route 10.202.0.0/24 not on the session: '$routes'" ;; esac
it_wait 10 rad_acct_count_ge r1 Start 2 || it_fail "attributes: no Accounting-Start for attr/pooled in r1's detail file"
acls=$(rad_acct r1 '[.[] | select(.["User-Name"] == "attr" and .["Acct-Status-Type"] == "Start") | .Class] | first // ""' -r)
rad_class_is "$acls" gold-class || it_fail "attributes: the Accounting-Start of attr carries Class '$acls', not gold-class"
it_say "attributes: address $ip, pool address $pip, MTU $mtu, idle $idle, Class echoed ($acls), routes $routes"

t0=$(it_now)
rad_dial lac short shortpw || it_fail "session-timeout: dial failed"
it_wait 15 rad_user_up lns short || it_fail "session-timeout: user short not up"
tup=$(it_elapsed "$t0")
it_wait 20 rad_user_gone lns short || it_fail "session-timeout: short's session still there 20 s later"
secs=$(it_elapsed "$t0")
awk -v s="$secs" -v u="$tup" -v t="$RAD_SHORT_TIMEOUT" 'BEGIN { exit !(s >= t - 0.5 && s <= u + t + 3) }' ||
	it_fail "session-timeout: Session-Timeout $RAD_SHORT_TIMEOUT ended the session after $secs s (up after $tup s)"
rad_user_up lns attr || it_fail "session-timeout: attr's session went too"
rad_user_up lns pooled || it_fail "session-timeout: pooled's session went too"
it_wait 10 rad_acct_count_ge r1 Stop 1 || it_fail "session-timeout: no Accounting-Stop for short"
tc=$(rad_acct r1 '[.[] | select(.["User-Name"] == "short" and .["Acct-Status-Type"] == "Stop") | .["Acct-Terminate-Cause"]] | first // ""' -r)
[ "$tc" = Session-Timeout ] || it_fail "session-timeout: Stop with Acct-Terminate-Cause '$tc', not Session-Timeout"
it_say "session-timeout: up after $tup s, gone after $secs s, Stop cause $tc"
lns_down

# ---- 3. method list, server failover, local fallback
lns_up pap "group radius local"
refused carol localpw "reject-is-final"
rad_dial lac carol radiuspw || it_fail "carol: dial failed"
it_wait 15 rad_user_up lns carol || it_fail "carol/radiuspw (RADIUS) not up"
it_say "reject-is-final: carol/localpw refused by RADIUS, no local fallback; carol/radiuspw up"

rad_stop r1
t0=$(it_now)
rad_dial lac alice wonderland || it_fail "failover: dial failed"
it_wait 20 rad_user_up lns alice ||
	it_fail "failover: alice (not a local user) not up with r1 down: RADIUS $(rad_stats_line lns)"
it_say "failover: r1 down, alice accepted by r2 after $(it_elapsed "$t0") s; RADIUS $(rad_stats_line lns)"

rad_stop r2
t0=$(it_now)
rad_dial lac carol localpw || it_fail "local fallback: dial failed"
it_wait 30 rad_user_up lns carol 2 ||
	it_fail "local fallback: carol/localpw not up with both servers down: $(rad_user_count lns carol) carol sessions; RADIUS $(rad_stats_line lns)"
it_grep_log lns 'local' || true
it_say "local fallback: both servers down, carol/localpw up after $(it_elapsed "$t0") s"
refused alice wonderland "no server, not local"
it_say "no server: alice (no local user) refused"
lns_down
it_pass
