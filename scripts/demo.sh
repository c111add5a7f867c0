#!/bin/bash
# The main job, for now: an LNS and a LAC on this host, each in its own
# network namespace (joined by a veth pair: LAC 10.1.0.1, LNS 10.1.0.2),
# both running the default configuration doc/l2tpd.conf.example.  The LNS
# takes it as it is (its vpdn-group LNS accepts "lac1"); the LAC takes it with
# its request-dialin group TO-LNS pointed at the LNS namespace, named "lac1"
# and given the LNS group's password (the differences are printed).  The LAC
# places DEMO_SESSIONS sessions (default 20, DEMO_PER_TUNNEL = 10 a tunnel),
# both sides show their tunnels, then both stop with SIGTERM (StopCCN to the
# peer).  The null data path is used: this host's kernel has no L2TP modules.
# Needs root; builds build/ if it is not there.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
SESSIONS=${DEMO_SESSIONS:-20}
PER_TUNNEL=${DEMO_PER_TUNNEL:-10}
CONF=${DEMO_CONF:-$top/doc/l2tpd.conf.example}

if [ "$(id -u)" -ne 0 ]; then
	echo "demo: needs root for network namespaces: sudo $0" >&2
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
# shellcheck source=../tests/integration/lib.sh
. "$top/tests/integration/lib.sh"

it_init demo
it_require_l2tpd
it_require_cmd ip jq

step() { printf '\n### %s\n' "$*"; }

[ -f "$CONF" ] || it_fail "no configuration $CONF"
it_two_hosts
step "namespaces $NS_LAC ($IT_LAC_ADDR) and $NS_LNS ($IT_LNS_ADDR)"

lns_conf=$(cat "$CONF")
# The LAC: the same file, its TO-LNS group aimed at the LNS namespace.
lac_conf=$(awk -v lns="$IT_LNS_ADDR" '
	/^vpdn-group / { grp = $2 }
	/^hostname / { print "hostname lac1"; next }
	grp == "TO-LNS" && /^ initiate-to ip / { print " initiate-to ip " lns; next }
	grp == "TO-LNS" && /^ local name / { print " local name lac1"; next }
	grp == "TO-LNS" && /^ l2tp tunnel password / { print " l2tp tunnel password s3cret"; next }
	{ print }' "$CONF")
echo "LNS: ${CONF#"$top"/}"
echo "LAC: ${CONF#"$top"/} with these changes:"
diff <(printf '%s\n' "$lns_conf") <(printf '%s\n' "$lac_conf") | sed -n 's/^[<>]/  &/p' || true

step "starting the LNS and the LAC"
it_l2tpd lns "$NS_LNS" "$lns_conf"
it_l2tpd lac "$NS_LAC" "$lac_conf"
echo "LNS pid ${IT_DPID[lns]}, LAC pid ${IT_DPID[lac]}"

tunnels=$(((SESSIONS + PER_TUNNEL - 1) / PER_TUNNEL))
step "LAC: test vpdn dial vpdn-group TO-LNS sessions $SESSIONS per-tunnel $PER_TUNNEL username alice password wonderland"
# Each session carries a PPP subscriber played by the LAC; the LNS runs
# LCP, authentication (local user alice) and IPCP (an address from its pool).
it_ctl lac test vpdn dial vpdn-group TO-LNS sessions "$SESSIONS" per-tunnel "$PER_TUNNEL" \
	username alice password wonderland
if ! it_wait 30 it_counts_ok lac "$tunnels" "$SESSIONS"; then
	it_fail "LAC: $(it_counts lac) after 30 s"
fi
it_wait 10 it_counts_ok lns "$tunnels" "$SESSIONS" || it_fail "LNS: $(it_counts lns)"
echo "established: $tunnels tunnels, $SESSIONS sessions on each side"
ppp_up() {
	it_json lns show l2tp session | jq "[$IT_JQ_ROWS | select(.ppp_up == true)] | length"
}
ppp_all_up() { [ "$(ppp_up 2>/dev/null)" = "$SESSIONS" ]; }
it_wait 30 ppp_all_up || it_fail "LNS: only $(ppp_up) of $SESSIONS subscribers reached PPP up"
echo "PPP up: $SESSIONS subscribers authenticated with pool addresses"

step "LNS: show l2tp tunnel"
it_ctl lns show l2tp tunnel
step "LAC: show l2tp tunnel"
it_ctl lac show l2tp tunnel
step "LNS: show l2tp session"
it_ctl lns show l2tp session
step "LNS: show ip local pool"
it_ctl lns show ip local pool
step "LNS: show vpdn"
it_ctl lns show vpdn

step "stopping the LAC (SIGTERM: StopCCN on every tunnel)"
it_stop lac
it_wait 10 it_tunnels_eq lns 0 established || it_fail "LNS still has $(it_counts lns)"
step "LNS: show l2tp tunnel (the StopCCN receiver keeps a closing tunnel for one retransmit cycle)"
it_ctl lns show l2tp tunnel
step "stopping the LNS"
it_stop lns

step "log excerpts"
for d in lns lac; do
	grep -E 'tunnel [0-9]+/[0-9]+:' "$IT_DIR/$d.log" | head -n 6 | sed "s/^/  $d| /" || true
done
IT_RESULT=finished
echo
echo "demo: OK"
