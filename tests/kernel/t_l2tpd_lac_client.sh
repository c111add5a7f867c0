#!/bin/bash
# Our LAC in client mode hands the session's PPPoL2TP socket to pppd (its
# pppol2tp plugin), which reaches our LNS; ping across (issue 3, item 4).
# Then `l2tpctl clear l2tp tunnel id N` on the LAC: pppd exits and nothing
# is left (no kernel tunnel/session, no pppN) on either side.
# shellcheck disable=SC2317 # predicates called through kt_wait
set -euo pipefail
. "$(dirname "$0")/lib.sh"
kt_init l2tpd_lac_client
kt_require_cmd ip ping pppd jq
kt_require_modules l2tp_ppp ppp_generic pppox
compgen -G "/usr/lib/pppd/*/pppol2tp.so" >/dev/null || kt_fail "pppd's pppol2tp plugin is missing (package ppp)"

LNS_PPP=10.200.255.254
kt_two_hosts

kt_l2tpd lns "$NS_LNS" "hostname lns
vpdn enable
ip local pool SUBS 10.200.0.1 10.200.0.254
interface Virtual-Template1
 ip address $LNS_PPP 255.255.255.255
 peer default ip address pool SUBS
 ppp authentication ms-chap-v2 chap pap
 mtu 1400
vpdn-group LNS
 accept-dialin
  protocol l2tp
  virtual-template 1
 l2tp tunnel hello 60
username alice password wonderland"
kt_l2tpd lac "$NS_LAC" "hostname lac
vpdn enable
vpdn-group LAC
 request-dialin
  protocol l2tp
 initiate-to ip $KT_LNS_ADDR
 local name lac
 l2tp tunnel hello 60"
kt_log "l2tpd up on both sides; dialling"

t0=$(kt_now)
kt_ctl lac test vpdn dial vpdn-group LAC sessions 1 username alice password wonderland \
	>"$KT_DIR/dial.out" 2>&1 || kt_fail "test vpdn dial refused: $(tr '\n' ' ' <"$KT_DIR/dial.out")"
lac_up() { [ "$(kt_ppp_pairs "$NS_LAC" | wc -l)" = 1 ]; }
kt_wait 60 lac_up || kt_fail "no addressed ppp interface in the LAC namespace after 60 s (LNS: $(kt_sessions_up lns) PPP up)"
kt_log "pppd's link up in $(kt_elapsed "$t0") s"
read -r ifc addr peer < <(kt_ppp_pairs "$NS_LAC")
case $addr in 10.200.0.*) ;; *) kt_fail "pppd's $ifc has $addr, not a pool address" ;; esac
[ "$peer" = "$LNS_PPP" ] || kt_fail "pppd's $ifc has peer $peer, not $LNS_PPP"
kt_log_has lac 'pppd [0-9]+ started' || kt_fail "the LAC did not log pppd's start"
pppd_pid=$(grep -Eo 'pppd [0-9]+ started' "$KT_DIR/lac.log" | head -1 | awk '{ print $2 }')
kill -0 "$pppd_pid" 2>/dev/null || kt_fail "pppd $pppd_pid is not running"
kt_ping "$NS_LAC" "$LNS_PPP" || kt_fail "no ping from $addr ($ifc) to the LNS's $LNS_PPP"
kt_ping "$NS_LNS" "$addr" || kt_fail "no ping from the LNS to $addr"
kt_log "$ifc $addr <-> $LNS_PPP: pings both ways"

# pppd going first: its exit clears the session (CDN) on both sides.
kill "$pppd_pid"
pppd_gone() { ! kill -0 "$1" 2>/dev/null; }
kt_wait 20 pppd_gone "$pppd_pid" || kt_fail "pppd $pppd_pid did not exit on SIGTERM"
sessions_none() { [ "$(kt_json "$1" show l2tp session | jq "[$KT_JQ_ROWS] | length")" = 0 ]; }
for d in lac lns; do
	kt_wait 30 sessions_none "$d" || kt_fail "l2tpd $d still has a session after pppd exited"
done
kt_log_has lac "pppd $pppd_pid: pppd exited" || kt_fail "the LAC did not log pppd's exit"
kt_log "pppd killed: the session cleared on both sides"

# Dial again; the LAC clears the tunnel: pppd stopped, nothing left.
kt_ctl lac test vpdn dial vpdn-group LAC sessions 1 username alice password wonderland \
	>"$KT_DIR/dial2.out" 2>&1 || kt_fail "second dial refused: $(tr '\n' ' ' <"$KT_DIR/dial2.out")"
kt_wait 60 lac_up || kt_fail "second dial: no addressed ppp interface in the LAC namespace after 60 s"
pppd_pid=$(grep -Eo 'pppd [0-9]+ started' "$KT_DIR/lac.log" | tail -1 | awk '{ print $2 }')
read -r ifc addr peer < <(kt_ppp_pairs "$NS_LAC")
kt_ping "$NS_LAC" "$LNS_PPP" || kt_fail "second dial: no ping from $addr ($ifc) to $LNS_PPP"
for tid in $(kt_json lac show l2tp tunnel | jq -r "$KT_JQ_ROWS | .local_tunnel_id"); do
	kt_ctl lac clear l2tp tunnel id "$tid" >/dev/null || kt_fail "clear l2tp tunnel id $tid refused"
done
kt_wait 20 pppd_gone "$pppd_pid" || kt_fail "pppd $pppd_pid still running after the tunnel was cleared"
kt_log_has lac "stopping pppd $pppd_pid" || kt_fail "the LAC did not log stopping pppd $pppd_pid"
for d in lac lns; do
	kt_wait 30 sessions_none "$d" || kt_fail "l2tpd $d still has sessions"
done
for ns in "$NS_LNS" "$NS_LAC"; do
	kt_wait 20 kt_no_ppp "$ns" || kt_fail "ppp interfaces left in $ns: $(kt_ppp_ifaces "$ns" | tr '\n' ' ')"
	kt_wait 20 kt_no_l2tp "$ns" ||
		kt_fail "kernel L2TP state left in $ns: $(kt_l2tp_count "$ns" tunnel) tunnels, $(kt_l2tp_count "$ns" session) sessions"
done
pgrep -x -P "${KT_PID[lac]}" pppd >/dev/null && kt_fail "pppd children of the LAC left: $(pgrep -x -P "${KT_PID[lac]}" pppd | tr "\n" " ")"
kt_alive lac || kt_fail "l2tpd lac died"
kt_alive lns || kt_fail "l2tpd lns died"
kt_log "cleared from the LAC: pppd stopped, nothing left on either side"
kt_pass
