#!/bin/bash
# Three tunnels from one LAC address and port, on the kernel data path: our
# LAC (`l2tp tunnel source-port 1701`, client mode: pppd on each session's
# PPPoL2TP socket) dials three tunnels, one subscriber each, from UDP port
# 1701 to the VIP of our LNS pair (`-d linux` on every box).  On Linux 6.1
# a kernel tunnel finds its sessions through the UDP socket a datagram lands
# on, so two tunnels on one 4-tuple mix their data; the LNS answers the
# second and third tunnel from ports of their own (RFC 2661 §8.1) and the
# LAC follows.  Asserted:
#  1. three subscribers up, each with its own pool address, each pinging the
#     LNS through its own pppN (and the LNS pinging each of them);
#  2. the LNS's kernel tunnels: three, from the LAC's 1701, on three local
#     ports (one of them 1701); the LAC's: three, from 1701, to those ports;
#  3. box A dies; B takes over: every subscriber pings again through B, B's
#     kernel tunnels are on A's ports with A's IDs, and the same pppd
#     processes run on (no renegotiation: their interfaces keep their
#     addresses).
# Topology: one L2 segment (it_ha_segment: bridge br0 in namespace kt-br):
#   kt-a   eth0 192.0.2.1/24 10.99.0.1/24 (+ VIP 192.0.2.10 while active)
#   kt-b   eth0 192.0.2.2/24 10.99.0.2/24 (+ VIP after the takeover)
#   kt-lac eth0 192.0.2.100/24: our LAC and its three pppd
# kt-timeout: 150
# shellcheck disable=SC2317 # predicates called through it_wait
set -euo pipefail
. "$(dirname "$0")/lib.sh"
kt_init l2tpd_reply_ports
it_require_cmd ip ping pppd jq
kt_require_modules l2tp_ppp ppp_generic pppox bridge
kt_require_pppol2tp

N=3
LNS_PPP=10.200.255.254
VIP=$IT_HA_VIP

it_ha_segment NS_LAC lac

# lns_conf NAME LOCAL PEER: the configuration of one box of the pair.
lns_conf() {
	it_conf_head "lns-$1"
	it_conf_redundancy "$2" "$3" "$VIP" " checkpoint security none"
	it_conf_template "$LNS_PPP" "chap pap" " mtu 1400"
	it_conf_dialin 1 " l2tp tunnel hello 2"
	echo "username alice password wonderland"
}
kt_ha_pair lns_conf

it_l2tpd lac "$NS_LAC" "$(it_conf_head lac
it_conf_dialout "$VIP" " local name lac
 l2tp tunnel source-port 1701
 l2tp tunnel hello 2")"
t0=$(it_now)
it_ctl lac test vpdn dial vpdn-group LAC sessions "$N" per-tunnel 1 username alice password wonderland \
	>"$IT_DIR/dial.out" 2>&1 || it_fail "test vpdn dial refused: $(tr '\n' ' ' <"$IT_DIR/dial.out")"
lac_up() { [ "$(kt_ppp_pairs "$NS_LAC" | wc -l)" = "$N" ]; }
it_wait 60 lac_up || it_fail "$(kt_ppp_pairs "$NS_LAC" | wc -l) of $N subscribers addressed after 60 s (a: $(it_ppp_up a) PPP up); LAC tunnels: $(ip -n "$NS_LAC" l2tp show tunnel | tr '\n' ' ')"
it_log "$N subscribers up in $(it_elapsed "$t0") s"
kt_ppp_pairs "$NS_LAC" | sort >"$IT_DIR/lac-ppp.txt"
[ "$(awk '{print $2}' "$IT_DIR/lac-ppp.txt" | sort -u | wc -l)" = "$N" ] ||
	it_fail "the subscribers do not have $N distinct addresses: $(tr '\n' ';' <"$IT_DIR/lac-ppp.txt")"

# pings_ok: every subscriber pings the LNS through its own pppN, and the
# LNS pings every subscriber.
pings_ok() {
	local ifc addr
	while read -r ifc addr _; do
		ip netns exec "$NS_LAC" ping -n -q -c 2 -i 0.2 -W 2 -I "$ifc" "$LNS_PPP" >>"$IT_DIR/ping.log" 2>&1 || return 1
		ip netns exec "$1" ping -n -q -c 2 -i 0.2 -W 2 "$addr" >>"$IT_DIR/ping.log" 2>&1 || return 1
	done <"$IT_DIR/lac-ppp.txt"
}
it_wait 20 pings_ok "$NS_A" || it_fail "not every subscriber pings through a (ping.log)"

# l2tp_tunnels NS: "tunnel peer_tunnel local_port peer_port" per kernel tunnel.
l2tp_tunnels() {
	ip -n "$1" l2tp show tunnel |
		awk '/^Tunnel /{ t = $2 } /Peer tunnel/{ p = $3 } /ports:/{ split($NF, a, "/"); print t, p, a[1], a[2] }' | tr -d , | sort
}
l2tp_tunnels "$NS_A" >"$IT_DIR/a-tunnels.txt"
l2tp_tunnels "$NS_LAC" >"$IT_DIR/lac-tunnels.txt"
[ "$(wc -l <"$IT_DIR/a-tunnels.txt")" = "$N" ] || it_fail "a has $(wc -l <"$IT_DIR/a-tunnels.txt") kernel tunnels, not $N"
awk '$4 != 1701 { bad = 1 } END { exit bad }' "$IT_DIR/a-tunnels.txt" ||
	it_fail "a's kernel tunnels are not all toward the LAC's 1701: $(tr '\n' ';' <"$IT_DIR/a-tunnels.txt")"
[ "$(awk '{ print $3 }' "$IT_DIR/a-tunnels.txt" | sort -u | wc -l)" = "$N" ] ||
	it_fail "a's kernel tunnels share a local port: $(tr '\n' ';' <"$IT_DIR/a-tunnels.txt") (tunnel peer local remote)"
[ "$(awk '$3 == 1701' "$IT_DIR/a-tunnels.txt" | wc -l)" = 1 ] ||
	it_fail "not exactly one of a's kernel tunnels on 1701: $(tr '\n' ';' <"$IT_DIR/a-tunnels.txt")"
awk '$3 != 1701 { bad = 1 } END { exit bad }' "$IT_DIR/lac-tunnels.txt" ||
	it_fail "the LAC's kernel tunnels do not all leave from 1701: $(tr '\n' ';' <"$IT_DIR/lac-tunnels.txt")"
[ "$(awk '{ print $4 }' "$IT_DIR/lac-tunnels.txt" | sort)" = "$(awk '{ print $3 }' "$IT_DIR/a-tunnels.txt" | sort)" ] ||
	it_fail "the LAC's kernel tunnels do not go to a's ports: lac $(tr '\n' ';' <"$IT_DIR/lac-tunnels.txt") a $(tr '\n' ';' <"$IT_DIR/a-tunnels.txt")"
it_log "a's kernel tunnels on ports $(awk '{ print $3 }' "$IT_DIR/a-tunnels.txt" | tr '\n' ' ')from the LAC's 1701; every subscriber pings"
standby_full() { it_ha_standby_has b "$N" "$N"; }
it_wait 20 standby_full || it_fail "standby b not in sync with $N tunnels / $N sessions: $(it_ha_summary b)"
pppds=$(pgrep -P "${IT_DPID[lac]}" -x pppd | sort | tr '\n' ' ')
[ "$(wc -w <<<"$pppds")" = "$N" ] || it_fail "the LAC runs $(wc -w <<<"$pppds") pppd, not $N"

# Box A dies; B takes the VIP and is told master.
tk=$(it_now)
kt_ha_kill_box a "$NS_A"
kt_ha_take_vip "$NS_B" || true
kt_ha_state b master
it_wait 10 it_ha_is b active || it_fail "b is not active: $(it_ha_summary b)"
it_wait 30 pings_ok "$NS_B" || it_fail "not every subscriber pings through b after the takeover: $(it_ha_summary b)"
it_log "every subscriber pings through b $(it_elapsed "$tk") s after the kill"
l2tp_tunnels "$NS_B" >"$IT_DIR/b-tunnels.txt"
cmp -s "$IT_DIR/a-tunnels.txt" "$IT_DIR/b-tunnels.txt" ||
	it_fail "b's kernel tunnels are not a's: a $(tr '\n' ';' <"$IT_DIR/a-tunnels.txt") b $(tr '\n' ';' <"$IT_DIR/b-tunnels.txt")"
[ "$(pgrep -P "${IT_DPID[lac]}" -x pppd | sort | tr '\n' ' ')" = "$pppds" ] ||
	it_fail "the LAC's pppd changed: $pppds -> $(pgrep -P "${IT_DPID[lac]}" -x pppd | sort | tr '\n' ' ')"
kt_ppp_pairs "$NS_LAC" | sort >"$IT_DIR/lac-ppp-after.txt"
cmp -s "$IT_DIR/lac-ppp.txt" "$IT_DIR/lac-ppp-after.txt" || it_fail "the subscribers' interfaces or addresses changed"
it_alive b || it_fail "l2tpd b died"
it_alive lac || it_fail "l2tpd lac died"
it_pass
