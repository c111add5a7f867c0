#!/bin/bash
# kt-timeout: 240
# Kernel switching on our LAC (issue 12, item 4): two pppd subscribers with
# the pppoe.so plugin (one on acc0, one on the VLAN sub-interface acc0.100,
# IOS `interface acc0.100` / `encapsulation dot1Q 100`) dial our LAC
# (-d linux: the PPPoE sessions are the kernel's, LCP and PAP read on their
# channels), which tunnels them to our LNS (-d linux) with proxy LCP and
# authentication; once each call is up the LAC bridges the PPPoE channel to
# the call's PPPoL2TP channel (PPPIOCBRIDGECHAN).  Shown:
#  - both subscribers get an LNS pool address; pings go through both ways;
#  - the LAC relayed no frame (show pppoe summary: relayed 0 both ways,
#    2 calls bridged, the kernel's L2TP sessions counted the pings; its
#    session frame counters did not move during the pings: no frame of the
#    subscribers reached user space); show pppoe session: both "bridged",
#    switched by the kernel; /proc/net/pppoe lists both sessions;
#  - teardown: each pppd exits: its LCP Terminate-Request crosses the
#    bridge, the LNS clears the call (CDN), the LAC ends the PPPoE session
#    (PADT; or pppd's PADT, then the LAC's CDN, whichever comes first), and
#    on the LAC no
#    PPPoE session (/proc/net/pppoe), no kernel L2TP session, no /dev/ppp
#    fd, no channel or bridge in the daemon's data-path counts is left;
#  - before the teardown, `l2tpctl restart` of the LAC while both subscribers
#    ping the LNS every 20 ms: the PID changes, the new process adopts the
#    2 PPPoE sockets, their bridged channels and the calls' PPPoL2TP
#    sockets (6 of 6 descriptors), the sessions stay bridged in the kernel,
#    each subscriber has replies after it (gap and losses printed, a gap of
#    3 s fails), pppd neither renegotiates nor is terminated; the teardown
#    then shows the new process owns them.
# shellcheck disable=SC2317 # predicates called through it_wait
set -euo pipefail
. "$(dirname "$0")/lib.sh"
kt_init l2tpd_pppoe_bridge
it_require_cmd ip ping pppd jq
kt_require_modules l2tp_ppp ppp_generic pppox pppoe 8021q
compgen -G "/usr/lib/pppd/*/pppoe.so" >/dev/null || it_fail "pppd's pppoe.so plugin is missing (package ppp)"

LNS_PPP=10.200.255.254
it_two_hosts
it_netns NS_SUB sub
ip -n "$NS_LAC" link add acc0 type veth peer name acc0 netns "$NS_SUB" || it_fail "veth"
for ns in "$NS_LAC" "$NS_SUB"; do
	ip -n "$ns" link set acc0 up
	ip -n "$ns" link add link acc0 name acc0.100 type vlan id 100 ||
		it_fail "no 802.1Q sub-interface in $ns (kernel module 8021q)"
	ip -n "$ns" link set acc0.100 up
done

it_l2tpd lns "$NS_LNS" "$(it_conf_head lns1
printf 'username sub1@isp.example password pw1\nusername sub2@isp.example password pw2\n'
it_conf_template "$LNS_PPP" "pap chap"
it_conf_dialin 1 "$(it_conf_tunnel lns1 s3cret)")"
it_l2tpd lac "$NS_LAC" "$(it_conf_head lac1
printf 'vpdn-group LAC\n request-dialin\n  protocol l2tp\n  domain isp.example\n'
printf ' initiate-to ip %s\n%s\n' "$IT_LNS_ADDR" "$(it_conf_tunnel lac1 s3cret)"
cat <<-CONF
interface Virtual-Template1
 ppp authentication pap chap
bba-group pppoe global
 virtual-template 1
 ac name BRAS1
interface acc0
 pppoe enable group global
interface acc0.100
 encapsulation dot1Q 100
 pppoe enable group global
CONF
)"
it_log "l2tpd up on both sides"
it_grep_log lac 'pppoe: calls switched in the kernel \(Linux 6\.' || it_fail "the LAC did not say it switches calls in the kernel"

# two pppd with the pppoe.so plugin: sub1@isp.example on acc0, sub2 on the
# VLAN acc0.100
for i in 1 2; do kt_secret "sub$i@isp.example" "pw$i"; done
t0=$(it_now)
kt_pppoe_sub "$NS_SUB" pe1 acc0 sub1@isp.example
kt_pppoe_sub "$NS_SUB" pe2 acc0.100 sub2@isp.example
subs_up() { [ "$(kt_ppp_pairs "$NS_SUB" | wc -l)" = 2 ]; }
it_wait 60 subs_up || it_fail "$(kt_ppp_pairs "$NS_SUB" | wc -l) of 2 subscribers addressed after 60 s (LNS: $(it_ppp_up lns) PPP up)"
up_s=$(it_elapsed "$t0")
it_log "2 subscribers up in $up_s s"

# snap NAME: the LAC's pppoe summary, statistics and data path, in files
# (one l2tpctl call each: a process costs 35-65 ms under TCG, more on a busy host)
snap() {
	it_json lac show pppoe summary >"$IT_DIR/summary-$1.json" || it_fail "show pppoe summary failed"
	it_json lac show pppoe statistics >"$IT_DIR/stats-$1.json" || it_fail "show pppoe statistics failed"
	it_json lac show l2tp statistics | jq .data_path >"$IT_DIR/dp-$1.json" || it_fail "show l2tp statistics failed"
}
# v NAME FILTER: from the snapshot NAME (summary, then statistics, data path merged)
v() { jq -s -r ".[0] * .[1] * .[2] | $2" "$IT_DIR/summary-$1.json" "$IT_DIR/stats-$1.json" "$IT_DIR/dp-$1.json"; }
bridged_2() { [ "$(it_num lac .bridged_calls show pppoe summary)" = 2 ]; }
it_wait 10 bridged_2 || it_fail "$(it_num lac .bridged_calls show pppoe summary) calls bridged, not 2"
snap up
[ "$(v up .switching)" = kernel ] || it_fail "the LAC does not say it switches in the kernel"

# pings both ways on each subscriber's own interface
N_PING=5
while read -r ifc addr peer; do
	case $addr in 10.200.0.*) ;; *) it_fail "subscriber $ifc has $addr, not a pool address" ;; esac
	[ "$peer" = "$LNS_PPP" ] || it_fail "subscriber $ifc has peer $peer, not $LNS_PPP"
	ip netns exec "$NS_SUB" ping -n -q -c "$N_PING" -i 0.2 -W 2 -I "$ifc" "$LNS_PPP" >>"$IT_DIR/ping.log" 2>&1 ||
		it_fail "no ping from $addr ($ifc) to the LNS"
	kt_ping "$NS_LNS" "$addr" "$N_PING" || it_fail "no ping from the LNS to $addr"
done <<<"$(kt_ppp_pairs "$NS_SUB")"
it_log "pings both ways on both subscribers"

# the frames were the kernel's: none relayed, none read or sent by the daemon
snap ping
[ "$(v ping '"\(.relayed_to_lns) \(.relayed_to_subscriber)"')" = "0 0" ] ||
	it_fail "the LAC relayed frames: $(v ping '"\(.relayed_to_lns) up, \(.relayed_to_subscriber) down"')"
for k in rx_session_frames tx_session_frames; do
	[ "$(v ping ".$k")" = "$(v up ".$k")" ] || it_fail "$k of the LAC moved during the pings: $(v up ".$k") -> $(v ping ".$k")"
done
min=$((4 * N_PING))	# each way: our echo requests and the replies, on 2 subscribers
up=$(v ping .bridged_to_lns)
down=$(v ping .bridged_to_subscriber)
if [ "$up" -lt "$min" ] || [ "$down" -lt "$min" ]; then
	it_fail "bridged frames $up up, $down down: fewer than $min"
fi
[ "$(v ping '"\(.bridges) \(.pppoe_channels) \(.bridge_refused)"')" = "2 2 0" ] ||
	it_fail "LAC data path: $(jq -c . "$IT_DIR/dp-ping.json")"
it_json lac show pppoe session >"$IT_DIR/sessions.json" || it_fail "show pppoe session failed"
[ "$(jq '[.sessions[] | select(.ppp_state == "bridged" and .switching == "kernel" and .frames_to_lns >= 10 and .frames_to_subscriber >= 10)] | length' "$IT_DIR/sessions.json")" = 2 ] ||
	it_fail "show pppoe session: $(jq -c '[.sessions[] | {interface, ppp_state, switching, frames_to_lns, frames_to_subscriber}]' "$IT_DIR/sessions.json")"
[ "$(jq -r '[.sessions[].interface] | sort | join(" ")' "$IT_DIR/sessions.json")" = "acc0 acc0.100" ] ||
	it_fail "sessions not on acc0 and acc0.100: $(jq -c '[.sessions[].interface]' "$IT_DIR/sessions.json")"
pppoe_kernel() { ip netns exec "$NS_LAC" tail -n +2 /proc/net/pppoe | grep -c . || true; }
[ "$(pppoe_kernel)" = 2 ] || it_fail "/proc/net/pppoe on the LAC lists $(pppoe_kernel) sessions, not 2"
printf 'bench: VM (TCG) LAC kernel switching: 2 pppd PPPoE subscribers (one on 802.1Q) up in %s s; frames bridged %s to the LNS, %s to subscribers; relayed 0\n' \
	"$up_s" "$up" "$down"

# restart of the LAC (`l2tpctl restart`) while both subscribers ping the
# LNS every 20 ms: the new process adopts the PPPoE sockets, the bridged
# channels and the calls' PPPoL2TP sockets; the kernel's bridges stay
ifcs=()
while read -r ifc _ _; do ifcs+=("$ifc"); done <<<"$(kt_ppp_pairs "$NS_SUB")"
kt_pingers "$NS_SUB" "$LNS_PPP" rping- 0.02 "${ifcs[@]}"
sleep 2	# the baseline: gaps with no restart
kt_pppd_mark
kt_restart lac
tr0=$KT_RESTART_T0
tr1=$KT_RESTART_T1
sleep 2
kt_stop_pingers
sleep 0.5
it_grep_log lac "restart: took over 2 PPPoE sessions relayed into calls \(0 not rebuilt" ||
	it_fail "the new LAC did not take the 2 PPPoE sessions over"
it_grep_log lac "restart: the data path adopted 1 kernel tunnels, 2 sessions and 6 of 6 descriptors \(0 unclaimed" ||
	it_fail "the new LAC did not adopt the PPPoE sockets, channels and the calls' sockets"
it_json lac show pppoe session >"$IT_DIR/sessions-restart.json" || it_fail "show pppoe session failed"
[ "$(jq '[.sessions[] | select(.ppp_state == "bridged" and .switching == "kernel")] | length' "$IT_DIR/sessions-restart.json")" = 2 ] ||
	it_fail "after the restart: $(jq -c '[.sessions[] | {interface, ppp_state, switching}]' "$IT_DIR/sessions-restart.json")"
[ "$(pppoe_kernel)" = 2 ] || it_fail "after the restart /proc/net/pppoe lists $(pppoe_kernel) sessions, not 2"
[ "$(it_ppp_up lns)" = 2 ] || it_fail "after the restart the LNS has $(it_ppp_up lns) sessions up, not 2"
# the pings: lost (sequence numbers never answered between the first and
# the last reply) and the longest gap between replies; each got replies
# after the restart
read -r lost gap sent base <<<"$(kt_ping_loss "$tr0" "$IT_DIR"/rping-*.log)"
n=$(kt_replies_after "$tr1" "$IT_DIR"/rping-*.log)
[ "$n" = 0 ] || it_fail "$n of 2 subscribers got no ping reply after the restart"
awk -v g="$gap" 'BEGIN { exit !(g < 3) }' || it_fail "a gap of $gap s between ping replies; $lost of $sent lost"
# pppd renegotiated nothing, was not terminated
bad=$(kt_pppd_renegotiated)
[ -z "$bad" ] || it_fail "pppd renegotiated or was terminated after the restart: $(printf '%s' "$bad" | tr '\n' ';')"
printf 'bench: VM (TCG) LAC restart with 2 bridged PPPoE subscribers: longest gap between ping replies %s s (20 ms pings; %s s before the restart), %s of %s pings lost, command %.2f s\n' \
	"$gap" "$base" "$lost" "$sent" "$(awk -v a="$tr0" -v b="$tr1" 'BEGIN { print b - a }')"
# the frames are still the kernel's: nothing relayed by the new process
it_json lac show pppoe summary >"$IT_DIR/summary-restart.json" || it_fail "show pppoe summary failed"
[ "$(jq -r '"\(.relayed_to_lns) \(.relayed_to_subscriber)"' "$IT_DIR/summary-restart.json")" = "0 0" ] ||
	it_fail "the new LAC relays frames: $(jq -c . "$IT_DIR/summary-restart.json")"

# teardown: each pppd exits (PADT): calls cleared, nothing left on the LAC
kill "${KT_PPPD[pe1]}" "${KT_PPPD[pe2]}"
pppd_gone() { ! kill -0 "${KT_PPPD[pe1]}" 2>/dev/null && ! kill -0 "${KT_PPPD[pe2]}" 2>/dev/null; }
it_wait 20 pppd_gone || it_fail "pppd did not exit on SIGTERM"
sessions_none() { [ "$(it_json "$1" show l2tp session | jq "[$IT_JQ_ROWS] | length")" = 0 ]; }
for d in lac lns; do
	it_wait 30 sessions_none "$d" || it_fail "l2tpd $d still has a session after pppd exited"
done
pppoe_none() { [ "$(it_num lac .total_sessions show pppoe summary)" = 0 ]; }
it_wait 10 pppoe_none || it_fail "the LAC still has PPPoE sessions"
snap end
[ "$(v end '.sessions_ended_padt + .sessions_ended_local')" = 2 ] ||
	it_fail "PPPoE sessions ended: $(v end '"\(.sessions_ended_padt) by PADT, \(.sessions_ended_local) by the LAC"'), not 2"
[ "$(pppoe_kernel)" = 0 ] || it_fail "/proc/net/pppoe on the LAC still lists $(pppoe_kernel) sessions"
[ "$(kt_l2tp_count "$NS_LAC" session)" = 0 ] || it_fail "kernel L2TP sessions left on the LAC"
[ "$(v end '"\(.bridges) \(.pppoe_channels) \(.bridge_open) \(.pppoe_close) \(.errors)"')" = "0 0 2 2 0" ] ||
	it_fail "LAC data path after teardown: $(jq -c . "$IT_DIR/dp-end.json")"
ppp_fds=$(find "/proc/${IT_DPID[lac]}/fd" -lname /dev/ppp 2>/dev/null | wc -l)
[ "$ppp_fds" = 0 ] || it_fail "the LAC still holds $ppp_fds /dev/ppp fds"
it_wait 20 kt_no_ppp "$NS_LNS" || it_fail "ppp interfaces left on the LNS: $(kt_ppp_ifaces "$NS_LNS" | tr '\n' ' ')"
it_alive lac || it_fail "l2tpd lac died"
it_alive lns || it_fail "l2tpd lns died"
it_log "pppd gone: calls cleared, no PPPoE session, channel or bridge left"
it_pass
