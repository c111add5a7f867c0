#!/bin/bash
# PPP subscribers over the null data path (PPP control frames carried in
# user space in L2TP data messages): our LAC plays 20 subscribers per
# authentication method against our LNS with local users, a pool and a
# Virtual-Template asking for the method.  Each session must finish LCP,
# authentication and IPCP with a distinct pool address; a subscriber with a
# wrong password is refused (CDN) without touching the others; clearing the
# tunnels returns every address to the pool.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
it_init ppp_subscribers
it_require_l2tpd
it_require_cmd jq ip
it_two_hosts

N=20

for method in pap chap ms-chap-v2; do
	it_l2tpd lns "$NS_LNS" "$(it_conf_lns lns1 s3cret "" 1)
username alice password wonderland
$(it_conf_template 10.200.255.254 "$method" " ppp ipcp dns 192.0.2.53")"
	it_l2tpd lac "$NS_LAC" "$(it_conf_lac lac1 s3cret "$IT_LNS_ADDR")"

	it_ctl lac test vpdn dial vpdn-group LAC sessions "$N" per-tunnel 10 username alice password wonderland \
		>"$IT_DIR/dial.out" 2>&1 || it_fail "$method: dial failed: $(head -c 300 "$IT_DIR/dial.out")"
	it_wait 60 it_ppp_up_eq lns "$N" ||
		it_fail "$method: $(it_ppp_up lns) of $N sessions reached PPP up on the LNS"
	it_wait 20 it_ppp_up_eq lac "$N" ||
		it_fail "$method: $(it_ppp_up lac) of $N subscribers saw PPP up on the LAC"
	# every subscriber has its own pool address, the user is known
	addrs=$(it_json lns show l2tp session | jq -r "$IT_JQ_ROWS | .peer_ip" | sort -u)
	[ "$(printf '%s\n' "$addrs" | grep -c '^10\.200\.0\.')" = "$N" ] ||
		it_fail "$method: expected $N distinct pool addresses, got: $(printf "%s" "$addrs" | tr "\n" " ")"
	[ "$(it_json lns show l2tp session | jq -r "[$IT_JQ_ROWS | select(.user == \"alice\")] | length")" = "$N" ] ||
		it_fail "$method: the LNS does not show user alice on every session"

	# a wrong password is refused; the others stay up
	it_ctl lac test vpdn dial vpdn-group LAC sessions 1 username alice password wrong \
		>"$IT_DIR/dial2.out" 2>&1 || it_fail "$method: second dial failed"
	# shellcheck disable=SC2317 # called through it_wait
	bad_refused() {
		[ "$(it_stat lns .ppp_auth_failures)" -ge 1 ] && it_sessions_eq lns "$N"
	}
	it_wait 30 bad_refused ||
		it_fail "$method: wrong password not refused cleanly: failures=$(it_stat lns .ppp_auth_failures), sessions=$(it_sessions lns)"
	it_ppp_up_eq lns "$N" || it_fail "$method: a refused subscriber disturbed the others"

	# clearing the tunnels frees every address
	for id in $(it_tunnel_ids lac); do
		it_ctl lac clear l2tp tunnel id "$id" >/dev/null || true
	done
	it_wait 30 it_sessions_eq lns 0 || it_fail "$method: sessions left on the LNS: $(it_sessions lns)"
	pool_used=$(it_json lns show ip local pool | jq '[.. | objects | select(has("in_use")) | .in_use] | add // 0')
	[ "$pool_used" = 0 ] || it_fail "$method: $pool_used pool addresses still in use after teardown"
	it_check_healthy lns
	it_check_healthy lac
	it_stop lac
	it_stop lns
	it_log "$method: $N subscribers up, wrong password refused, pool returned"
done
it_pass
