#!/bin/bash
# Bad input against our LNS (l2tpd -d linux), with xl2tpd + pppd subscribers
# (kernel mode, pppol2tp):
#  - a subscriber with a wrong password is refused (its session cleared,
#    no pppN, no address) while the others stay up and keep pinging;
#  - a LAC that vanishes (kill -9 of its xl2tpd and pppd: nothing more is
#    sent) is detected by HELLO / LCP echo (short `l2tp tunnel hello` and
#    `keepalive`) and cleaned up: no kernel tunnel, session, pppN, address
#    or route left for it, the others still up and pinging.
# shellcheck disable=SC2317 # predicates called through kt_wait
set -euo pipefail
. "$(dirname "$0")/lib.sh"
kt_init l2tpd_bad_input
kt_require_cmd ip ping xl2tpd pppd jq
kt_require_modules l2tp_ppp ppp_generic pppox
compgen -G "/usr/lib/pppd/*/pppol2tp.so" >/dev/null || kt_fail "pppd's pppol2tp plugin is missing (package ppp)"

LNS_PPP=10.200.255.254
kt_two_hosts
kt_l2tpd lns "$NS_LNS" "hostname lns
vpdn enable
username sub1 password pw1
username sub2 password pw2
username sub3 password pw3
username sub4 password pw4
ip local pool SUBS 10.200.0.1 10.200.0.254
interface Virtual-Template1
 ip address $LNS_PPP 255.255.255.255
 peer default ip address pool SUBS
 ppp authentication chap ms-chap-v2 pap
 keepalive 2 2
 mtu 1400
vpdn-group LNS
 accept-dialin
  protocol l2tp
  virtual-template 1
 l2tp tunnel hello 2
 l2tp tunnel retransmit retries 2
 l2tp tunnel retransmit timeout min 1
 l2tp tunnel retransmit timeout max 1"

# sub1..sub3 good (PAP, CHAP, MS-CHAPv2), sub4 with a wrong password.
kt_subscriber 1 sub1 pw1 pap "$KT_LNS_ADDR"
kt_subscriber 2 sub2 pw2 chap "$KT_LNS_ADDR"
kt_subscriber 3 sub3 pw3 mschapv2 "$KT_LNS_ADDR"
kt_subscriber 4 sub4 wrong chap "$KT_LNS_ADDR"
t0=$(kt_now)
kt_subscribers_start "$NS_LAC" 1 2 3 4

lac_n() { [ "$(kt_ppp_pairs "$NS_LAC" | wc -l)" = "$1" ]; }
lns_up_n() { [ "$(kt_sessions_up lns)" = "$1" ]; }
refused() { kt_log_has lns 'authentication of "sub4" failed'; }
kt_wait 40 lac_n 3 || kt_fail "$(kt_ppp_pairs "$NS_LAC" | wc -l) of 3 good subscribers addressed after 40 s"
kt_wait 20 refused || kt_fail "the LNS did not log sub4's failed authentication"
kt_log "3 subscribers up, sub4 refused, in $(kt_elapsed "$t0") s"

# The refused one: its pppd gave up, the LNS cleared its session and has
# only the three good ones (sessions, PPP up, pppN, kernel sessions).
gone4() {
	[ "$(kt_json lns show l2tp session | jq "[$KT_JQ_ROWS] | length")" = 3 ] &&
		[ "$(kt_l2tp_count "$NS_LNS" session)" = 3 ] && [ "$(kt_ppp_ifaces "$NS_LNS" | wc -l)" = 3 ]
}
kt_wait 20 gone4 ||
	kt_fail "after the refusal the LNS has $(kt_json lns show l2tp session | jq "[$KT_JQ_ROWS] | length") sessions, $(kt_l2tp_count "$NS_LNS" session) kernel sessions, $(kt_ppp_ifaces "$NS_LNS" | wc -l) ppp interfaces (3 expected)"
lns_up_n 3 || kt_fail "the LNS shows $(kt_sessions_up lns) sessions with PPP up, not 3"
kt_log_has sub4-pppd 'authentication failed' || kt_fail "sub4's pppd did not log a failed authentication"
f=$(kt_json lns show l2tp statistics | jq '[.. | objects | select(has("ppp_auth_failures")) | .ppp_auth_failures] | add // 0')
[ "$f" -ge 1 ] || kt_fail "ppp_auth_failures is $f after a wrong password"
[ "$(kt_json lns show l2tp session | jq -r "[$KT_JQ_ROWS | .user] | sort | join(\" \")")" = "sub1 sub2 sub3" ] ||
	kt_fail "the LNS's users are not sub1 sub2 sub3"
kt_log "sub4 refused and cleared; the others untouched"

# ping_all: every subscriber still answered and answering (both ways).
ping_all() {
	local ifc addr bad=
	while read -r ifc addr _; do
		kt_ping "$NS_LNS" "$addr" 2 || bad+=" LNS->$addr"
		ip netns exec "$NS_LAC" ping -n -q -c 2 -i 0.2 -W 2 -I "$ifc" "$LNS_PPP" >>"$KT_DIR/ping.log" 2>&1 ||
			bad+=" $ifc->LNS"
	done < <(kt_ppp_pairs "$NS_LAC")
	[ -z "$bad" ] || kt_fail "pings failed:$bad"
}
# One subscriber per interface: replies leave through their own session.
while read -r ifc addr _; do
	t=$((100 + ${addr##*.}))
	printf 'rule add from %s table %d\nroute add default dev %s table %d\n' "$addr" "$t" "$ifc" "$t"
done < <(kt_ppp_pairs "$NS_LAC") >"$KT_DIR/rules.batch"
ip -n "$NS_LAC" -batch "$KT_DIR/rules.batch" || kt_fail "policy routes in the LAC namespace failed"
ping_all
kt_log "the 3 good subscribers ping both ways"

# sub1's LAC vanishes: kill -9 its xl2tpd and pppd.  The LNS must notice
# (LCP echo every 2 s, 2 misses; HELLO after 2 s, 2 retransmissions).
addr1=$(sed -n 's/.*local  *IP address \([0-9.]*\).*/\1/p' "$KT_DIR/sub1-pppd.log" | tail -n 1)
[ -n "$addr1" ] || kt_fail "no local address in sub1's pppd log"
ppp1=$(head -n 1 /run/ppp-sub1.pid 2>/dev/null) || kt_fail "no /run/ppp-sub1.pid"
x1=$(cat "$KT_DIR/xl2tpd1.pid" 2>/dev/null) || kt_fail "no pid file of sub1's xl2tpd"
lns_if1=$(kt_ppp_pairs "$NS_LNS" | awk -v a="$addr1" '$3 == a { print $1 }')
[ -n "$lns_if1" ] || kt_fail "no LNS interface for sub1 ($addr1)"
kill -KILL "$x1" "$ppp1" || kt_fail "could not kill sub1's xl2tpd ($x1) and pppd ($ppp1)"
t1=$(kt_now)
kt_log "killed sub1's xl2tpd $x1 and pppd $ppp1 (address $addr1, LNS $lns_if1)"
# Gone: sub1's tunnel (peer port 1801) in l2tpd and in the kernel, its
# session and pppN.  (sub4's xl2tpd keeps its empty tunnel: not ours to close.)
tun1() { kt_json lns show l2tp tunnel | jq "[$KT_JQ_ROWS | select(.remote_port == 1801)] | length"; }
ktun1() { ip -n "$NS_LNS" l2tp show tunnel | grep -c 'ports: 1701/1801$' || true; }
gone1() {
	[ "$(tun1)" = 0 ] && [ "$(ktun1)" = 0 ] &&
		[ "$(kt_json lns show l2tp session | jq "[$KT_JQ_ROWS] | length")" = 2 ] &&
		[ "$(kt_l2tp_count "$NS_LNS" session)" = 2 ] &&
		! ip -n "$NS_LNS" link show dev "$lns_if1" >/dev/null 2>&1
}
kt_wait 30 gone1 ||
	kt_fail "sub1 not cleaned up 30 s after it vanished: its tunnel in l2tpd $(tun1), in the kernel $(ktun1); sessions: l2tpd $(kt_json lns show l2tp session | jq "[$KT_JQ_ROWS] | length"), kernel $(kt_l2tp_count "$NS_LNS" session) (2 expected); $lns_if1 $(ip -n "$NS_LNS" link show dev "$lns_if1" >/dev/null 2>&1 && echo present || echo gone)"
kt_log "sub1's loss detected and cleaned up in $(kt_elapsed "$t1") s"
kt_log_has lns 'echo|HELLO|Hello|retransmi|dead' || kt_fail "the LNS log does not say how it noticed sub1's loss"
! ip -n "$NS_LNS" -4 addr show | grep -q "peer $addr1/" || kt_fail "the LNS still has an address towards $addr1"
! ip -n "$NS_LNS" -4 route show | grep -q "^$addr1 " || kt_fail "the LNS still has a route to $addr1"
[ "$(kt_json lns show l2tp session | jq -r "[$KT_JQ_ROWS | .user] | sort | join(\" \")")" = "sub2 sub3" ] ||
	kt_fail "the LNS's users are not sub2 sub3 after sub1 vanished"
lns_up_n 2 || kt_fail "sub2 and sub3 are not both up on the LNS any more"
# Its pppN on the LAC side went with pppd; the others still ping.
ping_all
kt_log "sub2 and sub3 still ping both ways"
kt_alive lns || kt_fail "l2tpd died"
kt_pass
