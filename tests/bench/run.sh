#!/bin/bash
# Session set-up rate, in one run:
#   our LAC -> our LNS:  1 tunnel x 10000 sessions, 1000 tunnels x 1 session
#   our LAC -> xl2tpd:   the same two loads against xl2tpd as LNS
# and the HA figures:
#   ha_bench (built with the daemon): checkpoint records/s over ZeroMQ tcp
#     with CURVE and plain, bulk sync of 100,000 sessions
#   ha_failover.sh: an active/standby pair behind keepalived, 1000 tunnels
#     x 10 sessions: dial time with and without the standby, the
#     checkpoint-before-acknowledge wait, takeover and resync after the
#     active box dies, a late standby's bulk sync end to end
# Each load starts fresh daemons in two network namespaces, sends one
# `test vpdn dial` to the LAC and times it until the LAC shows every tunnel
# and session established (polling l2tpctl --json).  xl2tpd may not take the
# whole load: each xl2tpd load is bounded by BENCH_XL2TPD_TIMEOUT and what it
# reached is printed.  xl2tpd would start one pppd per call, which fails at
# once here (no kernel PPP) and makes it clear the call; a stand-in pppd that
# just waits keeps the calls up (see tests/lib/xl2tpd.sh).
#
# Environment:
#   L2T_BUILD              build directory (default: build/, not the sanitizer build)
#   BENCH_SESSIONS         sessions on the one tunnel (default 10000)
#   BENCH_TUNNELS          tunnels of one session (default 1000)
#   BENCH_PPP_SESSIONS     PPP subscribers for the PPP load (default 1000)
#   BENCH_TIMEOUT          bound for our loads, seconds (default 120)
#   BENCH_XL2TPD_TIMEOUT   bound for the xl2tpd loads, seconds (default 60)
#   BENCH_SKIP_XL2TPD=1    skip the xl2tpd loads
#   BENCH_RWS              `l2tp tunnel receive-window` of both our daemons
#                          in the two set-up loads (default: the default)
#   BENCH_SKIP_HA=1        skip the HA figures
#   HA_BENCH               the ha_bench binary (default: tests/bench/ha_bench
#                          of the build directory, or beside l2tpd's)
#   BENCH_HA_*             see ha_failover.sh
#   BENCH_SKIP_PPPOE=1     skip pppoe.sh (PPPoE discovery: setups/s, setup time
#                          percentiles, memory per session; then subscribers
#                          through our LAC to our LNS: sessions/s, setup time,
#                          LAC memory per session; BENCH_PPPOE_*)
#   BENCH_ONLY=l2tp        only our two set-up loads (1 tunnel x BENCH_SESSIONS,
#                          BENCH_TUNNELS x 1): to compare two builds quickly
#   BENCH_SKIP_RESTART=1   skip restart.sh (the hitless restart's gap, 100
#                          tunnels x 10 sessions: p50/p99; BENCH_RESTART_*)
#   BENCH_ONLY=ppp         only the PPP loads (their set-up rate and the LNS's
#                          bytes of RSS per PPP session)
#   BENCH_SKIP_FLOOD=1     skip flood.sh (the LNS under an SCCRQ flood: new
#                          tunnel and show vpdn times, RSS; BENCH_FLOOD_*)
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

# established NAME: "tunnels sessions" established on our daemon NAME, each
# one's state read from the full listing (exact, but costly to the daemon
# and to jq with 10,000 rows: used once the counters say all are up).
established() {
	local t s
	t=$(it_tunnels "$1" established 2>/dev/null) || t=0
	s=$(it_sessions "$1" established 2>/dev/null) || s=0
	echo "$t $s"
}

# went_up NAME: "tunnels sessions" that have reached established on our
# daemon NAME since it started (`show vpdn`'s tunnels_up and sessions_up
# over its groups: cheap to ask while the load runs).
went_up() {
	local j
	j=$(it_json "$1" show vpdn 2>/dev/null) || { echo "0 0"; return 0; }
	jq -r '[([.vpdn_groups[].tunnels_up] | add // 0), ([.vpdn_groups[].sessions_up] | add // 0)] | @tsv' <<<"$j"
}

# xl2tpd_established NAME: "tunnels calls" xl2tpd NAME has logged as established.
xl2tpd_established() {
	local f=$IT_DIR/$1.log t s
	t=$(grep -c 'Connection established to' "$f" 2>/dev/null) || t=0
	s=$(grep -c 'Call established with' "$f" 2>/dev/null) || s=0
	echo "$t $s"
}

# measure LABEL PEER_KIND TUNNELS PER_TUNNEL LIMIT
# Done when the LAC shows every tunnel and session established and the LNS
# agrees: our LNS through l2tpctl, xl2tpd through its log (a LAC counts a
# session established once it has sent the ICCN, before the LNS has it).
# Our daemons are polled through their cheap counters of tunnels and
# sessions gone up; the time is taken when both show the whole load, and
# then the full listings must show exactly that many established (no
# session went up and down again), or the load is counted as failed.
measure() {
	local label=$1 kind=$2 tunnels=$3 per=$4 limit=$5
	local total=$((tunnels * per)) lns lac t0 end now cost_lns cost_lac lt=0 ls=0 pt=0 ps=0 up best=0 best_t=0 rate note=""
	LOAD=$((LOAD + 1))
	lns=lns$LOAD
	lac=lac$LOAD
	if [ "$kind" = xl2tpd ]; then
		it_xl2tpd "$lns" "$NS_LNS" "$(it_xl2tpd_conf_lns 10.9.0.2-10.9.255.254 10.8.0.1)" "* * s3cret"
	else
		it_l2tpd "$lns" "$NS_LNS" "$(it_conf_lns lns1 s3cret "$RWS_LINE")"
	fi
	it_l2tpd "$lac" "$NS_LAC" "$(it_conf_lac lac1 s3cret "$IT_LNS_ADDR" "$RWS_LINE")"

	cost_lac=$(proc_cost "${IT_DPID[$lac]}")
	cost_lns=""
	[ "$kind" = xl2tpd ] || cost_lns=$(proc_cost "${IT_DPID[$lns]}")
	t0=$(it_now)
	it_ctl "$lac" test vpdn dial vpdn-group LAC sessions "$total" per-tunnel "$per" >"$IT_DIR/dial$LOAD.out" 2>&1 ||
		it_fail "dial command failed: $(head -c 300 "$IT_DIR/dial$LOAD.out")"
	end=$(($(date +%s) + limit))
	while :; do
		if [ "$lt" -lt "$tunnels" ] || [ "$ls" -lt "$total" ]; then
			read -r lt ls <<<"$(went_up "$lac")"
		fi
		if [ "$kind" = xl2tpd ]; then
			read -r pt ps <<<"$(xl2tpd_established "$lns")"
		elif [ "$lt" -ge "$tunnels" ] && [ "$ls" -ge "$total" ]; then
			read -r pt ps <<<"$(went_up "$lns")"
		fi
		now=$(it_elapsed "$t0")
		up=$((ls < ps ? ls : ps))
		if [ "$up" -gt "$best" ]; then
			best=$up
			best_t=$now
		fi
		if [ "$lt" -ge "$tunnels" ] && [ "$ls" -ge "$total" ] && [ "$pt" -ge "$tunnels" ] && [ "$ps" -ge "$total" ]; then
			break
		fi
		if [ "$(date +%s)" -ge "$end" ]; then
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
	if [ "$kind" != xl2tpd ] && [ "$up" -ge "$total" ]; then
		local cl cs ct cu
		# The cost before the full listings of the check below.
		cost_lns=$(cost_line LNS "${IT_DPID[$lns]}" "$cost_lns" "$total")
		cost_lac=$(cost_line LAC "${IT_DPID[$lac]}" "$cost_lac" "$total")
		read -r cl cs <<<"$(established "$lac")"
		read -r ct cu <<<"$(established "$lns")"
		if [ "$cl" != "$tunnels" ] || [ "$cs" != "$total" ] || [ "$ct" != "$tunnels" ] || [ "$cu" != "$total" ]; then
			note="; but then LAC $cl tunnels $cs sessions, LNS $ct tunnels $cu sessions established"
			up=0
		fi
	fi

	if [ "$up" -ge "$total" ]; then
		rate=$(awk -v n="$total" -v e="$now" 'BEGIN { printf "%.0f", (e > 0) ? n / e : 0 }')
		printf 'bench: %s %s: %d up in %s s = %s sessions/s\n' "$label" \
			"$(shape "$tunnels" "$per")" "$total" "$now" "$rate"
		if [ "$kind" != xl2tpd ]; then
			printf 'bench:   cost: %s; %s (their counters polled)\n' "$cost_lns" "$cost_lac"
		fi
		passed=$((passed + 1))
	else
		rate=$(awk -v n="$best" -v e="$best_t" 'BEGIN { printf "%.0f", (e > 0) ? n / e : 0 }')
		printf 'bench: %s %s: not all up after %s s: LAC %d/%d tunnels %d/%d sessions, LNS %d tunnels %d sessions; %d both sides at %s s (%s sessions/s)%s\n' \
			"$label" "$(shape "$tunnels" "$per")" "$now" "$lt" "$tunnels" "$ls" "$total" "$pt" "$ps" \
			"$best" "$best_t" "$rate" "$note"
		if [ "$kind" = xl2tpd ]; then
			# xl2tpd's limits are a measurement, not our failure.
			passed=$((passed + 1))
		else
			failed=$((failed + 1))
		fi
	fi
	stop_quietly "$lac"
	if [ "$kind" = xl2tpd ]; then
		xl2tpd_notes "$lns"
	fi
	stop_quietly "$lns"
	# xl2tpd leaves its stand-in pppds behind if it dies.
	for pid in $(ip netns pids "$NS_LNS" 2>/dev/null); do
		kill -KILL "$pid" 2>/dev/null || true
	done
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

# proc_cost PID: "CPU_TICKS SLEEPS": user + system clock ticks the process
# has used, and its voluntary context switches (each a sleep of its event
# loop waiting for input).  Unlike seconds on a shared machine, both hold
# from run to run: a load that needs fewer sleeps a session is less
# exposed to the scheduler's delays.
proc_cost() {
	local ticks sleeps
	ticks=$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | awk '{ print $12 + $13 }') || ticks=0
	sleeps=$(awk '/^voluntary_ctxt_switches:/ { print $2 }' "/proc/$1/status" 2>/dev/null) || sleeps=0
	echo "${ticks:-0} ${sleeps:-0}"
}

# cost_line WHO PID "TICKS0 SLEEPS0" TOTAL: what WHO used since the sample.
cost_line() {
	local t0 s0 t1 s1
	read -r t0 s0 <<<"$3"
	read -r t1 s1 <<<"$(proc_cost "$2")"
	awk -v w="$1" -v t="$((t1 - t0))" -v s="$((s1 - s0))" -v n="$4" -v hz="$(getconf CLK_TCK)" \
		'BEGIN { printf "%s %.2f s CPU, %d loop sleeps (%.2f a session)", w, t / hz, s, s / n }'
}

# rcvbuf_drops NS: UDP datagrams the kernel of namespace NS dropped for a
# full socket receive buffer (Udp RcvbufErrors), since the namespace began.
rcvbuf_drops() {
	# shellcheck disable=SC2016 # awk's program
	ip netns exec "$1" awk '/^Udp:/ { if (!h) { for (i = 1; i <= NF; i++) c[$i] = i; h = 1 } else print $c["RcvbufErrors"] }' /proc/net/snmp
}

# rss_kib PID: resident set of a process, KiB.
rss_kib() {
	awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0
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
	# Polled through the LNS's count of links that reached IPCP up (the
	# full session listing costs its loop more than the load does), then
	# the listing must show every one up.
	while :; do
		up=$(it_json "$lns" show l2tp statistics 2>/dev/null | jq -e '.ppp_up') || up=0
		now=$(it_elapsed "$t0")
		if [ "$up" -ge "$total" ]; then
			cost_lns=$(cost_line LNS "${IT_DPID[$lns]}" "$cost_lns" "$total")
			cost_lac=$(cost_line LAC "${IT_DPID[$lac]}" "$cost_lac" "$total")
			up=$(it_ppp_up "$lns" 2>/dev/null) || up=0
			[ "$up" -ge "$total" ] || note="; $total reached IPCP up, but then $up were up"
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
	*CPU*) ;;
	*)
		cost_lns=$(cost_line LNS "${IT_DPID[$lns]}" "$cost_lns" "$total")
		cost_lac=$(cost_line LAC "${IT_DPID[$lac]}" "$cost_lac" "$total")
		;;
	esac
	rss1=$(rss_kib "${IT_DPID[$lns]}")
	per=$(awk -v a="$rss0" -v b="$rss1" -v n="$total" 'BEGIN { printf "%.0f", (b - a) * 1024 / n }')
	rate=$(awk -v n="$up" -v e="$now" 'BEGIN { printf "%.0f", (e > 0) ? n / e : 0 }')
	# LCP Configure-Requests sent again on the Restart timer, LNS + LAC
	# (a missing counter is an error, not 0).
	printf 'bench:   cost: %s; %s (their counters polled); UDP receive-buffer drops so far: LNS namespace %s, LAC namespace %s\n' \
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

echo "bench: $L2TPD on $(nproc) cores; timed from the dial command until the LAC and the LNS both show every tunnel and session established"
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
if [ "${BENCH_SKIP_XL2TPD:-0}" != 1 ]; then
	if command -v xl2tpd >/dev/null 2>&1; then
		measure "lac->xl2tpd" xl2tpd 1 "$SESSIONS" "$XTIMEOUT"
		measure "lac->xl2tpd" xl2tpd "$TUNNELS" 1 "$XTIMEOUT"
	else
		echo "bench: xl2tpd not installed (scripts/install-deps.sh)"
		failed=$((failed + 1))
	fi
fi

IT_RESULT=finished
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
