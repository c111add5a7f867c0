#!/bin/bash
# The main job: an active/standby LNS pair and a LAC, on this host, each box
# in its own network namespace on one bridge (tests/integration/ha_lib.sh):
#
#   box a  192.0.2.1  (active: VRRP master, holds the VIP 192.0.2.10)
#   box b  192.0.2.2  (standby)
#   peer   192.0.2.100 (our LAC; its PPP subscribers are played by the LAC)
#
# Both LNS boxes run the default configuration doc/l2tpd.conf.example with
# its redundancy block switched on (the leading ! removed), each box with its
# own CURVE keypair from `l2tpctl redundancy keygen` (box b with local and
# peer swapped); keepalived (VRRPv3) owns the VIP and tells each daemon
# master/backup through `l2tpctl redundancy state`.  The LAC runs the same
# file with its TO-LNS group aimed at the VIP.  The LAC places DEMO_SESSIONS
# PPP subscribers (default 20, DEMO_PER_TUNNEL = 10 a tunnel); box b
# checkpoints them; then box a dies (its processes frozen, its link cut,
# SIGKILL).  Box b takes over: every tunnel and session stays, with the same
# IDs, users and addresses, and the LAC sees no StopCCN nor CDN; new calls
# then go through box b.  The null data path is used: this host's kernel
# has no L2TP modules (tests/kernel/ runs the kernel path in a VM).
# Needs root; builds build/ if it is not there.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
SESSIONS=${DEMO_SESSIONS:-20}
PER_TUNNEL=${DEMO_PER_TUNNEL:-10}
CONF=${DEMO_CONF:-$top/doc/l2tpd.conf.example}

if [ "$(id -u)" -ne 0 ]; then
	echo "demo: needs root for network namespaces: run it as root" >&2
	exit 1
fi

if [ -z "${L2T_BUILD:-}" ] && [ -z "${L2TPD:-}" ]; then
	L2T_BUILD=$top/build
	if [ ! -x "$L2T_BUILD/l2tpd/l2tpd" ] || [ ! -x "$L2T_BUILD/cli/l2tpctl" ]; then
		echo "demo: building in build/ (log: build/demo-build.log)"
		mkdir -p "$L2T_BUILD"
		{
			[ -x "$top/configure" ] || (cd "$top" && autoreconf -fi)
			[ -f "$L2T_BUILD/Makefile" ] || (cd "$L2T_BUILD" && "$top/configure")
			make -C "$L2T_BUILD" -j2
		} >"$L2T_BUILD/demo-build.log" 2>&1 || {
			tail -n 20 "$L2T_BUILD/demo-build.log" >&2
			echo "demo: build failed" >&2
			exit 1
		}
	fi
fi
export L2T_BUILD
# shellcheck source=../tests/integration/ha_lib.sh
. "$top/tests/integration/ha_lib.sh"

ha_init demo
it_require_l2tpd

step() { printf '\n### %s\n' "$*"; }

[ -f "$CONF" ] || it_fail "no configuration $CONF"

# demo_lns_conf BOX: the example file, its redundancy block switched on,
# with BOX's addresses and keys.
demo_lns_conf() {
	local box=$1 other
	other=$(ha_other "$box")
	awk -v me="${IT_HA_ADDR[$box]}" -v peer="${IT_HA_ADDR[$other]}" -v vip="$IT_HA_VIP" \
	    -v pub="${HA_PUB[$box]}" -v sec="${HA_SEC[$box]}" -v pk="${HA_PEERKEY[$box]}" '
		/^!redundancy$/ { on = 1 }
		# the commands of the block: !redundancy, !vpdn-group, ! mode ...
		on && /^![a-z]/ { sub(/^!/, "") }
		on && /^! (mode|checkpoint|virtual-address|sso|l2tp) / { sub(/^!/, "") }
		on && /^ checkpoint local / { print " checkpoint local " me; next }
		on && /^ checkpoint peer / { print " checkpoint peer " peer; next }
		on && /^ checkpoint curve / {
			print " checkpoint curve public-key " pub " secret-key " sec " peer-key " pk; next }
		on && /^ virtual-address / { print " virtual-address " vip; next }
		{ print }' "$CONF"
}

# The LAC: the same file, its TO-LNS group aimed at the VIP, named "lac1"
# (the name the LNS group terminates) with the LNS group's password.
demo_lac_conf() {
	awk -v vip="$IT_HA_VIP" '
		/^vpdn-group / { grp = $2 }
		/^hostname / { print "hostname lac1"; next }
		grp == "TO-LNS" && /^ initiate-to ip / { print " initiate-to ip " vip; next }
		grp == "TO-LNS" && /^ local name / { print " local name lac1"; next }
		grp == "TO-LNS" && /^ l2tp tunnel password / { print " l2tp tunnel password s3cret"; next }
		{ print }' "$CONF"
}

step "network namespaces and keys"
ha_topology
ha_keys
echo "boxes a (${IT_HA_ADDR[a]}), b (${IT_HA_ADDR[b]}), peer ($IT_HA_PEER_ADDR) on one bridge; VIP $IT_HA_VIP"
conf_a=$(demo_lns_conf a)
conf_b=$(demo_lns_conf b)
echo "box a: ${CONF#"$top"/}, the redundancy block on:"
printf '%s\n' "$conf_a" | sed -n '/^redundancy$/,/^!$/p' | sed -e 's/secret-key [^ ]*/secret-key .../' -e 's/^/  /'
printf '%s\n' "$conf_a" | sed -n '/^vpdn-group LNS$/,/^!$/p' | tail -n 4 | sed 's/^/  /'
echo "box b: the same with local and peer swapped and its own keys"

step "box a: l2tpd and keepalived (VRRP master, active)"
ha_box_start a "$conf_a"
it_wait 10 ha_is_active_on_vip a || it_fail "box a is not active on the VIP: $(it_ha_summary a)"
step "box b: l2tpd and keepalived (VRRP backup, standby)"
ha_start_standby b "$conf_b"

step "peer: the LAC dials $SESSIONS PPP subscribers (user alice), $PER_TUNNEL a tunnel"
it_l2tpd lac "${HA_NS[peer]}" "$(demo_lac_conf)"
tunnels=$(((SESSIONS + PER_TUNNEL - 1) / PER_TUNNEL))
it_ctl lac test vpdn dial vpdn-group TO-LNS sessions "$SESSIONS" per-tunnel "$PER_TUNNEL" \
	username alice password wonderland
it_wait 30 it_counts_ok lac "$tunnels" "$SESSIONS" || it_fail "LAC: $(it_counts lac)"
ppp_all_up() { it_ppp_up_eq "$1" "$SESSIONS"; }
it_wait 30 ppp_all_up a || it_fail "box a: only $(it_ppp_up a) of $SESSIONS subscribers reached PPP up"
ha_wait_synced a b "$tunnels" "$SESSIONS"

step "box a: show l2tp session"
it_ctl a show l2tp session
step "box a: show l2tp redundancy"
it_ctl a show l2tp redundancy
step "box b: show l2tp redundancy"
it_ctl b show l2tp redundancy
# sessions_of BOX: "tunnel/session user address" per session of BOX, the
# LNS's own IDs (a missing field fails: no null compares equal to a null).
sessions_of() {
	it_json "$1" show l2tp session |
		jq -er "$IT_JQ_ROWS | \"\(.tunnel_id // error(\"no tunnel_id\"))/\(.local_session_id // error(\"no local_session_id\")) \(.user // error(\"no user\")) \(.peer_ip // error(\"no peer_ip\"))\"" | sort
}
before=$(sessions_of a) || it_fail "box a: show l2tp session lacks a field"
[ "$(printf '%s\n' "$before" | grep -c .)" = "$SESSIONS" ] ||
	it_fail "box a shows $(printf '%s\n' "$before" | grep -c .) sessions, not $SESSIONS"

step "box a dies (processes frozen, link down, SIGKILL)"
ok0=$(ha_resync_counts b)
t0=$(it_now)
ha_kill_box a
it_wait 10 ha_is_active_on_vip b || it_fail "box b did not take over: $(it_ha_summary b)"
echo "box b active on the VIP $(it_elapsed "$t0") s after the kill"
# shellcheck disable=SC2086 # two numbers
it_wait 30 it_ha_resync_done b $ok0 "$tunnels" || it_fail "box b did not resync: $(it_ha_summary b)"
echo "every tunnel resynchronised $(it_elapsed "$t0") s after the kill"

step "box b: show l2tp redundancy"
it_ctl b show l2tp redundancy
step "box b: show l2tp session (same IDs, users and addresses)"
it_ctl b show l2tp session
after=$(sessions_of b) || it_fail "box b: show l2tp session lacks a field"
[ "$before" = "$after" ] || it_fail "the sessions changed at the takeover: $(diff <(echo "$before") <(echo "$after") | head -n 5)"
echo "box b holds the $SESSIONS sessions of box a, unchanged"
it_counts_ok lac "$tunnels" "$SESSIONS" || it_fail "LAC lost calls: $(it_counts lac)"
torn=$(it_json lac show l2tp statistics | jq -e '.rx_stopccn + .rx_cdn') || it_fail "the LAC's statistics lack rx_stopccn or rx_cdn"
[ "$torn" = 0 ] || it_fail "the LAC received $torn StopCCN/CDN"
echo "LAC: $tunnels tunnels, $SESSIONS sessions, no StopCCN or CDN received"

step "peer: $PER_TUNNEL more subscribers, through box b"
it_ctl lac test vpdn dial vpdn-group TO-LNS sessions "$PER_TUNNEL" per-tunnel "$PER_TUNNEL" \
	username alice password wonderland
it_wait 30 it_counts_ok lac $((tunnels + 1)) $((SESSIONS + PER_TUNNEL)) ||
	it_fail "LAC: $(it_counts lac)"
SESSIONS=$((SESSIONS + PER_TUNNEL))
it_wait 30 ppp_all_up b || it_fail "box b: only $(it_ppp_up b) subscribers reached PPP up"
step "box b: show l2tp tunnel"
it_ctl b show l2tp tunnel
step "box b: show ip local pool (no address handed out twice)"
it_ctl b show ip local pool

step "stopping"
it_stop lac
it_wait 10 it_tunnels_eq b 0 established || it_fail "box b still has $(it_counts b)"
# shellcheck disable=SC2034 # read by it_cleanup (lib.sh)
IT_RESULT=finished
echo
echo "demo: OK"
