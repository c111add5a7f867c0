#!/bin/bash
# A rolling upgrade, then a downgrade, between real builds: the previous
# release (the last line of RELEASES, built from this clone's history by
# scripts/build-release.sh) and the tree.  Box a runs the release as the
# active, box b the tree as its standby (the checkpoint link between two
# schema versions); our LAC carries 10 tunnels x 10 sessions.
#   1. upgrade: a switchover to b (the tree active, the release its
#      standby); both boxes log the other's schema version; new calls;
#   2. downgrade: a switchover back to a (the release active again, the
#      tree its standby); new calls.
# Each time: the standby in sync with every tunnel and session of the
# active, every session of the LAC kept (no StopCCN, no CDN), new calls
# come up and are checkpointed.  The release has no `vrrp fault-file`: the
# switchovers move keepalived as l2tpd(8) says for it (HA_SWITCHOVER=cli).
set -euo pipefail
. "$(dirname "$0")/ha_lib.sh"
ha_init ha_upgrade
it_require_l2tpd

top=$(cd "$(dirname "$0")/../.." && pwd)
OLD=$("$top/scripts/build-release.sh") || it_fail "the previous release does not build (scripts/build-release.sh)"
read -r OLD_VER _ < <(grep -v '^#' "$top/RELEASES" | tail -n 1)
TUNNELS=10
PER=10
export HA_SWITCHOVER=cli

ha_topology
ha_keys
L2TPD=$OLD ha_box_start a
it_wait 10 ha_is_active_on_vip a || ha_fail "a (release $OLD_VER) is not active on the VIP: $(it_ha_summary a)"
ha_start_standby b
[ "$(readlink -f "/proc/${IT_DPID[a]}/exe")" = "$(readlink -f "$OLD")" ] || it_fail "a does not run the release's l2tpd"
[ "$(readlink -f "/proc/${IT_DPID[b]}/exe")" = "$(readlink -f "$L2TPD")" ] || it_fail "b does not run the tree's l2tpd"
ha_lac_up ""
it_ctl lac test vpdn dial vpdn-group LAC sessions $((TUNNELS * PER)) per-tunnel "$PER" >/dev/null ||
	it_fail "dial refused by the LAC"
it_wait 30 it_counts_ok lac "$TUNNELS" $((TUNNELS * PER)) || ha_fail "LAC: $(it_counts lac)"
ha_wait_synced a b "$TUNNELS" $((TUNNELS * PER))
it_say "release $OLD_VER active on a, the tree standby on b, in sync"
ha_lac_snapshot "$IT_DIR/base"

# step X Y WHAT: a switchover from X to Y; Y active, X its standby in sync;
# then one more tunnel of PER calls through Y, checkpointed to X.
step() {
	local x=$1 y=$2 what=$3 t s t0 miss
	t0=$(it_now)
	ha_switchover "$x" "$y"
	it_wait 10 it_ha_is "$y" active || ha_fail "$what: $y is not active: $(it_ha_summary "$y")"
	it_wait 20 it_ha_is "$x" standby || ha_fail "$what: $x is not the standby: $(it_ha_summary "$x")"
	t=$(it_tunnels "$y" established)
	s=$(it_sessions "$y" established)
	[ "$t $s" = "$TUNNELS_NOW $SESSIONS_NOW" ] ||
		ha_fail "$what: $y holds $t tunnels and $s sessions, not $TUNNELS_NOW and $SESSIONS_NOW"
	ha_wait_synced "$y" "$x" "$t" "$s"
	it_ctl lac test vpdn dial vpdn-group LAC sessions "$PER" per-tunnel "$PER" >/dev/null ||
		ha_fail "$what: dial refused by the LAC"
	TUNNELS_NOW=$((TUNNELS_NOW + 1))
	SESSIONS_NOW=$((SESSIONS_NOW + PER))
	it_wait 30 it_counts_ok lac "$TUNNELS_NOW" "$SESSIONS_NOW" || ha_fail "$what: new calls: LAC $(it_counts lac)"
	ha_wait_synced "$y" "$x" "$TUNNELS_NOW" "$SESSIONS_NOW"
	ha_lac_snapshot "$IT_DIR/now"
	miss=$(ha_missing "$IT_DIR/base" "$IT_DIR/now")
	[ "$miss" = "0 0" ] || ha_fail "$what: the LAC lost tunnels and sessions of the base load: $miss"
	it_say "$what: $x -> $y in $(it_elapsed "$t0") s, every session kept, $PER new calls checkpointed"
}
TUNNELS_NOW=$TUNNELS
SESSIONS_NOW=$((TUNNELS * PER))
step a b "upgrade (release $OLD_VER -> tree)"
step b a "downgrade (tree -> release $OLD_VER)"

# Both sides met the other schema version (the tree's link says so).
it_grep_log b 'speaks schema version [0-9]+, we [0-9]+' ||
	ha_fail "b's log never mentions the other box's schema version"
torn=$(ha_lac_torn "$IT_DIR/base")
[ "$torn" = "0 0" ] || ha_fail "the LAC was sent StopCCNs and CDNs (tunnels, sessions: $torn)"
it_check_healthy a
it_check_healthy b
it_pass
