#!/bin/bash
# A standby that arrives late gets everything by bulk sync; one with the
# wrong CURVE key gets nothing.  Box a runs alone (VRRP master, active) and
# carries 20 tunnels x 10 sessions from our LAC; then box b starts: it must
# report in sync with exactly the tunnels and sessions a has established,
# and a must see it up.  Then b comes back with a fresh keypair a does not
# know (a still expects the old public key): a refuses it
# (link_stats.auth_refused grows, and says so in its log), b stays out of
# sync with nothing checkpointed, and a reports no standby.
set -euo pipefail
. "$(dirname "$0")/ha_lib.sh"
ha_init ha_late_standby
it_require_l2tpd

TUNNELS=${L2T_HA_TUNNELS:-20}
PER=${L2T_HA_PER:-10}

ha_topology
ha_keys
ha_box_start a
it_wait 10 ha_is_active_on_vip a || ha_fail "a is not active on the VIP: $(it_ha_summary a)"
ha_lac_up ""
it_ctl lac test vpdn dial vpdn-group LAC sessions $((TUNNELS * PER)) per-tunnel "$PER" >/dev/null ||
	it_fail "dial refused by the LAC"
it_wait 60 it_counts_ok a "$TUNNELS" $((TUNNELS * PER)) || ha_fail "a: $(it_counts a)"
[ "$(ha_get a .standby_up)" = false ] || ha_fail "a reports a standby before b started"

# b arrives: bulk sync.
t0=$(it_now)
ha_start_standby b
ha_wait_synced a b "$TUNNELS" $((TUNNELS * PER))
t_bulk=$(it_elapsed "$t0")
j=$(it_ha_red a)
est=$(jq -r '"\(.tunnel_totals.ha_established) \(.session_totals.ha_established)"' <<<"$j")
[ "$est" = "$TUNNELS $((TUNNELS * PER))" ] ||
	ha_fail "a counts $est HA-established tunnels/sessions, not $TUNNELS $((TUNNELS * PER))"
bulk=$(ha_get b '"\(.link_stats.bulks) bulks, last \(.link_stats.bulk_records) records in \(.link_stats.bulk_ms) ms"' detail)
ha_has_vip b && ha_fail "standby b holds the VIP"
it_check_healthy a
it_check_healthy b
it_say "late standby b in sync $t_bulk s after its start: $(it_ha_summary b); $bulk"

# b again, with a keypair a does not know.
refused0=$(ha_auth_refused a)
ha_kill_box b
ha_keygen b
t0=$(it_now)
ha_start_standby b
it_wait 10 ha_auth_refused_gt a "$refused0" || ha_fail "a did not count b's wrong key as refused (link_stats.auth_refused $(ha_auth_refused a))"
t_ref=$(it_elapsed "$t0")
it_grep_log a 'refus|denied|not allowed|unknown key|authenticat' ||
	ha_fail "a's log does not mention refusing the checkpoint peer"
sleep 2 # the heartbeat and dead intervals pass: b must still hold nothing
j=$(it_ha_red b)
[ "$(jq -r '.in_sync' <<<"$j")" = false ] || ha_fail "b with the wrong key says it is in sync"
[ "$(jq -r '"\(.checkpointed.tunnels) \(.checkpointed.sessions)"' <<<"$j")" = "0 0" ] ||
	ha_fail "b with the wrong key holds checkpointed state: $(it_ha_summary b)"
[ "$(ha_get a .standby_up)" = false ] || ha_fail "a reports b up despite the wrong key"
it_counts_ok a "$TUNNELS" $((TUNNELS * PER)) || ha_fail "a lost tunnels or sessions: $(it_counts a)"
it_check_healthy a
it_check_healthy b
it_say "wrong key: a refused b $t_ref s after its start (auth_refused $refused0 -> $(ha_auth_refused a)); b: $(it_ha_summary b)"
it_pass
