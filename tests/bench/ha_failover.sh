#!/bin/bash
# HA figures of an active/standby pair of our LNS behind keepalived (the
# topology of tests/integration/ha_lib.sh), our LAC dialling to the VIP.
# Not a test: tests/bench/run.sh runs it and relays its `bench:` lines.
#
#   1. no standby: box a alone (active on the VIP, its standby stopped); the
#      LAC dials TUNNELS x PER sessions; timed from the dial command until
#      the LAC and the LNS both count every tunnel and session established
#      (`show vpdn`: tunnels_up, sessions_up).  Then the LAC and box a are
#      killed.
#   2. with a standby: a active, b standby (in sync, empty); a fresh LAC
#      dials the same load, timed the same way, and the time until b is in
#      sync with all of it; what checkpoint-before-acknowledge cost the
#      active (`show l2tp redundancy detail`: link_stats.egress_held and
#      egress_wait_fine, the rounds' log-linear histograms added up: p50,
#      p99 as sub-bucket bounds, at most 3.2 % above the true values; the
#      coarse egress_wait_histogram the same way, its buckets printed;
#      egress_wait_us_max; egress_released_unacked); the
#      active's and the standby's RSS per session (the standby's is its
#      shadow store), from the last round.
#      1 and 2 alternate for BENCH_HA_ROUNDS rounds (medians printed, with
#      the LAC's retransmissions and the LNS box's UDP receive-buffer drops
#      of each round: one SCCRQ lost costs a dial a whole second).
#   3. failover: box a dies (ha_kill_box: frozen, link down, SIGKILL);
#      keepalived moves the VIP to b, b becomes active, rebuilds every tunnel
#      and session from its shadow store and resynchronises every tunnel with
#      the LAC.  Wall clock from the kill to: the VIP on b, b active, every
#      tunnel resynced (it_ha_resync_done); the daemon's own resync_duration_ms
#      and takeover_rebuild_ms; resync success/fail; what the LAC kept.
#   4. late standby: a comes back as b's standby; end to end bulk sync of
#      every tunnel and session, from the start of a's l2tpd until b sees it
#      up and a says it is in sync with all of them.
#   Then the checkpoint-before-acknowledge wait on the pair (b active, a
#   standby), from link_stats before and after each load: in a small burst
#   (10 more tunnels of PER calls dialled at once), and at light load
#   (BENCH_HA_LIGHT_CALLS calls, a tunnel each, placed by the LAC itself one
#   every BENCH_HA_LIGHT_MS ms from one dial command, with nothing spawned
#   or polling the daemons while they are placed):
#   p50, p99 and max (sub-bucket bounds of the fine histograms: a max
#   within a window is not kept) of the wait of the packets b held.
#   5. planned switchover back to a (`redundancy switchover` on b, then
#      keepalived restarted on b so that the VIP follows): wall clock from
#      the command to the VIP on a and to every tunnel resynced; a's
#      resync_duration_ms and the probes it resent on the short timer.
#
# Environment (beyond ha_lib.sh's and lib.sh's):
#   BENCH_HA_TUNNELS   tunnels (default 1000)
#   BENCH_HA_PER       sessions per tunnel (default 10)
#   BENCH_HA_TIMEOUT   bound for each dial and each sync, seconds (default 90)
#   BENCH_HA_ROUNDS    dials with and without the standby (default 3 each)
#   BENCH_HA_ALONE=0   no dial with the standby stopped (1 and its figures
#                      left out: a large load dialled once, see scale.sh)
#   BENCH_HA_LIGHT_PER sessions a tunnel of the small burst's 10 tunnels
#                      (default BENCH_HA_PER)
#   BENCH_HA_LIGHT_CALLS  calls of the light load (default 100)
#   BENCH_HA_LIGHT_MS  milliseconds between two of its calls, placed by the
#                      LAC (`test vpdn dial ... interval`; default 20)
# The bounds of the failover's and the switchover's resync, and of the
# light load, are BENCH_HA_TIMEOUT as well (at least 60 s).
# HA_HELLO defaults to 60 here (the LAC's and the LNS's `l2tp tunnel hello`,
# as lib.sh configures them), not ha_lib.sh's 2: a HELLO every 2 s on 1000
# tunnels would be a load of its own.
set -euo pipefail

HA_HELLO=${HA_HELLO:-60}
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../integration/ha_lib.sh
. "$here/../integration/ha_lib.sh"

TUNNELS=${BENCH_HA_TUNNELS:-1000}
PER=${BENCH_HA_PER:-10}
LIMIT=${BENCH_HA_TIMEOUT:-90}
ROUNDS=${BENCH_HA_ROUNDS:-3}
ALONE=${BENCH_HA_ALONE:-1}
LIGHT_PER=${BENCH_HA_LIGHT_PER:-$PER}
LIGHT_CALLS=${BENCH_HA_LIGHT_CALLS:-100}
LIGHT_MS=${BENCH_HA_LIGHT_MS:-20}
BOUND=$((LIMIT > 60 ? LIMIT : 60))
TOTAL=$((TUNNELS * PER))
SHAPE="$TUNNELS tunnels x $PER sessions"

ha_init ha_failover_bench
it_require_l2tpd
T_START=$(it_now)

# hb_up NAME: "tunnels sessions" established on daemon NAME, summed over its
# vpdn-groups (`show vpdn`: live counts, cheaper than listing 10,000
# sessions while the daemon is busy).
hb_up() {
	it_json "$1" show vpdn 2>/dev/null |
		jq -r '"\([.vpdn_groups[]?.tunnels_up] | add // 0) \([.vpdn_groups[]?.sessions_up] | add // 0)"' ||
		echo "0 0"
}

# hb_all_up NAME: every tunnel and session of the load is established on NAME.
hb_all_up() { hb_all_up_n "$1" "$TUNNELS" "$TOTAL"; }

# hb_all_up_n NAME TUNNELS SESSIONS: at least these are established on NAME.
hb_all_up_n() {
	local t s
	read -r t s < <(hb_up "$1")
	[ "$t" -ge "$2" ] && [ "$s" -ge "$3" ]
}

# hb_ha_established ACTIVE STANDBY: the standby is in sync with the whole
# load, and the active counts all of it HA-established (established and its
# checkpoint acknowledged: the standby holds a session from its ICRQ on).
hb_ha_established() {
	ha_pair_synced "$1" "$2" "$TUNNELS" "$TOTAL" &&
		it_ha_red "$1" 2>/dev/null | jq -e --argjson t "$TUNNELS" --argjson s "$TOTAL" \
			'.tunnel_totals.ha_established >= $t and .session_totals.ha_established >= $s' >/dev/null
}

# hb_rate N SECONDS
hb_rate() {
	awk -v n="$1" -v e="$2" 'BEGIN { printf "%.0f", (e > 0) ? n / e : 0 }'
}

# hb_retx NAME: control messages NAME has retransmitted (live tunnels).
hb_retx() {
	it_json "$1" show l2tp statistics 2>/dev/null | jq -r '.control_channels.tx_retransmits // 0' || echo 0
}

# hb_rcvbuf_drops BOX: UDP datagrams the box's kernel dropped for want of
# socket receive buffer (the namespace outlives the box's daemons).
hb_rcvbuf_drops() {
	local n
	n=$(ip netns exec "${HA_NS[$1]}" cat /proc/net/snmp 2>/dev/null |
		awk '$1 == "Udp:" && $2 ~ /^[0-9]+$/ { print $6; exit }') || true
	echo "${n:-0}"
}

# hb_cpu NAME: "MAIN ALL": nanoseconds daemon NAME has run on a CPU, its
# main thread (the event loop) and all of its threads (ZeroMQ's I/O threads
# too), from /proc/PID/task/*/schedstat (the scheduler's own count); "- -"
# without a daemon.
hb_cpu() {
	local pid=${IT_DPID[$1]:-}
	[ -n "$pid" ] || { echo "- -"; return; }
	awk -v m="/proc/$pid/task/$pid/schedstat" 'FILENAME == m { main = $1 } { all += $1 }
		END { if (NR) printf "%d %d\n", main, all; else print "- -" }' /proc/"$pid"/task/*/schedstat 2>/dev/null ||
		echo "- -"
}

# hb_cpu_us "MAIN0 ALL0" "MAIN1 ALL1": "MAIN/ALL" microseconds a session
# between two hb_cpu readings ("-" when either is missing).
hb_cpu_us() {
	awk -v a="$1" -v b="$2" -v n="$TOTAL" 'BEGIN { split(a, x, " "); split(b, y, " ")
		if (x[1] == "-" || y[1] == "-" || x[1] == "" || y[1] == "") { printf "-"; exit }
		printf "%.1f/%.1f", (y[1] - x[1]) / 1e3 / n, (y[2] - x[2]) / 1e3 / n }'
}

# hb_log_dial LNS T0: seconds from T0 (it_now) until the LAC and LNS have
# both logged their last session established, by their own timestamps (to
# the millisecond, free of the 0.1 s polling and of the time its queries
# take on a busy host).
hb_log_dial() {
	local a b
	a=$(ha_log_since "$IT_DIR/lac.log" "$2" ": established (peer session")
	b=$(ha_log_since "$IT_DIR/$1.log" "$2" ": established (peer session")
	awk -v a="$a" -v b="$b" 'BEGIN { printf "%.3f", (a > b) ? a : b }'
}

# hb_dial LNS [STANDBY]: the LAC dials the load.  Sets CPU (each daemon's
# CPU until the LNS held the load, us a session: main thread/all threads),
# LOG_S (the same dial by the daemons' log timestamps, see hb_log_dial),
# DIAL_S (seconds from
# the dial command until the LAC and the LNS both count all of it
# established), SYNC_S (until all of it is HA-established with STANDBY, see
# hb_ha_established; "-" without one), RETX (the LAC's retransmissions) and
# DROPS (the LNS box's UDP receive-buffer drops during the dial).
hb_dial() {
	local lns=$1 sb=${2:-} t0 end lac_s='' lns_s='' sb_s='' drops0 c_lac c_lns c_sb
	drops0=$(hb_rcvbuf_drops "$lns")
	c_lac=$(hb_cpu lac) c_lns=$(hb_cpu "$lns") c_sb=$(hb_cpu "${sb:-none}")
	t0=$(it_now)
	it_ctl lac test vpdn dial vpdn-group LAC sessions "$TOTAL" per-tunnel "$PER" >"$IT_DIR/dial.out" 2>&1 ||
		it_fail "dial refused by the LAC: $(head -c 300 "$IT_DIR/dial.out")"
	end=$(($(date +%s) + LIMIT))
	while :; do
		if [ -z "$lac_s" ] && hb_all_up lac; then
			lac_s=$(it_elapsed "$t0")
		fi
		if [ -n "$lac_s" ] && [ -z "$lns_s" ] && hb_all_up "$lns"; then
			lns_s=$(it_elapsed "$t0")
			CPU="LAC $(hb_cpu_us "$c_lac" "$(hb_cpu lac)") $lns $(hb_cpu_us "$c_lns" "$(hb_cpu "$lns")")"
			if [ -n "$sb" ]; then
				CPU="$CPU $sb $(hb_cpu_us "$c_sb" "$(hb_cpu "$sb")")"
			fi
		fi
		# The standby's state only once the LNS holds the load: its
		# queries (a walk of every session on both boxes) would load the
		# daemons being timed and lengthen each polling turn, which the
		# dial without a standby does not pay.
		if [ -n "$sb" ] && [ -n "$lns_s" ] && [ -z "$sb_s" ] && hb_ha_established "$lns" "$sb"; then
			sb_s=$(it_elapsed "$t0")
		fi
		if [ -n "$lns_s" ] && { [ -z "$sb" ] || [ -n "$sb_s" ]; }; then
			break
		fi
		if [ "$(date +%s)" -ge "$end" ]; then
			ha_fail "after $LIMIT s: LAC $(hb_up lac), $lns $(hb_up "$lns") (tunnels sessions) of $SHAPE${sb:+; standby $sb: $(it_ha_summary "$sb")}"
		fi
		it_alive lac || it_fail "the LAC died: $(it_exit_status lac)"
		it_alive "$lns" || it_fail "$lns died: $(it_exit_status "$lns")"
		sleep 0.1
	done
	DIAL_S=$lns_s
	LOG_S=$(hb_log_dial "$lns" "$t0")
	SYNC_S=${sb_s:--}
	RETX=$(hb_retx lac)
	DROPS=$(($(hb_rcvbuf_drops "$lns") - drops0))
	# Checked once, in full, outside the timing.
	it_counts_ok lac "$TUNNELS" "$TOTAL" || ha_fail "LAC: $(it_counts lac), not $SHAPE"
	it_counts_ok "$lns" "$TUNNELS" "$TOTAL" || ha_fail "$lns: $(it_counts "$lns"), not $SHAPE"
}

# hb_lac_kill: the LAC goes without a word to the LNS.
hb_lac_kill() {
	local pid=${IT_DPID[lac]:-}
	[ -n "$pid" ] || return 0
	kill -KILL "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	unset "IT_DPID[lac]"
	mv "$IT_DIR/lac.log" "$IT_DIR/lac.$(date +%s%N).log" 2>/dev/null || true
}

# hb_start_active BOX: BOX alone, active on the VIP.
hb_start_active() {
	ha_box_start "$1"
	it_wait 10 ha_is_active_on_vip "$1" || ha_fail "$1 is not active on the VIP: $(it_ha_summary "$1")"
}

# hb_median V...: the median (the mean of the middle two for an even count).
# hb_wait_hist NAME [KEY]: NAME's checkpoint-before-acknowledge waits by
# bucket, "LE:COUNT ..." (LE in us, inf for the last bucket); KEY
# egress_ack_wait_histogram: the part of each wait after its records left
# (the standby's round trip; the rest is the active's own loop turn).  A
# missing histogram is an error, not zeros.
hb_wait_hist() {
	local key=${2:-egress_wait_histogram}
	it_ha_red "$1" detail | jq -er --arg k "$key" '[.link_stats[$k][] |
		"\(.le_us // "inf"):\(.count)"] | join(" ")' ||
		ha_fail "$1: no $key in show l2tp redundancy detail"
}

# hb_hist_add A B: the two histograms added bucket by bucket (A may be "").
hb_hist_add() {
	awk -v a="$1" -v b="$2" 'BEGIN { nb = split(b, B, " "); na = split(a, A, " ")
		for (i = 1; i <= nb; i++) { split(B[i], x, ":"); c = x[2]
			if (na) { split(A[i], y, ":"); c += y[2] }
			printf "%s%s:%d", (i > 1) ? " " : "", x[1], c } }'
}

# hb_hist_neg A: every count of A negated (to take one reading from another).
hb_hist_neg() {
	awk -v a="$1" 'BEGIN { n = split(a, A, " ")
		for (i = 1; i <= n; i++) { split(A[i], x, ":"); printf "%s%s:%d", (i > 1) ? " " : "", x[1], -x[2] } }'
}

# hb_hist_show HIST ACK: the non-empty buckets, "LE:N[M] ..." (M: ACK's
# count in the same bucket).
hb_hist_show() {
	awk -v h="$1" -v a="$2" 'BEGIN { n = split(h, H, " "); split(a, A, " ")
		for (i = 1; i <= n; i++) { split(H[i], x, ":"); split(A[i], y, ":")
			if (x[2] + y[2] > 0) printf "%s%s:%d[%d]", (o++ ? " " : ""), x[1], x[2], y[2] } }'
}

# hb_hist_pct HIST MAX: "p50 <= N us, p99 <= N us" (bucket bounds, capped at
# MAX, the largest wait seen); "no packet held" for an empty histogram.
hb_hist_pct() {
	awk -v h="$1" -v max="$2" 'function pct(q,   r, s, i, x) {
			r = int((tot * q + 999) / 1000); if (r < 1) r = 1; s = 0
			for (i = 1; i <= n; i++) { split(H[i], x, ":"); s += x[2]
				if (s >= r) return (x[1] == "inf" || x[1] + 0 > max + 0) ? max : x[1] }
			return max }
		BEGIN { n = split(h, H, " "); tot = 0
			for (i = 1; i <= n; i++) { split(H[i], x, ":"); tot += x[2] }
			if (tot <= 0) { printf "no packet held"; exit }
			printf "p50 <= %s us, p99 <= %s us", pct(500), pct(990) }'
}

# hb_hist_max HIST MAX: the bound of HIST's highest non-empty bucket, capped
# at MAX (the largest wait seen over a longer time); "-" for an empty one.
hb_hist_max() {
	awk -v h="$1" -v max="$2" 'BEGIN { n = split(h, H, " "); m = "-"
		for (i = 1; i <= n; i++) { split(H[i], x, ":"); if (x[2] > 0) m = x[1] }
		if (m != "-" && (m == "inf" || m + 0 > max + 0)) m = max
		printf "%s", m }'
}

# The fine histograms (egress_wait_fine, egress_ack_wait_fine: log-linear,
# 32 sub-buckets a power of two) in their sparse form, "UPPER:COUNT ..."
# (the non-empty sub-buckets, UPPER the largest wait in us each holds); ""
# when no packet was held.  Readings add up and subtract as such (missing
# buckets count 0).  The last sub-bucket (HIST_FINE_TOP_US) also holds
# every longer wait: only the largest wait bounds it.
HB_FINE_TOP=67108863

# hb_fine_hist NAME [KEY]: NAME's fine histogram KEY (default
# egress_wait_fine).  A missing histogram is an error, not zeros.
hb_fine_hist() {
	local key=${2:-egress_wait_fine}
	it_ha_red "$1" detail | jq -er --arg k "$key" '.link_stats[$k].buckets |
		map("\(.[0]):\(.[1])") | join(" ")' ||
		ha_fail "$1: no $key in show l2tp redundancy detail"
}

# hb_fine_add A B: the sparse histograms added bucket by bucket (either
# may be ""; a bucket that adds up to 0 is left out).  With B from
# hb_hist_neg, one reading taken from another.
hb_fine_add() {
	awk -v a="$1" -v b="$2" 'BEGIN { n = split(a " " b, X, " ")
		for (i = 1; i <= n; i++) { split(X[i], x, ":"); c[x[1] + 0] += x[2] }
		m = 0
		for (u in c) if (c[u] != 0) K[++m] = u + 0
		for (i = 2; i <= m; i++) { v = K[i]; for (j = i - 1; j > 0 && K[j] > v; j--) K[j + 1] = K[j]; K[j + 1] = v }
		for (i = 1; i <= m; i++) printf "%s%d:%d", (i > 1) ? " " : "", K[i], c[K[i]] }'
}

# hb_fine_pct HIST MAX: "p50 <= N us, p99 <= N us" (sub-bucket bounds,
# capped at MAX, the largest wait seen; the last sub-bucket's is MAX);
# "no packet held" for an empty one; an error (status 1) if a bucket is
# negative: the later reading is not a continuation of the earlier one.
hb_fine_pct() {
	awk -v h="$1" -v max="$2" -v top="$HB_FINE_TOP" 'function pct(q,   r, s, i) {
			r = int((tot * q + 999) / 1000); if (r < 1) r = 1; s = 0
			for (i = 1; i <= n; i++) { s += C[i]
				if (s >= r) return (U[i] >= top + 0 || U[i] > max + 0) ? max : U[i] }
			return max }
		BEGIN { n = split(h, H, " "); tot = 0
			for (i = 1; i <= n; i++) { split(H[i], x, ":"); U[i] = x[1] + 0; C[i] = x[2] + 0
				if (C[i] < 0) { printf "bucket %s went down by %d\n", x[1], -C[i] > "/dev/stderr"; exit 1 }
				tot += C[i] }
			if (tot <= 0) { printf "no packet held"; exit }
			printf "p50 <= %s us, p99 <= %s us", pct(500), pct(990) }'
}

# hb_fine_max HIST MAX: the bound of HIST's highest non-empty sub-bucket,
# capped at MAX (the largest wait seen over a longer time); "-" for an
# empty one.
hb_fine_max() {
	awk -v h="$1" -v max="$2" -v top="$HB_FINE_TOP" 'BEGIN { n = split(h, H, " "); m = "-"
		for (i = 1; i <= n; i++) { split(H[i], x, ":"); if (x[2] > 0) m = x[1] + 0 }
		if (m != "-" && (m >= top + 0 || m > max + 0)) m = max
		printf "%s", m }'
}

# hb_cpu_ms BOX: the CPU time BOX's l2tpd has run, ms (/proc/PID/schedstat).
hb_cpu_ms() {
	awk '{ printf "%.0f", $1 / 1e6 }' "/proc/${IT_DPID[$1]}/schedstat" ||
		ha_fail "$1: no l2tpd to read the CPU time of"
}

# hb_rss BOX: the resident set of BOX's l2tpd, KiB (an error if it has none).
hb_rss() {
	awk '/^VmRSS:/ { print $2 }' "/proc/${IT_DPID[$1]}/status" ||
		ha_fail "$1: no l2tpd to read the RSS of"
}

# hb_per_session KIB0 KIB1: bytes per session of TOTAL between two readings.
hb_per_session() {
	awk -v a="$1" -v b="$2" -v n="$TOTAL" 'BEGIN { printf "%.0f", (b - a) * 1024 / n }'
}

hb_median() {
	printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END {
		if (NR % 2) printf "%.2f", v[(NR + 1) / 2]; else printf "%.2f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

ha_topology
ha_keys

# ---- 1 and 2: the same dial with the standby stopped and with it, in
# alternate rounds (a lost SCCRQ costs the LAC a 1 s retransmission: one
# dial is not a figure).  The last round's pair stays for the failover.
alone=() alone_retx=() alone_drops=() alone_cpu=() alone_log=()
pair=() pair_sync=() pair_retx=() pair_drops=() pair_cpu=() pair_log=() pair_link=()
held=0 wait_hist="" ack_hist="" fine_hist="" fine_ack="" wait_max=0 released=0
for r in $(seq 1 "$ROUNDS"); do
	if [ "$ALONE" = 1 ]; then
		hb_start_active a
		ha_lac_up ""
		hb_dial a
		alone+=("$DIAL_S") alone_retx+=("$RETX") alone_drops+=("$DROPS") alone_cpu+=("$CPU") alone_log+=("$LOG_S")
		hb_lac_kill
		ha_kill_box a
	fi

	hb_start_active a
	ha_start_standby b
	ha_wait_synced a b 0 0 30
	ha_lac_up ""
	rss_a0=$(hb_rss a) rss_b0=$(hb_rss b)
	hb_dial a b
	pair+=("$DIAL_S") pair_sync+=("$SYNC_S") pair_retx+=("$RETX") pair_drops+=("$DROPS") pair_cpu+=("$CPU") pair_log+=("$LOG_S")
	rss_a1=$(hb_rss a) rss_b1=$(hb_rss b)
	read -r h max rel recs msgs bytes acks < <(it_ha_red a detail | jq -r '.link_stats |
		"\(.egress_held) \(.egress_wait_us_max) \(.egress_released_unacked) \(.tx_records) \(.tx_msgs) \(.tx_bytes) \(.rx_acks)"')
	# The active's stream for this dial (a fresh active: its only records
	# besides the empty bulk's): what each session cost the link.
	pair_link+=("$(awk -v r="$recs" -v m="$msgs" -v b="$bytes" -v a="$acks" -v n="$TOTAL" \
		'BEGIN { printf "%.2f records/session, %.1f records/message, %.0f bytes/record, %.2f acks/session",
			r / n, (m > 0) ? r / m : 0, (r > 0) ? b / r : 0, a / n }')")
	held=$((held + h))
	wait_hist=$(hb_hist_add "$wait_hist" "$(hb_wait_hist a)")
	ack_hist=$(hb_hist_add "$ack_hist" "$(hb_wait_hist a egress_ack_wait_histogram)")
	f=$(hb_fine_hist a)
	fine_hist=$(hb_fine_add "$fine_hist" "$f")
	f=$(hb_fine_hist a egress_ack_wait_fine)
	fine_ack=$(hb_fine_add "$fine_ack" "$f")
	released=$((released + rel))
	if [ "$max" -gt "$wait_max" ]; then
		wait_max=$max
	fi
	if [ "$r" -lt "$ROUNDS" ]; then
		hb_lac_kill
		ha_kill_box b
		ha_kill_box a
	fi
done
m_pair=$(hb_median "${pair[@]}")
if [ "$ALONE" = 1 ]; then
	m_alone=$(hb_median "${alone[@]}")
	printf 'bench: ha dial %s, standby stopped: median %s s = %s sessions/s (%d rounds: %s s; LAC retransmissions %s; LNS UDP receive-buffer drops %s)\n' \
		"$SHAPE" "$m_alone" "$(hb_rate "$TOTAL" "$m_alone")" "$ROUNDS" "${alone[*]}" "${alone_retx[*]}" "${alone_drops[*]}"
else
	m_alone=-
	echo "bench: ha dial $SHAPE, standby stopped: not dialled (BENCH_HA_ALONE=0)"
fi
printf 'bench: ha dial %s, with standby: median %s s = %s sessions/s, %s s (%s %%) against the standby stopped (%d rounds: %s s; LAC retransmissions %s; LNS UDP receive-buffer drops %s); all HA-established (checkpoint acknowledged) after median %s s (%s s)\n' \
	"$SHAPE" "$m_pair" "$(hb_rate "$TOTAL" "$m_pair")" \
	"$(awk -v a="$m_alone" -v p="$m_pair" 'BEGIN { if (a == "-") printf "-"; else printf "%+.2f", p - a }')" \
	"$(awk -v a="$m_alone" -v p="$m_pair" 'BEGIN { if (a == "-") printf "-"; else printf "%+.0f", (a > 0) ? (p - a) * 100 / a : 0 }')" \
	"$ROUNDS" "${pair[*]}" "${pair_retx[*]}" "${pair_drops[*]}" "$(hb_median "${pair_sync[@]}")" "${pair_sync[*]}"
# The same dials by the daemons' own timestamps (hb_log_dial).
m_pair_log=$(hb_median "${pair_log[@]}")
if [ "$ALONE" = 1 ]; then
	m_alone_log=$(hb_median "${alone_log[@]}")
	printf 'bench: ha dial %s by the daemons'"'"' log timestamps: standby stopped median %s s = %s sessions/s (%s s), with standby median %s s = %s sessions/s (%s s): %s %% of the rate without\n' \
		"$SHAPE" "$m_alone_log" "$(hb_rate "$TOTAL" "$m_alone_log")" "${alone_log[*]}" \
		"$m_pair_log" "$(hb_rate "$TOTAL" "$m_pair_log")" "${pair_log[*]}" \
		"$(awk -v a="$m_alone_log" -v p="$m_pair_log" 'BEGIN { printf "%.0f", (p > 0) ? a * 100 / p : 0 }')"
else
	printf 'bench: ha dial %s by the daemons'"'"' log timestamps: with standby median %s s = %s sessions/s (%s s)\n' \
		"$SHAPE" "$m_pair_log" "$(hb_rate "$TOTAL" "$m_pair_log")" "${pair_log[*]}"
fi
# Each round's CPU against its wall clock: a dial whose CPU a session grows
# with the standby by as much as its time does is CPU-bound (two cores for
# the LAC, the active, the standby and their ZeroMQ threads).
if [ "$ALONE" = 1 ]; then
	printf 'bench: ha dial %s CPU until the LNS held it, standby stopped, us a session (main thread/all threads), each round: %s\n' \
		"$SHAPE" "$(printf '[%s] ' "${alone_cpu[@]}")"
fi
printf 'bench: ha dial %s CPU until the LNS held it, with standby, us a session (main thread/all threads), each round: %s\n' \
	"$SHAPE" "$(printf '[%s] ' "${pair_cpu[@]}")"
printf 'bench: ha dial %s checkpoint stream of the active, each round: %s\n' \
	"$SHAPE" "$(printf '[%s] ' "${pair_link[@]}")"
# the last round's: the standby holds every session in its shadow store
printf 'bench: ha memory %s (last dial with standby, in sync): active RSS %s -> %s KiB = %s bytes/session; standby (shadow store) RSS %s -> %s KiB = %s bytes/session\n' \
	"$SHAPE" "$rss_a0" "$rss_a1" "$(hb_per_session "$rss_a0" "$rss_a1")" \
	"$rss_b0" "$rss_b1" "$(hb_per_session "$rss_b0" "$rss_b1")"
fine_pct=$(hb_fine_pct "$fine_hist" "$wait_max") || ha_fail "the dials' fine wait histograms do not add up"
fine_ack_pct=$(hb_fine_pct "$fine_ack" "$wait_max") || ha_fail "the dials' fine ack wait histograms do not add up"
printf 'bench: ha checkpoint-before-acknowledge on the active during the dials with standby: %d packets held for the standby'"'"'s ack, wait %s, max %s us (after their records left: %s; fine buckets, at most 3.2 %% above; coarse buckets: wait %s, after the records left %s); %d released unacknowledged (must be 0)\n' \
	"$held" "$fine_pct" "$wait_max" "$fine_ack_pct" \
	"$(hb_hist_pct "$wait_hist" "$wait_max")" "$(hb_hist_pct "$ack_hist" "$wait_max")" "$released"
echo "bench: ha checkpoint-before-acknowledge wait histogram during the dials (us: packets; after the records left in brackets): $(hb_hist_show "$wait_hist" "$ack_hist")"

# ---- 3. failover: a dies, b takes over and resynchronises
read -r ok0 fail0 < <(ha_resync_counts b)
read -r lt0 ls0 < <(hb_up lac)
stop0=$(it_stat lac .rx_stopccn)
cdn0=$(it_stat lac .rx_cdn)
t0=$(it_now)
echo "$t0" >"$IT_DIR/t0"
ha_kill_box a
t_dead=$(it_elapsed "$t0")
it_poll 15 0.02 ha_has_vip b || ha_fail "the VIP did not move to b within 15 s of the kill"
t_vip=$(it_elapsed "$t0")
it_poll 15 0.02 it_ha_is b active || ha_fail "b not active 15 s after the kill: $(it_ha_summary b)"
t_act=$(it_elapsed "$t0")
it_poll "$BOUND" 0.05 it_ha_resync_done b "$ok0" "$fail0" "$TUNNELS" ||
	ha_fail "b has not resynced $TUNNELS tunnels $BOUND s after the kill: $(it_ha_summary b)"
t_res=$(it_elapsed "$t0")
# When keepalived on b ran notify_master (the script stamps its calls).
t_ntf=$(awk -v s="$(cat "$IT_DIR/t0")" '$2 == "MASTER" && $3 == "called" { t = $1 }
	END { if (t) printf "%.2f", t - s; else printf "-" }' "$IT_DIR/b.notify" 2>/dev/null || echo -)
# The same two moments from b's own log (its timestamps, to the
# millisecond): free of the polling above, which a busy host slows.
t_vip_log=$(ha_log_since "$IT_DIR/b.log" "$(cat "$IT_DIR/t0")" "redundancy: becoming active")
t_res_log=$(ha_log_since "$IT_DIR/b.log" "$(cat "$IT_DIR/t0")" "redundancy: takeover complete")
j=$(it_ha_red b)
read -r ok fail rdur rebuild rt rs < <(jq -r '"\(.resynced_tunnels.success // 0) \(.resynced_tunnels.fail // 0) \(.resync_duration_ms // "-") \(.takeover_rebuild_ms // "-") \(.takeover_tunnels // "-") \(.takeover_sessions // "-")"' <<<"$j")
ok=$((ok - ok0))
fail=$((fail - fail0))
read -r lt1 ls1 < <(hb_up lac)
read -r bt bs < <(hb_up b)
# b's RSS once it holds every session (its shadow store consumed and
# trimmed), before a late standby's bulk sync adds its own.
rss_b_took=$(hb_rss b)
stop1=$(it_stat lac .rx_stopccn)
cdn1=$(it_stat lac .rx_cdn)
printf 'bench: ha resync %s after takeover (daemon): resync_duration_ms %s, takeover_rebuild_ms %s (rebuilt %s tunnels, %s sessions); resynced %d ok, %d failed\n' \
	"$SHAPE" "$rdur" "$rebuild" "$rt" "$rs" "$ok" "$fail"
printf 'bench: ha failover %s (wall clock from the kill): VIP on b after %s s (keepalived notify_master %s s), b active after %s s, every tunnel resynced after %s s (kill itself %s s); LAC kept %d/%d tunnels %d/%d sessions, got %d StopCCN %d CDN; b holds %d/%d established\n' \
	"$SHAPE" "$t_vip" "$t_ntf" "$t_act" "$t_res" "$t_dead" "$lt1" "$lt0" "$ls1" "$ls0" \
	$((stop1 - stop0)) $((cdn1 - cdn0)) "$bt" "$bs"
printf 'bench: ha failover %s (from b'"'"'s log, goal under 0.5 s): b began its takeover %s s after the kill, every tunnel resynced %s s after the kill (VRRPv3 advert_int %s s)\n' \
	"$SHAPE" "$t_vip_log" "$t_res_log" "${HA_ADVERT_INT:-0.05}"
if [ "$fail" -ne 0 ] || [ "$ok" -lt "$TUNNELS" ] || [ "$ls1" -lt "$ls0" ]; then
	ha_fail "failover lost state: $ok resynced, $fail failed, LAC $lt1/$ls1 of $lt0/$ls0"
fi

# ---- 4. a comes back late: bulk sync of everything, end to end
t0=$(it_now)
ha_start_standby a
it_poll "$LIMIT" 0.05 ha_pair_synced b a "$TUNNELS" "$TOTAL" ||
	ha_fail "late standby a not in sync with $SHAPE: a: $(it_ha_summary a); b: $(it_ha_summary b)"
t_sync=$(it_elapsed "$t0")
bulk=$(ha_get a '"\(.link_stats.bulk_records) records in \(.link_stats.bulk_ms) ms"' detail || echo "-")
printf 'bench: ha late standby, bulk sync of %d sessions (%s) end to end: in sync %s s after its l2tpd started (its link: %s)\n' \
	"$TOTAL" "$SHAPE" "$t_sync" "$bulk"
rss_b=$(hb_rss b) rss_a=$(hb_rss a)
printf 'bench: ha memory %s after the failover and the bulk sync: active b (rebuilt from its shadow store) RSS %s KiB = %s bytes/session (right after the takeover, before the bulk: %s KiB = %s bytes/session, or %s over its RSS as an empty standby, %s KiB: the figure to hold against the dialling active'"'"'s); late standby a (shadow store from the bulk) RSS %s KiB = %s bytes/session (all of the RSS)\n' \
	"$SHAPE" "$rss_b" "$(hb_per_session 0 "$rss_b")" "$rss_b_took" "$(hb_per_session 0 "$rss_b_took")" \
	"$(hb_per_session "$rss_b0" "$rss_b_took")" "$rss_b0" "$rss_a" "$(hb_per_session 0 "$rss_a")"

# ---- the same wait in a small burst, then at light load, on the pair (b
# active, a its standby).
# hb_wait_since NAME HELD0 HIST0 ACK0 FINE0 FACK0 WHAT: the wait of the
# packets NAME held since the readings HELD0, HIST0 and ACK0 (coarse),
# FINE0 and FACK0 (fine), one bench line and the coarse histogram (WHAT
# names the load).
hb_wait_since() {
	local h1 max1 rel1 hist1 ack1 f fine1 fack1 pct1 apct1
	read -r h1 max1 rel1 < <(it_ha_red "$1" detail | jq -r '.link_stats | "\(.egress_held) \(.egress_wait_us_max) \(.egress_released_unacked)"')
	hist1=$(hb_hist_add "$(hb_wait_hist "$1")" "$(hb_hist_neg "$3")")
	ack1=$(hb_hist_add "$(hb_wait_hist "$1" egress_ack_wait_histogram)" "$(hb_hist_neg "$4")")
	f=$(hb_fine_hist "$1")
	fine1=$(hb_fine_add "$f" "$(hb_hist_neg "$5")")
	f=$(hb_fine_hist "$1" egress_ack_wait_fine)
	fack1=$(hb_fine_add "$f" "$(hb_hist_neg "$6")")
	pct1=$(hb_fine_pct "$fine1" "$max1") || ha_fail "$1: its fine wait histogram went down $7"
	apct1=$(hb_fine_pct "$fack1" "$max1") || ha_fail "$1: its fine ack wait histogram went down $7"
	printf 'bench: ha checkpoint-before-acknowledge %s: %d packets held, wait %s, max <= %s us (max since takeover %s us; after their records left: %s; fine buckets, at most 3.2 %% above; coarse buckets: wait %s, max <= %s us, after the records left %s); %d released unacknowledged since takeover (must be 0)\n' \
		"$7" $((h1 - $2)) "$pct1" "$(hb_fine_max "$fine1" "$max1")" "$max1" "$apct1" \
		"$(hb_hist_pct "$hist1" "$max1")" "$(hb_hist_max "$hist1" "$max1")" \
		"$(hb_hist_pct "$ack1" "$max1")" "$rel1"
	echo "bench: ha checkpoint-before-acknowledge wait histogram $7 (us: packets; after the records left in brackets): $(hb_hist_show "$hist1" "$ack1")"
}

# The small burst: 10 tunnels of LIGHT_PER calls dialled at once.
read -r h0 < <(it_ha_red b detail | jq -r '.link_stats.egress_held')
hist0=$(hb_wait_hist b)
ack0=$(hb_wait_hist b egress_ack_wait_histogram)
fine0=$(hb_fine_hist b)
fack0=$(hb_fine_hist b egress_ack_wait_fine)
t0=$(it_now)
it_ctl lac test vpdn dial vpdn-group LAC sessions $((10 * LIGHT_PER)) per-tunnel "$LIGHT_PER" >"$IT_DIR/dial.out" 2>&1 ||
	it_fail "dial refused by the LAC: $(head -c 300 "$IT_DIR/dial.out")"
it_poll "$BOUND" 0.05 hb_all_up_n lac $((TUNNELS + 10)) $((TOTAL + 10 * LIGHT_PER)) ||
	ha_fail "LAC: $(hb_up lac) (tunnels sessions) up $BOUND s after 10 x $LIGHT_PER more calls"
t_light=$(it_elapsed "$t0")
it_poll "$BOUND" 0.05 ha_pair_synced b a $((TUNNELS + 10)) $((TOTAL + 10 * LIGHT_PER)) ||
	ha_fail "standby a not in sync after 10 x $LIGHT_PER more calls: a: $(it_ha_summary a)"
hb_wait_since b "$h0" "$hist0" "$ack0" "$fine0" "$fack0" "in a small burst (10 tunnels x $LIGHT_PER sessions more, dialled at once, up in $t_light s)"

# Light load: LIGHT_CALLS calls, each on a tunnel of its own, placed by the
# LAC one every LIGHT_MS ms from one dial command (its paced dial).  Nothing
# is spawned and nothing polls a daemon while they are placed: the script
# sleeps for their span and half a second more, then polls the LAC alone
# until every call is up, and only then the pair.
read -r h0 < <(it_ha_red b detail | jq -r '.link_stats.egress_held')
hist0=$(hb_wait_hist b)
ack0=$(hb_wait_hist b egress_ack_wait_histogram)
fine0=$(hb_fine_hist b)
fack0=$(hb_fine_hist b egress_ack_wait_fine)
cpu_b0=$(hb_cpu_ms b) cpu_a0=$(hb_cpu_ms a)
it_ctl lac test vpdn dial vpdn-group LAC sessions "$LIGHT_CALLS" per-tunnel 1 interval "$LIGHT_MS" >"$IT_DIR/dial.out" 2>&1 ||
	it_fail "dial refused by the LAC: $(head -c 300 "$IT_DIR/dial.out")"
span=$(awk -v n="$LIGHT_CALLS" -v ms="$LIGHT_MS" 'BEGIN { printf "%.3f", (n - 1) * ms / 1000 }')
sleep "$(awk -v s="$span" 'BEGIN { printf "%.3f", s + 0.5 }')"
cpu_b1=$(hb_cpu_ms b) cpu_a1=$(hb_cpu_ms a)
LIGHT_T=$((TUNNELS + 10 + LIGHT_CALLS)) LIGHT_S=$((TOTAL + 10 * LIGHT_PER + LIGHT_CALLS))
it_poll "$BOUND" 0.05 hb_all_up_n lac "$LIGHT_T" "$LIGHT_S" ||
	ha_fail "LAC: $(hb_up lac) (tunnels sessions) up $BOUND s after $LIGHT_CALLS calls one every $LIGHT_MS ms"
it_poll "$BOUND" 0.05 ha_pair_synced b a "$LIGHT_T" "$LIGHT_S" ||
	ha_fail "standby a not in sync after $LIGHT_CALLS calls one every $LIGHT_MS ms: a: $(it_ha_summary a)"
hb_wait_since b "$h0" "$hist0" "$ack0" "$fine0" "$fack0" "at light load ($LIGHT_CALLS calls placed by the LAC one every $LIGHT_MS ms over $span s, a tunnel each, nothing polled meanwhile; CPU over the span and 0.5 s: active b $((cpu_b1 - cpu_b0)) ms, standby a $((cpu_a1 - cpu_a0)) ms)"

# ---- 5. a planned switchover back to a (`redundancy switchover` on b,
# then keepalived restarted there so that the VIP follows): a rebuilds and
# probes at once, before VRRP has moved the address, so its first probes'
# answers go to b; the short resends of a resync (l2tp/ctrl.c) get it done
# once the address has moved.
read -r ok0 fail0 < <(ha_resync_counts a)
t0=$(it_now)
HA_SWITCHOVER=cli ha_switchover b a
t_vip=$(it_elapsed "$t0")
it_poll "$BOUND" 0.05 it_ha_resync_done a "$ok0" "$fail0" "$LIGHT_T" ||
	ha_fail "a has not resynced $LIGHT_T tunnels $BOUND s after the switchover: $(it_ha_summary a)"
t_res=$(it_elapsed "$t0")
read -r ok fail rdur < <(it_ha_red a | jq -r '"\(.resynced_tunnels.success // 0) \(.resynced_tunnels.fail // 0) \(.resync_duration_ms // "-")"')
# (a daemon from before the short resends has no such counter: "-")
fast=$(it_json a show l2tp statistics | jq -r '.control_channels.resync_fast_rtx // "-"')
printf 'bench: ha planned switchover b -> a (%s + 10 x %d + %d x 1): VIP on a after %s s, every tunnel resynced after %s s (wall clock from the command); resync_duration_ms %s; resynced %d ok, %d failed; probes resent on the short timer %s\n' \
	"$SHAPE" "$LIGHT_PER" "$LIGHT_CALLS" "$t_vip" "$t_res" "$rdur" $((ok - ok0)) $((fail - fail0)) "$fast"

it_check_healthy b
it_check_healthy a
it_check_healthy lac
printf 'bench: ha bench done in %s s\n' "$(it_elapsed "$T_START")"
# A bench prints figures, not a PASS line (it_fail still reports errors).
# shellcheck disable=SC2034 # read by it_cleanup (lib.sh)
IT_RESULT=finished
