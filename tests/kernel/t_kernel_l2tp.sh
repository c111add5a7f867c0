#!/bin/bash
# The kernel's L2TP data path without any daemon: the modules are loaded and
# /dev/ppp exists; `ip l2tp` creates a static (L2TPv3, UDP) tunnel and an
# Ethernet pseudowire session on both ends of a veth pair between two
# namespaces; `ip l2tp show` lists them; a ping crosses the pseudowire both
# ways; deleting them leaves no tunnel, session or l2tpeth interface.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
kt_init kernel_l2tp
it_require_cmd ip ping
kt_require_modules l2tp_core l2tp_netlink l2tp_ppp l2tp_eth ppp_generic pppox udp_tunnel
[ -c /dev/ppp ] || it_fail "/dev/ppp is not a character device"
[ "$(stat -c '%t:%T' /dev/ppp)" = "6c:0" ] || it_fail "/dev/ppp is not 108:0"

it_log "checks done"
it_two_hosts
it_log "namespaces up"
kt_no_l2tp "$NS_LAC" || it_fail "a fresh namespace already lists L2TP state"

# ns side-A tunnel 10 (peer 20), session 100 (peer 200), UDP 5000 <-> 5001.
ip -n "$NS_LAC" l2tp add tunnel tunnel_id 10 peer_tunnel_id 20 encap udp \
	local "$IT_LAC_ADDR" remote "$IT_LNS_ADDR" udp_sport 5000 udp_dport 5001 ||
	it_fail "ip l2tp add tunnel failed in $NS_LAC"
ip -n "$NS_LNS" l2tp add tunnel tunnel_id 20 peer_tunnel_id 10 encap udp \
	local "$IT_LNS_ADDR" remote "$IT_LAC_ADDR" udp_sport 5001 udp_dport 5000 ||
	it_fail "ip l2tp add tunnel failed in $NS_LNS"
ip -n "$NS_LAC" l2tp add session name l2tpeth0 tunnel_id 10 session_id 100 peer_session_id 200 ||
	it_fail "ip l2tp add session failed in $NS_LAC"
ip -n "$NS_LNS" l2tp add session name l2tpeth0 tunnel_id 20 session_id 200 peer_session_id 100 ||
	it_fail "ip l2tp add session failed in $NS_LNS"

show=$(ip -n "$NS_LAC" l2tp show tunnel)
printf '%s\n' "$show" >"$IT_DIR/show-tunnel.log"
grep -q '^Tunnel 10, encap UDP' <<<"$show" || it_fail "ip l2tp show tunnel does not list tunnel 10: $show"
grep -q 'Peer tunnel 20' <<<"$show" || it_fail "tunnel 10 does not show peer tunnel 20"
grep -q "From $IT_LAC_ADDR to $IT_LNS_ADDR" <<<"$show" || it_fail "tunnel 10 addresses wrong: $show"
show=$(ip -n "$NS_LAC" l2tp show session)
printf '%s\n' "$show" >"$IT_DIR/show-session.log"
grep -q '^Session 100 in tunnel 10' <<<"$show" || it_fail "ip l2tp show session does not list session 100: $show"
grep -q 'Peer session 200, tunnel 20' <<<"$show" || it_fail "session 100 does not show its peer"
grep -q 'interface name: l2tpeth0' <<<"$show" || it_fail "session 100 has no interface l2tpeth0"
[ "$(kt_l2tp_count "$NS_LNS" tunnel):$(kt_l2tp_count "$NS_LNS" session)" = 1:1 ] ||
	it_fail "$NS_LNS lists $(kt_l2tp_count "$NS_LNS" tunnel) tunnels, $(kt_l2tp_count "$NS_LNS" session) sessions"

it_log "tunnels and sessions listed"
# Data across the pseudowire.
ip -n "$NS_LAC" addr add 10.2.0.1/30 dev l2tpeth0
ip -n "$NS_LNS" addr add 10.2.0.2/30 dev l2tpeth0
ip -n "$NS_LAC" link set l2tpeth0 up
ip -n "$NS_LNS" link set l2tpeth0 up
kt_ping "$NS_LAC" 10.2.0.2 || it_fail "no ping over the pseudowire from $NS_LAC"
kt_ping "$NS_LNS" 10.2.0.1 || it_fail "no ping over the pseudowire from $NS_LNS"
ip -n "$NS_LAC" -s link show l2tpeth0 >>"$IT_DIR/show-session.log"

it_log "pings done"
# Delete the session, then the tunnel, on both sides.
for ns in "$NS_LAC" "$NS_LNS"; do
	if [ "$ns" = "$NS_LAC" ]; then t=10 s=100; else t=20 s=200; fi
	ip -n "$ns" l2tp del session tunnel_id "$t" session_id "$s" || it_fail "ip l2tp del session failed in $ns"
	ip -n "$ns" l2tp del tunnel tunnel_id "$t" || it_fail "ip l2tp del tunnel failed in $ns"
done
for ns in "$NS_LAC" "$NS_LNS"; do
	it_wait 5 kt_no_l2tp "$ns" || it_fail "$ns still lists L2TP state after deletion: $(ip -n "$ns" l2tp show tunnel)"
	if ip -n "$ns" link show l2tpeth0 >/dev/null 2>&1; then
		it_fail "l2tpeth0 is left in $ns after the session was deleted"
	fi
done
it_pass
