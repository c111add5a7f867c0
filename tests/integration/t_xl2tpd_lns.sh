#!/bin/bash
# Interop: our LAC establishes a tunnel (and places a session) to xl2tpd as
# LNS, with tunnel authentication both ways.  Asserted on the L2TP exchange:
# our LAC shows the tunnel established and xl2tpd logs it; the session is
# reported.  Our LAC then stops with SIGTERM and xl2tpd must see the tunnel
# closed (StopCCN).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
it_init our_lac_to_xl2tpd_lns
it_require_l2tpd
it_require_cmd jq ip xl2tpd unshare
it_two_hosts
it_xl2tpd xlns "$NS_LNS" "$(it_xl2tpd_conf_lns 10.9.0.10-10.9.0.250 10.9.0.1)" "* * s3cret"
it_l2tpd lac "$NS_LAC" "$(it_conf_lac lac1 s3cret "$IT_LNS_ADDR")"

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
it_check_healthy lac
it_stop lac
if ! it_wait 10 it_grep_log xlns 'Connection closed|StopCCN|result code'; then
	it_fail "xl2tpd did not see the tunnel closed after our LAC stopped"
fi
it_alive xlns || it_fail "xl2tpd died"
it_pass
