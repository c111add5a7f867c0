#!/bin/bash
# Hot standby at both ends of the tunnel, null data path: N PPPoE
# subscribers through an HA pair of our LAC (boxes a and b, keepalived,
# their VIP as the tunnels' source) to an HA pair of our LNS (boxes c and d,
# their own keepalived instance and VIP, ha_second_pair); then, in turn:
#  1. the LAC's active (a) dies: b rebuilds the PPPoE sessions with their
#     IDs and MACs on the rebuilt calls and resynchronises with the LNS c;
#  2. the LNS's active (c) dies: d takes over and resynchronises with b,
#     which resyncs as a LAC whose peer failed over (RFC 4951);
#  3. the LAC pair fails back: a, restarted, becomes b's standby (bulk
#     sync: every PPPoE session checkpointed again), then b dies and a
#     carries every subscriber on.
#
# The access side: a second bridge (br1, in the bridge namespace) joins the
# subscribers' namespace and an interface acc0 of each LAC box.  The pair's
# virtual MAC is set by hand on both boxes' acc0 (00:00:5e:00:01:33, as
# keepalived's use_vmac would make vrrp.51; keepalived's macvlan cannot
# carry it here: see l2tpd(8), keepalived), and br1 floods every frame
# (ageing 0) so that it need not learn the MAC's move: a standby hears the
# subscribers but opens no access port until its takeover, so it says
# nothing from the shared MAC.
#
# Shown, across the three failovers:
#  - every subscriber's LCP echoes (one a second) keep being answered: none
#    received a PADT or an LCP Terminate, none negotiated LCP again, none
#    dialled again; a last echo each answered at the end;
#  - after each LAC failover the new active holds the subscribers' (MAC,
#    session ID) pairs, each relaying, and relayed the echoes;
#  - neither LNS box ever received a CDN or a StopCCN, and the LNS active
#    has N subscribers up after each failover;
#  - the figures: the largest gap between two answered echoes of a
#    subscriber, each takeover's rebuild and resync times;
#  - a new subscriber dials through the final active.
# N: L2T_PPPOE_LAC_HA_N (default 200; 1,000 by hand).
set -euo pipefail
. "$(dirname "$0")/ha_lib.sh"
ha_init pppoe_lac_ha
it_require_l2tpd
it_require_cmd python3
SUB=$(dirname "$0")/pppoe_sub.py
N=${L2T_PPPOE_LAC_HA_N:-200}
VMAC=00:00:5e:00:01:33

ha_topology
ha_second_pair
it_netns NS_SUB sub
ip -n "$NS_BR" link add br1 type bridge ageing_time 0 || it_fail "no second bridge"
ip -n "$NS_BR" link set br1 up
for box in a b sub; do
	ns=${HA_NS[$box]:-$NS_SUB}
	ip -n "$ns" link add acc0 type veth peer name "x-$box" netns "$NS_BR" || it_fail "veth acc0 $box"
	ip -n "$NS_BR" link set "x-$box" master br1
	ip -n "$NS_BR" link set "x-$box" up
	if [ "$box" != sub ]; then
		ip -n "$ns" link set acc0 address "$VMAC"
	fi
	ip -n "$ns" link set acc0 up
done

# lns_conf BOX: a box of the LNS pair (c or d).
lns_conf() {
	local i
	ha_conf_lns "$1" "" 1
	for ((i = 1; i <= N + 1; i++)); do
		printf 'username sub%d@isp.example password pw%d\n' "$i" "$i"
	done
	it_conf_template 10.200.255.254 "pap" "" 10.200.7.254
}
# lac_conf BOX: a box of the LAC pair (a or b).
lac_conf() {
	local box=$1 other
	other=$(ha_other "$box")
	it_conf_head "lac-$box"
	echo "vpdn source-ip $IT_HA_VIP"
	it_conf_redundancy "${IT_HA_CKPT[$box]} port $HA_CKPT_PORT" "${IT_HA_CKPT[$other]} port $HA_CKPT_PORT" \
		"$IT_HA_VIP" " checkpoint curve public-key ${HA_PUB[$box]} secret-key ${HA_SEC[$box]} peer-key ${HA_PEERKEY[$box]}
 checkpoint heartbeat 100 dead-interval 1000"
	printf 'vpdn-group LAC\n request-dialin\n  protocol l2tp\n  domain isp.example\n'
	printf ' initiate-to ip %s\n%s\n l2tp tunnel resync 20\n' "$HA_VIP2" \
		"$(it_conf_tunnel lac1 "$HA_SECRET" "$HA_HELLO")"
	cat <<-EOF
	interface Virtual-Template1
	 ppp authentication pap
	bba-group pppoe global
	 virtual-template 1
	 ac name BRAS1
	interface acc0
	 pppoe enable group global
	pppoe rate-limit padi total 4000
	EOF
}

pppoe_json() { it_json "$1" show pppoe summary; }
# shellcheck disable=SC2317 # called through it_wait
standby_holds() { [ "$(pppoe_json "$1" | jq '.checkpointed_sessions')" = "$2" ]; }
# shellcheck disable=SC2317 # called through it_wait
active_serves() {
	pppoe_json "$1" | jq -e --argjson n "$2" '.total_sessions == $n and .restored_sessions == $n' >/dev/null
}
# shellcheck disable=SC2317 # called through it_wait
resynced() { [ "$(ha_get "$1" .resynced_tunnels.success)" -ge 1 ] && [ "$(ha_get "$1" .resync_in_progress)" = false ]; }
# lns_torn: CDNs and StopCCNs either LNS box received so far.
lns_torn() { cat "$IT_DIR"/c*.log "$IT_DIR"/d*.log | grep -c 'recv CDN\|recv StopCCN' || true; }
# pair_up X Y CONF_FN: X active on its VIP, Y its standby.
pair_up() {
	ha_keys "$1" "$2"
	ha_box_start "$1" "$($3 "$1")"
	it_wait 10 ha_is_active_on_vip "$1" || ha_fail "box $1 not active on its VIP: $(it_ha_summary "$1")"
	ha_start_standby "$2" "$($3 "$2")"
}
# lac_takeover DEAD NEW: the LAC box DEAD dies; NEW serves every subscriber
# again (the same MACs and session IDs) and has resynchronised.
lac_takeover() {
	local t0
	t0=$(it_now)
	ha_kill_box "$1"
	it_wait 15 ha_is_active_on_vip "$2" || ha_fail "box $2 did not take over: $(it_ha_summary "$2")"
	it_wait 15 active_serves "$2" "$N" || it_fail "$2 serves $(pppoe_json "$2" | jq -c '{total_sessions, restored_sessions}')"
	it_wait 30 resynced "$2" || ha_fail "$2's tunnels did not resync: $(it_ha_summary "$2")"
	it_say "LAC takeover: $2 active and resynchronised $(it_elapsed "$t0") s after the kill: rebuilt in $(ha_get "$2" .takeover_rebuild_ms) ms, resynced in $(ha_get "$2" .resync_duration_ms) ms"
	it_json "$2" show pppoe session >"$IT_DIR/$2_sessions.json"
	[ "$(jq -c '[.sessions[] | [.mac, .session_id]] | sort' "$IT_DIR/$2_sessions.json")" = "$(cat "$IT_DIR/pairs")" ] ||
		it_fail "$2's PPPoE sessions are not those the subscribers dialled"
	[ "$(jq '[.sessions[] | select(.ppp_state == "relaying")] | length' "$IT_DIR/$2_sessions.json")" = "$N" ] ||
		it_fail "$2: not $N sessions relaying"
}
# relayed_both BOX: BOX relayed at least one frame per subscriber each way.
relayed_both() {
	pppoe_json "$1" | jq -e --argjson n "$N" '.relayed_to_lns >= $n and .relayed_to_subscriber >= $n' >/dev/null
}

pair_up c d lns_conf
for box in c d; do
	it_ctl "$box" debug l2tp packet >/dev/null || it_fail "debug l2tp packet refused by $box"
done
pair_up a b lac_conf
[ "$(pppoe_json b | jq -r .redundancy_role)" = standby ] || it_fail "show pppoe summary on b: $(pppoe_json b)"

# N subscribers through a; echoes every second until the hold file
hold=$IT_DIR/failover.done
ip netns exec "$NS_SUB" python3 "$SUB" acc0 "$N" --user 'sub{n}@isp.example' --password 'pw{n}' \
	--auth pap --hold 180 --echo-every 1 --hold-file "$hold" \
	>"$IT_DIR/subs.json" 2>"$IT_DIR/subs.err" &
subs_pid=$!
it_wait 120 it_ppp_up_eq c "$N" || it_fail "$(it_ppp_up c) of $N subscribers up on the LNS"
ntun=$(it_tunnels a)
ha_wait_synced a b "$ntun" "$N" 30
ha_wait_synced c d "$ntun" "$N" 30
it_wait 30 standby_holds b "$N" || it_fail "the standby holds $(pppoe_json b | jq .checkpointed_sessions) PPPoE sessions, not $N"
[ "$(pppoe_json a | jq .checkpointed_sessions)" = "$N" ] || it_fail "active: $(pppoe_json a)"
[ "$(ha_get a .lac_totals.pppoe_ha_established)" = "$N" ] || it_fail "show l2tp redundancy on a: $(it_ha_red a | jq -c .lac_totals)"
it_json a show pppoe session | jq -c '[.sessions[] | [.mac, .session_id]] | sort' >"$IT_DIR/pairs"
[ "$(jq length "$IT_DIR/pairs")" = "$N" ] || it_fail "a lists $(jq length "$IT_DIR/pairs") PPPoE sessions"
[ "$(lns_torn)" = 0 ] || it_fail "the LNS received CDN/StopCCN before any failover"
sleep 2	# echoes answered by a first

# 1. the LAC's active dies
lac_takeover a b
sleep 2	# echoes through b
relayed_both b || it_fail "b relayed $(pppoe_json b | jq -c '{relayed_to_lns, relayed_to_subscriber}')"
[ "$(lns_torn)" = 0 ] || it_fail "the LNS received $(lns_torn) CDN/StopCCN at the LAC failover"

# 2. the LNS's active dies; b (no standby now) resyncs with d
t0=$(it_now)
rx0=$(pppoe_json b | jq .relayed_to_subscriber)
ha_kill_box c
it_wait 15 ha_is_active_on_vip d || ha_fail "LNS box d did not take over: $(it_ha_summary d)"
it_wait 30 resynced d || ha_fail "d's tunnels did not resync: $(it_ha_summary d)"
it_say "LNS takeover: d active and resynchronised $(it_elapsed "$t0") s after the kill: rebuilt in $(ha_get d .takeover_rebuild_ms) ms, resynced in $(ha_get d .resync_duration_ms) ms"
it_wait 10 it_ppp_up_eq d "$N" || it_fail "$(it_ppp_up d) of $N subscribers up on d"
[ "$(it_tunnels b established)" = "$ntun" ] || it_fail "b has $(it_tunnels b established) tunnels, not $ntun"
[ "$(it_sessions b established)" = "$N" ] || it_fail "b has $(it_sessions b established) calls, not $N"
sleep 2	# echoes through d
rx1=$(pppoe_json b | jq .relayed_to_subscriber)
[ "$((rx1 - rx0))" -ge "$N" ] || it_fail "b relayed $((rx1 - rx0)) frames from d to subscribers"
[ "$(lns_torn)" = 0 ] || it_fail "the LNS received $(lns_torn) CDN/StopCCN at its own failover"

# 3. failback of the LAC pair: a comes back as b's standby, then b dies
ha_start_standby a "$(lac_conf a)"
ha_wait_synced b a "$ntun" "$N" 30
it_wait 30 standby_holds a "$N" || it_fail "the revived a holds $(pppoe_json a | jq .checkpointed_sessions) PPPoE sessions, not $N"
lac_takeover b a
sleep 2	# echoes through a
relayed_both a || it_fail "a relayed $(pppoe_json a | jq -c '{relayed_to_lns, relayed_to_subscriber}')"
touch "$hold"
wait "$subs_pid" || it_fail "subscribers: generator failed: $(cat "$IT_DIR/subs.err")"

r() { jq -r "$1" "$IT_DIR/subs.json"; }
it_say "subscribers: $(jq -c 'del(.sessions, .addresses, .states)' "$IT_DIR/subs.json")"
[ "$(r .up)" = "$N" ] || it_fail "$(r .up) of $N subscribers up: $(r .states)"
[ "$(r .padt_rx)" = 0 ] || it_fail "$(r .padt_rx) subscribers got a PADT"
[ "$(r .term_rx)" = 0 ] || it_fail "subscribers got $(r .term_rx) LCP Terminate-Requests"
[ "$(r .lcp_after_auth)" = 0 ] || it_fail "subscribers saw $(r .lcp_after_auth) LCP Configure-Requests after authentication"
[ "$(r .disc_tx_after_up)" = 0 ] || it_fail "subscribers dialled again $(r .disc_tx_after_up) times"
[ "$(r .echo_end_ok)" = "$N" ] || it_fail "after the failovers, $(r .echo_end_ok) of $N echoes answered"
[ "$(r '[.sessions[] | [.[0], .[1]]] | sort' | jq -c .)" = "$(cat "$IT_DIR/pairs")" ] ||
	it_fail "the subscribers' (MAC, session ID) pairs are not those a listed"
[ "$(lns_torn)" = 0 ] || it_fail "the LNS received $(lns_torn) CDN/StopCCN"
[ "$(it_ppp_up d)" = "$N" ] || it_fail "the LNS has $(it_ppp_up d) subscribers up, not $N"
# discovery again once the rebuild is over: a new subscriber through a
ip netns exec "$NS_SUB" python3 "$SUB" acc0 1 --user "sub$((N + 1))@isp.example" \
	--password "pw$((N + 1))" --auth pap --mac-base 50000 --deadline 20 >"$IT_DIR/new.json" ||
	it_fail "new subscriber: generator failed"
[ "$(jq .up "$IT_DIR/new.json")" = 1 ] || it_fail "no new subscriber through a: $(jq -c 'del(.sessions)' "$IT_DIR/new.json")"
it_say "three failovers for $N subscribers: echo gap p50 $(r .echo_gap_ms_p50) ms, max $(r .echo_gap_ms_max) ms, $(r .echo_lost) echoes lost"
it_stop a
it_stop d
it_pass
