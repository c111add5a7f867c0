# shellcheck shell=bash
# PPPoE subscribers through an HA pair of our LAC (boxes a and b) to an HA
# pair of our LNS (boxes c and d: ha_lib.sh's second pair): the scenarios
# t_pppoe_lac_ha.sh (idle failovers of either end, failback) and
# t_pppoe_kill_ha.sh (kill points: mid-discovery, mid-resync).  Sources
# ha_lib.sh; N is the number of subscribers.
#
# The access side: a second bridge (br1, in the bridge namespace) joins the
# subscribers' namespace NS_SUB and an interface acc0 of each LAC box.  The
# pair shares keepalived's virtual MAC (PH_VMAC, 00:00:5e:00:01:33): a
# second VRRP instance VI_ACC on acc0 with use_vmac (VRID 51, an address
# of 198.51.100.0/24 on each acc0) makes the macvlan vrrp.51 with that MAC on both
# boxes, and the LAC's access interface is vrrp.51.  PH_USE_VMAC=0: the
# MAC set by hand on both boxes' acc0 instead.  br1 floods every frame
# (ageing 0) so that it need not learn the MAC's move: a standby hears the
# subscribers but opens no access port until its takeover, so it says
# nothing from the shared MAC (ph_vmac_tx counts what left it).
#
# What the assertions read: show pppoe summary (checkpointed_sessions,
# total_sessions, restored_sessions, relayed_to_lns, relayed_to_subscriber,
# redundancy_role), show pppoe session (sessions[].{mac, session_id,
# ppp_state}), show l2tp redundancy (resynced_tunnels.success,
# resync_in_progress, takeover_rebuild_ms, resync_duration_ms), and the LNS
# boxes' packet logs ("recv CDN", "recv StopCCN").

# shellcheck source=../integration/ha_lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/ha_lib.sh"

PH_SUB=$(dirname "${BASH_SOURCE[0]}")/pppoe_sub.py
PH_VMAC=00:00:5e:00:01:33
PH_USE_VMAC=${PH_USE_VMAC:-1}
declare -A PH_ACC_ADDR=([a]=198.51.100.1 [b]=198.51.100.2)

# ph_acc_if: the LAC's access interface.
ph_acc_if() {
	if [ "$PH_USE_VMAC" = 1 ]; then echo vrrp.51; else echo acc0; fi
}

# ph_vmac_instance BOX: keepalived's access instance of a LAC box.  No
# notify script and no sync group: only VI_1 tells the daemon its role (a
# sync group's start-up notifies raced VI_1's and left the first active
# demoted); a box dies whole, so both instances move together.
ph_vmac_instance() {
	cat <<-EOF
	vrrp_instance VI_ACC {
		state BACKUP
		interface acc0
		use_vmac
		version 3
		virtual_router_id 51
		priority ${HA_PRIO[$1]}
		advert_int ${HA_ADVERT_INT:-0.05}
		nopreempt
		virtual_ipaddress {
			198.51.100.10/24
		}
	}
	EOF
}

# ph_vmac_tx BOX: frames sent from BOX's vrrp.51 so far.
ph_vmac_tx() {
	ip -n "${HA_NS[$1]}" -s -j link show vrrp.51 | jq '.[0].stats64.tx.packets'
}

# pppoe_ha_topology: the HA segment with both pairs, and the access bridge.
pppoe_ha_topology() {
	local box ns
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
		if [ "$box" != sub ] && [ "$PH_USE_VMAC" = 1 ]; then
			ip -n "$ns" addr add "${PH_ACC_ADDR[$box]}/24" dev acc0
			HA_KA_EXTRA[$box]=$(ph_vmac_instance "$box")
		elif [ "$box" != sub ]; then
			ip -n "$ns" link set acc0 address "$PH_VMAC"
		fi
		ip -n "$ns" link set acc0 up
	done
}

# pppoe_ha_lns_conf BOX: a box of the LNS pair (c or d), users
# sub1..sub(N+1)@isp.example.
pppoe_ha_lns_conf() {
	local i
	ha_conf_lns "$1" "" 1
	for ((i = 1; i <= N + 1; i++)); do
		printf 'username sub%d@isp.example password pw%d\n' "$i" "$i"
	done
	it_conf_template 10.200.255.254 "pap" "" 10.200.7.254
}

# pppoe_ha_lac_conf BOX: a box of the LAC pair (a or b): PPPoE on acc0, the
# domain isp.example tunnelled to the LNS pair's VIP.
pppoe_ha_lac_conf() {
	it_conf_head "lac-$1"
	ha_conf_redundancy "$1"
	printf 'vpdn-group LAC\n request-dialin\n  protocol l2tp\n  domain isp.example\n'
	printf ' initiate-to ip %s\n%s\n l2tp tunnel resync 20\n' "$HA_VIP2" \
		"$(it_conf_tunnel lac1 "$HA_SECRET" "$HA_HELLO")"
	cat <<-EOF
	interface Virtual-Template1
	 ppp authentication pap
	bba-group pppoe global
	 virtual-template 1
	 ac name BRAS1
	interface $(ph_acc_if)
	 pppoe enable group global
	pppoe rate-limit padi total 4000
	EOF
}

# pppoe_ha_pair_up X Y CONF_FN: X active on its VIP, Y its standby.
pppoe_ha_pair_up() {
	ha_keys "$1" "$2"
	ha_box_start "$1" "$($3 "$1")"
	it_wait 10 ha_is_active_on_vip "$1" || ha_fail "box $1 not active on its VIP: $(it_ha_summary "$1")"
	ha_start_standby "$2" "$($3 "$2")"
}

# pppoe_ha_up: both pairs: c active, d standby (packet logs on both); a
# active, b standby.
pppoe_ha_up() {
	local box
	pppoe_ha_pair_up c d pppoe_ha_lns_conf
	for box in c d; do
		it_ctl "$box" debug l2tp packet >/dev/null || it_fail "debug l2tp packet refused by $box"
	done
	pppoe_ha_pair_up a b pppoe_ha_lac_conf
}

pppoe_json() { it_json "$1" show pppoe summary; }
# ph_standby_holds BOX N: BOX holds N checkpointed PPPoE sessions.
ph_standby_holds() { [ "$(pppoe_json "$1" | jq '.checkpointed_sessions')" = "$2" ]; }
# ph_serves BOX N: BOX serves N PPPoE sessions, all rebuilt at its takeover.
ph_serves() {
	pppoe_json "$1" | jq -e --argjson n "$2" '.total_sessions == $n and .restored_sessions == $n' >/dev/null
}
# ph_resynced BOX: BOX resynchronised its tunnels and none is still resyncing.
ph_resynced() {
	[ "$(ha_get "$1" .resynced_tunnels.success)" -ge 1 ] && [ "$(ha_get "$1" .resync_in_progress)" = false ]
}
# ph_resyncing BOX: a resync is running on BOX.
ph_resyncing() { [ "$(ha_get "$1" .resync_in_progress)" = true ]; }
# ph_lns_torn: CDNs and StopCCNs either LNS box received so far.
ph_lns_torn() { cat "$IT_DIR"/c*.log "$IT_DIR"/d*.log | grep -c 'recv CDN\|recv StopCCN' || true; }
# ph_relayed_both BOX: BOX relayed at least one frame per subscriber each way.
ph_relayed_both() {
	pppoe_json "$1" | jq -e --argjson n "$N" '.relayed_to_lns >= $n and .relayed_to_subscriber >= $n' >/dev/null
}
# ph_pairs BOX: BOX's PPPoE sessions as a sorted JSON list of [mac, id].
ph_pairs() {
	it_json "$1" show pppoe session | jq -c '[.sessions[] | [.mac, .session_id]] | sort'
}

# ph_takeover DEAD NEW [KILL]: box DEAD dies (by KILL, default
# ha_kill_box); NEW becomes active on the VIP and has resynchronised; the
# times printed.  Then, for a LAC box: NEW serves N PPPoE sessions, each
# relaying.
ph_takeover() {
	local t0 what=LNS
	t0=$(it_now)
	ha_kill_box "$1"
	it_wait 15 ha_is_active_on_vip "$2" || ha_fail "box $2 did not take over: $(it_ha_summary "$2")"
	case $2 in a | b)
		what=LAC
		it_wait 15 ph_serves "$2" "$N" ||
			it_fail "$2 serves $(pppoe_json "$2" | jq -c '{total_sessions, restored_sessions}'), not $N"
		;;
	esac
	it_wait 30 ph_resynced "$2" || ha_fail "$2's tunnels did not resync: $(it_ha_summary "$2")"
	it_say "$what takeover: $2 active and resynchronised $(it_elapsed "$t0") s after the kill: rebuilt in $(ha_get "$2" .takeover_rebuild_ms) ms, resynced in $(ha_get "$2" .resync_duration_ms) ms"
	[ "$what" = LAC ] || return 0
	[ "$(it_json "$2" show pppoe session | jq '[.sessions[] | select(.ppp_state == "relaying")] | length')" = "$N" ] ||
		it_fail "$2: not $N sessions relaying"
}

# ph_subs FILE ARGS...: the N subscribers in the background (pid in
# PH_SUBS_PID), their summary in FILE.
ph_subs() {
	local out=$1
	shift
	ip netns exec "$NS_SUB" python3 "$PH_SUB" acc0 "$N" --user 'sub{n}@isp.example' --password 'pw{n}' \
		--auth pap "$@" >"$out" 2>"$out.err" &
	# shellcheck disable=SC2034 # read by the scenarios
	PH_SUBS_PID=$!
}

# ph_subs_check FILE: every subscriber of FILE was up to the end: no PADT,
# no LCP Terminate, no second LCP negotiation, no discovery once up, a last
# echo answered by each.
ph_subs_check() {
	local f=$1
	r() { jq -r "$1" "$f"; }
	it_say "subscribers: $(jq -c 'del(.sessions, .addresses, .states, .sids_seen)' "$f")"
	[ "$(r .up)" = "$N" ] || it_fail "$(r .up) of $N subscribers up: $(r .states)"
	[ "$(r .padt_rx)" = 0 ] || it_fail "$(r .padt_rx) subscribers got a PADT"
	[ "$(r .term_rx)" = 0 ] || it_fail "subscribers got $(r .term_rx) LCP Terminate-Requests"
	[ "$(r .lcp_after_auth)" = 0 ] || it_fail "subscribers saw $(r .lcp_after_auth) LCP Configure-Requests after authentication"
	[ "$(r .disc_tx_after_up)" = 0 ] || it_fail "subscribers dialled again $(r .disc_tx_after_up) times once up"
	[ "$(r .echo_end_ok)" = "$N" ] || it_fail "at the end, $(r .echo_end_ok) of $N echoes answered"
}

# ph_new_subscriber BOX: one more subscriber dials through BOX.
ph_new_subscriber() {
	ip netns exec "$NS_SUB" python3 "$PH_SUB" acc0 1 --user "sub$((N + 1))@isp.example" \
		--password "pw$((N + 1))" --auth pap --mac-base 50000 --deadline 20 >"$IT_DIR/new.json" ||
		it_fail "new subscriber: generator failed"
	[ "$(jq .up "$IT_DIR/new.json")" = 1 ] || it_fail "no new subscriber through $1: $(jq -c 'del(.sessions)' "$IT_DIR/new.json")"
}
