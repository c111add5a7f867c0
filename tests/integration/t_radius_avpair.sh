#!/bin/bash
# L2TP HA configured from RADIUS (radius_lib.sh): the Access-Accept of user
# ha7 carries Cisco-AVPair "vpdn:l2tp-silent-switchover=1" and
# "vpdn:l2tp-tunnel-resync-packet=7".  On an LNS whose vpdn-group has no HA
# (no redundancy block), the subscriber's tunnel must become HA-enabled with
# resync window 7 (`show l2tp redundancy all`, `... detail id T`).  Users ha0 and
# ha70k carry resync-packet=0 and =70000: refused with a log line for the
# user's own session and counted once in `show aaa statistics` (.attr_refused),
# the window is not set to 70000 (mod 65536: 4464), and the
# tunnel, made HA by the valid silent-switchover=1, keeps a usable window
# (1..65535, not 0); the daemon stays healthy.
# shellcheck disable=SC2016 # $x in single quotes are jq's
set -euo pipefail
. "$(dirname "$0")/radius_lib.sh"
it_init radius_avpair
rad_init
it_require_l2tpd
it_two_hosts

rad_start r1 "$NS_LNS" 127.0.0.1 1812 1813
it_l2tpd lns "$NS_LNS" "$(rad_conf_lns chap "$(rad_conf_servers r1)
$(rad_conf_aaa "group radius")")"
rad_require_radius lns
it_l2tpd lac "$NS_LAC" "$(it_conf_lac lac1 s3cret "$IT_LNS_ADDR")"

# A subscriber without AV-pairs first: its tunnel is not HA.
rad_dial lac alice wonderland || it_fail "dial failed"
it_wait 15 rad_user_up lns alice || it_fail "alice not up"
tid=$(rad_tunnel_of lns alice)
read -r ha win <<<"$(rad_tunnel_ha lns "$tid")"
[ "$ha" = false ] || it_fail "tunnel $tid of alice (no AV-pair, no redundancy) is HA-enabled '$ha' from the start"
it_say "alice's tunnel $tid: ha_enabled $ha, resync window $win (before any AV-pair)"
for id in $(it_tunnel_ids lac); do
	it_ctl lac clear l2tp tunnel id "$id" >/dev/null || true
done
it_wait 15 it_tunnels_eq lns 0 established || it_fail "established tunnels left on the LNS: $(it_counts lns)"

# check_user USER: dial USER, print "TID HA WINDOW".
check_user() {
	local t
	rad_dial lac "$1" hapw || it_fail "$1: dial failed"
	it_wait 15 rad_user_up lns "$1" || it_fail "$1: not up (an AV-pair refused must not refuse the user)"
	t=$(rad_tunnel_of lns "$1")
	printf '%s %s\n' "$t" "$(rad_tunnel_ha lns "$t")"
}

read -r tid ha win <<<"$(check_user ha7)"
[ "$ha" = true ] || it_fail "ha7: tunnel $tid not HA-enabled after vpdn:l2tp-silent-switchover=1 (ha_enabled '$ha')"
[ "$win" = 7 ] || it_fail "ha7: tunnel $tid resync window '$win', not 7 (vpdn:l2tp-tunnel-resync-packet=7)"
it_grep_log lns 'resync window 7' || it_fail "ha7: no log line about the resync window 7"
it_say "ha7: tunnel $tid ha_enabled $ha, resync window $win"
for id in $(it_tunnel_ids lac); do
	it_ctl lac clear l2tp tunnel id "$id" >/dev/null || true
done
it_wait 15 it_tunnels_eq lns 0 established || it_fail "established tunnels left on the LNS: $(it_counts lns)"

for u in ${L2T_RAD_AVPAIR_USERS:-ha0 ha70k}; do
	l0=$(grep -ci 'resync-packet.*refused' "$IT_DIR/lns.log" || true)
	r0=$(it_num lns .attr_refused show aaa statistics)
	read -r tid ha win <<<"$(check_user "$u")"
	l1=$(grep -ci 'resync-packet.*refused' "$IT_DIR/lns.log" || true)
	r1=$(it_num lns .attr_refused show aaa statistics)
	[ "$l1" -gt "$l0" ] || it_fail "$u: no log line refusing the out-of-range vpdn:l2tp-tunnel-resync-packet"
	[ "$r1" = $((r0 + 1)) ] ||
		it_fail "$u: show aaa statistics counts $((r1 - r0)) refused attributes for its Access-Accept, not 1 ($r0 -> $r1)"
	# The refusal is logged for the user's own session.
	sid=$(rad_sess lns "$u" local_session_id)
	refusal=$(grep -E "session $tid/$sid: RADIUS: Cisco-AVPair vpdn:l2tp-tunnel-resync-packet=[0-9]+ refused" "$IT_DIR/lns.log" || true)
	[ "$(printf '%s' "$refusal" | grep -c .)" = 1 ] ||
		it_fail "$u: not one log line refusing the resync-packet AV-pair of its session $tid/$sid: '$refusal'"
	case $win in 70000 | 4464) it_fail "$u: the out-of-range resync window was applied: $win" ;; esac
	# silent-switchover=1 (valid) made the tunnel HA: its window must be a
	# usable one (the group's or the default), never 0.
	if [ "$ha" = true ] && { [ "$win" = - ] || [ "$win" -lt 1 ] || [ "$win" -gt 65535 ]; }; then
		it_fail "$u: tunnel $tid HA-enabled by vpdn:l2tp-silent-switchover=1 with resync window '$win' (the refused value left no usable window)"
	fi
	it_say "$u: refused (${refusal#*: warning: }; attr_refused $r0 -> $r1); tunnel $tid ha_enabled $ha, resync window $win"
	for id in $(it_tunnel_ids lac); do
		it_ctl lac clear l2tp tunnel id "$id" >/dev/null || true
	done
	it_wait 15 it_tunnels_eq lns 0 established || it_fail "established tunnels left on the LNS: $(it_counts lns)"
done
it_check_healthy lns
it_stop lac
it_stop lns
it_pass
