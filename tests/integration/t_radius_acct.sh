#!/bin/bash
# RADIUS accounting into FreeRADIUS's detail file (radius_lib.sh): three
# subscribers of user "acct" (Acct-Interim-Interval from the Access-Accept,
# RAD_INTERIM s) and one of alice (no interval: `aaa accounting update
# periodic 1` applies).  For every session the detail file must show one
# Start, Interim-Updates, one Stop, all with the Acct-Session-Id the daemon
# shows, counters (octets with Gigawords, packets) that never go down, the
# Class of the Accept, and a Stop with Acct-Terminate-Cause and
# Acct-Session-Time; the Acct-Session-Ids differ.
# A daemon that refuses an interval below 60 s (RFC 2869 §5.16 says SHOULD
# NOT) is accepted: the scenario then waits for the 60 s grid of `aaa
# accounting update periodic 1` instead, and says so.
# shellcheck disable=SC2016 # $x in single quotes are jq's
set -euo pipefail
. "$(dirname "$0")/radius_lib.sh"
it_init radius_acct
rad_init
it_require_l2tpd
it_two_hosts
N=3

rad_start r1 "$NS_LNS" 127.0.0.1 1812 1813
rad_start r2 "$NS_LNS" 127.0.0.1 1822 1823
it_l2tpd lns "$NS_LNS" "$(rad_conf_lns pap "$(rad_conf_servers r1 r2)
$(rad_conf_aaa "group radius")
aaa accounting update periodic 1")"
rad_require_radius lns
# RADIUS may not ask for less than 60 s (RFC 2869 §5.16): the test knob.
it_ctl lns test aaa interim-interval "$RAD_INTERIM" >/dev/null
it_l2tpd lac "$NS_LAC" "$(it_conf_lac lac1 s3cret "$IT_LNS_ADDR")"

t0=$(it_now)
rad_dial lac acct acctpw "$N" || it_fail "dial failed"
rad_dial lac alice wonderland || it_fail "dial failed"
it_wait 20 rad_user_up lns acct "$N" || it_fail "$(rad_user_count lns acct) of $N acct sessions up"
it_wait 20 rad_user_up lns alice || it_fail "alice not up"
it_wait 10 rad_acct_count_ge r1 Start $((N + 1)) ||
	it_fail "$(rad_acct_count r1 Start) Accounting-Start records of $((N + 1)) in the detail file; RADIUS $(rad_stats_line lns)"

# The interval the daemon took.
interval=$RAD_INTERIM
iv=$(rad_sess_attr lns acct .aaa.acct_interim_interval || true)
if [ -n "$iv" ] && [ "$iv" != "$RAD_INTERIM" ]; then
	interval=60
	it_say "NOTE: the daemon refused Acct-Interim-Interval $RAD_INTERIM s (session interval '$iv'); waiting for the 60 s grid"
fi
ids=$(rad_acct_ids r1 acct)
[ "$(printf '%s\n' "$ids" | grep -c .)" = "$N" ] || it_fail "$N acct sessions but Acct-Session-Ids: $(printf '%s' "$ids" | tr '\n' ' ')"
for id in $ids; do
	rad_acct_ids_daemon lns | grep -Fxq -- "$id" ||
		it_fail "Acct-Session-Id $id of the detail file is not one the daemon shows: $(rad_acct_ids_daemon lns | tr '\n' ' ')"
done
# Two interims per acct session (the first one for alice).
want=2
[ "$interval" -ge 60 ] && want=1
it_wait $((want * interval + 10)) rad_acct_count_ge r1 Interim-Update $((N * want)) ||
	it_fail "$(rad_acct_count r1 Interim-Update) Interim-Updates after $(it_elapsed "$t0") s, $N sessions x $want wanted (interval $interval s)"
alice_id=$(rad_acct_ids r1 alice)
[ -n "$alice_id" ] || it_fail "no accounting record of alice"
if [ "$interval" -ge 60 ]; then
	it_wait 15 rad_acct_count_ge r1 Interim-Update 1 "$alice_id" || it_fail "no Interim-Update for alice (periodic 1)"
fi
t_int=$(it_elapsed "$t0")

# Hang up: clear the LAC's tunnels; every session gets its Stop.
for id in $(it_tunnel_ids lac); do
	it_ctl lac clear l2tp tunnel id "$id" >/dev/null || true
done
it_wait 20 it_sessions_eq lns 0 || it_fail "sessions left on the LNS: $(it_sessions lns)"
it_wait 10 rad_acct_count_ge r1 Stop $((N + 1)) || it_fail "$(rad_acct_count r1 Stop) Stop records of $((N + 1))"

for id in $ids $alice_id; do
	rad_acct_series r1 "$id" >"$IT_DIR/series-$id"
	bad=$(rad_series_check "$IT_DIR/series-$id")
	[ -z "$bad" ] || it_fail "session $id: $bad: $(tr '\n' ';' <"$IT_DIR/series-$id")"
	[ "$(grep -c '^Start ' "$IT_DIR/series-$id")" = 1 ] || it_fail "session $id: not exactly one Start"
	[ "$(grep -c '^Stop ' "$IT_DIR/series-$id")" = 1 ] || it_fail "session $id: not exactly one Stop"
	last=$(tail -n 1 "$IT_DIR/series-$id")
	read -r st _ _ _ _ stime cause <<<"$last"
	[ "$st" = Stop ] || it_fail "session $id: last record $st"
	[ "$cause" != - ] || it_fail "session $id: Stop without Acct-Terminate-Cause"
	[ "$stime" != - ] || it_fail "session $id: Stop without Acct-Session-Time"
	it_say "session $id: $(tr '\n' ';' <"$IT_DIR/series-$id") (status in out inpkts outpkts time cause)"
done
for id in $ids; do
	c=$(rad_acct r1 '[.[] | select(.["Acct-Session-Id"] == $id) | .Class // ""] | unique | join(",")' -r --arg id "$id")
	rad_class_is "$c" acct-class || it_fail "session $id: Class in accounting is '$c', not acct-class on every record"
done
nas=$(rad_acct r1 '[.[] | .["NAS-IP-Address"] // .["NAS-Identifier"] // empty] | unique | join(",")' -r)
[ -n "$nas" ] || it_fail "accounting records carry neither NAS-IP-Address nor NAS-Identifier"
it_say "$N+1 sessions: Start, interims (interval $interval s, $(rad_acct_count r1 Interim-Update) in all, after $t_int s), Stop; NAS $nas"
it_check_healthy lns

# The LNS stops (SIGTERM) with a subscriber up while the first server is
# down: the Accounting-Stop still reaches the second server (after the
# first one's timeout) before the daemon exits.
rad_dial lac alice wonderland || it_fail "dial failed"
it_wait 20 rad_user_up lns alice || it_fail "alice not up again"
it_wait 10 rad_acct_count_ge r1 Start $((N + 2)) || it_fail "no Start for the last session"
rad_stop r1
it_stop lns
rad_acct_count_ge r2 Stop 1 || it_fail "the LNS exited without the Accounting-Stop of its last session"
it_say "shutdown with the first server down: the last Accounting-Stop reached the second server before the LNS exited"
it_stop lac
it_pass
