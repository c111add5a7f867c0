#!/bin/bash
# Interop: our LAC to l2tpns (Debian package l2tpns) as LNS, in a network
# namespace.  Our first tunnel leaves from port 1701; a call carrying
# proxy LCP and PAP (RFC 2661 §4.4.5, `test vpdn dial ... proxy pap`) is
# taken: l2tpns answers the ICRQ and acknowledges the ICCN, and our packet
# log shows the proxy AVPs that ICCN carried.  l2tpns authenticates through
# RADIUS only, which this scenario does not run: PPP is not asserted.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
it_init l2tpns_lns
it_require_l2tpd
it_require_cmd jq ip l2tpns
[ -c /dev/net/tun ] || it_skip "no /dev/net/tun for l2tpns"
it_two_hosts

it_l2tpns l2tpns "$NS_LNS" "$IT_LNS_ADDR" s3cret
it_l2tpd lac "$NS_LAC" "$(it_conf_lac lac1 s3cret "$IT_LNS_ADDR")"
it_ctl lac debug l2tp packet >/dev/null || it_fail "debug l2tp packet refused"

it_ctl lac test vpdn dial vpdn-group LAC sessions 1 username alice password wonderland proxy pap \
	>"$IT_DIR/dial.out" 2>&1 || it_fail "dial failed: $(head -c 300 "$IT_DIR/dial.out")"
it_wait 20 it_tunnels_eq lac 1 established || it_fail "no tunnel with l2tpns: $(it_counts lac)"
it_wait 10 it_sessions_eq lac 1 established || it_fail "the proxied call is not established: $(it_counts lac)"
grep -q "send ICCN.*Last Sent LCP CONFREQ=.*Proxy Authen Type=3.*Proxy Authen Name=\"alice\"" \
	"$IT_DIR/lac.log" || it_fail "no ICCN with proxy LCP and PAP AVPs sent to l2tpns"
[ "$(it_json lac show l2tp tunnel detail | jq -r "$IT_JQ_ROWS | .local_port")" = 1701 ] ||
	it_fail "our tunnel to l2tpns does not leave from port 1701"
# and l2tpns decoded them (its debug log names each AVP it reads)
it_wait 10 it_grep_log l2tpns "Received ICCN" || it_fail "l2tpns logged no ICCN"
for avp in "New tunnel from $IT_LAC_ADDR:1701 " "AVP 26 \\(Initial Received LCP CONFREQ\\)" \
	"AVP 27 \\(Last Sent LCP CONFREQ\\)" "AVP 28 \\(Last Received LCP CONFREQ\\)" \
	"Proxy Auth Type 3 \\(PPP PAP\\)" "Proxy Auth Name \\(alice\\)" "AVP 33 \\(Proxy Authen Response\\)"; do
	it_grep_log l2tpns "$avp" || it_fail "l2tpns did not log: $avp"
done
it_check_healthy lac
it_pass
