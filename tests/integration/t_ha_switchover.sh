#!/bin/bash
# Forced switchovers that move VRRP: `l2tpctl redundancy switchover` alone,
# nothing done to keepalived by hand.  Each box has `vrrp fault-file` and
# keepalived tracks that file (track_file, weight 0, nopreempt as shipped):
# the active hands the state to the standby, writes 1, its keepalived goes
# to FAULT and releases the VIP, the other box becomes master; once the new
# active reaches the old one, the file says 0 again and the old active
# comes back as backup and standby, in sync.  Twenty switchovers,
# alternating, each with a batch of calls being placed through it; after
# each:
#   - the VIP is on the new active, which is active, and the old one is the
#     standby again, which the new active sees in sync (bulk acknowledged);
#   - every session of the base load is established on the LAC.
# At the end: the LAC got no StopCCN or CDN for the base load; the calls
# dialled through the switchovers are established or were refused, none
# left half made; the LAC and the active agree, and the standby holds
# exactly what the active has.
# The daemon's log says the fault was set and cleared each time.
set -euo pipefail
. "$(dirname "$0")/ha_lib.sh"
ha_init ha_switchover
it_require_l2tpd

ROUNDS=${L2T_HA_SWITCHOVERS:-20}
TUNNELS=10
PER=10
BATCH=10
export HA_FAULT_FILE=1 HA_SWITCHOVER=vrrp
ha_topology
ha_pair_up
ha_lac_up ""
it_ctl lac test vpdn dial vpdn-group LAC sessions $((TUNNELS * PER)) per-tunnel "$PER" >/dev/null ||
	it_fail "dial refused by the LAC"
it_wait 30 it_counts_ok lac "$TUNNELS" $((TUNNELS * PER)) || ha_fail "LAC: $(it_counts lac)"
ha_wait_synced a b "$TUNNELS" $((TUNNELS * PER))
ha_lac_snapshot "$IT_DIR/base"
[ "$(grep -c '^S' "$IT_DIR/base")" = $((TUNNELS * PER)) ] || ha_fail "the base snapshot holds $(grep -c '^S' "$IT_DIR/base") sessions"

# settled BOX: the LAC has no call half made, and BOX's established
# tunnels and sessions are the LAC's.
# shellcheck disable=SC2317 # called through it_wait
settled() {
	[ -z "$(it_json lac show l2tp session | jq -r "$IT_JQ_ROWS | select(.state != \"established\") | .state")" ] &&
		ha_views_agree "$1"
}
# in_sync X Y: the standby Y holds every tunnel and session the active X
# has established (the LAC agrees with X: settled).
# shellcheck disable=SC2317 # called through it_wait
in_sync() {
	ha_pair_synced "$1" "$2" "$(it_tunnels "$1" established)" "$(it_sessions "$1" established)"
}

x=a y=b
t_all=$(it_now)
for ((r = 1; r <= ROUNDS; r++)); do
	it_ctl lac test vpdn dial vpdn-group LAC sessions "$BATCH" per-tunnel "$BATCH" >/dev/null ||
		ha_fail "round $r: dial refused by the LAC"
	t0=$(it_now)
	ha_switchover "$x" "$y"
	it_wait 10 it_ha_is "$y" active || ha_fail "round $r: $y is not active after the switchover: $(it_ha_summary "$y")"
	moved=$(it_elapsed "$t0")
	it_wait 20 it_ha_is "$x" standby || ha_fail "round $r: $x did not come back as standby: $(it_ha_summary "$x"); its fault file: $(cat "$IT_DIR/$x.fault")"
	ha_has_vip "$x" && ha_fail "round $r: $x still holds the VIP"
	it_wait 30 ha_active_sees_standby "$y" || ha_fail "round $r: $y does not see $x in sync: $(it_ha_summary "$y"); $x: $(it_ha_summary "$x")"
	ha_lac_snapshot "$IT_DIR/now"
	miss=$(ha_missing "$IT_DIR/base" "$IT_DIR/now")
	[ "$miss" = "0 0" ] || ha_fail "round $r: the LAC lost tunnels and sessions of the base load: $miss"
	it_log "round $r: $x -> $y, VIP moved and $y active after $moved s; $x standby and in sync after $(it_elapsed "$t0") s; LAC $(it_counts lac)"
	tmp=$x x=$y y=$tmp
done
# The last batches settle: every call established or gone, the active and
# the LAC agree, the standby holds exactly what the active has.
it_wait 30 settled "$x" || ha_fail "the LAC and $x disagree or calls are half made: LAC $(it_counts lac), $x $(it_counts "$x"); not established on $x: $(ha_unsettled "$x")"
it_wait 30 in_sync "$x" "$y" || ha_fail "$y is not in sync with $x: $(it_ha_summary "$y"); $x: $(it_counts "$x")"
torn=$(ha_lac_torn "$IT_DIR/base")
[ "$torn" = "0 0" ] || ha_fail "the LAC was sent StopCCNs and CDNs (tunnels, sessions: $torn) for the base load"
for b in a b; do
	n=$(grep -c 'VRRP fault set in' "$IT_DIR/$b.log") || true
	c=$(grep -c 'VRRP fault cleared in' "$IT_DIR/$b.log") || true
	if [ "$n" -lt $((ROUNDS / 2)) ] || [ "$n" != "$c" ]; then
		ha_fail "$b set the VRRP fault $n times and cleared it $c times in $ROUNDS switchovers"
	fi
	! grep -q 'no new active reached this box' "$IT_DIR/$b.log" ||
		ha_fail "$b cleared a fault on the hold timer: the new active never reached it"
done
it_check_healthy a
it_check_healthy b
it_say "$ROUNDS switchovers moving the VIP in $(it_elapsed "$t_all") s; LAC $(it_counts lac); base load intact"
it_pass
