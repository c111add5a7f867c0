#!/bin/bash
# Kill points of the PPPoE hot standby with both ends HA pairs (the pairs
# and the access segment of pppoe_ha_lib.sh: LAC a/b, LNS c/d):
#  1. mid-burst of discovery: N subscribers dial (100 a second) and the
#     LAC's active a dies once a quarter have a PPPoE session on it.  Those
#     whose call was checkpointed (its ICCN left a) come up through b;
#     the others are told by b's PADT or give up (pppoe_sub.py --redial,
#     as pppd would), dial again and come up through b.  Then no stale
#     session anywhere: b has exactly N PPPoE sessions, N calls, all
#     established, the same (MAC, session ID) pairs the subscribers hold;
#     the LNS c and its standby d hold exactly N calls, the same ones.
#  2. mid-resync: a comes back as b's standby; b's input from the LNS VIP is
#     dropped, so that when the LNS's active c dies, d's resync with the LAC
#     cannot finish (shown running); the LAC's active b dies in the middle
#     of it: a takes over and resyncs with d, which resyncs with a; every
#     subscriber stays up, the LNS receives no CDN or StopCCN.
# Printed: the counts at the kill (calls up on the LNS, rebuilt by b),
# redials, and the end state.  N: L2T_PPPOE_HA_KILL_N (default 200).
set -euo pipefail
. "$(dirname "$0")/pppoe_ha_lib.sh"
ha_init pppoe_kill_ha
it_require_l2tpd
it_require_cmd python3
N=${L2T_PPPOE_HA_KILL_N:-200}

# ph_dialled_ge BOX N: BOX has at least N PPPoE sessions (a cheap poll).
# shellcheck disable=SC2317 # called through it_wait
ph_dialled_ge() { [ "$(pppoe_json "$1" | jq .total_sessions)" -ge "$2" ]; }
# ph_calls BOX: BOX's L2TP calls as a sorted list of "tunnel-id/session-id"
# in the LAC's IDs (for the LNS, its remote IDs).
# shellcheck disable=SC2317 # called through ph_settled
ph_calls() {
	local idf=local_session_id
	case $1 in c | d) idf=remote_session_id ;; esac
	it_json "$1" show l2tp session | jq -c "[$IT_JQ_ROWS | .$idf] | sort"
}
# ph_settled BOX_LAC BOX_LNS: N established calls on both, the same ones.
# shellcheck disable=SC2317 # called through it_wait
ph_settled() {
	[ "$(it_sessions "$1")" = "$N" ] && [ "$(it_sessions "$1" established)" = "$N" ] &&
		[ "$(it_sessions "$2")" = "$N" ] && [ "$(ph_calls "$1")" = "$(ph_calls "$2")" ]
}

# ph_deaf BOX: BOX drops whatever comes from the LNS pair's VIP.
ph_deaf() {
	it_nft "${HA_NS[$1]}" <<-EOF || it_fail "nftables on $1 failed"
	table inet ph_hold {
		chain input {
			type filter hook input priority 0; policy accept;
			ip saddr $HA_VIP2 meta l4proto udp drop
		}
	}
	EOF
}
# ph_hear BOX: BOX hears the LNS pair again (a box's namespace outlives it).
ph_hear() { ip netns exec "${HA_NS[$1]}" nft delete table inet ph_hold; }

pppoe_ha_topology
pppoe_ha_up

# 1. mid-burst of discovery
hold=$IT_DIR/done
ph_subs "$IT_DIR/subs.json" --rate 100 --redial 6 --deadline 90 --hold 120 --echo-every 1 --hold-file "$hold"
it_wait 60 ph_dialled_ge a $((N / 4)) || it_fail "no kill point: $(pppoe_json a)"
# a hears the LNS no more for its last half second: the calls it places
# then are left half-made (ICRQ sent, no ICCN), their PPPoE sessions open
# on a, never checkpointed
ph_deaf a
sleep 0.5
lns_up=$(it_ppp_up c)
ha_kill_box a
ph_hear a
[ "$lns_up" -lt "$N" ] || it_fail "no kill point: all $N up on the LNS before the kill"
it_wait 15 ha_is_active_on_vip b || ha_fail "box b did not take over: $(it_ha_summary b)"
it_wait 30 ph_resynced b || ha_fail "b's tunnels did not resync: $(it_ha_summary b)"
it_wait 90 it_ppp_up_eq c "$N" || it_fail "$(it_ppp_up c) of $N subscribers up on the LNS after the kill"
it_wait 20 ph_settled b c || it_fail "stale calls: b $(it_counts b), c $(it_counts c)"
it_wait 20 ha_pair_synced c d 1 "$N" || ha_fail "d does not hold the N calls: $(it_ha_summary d)"
pb=$(pppoe_json b)
[ "$(jq .total_sessions <<<"$pb")" = "$N" ] || it_fail "b has $(jq .total_sessions <<<"$pb") PPPoE sessions, not $N"
it_say "mid-discovery kill: $lns_up subscribers up on the LNS just before the kill; b rebuilt $(jq .restored_sessions <<<"$pb"), discovery held $(jq .discovery_held <<<"$pb") times; now b $(it_counts b), c $(it_counts c)"
[ "$(jq .restored_sessions <<<"$pb")" -ge "$lns_up" ] ||
	it_fail "b rebuilt $(jq .restored_sessions <<<"$pb") PPPoE sessions, fewer than the $lns_up up before the kill"
pairs=$(ph_pairs b)
[ "$(jq length <<<"$pairs")" = "$N" ] || it_fail "b lists $(jq length <<<"$pairs") PPPoE sessions"
torn1=$(ph_lns_torn)

# 2. mid-resync: the LNS's failover held on the LAC side, then the LAC's
# active dies
ha_start_standby a "$(pppoe_ha_lac_conf a)"
ha_wait_synced b a 1 "$N" 30
it_wait 30 ph_standby_holds a "$N" || it_fail "a holds $(pppoe_json a | jq .checkpointed_sessions) PPPoE sessions, not $N"
ph_deaf b
ha_kill_box c
it_wait 15 ha_is_active_on_vip d || ha_fail "LNS box d did not take over: $(it_ha_summary d)"
it_wait 10 ph_resyncing d || ha_fail "d's resync did not start: $(it_ha_summary d)"
sleep 0.5
ph_resyncing d || ha_fail "d's resync ended while b could not hear it: $(it_ha_summary d)"
it_say "d resyncing with the LAC: $(it_ha_summary d)"
ph_takeover b a
it_wait 30 ph_resynced d || ha_fail "d's resync did not finish: $(it_ha_summary d)"
[ "$(ph_pairs a)" = "$pairs" ] || it_fail "a's PPPoE sessions are not b's"
it_wait 20 ph_settled a d || it_fail "after the mid-resync kill: a $(it_counts a), d $(it_counts d)"
[ "$(ph_lns_torn)" = "$torn1" ] || it_fail "the LNS received $(($(ph_lns_torn) - torn1)) CDN/StopCCN at the mid-resync kill"
sleep 1.5	# echoes through a and d
ph_relayed_both a || it_fail "a relayed $(pppoe_json a | jq -c '{relayed_to_lns, relayed_to_subscriber}')"
touch "$hold"
wait "$PH_SUBS_PID" || it_fail "subscribers: generator failed: $(cat "$IT_DIR/subs.json.err")"

ph_subs_check "$IT_DIR/subs.json"
[ "$(jq -c '[.sessions[] | [.[0], .[1]]] | sort' "$IT_DIR/subs.json")" = "$pairs" ] ||
	it_fail "the subscribers' (MAC, session ID) pairs are not those a serves"
it_say "after both kill points: $(jq .redials "$IT_DIR/subs.json") redials, $(jq '[.sids_seen[] | .[0]] | length - (unique | length)' "$IT_DIR/subs.json") second PADSes, LNS received $torn1 CDN/StopCCN (calls a left half-made); a $(it_counts a), d $(it_counts d)"
it_stop a
it_stop d
it_pass
