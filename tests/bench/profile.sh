#!/bin/bash
# Where the LNS spends its instructions setting sessions up: our LAC dials
# one load against our LNS run under valgrind's callgrind, and the profile's
# total instruction count and its hottest functions (inclusive and self) are
# printed.  Instruction counts, unlike seconds, hold on a busy machine:
# compare them before and after a change.  Not a test (no pass/fail on a
# figure); run by hand:
#
#   tests/bench/profile.sh [l2tp|ppp] [TUNNELS] [PER_TUNNEL]
#     l2tp (default): TUNNELS (1) x PER_TUNNEL (2000) sessions, no PPP
#     ppp:            TUNNELS (1) x PER_TUNNEL (200) PPP subscribers
#                     (LCP + CHAP + IPCP on the null data path)
#
# Needs valgrind (scripts/install-deps.sh).
# Environment: L2T_BUILD (default build/), PROFILE_OUT (the callgrind file;
# default /tmp/profile-KIND-PID.callgrind, kept), PROFILE_TOP (20),
# PROFILE_SIDE (lns, the default, or lac: the load generator under callgrind
# instead, to see whether it is what bounds the rate), PROFILE_TOOL
# (callgrind, the default, or strace: the system calls of that side, counted,
# and a session's share of each; the kernel's part of the cost).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
if [ -z "${L2T_BUILD:-}" ] && [ -z "${L2TPD:-}" ]; then
	L2T_BUILD=$top/build
fi
# shellcheck source=../lib/lib.sh
. "$top/tests/lib/lib.sh"

KIND=${1:-l2tp}
TUNNELS=${2:-1}
if [ "$KIND" = ppp ]; then PER=${3:-200}; else PER=${3:-2000}; fi
TOTAL=$((TUNNELS * PER))

it_init profile
it_require_l2tpd
TOOL=${PROFILE_TOOL:-callgrind}
case $TOOL in
callgrind) it_require_cmd valgrind callgrind_annotate jq ip ;;
strace) it_require_cmd strace jq ip ;;
*) it_fail "PROFILE_TOOL is callgrind or strace, not $TOOL" ;;
esac
it_two_hosts
OUT=${PROFILE_OUT:-/tmp/profile-$KIND-$$.$TOOL}
SIDE=${PROFILE_SIDE:-lns}
case $SIDE in lns | lac) ;; *) it_fail "PROFILE_SIDE is lns or lac, not $SIDE" ;; esac

# One side under callgrind: a wrapper as l2tpd for that daemon only.
real=$L2TPD
wrap=$IT_DIR/l2tpd-callgrind
if [ "$TOOL" = strace ]; then
	# strace writes its table when the traced process ends, not when it
	# is itself stopped: the stop signal goes to the daemon.
	cat >"$wrap" <<EOF
#!/bin/bash
strace -f -c -o $OUT "$real" "\$@" &
st=\$!
trap 'kill -TERM \$(cat /proc/\$st/task/\$st/children); wait \$st' TERM INT
wait \$st
EOF
else
	cat >"$wrap" <<EOF
#!/bin/sh
exec valgrind --tool=callgrind --callgrind-out-file=$OUT "$real" "\$@"
EOF
fi
chmod +x "$wrap"

extra=""
[ "$KIND" = ppp ] && extra="username alice password wonderland"
[ "$SIDE" = lns ] && L2TPD=$wrap
if [ "$KIND" = ppp ]; then
	it_l2tpd lns "$NS_LNS" "$(it_conf_lns lns1 s3cret "" 1)
username alice password wonderland
$(it_conf_template 10.201.0.1 chap "" 10.200.255.254)"
else
	it_l2tpd lns "$NS_LNS" "$(it_conf_lns lns1 s3cret)"
fi
L2TPD=$real
[ "$SIDE" = lac ] && L2TPD=$wrap
it_l2tpd lac "$NS_LAC" "$(it_conf_lac lac1 s3cret "$IT_LNS_ADDR")"
L2TPD=$real

t0=$(it_now)
# shellcheck disable=SC2086 # extra is words
it_ctl lac test vpdn dial vpdn-group LAC sessions "$TOTAL" per-tunnel "$PER" $extra >/dev/null ||
	it_fail "dial command failed"
up=0
deadline=$(($(date +%s) + 600))
# went_up NAME: sessions NAME has seen reach established (`show vpdn`'s
# sessions_up) or PPP links that reached IPCP up (`show l2tp statistics`'
# ppp_up): counters, cheap to ask, unlike a listing of every session,
# which costs a daemon more than setting the sessions up and would weigh
# in the profile.  Checked against the full listing at the end.
went_up() {
	local j
	if [ "$KIND" = ppp ]; then
		j=$(it_json "$1" show l2tp statistics 2>/dev/null) || { echo 0; return 0; }
		jq -r '.ppp_up' <<<"$j"
	else
		j=$(it_json "$1" show vpdn 2>/dev/null) || { echo 0; return 0; }
		jq -r '[.vpdn_groups[].sessions_up] | add // 0' <<<"$j"
	fi
}
for side in lac lns; do
	while [ "$(date +%s)" -lt "$deadline" ]; do
		up=$(went_up "$side")
		[ "$up" -ge "$TOTAL" ] && break
		sleep 0.5
	done
done
# The listing under callgrind may outlast l2tpctl's patience: asked again.
up=0
while [ "$up" -lt "$TOTAL" ] && [ "$(date +%s)" -lt "$deadline" ]; do
	if [ "$KIND" = ppp ]; then
		up=$(it_ppp_up lns 2>/dev/null) || up=0
	else
		up=$(it_sessions lns established 2>/dev/null) || up=0
	fi
	[ "$up" -ge "$TOTAL" ] || sleep 1
done
now=$(it_elapsed "$t0")
other=lac
[ "$SIDE" = lac ] && other=lns
it_stop "$other"
it_stop_pid "${IT_DPID[$SIDE]}" 60
unset "IT_DPID[$SIDE]"
[ "$up" -ge "$TOTAL" ] || it_fail "only $up of $TOTAL up under callgrind after $now s"
echo "profile: $KIND $TUNNELS x $PER: $TOTAL up in $now s under $TOOL (the $SIDE's whole life: start, load, stop)"
if [ "$TOOL" = strace ]; then
	awk -v n="$TOTAL" '$1 ~ /^[0-9.]+$/ && NF >= 5 { printf "profile: syscall %-16s %9d calls, %.2f a session\n", $NF, $4, $4 / n }' "$OUT" |
		sort -k4,4nr | head -n "${PROFILE_TOP:-20}"
	echo "profile: strace file $OUT"
	# shellcheck disable=SC2034 # read by it_cleanup (lib.sh)
	IT_RESULT=finished
	exit 0
fi
# The packet path (every datagram read) and the timers, per session.
callgrind_annotate --inclusive=yes "$OUT" 2>/dev/null |
	awk -v n="$TOTAL" '/PROGRAM TOTALS/ { gsub(",", "", $1); printf "profile: instructions: total %s, %.0f a session\n", $1, $1 / n }
		/l2tp_net_read(_vec)? \[/ && !r { gsub(",", "", $1); r = 1; printf "profile: instructions: packet path (l2tp_net_read) %s, %.0f a session\n", $1, $1 / n }
		/ctl_client_read_cb \[/ && !c { gsub(",", "", $1); c = 1; printf "profile: instructions: control socket (shows) %s\n", $1 }'

callgrind_annotate --inclusive=no "$OUT" 2>/dev/null | sed -n '/^Ir/,$p' | sed -n "1,$((${PROFILE_TOP:-20} + 2))p" |
	sed 's/^/profile: self /'
callgrind_annotate --inclusive=yes "$OUT" 2>/dev/null | sed -n '/^Ir/,$p' | sed -n "1,$((${PROFILE_TOP:-20} + 2))p" |
	sed 's/^/profile: incl /'
echo "profile: callgrind file $OUT"
# shellcheck disable=SC2034 # read by it_cleanup (lib.sh)
IT_RESULT=finished
