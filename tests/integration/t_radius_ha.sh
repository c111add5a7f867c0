#!/bin/bash
# Accounting across a failover (ha_lib.sh + radius_lib.sh): an
# active/standby LNS pair (keepalived), our LAC with PPP subscribers of user
# "acct" (Acct-Interim-Interval RAD_INTERIM s from the Accept, else the
# 60 s of `aaa accounting update periodic 1` when the daemon refuses short
# intervals), and FreeRADIUS in the peer's namespace, reachable from both
# boxes.  Once every session has had an Interim-Update, the active box dies;
# the standby takes over.  After further interims the LAC hangs up.  In the
# detail file, every session must show exactly one Start, interims before
# and after the takeover with the same Acct-Session-Id, counters that never
# go down, and one Stop (sent by the new active).
# shellcheck disable=SC2016 # $x in single quotes are jq's
set -euo pipefail
. "$(dirname "$0")/ha_lib.sh"
# shellcheck source=radius_lib.sh
. "$(dirname "$0")/radius_lib.sh"
ha_init radius_ha
rad_init
it_require_l2tpd
N=${L2T_RAD_HA_SESSIONS:-4}
RAD_ADDR_PEER=$IT_HA_PEER_ADDR

ha_topology
rad_start r1 "${HA_NS[peer]}" "$RAD_ADDR_PEER" 1812 1813

box_conf() {
	ha_conf_lns "$1" | awk '{ print } /^  protocol l2tp$/ { print "  virtual-template 1" }'
	rad_conf_servers r1
	rad_conf_aaa "group radius"
	echo "aaa accounting update periodic 1"
	rad_template pap
}

ha_keys
ha_box_start a "$(box_conf a)"
it_wait 10 ha_is_active_on_vip a || ha_fail "box a not active on the VIP: $(it_ha_summary a)"
rad_require_radius a
ha_start_standby b "$(box_conf b)"
# RADIUS may not ask for less than 60 s (RFC 2869 §5.16): the test knob.
for box in a b; do
	it_ctl "$box" test aaa interim-interval "$RAD_INTERIM" >/dev/null
done
ha_lac_up ""

t0=$(it_now)
rad_dial lac acct acctpw "$N" || it_fail "dial failed"
it_wait 30 rad_user_up a acct "$N" || ha_fail "$(rad_user_count a acct) of $N sessions up on a"
ha_wait_synced a b 1 "$N" 30
it_wait 10 rad_acct_count_ge r1 Start "$N" || it_fail "$(rad_acct_count r1 Start) Accounting-Starts of $N"
ids=$(rad_acct_ids r1 acct)
[ "$(printf '%s\n' "$ids" | grep -c .)" = "$N" ] || it_fail "Acct-Session-Ids: $(printf '%s' "$ids" | tr '\n' ' ')"

interval=$RAD_INTERIM
iv=$(rad_sess_attr a acct .aaa.acct_interim_interval || true)
if [ -n "$iv" ] && [ "$iv" != "$RAD_INTERIM" ]; then
	interval=$iv
	it_say "NOTE: the daemon took interim interval '$iv' s, not Acct-Interim-Interval $RAD_INTERIM s"
fi
[ "$interval" -gt 0 ] 2>/dev/null || it_fail "no interim interval on the sessions ('$iv')"

# every session has at least K interims
# shellcheck disable=SC2317 # called through it_wait
interims_ge() {
	local id
	for id in $ids; do
		rad_acct_count_ge r1 Interim-Update "$1" "$id" || return 1
	done
}
it_wait $((interval + 15)) interims_ge 1 || it_fail "not every session had an Interim-Update within $((interval + 15)) s"
# the standby holds the accounting state of the last interims
sleep 1
ha_wait_synced a b 1 "$N" 10
before=$(rad_acct_count r1 Interim-Update)
it_say "$N sessions, Start and $before interims before the failover ($(it_elapsed "$t0") s, interval $interval s)"

tk=$(date +%s)
ha_peer_block_from_vip
ha_kill_box a
it_wait 15 ha_is_active_on_vip b || ha_fail "b not active on the VIP after a died: $(it_ha_summary b)"
ha_peer_unblock
it_wait 60 it_ha_resync_done b 0 0 1 || ha_fail "b did not resync: $(it_ha_summary b)"
it_wait 10 rad_user_up b acct "$N" || ha_fail "$(rad_user_count b acct) of $N sessions on b after the takeover"
it_say "b active after the failover: $(it_ha_summary b)"

# interims from b: records stamped after the kill, one more per session
# shellcheck disable=SC2317 # called through it_wait
after_ge() {
	local id n
	for id in $ids; do
		n=$(rad_acct r1 '[.[] | select(.["Acct-Session-Id"] == $id and .["Acct-Status-Type"] == "Interim-Update"
			and ((.Timestamp // "0") | tonumber) > $tk)] | length' --arg id "$id" --argjson tk "$tk")
		[ "$n" -ge "$1" ] || return 1
	done
}
it_wait $((interval + 20)) after_ge 1 ||
	it_fail "not every session had an Interim-Update from b within $((interval + 20)) s of the takeover ($(rad_acct_count r1 Interim-Update) interims in all)"
[ "$(rad_acct_count r1 Start)" = "$N" ] || it_fail "$(rad_acct_count r1 Start) Starts for $N sessions: a second Start after the takeover"

# The LAC hangs up: b sends every Stop.
for id in $(it_tunnel_ids lac); do
	it_ctl lac clear l2tp tunnel id "$id" >/dev/null || true
done
it_wait 20 it_sessions_eq b 0 || it_fail "sessions left on b: $(it_sessions b)"
it_wait 15 rad_acct_count_ge r1 Stop "$N" || it_fail "$(rad_acct_count r1 Stop) Stops of $N after the hang-up"

for id in $ids; do
	rad_acct_series r1 "$id" >"$IT_DIR/series-$id"
	bad=$(rad_series_check "$IT_DIR/series-$id")
	[ -z "$bad" ] || it_fail "session $id: $bad: $(tr '\n' ';' <"$IT_DIR/series-$id")"
	[ "$(grep -c '^Start ' "$IT_DIR/series-$id")" = 1 ] || it_fail "session $id: not exactly one Start"
	[ "$(grep -c '^Stop ' "$IT_DIR/series-$id")" = 1 ] || it_fail "session $id: not exactly one Stop"
	it_say "session $id: $(tr '\n' ';' <"$IT_DIR/series-$id") (status in out inpkts outpkts time cause)"
done
it_check_healthy b
it_check_healthy lac
it_pass
