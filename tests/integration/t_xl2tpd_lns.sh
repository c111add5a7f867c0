#!/bin/bash
# Interop: our LAC establishes a tunnel (and places a session) to xl2tpd as
# LNS, with tunnel authentication both ways.  Asserted on the L2TP exchange:
# our LAC shows the tunnel established and xl2tpd logs it; the session is
# reported.  A second call carries proxy LCP and authentication (RFC 2661
# §4.4.5, `test vpdn dial ... proxy pap`): xl2tpd takes the call (the AVPs
# are optional, M bit clear) and the ICCN that carried them is in our
# packet log.  Our LAC then stops with SIGTERM and xl2tpd must see the
# tunnel closed (StopCCN).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
it_init our_lac_to_xl2tpd_lns
it_require_l2tpd
it_require_cmd jq ip xl2tpd unshare
it_two_hosts
it_xl2tpd xlns "$NS_LNS" "$(it_xl2tpd_conf_lns 10.9.0.10-10.9.0.250 10.9.0.1)" "* * s3cret"
it_l2tpd lac "$NS_LAC" "$(it_conf_lac lac1 s3cret "$IT_LNS_ADDR")"
it_ctl lac debug l2tp packet >/dev/null || it_fail "debug l2tp packet refused"

it_ctl lac test vpdn dial vpdn-group LAC sessions 1 >"$IT_DIR/dial.out" 2>&1 ||
	it_fail "dial command failed: $(head -c 300 "$IT_DIR/dial.out")"
if ! it_wait 20 it_tunnels_eq lac 1 established; then
	it_fail "our LAC's tunnel to xl2tpd not established after 20 s: $(it_counts lac)"
fi
it_grep_log xlns "Connection established to $IT_LAC_ADDR" ||
	it_fail "xl2tpd did not log the tunnel as established"
if it_wait 10 it_sessions_eq lac 1 established; then
	it_log "session established with xl2tpd"
else
	it_fail "our LAC's session to xl2tpd not established after 10 s: $(it_counts lac)"
fi
# shellcheck disable=SC2317 # called through it_wait
proxy_iccn_sent() {
	grep -q "send ICCN.*Last Sent LCP CONFREQ=.*Proxy Authen Type=3.*Proxy Authen Name=\"alice\"" \
		"$IT_DIR/lac.log"
}
it_ctl lac test vpdn dial vpdn-group LAC sessions 1 username alice password wonderland proxy pap \
	>"$IT_DIR/dial2.out" 2>&1 || it_fail "proxy dial failed: $(head -c 300 "$IT_DIR/dial2.out")"
it_wait 10 proxy_iccn_sent || it_fail "no ICCN with proxy LCP and PAP AVPs sent to xl2tpd"
[ "$(it_stat lac .proxy_sent)" = 1 ] || it_fail "proxy_sent $(it_stat lac .proxy_sent)"
# xl2tpd read them (it names the proxy LCP AVPs it has no use for) and
# took the call on the dial's second tunnel, which left from another port
it_wait 10 it_grep_log xlns "no handler for attribute 27" ||
	it_fail "xl2tpd did not see the proxy LCP AVPs"
it_wait 10 it_sessions_eq lac 2 established || it_fail "the proxied call is not established: $(it_counts lac)"
it_grep_log xlns "Connection established to $IT_LAC_ADDR, 1701\\." ||
	it_fail "xl2tpd did not see our first tunnel from port 1701"
[ "$(it_stat lac .rx_stopccn)" = 0 ] || it_fail "xl2tpd closed a tunnel after the proxied ICCN"
it_tunnels_eq lac 2 established || it_fail "a tunnel to xl2tpd went after the proxied call"
it_log "proxied call placed and taken by xl2tpd; first tunnel from 1701"
it_check_healthy lac
it_stop lac
if ! it_wait 10 it_grep_log xlns 'Connection closed|StopCCN|result code'; then
	it_fail "xl2tpd did not see the tunnel closed after our LAC stopped"
fi
it_alive xlns || it_fail "xl2tpd died"
it_pass
