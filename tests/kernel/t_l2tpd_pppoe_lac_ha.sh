#!/bin/bash
# Hot standby on the LAC, kernel data path: two pppd subscribers with the
# pppoe.so plugin dial an HA pair of our LAC (boxes a and b, `-d linux`:
# each PPPoE session is the kernel's, bridged to its call's PPPoL2TP
# channel, PPPIOCBRIDGECHAN), which tunnels them from the pair's virtual
# address (VIP) to our LNS (`-d linux`).  Each subscriber pings the LNS
# every 20 ms.  Box a dies (frozen, both its links unplugged, SIGKILL); the
# harness moves the VIP to b as keepalived would (there is no keepalived
# in the VM); b takes over.
# The access side: each box's access port is vrrp.51 with the pair's
# virtual MAC, as keepalived's use_vmac interface (kt_access_segment); the
# daemons' access interface is vrrp.51, so every PPPoE socket is bound to
# it and every frame leaves with the shared MAC; the standby opens no
# access port and so sends nothing from it.
# Asserted:
#  1. the standby b holds both PPPoE sessions (checkpointed) and no kernel
#     PPPoE session, tunnel or bridge of its own;
#  2. after the kill, every subscriber's pings are answered again (through
#     b), within KT_LACHA_GAP_MAX seconds (default 20) of the last reply
#     before it;
#  3. b rebuilt both PPPoE sessions in the kernel (/proc/net/pppoe: the same
#     session IDs and subscriber MACs, on vrrp.51), bridged to the rebuilt
#     calls (2 bridges), and resynchronised its tunnel with the LNS;
#  4. nothing renegotiated: the same pppd processes, each with one PPPoE
#     session ("PPP session is N" once in its log: b's session ID) and no
#     discovery frame or LCP/IPCP negotiation in its log after the kill; b
#     received no PADI or PADR; under the bridge pppd's only LCP peer is
#     the LNS, which logs no LCP/IPCP Configure or Terminate after the kill
#     and keeps getting pppd's replies to its LCP Echo-Requests (keepalive 1:
#     they cross b's bridge both ways) in state Opened;
#  5. the LNS received no CDN and no StopCCN, and still has both sessions
#     with the same IDs.
# Prints a `bench:` line: the longest gap between replies and the pings lost.
#
# Topology (it_ha_segment, kt_access_segment):
#   kt-a, kt-b eth0 192.0.2.1, .2 (+ VIP 192.0.2.10), checkpoint 10.99.0.x;
#              vrrp.51 (00:00:5e:00:01:33) on br1
#   kt-lns     eth0 192.0.2.100: our LNS
#   kt-sub     acc0, acc1 on br1: a pppd each
# kt-timeout: 300
# shellcheck disable=SC2317 # predicates called through it_wait
set -euo pipefail
. "$(dirname "$0")/lib.sh"
kt_init l2tpd_pppoe_lac_ha
it_require_cmd ip ping pppd jq
kt_require_modules l2tp_ppp ppp_generic pppox pppoe bridge
compgen -G "/usr/lib/pppd/*/pppoe.so" >/dev/null || it_fail "pppd's pppoe.so plugin is missing (package ppp)"

N=2
GAP_MAX=${KT_LACHA_GAP_MAX:-20}
LNS_PPP=10.200.255.254
VIP=$IT_HA_VIP

it_ha_segment NS_LNS lns
it_netns NS_SUB sub
kt_access_segment "$NS_SUB" "$N" "$NS_A" "$NS_B"

it_l2tpd lns "$NS_LNS" "$(it_conf_head lns1
for ((i = 1; i <= N; i++)); do
	printf 'username sub%d@isp.example password pw%d\n' "$i" "$i"
done
it_conf_template "$LNS_PPP" "pap chap" " keepalive 1 10"
it_conf_dialin 1 "$(it_conf_tunnel lns1 s3cret 2)")"
it_ctl lns debug l2tp packet >/dev/null || it_fail "debug l2tp packet refused by the LNS"
# lac_conf BOX: a box of the LAC pair.
lac_conf() {
	local other=a
	[ "$1" = a ] && other=b
	it_conf_head "lac-$1"
	echo "vpdn source-ip $VIP"
	it_conf_redundancy "${IT_HA_CKPT[$1]}" "${IT_HA_CKPT[$other]}" "$VIP" " checkpoint security none"
	printf 'vpdn-group LAC\n request-dialin\n  protocol l2tp\n  domain isp.example\n'
	printf ' initiate-to ip %s\n%s\n' "$IT_HA_PEER_ADDR" "$(it_conf_tunnel lac1 s3cret 2)"
	cat <<-CONF
	interface Virtual-Template1
	 ppp authentication pap chap
	bba-group pppoe global
	 virtual-template 1
	 ac name BRAS1
	interface vrrp.51
	 pppoe enable group global
	CONF
}
it_l2tpd a "$NS_A" "$(lac_conf a)"
it_l2tpd b "$NS_B" "$(lac_conf b)"
kt_ha_take_vip "$NS_A" || true
kt_ha_state a master
it_wait 10 it_ha_is a active || it_fail "a is not active: $(it_ha_summary a)"
kt_ha_state b backup
in_sync_empty() { it_ha_standby_has b 0 0; }
it_wait 15 in_sync_empty || it_fail "b is not an in-sync standby: b: $(it_ha_summary b); a: $(it_ha_summary a)"
it_log "a active on the VIP, b standby in sync"

# The subscribers: sub1 on acc0, sub2 on acc1, as subI@isp.example (the
# domain selects the LAC's group), password pwI.
t0=$(it_now)
for ((i = 1; i <= N; i++)); do
	kt_secret "sub$i@isp.example" "pw$i"
	kt_pppoe_sub "$NS_SUB" "pe$i" "acc$((i - 1))" "sub$i@isp.example"
done
subs_up() { [ "$(kt_ppp_pairs "$NS_SUB" | wc -l)" = "$N" ]; }
it_wait 60 subs_up || it_fail "$(kt_ppp_pairs "$NS_SUB" | wc -l) of $N subscribers addressed after 60 s (LNS: $(it_ppp_up lns) PPP up)"
it_log "$N subscribers up through a in $(it_elapsed "$t0") s"

pppoe_json() { it_json "$1" show pppoe summary; }
dp_json() { it_json "$1" show l2tp statistics | jq -c .data_path; }
bridged() { [ "$(dp_json "$1" | jq .bridges)" = "$2" ]; }
it_wait 10 bridged a "$N" || it_fail "a bridges $(dp_json a | jq .bridges) calls, not $N: $(dp_json a)"
holds() { [ "$(pppoe_json b | jq .checkpointed_sessions)" = "$N" ] && it_ha_standby_has b 1 "$N"; }
it_wait 20 holds || it_fail "the standby b holds $(pppoe_json b | jq .checkpointed_sessions) PPPoE sessions: $(it_ha_summary b)"
# 1. ... and nothing of its own in the kernel
pppoe_kernel() { ip netns exec "$1" tail -n +2 /proc/net/pppoe | awk '{ print $1, tolower($2), $3 }' | sort; }
[ -z "$(pppoe_kernel "$NS_B")" ] || it_fail "the standby b has kernel PPPoE sessions: $(pppoe_kernel "$NS_B")"
[ "$(kt_l2tp_count "$NS_B" tunnel)" = 0 ] || it_fail "the standby b has kernel tunnels"
pppoe_kernel "$NS_A" >"$IT_DIR/a-pppoe.txt"
[ "$(wc -l <"$IT_DIR/a-pppoe.txt")" = "$N" ] || it_fail "a's /proc/net/pppoe: $(tr '\n' ';' <"$IT_DIR/a-pppoe.txt")"
grep -qv ' vrrp\.51$' "$IT_DIR/a-pppoe.txt" && it_fail "a's PPPoE sessions are not all on vrrp.51: $(tr '\n' ';' <"$IT_DIR/a-pppoe.txt")"
it_json lns show l2tp session | jq -r "$IT_JQ_ROWS | \"\(.tunnel_id) \(.local_session_id) \(.remote_session_id) \(.interface) \(.peer_ip)\"" | sort >"$IT_DIR/lns-sessions-0.txt"
[ "$(wc -l <"$IT_DIR/lns-sessions-0.txt")" = "$N" ] || it_fail "the LNS has not $N sessions: $(tr '\n' ';' <"$IT_DIR/lns-sessions-0.txt")"
it_log "b holds $N PPPoE sessions; a's in the kernel: $(tr '\n' ';' <"$IT_DIR/a-pppoe.txt")"

# Each pppd: pid, interface, PPPoE session ID.
declare -A sid=()
ifcs=()
for ((i = 1; i <= N; i++)); do
	{ read -r p && read -r ifc; } </run/ppp-pe$i.pid || it_fail "no pid and interface in /run/ppp-pe$i.pid"
	[ "$p" = "${KT_PPPD[pe$i]}" ] || it_fail "pe$i: pid file says $p, not ${KT_PPPD[pe$i]}"
	ifcs+=("$ifc")
	sid[$i]=$(sed -n 's/.*PPP session is \([0-9]*\).*/\1/p' "$IT_DIR/pe$i-pppd.log")
	[ -n "${sid[$i]}" ] || it_fail "pe$i's log names no PPPoE session"
done
kt_pingers "$NS_SUB" "$LNS_PPP" ping-pe 0.02 "${ifcs[@]}"
# replies_after T: how many subscribers have no ping reply printed after T.
replies_after() { kt_replies_after "$1" "$IT_DIR"/ping-pe*.log; }
all_replied_after() { [ "$(replies_after "$1")" = 0 ]; }
tp=$EPOCHREALTIME
it_wait 10 all_replied_after "$tp" || it_fail "$(replies_after "$tp") of $N subscribers get no ping reply through a"
wc -l "$IT_DIR"/pe*-pppd.log | awk '$2 != "total"' >"$IT_DIR/marks.txt"
cdn0=$(grep -c 'recv CDN\|recv StopCCN' "$IT_DIR/lns.log" || true)
# the LNS's LCP, seen in its log (debug l2tp packet): echoes answered
# lns_echoes_after LINE: the LNS sessions with an LCP Echo-Reply from pppd
# logged after line LINE.
lns_echoes_after() {
	awk -v m="$1" 'NR > m && /LCP: received Echo-Reply .* in Opened/ { s = $0; sub(/.*session /, "", s); sub(/:.*/, "", s); ok[s] = 1 }
		END { for (x in ok) n++; print n + 0 }' "$IT_DIR/lns.log"
}
lns_echoes_all() { [ "$(lns_echoes_after "$1")" = "$N" ]; }
it_wait 10 lns_echoes_all 0 || it_fail "the LNS got LCP Echo-Replies on $(lns_echoes_after 0) of $N sessions through a"
it_log "every subscriber pings the LNS through a"

# Box a dies: frozen, both links unplugged, SIGKILL; b takes the VIP.
tk=$EPOCHREALTIME
kill -STOP "${IT_DPID[a]}"
ip -n "$NS_A" link del eth0
ip -n "$NS_A" link del vrrp.51
# from here on, a's kernel bridges nothing: what the LNS logs came through b
lnsmark=$(wc -l <"$IT_DIR/lns.log")
kill -KILL "${IT_DPID[a]}"
wait "${IT_DPID[a]}" 2>/dev/null || true
unset "IT_DPID[a]"
kt_ha_take_vip "$NS_B" || true
tm=$EPOCHREALTIME
it_wait 10 it_ha_is b active || it_fail "b is not active: $(it_ha_summary b)"
kt_ha_state b master
it_log "a killed; b active and told master"

# 2. pings answered again on every session
it_wait "$GAP_MAX" all_replied_after "$tm" ||
	it_fail "$(replies_after "$tm") of $N subscribers get no ping reply $GAP_MAX s after the VIP moved; b: $(it_ha_summary b); pppoe: $(pppoe_json b | jq -c .)"
back=$(awk -v k="$tk" -v t="$tm" '/ bytes from / { ts = substr($1, 2, length($1) - 2) + 0; if (ts > t && !(FILENAME in f)) f[FILENAME] = ts }
	END { m = 0; for (x in f) if (f[x] - k > m) m = f[x] - k; printf "%.2f", m }' "$IT_DIR"/ping-pe*.log)
it_log "pings answered through b, on every session $back s after the kill"
# 3. the kernel's PPPoE sessions and bridges rebuilt on b; tunnel resynced
it_wait 30 it_ha_resync_done b 0 0 1 || it_fail "resync not done on b: $(it_ha_summary b)"
[ "$(it_ha_red b | jq .resynced_tunnels.fail)" = 0 ] || it_fail "b failed to resync: $(it_ha_summary b)"
pppoe_kernel "$NS_B" >"$IT_DIR/b-pppoe.txt"
diff -q "$IT_DIR/a-pppoe.txt" "$IT_DIR/b-pppoe.txt" >/dev/null ||
	it_fail "b's kernel PPPoE sessions are not a's: a: $(tr '\n' ';' <"$IT_DIR/a-pppoe.txt") b: $(tr '\n' ';' <"$IT_DIR/b-pppoe.txt")"
[ "$(dp_json b | jq -r '"\(.bridges) \(.pppoe_channels) \(.bridge_refused)"')" = "$N $N 0" ] ||
	it_fail "b's data path: $(dp_json b)"
pppoe_json b >"$IT_DIR/b-summary.json"
it_json b show pppoe session >"$IT_DIR/b-sessions.json" || it_fail "show pppoe session failed on b"
[ "$(jq -r '"\(.total_sessions) \(.restored_sessions) \(.bridged_calls) \(.relayed_to_lns) \(.relayed_to_subscriber)"' "$IT_DIR/b-summary.json")" = "$N $N $N 0 0" ] ||
	it_fail "b's pppoe summary: $(jq -c . "$IT_DIR/b-summary.json")"
it_log "b rebuilt the kernel PPPoE sessions and bridges: $(tr '\n' ';' <"$IT_DIR/b-pppoe.txt")"

# a few seconds of pings and LCP echoes through b, then the figures
it_wait 10 lns_echoes_all "$lnsmark" ||
	it_fail "the LNS got LCP Echo-Replies through b on $(lns_echoes_after "$lnsmark") of $N sessions"
sleep 2
kt_stop_pingers
sleep 0.5
read -r gap lost got <<<"$(kt_ping_gaps "$IT_DIR"/ping-pe*.log)"
awk -v g="$gap" -v m="$GAP_MAX" 'BEGIN { exit !(g < m) }' || it_fail "longest gap between ping replies $gap s (bound $GAP_MAX s)"

# 4. pppd renegotiated nothing
for ((i = 1; i <= N; i++)); do
	kill -0 "${KT_PPPD[pe$i]}" 2>/dev/null || it_fail "pe$i's pppd died"
	[ "$(grep -c 'PPP session is' "$IT_DIR/pe$i-pppd.log")" = 1 ] || it_fail "pe$i's pppd opened another PPPoE session"
	jq -e --argjson s "${sid[$i]}" '[.sessions[] | select(.session_id == $s)] | length == 1' "$IT_DIR/b-sessions.json" >/dev/null ||
		it_fail "pe$i's PPPoE session ${sid[$i]} is not on b: $(jq -c '[.sessions[] | [.session_id, .mac]]' "$IT_DIR/b-sessions.json")"
done
bad=$(awk 'FILENAME == ARGV[1] { m[$2] = $1; next }
	FNR <= m[FILENAME] { next }
	{ f = FILENAME; sub(/.*\//, "", f) }
	/PPPOE Discovery|PAD[IORST]|ConfReq|ConfAck|ConfNak|ConfRej|TermReq|TermAck|LCP terminated|Terminating|[Hh]angup|Connect time|echo-requests/ {
		print f ": " $0; next }' "$IT_DIR/marks.txt" "$IT_DIR"/pe*-pppd.log | head -n 3)
[ -z "$bad" ] || it_fail "pppd renegotiated or terminated after the kill: $(printf '%s' "$bad" | tr '\n' ';')"
[ "$(it_json b show pppoe statistics | jq -r '"\(.rx_padi) \(.rx_padr)"')" = "0 0" ] ||
	it_fail "b received discovery: $(it_json b show pppoe statistics | jq -c '{rx_padi, rx_padr}')"
bad=$(awk -v m="$lnsmark" 'NR > m && /(LCP|IPCP): (sent|received) (Configure|Terminate)|LCP from the LAC.s proxy/' "$IT_DIR/lns.log" | head -n 3)
[ -z "$bad" ] || it_fail "the LNS negotiated after the kill: $(printf '%s' "$bad" | tr '\n' ';')"
it_log "no renegotiation: the same pppd, PPPoE sessions ${sid[*]}, the LNS's LCP open and echoing through b"

# 5. the LNS saw nothing
cdn1=$(grep -c 'recv CDN\|recv StopCCN' "$IT_DIR/lns.log" || true)
[ "$cdn1" = "$cdn0" ] || it_fail "the LNS received $((cdn1 - cdn0)) CDN/StopCCN: $(grep 'recv CDN\|recv StopCCN' "$IT_DIR/lns.log" | tail -n 2 | tr '\n' ' ')"
grep -q 'recv ' "$IT_DIR/lns.log" || it_fail "the LNS logs no received message (debug l2tp packet)"
it_json lns show l2tp session | jq -r "$IT_JQ_ROWS | \"\(.tunnel_id) \(.local_session_id) \(.remote_session_id) \(.interface) \(.peer_ip)\"" | sort >"$IT_DIR/lns-sessions-1.txt"
diff -q "$IT_DIR/lns-sessions-0.txt" "$IT_DIR/lns-sessions-1.txt" >/dev/null ||
	it_fail "the LNS's sessions changed: $(tr '\n' ';' <"$IT_DIR/lns-sessions-0.txt") -> $(tr '\n' ';' <"$IT_DIR/lns-sessions-1.txt")"
it_alive b || it_fail "l2tpd b died"
it_alive lns || it_fail "l2tpd lns died"
rebuild=$(it_ha_red b | jq -r '.takeover_rebuild_ms // "none"')
printf 'bench: VM (TCG) LAC failover, kernel switching: %s pppd PPPoE subscribers pinging every 20 ms: pings back %s s after the kill (the harness moves the VIP), longest gap %s s, %s of %s pings lost; rebuild %s ms\n' \
	"$N" "$back" "$gap" "$lost" "$((got + lost))" "$rebuild"
it_pass
