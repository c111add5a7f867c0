#!/bin/bash
# Baseline of the kernel data path with Debian's own software: xl2tpd + pppd
# as LAC in one namespace and xl2tpd + pppd as LNS in another, joined by
# veth.  Kernel mode (pppd's pppol2tp plugin on a PPPoL2TP socket), CHAP.
# Shown: a ppp interface comes up on both sides with the expected addresses;
# a ping crosses it both ways; `ip l2tp show tunnel|session` lists the tunnel
# and session on both sides; after the LAC disconnects, no tunnel, session
# or ppp interface is left on either side.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
kt_init xl2tpd_pppd
it_require_cmd ip ping xl2tpd pppd
kt_require_modules l2tp_ppp ppp_generic pppox
kt_require_pppol2tp

LNS_PPP=10.9.0.1
LAC_PPP=10.9.0.10
it_two_hosts
kt_secret user1 s3cret

# Both pppd write their own logs (the xl2tpd log has the L2TP side).
kt_xl2tpd_lns lns "$NS_LNS" "$LAC_PPP-10.9.0.19" "$LNS_PPP" "debug
logfile $IT_DIR/lns-pppd.log" "ppp debug = yes"
lac_opts=$(kt_pppd_options lac-ppp "name user1
user user1
$KT_PPPD_CLIENT
mtu 1400
mru 1400
debug
logfile $IT_DIR/lac-pppd.log")

it_xl2tpd lac "$NS_LAC" "[global]
port = 1701
access control = no
[lac lns]
lns = $IT_LNS_ADDR
name = user1
require authentication = no
ppp debug = yes
pppoptfile = $lac_opts
length bit = yes
autodial = no
redial = no"

it_log "xl2tpd up on both sides; dialling"
it_xl2tpd_cmd lac "c lns"

# The ppp interfaces: up with the negotiated point-to-point addresses.
lac_if=
lns_if=
# shellcheck disable=SC2317 # called through it_wait
ppp_up() {
	lac_if=$(kt_ppp_ifaces "$NS_LAC" | head -n 1)
	lns_if=$(kt_ppp_ifaces "$NS_LNS" | head -n 1)
	[ -n "$lac_if" ] && [ -n "$lns_if" ] &&
		kt_has_ppp_addr "$NS_LAC" "$lac_if" && kt_has_ppp_addr "$NS_LNS" "$lns_if"
}
it_wait 40 ppp_up ||
	it_fail "ppp not up with addresses on both sides after 40 s (LAC: '${lac_if}', LNS: '${lns_if}')"
it_log "ppp up: LAC $lac_if, LNS $lns_if"
[ "$(kt_ppp_addr "$NS_LAC" "$lac_if")" = "$LAC_PPP $LNS_PPP" ] ||
	it_fail "LAC $lac_if has '$(kt_ppp_addr "$NS_LAC" "$lac_if")', not '$LAC_PPP $LNS_PPP'"
[ "$(kt_ppp_addr "$NS_LNS" "$lns_if")" = "$LNS_PPP $LAC_PPP" ] ||
	it_fail "LNS $lns_if has '$(kt_ppp_addr "$NS_LNS" "$lns_if")', not '$LNS_PPP $LAC_PPP'"
for side in lac lns; do
	it_grep_log_case "$side" "Using l2tp kernel support" || it_fail "xl2tpd ($side) does not use the kernel L2TP support"
	it_grep_log_case "$side-pppd" "PPPoL2TP options" || it_fail "pppd ($side) did not load the pppol2tp plugin"
done
it_grep_log_case lns-pppd 'sent \[CHAP Success' || it_fail "the LNS's pppd did not send CHAP Success"
it_grep_log_case lac-pppd 'CHAP authentication succeeded' || it_fail "the LAC's pppd did not log CHAP success"

# The kernel holds the tunnel and the session on both sides, with the IDs
# that xl2tpd negotiated (xl2tpd's control socket adds a session 0).
ids() { # NAME PEER_ADDR: "TUNNEL PEER_TUNNEL SESSION PEER_SESSION" from the log
	sed -nE "s/.*Connection established to $2, [0-9]+\.  Local: ([0-9]+), Remote: ([0-9]+).*/\1 \2/p" "$IT_DIR/$1.log" | tail -n 1 | tr '\n' ' '
	sed -nE "s/.*Call established with $2, .*Local: ([0-9]+), Remote: ([0-9]+).*/\1 \2/p" "$IT_DIR/$1.log" | tail -n 1
}
for side in lac lns; do
	if [ "$side" = lac ]; then ns=$NS_LAC peer=$IT_LNS_ADDR; else ns=$NS_LNS peer=$IT_LAC_ADDR; fi
	read -r t pt s ps < <(ids "$side" "$peer") || true
	[ -n "${ps:-}" ] || it_fail "no tunnel and call IDs in the log of xl2tpd ($side)"
	{ ip -n "$ns" l2tp show tunnel; ip -n "$ns" l2tp show session; } >>"$IT_DIR/l2tp-show.log"
	[ "$(kt_l2tp_count "$ns" tunnel)" = 1 ] ||
		it_fail "ip l2tp show tunnel in $ns lists $(kt_l2tp_count "$ns" tunnel) tunnels, not 1"
	[ "$(kt_l2tp_count "$ns" call)" = 1 ] ||
		it_fail "ip l2tp show session in $ns lists $(kt_l2tp_count "$ns" call) sessions (other than 0), not 1"
	kt_l2tp_has_session "$ns" "$t" "$s" "$pt" "$ps" ||
		it_fail "the kernel in $ns has no session $s in tunnel $t (peer $ps in $pt) as xl2tpd ($side) logged"
done
it_log "kernel sessions match xl2tpd's IDs"

# Data both ways through the session.
kt_ping "$NS_LAC" "$LNS_PPP" 5 || it_fail "no ping from the LAC to $LNS_PPP across $lac_if"
kt_ping "$NS_LNS" "$LAC_PPP" 5 || it_fail "no ping from the LNS to $LAC_PPP across $lns_if"
rx=$(ip -n "$NS_LNS" -s -j link show dev "$lns_if" 2>/dev/null | grep -o '"rx":{[^}]*' | grep -o '"packets":[0-9]*' | cut -d: -f2)
[ "${rx:-0}" -ge 10 ] || it_fail "the LNS's $lns_if counted ${rx:-0} received packets, expected at least 10"
it_log "pings done both ways ($lns_if rx $rx packets)"

# Tear down from the LAC: nothing left on either side.
it_xl2tpd_cmd lac "d lns"
it_log "disconnect requested"
for ns in "$NS_LAC" "$NS_LNS"; do
	it_wait 20 kt_no_ppp "$ns" || it_fail "ppp interface left in $ns 20 s after the disconnect: $(kt_ppp_ifaces "$ns")"
	it_wait 10 kt_no_l2tp "$ns" ||
		it_fail "kernel L2TP state left in $ns after the disconnect: $(kt_l2tp_count "$ns" tunnel) tunnels, $(kt_l2tp_count "$ns" session) sessions"
	it_log "$ns: no ppp interface, tunnel or session left"
done
it_log "torn down"
it_alive lac || it_fail "xl2tpd (LAC) died"
it_alive lns || it_fail "xl2tpd (LNS) died"
it_pass
