#!/bin/bash
# Session set-up rate, in one run:
#   our LAC -> our LNS:  1 tunnel x 10000 sessions, 1000 tunnels x 1 session
#   side by side: the same LAC against our LNS, l2tpns (Debian) and xl2tpd
#     as the LNS, the same two loads each (1 tunnel x BENCH_SIDE_SESSIONS,
#     BENCH_SIDE_TUNNELS x 1 session): a table of sessions/s, set-up time
#     p50/p99 and the LNS's RSS per session for each LNS, the ratios ours/
#     theirs, and one figure, sessions established over time for each LNS
#     (gnuplot PNG, BENCH_PLOT; without gnuplot the bench says so and keeps
#     the figure's data beside where the PNG would be)
# and the PPP, HA, restart, flood and PPPoE figures:
#   ha_bench (built with the daemon): checkpoint records/s over ZeroMQ tcp
#     with CURVE and plain, bulk sync of 100,000 sessions
#   ha_failover.sh: an active/standby pair behind keepalived, 1000 tunnels
#     x 10 sessions: dial time with and without the standby, the
#     checkpoint-before-acknowledge wait, takeover and resync after the
#     active box dies, a late standby's bulk sync end to end
# Each load starts fresh daemons in two network namespaces, sends one
# `test vpdn dial` to the LAC and times it until every session is up: the
# LAC has logged it established and the LNS holds it (ours logs it
# established, xl2tpd logs the call established, l2tpns at debug 3 logs the
# LCP Configure-Request that answers its ICCN).  The logs are read every
# 0.1 s (files: reading them does not wait on a busy daemon); the curve of
# sessions up over time is then drawn from our daemons' own millisecond
# timestamps, and from the 0.1 s readings for l2tpns and xl2tpd; the
# set-up time percentiles are read from it.  The other LNSs may not take
# the whole load: each of their loads is bounded (BENCH_XL2TPD_TIMEOUT,
# BENCH_L2TPNS_TIMEOUT) and what they reached is printed.  xl2tpd would
# start one pppd per call, which fails at once here (no kernel PPP) and
# makes it clear the call; a stand-in pppd that just waits keeps the calls
# up (see tests/lib/xl2tpd.sh); its memory is not counted.  l2tpns takes at
# most 499 tunnels (MAXTUNNEL 500 in its build): hence 400 tunnels side by
# side, not 1000.  The bench prints figures; it fails only when our daemons
# do not take their own loads (or a tool breaks), never on a speed.
#
# Environment:
#   L2T_BUILD              build directory (default: build/, not the sanitizer build)
#   BENCH_SESSIONS         sessions on the one tunnel (default 10000)
#   BENCH_TUNNELS          tunnels of one session (default 1000)
#   BENCH_SIDE_SESSIONS    side by side: sessions on the one tunnel (default
#                          BENCH_SESSIONS; the same load is not run twice)
#   BENCH_SIDE_TUNNELS     side by side: tunnels of one session (default 400)
#   BENCH_PLOT             the figure (default bench-setup.png in L2T_LOGDIR,
#                          or /tmp/l2tpd-integration-logs); its data: .dat
#   GNUPLOT                the gnuplot command (default gnuplot)
#   BENCH_PPP_SESSIONS     PPP subscribers for the PPP load (default 1000)
#   BENCH_TIMEOUT          bound for our loads, seconds (default 120)
#   BENCH_XL2TPD_TIMEOUT   bound for the xl2tpd loads, seconds (default 60)
#   BENCH_L2TPNS_TIMEOUT   bound for the l2tpns loads, seconds (default 60)
#   BENCH_SKIP_XL2TPD=1    leave xl2tpd out of the side by side
#   BENCH_SKIP_L2TPNS=1    leave l2tpns out of the side by side
#   BENCH_RWS              `l2tp tunnel receive-window` of both our daemons
#                          in the two set-up loads (default: the default)
#   BENCH_SKIP_HA=1        skip the HA figures
#   HA_BENCH               the ha_bench binary (default: tests/bench/ha_bench
#                          of the build directory, or beside l2tpd's)
#   BENCH_HA_*             see ha_failover.sh
#   BENCH_SKIP_PPPOE_HA=1  skip pppoe_ha.sh (the LAC's failover for PPPoE
#                          subscribers, BENCH_PPPOE_HA_SESSIONS, default 200
#                          here: takeover and resync times, echo gaps p50/p99)
#   BENCH_SKIP_PPPOE=1     skip pppoe.sh (PPPoE discovery: setups/s, setup time
#                          percentiles, memory per session; then subscribers
#                          through our LAC to our LNS: sessions/s, setup time,
#                          LAC memory per session; BENCH_PPPOE_*)
#   BENCH_ONLY=l2tp        only our two set-up loads (1 tunnel x BENCH_SESSIONS,
#                          BENCH_TUNNELS x 1): to compare two builds quickly
#   BENCH_ONLY=side        those two, then the side by side, table and figure
#   BENCH_SKIP_RESTART=1   skip restart.sh (the hitless restart's gap, 100
#                          tunnels x 10 sessions: p50/p99; BENCH_RESTART_*)
#   BENCH_ONLY=ppp         only the PPP loads (their set-up rate and the LNS's
#                          bytes of RSS per PPP session)
#   BENCH_SKIP_FLOOD=1     skip flood.sh (the LNS under an SCCRQ flood: new
#                          tunnel and show vpdn times, RSS; BENCH_FLOOD_*)
# A larger side by side, by hand (each LNS is given 120 s):
#   BENCH_ONLY=side BENCH_SIDE_SESSIONS=30000 BENCH_SIDE_TUNNELS=499 \
#   BENCH_XL2TPD_TIMEOUT=120 BENCH_L2TPNS_TIMEOUT=120 tests/bench/run.sh
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
if [ -z "${L2T_BUILD:-}" ] && [ -z "${L2TPD:-}" ]; then
	L2T_BUILD=$top/build
fi
# shellcheck source=../lib/lib.sh
. "$top/tests/lib/lib.sh"

SESSIONS=${BENCH_SESSIONS:-10000}
TUNNELS=${BENCH_TUNNELS:-1000}
TIMEOUT=${BENCH_TIMEOUT:-120}
XTIMEOUT=${BENCH_XL2TPD_TIMEOUT:-60}
NTIMEOUT=${BENCH_L2TPNS_TIMEOUT:-60}
CMP_SESSIONS=${BENCH_SIDE_SESSIONS:-$SESSIONS}
CMP_TUNNELS=${BENCH_SIDE_TUNNELS:-400}
PLOT=${BENCH_PLOT:-${L2T_LOGDIR:-/tmp/l2tpd-integration-logs}/bench-setup.png}
GNUPLOT=${GNUPLOT:-gnuplot}
RWS_LINE=""
if [ -n "${BENCH_RWS:-}" ]; then
	RWS_LINE=" l2tp tunnel receive-window $BENCH_RWS"
fi

it_init bench
# The bench prints measurements, not a PASS line; it_fail still reports
# harness errors.
it_require_l2tpd
it_require_cmd jq ip
it_two_hosts

passed=0
failed=0
LOAD=0

# vpdn_up NAME: "tunnels sessions" established on our daemon NAME, summed
# over its vpdn-groups (`show vpdn`).
vpdn_up() {
	it_ctl "$1" --json show vpdn 2>/dev/null |
		jq -er '"\([.vpdn_groups[]?.tunnels_up] | add // 0) \([.vpdn_groups[]?.sessions_up] | add // 0)"' 2>/dev/null
}

# What our daemon logs (info) for each tunnel and session it establishes.
LOG_TUNNEL_UP=' tunnel [0-9]+/[0-9]+: established with '
LOG_SESSION_UP=' session [0-9]+/[0-9]+: established '

# up_counts KIND LAC LNS: "tunnels sessions held" read from the logs (files:
# reading them does not wait on a busy daemon, and one awk a reading keeps
# the poll light on a loaded host): the tunnels and sessions our LAC has
# logged established, and the sessions the LNS of KIND has taken: ours logs
# each one established; xl2tpd logs each call established; l2tpns (debug 3)
# answers each ICCN with its first LCP Configure-Request (those it resends
# on its Restart timer are subtracted).
up_counts() {
	local lnslog=$IT_DIR/$3.log
	[ "$1" = l2tpns ] && lnslog=$IT_DIR/$3.debug.log
	awk -v kind="$1" -v lac="$IT_DIR/$2.log" -v tre="$LOG_TUNNEL_UP" -v sre="$LOG_SESSION_UP" '
		FILENAME == lac { if ($0 ~ tre) t++; else if ($0 ~ sre) s++; next }
		kind == "l2tpd" && $0 ~ sre { p++ }
		kind == "xl2tpd" && /Call established with/ { p++ }
		kind == "l2tpns" && /LCP: send ConfigReq/ { p++ }
		kind == "l2tpns" && /No ACK for LCP ConfigReq/ { p-- }
		END { printf "%d %d %d\n", t, s, p }' "$IT_DIR/$2.log" "$lnslog" ||
		it_fail "cannot read the logs of $2 and $3"
}

# log_times LOG T0: the times (s from T0, EPOCHREALTIME) of the sessions our
# daemon logged established in LOG, by its own timestamps
# ("YYYY-MM-DD HH:MM:SS.mmm", local time), sorted.
log_times() {
	gawk -v t0="$2" -v re="$LOG_SESSION_UP" '$0 ~ re { split($1, d, "-"); split($2, h, ":")
		s = mktime(d[1] " " d[2] " " d[3] " " h[1] " " h[2] " " int(h[3])) + (h[3] - int(h[3]))
		printf "%.3f\n", s - t0 }' "$1" | sort -n
}

# curve_merge LAC_TIMES LNS_COUNTS: the curve, "seconds up" at each moment
# either side moved: up = the sessions the LAC had established (a time a
# line, LAC_TIMES) and the LNS had taken ("seconds count" a line,
# LNS_COUNTS), whichever is fewer.
curve_merge() {
	{
		awk '{ print $1, "a" }' "$1"
		awk '{ print $1, "b", $2 }' "$2"
	} | sort -s -n -k1,1 | awk 'BEGIN { print "0 0" }
		{ if ($2 == "a") a++; else b = $3; u = (a < b) ? a : b
		  if (u != last) { print $1, u; last = u } }'
}

# l2tpns_start NAME: l2tpns (Debian) as the LNS in NS_LNS, debug level 3
# (a line for each ICCN it takes, see up_counts) to $IT_DIR/NAME.debug.log.
# setsid: on its way out l2tpns sends SIGTERM to its whole process group.
# l2tpns is a cluster node: it takes calls once it has declared itself the
# master, when it has heard no heartbeat for cluster_hb_timeout (15 s by
# default; 3.1 s here, the least it allows with its heartbeat every 0.5 s).
# It keeps every table (60,000 sessions, 500 tunnels, one of them reserved)
# in memory from its start.
l2tpns_start() {
	local name=$1
	cat >"$IT_DIR/$name.conf" <<-CONF
	set debug 3
	set log_file "$IT_DIR/$name.debug.log"
	set pid_file "$IT_DIR/$name.pid"
	set bind_address $IT_LNS_ADDR
	set l2tp_secret "s3cret"
	set primary_dns 10.9.0.53
	set primary_radius 127.0.0.1
	set radius_secret "unused"
	set cli_bind_address 127.0.0.1
	set cluster_interface veth0
	set cluster_hb_timeout 31
	CONF
	: >"$IT_DIR/$name.debug.log"
	it_daemon "$name" "$NS_LNS" setsid l2tpns -c "$IT_DIR/$name.conf"
	it_wait 15 l2tpns_ready "$name" ||
		it_fail "l2tpns did not start: $(tail -n 5 "$IT_DIR/$name.log" "$IT_DIR/$name.debug.log" | tr '\n' ' ')"
}

# l2tpns_ready NAME: listening, and master of its cluster (of one): until
# then it forwards what it receives to a master that does not exist.
# shellcheck disable=SC2317 # called through it_wait
l2tpns_ready() {
	it_alive "$1" && grep -q ':1701 ' <<<"$(ip netns exec "$NS_LNS" ss -lun)" &&
		grep -q 'I am declaring myself the master' "$IT_DIR/$1.debug.log"
}

# lns_start KIND NAME: the LNS of KIND started as NAME in NS_LNS.
lns_start() {
	case $1 in
	l2tpd) it_l2tpd "$2" "$NS_LNS" "$(it_conf_lns lns1 s3cret "$RWS_LINE")" ;;
	xl2tpd) it_xl2tpd "$2" "$NS_LNS" "$(it_xl2tpd_conf_lns 10.9.0.2-10.9.255.254 10.8.0.1)" "* * s3cret" ;;
	l2tpns) l2tpns_start "$2" ;;
	*) it_fail "no such LNS kind: $1" ;;
	esac
}

# lns_stop KIND NAME: ours stopped cleanly (its sanitizer report checked);
# the others told once, then killed (l2tpns waits on SIGTERM for the
# acknowledgement of its last messages by a LAC that is gone).
lns_stop() {
	local pid
	if [ "$1" = l2tpd ]; then
		stop_quietly "$2"
		return
	fi
	[ "$1" = xl2tpd ] && xl2tpd_notes "$2"
	pid=${IT_DPID[$2]:-}
	if [ -n "$pid" ]; then
		it_stop_pid "$pid" 2
		unset "IT_DPID[$2]"
	fi
	# xl2tpd leaves its stand-in pppds behind if it dies.
	for pid in $(ip netns pids "$NS_LNS" 2>/dev/null); do
		kill -KILL "$pid" 2>/dev/null || true
	done
}

# curve_at CURVE TOTAL PERMILLE: the time (s) at which PERMILLE of TOTAL
# sessions were up, interpolated linearly between the two samples around
# it (the first sample that reached it bounds it); "-" if none did.
curve_at() {
	awk -v n="$2" -v q="$3" 'BEGIN { want = int((n * q + 999) / 1000); if (want < 1) want = 1; pt = 0; pu = 0 }
		$2 >= want { printf "%.3f", ($2 > pu) ? pt + ($1 - pt) * (want - pu) / ($2 - pu) : $1; found = 1; exit }
		{ pt = $1; pu = $2 }
		END { if (!found) print "-" }' "$1"
}

# The results of every load, for the side-by-side table and the figure.
R_SHAPE=() R_KIND=() R_UP=() R_TOTAL=() R_SECS=() R_RATE=() R_P50=() R_P99=()
R_RSS0=() R_RSS1=() R_CURVE=() R_HELD=()

# measure LABEL KIND TUNNELS PER_TUNNEL LIMIT
# Our LAC dials TUNNELS x PER_TUNNEL calls to an LNS of KIND (l2tpd: ours,
# l2tpns, xl2tpd).  A session is up once the LAC has established it and
# the LNS holds it (a LAC counts a session established once it has sent
# the ICCN, before the LNS has it); the load is done when every one is up.
# Both sides are read from their logs, every 0.1 s while the load runs,
# then the curve of sessions up over time is drawn: the LAC's side, and our
# LNS's, at the millisecond from the daemons' own log timestamps; l2tpns's
# and xl2tpd's from the 0.1 s readings.  Every call is dialled at once, so
# a session's set-up time is the time from the dial command until it is
# up: the percentiles are read from the curve.  Then our daemons' own
# counts (`show vpdn`) are checked against their logs.  RSS: the LNS's,
# before the dial and at the end.
measure() {
	local label=$1 kind=$2 tunnels=$3 per=$4 limit=$5
	local total=$((tunnels * per)) lns lac t0 end now lt=0 ls=0 ps=0 rate note="" r
	local rss0 rss1 curve lnsc i best best_t secs us cost_lns cost_lac
	LOAD=$((LOAD + 1))
	lns=lns$LOAD
	lac=lac$LOAD
	curve=$IT_DIR/curve$LOAD
	lnsc=$IT_DIR/lnscount$LOAD
	lns_start "$kind" "$lns"
	it_l2tpd "$lac" "$NS_LAC" "$(it_conf_lac lac1 s3cret "$IT_LNS_ADDR" "$RWS_LINE")"
	rss0=$(rss_kib "${IT_DPID[$lns]}")
	cost_lac=$(proc_cost "${IT_DPID[$lac]}")
	cost_lns=""
	[ "$kind" = l2tpd ] && cost_lns=$(proc_cost "${IT_DPID[$lns]}")
	: >"$lnsc"

	t0=$EPOCHREALTIME
	it_ctl "$lac" test vpdn dial vpdn-group LAC sessions "$total" per-tunnel "$per" >"$IT_DIR/dial$LOAD.out" 2>&1 ||
		it_fail "dial command failed: $(head -c 300 "$IT_DIR/dial$LOAD.out")"
	end=$((EPOCHSECONDS + limit))
	while :; do
		read -r lt ls ps <<<"$(up_counts "$kind" "$lac" "$lns")"
		us=$((${EPOCHREALTIME/./} - ${t0/./}))
		now=$(printf '%d.%03d' $((us / 1000000)) $((us % 1000000 / 1000)))
		echo "$now $ps" >>"$lnsc"
		if [ "$lt" -ge "$tunnels" ] && [ "$ls" -ge "$total" ] && [ "$ps" -ge "$total" ]; then
			break
		fi
		if [ "$EPOCHSECONDS" -ge "$end" ]; then
			note="; stopped at the $limit s bound"
			break
		fi
		if ! it_alive "$lac"; then
			note="; our LAC died: $(it_exit_status "$lac")"
			break
		fi
		if ! it_alive "$lns"; then
			note="; the LNS ($kind) died: $(it_exit_status "$lns")"
			break
		fi
		sleep 0.05
	done
	rss1=$(rss_kib "${IT_DPID[$lns]}")
	if [ "$kind" = l2tpd ]; then
		cost_lns=$(cost_line LNS "${IT_DPID[$lns]}" "$cost_lns" "$total")
		cost_lac=$(cost_line LAC "${IT_DPID[$lac]}" "$cost_lac" "$total")
	fi
	if [ "$kind" = l2tpd ]; then
		log_times "$IT_DIR/$lns.log" "$t0" | awk '{ print $1, NR }' >"$lnsc"
	fi
	curve_merge <(log_times "$IT_DIR/$lac.log" "$t0") "$lnsc" >"$curve"
	read -r best_t best <<<"$(tail -n 1 "$curve")"
	secs=$(curve_at "$curve" "$total" 1000)

	if [ "$secs" != - ]; then
		rate=$(awk -v n="$total" -v e="$secs" 'BEGIN { printf "%.0f", (e > 0) ? n / e : 0 }')
		printf 'bench: %s %s: %d up in %s s = %s sessions/s\n' "$label" \
			"$(shape "$tunnels" "$per")" "$total" "$secs" "$rate"
		if [ "$kind" = l2tpd ]; then
			printf 'bench:   cost: %s; %s\n' "$cost_lns" "$cost_lac"
			printf 'bench:   lost: control messages retransmitted: LAC %s, LNS %s; UDP receive-buffer drops so far: LNS namespace %s, LAC namespace %s\n' \
				"$(ctrl_rtx "$lac")" "$(ctrl_rtx "$lns")" "$(rcvbuf_drops "$NS_LNS")" "$(rcvbuf_drops "$NS_LAC")"
		fi
		passed=$((passed + 1))
		# what the logs say is what our daemons count
		r=$(vpdn_up "$lac") || r="no answer"
		if [ "$r" != "$tunnels $total" ]; then
			printf 'bench: %s: the LAC counts %s (tunnels sessions) up, its log %s %s\n' "$label" "$r" "$lt" "$ls"
			failed=$((failed + 1))
		fi
		if [ "$kind" = l2tpd ] && r=$(vpdn_up "$lns") && [ "${r#* }" != "$ps" ]; then
			printf 'bench: %s: the LNS counts %s sessions up, its log %s\n' "$label" "${r#* }" "$ps"
			failed=$((failed + 1))
		fi
	else
		rate=$(awk -v n="$best" -v e="$best_t" 'BEGIN { printf "%.0f", (e > 0) ? n / e : 0 }')
		printf 'bench: %s %s: not all up after %s s: LAC %d/%d tunnels %d/%d sessions, LNS %d sessions; %d both sides at %s s (%s sessions/s)%s\n' \
			"$label" "$(shape "$tunnels" "$per")" "$now" "$lt" "$tunnels" "$ls" "$total" "$ps" \
			"$best" "$best_t" "$rate" "$note"
		if [ "$kind" != l2tpd ]; then
			# Their limits are a measurement, not our failure.
			passed=$((passed + 1))
		else
			failed=$((failed + 1))
		fi
		secs=$best_t
	fi
	i=${#R_KIND[@]}
	R_SHAPE[i]=$(shape "$tunnels" "$per") R_KIND[i]=$kind R_UP[i]=$best R_TOTAL[i]=$total
	R_SECS[i]=$secs R_RATE[i]=$rate R_RSS0[i]=$rss0 R_RSS1[i]=$rss1 R_CURVE[i]=$curve R_HELD[i]=$ls
	R_P50[i]=$(curve_at "$curve" "$total" 500)
	R_P99[i]=$(curve_at "$curve" "$total" 990)
	stop_quietly "$lac"
	lns_stop "$kind" "$lns"
}

xl2tpd_notes() {
	local f=$IT_DIR/$1.log
	if ! it_alive "$1"; then
		printf 'bench:   xl2tpd is no longer running (%s); its last line: %s\n' \
			"$(it_exit_status "$1")" "$(tail -n 1 "$f")"
	fi
	grep -Ei 'error|fail|too many|maximum|refus|can.t|unable|denied|fatal|bad|terminated' "$f" |
		sed -E 's/^xl2tpd\[[0-9]+\]: //; s/[0-9]+/N/g' | sort | uniq -c | sort -rn | head -n 4 |
		sed -E 's/^ *([0-9]+) /bench:   xl2tpd said (\1 times): /' || true
}

shape() {
	local tn=tunnels sn=sessions
	[ "$1" -eq 1 ] && tn=tunnel
	[ "$2" -eq 1 ] && sn=session
	printf '%s %s x %s %s' "$1" "$tn" "$2" "$sn"
}

stop_quietly() {
	local pid=${IT_DPID[$1]:-}
	[ -n "$pid" ] || return 0
	it_stop_pid "$pid" 30
	unset "IT_DPID[$1]"
	if ! it_sanitizer_clean "$1"; then
		echo "bench: $1 left a sanitizer report"
		failed=$((failed + 1))
	fi
}

# proc_cost PID: "CPU_NS SLEEPS": the nanoseconds the process has run on a
# CPU, user and system (/proc/PID/schedstat: the scheduler's own count, not
# clock ticks of 10 ms), and its voluntary context switches (each a sleep
# of its event loop waiting for input).  Unlike seconds on a shared
# machine, both hold from run to run: a load that needs fewer sleeps a
# session is less exposed to the scheduler's delays.
proc_cost() {
	local ns sleeps
	ns=$(awk '{ print $1 }' "/proc/$1/schedstat" 2>/dev/null) || ns=""
	sleeps=$(awk '/^voluntary_ctxt_switches:/ { print $2 }' "/proc/$1/status" 2>/dev/null) || sleeps=""
	echo "${ns:--} ${sleeps:--}"
}

# cost_line WHO PID "NS0 SLEEPS0" TOTAL: what WHO used since the sample
# ("no figure" when either sample is missing: the process was gone).
cost_line() {
	local t0 s0 t1 s1
	read -r t0 s0 <<<"$3"
	read -r t1 s1 <<<"$(proc_cost "$2")"
	if [ "$t0" = - ] || [ "$t1" = - ] || [ "$s0" = - ] || [ "$s1" = - ] || [ -z "$t0$s0" ]; then
		printf '%s no figure (process gone)' "$1"
		return
	fi
	awk -v w="$1" -v t="$((t1 - t0))" -v s="$((s1 - s0))" -v n="$4" \
		'BEGIN { printf "%s %.1f ms CPU (%.1f us a session), %d loop sleeps (%.2f a session)", w, t / 1e6, t / 1e3 / n, s, s / n }'
}

# ctrl_rtx NAME: control messages daemon NAME has sent again on its
# retransmission timer (a lost datagram costs its tunnel 1 s); "?" when
# it does not answer.
ctrl_rtx() {
	it_json "$1" show l2tp statistics 2>/dev/null | jq -er '.control_channels.tx_retransmits // 0' ||
		echo "?"
}

# rcvbuf_drops NS: UDP datagrams the kernel of namespace NS dropped for a
# full socket receive buffer (Udp RcvbufErrors), since the namespace began.
rcvbuf_drops() {
	# shellcheck disable=SC2016 # awk's program
	ip netns exec "$1" awk '/^Udp:/ { if (!h) { for (i = 1; i <= NF; i++) c[$i] = i; h = 1 } else print $c["RcvbufErrors"] }' /proc/net/snmp
}

# rss_kib PID: resident set of a process, KiB; "-" when it has none (gone).
rss_kib() {
	local v
	v=$(awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null) || true
	echo "${v:--}"
}

# per_session KIB0 KIB1 N: bytes per session of N between two RSS readings;
# "-" when a reading is missing or N is 0.
per_session() {
	awk -v a="$1" -v b="$2" -v n="$3" 'BEGIN {
		if (a == "-" || b == "-" || n <= 0) print "-"; else printf "%.0f", (b - a) * 1024 / n }'
}

# measure_ppp SESSIONS [PER_TUNNEL]: PPP subscribers (LCP + CHAP + IPCP,
# played by our LAC) against our LNS on the null data path, PER_TUNNEL
# (default 100) a tunnel; sessions/s until every one is PPP up on the LNS,
# and the LNS's resident memory per session.  Counted as failed when any
# LCP Configure-Request on either side had to be sent again on the RFC 1661
# Restart timer (3 s): the first exchange of a session must not be lost.
measure_ppp() {
	local total=$1 per_tunnel=${2:-100} lns lac t0 end now cost_lns cost_lac up=0 rss0 rss1 rate per note="" rtx
	LOAD=$((LOAD + 1))
	lns=lns$LOAD
	lac=lac$LOAD
	it_l2tpd "$lns" "$NS_LNS" "$(it_conf_lns lns1 s3cret "" 1)
username alice password wonderland
$(it_conf_template 10.201.0.1 chap "" 10.200.255.254)"
	it_l2tpd "$lac" "$NS_LAC" "$(it_conf_lac lac1 s3cret "$IT_LNS_ADDR")"
	rss0=$(rss_kib "${IT_DPID[$lns]}")
	cost_lns=$(proc_cost "${IT_DPID[$lns]}")
	cost_lac=$(proc_cost "${IT_DPID[$lac]}")
	t0=$(it_now)
	it_ctl "$lac" test vpdn dial vpdn-group LAC sessions "$total" per-tunnel "$per_tunnel" \
		username alice password wonderland >"$IT_DIR/dial$LOAD.out" 2>&1 ||
		it_fail "dial command failed: $(head -c 300 "$IT_DIR/dial$LOAD.out")"
	end=$(($(date +%s) + TIMEOUT))
	# Polled through the LNS's log, its one "PPP up" line a link that
	# reached IPCP up (a file: reading it costs the daemon nothing, where
	# `show l2tp statistics` sums every link's counters, a cost that grows
	# with the load it measures), then the LNS's own count and its session
	# listing must show every one up.
	while :; do
		up=$(grep -c ': PPP up: user ' "$IT_DIR/$lns.log") || [ "$up" = 0 ] ||
			it_fail "cannot read $IT_DIR/$lns.log"
		now=$(it_elapsed "$t0")
		if [ "$up" -ge "$total" ]; then
			cost_lns=$(cost_line LNS "${IT_DPID[$lns]}" "$cost_lns" "$total")
			cost_lac=$(cost_line LAC "${IT_DPID[$lac]}" "$cost_lac" "$total")
			up=$(it_json "$lns" show l2tp statistics | jq -e '.ppp_up') ||
				it_fail "the LNS's show l2tp statistics has no ppp_up"
			[ "$up" -ge "$total" ] || note="; its log had $total PPP up lines, but its ppp_up counter $up"
			if [ -z "$note" ]; then
				up=$(it_ppp_up "$lns" 2>/dev/null) || up=0
				[ "$up" -ge "$total" ] || note="; $total reached IPCP up, but then $up were up"
			fi
			break
		fi
		if [ "$(date +%s)" -ge "$end" ]; then
			note="; stopped at the $TIMEOUT s bound"
			break
		fi
		it_alive "$lns" || { note="; the LNS died: $(it_exit_status "$lns")"; break; }
		sleep 0.05
	done
	case $cost_lns in
	*CPU* | *"no figure"*) ;;
	*)
		cost_lns=$(cost_line LNS "${IT_DPID[$lns]}" "$cost_lns" "$total")
		cost_lac=$(cost_line LAC "${IT_DPID[$lac]}" "$cost_lac" "$total")
		;;
	esac
	rss1=$(rss_kib "${IT_DPID[$lns]}")
	per=$(per_session "$rss0" "$rss1" "$total")
	rate=$(awk -v n="$up" -v e="$now" 'BEGIN { printf "%.0f", (e > 0) ? n / e : 0 }')
	# LCP Configure-Requests sent again on the Restart timer, LNS + LAC
	# (a missing counter is an error, not 0).
	printf 'bench:   cost: %s; %s (the LNS not polled during the load: its log read); UDP receive-buffer drops so far: LNS namespace %s, LAC namespace %s\n' \
		"$cost_lns" "$cost_lac" "$(rcvbuf_drops "$NS_LNS")" "$(rcvbuf_drops "$NS_LAC")"
	rtx=$(for d in "$lns" "$lac"; do it_json "$d" show l2tp statistics | jq -e '.ppp_links.lcp_tx_retransmits'; done |
		awk '{ s += $1; n++ } END { if (n == 2) print s; else print "?" }')
	if [ "$up" -ge "$total" ] && [ "$rtx" = 0 ]; then
		printf 'bench: ppp (null data path, LCP+CHAP+IPCP) %d subscribers, %d a tunnel: up in %s s = %s sessions/s; LNS RSS %s -> %s KiB = %s bytes/session; no LCP Restart-timer wait\n' \
			"$total" "$per_tunnel" "$now" "$rate" "$rss0" "$rss1" "$per"
		passed=$((passed + 1))
	elif [ "$up" -ge "$total" ]; then
		printf 'bench: ppp (null data path) %d subscribers, %d a tunnel: up in %s s, but %s LCP Configure-Requests waited for the Restart timer\n' \
			"$total" "$per_tunnel" "$now" "$rtx"
		failed=$((failed + 1))
	else
		printf 'bench: ppp (null data path) %d subscribers: only %d up after %s s%s\n' "$total" "$up" "$now" "$note"
		failed=$((failed + 1))
	fi
	stop_quietly "$lac"
	stop_quietly "$lns"
}

# ---------------------------------------------------------------- side by side

# row_of SHAPE KIND: the index of the result of that load, if measured.
row_of() {
	local i
	for i in "${!R_KIND[@]}"; do
		if [ "${R_SHAPE[i]}" = "$1" ] && [ "${R_KIND[i]}" = "$2" ]; then
			echo "$i"
			return 0
		fi
	done
	return 1
}

# lns_name KIND: the LNS with its Debian version, for the table and figure.
lns_name() {
	local v
	if [ "$1" = l2tpd ]; then
		echo "ours"
		return
	fi
	v=$(dpkg-query -W -f='${Version}' "$1" 2>/dev/null) || v=""
	echo "$1${v:+ ${v%%-*}}"
}

# side_kinds: the LNSs this host can run, ours first; a line for each it
# cannot (not installed: counted as a failure, scripts/install-deps.sh
# installs both; no /dev/net/tun for l2tpns: said, not counted).
side_kinds() {
	local k
	SIDE_KINDS=(l2tpd)
	for k in l2tpns xl2tpd; do
		if [ "$k" = l2tpns ] && [ "${BENCH_SKIP_L2TPNS:-0}" = 1 ]; then
			continue
		fi
		if [ "$k" = xl2tpd ] && [ "${BENCH_SKIP_XL2TPD:-0}" = 1 ]; then
			continue
		fi
		if ! command -v "$k" >/dev/null 2>&1; then
			echo "bench: $k not installed (scripts/install-deps.sh): not in the side-by-side table"
			failed=$((failed + 1))
		elif [ "$k" = l2tpns ] && [ ! -c /dev/net/tun ]; then
			echo "bench: l2tpns not run: no /dev/net/tun"
		else
			SIDE_KINDS+=("$k")
		fi
	done
}

# ratio A B: A / B to two decimals, "-" when either is missing or B is 0.
ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN {
		if (a == "-" || b == "-" || a == "" || b == "" || b + 0 == 0) print "-"; else printf "%.2f", a / b }'
}

# side_table: the results of the side-by-side loads, a row for each LNS,
# then ours against each of the others.
side_table() {
	local load t p sh i o k
	echo "bench: side by side, one run, the same LAC and loads; s: until every session is up on both sides (for an LNS that did not take the whole load: until the last one it took), sessions/s the same; set-up time p50/p99: from the dial command until the session is up (ours: from the daemons' log timestamps; l2tpns and xl2tpd: their logs read every 0.1 s, interpolated; \"-\": never that many up); RSS: the LNS process's, KiB before the dial -> at the end, and bytes per call it holds (every call the LAC established: the LNS answered its ICRQ; B/s,grown: what it grew by during the load; B/s,all: all of it; xl2tpd's pppds not counted)"
	printf 'bench: %-28s %-14s %13s %8s %10s %8s %8s %19s %8s %8s\n' load LNS up/dialled s sessions/s 'p50 s' 'p99 s' 'RSS KiB' B/s,grown B/s,all
	for load in "1 $CMP_SESSIONS" "$CMP_TUNNELS 1"; do
		read -r t p <<<"$load"
		sh=$(shape "$t" "$p")
		for k in "${SIDE_KINDS[@]}"; do
			i=$(row_of "$sh" "$k") || continue
			printf 'bench: %-28s %-14s %13s %8s %10s %8s %8s %19s %8s %8s\n' "$sh" "$(lns_name "$k")" \
				"${R_UP[i]}/${R_TOTAL[i]}" "${R_SECS[i]}" "${R_RATE[i]}" "${R_P50[i]}" "${R_P99[i]}" \
				"${R_RSS0[i]} -> ${R_RSS1[i]}" "$(per_session "${R_RSS0[i]}" "${R_RSS1[i]}" "${R_HELD[i]}")" \
				"$(per_session 0 "${R_RSS1[i]}" "${R_HELD[i]}")"
		done
	done
	echo "bench: ours/theirs (sessions/s: above 1, ours sets up faster; p50, p99 and RSS per session: below 1, ours is sooner or smaller; \"-\": theirs never got there)"
	for load in "1 $CMP_SESSIONS" "$CMP_TUNNELS 1"; do
		read -r t p <<<"$load"
		sh=$(shape "$t" "$p")
		o=$(row_of "$sh" l2tpd) || continue
		for k in "${SIDE_KINDS[@]}"; do
			[ "$k" = l2tpd ] && continue
			i=$(row_of "$sh" "$k") || continue
			printf 'bench: ours/%s, %s: sessions/s %s, p50 %s, p99 %s, RSS/session grown %s, all %s%s\n' \
				"$k" "$sh" "$(ratio "${R_RATE[o]}" "${R_RATE[i]}")" \
				"$(ratio "${R_P50[o]}" "${R_P50[i]}")" "$(ratio "${R_P99[o]}" "${R_P99[i]}")" \
				"$(ratio "$(per_session "${R_RSS0[o]}" "${R_RSS1[o]}" "${R_HELD[o]}")" \
					"$(per_session "${R_RSS0[i]}" "${R_RSS1[i]}" "${R_HELD[i]}")")" \
				"$(ratio "$(per_session 0 "${R_RSS1[o]}" "${R_HELD[o]}")" "$(per_session 0 "${R_RSS1[i]}" "${R_HELD[i]}")")" \
				"$([ "${R_UP[i]}" -lt "${R_TOTAL[i]}" ] && printf ' (%s took %s of %s)' "$k" "${R_UP[i]}" "${R_TOTAL[i]}")"
		done
	done
}

# side_plot: the figure, sessions up over time for each LNS, one panel a
# load (gnuplot PNG at BENCH_PLOT, its data beside it as .dat: one block a
# load and LNS, "seconds sessions" a line).  Without gnuplot it says so and
# keeps the data; a gnuplot error is counted.
side_plot() {
	local png=$PLOT dat=${PLOT%.png}.dat gp=$IT_DIR/setup.gp load t p sh i k n=0 sep panel
	mkdir -p "$(dirname "$png")"
	rm -f "$png"
	: >"$dat"
	{
		echo "set terminal pngcairo size 1200,500 noenhanced font ',10'"
		echo "set output '$png'"
		echo "set multiplot layout 1,2 title 'Sessions established over time: our LAC dials every call at once (one run on $(nproc) cores)'"
		echo "set xlabel 'seconds from the dial command'"
		echo "set ylabel 'sessions up (the LAC and the LNS)'"
		echo "set key right bottom box opaque"
		echo "set grid"
	} >"$gp"
	for load in "1 $CMP_SESSIONS" "$CMP_TUNNELS 1"; do
		read -r t p <<<"$load"
		sh=$(shape "$t" "$p")
		panel="" sep=""
		for k in "${SIDE_KINDS[@]}"; do
			i=$(row_of "$sh" "$k") || continue
			{
				printf '# %s, %s\n' "$sh" "$(lns_name "$k")"
				cat "${R_CURVE[i]}"
				printf '\n\n'
			} >>"$dat"
			panel+="$sep'$dat' index $n using 1:2 with steps linewidth 2 title '$(lns_name "$k") ($(printf '%s' "${R_UP[i]}/${R_TOTAL[i]}"))'"
			sep=", "
			n=$((n + 1))
		done
		[ -n "$panel" ] || continue
		echo "set title '$sh'" >>"$gp"
		echo "plot $panel" >>"$gp"
	done
	echo "unset multiplot" >>"$gp"
	if ! command -v "$GNUPLOT" >/dev/null 2>&1; then
		echo "bench: figure not drawn: $GNUPLOT is not installed (Debian gnuplot-nox, scripts/install-deps.sh); its data: $dat"
	elif "$GNUPLOT" "$gp" >"$IT_DIR/gnuplot.out" 2>&1 && [ -s "$png" ]; then
		echo "bench: figure, sessions established over time for each LNS: $png (data: $dat)"
	else
		echo "bench: gnuplot failed to draw $png: $(head -c 300 "$IT_DIR/gnuplot.out")"
		failed=$((failed + 1))
	fi
}

# side_by_side: the same two loads against every LNS of SIDE_KINDS (ours
# only when that load has not been measured yet), then the table and the
# figure.
side_by_side() {
	local load t p k t0=$EPOCHSECONDS
	side_kinds
	for load in "1 $CMP_SESSIONS" "$CMP_TUNNELS 1"; do
		read -r t p <<<"$load"
		for k in "${SIDE_KINDS[@]}"; do
			if [ "$k" = l2tpd ] && row_of "$(shape "$t" "$p")" l2tpd >/dev/null; then
				continue
			fi
			case $k in
			l2tpd) measure "lac->lns" l2tpd "$t" "$p" "$TIMEOUT" ;;
			l2tpns) measure "lac->l2tpns" l2tpns "$t" "$p" "$NTIMEOUT" ;;
			xl2tpd) measure "lac->xl2tpd" xl2tpd "$t" "$p" "$XTIMEOUT" ;;
			esac
		done
	done
	side_table
	side_plot
	echo "bench: side by side done in $((EPOCHSECONDS - t0)) s"
}

# ha_figures: ha_bench's lines, then ha_failover.sh's (its own namespaces,
# keepalived pair and cleanup); a failure of either is counted.
ha_figures() {
	local hb rc=0
	hb=${HA_BENCH:-${L2T_BUILD:-$(dirname "$L2TPD")/..}/tests/bench/ha_bench}
	if [ -x "$hb" ]; then
		"$hb" || rc=$?
		if [ "$rc" -eq 0 ]; then
			passed=$((passed + 1))
		else
			echo "bench: ha_bench failed (exit status $rc)"
			failed=$((failed + 1))
		fi
	else
		echo "bench: ha_bench not found: $hb (make builds it; or set HA_BENCH)"
		failed=$((failed + 1))
	fi
	rc=0
	L2TPD=$L2TPD L2TPCTL=$L2TPCTL bash "$here/ha_failover.sh" || rc=$?
	if [ "$rc" -eq 0 ]; then
		passed=$((passed + 1))
	else
		echo "bench: ha_failover.sh failed (exit status $rc)"
		failed=$((failed + 1))
	fi
}

echo "bench: $L2TPD on $(nproc) cores (load average $(cut -d' ' -f1-3 /proc/loadavg)); timed from the dial command until every session is up: the LAC has it established and the LNS holds it"
if [ "${BENCH_ONLY:-}" = ppp ]; then
	measure_ppp 200 200
	measure_ppp "${BENCH_PPP_SESSIONS:-1000}"
	IT_RESULT=finished
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit
fi
measure "lac->lns" l2tpd 1 "$SESSIONS" "$TIMEOUT"
measure "lac->lns" l2tpd "$TUNNELS" 1 "$TIMEOUT"
if [ "${BENCH_ONLY:-}" = l2tp ]; then
	IT_RESULT=finished
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit
fi
side_by_side
if [ "${BENCH_ONLY:-}" = side ]; then
	IT_RESULT=finished
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit
fi
measure_ppp 200 200
measure_ppp "${BENCH_PPP_SESSIONS:-1000}"
if [ "${BENCH_SKIP_HA:-0}" != 1 ]; then
	ha_figures
fi
if [ "${BENCH_SKIP_RESTART:-0}" != 1 ]; then
	if L2TPD=$L2TPD L2TPCTL=$L2TPCTL bash "$here/restart.sh"; then
		passed=$((passed + 1))
	else
		echo "bench: restart.sh failed"
		failed=$((failed + 1))
	fi
fi
if [ "${BENCH_SKIP_FLOOD:-0}" != 1 ]; then
	if L2TPD=$L2TPD L2TPCTL=$L2TPCTL bash "$here/flood.sh"; then
		passed=$((passed + 1))
	else
		echo "bench: flood.sh failed"
		failed=$((failed + 1))
	fi
fi
if [ "${BENCH_SKIP_PPPOE:-0}" != 1 ]; then
	if L2TPD=$L2TPD L2TPCTL=$L2TPCTL bash "$here/pppoe.sh"; then
		passed=$((passed + 1))
	else
		echo "bench: pppoe.sh failed"
		failed=$((failed + 1))
	fi
fi
if [ "${BENCH_SKIP_PPPOE_HA:-0}" != 1 ]; then
	if L2TPD=$L2TPD L2TPCTL=$L2TPCTL BENCH_PPPOE_HA_SESSIONS=${BENCH_PPPOE_HA_SESSIONS:-200} \
		bash "$here/pppoe_ha.sh"; then
		passed=$((passed + 1))
	else
		echo "bench: pppoe_ha.sh failed"
		failed=$((failed + 1))
	fi
fi
IT_RESULT=finished
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
