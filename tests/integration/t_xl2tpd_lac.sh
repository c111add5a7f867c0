#!/bin/bash
# Interop: xl2tpd as LAC (with a tunnel challenge and secret) establishes a
# tunnel and a session to our LNS.  Without kernel PPP there is no pppd to
# run, so only the L2TP exchange is asserted: our LNS shows the tunnel and the
# session established, and xl2tpd logs both.  Our LNS then stops with SIGTERM
# and xl2tpd must see the tunnel closed (StopCCN).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
it_init xl2tpd_lac_to_our_lns
it_require_l2tpd
it_require_cmd jq ip xl2tpd unshare
it_two_hosts
it_l2tpd lns "$NS_LNS" "$(it_conf_lns lns1 s3cret)"
it_xl2tpd xlac "$NS_LAC" "[global]
port = 1701
[lac ourlns]
lns = $IT_LNS_ADDR
hostname = xlac
challenge = yes
redial = yes
redial timeout = 2
max redials = 5
length bit = yes
require authentication = no" "* * s3cret"

it_xl2tpd_cmd xlac "c ourlns"
if ! it_wait 20 it_tunnels_eq lns 1 established; then
	it_fail "our LNS has no established tunnel from xl2tpd after 20 s: $(it_counts lns)"
fi
if ! it_wait 20 it_sessions_eq lns 1 established; then
	it_fail "our LNS has no established session from xl2tpd after 20 s: $(it_counts lns)"
fi
addr=$(it_json lns show l2tp tunnel | jq -r "[$IT_JQ_ROWS][0].remote_address")
case $addr in
"$IT_LAC_ADDR"*) ;;
*) it_fail "tunnel remote_address is $addr, not $IT_LAC_ADDR" ;;
esac
it_grep_log xlac 'Connection established to' || it_fail "xl2tpd did not log the tunnel as established"
it_grep_log xlac 'Call established with' || it_fail "xl2tpd did not log the call as established"
it_check_healthy lns

it_stop lns
if ! it_wait 10 it_grep_log xlac 'Connection closed|StopCCN|result code'; then
	it_fail "xl2tpd did not see the tunnel closed after our LNS stopped"
fi
it_alive xlac || it_fail "xl2tpd died"
it_pass
