#!/bin/bash
# Hot standby at both ends of the tunnel, null data path: N PPPoE
# subscribers through an HA pair of our LAC (boxes a and b, keepalived,
# their VIP as the tunnels' source) to an HA pair of our LNS (boxes c and d,
# their own keepalived instance and VIP); the pairs and the access segment
# are pppoe_ha_lib.sh's.  Then, in turn, with the subscribers idle (an LCP
# echo each a second):
#  1. the LAC's active (a) dies: b rebuilds the PPPoE sessions with their
#     IDs and MACs on the rebuilt calls and resynchronises with the LNS c;
#  2. the LNS's active (c) dies: d takes over and resynchronises with b,
#     which resyncs as a LAC whose peer failed over (RFC 4951);
#  3. the LAC pair fails back: a, restarted, becomes b's standby (bulk
#     sync: every PPPoE session checkpointed again), then b dies and a
#     carries every subscriber on.
#
# The LAC's access interface is keepalived's vrrp.51 (use_vmac, on both
# boxes, the same MAC); while standby a box sends nothing from it.
# Shown, across the three failovers:
#  - every subscriber's echoes keep being answered: none received a PADT or
#    an LCP Terminate, none negotiated LCP again, none dialled again; a last
#    echo each answered at the end;
#  - after each LAC failover the new active holds the subscribers' (MAC,
#    session ID) pairs, each relaying, and relayed the echoes both ways;
#    after the LNS failover b relayed d's answers;
#  - neither LNS box ever received a CDN or a StopCCN, and d has N
#    subscribers up;
#  - the figures: the largest gap between two answered echoes of a
#    subscriber, each takeover's rebuild and resync times;
#  - a new subscriber dials through the final active.
# N: L2T_PPPOE_LAC_HA_N (default 200; 1,000 by hand).
set -euo pipefail
. "$(dirname "$0")/pppoe_ha_lib.sh"
ha_init pppoe_lac_ha
it_require_l2tpd
it_require_cmd python3
N=${L2T_PPPOE_LAC_HA_N:-200}

pppoe_ha_topology
pppoe_ha_up
[ "$(pppoe_json b | jq -r .redundancy_role)" = standby ] || it_fail "show pppoe summary on b: $(pppoe_json b)"

# N subscribers through a; echoes every second until the hold file
hold=$IT_DIR/failover.done
ph_subs "$IT_DIR/subs.json" --hold 180 --echo-every 1 --hold-file "$hold"
it_wait 120 it_ppp_up_eq c "$N" || it_fail "$(it_ppp_up c) of $N subscribers up on the LNS"
ntun=$(it_tunnels a)
ha_wait_synced a b "$ntun" "$N" 30
ha_wait_synced c d "$ntun" "$N" 30
it_wait 30 ph_standby_holds b "$N" || it_fail "the standby holds $(pppoe_json b | jq .checkpointed_sessions) PPPoE sessions, not $N"
[ "$(pppoe_json a | jq .checkpointed_sessions)" = "$N" ] || it_fail "active: $(pppoe_json a)"
[ "$(ha_get a .lac_totals.pppoe_ha_established)" = "$N" ] || it_fail "show l2tp redundancy on a: $(it_ha_red a | jq -c .lac_totals)"
pairs=$(ph_pairs a)
[ "$(jq length <<<"$pairs")" = "$N" ] || it_fail "a lists $(jq length <<<"$pairs") PPPoE sessions"
[ "$(ph_lns_torn)" = 0 ] || it_fail "the LNS received CDN/StopCCN before any failover"
sleep 1.5	# echoes answered by a first
if [ "$PH_USE_VMAC" = 1 ]; then
	[ "$(ph_vmac_tx b)" = 0 ] || it_fail "the standby b sent $(ph_vmac_tx b) frames from its vrrp.51"
fi

# 1. the LAC's active dies
ph_takeover a b
[ "$(ph_pairs b)" = "$pairs" ] || it_fail "b's PPPoE sessions are not those the subscribers dialled"
sleep 1.5	# echoes through b
ph_relayed_both b || it_fail "b relayed $(pppoe_json b | jq -c '{relayed_to_lns, relayed_to_subscriber}')"
[ "$(ph_lns_torn)" = 0 ] || it_fail "the LNS received $(ph_lns_torn) CDN/StopCCN at the LAC failover"

# 2. the LNS's active dies; b (no standby now) resyncs with d
rx0=$(pppoe_json b | jq .relayed_to_subscriber)
ph_takeover c d
it_wait 10 it_ppp_up_eq d "$N" || it_fail "$(it_ppp_up d) of $N subscribers up on d"
[ "$(it_tunnels b established)" = "$ntun" ] || it_fail "b has $(it_tunnels b established) tunnels, not $ntun"
[ "$(it_sessions b established)" = "$N" ] || it_fail "b has $(it_sessions b established) calls, not $N"
sleep 1.5	# echoes through d
rx1=$(pppoe_json b | jq .relayed_to_subscriber)
[ "$((rx1 - rx0))" -ge "$N" ] || it_fail "b relayed $((rx1 - rx0)) frames from d to subscribers"
[ "$(ph_lns_torn)" = 0 ] || it_fail "the LNS received $(ph_lns_torn) CDN/StopCCN at its own failover"

# 3. failback of the LAC pair: a comes back as b's standby, then b dies
ha_start_standby a "$(pppoe_ha_lac_conf a)"
ha_wait_synced b a "$ntun" "$N" 30
it_wait 30 ph_standby_holds a "$N" || it_fail "the revived a holds $(pppoe_json a | jq .checkpointed_sessions) PPPoE sessions, not $N"
if [ "$PH_USE_VMAC" = 1 ]; then
	# (its vrrp.51 outlived the killed keepalived: the count goes on)
	tx0=$(ph_vmac_tx a)
	sleep 1.5	# echoes flooded to both boxes
	[ "$(ph_vmac_tx a)" = "$tx0" ] || it_fail "the standby a sent $(($(ph_vmac_tx a) - tx0)) frames from its vrrp.51"
fi
ph_takeover b a
[ "$(ph_pairs a)" = "$pairs" ] || it_fail "a's PPPoE sessions after the failback are not those the subscribers dialled"
sleep 1.5	# echoes through a
ph_relayed_both a || it_fail "a relayed $(pppoe_json a | jq -c '{relayed_to_lns, relayed_to_subscriber}')"
touch "$hold"
wait "$PH_SUBS_PID" || it_fail "subscribers: generator failed: $(cat "$IT_DIR/subs.json.err")"

ph_subs_check "$IT_DIR/subs.json"
# every subscriber's access concentrator was the pair's virtual MAC
[ "$(jq -c '[.sessions[] | .[2]] | unique' "$IT_DIR/subs.json")" = "[\"$PH_VMAC\"]" ] ||
	it_fail "the subscribers' AC MACs: $(jq -c '[.sessions[] | .[2]] | unique' "$IT_DIR/subs.json")"
[ "$(jq -c '[.sessions[] | [.[0], .[1]]] | sort' "$IT_DIR/subs.json")" = "$pairs" ] ||
	it_fail "the subscribers' (MAC, session ID) pairs are not those a listed"
[ "$(ph_lns_torn)" = 0 ] || it_fail "the LNS received $(ph_lns_torn) CDN/StopCCN"
[ "$(it_ppp_up d)" = "$N" ] || it_fail "the LNS has $(it_ppp_up d) subscribers up, not $N"
ph_new_subscriber a
it_say "three failovers for $N subscribers: echo gap p50 $(jq .echo_gap_ms_p50 "$IT_DIR/subs.json") ms, max $(jq .echo_gap_ms_max "$IT_DIR/subs.json") ms, $(jq .echo_lost "$IT_DIR/subs.json") echoes lost"
it_stop a
it_stop d
it_pass
