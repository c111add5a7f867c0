#!/bin/bash
# Bad input against our LNS (l2tpd -d linux), with xl2tpd + pppd subscribers
# (kernel mode, pppol2tp):
#  - a subscriber with a wrong password is refused (its session cleared,
#    no pppN, no address) while the others stay up and keep pinging;
#  - a LAC that vanishes (kill -9 of its xl2tpd and pppd: nothing more is
#    sent) is detected by HELLO / LCP echo (short `l2tp tunnel hello` and
#    `keepalive`) and cleaned up: no kernel tunnel, session, pppN, address
#    or route left for it, the others still up and pinging.
# shellcheck disable=SC2317 # predicates called through it_wait
set -euo pipefail
. "$(dirname "$0")/lib.sh"
kt_init l2tpd_bad_input
it_require_cmd ip ping xl2tpd pppd jq
kt_require_modules l2tp_ppp ppp_generic pppox
kt_require_pppol2tp

LNS_PPP=10.200.255.254
it_two_hosts
it_l2tpd lns "$NS_LNS" "$(it_conf_head lns
it_conf_users 4
it_conf_template "$LNS_PPP" "chap ms-chap-v2 pap" " keepalive 2 2
 mtu 1400"
it_conf_dialin 1 " l2tp tunnel hello 2
 l2tp tunnel retransmit retries 2
 l2tp tunnel retransmit timeout min 1
 l2tp tunnel retransmit timeout max 1")"

# sub1..sub3 good (PAP, CHAP, MS-CHAPv2), sub4 with a wrong password.
kt_subscriber 1 sub1 pw1 pap "$IT_LNS_ADDR"
kt_subscriber 2 sub2 pw2 chap "$IT_LNS_ADDR"
kt_subscriber 3 sub3 pw3 mschapv2 "$IT_LNS_ADDR"
kt_subscriber 4 sub4 wrong chap "$IT_LNS_ADDR"
t0=$(it_now)
kt_subscribers_start "$NS_LAC" 1 2 3 4

lac_n() { [ "$(kt_ppp_pairs "$NS_LAC" | wc -l)" = "$1" ]; }
lns_up_n() { [ "$(it_ppp_up lns)" = "$1" ]; }
refused() { it_grep_log_case lns 'authentication of "sub4" failed'; }
it_wait 40 lac_n 3 || it_fail "$(kt_ppp_pairs "$NS_LAC" | wc -l) of 3 good subscribers addressed after 40 s"
it_wait 20 refused || it_fail "the LNS did not log sub4's failed authentication"
it_log "3 subscribers up, sub4 refused, in $(it_elapsed "$t0") s"

# The refused one: its pppd gave up, the LNS cleared its session and has
# only the three good ones (sessions, PPP up, pppN, kernel sessions).
gone4() {
	[ "$(it_json lns show l2tp session | jq "[$IT_JQ_ROWS] | length")" = 3 ] &&
		[ "$(kt_l2tp_count "$NS_LNS" session)" = 3 ] && [ "$(kt_ppp_ifaces "$NS_LNS" | wc -l)" = 3 ]
}
it_wait 20 gone4 ||
	it_fail "after the refusal the LNS has $(it_json lns show l2tp session | jq "[$IT_JQ_ROWS] | length") sessions, $(kt_l2tp_count "$NS_LNS" session) kernel sessions, $(kt_ppp_ifaces "$NS_LNS" | wc -l) ppp interfaces (3 expected)"
lns_up_n 3 || it_fail "the LNS shows $(it_ppp_up lns) sessions with PPP up, not 3"
it_grep_log_case sub4-pppd 'authentication failed' || it_fail "sub4's pppd did not log a failed authentication"
f=$(it_json lns show l2tp statistics | jq '[.. | objects | select(has("ppp_auth_failures")) | .ppp_auth_failures] | add // 0')
[ "$f" -ge 1 ] || it_fail "ppp_auth_failures is $f after a wrong password"
[ "$(it_json lns show l2tp session | jq -r "[$IT_JQ_ROWS | .user] | sort | join(\" \")")" = "sub1 sub2 sub3" ] ||
	it_fail "the LNS's users are not sub1 sub2 sub3"
it_log "sub4 refused and cleared; the others untouched"

# ping_all: every subscriber still answered and answering (both ways).
ping_all() {
	local ifc addr bad=
	while read -r ifc addr _; do
		kt_ping "$NS_LNS" "$addr" 2 || bad+=" LNS->$addr"
		ip netns exec "$NS_LAC" ping -n -q -c 2 -i 0.2 -W 2 -I "$ifc" "$LNS_PPP" >>"$IT_DIR/ping.log" 2>&1 ||
			bad+=" $ifc->LNS"
	done < <(kt_ppp_pairs "$NS_LAC")
	[ -z "$bad" ] || it_fail "pings failed:$bad"
}
# One subscriber per interface: replies leave through their own session.
while read -r ifc addr _; do
	t=$((100 + ${addr##*.}))
	printf 'rule add from %s table %d\nroute add default dev %s table %d\n' "$addr" "$t" "$ifc" "$t"
done < <(kt_ppp_pairs "$NS_LAC") >"$IT_DIR/rules.batch"
ip -n "$NS_LAC" -batch "$IT_DIR/rules.batch" || it_fail "policy routes in the LAC namespace failed"
ping_all
it_log "the 3 good subscribers ping both ways"

# sub1's LAC vanishes: kill -9 its xl2tpd and pppd.  The LNS must notice
# (LCP echo every 2 s, 2 misses; HELLO after 2 s, 2 retransmissions).
addr1=$(sed -n 's/.*local  *IP address \([0-9.]*\).*/\1/p' "$IT_DIR/sub1-pppd.log" | tail -n 1)
[ -n "$addr1" ] || it_fail "no local address in sub1's pppd log"
ppp1=$(head -n 1 /run/ppp-sub1.pid 2>/dev/null) || it_fail "no /run/ppp-sub1.pid"
x1=$(cat "$IT_DIR/xl2tpd1.pid" 2>/dev/null) || it_fail "no pid file of sub1's xl2tpd"
lns_if1=$(kt_ppp_pairs "$NS_LNS" | awk -v a="$addr1" '$3 == a { print $1 }')
[ -n "$lns_if1" ] || it_fail "no LNS interface for sub1 ($addr1)"
kill -KILL "$x1" "$ppp1" || it_fail "could not kill sub1's xl2tpd ($x1) and pppd ($ppp1)"
t1=$(it_now)
it_log "killed sub1's xl2tpd $x1 and pppd $ppp1 (address $addr1, LNS $lns_if1)"
# Gone: sub1's tunnel (peer port 1801) in l2tpd and in the kernel, its
# session and pppN.  (sub4's xl2tpd keeps its empty tunnel: not ours to close.)
tun1() { it_json lns show l2tp tunnel | jq "[$IT_JQ_ROWS | select(.remote_port == 1801)] | length"; }
ktun1() { ip -n "$NS_LNS" l2tp show tunnel | grep -c 'ports: 1701/1801$' || true; }
gone1() {
	[ "$(tun1)" = 0 ] && [ "$(ktun1)" = 0 ] &&
		[ "$(it_json lns show l2tp session | jq "[$IT_JQ_ROWS] | length")" = 2 ] &&
		[ "$(kt_l2tp_count "$NS_LNS" session)" = 2 ] &&
		! ip -n "$NS_LNS" link show dev "$lns_if1" >/dev/null 2>&1
}
it_wait 30 gone1 ||
	it_fail "sub1 not cleaned up 30 s after it vanished: its tunnel in l2tpd $(tun1), in the kernel $(ktun1); sessions: l2tpd $(it_json lns show l2tp session | jq "[$IT_JQ_ROWS] | length"), kernel $(kt_l2tp_count "$NS_LNS" session) (2 expected); $lns_if1 $(ip -n "$NS_LNS" link show dev "$lns_if1" >/dev/null 2>&1 && echo present || echo gone)"
it_log "sub1's loss detected and cleaned up in $(it_elapsed "$t1") s"
it_grep_log_case lns 'echo|HELLO|Hello|retransmi|dead' || it_fail "the LNS log does not say how it noticed sub1's loss"
! ip -n "$NS_LNS" -4 addr show | grep -q "peer $addr1/" || it_fail "the LNS still has an address towards $addr1"
! ip -n "$NS_LNS" -4 route show | grep -q "^$addr1 " || it_fail "the LNS still has a route to $addr1"
[ "$(it_json lns show l2tp session | jq -r "[$IT_JQ_ROWS | .user] | sort | join(\" \")")" = "sub2 sub3" ] ||
	it_fail "the LNS's users are not sub2 sub3 after sub1 vanished"
lns_up_n 2 || it_fail "sub2 and sub3 are not both up on the LNS any more"
# Its pppN on the LAC side went with pppd; the others still ping.
ping_all
it_log "sub2 and sub3 still ping both ways"
it_alive lns || it_fail "l2tpd died"
it_pass
