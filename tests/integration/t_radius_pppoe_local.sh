#!/bin/bash
# PPPoE subscribers terminated on our box (their domain matches no
# vpdn-group) and authenticated and accounted through RADIUS, as the LNS
# does its L2TP sessions (radius_lib.sh: FreeRADIUS on 127.0.0.1 of the
# box, `aaa authentication ppp default group radius`).
# Namespaces: sub (tests/integration/pppoe_sub.py) - bng (our daemon).
#  1. attr (Framed-IP-Address 10.201.0.77, Class gold-class) and acct
#     (Acct-Interim-Interval, from the test knob: RAD_INTERIM s), on the
#     untagged interface and on a dot1Q 100 sub-interface: up with RADIUS's
#     address and the template's pool's; the Access-Request and every
#     accounting record carry NAS-Port-Type Ethernet, NAS-Port-Id (the
#     interface and VLAN), Calling-Station-Id (the subscriber's MAC); the
#     detail file shows one Start, Interim-Updates and one Stop
#     (User-Request, at the subscribers' PADT) each, with the Class and
#     Framed-IP-Address, counters that never go down and a session time,
#     across an `l2tpctl restart` in the middle (the same Acct-Session-Id
#     before and after it, no second Start, a session time from the first
#     IPCP up; the restarted process's interim interval is its own:
#     RADIUS's 5 s is below RFC 2869's 60 s, the test knob is not carried);
#  2. mallory (Access-Reject): its PAP refused, a log line, a PADT;
#  3. FreeRADIUS stopped: a subscriber gets a log line saying no server
#     answered and a refusal (PADT), the daemon stays healthy.
# shellcheck disable=SC2016 # $x in single quotes are jq's
set -euo pipefail
. "$(dirname "$0")/radius_lib.sh"
it_init radius_pppoe_local
rad_init
it_require_l2tpd
it_require_cmd jq ip python3
SUB=$(dirname "$0")/pppoe_sub.py

it_netns NS_BNG bng
it_netns NS_SUB sub
ip -n "$NS_BNG" link add acc0 type veth peer name acc0 netns "$NS_SUB" || it_fail "veth"
ip -n "$NS_BNG" link set acc0 up
ip -n "$NS_SUB" link set acc0 up
rad_start r1 "$NS_BNG" 127.0.0.1 1812 1813

bng_conf() {
	it_conf_head bng1
	rad_conf_servers r1
	rad_conf_aaa "group radius"
	cat <<-EOF
	aaa accounting update periodic 1
	ip local pool LOCAL 10.99.0.1 10.99.0.9
	interface Virtual-Template1
	 ip address 10.99.255.254 255.255.255.255
	 peer default ip address pool LOCAL
	 ppp authentication pap
	bba-group pppoe global
	 virtual-template 1
	 ac name BNG1
	interface acc0
	 pppoe enable group global
	interface acc0.100
	 encapsulation dot1Q 100
	 pppoe enable group global
	EOF
}
it_l2tpd bng "$NS_BNG" "$(bng_conf)"
it_ctl bng test aaa interim-interval "$RAD_INTERIM" >/dev/null
sub() { ip netns exec "$NS_SUB" python3 "$SUB" "$@"; }
pstat() { it_num bng "$1" show pppoe statistics; }

# 1. accepted: attr on acc0, acct on VLAN 100; both hold three intervals,
# with `l2tpctl restart` after the first
sub acc0 1 --user attr --password attrpw --auth pap --mac-base 100 --hold $((3 * RAD_INTERIM + 2)) \
	--padt --deadline 30 >"$IT_DIR/attr.json" 2>&1 &
attr_pid=$!
sub acc0 1 --user acct --password acctpw --auth pap --mac-base 200 --vlan 100 \
	--hold $((3 * RAD_INTERIM + 2)) --padt --deadline 30 >"$IT_DIR/acct.json" 2>&1 &
acct_pid=$!
# shellcheck disable=SC2317 # called through it_wait
two_up() { [ "$(pstat .local_up)" = 2 ]; }
it_wait 15 two_up || it_fail "local_up $(pstat .local_up), not 2 before the restart"
it_wait $((RAD_INTERIM + 5)) rad_acct_count_ge r1 Interim-Update 2 ||
	it_fail "$(rad_acct_count r1 Interim-Update) Interim-Updates before the restart, not 2"
old_pid=${IT_DPID[bng]}
out=$(it_ctl bng restart 2>&1) || it_fail "restart: $out"
new_pid=$(printf '%s\n' "$out" | sed -n 's/.*PID [0-9]* -> \([0-9]*\),.*/\1/p')
{ [ -n "$new_pid" ] && [ "$new_pid" != "$old_pid" ]; } || it_fail "restart: the PID did not change: $out"
# shellcheck disable=SC2317 # called through it_wait
gone() { ! kill -0 "$1" 2>/dev/null || grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null; }
it_wait 10 gone "$old_pid" || it_fail "the old daemon $old_pid did not exit"
wait "$old_pid" 2>/dev/null || true
IT_DPID[bng]=$new_pid
it_ctl_ready bng || it_fail "the restarted daemon does not answer"
it_log "restart: $out"
wait "$acct_pid" || it_fail "acct subscriber: generator failed: $(cat "$IT_DIR/acct.json")"
wait "$attr_pid" || it_fail "attr subscriber: generator failed: $(cat "$IT_DIR/attr.json")"
[ "$(jq -c '[.up, .addresses]' "$IT_DIR/attr.json")" = '[1,["10.201.0.77"]]' ] ||
	it_fail "attr: $(jq -c 'del(.sessions)' "$IT_DIR/attr.json"); RADIUS $(rad_stats_line bng)"
[ "$(jq -c '[.up, .addresses]' "$IT_DIR/acct.json")" = '[1,["10.99.0.1"]]' ] ||
	it_fail "acct: $(jq -c 'del(.sessions)' "$IT_DIR/acct.json")"
[ "$(pstat .local_up)" = 2 ] || it_fail "local_up $(pstat .local_up), not 2 (taken over)"
it_grep_log bng 'user attr: authenticated \(RADIUS\), address 10\.201\.0\.77' ||
	it_fail "no log line of attr authenticated by RADIUS"
it_wait 10 rad_acct_count_ge r1 Stop 2 || it_fail "$(rad_acct_count r1 Stop) Stop records of 2"
mac='^([0-9a-f]{2}:){5}[0-9a-f]{2}$'
for u in attr acct; do
	case $u in
	attr) npi=acc0 ip=10.201.0.77 class=gold-class ;;
	acct) npi=acc0:100 ip=10.99.0.1 class=acct-class ;;
	esac
	id=$(rad_acct_ids r1 "$u")
	{ [ "$(wc -l <<<"$id")" = 1 ] && [ -n "$id" ]; } || it_fail "$u: Acct-Session-Ids '$id', one expected"
	[ "$(rad_acct_count r1 Start "$id")" = 1 ] || it_fail "$u: $(rad_acct_count r1 Start "$id") Starts"
	[ "$(rad_acct_count r1 Stop "$id")" = 1 ] || it_fail "$u: $(rad_acct_count r1 Stop "$id") Stops"
	rad_acct_count_ge r1 Interim-Update 1 "$id" || it_fail "$u: no Interim-Update"
	bad=$(rad_acct r1 '[.[] | select(.["Acct-Session-Id"] == $id)
		| select(.["NAS-Port-Type"] != "Ethernet" or .["NAS-Port-Id"] != $npi
			or (.["Calling-Station-Id"] | test($mac) | not) or .["Framed-IP-Address"] != $ip
			or (.Class != $class and .Class != $classhex) or .["User-Name"] != $u or .["NAS-Identifier"] != "bng1")]' \
		-c --arg id "$id" --arg npi "$npi" --arg mac "$mac" --arg ip "$ip" --arg class "$class" \
		--arg classhex "$(rad_hex "$class")" --arg u "$u")
	[ "$bad" = '[]' ] || {
		bad=$(rad_acct r1 '[.[] | select(.["Acct-Session-Id"] == $id)]' -c --arg id "$id")
		it_fail "$u: records with the wrong line, address or Class: $bad"
	}
	rad_acct_series r1 "$id" >"$IT_DIR/series-$u"
	bad=$(rad_series_check "$IT_DIR/series-$u")
	[ -z "$bad" ] || it_fail "$u: $bad: $(cat "$IT_DIR/series-$u")"
	stop=$(tail -n 1 "$IT_DIR/series-$u")
	read -r st in_o _ in_p _ stime cause <<<"$stop"
	# the session time runs from the first IPCP up, across the restart
	{ [ "$st" = Stop ] && [ "$cause" = User-Request ] && [ "$stime" != - ] && [ "$in_p" -gt 0 ] &&
		[ "$in_o" -gt "$in_p" ] && [ "$stime" -ge $((3 * RAD_INTERIM)) ]; } ||
		it_fail "$u: Stop record '$stop'"
done
it_say "attr and acct: $(rad_acct_count r1 Start) Starts, $(rad_acct_count r1 Interim-Update) Interim-Updates, $(rad_acct_count r1 Stop) Stops"

# 2. mallory: Access-Reject, PAP refused, PADT
sub acc0 1 --user mallory --password x --auth pap --mac-base 300 --deadline 8 \
	>"$IT_DIR/mallory.json" || it_fail "mallory: generator failed"
[ "$(jq -c '[.up, .auth_failed]' "$IT_DIR/mallory.json")" = '[0,1]' ] ||
	it_fail "mallory: $(jq -c 'del(.sessions)' "$IT_DIR/mallory.json")"
it_grep_log bng 'PPP user "mallory" rejected by RADIUS' || it_fail "no log line of mallory's Access-Reject"
# shellcheck disable=SC2317 # called through it_wait
no_session() { [ "$(it_num bng .total_sessions show pppoe summary)" = 0 ]; }
it_wait 15 no_session || it_fail "a refused subscriber's session is left: $(it_ctl bng show pppoe session)"

# 3. no RADIUS server: a log line and a refusal, the daemon healthy
rad_stop r1
sub acc0 1 --user alice --password wonderland --auth pap --mac-base 400 --deadline 10 \
	>"$IT_DIR/dead.json" || it_fail "dead server: generator failed"
[ "$(jq -c '[.up, .auth_failed]' "$IT_DIR/dead.json")" = '[0,1]' ] ||
	it_fail "with no RADIUS server: $(jq -c 'del(.sessions)' "$IT_DIR/dead.json")"
it_grep_log bng 'RADIUS: no answer for user "alice" \(no server answered\)' ||
	it_fail "no log line saying RADIUS did not answer"
it_wait 15 no_session || it_fail "a subscriber refused for want of RADIUS is left: $(it_ctl bng show pppoe session)"
[ "$(pstat .local_refused)" = 2 ] || it_fail "local_refused $(pstat .local_refused), not 2"

it_check_healthy bng
# restarted, the daemon is no child of this shell any more: stopped by hand
kill -TERM "${IT_DPID[bng]}"
it_wait 30 gone "${IT_DPID[bng]}" || it_fail "the daemon did not stop"
unset "IT_DPID[bng]"
it_pass
