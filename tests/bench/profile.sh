#!/bin/bash
# Where the LNS spends its instructions setting sessions up: our LAC dials
# one load against our LNS run under valgrind's callgrind, and the profile's
# total instruction count and its hottest functions (inclusive and self) are
# printed.  Instruction counts, unlike seconds, hold on a busy machine:
# compare them before and after a change.  Not a test (no pass/fail on a
# figure); run by hand:
#
#   tests/bench/profile.sh [l2tp|ppp|ha] [TUNNELS] [PER_TUNNEL]
#     l2tp (default): TUNNELS (1) x PER_TUNNEL (2000) sessions, no PPP
#     ppp:            TUNNELS (1) x PER_TUNNEL (200) PPP subscribers
#                     (LCP + CHAP + IPCP on the null data path)
#     ha:             TUNNELS (100) x PER_TUNNEL (10) sessions to an HA pair
#                     of our LNS behind keepalived (the topology of
#                     tests/integration/ha_lib.sh, as ha_failover.sh runs
#                     it): box a active on the VIP, box b its standby, our
#                     LAC dialling the VIP.  PROFILE_SIDE is active (the
#                     default) or standby; PROFILE_STANDBY=0 runs the
#                     active alone (the same load without a standby, to
#                     set against it).  Only the dial is counted: the
#                     profiled daemon starts with callgrind's
#                     instrumentation off, switched on (callgrind_control)
#                     when the LAC dials and off once the LNS holds every
#                     session and, with a standby, every checkpoint is
#                     acknowledged; every thread counts (ZeroMQ's too).
#                     The active's checkpoint stream a session (records,
#                     records a message, bytes a record, acks) is printed
#                     from `show l2tp redundancy detail`.  PROFILE_LOGS=DIR:
#                     the daemons' logs are copied there (with
#                     L2T_HA_DEBUG=cf, say, a line for every record).
#
# Needs valgrind (scripts/install-deps.sh).
# Environment: L2T_BUILD (default build/), PROFILE_OUT (the callgrind file;
# default /tmp/profile-KIND-PID.callgrind, kept), PROFILE_TOP (20),
# PROFILE_SIDE (lns, the default, or lac: the load generator under callgrind
# instead, to see whether it is what bounds the rate; active or standby in
# the ha mode), PROFILE_TOOL
# (callgrind, the default, or strace: the system calls of that side, counted,
# and a session's share of each; the kernel's part of the cost; in the ha
# mode strace attaches to the running daemon for the dial only, every
# thread).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
if [ -z "${L2T_BUILD:-}" ] && [ -z "${L2TPD:-}" ]; then
	L2T_BUILD=$top/build
fi
KIND=${1:-l2tp}
case $KIND in
l2tp | ppp)
	# shellcheck source=../lib/lib.sh
	. "$top/tests/lib/lib.sh"
	;;
ha)
	# The pair's HELLOs as ha_failover.sh has them: one every 60 s.
	HA_HELLO=${HA_HELLO:-60}
	# shellcheck source=../integration/ha_lib.sh
	. "$top/tests/integration/ha_lib.sh"
	;;
*)
	echo "profile.sh: the kind is l2tp, ppp or ha, not $KIND" >&2
	exit 2
	;;
esac
case $KIND in
ppp) TUNNELS=${2:-1} PER=${3:-200} ;;
ha) TUNNELS=${2:-100} PER=${3:-10} ;;
*) TUNNELS=${2:-1} PER=${3:-2000} ;;
esac
TOTAL=$((TUNNELS * PER))

# profile_report OUT: the profile's total a session and its hottest
# functions, self and inclusive.
profile_report() {
	# The packet path (every datagram read) and the timers, per session.
	callgrind_annotate --inclusive=yes "$1" 2>/dev/null |
		awk -v n="$TOTAL" '/PROGRAM TOTALS/ { gsub(",", "", $1); printf "profile: instructions: total %s, %.0f a session\n", $1, $1 / n }
			/l2tp_net_read(_vec)? \[/ && !r { gsub(",", "", $1); r = 1; printf "profile: instructions: packet path (l2tp_net_read) %s, %.0f a session\n", $1, $1 / n }
			/ctl_client_read_cb \[/ && !c { gsub(",", "", $1); c = 1; printf "profile: instructions: control socket (shows) %s\n", $1 }'
	callgrind_annotate --inclusive=no "$1" 2>/dev/null | sed -n '/^Ir/,$p' | sed -n "1,$((${PROFILE_TOP:-20} + 2))p" |
		sed 's/^/profile: self /'
	callgrind_annotate --inclusive=yes "$1" 2>/dev/null | sed -n '/^Ir/,$p' | sed -n "1,$((${PROFILE_TOP:-20} + 2))p" |
		sed 's/^/profile: incl /'
	echo "profile: callgrind file $1"
}

# profile_syscalls FILE: strace -c's table, each call a session.
profile_syscalls() {
	awk -v n="$TOTAL" '$1 ~ /^[0-9.]+$/ && NF >= 5 { printf "profile: syscall %-16s %9d calls, %.2f a session\n", $NF, $4, $4 / n }' "$1" |
		sort -k4,4nr | head -n "${PROFILE_TOP:-20}"
	echo "profile: strace file $1"
}

# profile_ha: the ha mode (see the top of this file).
profile_ha() {
	local side=${PROFILE_SIDE:-active} standby=${PROFILE_STANDBY:-1} box out real wrap t0 now end
	local recs msgs bytes acks tool=${PROFILE_TOOL:-callgrind} st=""
	case $side in
	active) box=a ;;
	standby) box=b ;;
	*) it_fail "PROFILE_SIDE is active or standby in the ha mode, not $side" ;;
	esac
	[ "$side" = active ] || [ "$standby" = 1 ] || it_fail "PROFILE_SIDE=standby needs the standby (PROFILE_STANDBY=1)"
	case $tool in
	callgrind) it_require_cmd valgrind callgrind_annotate callgrind_control ;;
	strace) it_require_cmd strace ;;
	*) it_fail "PROFILE_TOOL is callgrind or strace, not $tool" ;;
	esac
	out=${PROFILE_OUT:-/tmp/profile-ha-$side-$$.$tool}
	real=$L2TPD
	wrap=$IT_DIR/l2tpd-callgrind
	# strace attaches to the running daemon for the dial only (below).
	if [ "$tool" = strace ]; then
		wrap=$real
	else
		cat >"$wrap" <<-EOF
		#!/bin/sh
		exec valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file=$out "$real" "\$@"
		EOF
		chmod +x "$wrap"
	fi
	ha_topology
	ha_keys a b
	[ "$box" = a ] && L2TPD=$wrap
	ha_box_start a
	L2TPD=$real
	it_wait 60 ha_is_active_on_vip a || ha_fail "a is not active on the VIP: $(it_ha_summary a)"
	if [ "$standby" = 1 ]; then
		[ "$box" = b ] && L2TPD=$wrap
		ha_start_standby b
		L2TPD=$real
		ha_wait_synced a b 0 0 60
	fi
	ha_lac_up ""
	if [ "$tool" = strace ]; then
		# every thread (ZeroMQ's too); its table is written on SIGINT
		strace -f -c -o "$out" -p "${IT_DPID[$box]}" 2>/dev/null &
		st=$!
		sleep 1
	else
		callgrind_control -i on "${IT_DPID[$box]}" >/dev/null || it_fail "callgrind_control -i on failed"
	fi
	t0=$(it_now)
	it_ctl lac test vpdn dial vpdn-group LAC sessions "$TOTAL" per-tunnel "$PER" >/dev/null ||
		it_fail "dial command failed"
	end=$(($(date +%s) + 600))
	# profile_ha_done: the LNS counts every session established and, with
	# a standby, every one HA-established (its checkpoint acknowledged).
	profile_ha_done() {
		it_json a show vpdn 2>/dev/null | jq -e --argjson s "$TOTAL" \
			'[.vpdn_groups[]?.sessions_up] | add // 0 | . >= $s' >/dev/null || return 1
		[ "$standby" = 1 ] || return 0
		it_ha_red a 2>/dev/null | jq -e --argjson s "$TOTAL" \
			'.session_totals.ha_established >= $s' >/dev/null
	}
	until profile_ha_done; do
		[ "$(date +%s)" -lt "$end" ] || ha_fail "not all $TOTAL up (and acknowledged) after 600 s"
		sleep 0.5
	done
	if [ -n "$st" ]; then
		kill -INT "$st"
		wait "$st" || true
	else
		callgrind_control -i off "${IT_DPID[$box]}" >/dev/null || it_fail "callgrind_control -i off failed"
	fi
	now=$(it_elapsed "$t0")
	read -r recs msgs bytes acks < <(it_ha_red a detail | jq -r '.link_stats |
		"\(.tx_records) \(.tx_msgs) \(.tx_bytes) \(.rx_acks)"')
	it_stop_pid "${IT_DPID[lac]}" 10
	unset "IT_DPID[lac]"
	it_stop_pid "${IT_DPID[$box]}" 120
	if [ -n "${PROFILE_LOGS:-}" ]; then
		mkdir -p "$PROFILE_LOGS" && cp "$IT_DIR"/*.log "$PROFILE_LOGS"/
	fi
	unset "IT_DPID[$box]"
	echo "profile: ha $TUNNELS x $PER: $TOTAL up in $now s, the $side under $tool ($([ "$standby" = 1 ] && echo with || echo without) a standby; the dial only)"
	if [ "$standby" = 1 ]; then
		awk -v r="$recs" -v m="$msgs" -v b="$bytes" -v a="$acks" -v n="$TOTAL" 'BEGIN {
			printf "profile: checkpoint stream of the active: %.2f records a session, %.1f records a message, %.0f bytes a record, %.2f acks a session\n",
				r / n, (m > 0) ? r / m : 0, (r > 0) ? b / r : 0, a / n }'
	fi
	if [ "$tool" = strace ]; then
		profile_syscalls "$out"
	else
		profile_report "$out"
	fi
	# shellcheck disable=SC2034 # read by it_cleanup (lib.sh)
	IT_RESULT=finished
}

if [ "$KIND" = ha ]; then
	ha_init profile-ha
	it_require_l2tpd
	it_require_cmd jq ip
	profile_ha
	exit 0
fi

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
	profile_syscalls "$OUT"
	# shellcheck disable=SC2034 # read by it_cleanup (lib.sh)
	IT_RESULT=finished
	exit 0
fi
profile_report "$OUT"
# shellcheck disable=SC2034 # read by it_cleanup (lib.sh)
IT_RESULT=finished
