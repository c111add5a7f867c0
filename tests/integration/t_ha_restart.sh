#!/bin/bash
# The hitless restart of the active of a pair: keepalived, a standby in
# sync, our LAC with TUNNELS x PER sessions.  `l2tpctl restart` on the
# active:
#   - its PID changes, the new process is the active at once; the standby
#     never takes over (its log never says it becomes the active, its role
#     stays standby:
#     keepalived did not move the address) and is in sync with the new
#     active again (a bulk sync over the reopened link): its show holds
#     every session;
#   - the LAC got no StopCCN and no CDN;
# then the active box dies: the standby takes over and every session of
# the LAC is kept.
set -euo pipefail
. "$(dirname "$0")/ha_lib.sh"
ha_init ha_restart
it_require_l2tpd

TUNNELS=${L2T_RESTART_TUNNELS:-20}
PER=${L2T_RESTART_PER:-10}
TOTAL=$((TUNNELS * PER))
ha_topology
ha_pair_up
ha_lac_up ""
it_ctl lac test vpdn dial vpdn-group LAC sessions "$TOTAL" per-tunnel "$PER" >/dev/null ||
	ha_fail "dial refused by the LAC"
it_wait 60 it_counts_ok lac "$TUNNELS" "$TOTAL" || ha_fail "LAC: $(it_counts lac)"
ha_wait_synced a b "$TUNNELS" "$TOTAL"
ha_lac_snapshot "$IT_DIR/base"
stop0=$(it_stat lac .rx_stopccn)
cdn0=$(it_stat lac .rx_cdn)

old=${IT_DPID[a]}
out=$(it_ctl a restart 2>&1) || ha_fail "restart: $out"
new=$(printf '%s\n' "$out" | sed -n 's/.*PID [0-9]* -> \([0-9]*\),.*/\1/p')
if [ -z "$new" ] || [ "$new" = "$old" ]; then
	ha_fail "restart: no new PID in: $out"
fi
it_say "restart: $out"
# shellcheck disable=SC2317 # called through it_wait
gone() { ! kill -0 "$1" 2>/dev/null || grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null; }
it_wait 10 gone "$old" || ha_fail "the old active $old did not exit"
wait "$old" 2>/dev/null || true
IT_DPID[a]=$new
it_ha_is a active || ha_fail "the new process is not the active: $(it_ha_summary a)"
ha_wait_synced a b "$TUNNELS" "$TOTAL"
it_ha_is b standby || ha_fail "b is no longer the standby: $(it_ha_summary b)"
! it_grep_log b "becoming active" || ha_fail "the standby took over during the restart"
ha_has_vip a || ha_fail "the VIP left a during the restart"
ha_views_agree a "$IT_DIR/base" || ha_fail "the LAC and the new active disagree"
[ "$(it_stat lac .rx_stopccn)" = "$stop0" ] || ha_fail "the LAC got a StopCCN"
[ "$(it_stat lac .rx_cdn)" = "$cdn0" ] || ha_fail "the LAC got a CDN"

# A failover afterwards keeps every session.
ha_kill_box a
it_wait 15 ha_is_active_on_vip b || ha_fail "b did not take over: $(it_ha_summary b)"
it_wait 30 ha_views_agree b "$IT_DIR/base" ||
	ha_fail "after the failover: missing (T S) $(ha_missing "$IT_DIR/base" "$IT_DIR/agree-lns")"
[ "$(it_stat lac .rx_stopccn)" = "$stop0" ] || ha_fail "the LAC got a StopCCN after the failover"
[ "$(it_stat lac .rx_cdn)" = "$cdn0" ] || ha_fail "the LAC got a CDN after the failover"
it_pass
