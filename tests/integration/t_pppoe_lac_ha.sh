#!/bin/bash
# Hot standby on the LAC, null data path: N PPPoE subscribers through an HA
# pair of our LAC (boxes a and b, keepalived, the VIP as the tunnels' source)
# to our LNS (in the peer namespace); the active LAC dies; the standby
# carries every subscriber on.
#
# The access side: a second bridge (br1, in the bridge namespace) joins the
# subscribers' namespace and an interface acc0 of each box.  The pair's
# virtual MAC is set by hand on both boxes' acc0 (00:00:5e:00:01:33, as
# keepalived's use_vmac would make vrrp.51), and br1 floods every frame
# (ageing 0) so that it need not learn the MAC's move: the standby hears
# the subscribers but opens no access port until its takeover, so it says
# nothing from the shared MAC.
#
# Shown:
#  - N subscribers (pppoe_sub.py: discovery, LCP and PAP with the LAC, the
#    call to the LNS with proxy LCP and authentication, IPCP) up; the
#    standby holds every PPPoE session (show pppoe summary:
#    checkpointed_sessions) and every call;
#  - box a killed (frozen, link down, SIGKILL): box b takes over, rebuilds
#    the N PPPoE sessions with their IDs and MACs on the rebuilt calls,
#    resynchronises its tunnel with the LNS;
#  - every subscriber's LCP echoes (one a second) keep being answered (by
#    the LNS, relayed by b): none received a PADT or an LCP Terminate, none
#    dialled again; a last echo each answered; the LNS received no CDN and
#    no StopCCN and still has N subscribers up;
#  - the figure: the largest gap between two answered echoes of a
#    subscriber (the failover as subscribers see it), and b's rebuild and
#    resync times;
#  - a new subscriber dials through b once it has resynchronised.
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

lns_conf() {
	it_conf_head lns1
	for ((i = 1; i <= N + 1; i++)); do
		printf 'username sub%d@isp.example password pw%d\n' "$i" "$i"
	done
	it_conf_template 10.200.255.254 "pap" "" 10.200.7.254
	it_conf_dialin 1 "$(it_conf_tunnel lns1 "$HA_SECRET" "$HA_HELLO")"
}
# lac_conf BOX: a box of the LAC pair.
lac_conf() {
	local box=$1 other
	other=$(ha_other "$box")
	it_conf_head "lac-$box"
	echo "vpdn source-ip $IT_HA_VIP"
	it_conf_redundancy "${IT_HA_CKPT[$box]} port $HA_CKPT_PORT" "${IT_HA_CKPT[$other]} port $HA_CKPT_PORT" \
		"$IT_HA_VIP" " checkpoint curve public-key ${HA_PUB[$box]} secret-key ${HA_SEC[$box]} peer-key ${HA_PEERKEY[$box]}
 checkpoint heartbeat 100 dead-interval 1000"
	printf 'vpdn-group LAC\n request-dialin\n  protocol l2tp\n  domain isp.example\n'
	printf ' initiate-to ip %s\n%s\n l2tp tunnel resync 20\n' "$IT_HA_PEER_ADDR" \
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

it_l2tpd lns "${HA_NS[peer]}" "$(lns_conf)"
it_ctl lns debug l2tp packet >/dev/null || it_fail "debug l2tp packet refused"
ha_keys
ha_box_start a "$(lac_conf a)"
it_wait 10 ha_is_active_on_vip a || ha_fail "box a not active on the VIP: $(it_ha_summary a)"
ha_start_standby b "$(lac_conf b)"
[ "$(pppoe_json b | jq -r .redundancy_role)" = standby ] || it_fail "show pppoe summary on b: $(pppoe_json b)"

# 1. N subscribers through a; echoes every second until the hold file
hold=$IT_DIR/failover.done
ip netns exec "$NS_SUB" python3 "$SUB" acc0 "$N" --user 'sub{n}@isp.example' --password 'pw{n}' \
	--auth pap --hold 120 --echo-every 1 --hold-file "$hold" \
	>"$IT_DIR/subs.json" 2>"$IT_DIR/subs.err" &
subs_pid=$!
it_wait 120 it_ppp_up_eq lns "$N" || it_fail "$(it_ppp_up lns) of $N subscribers up on the LNS"
ntun=$(it_tunnels a)
ha_wait_synced a b "$ntun" "$N" 30
it_wait 30 standby_holds b "$N" || it_fail "the standby holds $(pppoe_json b | jq .checkpointed_sessions) PPPoE sessions, not $N"
[ "$(pppoe_json a | jq .checkpointed_sessions)" = "$N" ] || it_fail "active: $(pppoe_json a)"
[ "$(ha_get a .lac_totals.pppoe_ha_established)" = "$N" ] || it_fail "show l2tp redundancy on a: $(it_ha_red a | jq -c .lac_totals)"
cdn0=$(grep -c 'recv CDN\|recv StopCCN' "$IT_DIR/lns.log" || true)
sleep 2	# echoes answered by a first

# 2. the active LAC dies
t0=$(it_now)
ha_kill_box a
it_wait 15 ha_is_active_on_vip b || ha_fail "box b did not take over: $(it_ha_summary b)"
it_wait 15 active_serves b "$N" || it_fail "b serves $(pppoe_json b | jq -c '{total_sessions, restored_sessions}')"
it_wait 30 resynced b || ha_fail "b's tunnels did not resync: $(it_ha_summary b)"
it_say "takeover: b active and resynchronised $(it_elapsed "$t0") s after the kill: $(it_ha_summary b)"
sleep 2	# echoes answered through b
touch "$hold"
wait "$subs_pid" || it_fail "subscribers: generator failed: $(cat "$IT_DIR/subs.err")"

r() { jq -r "$1" "$IT_DIR/subs.json"; }
it_say "subscribers: $(jq -c 'del(.sessions, .addresses, .states)' "$IT_DIR/subs.json")"
[ "$(r .up)" = "$N" ] || it_fail "$(r .up) of $N subscribers up: $(r .states)"
[ "$(r .padt_rx)" = 0 ] || it_fail "$(r .padt_rx) subscribers got a PADT"
[ "$(r .term_rx)" = 0 ] || it_fail "subscribers got $(r .term_rx) LCP Terminate-Requests"
[ "$(r .lcp_after_auth)" = 0 ] || it_fail "subscribers saw $(r .lcp_after_auth) LCP Configure-Requests after authentication"
[ "$(r .disc_tx_after_up)" = 0 ] || it_fail "subscribers dialled again $(r .disc_tx_after_up) times"
[ "$(r .echo_end_ok)" = "$N" ] || it_fail "after the failover, $(r .echo_end_ok) of $N echoes answered"
# the same session IDs and MACs on b as the subscribers hold
it_json b show pppoe session >"$IT_DIR/b_sessions.json"
[ "$(jq -c '[.sessions[] | [.mac, .session_id]] | sort' "$IT_DIR/b_sessions.json")" = \
	"$(r '[.sessions[] | [.[0], .[1]]] | sort' | jq -c .)" ] || it_fail "b's PPPoE sessions are not the subscribers'"
[ "$(jq '[.sessions[] | select(.ppp_state == "relaying")] | length' "$IT_DIR/b_sessions.json")" = "$N" ] ||
	it_fail "b: not $N sessions relaying"
# the echoes after the takeover went through b
[ "$(pppoe_json b | jq .relayed_to_lns)" -ge "$N" ] || it_fail "b relayed $(pppoe_json b | jq .relayed_to_lns) frames to the LNS"
[ "$(pppoe_json b | jq .relayed_to_subscriber)" -ge "$N" ] || it_fail "b relayed $(pppoe_json b | jq .relayed_to_subscriber) frames to subscribers"
# the LNS noticed nothing
cdn1=$(grep -c 'recv CDN\|recv StopCCN' "$IT_DIR/lns.log" || true)
[ "$cdn1" = "$cdn0" ] || it_fail "the LNS received $((cdn1 - cdn0)) CDN/StopCCN: $(grep 'recv CDN\|recv StopCCN' "$IT_DIR/lns.log" | head -n 3)"
[ "$(it_ppp_up lns)" = "$N" ] || it_fail "the LNS has $(it_ppp_up lns) subscribers up, not $N"
# discovery again once the rebuild is over: a new subscriber through b
ip netns exec "$NS_SUB" python3 "$SUB" acc0 1 --user "sub$((N + 1))@isp.example" \
	--password "pw$((N + 1))" --auth pap --mac-base 50000 --deadline 20 >"$IT_DIR/new.json" ||
	it_fail "new subscriber: generator failed"
[ "$(jq .up "$IT_DIR/new.json")" = 1 ] || it_fail "no new subscriber through b: $(jq -c 'del(.sessions)' "$IT_DIR/new.json")"
it_say "failover for $N subscribers: echo gap p50 $(r .echo_gap_ms_p50) ms, max $(r .echo_gap_ms_max) ms; b rebuilt in $(ha_get b .takeover_rebuild_ms) ms, resynced in $(ha_get b .resync_duration_ms) ms"
it_stop b
it_stop lns
it_pass
