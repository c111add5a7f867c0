#!/bin/bash
# Interop: PPPoE subscribers (tests/integration/pppoe_sub.py) through our
# LAC (null data path) to l2tpns (Debian) as the LNS (t_pppoe_xl2tpd.sh:
# the same to xl2tpd).
# Each call comes up (ICRQ, ICRP, ICCN: established on our LAC) and its
# ICCN carries the proxy LCP and authentication of the subscriber's
# negotiation with our LAC (RFC 2661 §4.4.5): our packet log shows them
# sent, l2tpns logs each one it decodes.  l2tpns authenticates through
# RADIUS only, not run here: the subscribers' PPP is not asserted.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
# shellcheck source=pppoe_lib.sh
. "$(dirname "$0")/pppoe_lib.sh"
it_init pppoe_l2tpns
it_require_l2tpd
it_require_cmd jq ip python3 l2tpns
[ -c /dev/net/tun ] || it_skip "no /dev/net/tun for l2tpns"
N=3
pppoe_interop_setup

it_l2tpns l2tpns "$NS_LNS" "$IT_LNS_ADDR" s3cret
it_l2tpd lac "$NS_LAC" "$(pppoe_interop_lac_conf)"
it_ctl lac debug l2tp packet >/dev/null || it_fail "debug l2tp packet refused"
pppoe_interop_subs 100 subs_l2tpns &
subs_pid=$!
it_wait 20 it_sessions_eq lac "$N" established || it_fail "l2tpns: not $N calls up: $(it_counts lac)"
it_wait 5 pppoe_interop_proxy_iccns || it_fail "l2tpns: not $N ICCNs with proxy LCP and PAP sent"
for avp in "AVP 26 \\(Initial Received LCP CONFREQ\\)" "AVP 27 \\(Last Sent LCP CONFREQ\\)" \
	"AVP 28 \\(Last Received LCP CONFREQ\\)" "Proxy Auth Type 3 \\(PPP PAP\\)" \
	"Proxy Auth Name \\(sub1@isp.example\\)" "AVP 33 \\(Proxy Authen Response\\)"; do
	it_wait 5 it_grep_log l2tpns "$avp" || it_fail "l2tpns did not log: $avp"
done
wait "$subs_pid" || true
it_say "l2tpns: $N PPPoE calls up, proxy AVPs sent and decoded"
it_check_healthy lac
it_stop lac
it_pass
