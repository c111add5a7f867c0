#!/bin/bash
# Interop: PPPoE subscribers (tests/integration/pppoe_sub.py) through our
# LAC (null data path) to xl2tpd as the LNS (t_pppoe_l2tpns.sh: the same
# to l2tpns).
# Each call comes up (ICRQ, ICRP, ICCN: established on our LAC) and its
# ICCN carries the proxy LCP and authentication of the subscriber's
# negotiation with our LAC (RFC 2661 §4.4.5): our packet log shows them
# sent, xl2tpd names the proxy LCP AVPs it has no handler for.  xl2tpd
# runs a stand-in pppd: the subscribers' PPP is not asserted.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
# shellcheck source=pppoe_lib.sh
. "$(dirname "$0")/pppoe_lib.sh"
it_init pppoe_xl2tpd
it_require_l2tpd
it_require_cmd jq ip python3 xl2tpd unshare
N=3
pppoe_interop_setup

it_xl2tpd xlns "$NS_LNS" "$(it_xl2tpd_conf_lns 10.9.0.10-10.9.0.250 10.9.0.1)" "* * s3cret"
it_l2tpd lac "$NS_LAC" "$(pppoe_interop_lac_conf)"
it_ctl lac debug l2tp packet >/dev/null || it_fail "debug l2tp packet refused"
pppoe_interop_subs 100 subs_xl2tpd &
subs_pid=$!
it_wait 20 it_sessions_eq lac "$N" established || it_fail "xl2tpd: not $N calls up: $(it_counts lac)"
it_wait 5 pppoe_interop_proxy_iccns || it_fail "xl2tpd: not $N ICCNs with proxy LCP and PAP sent"
it_grep_log xlns "no handler for attribute 27" || it_fail "xl2tpd did not see the proxy LCP AVPs"
[ "$(it_num lac .lac_calls_up show pppoe statistics)" = "$N" ] || it_fail "xl2tpd: lac_calls_up not $N"
wait "$subs_pid" || true
it_say "xl2tpd: $N PPPoE calls up, proxy AVPs sent and seen"
it_check_healthy lac
it_stop lac
it_alive xlns || it_fail "xl2tpd died"
it_pass

