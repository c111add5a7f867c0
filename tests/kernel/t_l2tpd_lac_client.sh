#!/bin/bash
# Our LAC in client mode hands the session's PPPoL2TP socket to pppd (its
# pppol2tp plugin), which reaches our LNS; ping across (issue 3, item 4).
# Then `l2tpctl clear l2tp tunnel id N` on the LAC: pppd exits and nothing
# is left (no kernel tunnel/session, no pppN) on either side.
# shellcheck disable=SC2317 # predicates called through it_wait
set -euo pipefail
. "$(dirname "$0")/lib.sh"
kt_init l2tpd_lac_client
it_require_cmd ip ping pppd jq
kt_require_modules l2tp_ppp ppp_generic pppox
kt_require_pppol2tp

LNS_PPP=10.200.255.254
it_two_hosts

it_l2tpd lns "$NS_LNS" "$(it_conf_head lns
it_conf_template "$LNS_PPP" "ms-chap-v2 chap pap" " mtu 1400"
it_conf_dialin 1 " l2tp tunnel hello 60"
echo "username alice password wonderland")"
it_l2tpd lac "$NS_LAC" "$(it_conf_head lac
it_conf_dialout "$IT_LNS_ADDR" " local name lac
 l2tp tunnel hello 60")"
it_log "l2tpd up on both sides; dialling"

t0=$(it_now)
it_ctl lac test vpdn dial vpdn-group LAC sessions 1 username alice password wonderland \
	>"$IT_DIR/dial.out" 2>&1 || it_fail "test vpdn dial refused: $(tr '\n' ' ' <"$IT_DIR/dial.out")"
lac_up() { [ "$(kt_ppp_pairs "$NS_LAC" | wc -l)" = 1 ]; }
it_wait 60 lac_up || it_fail "no addressed ppp interface in the LAC namespace after 60 s (LNS: $(it_ppp_up lns) PPP up)"
it_log "pppd's link up in $(it_elapsed "$t0") s"
read -r ifc addr peer < <(kt_ppp_pairs "$NS_LAC")
case $addr in 10.200.0.*) ;; *) it_fail "pppd's $ifc has $addr, not a pool address" ;; esac
[ "$peer" = "$LNS_PPP" ] || it_fail "pppd's $ifc has peer $peer, not $LNS_PPP"
it_grep_log_case lac 'pppd [0-9]+ started' || it_fail "the LAC did not log pppd's start"
pppd_pid=$(grep -Eo 'pppd [0-9]+ started' "$IT_DIR/lac.log" | head -1 | awk '{ print $2 }')
kill -0 "$pppd_pid" 2>/dev/null || it_fail "pppd $pppd_pid is not running"
kt_ping "$NS_LAC" "$LNS_PPP" || it_fail "no ping from $addr ($ifc) to the LNS's $LNS_PPP"
kt_ping "$NS_LNS" "$addr" || it_fail "no ping from the LNS to $addr"
it_log "$ifc $addr <-> $LNS_PPP: pings both ways"

# pppd going first: its exit clears the session (CDN) on both sides.
kill "$pppd_pid"
pppd_gone() { ! kill -0 "$1" 2>/dev/null; }
it_wait 20 pppd_gone "$pppd_pid" || it_fail "pppd $pppd_pid did not exit on SIGTERM"
sessions_none() { [ "$(it_json "$1" show l2tp session | jq "[$IT_JQ_ROWS] | length")" = 0 ]; }
for d in lac lns; do
	it_wait 30 sessions_none "$d" || it_fail "l2tpd $d still has a session after pppd exited"
done
it_grep_log_case lac "pppd $pppd_pid: pppd exited" || it_fail "the LAC did not log pppd's exit"
it_log "pppd killed: the session cleared on both sides"

# Dial again; the LAC clears the tunnel: pppd stopped, nothing left.
it_ctl lac test vpdn dial vpdn-group LAC sessions 1 username alice password wonderland \
	>"$IT_DIR/dial2.out" 2>&1 || it_fail "second dial refused: $(tr '\n' ' ' <"$IT_DIR/dial2.out")"
it_wait 60 lac_up || it_fail "second dial: no addressed ppp interface in the LAC namespace after 60 s"
pppd_pid=$(grep -Eo 'pppd [0-9]+ started' "$IT_DIR/lac.log" | tail -1 | awk '{ print $2 }')
read -r ifc addr peer < <(kt_ppp_pairs "$NS_LAC")
kt_ping "$NS_LAC" "$LNS_PPP" || it_fail "second dial: no ping from $addr ($ifc) to $LNS_PPP"
for tid in $(it_json lac show l2tp tunnel | jq -r "$IT_JQ_ROWS | .local_tunnel_id"); do
	it_ctl lac clear l2tp tunnel id "$tid" >/dev/null || it_fail "clear l2tp tunnel id $tid refused"
done
it_wait 20 pppd_gone "$pppd_pid" || it_fail "pppd $pppd_pid still running after the tunnel was cleared"
it_grep_log_case lac "stopping pppd $pppd_pid" || it_fail "the LAC did not log stopping pppd $pppd_pid"
for d in lac lns; do
	it_wait 30 sessions_none "$d" || it_fail "l2tpd $d still has sessions"
done
for ns in "$NS_LNS" "$NS_LAC"; do
	it_wait 20 kt_no_ppp "$ns" || it_fail "ppp interfaces left in $ns: $(kt_ppp_ifaces "$ns" | tr '\n' ' ')"
	it_wait 20 kt_no_l2tp "$ns" ||
		it_fail "kernel L2TP state left in $ns: $(kt_l2tp_count "$ns" tunnel) tunnels, $(kt_l2tp_count "$ns" session) sessions"
done
pgrep -x -P "${IT_DPID[lac]}" pppd >/dev/null && it_fail "pppd children of the LAC left: $(pgrep -x -P "${IT_DPID[lac]}" pppd | tr "\n" " ")"
it_alive lac || it_fail "l2tpd lac died"
it_alive lns || it_fail "l2tpd lns died"
it_log "cleared from the LAC: pppd stopped, nothing left on either side"
it_pass
