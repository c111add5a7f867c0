#!/bin/bash
# A LAC with the wrong tunnel secret is refused: its tunnel never reaches
# established on either side, the LNS counts an authentication failure
# (show l2tp statistics: tunnel_auth_failures), the LAC's tunnel is gone, a
# daemon logs why, and both daemons stay up and stop cleanly.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
it_init wrong_secret
it_require_l2tpd
it_require_cmd jq ip
it_two_hosts
it_l2tpd lns "$NS_LNS" "$(it_conf_lns lns1 s3cret)"
it_l2tpd lac "$NS_LAC" "$(it_conf_lac lac1 wrong-secret "$IT_LNS_ADDR")"

# The LNS counts the failure in `show l2tp statistics` whichever side found
# the secrets differ (it either checks the LAC's Challenge Response itself or
# gets a StopCCN with result 4 from the LAC).
lns_auth_failures() {
	[ "$(it_stat lns .tunnel_auth_failures)" -gt 0 ]
}
ESTABLISHED=0
# shellcheck disable=SC2317 # called through it_wait
refused() {
	if [ "$(it_tunnels lac established)" != 0 ] || [ "$(it_tunnels lns established)" != 0 ]; then
		ESTABLISHED=1
		return 0
	fi
	lns_auth_failures && it_tunnels_eq lac 0
}

it_ctl lac test vpdn dial vpdn-group LAC sessions 1 >"$IT_DIR/dial.out" 2>&1 ||
	it_fail "dial command failed: $(head -c 300 "$IT_DIR/dial.out")"
if ! it_wait 30 refused; then
	lns_auth_failures || it_fail "the LNS counted no tunnel_auth_failures; LAC: $(it_counts lac); LNS: $(it_counts lns)"
	it_fail "the LAC still has a tunnel after 30 s: $(it_counts lac)"
fi
[ "$ESTABLISHED" = 0 ] || it_fail "a tunnel with the wrong secret reached established"
# Whatever the LNS keeps (a closing tunnel holds its state for a retransmit
# cycle) must not be established, nor carry sessions.
it_tunnels_eq lns 0 established || it_fail "LNS shows an established tunnel"
it_sessions_eq lns 0 || it_fail "LNS shows sessions"
it_grep_log lac 'auth' || it_grep_log lns 'auth' || it_fail "neither daemon logged the authentication failure"
it_check_healthy lns
it_check_healthy lac
it_stop lac
it_stop lns
it_pass
