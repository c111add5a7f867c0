#!/bin/bash
# Proxy LCP and authentication (RFC 2661 §4.4.5) over the null data path:
# our LAC plays subscribers it has "negotiated" LCP with and received PAP or
# CHAP-MD5 from (test vpdn dial ... proxy), our LNS takes the proxy:
#  - every subscriber is authenticated once and gets an address, and no
#    LCP Configure-Request is sent by either end (no second negotiation);
#  - the proxy AVPs are on the wire (the LNS's `debug l2tp packet` lines);
#  - a wrong proxied password is refused (PAP Nak / CHAP Failure), the call
#    cleared with a CDN carrying the RFC 3145 cause, the others stay up;
#  - against an LNS that takes PAP only, `lcp renegotiation on-mismatch`
#    negotiates LCP again for CHAP proxies and the subscribers come up.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
it_init proxy_lcp
it_require_l2tpd
it_require_cmd jq ip
it_two_hosts

N=10

# LNS: local users, PAP and CHAP, no `lcp renegotiation`
lns_conf() {
	it_conf_head lns1
	printf 'username alice password wonderland\n'
	it_conf_template 10.200.255.254 "$1"
	it_conf_dialin 1 "${2:-}$(it_conf_tunnel lns1 s3cret)"
}

lcp_conf_reqs() { it_num "$1" .ppp_links.lcp.tx_conf_req show l2tp statistics; }

for method in pap chap; do
	it_l2tpd lns "$NS_LNS" "$(lns_conf "pap chap")"
	it_l2tpd lac "$NS_LAC" "$(it_conf_lac lac1 s3cret "$IT_LNS_ADDR")"
	it_ctl lns debug l2tp packet >/dev/null || it_fail "debug l2tp packet refused"
	it_ctl lac debug l2tp packet >/dev/null || it_fail "debug l2tp packet refused"

	it_ctl lac test vpdn dial vpdn-group LAC sessions "$N" username alice password wonderland \
		proxy "$method" >"$IT_DIR/dial.out" 2>&1 ||
		it_fail "$method: dial failed: $(head -c 300 "$IT_DIR/dial.out")"
	it_wait 60 it_ppp_up_eq lns "$N" ||
		it_fail "$method: $(it_ppp_up lns) of $N sessions reached PPP up on the LNS"
	it_wait 20 it_ppp_up_eq lac "$N" ||
		it_fail "$method: $(it_ppp_up lac) of $N subscribers saw PPP up on the LAC"
	[ "$(it_stat lac .proxy_sent)" = "$N" ] || it_fail "$method: LAC proxy_sent $(it_stat lac .proxy_sent)"
	[ "$(it_stat lns .proxy_accepted)" = "$N" ] ||
		it_fail "$method: LNS proxy_accepted $(it_stat lns .proxy_accepted), renegotiated $(it_stat lns .proxy_renegotiated)"
	# authenticated once each, no LCP negotiation on either end
	[ "$(it_stat lns .ppp_auth_ok)" = "$N" ] || it_fail "$method: ppp_auth_ok $(it_stat lns .ppp_auth_ok)"
	[ "$(lcp_conf_reqs lns)" = 0 ] || it_fail "$method: the LNS sent $(lcp_conf_reqs lns) LCP Configure-Requests"
	[ "$(lcp_conf_reqs lac)" = 0 ] || it_fail "$method: the subscribers sent $(lcp_conf_reqs lac) LCP Configure-Requests"
	[ "$(it_json lns show l2tp session | jq -r "[$IT_JQ_ROWS | select(.user == \"alice\")] | length")" = "$N" ] ||
		it_fail "$method: the LNS does not show user alice on every session"
	# the proxy AVPs as the LNS received them
	type=3
	[ "$method" = chap ] && type=2
	for avp in "Last Sent LCP CONFREQ=" "Last Received LCP CONFREQ=" "Initial Received LCP CONFREQ=" \
		"Proxy Authen Type=$type" 'Proxy Authen Name="alice"' "Proxy Authen ID=" "Proxy Authen Response="; do
		grep -q "recv ICCN.*$avp" "$IT_DIR/lns.log" || it_fail "$method: no ICCN with $avp in the LNS's packet log"
	done

	# a wrong proxied password: refused with a CDN, the others untouched
	it_ctl lac test vpdn dial vpdn-group LAC sessions 1 username alice password wrong proxy "$method" \
		>"$IT_DIR/dial2.out" 2>&1 || it_fail "$method: second dial failed"
	# shellcheck disable=SC2317 # called through it_wait
	bad_refused() {
		[ "$(it_stat lns .proxy_refused)" = 1 ] && it_sessions_eq lns "$N" && it_sessions_eq lac "$N"
	}
	it_wait 30 bad_refused ||
		it_fail "$method: wrong password not refused: proxy_refused=$(it_stat lns .proxy_refused) sessions=$(it_sessions lns)"
	# the LNS's Nak ends the subscriber's PPP too: whichever end finishes
	# first clears the call, its CDN carrying RFC 3145 cause 16.  Both may
	# clear at once, each CDN then finding the other's call gone (not
	# counted in rx_cdn): the packet logs show what crossed.
	grep -q "recv CDN" "$IT_DIR/lns.log" "$IT_DIR/lac.log" || it_fail "$method: no CDN either way"
	grep -q "send CDN.*PPP Disconnect Cause Code=code=16" "$IT_DIR/lns.log" "$IT_DIR/lac.log" ||
		it_fail "$method: no CDN with RFC 3145 cause 16"
	it_ppp_up_eq lns "$N" || it_fail "$method: the refused call disturbed the others"
	it_check_healthy lns
	it_check_healthy lac
	it_stop lac
	it_stop lns
	it_log "$method: $N subscribers up by proxy, no LCP renegotiation, wrong password refused"
done

# PAP only and `lcp renegotiation on-mismatch`: the CHAP proxies are
# renegotiated (LCP from the start, then PAP)
it_l2tpd lns "$NS_LNS" "$(lns_conf pap "  lcp renegotiation on-mismatch
")"
it_l2tpd lac "$NS_LAC" "$(it_conf_lac lac1 s3cret "$IT_LNS_ADDR")"
it_ctl lac test vpdn dial vpdn-group LAC sessions "$N" username alice password wonderland proxy chap \
	>"$IT_DIR/dial3.out" 2>&1 || it_fail "mismatch: dial failed"
it_wait 60 it_ppp_up_eq lns "$N" || it_fail "mismatch: $(it_ppp_up lns) of $N renegotiated sessions up"
[ "$(it_stat lns .proxy_renegotiated)" = "$N" ] ||
	it_fail "mismatch: proxy_renegotiated $(it_stat lns .proxy_renegotiated)"
[ "$(it_stat lns .proxy_accepted)" = 0 ] || it_fail "mismatch: proxy_accepted $(it_stat lns .proxy_accepted)"
[ "$(lcp_conf_reqs lns)" -ge "$N" ] || it_fail "mismatch: only $(lcp_conf_reqs lns) LCP Configure-Requests from the LNS"
it_check_healthy lns
it_check_healthy lac
it_log "mismatch: $N CHAP proxies renegotiated to PAP"
it_pass
