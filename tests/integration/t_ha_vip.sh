#!/bin/bash
# The standby takes over when keepalived gives it the virtual address, not
# when the notify script gets round to saying so.  Box b's notify script is
# made 8 s late for MASTER; after box a dies, b must be active within a few
# seconds all the same, its log saying the address started the takeover,
# every session of the LAC kept and every tunnel resynchronised.  When the
# late notify comes it changes nothing (one takeover, not two).
set -euo pipefail
. "$(dirname "$0")/ha_lib.sh"
ha_init ha_vip
it_require_l2tpd

TUNNELS=5
PER=4
ha_topology
ha_keys
ha_box_start a
it_wait 10 ha_is_active_on_vip a || ha_fail "a is not active on the VIP: $(it_ha_summary a)"
HA_NOTIFY_MASTER_DELAY=8 ha_start_standby b
ha_lac_up ""
it_ctl lac test vpdn dial vpdn-group LAC sessions $((TUNNELS * PER)) per-tunnel "$PER" >/dev/null ||
	it_fail "dial refused by the LAC"
it_wait 30 it_counts_ok lac "$TUNNELS" $((TUNNELS * PER)) || ha_fail "LAC: $(it_counts lac)"
ha_wait_synced a b "$TUNNELS" $((TUNNELS * PER))
ha_lac_snapshot "$IT_DIR/lac-before"

t0=$(it_now)
ha_kill_box a
it_wait 5 it_ha_is b active || ha_fail "b is not active 5 s after a died (its notify is 8 s late): $(it_ha_summary b)"
took=$(it_elapsed "$t0")
ha_has_vip b || ha_fail "b is active without the VIP"
ha_notified b MASTER && ha_fail "b's notify script said MASTER before the takeover: the delay did not hold, the test proves nothing"
it_grep_log b 'virtual address 192\.0\.2\.10 appeared on interface [0-9]+: keepalived made this box master' ||
	ha_fail "b's log does not say the virtual address started the takeover"
[ "$(ha_get b .takeovers_on_address)" = 1 ] ||
	ha_fail "b counts $(ha_get b .takeovers_on_address) takeovers started by the address, not 1"
it_wait 10 it_ha_resync_done b 0 0 "$TUNNELS" || ha_fail "b did not resync $TUNNELS tunnels: $(it_ha_summary b)"
it_say "a killed: b active $took s later on the address alone (notify 8 s late), every tunnel resynced"

# The late notify: accepted, nothing more happens.
it_wait 15 ha_notified b MASTER || ha_fail "b's late notify MASTER was not accepted: $(tail -n 2 "$IT_DIR/b.notify")"
[ "$(ha_get b .takeovers)" = 1 ] || ha_fail "b counts $(ha_get b .takeovers) takeovers after the late notify, not 1"
ha_lac_snapshot "$IT_DIR/lac-after"
cmp -s "$IT_DIR/lac-before" "$IT_DIR/lac-after" ||
	ha_fail "the LAC lost tunnels or sessions: $(diff "$IT_DIR/lac-before" "$IT_DIR/lac-after" | grep -c '^<') gone"
it_counts_ok b "$TUNNELS" $((TUNNELS * PER)) || ha_fail "b: $(it_counts b)"
it_check_healthy b
it_pass
