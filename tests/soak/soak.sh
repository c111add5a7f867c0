#!/bin/bash
# A soak of failovers (tests/soak/run.sh runs it; the README there says how
# long): an active/standby pair of our LNS behind keepalived (the topology
# of tests/integration/ha_lib.sh), FreeRADIUS authenticating and
# accounting every subscriber, and our LAC keeping SOAK_KEEP PPP
# subscribers up while it places and clears about SOAK_RATE more calls a
# second (a new tunnel of SOAK_RATE calls every second, each cleared by
# the LAC SOAK_CHURN_LIFE s later).  Every SOAK_INTERVAL s the active box
# dies (ha_kill_box: frozen, link down, SIGKILL), the other takes over, and
# the dead one comes back as the standby: SOAK_FAILOVERS failovers, the
# boxes alternating.
# Asserted, at every failover:
#   - every session the LAC had established just before the kill is still
#     established on the LAC and on the new active, unless the LAC itself
#     cleared its (churn) tunnel meanwhile; the LAC's log shows no CDN,
#     StopCCN or unanswered retransmission for any of them, and the LAC
#     never receives a StopCCN;
#   - the SOAK_KEEP kept subscribers are all up (PPP) on the new active;
#   - every tunnel the new active rebuilt resynchronised, none failed.
# At the end (the LAC hangs up everything): in FreeRADIUS's detail file,
# exactly one Start and one Stop for every Acct-Session-Id; and the RSS and
# open descriptors of the LAC and of each cycle's active (measured just
# before its kill, and printed per cycle) stay flat after the first cycle:
# at most SOAK_RSS_PCT % and 8 MiB above the second cycle's RSS, at most
# SOAK_FD_SLACK descriptors above its count.
# shellcheck disable=SC2317 # predicates called through it_wait/it_poll
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../integration/ha_lib.sh
. "$here/../integration/ha_lib.sh"
# shellcheck source=../integration/radius_lib.sh
. "$here/../integration/radius_lib.sh"
ha_init soak
rad_init
it_require_l2tpd

KEEP=${SOAK_KEEP:-1000}
KEEP_PER=${SOAK_KEEP_PER:-100}
RATE=${SOAK_RATE:-20}
LIFE=${SOAK_CHURN_LIFE:-10}
FAILOVERS=${SOAK_FAILOVERS:-4}
INTERVAL=${SOAK_INTERVAL:-30}
RSS_PCT=${SOAK_RSS_PCT:-20}
FD_SLACK=${SOAK_FD_SLACK:-16}
USER=alice
PASS=wonderland
KEEP_TUNNELS=$(((KEEP + KEEP_PER - 1) / KEEP_PER))

# sk_box_conf BOX: an LNS of the pair authenticating and accounting through
# FreeRADIUS r1, Virtual-Template1 with PAP and a pool for 4,000.
sk_box_conf() {
	ha_conf_lns "$1" | awk '{ print } /^  protocol l2tp$/ { print "  virtual-template 1" }'
	rad_conf_servers r1
	rad_conf_aaa "group radius"
	it_conf_template 10.200.255.254 pap "" 10.200.15.254
}

# sk_mem NAME: "RSS_KiB FDS" of daemon NAME.
sk_mem() {
	local pid=${IT_DPID[$1]:-} rss fds
	[ -n "$pid" ] || { echo "- -"; return; }
	rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status" 2>/dev/null) || rss=-
	fds=$(find "/proc/$pid/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l) || fds=-
	echo "${rss:--} $fds"
}

# sk_keep_ppp BOX: how many sessions on the kept subscribers' tunnels (the
# LAC's IDs in $IT_DIR/keep-tunnels) have PPP up on BOX.
sk_keep_ppp() {
	it_json "$1" show l2tp tunnel >"$IT_DIR/kp-t.json" || return 1
	it_json "$1" show l2tp session >"$IT_DIR/kp-s.json" || return 1
	jq -n --slurpfile t "$IT_DIR/kp-t.json" --slurpfile s "$IT_DIR/kp-s.json" \
		--rawfile keep "$IT_DIR/keep-tunnels" "
		(\$keep | split(\"\\n\") | map(select(. != \"\"))) as \$k
		| [\$t[0] | $IT_JQ_ROWS | select((.remote_tunnel_id | tostring) as \$r | \$k | index(\$r))
		   | .local_tunnel_id] as \$mine
		| [\$s[0] | $IT_JQ_ROWS | select(.ppp_up == true and (.tunnel_id as \$x | \$mine | index(\$x)))]
		| length"
}

# sk_keep_up BOX: the kept subscribers all have PPP up on BOX.
sk_keep_up() {
	[ "$(sk_keep_ppp "$1" 2>/dev/null || echo 0)" -ge "$KEEP" ]
}

# sk_lac_tunnels: the LAC's "local_tunnel_id uptime_seconds" of every tunnel.
sk_lac_tunnels() {
	it_json lac show l2tp tunnel detail | jq -r "$IT_JQ_ROWS | \"\(.local_tunnel_id) \(.uptime_seconds // 0)\""
}

# The churn (in the background): every second a new tunnel of RATE calls
# (PPP, user alice) and the churn tunnels older than LIFE s cleared; each
# action a line of $IT_DIR/churn.log ("TIME dial|clear ...").
sk_churn() {
	local next t up
	while [ ! -e "$IT_DIR/churn.stop" ]; do
		next=$(($(date +%s%N) / 1000000 + 1000))
		if it_ctl lac test vpdn dial vpdn-group LAC sessions "$RATE" per-tunnel "$RATE" \
			username "$USER" password "$PASS" >/dev/null 2>&1; then
			echo "$(date +%s.%N) dial $RATE" >>"$IT_DIR/churn.log"
		else
			echo "$(date +%s.%N) dial-refused" >>"$IT_DIR/churn.log"
		fi
		sk_lac_tunnels 2>/dev/null | while read -r t up; do
			grep -qx "$t" "$IT_DIR/keep-tunnels" && continue
			[ "$up" -ge "$LIFE" ] || continue
			# Logged first: a check reading the log after it found the
			# LAC without the tunnel must see why.
			echo "$(date +%s.%N) clear $t" >>"$IT_DIR/churn.log"
			it_ctl lac clear l2tp tunnel id "$t" >/dev/null 2>&1 ||
				echo "$(date +%s.%N) clear-refused $t" >>"$IT_DIR/churn.log"
		done
		t=$((next - $(date +%s%N) / 1000000))
		if [ "$t" -gt 0 ]; then
			sleep "$(awk -v t="$t" 'BEGIN { printf "%.3f", t / 1000 }')"
		fi
	done
}

# sk_check_kept SNAPSHOT BOX CYCLE: what the LAC had established at the
# kill (SNAPSHOT, ha_lac_snapshot lines) is still established on the LAC
# and on BOX, but for the tunnels the LAC cleared itself since.
sk_check_kept() {
	local snap=$1 box=$2 cycle=$3 miss
	ha_lac_snapshot "$IT_DIR/lac-now"
	ha_active_view "$box" "$IT_DIR/lns-now"
	# The tunnels the LAC cleared (or began to) up to now: read after the
	# views, so that nothing they miss can have been cleared unseen.
	awk '$2 == "clear" { print "T", $3 }' "$IT_DIR/churn.log" | sort -u >"$IT_DIR/cleared"
	awk 'FILENAME == ARGV[1] { gone[$2] = 1; next }
	     { id = $2; sub("/.*", "", id); if (!(id in gone)) print }' "$IT_DIR/cleared" "$snap" | sort >"$snap.kept"
	miss=$(comm -23 "$snap.kept" "$IT_DIR/lac-now" | head -n 5 | tr '\n' ' ')
	[ -z "$miss" ] || ha_fail "cycle $cycle: the LAC lost what it had established at the kill: $miss"
	miss=$(comm -23 "$snap.kept" "$IT_DIR/lns-now" | head -n 5 | tr '\n' ' ')
	[ -z "$miss" ] || ha_fail "cycle $cycle: $box lacks what the LAC had established at the kill: $miss"
	miss=$(ha_lac_torn "$snap")
	[ "$miss" = "0 0" ] || ha_fail "cycle $cycle: the LAC's log shows (tunnels sessions) torn down by the LNS: $miss"
	[ "$(it_stat lac .rx_stopccn)" = 0 ] || ha_fail "cycle $cycle: the LAC received a StopCCN"
	wc -l <"$snap.kept"
}

# sk_flat NAME VALUES...: values 2.. stay within the bounds of value 2
# (the first is the first cycle's, before the pair carried the churn).
sk_flat() {
	local name=$1 kind=$2 base lim v i=0
	shift 2
	[ "$#" -ge 2 ] || return 0
	base=$2
	if [ "$kind" = rss ]; then
		lim=$((base + base * RSS_PCT / 100 + 8192))
	else
		lim=$((base + FD_SLACK))
	fi
	for v in "$@"; do
		i=$((i + 1))
		[ "$i" -ge 2 ] || continue
		[ "$v" -le "$lim" ] || ha_fail "$name $kind not flat: cycle $i has $v, cycle 2 had $base (limit $lim): $*"
	done
}

ha_topology
rad_start r1 "${HA_NS[peer]}" "$IT_HA_PEER_ADDR" 1812 1813
ha_keys
ha_box_start a "$(sk_box_conf a)"
it_wait 10 ha_is_active_on_vip a || ha_fail "box a not active on the VIP: $(it_ha_summary a)"
rad_require_radius a
ha_start_standby b "$(sk_box_conf b)"
ha_lac_up ""

t0=$(it_now)
it_ctl lac test vpdn dial vpdn-group LAC sessions "$KEEP" per-tunnel "$KEEP_PER" username "$USER" password "$PASS" \
	>"$IT_DIR/dial.out" 2>&1 || it_fail "dial refused by the LAC: $(head -c 300 "$IT_DIR/dial.out")"
it_wait 120 it_ppp_up_eq a "$KEEP" || ha_fail "$(it_ppp_up a) of $KEEP subscribers up on a after 120 s"
it_json lac show l2tp tunnel | jq -r "$IT_JQ_ROWS | .local_tunnel_id" >"$IT_DIR/keep-tunnels"
[ "$(wc -l <"$IT_DIR/keep-tunnels")" = "$KEEP_TUNNELS" ] ||
	it_fail "the LAC has $(wc -l <"$IT_DIR/keep-tunnels") tunnels for the kept subscribers, not $KEEP_TUNNELS"
ha_wait_synced a b "$KEEP_TUNNELS" "$KEEP" 60
it_say "$KEEP subscribers up on a in $(it_elapsed "$t0") s; churn of $RATE calls a second starts"

sk_churn_stop() {
	touch "$IT_DIR/churn.stop"
	wait "$CHURN" 2>/dev/null || true
}
: >"$IT_DIR/churn.log"
sk_churn &
CHURN=$!
IT_CLEANUP_HOOKS+=(sk_churn_stop)

ACT=a
SBY=b
lac_rss=() lac_fd=() act_rss=() act_fd=()
tc=$(date +%s)
for cycle in $(seq 1 "$FAILOVERS"); do
	tc=$((tc + INTERVAL))
	while [ "$(date +%s)" -lt "$tc" ]; do
		it_alive lac || it_fail "the LAC died: $(it_exit_status lac)"
		sleep 1
	done
	read -r lr lf < <(sk_mem lac)
	read -r ar af < <(sk_mem "$ACT")
	read -r sr sf < <(sk_mem "$SBY")
	lac_rss+=("$lr") lac_fd+=("$lf") act_rss+=("$ar") act_fd+=("$af")
	# keepalived (advert_int HA_ADVERT_INT) moves the address by itself when a box
	# is starved of CPU for 0.3 s: a failover this soak did not cause and
	# cannot judge (nothing was snapshotted before it).  Said as such.
	ha_is_active_on_vip "$ACT" ||
		ha_fail "cycle $cycle: $ACT is no longer active on the VIP before its kill (VIP on '$(ha_vip_owner)'): VRRP failed over by itself; is the host too loaded for advert_int ${HA_ADVERT_INT:-0.05}?"
	read -r ok0 fail0 < <(ha_resync_counts "$SBY")
	ha_lac_snapshot "$IT_DIR/snap-$cycle"
	tk=$(it_now)
	ha_kill_box "$ACT"
	it_wait 15 ha_is_active_on_vip "$SBY" || ha_fail "cycle $cycle: $SBY not active on the VIP: $(it_ha_summary "$SBY")"
	it_wait 60 it_ha_resync_done "$SBY" "$ok0" "$fail0" 1 || ha_fail "cycle $cycle: $SBY did not resync: $(it_ha_summary "$SBY")"
	t_res=$(it_elapsed "$tk")
	# The same moment from the new active's own log (its timestamps, to the
	# millisecond), free of the poll interval: this cycle's line, after the kill.
	t_res_log=$(ha_log_since "$IT_DIR/$SBY.log" "$tk" "redundancy: takeover complete")
	t_act_log=$(ha_log_since "$IT_DIR/$SBY.log" "$tk" "redundancy: becoming active")
	awk -v a="$t_act_log" -v r="$t_res_log" 'BEGIN { exit !(a > 0 && r >= a) }' ||
		ha_fail "cycle $cycle: $SBY's log has no takeover after the kill (became active at $t_act_log s, takeover complete at $t_res_log s from the kill)"
	read -r ok fail rt rs < <(it_ha_red "$SBY" | jq -r '"\(.resynced_tunnels.success) \(.resynced_tunnels.fail) \(.takeover_tunnels) \(.takeover_sessions)"')
	[ "$((fail - fail0))" = 0 ] || ha_fail "cycle $cycle: $((fail - fail0)) tunnels failed to resync on $SBY"
	[ "$((ok - ok0))" -ge "$rt" ] || it_wait 30 it_ha_resync_done "$SBY" "$ok0" "$fail0" "$rt" ||
		ha_fail "cycle $cycle: $((ok - ok0)) of $rt tunnels resynced on $SBY"
	it_wait 30 sk_keep_up "$SBY" || ha_fail "cycle $cycle: $(sk_keep_ppp "$SBY") of $KEEP kept subscribers up on $SBY"
	kept=$(sk_check_kept "$IT_DIR/snap-$cycle" "$SBY" "$cycle")
	dead=$ACT
	ACT=$SBY
	SBY=$dead
	ha_start_standby "$SBY" "$(sk_box_conf "$SBY")"
	it_wait 60 ha_active_sees_standby "$ACT" || ha_fail "cycle $cycle: $SBY never in sync with $ACT: $(it_ha_summary "$ACT")"
	printf 'soak: cycle %d: %s died, %s active: rebuilt %s tunnels %s sessions, all resynced %s s after the kill (polled; %s s by %s'"'"'s log, active at %s s); kept %d established sessions; LAC RSS %s KiB fds %s; dead active RSS %s KiB fds %s; new active (was standby) RSS %s KiB fds %s\n' \
		"$cycle" "$dead" "$ACT" "$rt" "$rs" "$t_res" "$t_res_log" "$ACT" "$t_act_log" "$kept" "$lr" "$lf" "$ar" "$af" "$sr" "$sf"
	it_say "cycle $cycle done: $(grep -c ' dial ' "$IT_DIR/churn.log") churn dials, $(grep -c ' clear ' "$IT_DIR/churn.log") clears so far"
done
sk_churn_stop
read -r lr lf < <(sk_mem lac)
lac_rss+=("$lr") lac_fd+=("$lf")
it_check_healthy lac
it_check_healthy "$ACT"
sk_flat LAC rss "${lac_rss[@]}"
sk_flat LAC fds "${lac_fd[@]}"
sk_flat active rss "${act_rss[@]}"
sk_flat active fds "${act_fd[@]}"

# The LAC hangs up: the active sends every Stop.
for t in $(it_tunnel_ids lac); do
	it_ctl lac clear l2tp tunnel id "$t" >/dev/null 2>&1 || true
done
it_wait 60 it_sessions_eq "$ACT" 0 || ha_fail "sessions left on $ACT: $(it_sessions "$ACT")"
# sk_acct_open: Starts without a Stop yet.
sk_acct_open() {
	rad_acct r1 '[group_by(.["Acct-Session-Id"])[] | select(([.[] | select(.["Acct-Status-Type"] == "Start")] | length)
		!= ([.[] | select(.["Acct-Status-Type"] == "Stop")] | length))] | length'
}
sk_acct_closed() { [ "$(sk_acct_open 2>/dev/null || echo 1)" = 0 ]; }
it_wait 60 sk_acct_closed || true
rad_acct r1 '[group_by(.["Acct-Session-Id"])[] | {id: .[0]["Acct-Session-Id"],
	starts: ([.[] | select(.["Acct-Status-Type"] == "Start")] | length),
	stops: ([.[] | select(.["Acct-Status-Type"] == "Stop")] | length)}]' >"$IT_DIR/acct.json"
read -r n_ids n_bad < <(jq -r '"\(length) \([.[] | select(.starts != 1 or .stops != 1)] | length)"' "$IT_DIR/acct.json")
[ "$n_bad" = 0 ] || ha_fail "accounting: $n_bad of $n_ids sessions without exactly one Start and one Stop: $(jq -c '[.[] | select(.starts != 1 or .stops != 1)] | .[:4]' "$IT_DIR/acct.json")"
[ "$n_ids" -ge "$KEEP" ] || ha_fail "accounting: $n_ids sessions accounted, fewer than the $KEEP kept"
printf 'soak: %d failovers every %d s, %d kept subscribers, %d churn dials of %d calls, %d churn tunnels cleared by the LAC; accounting: %d sessions, each one Start and one Stop; LAC RSS KiB per cycle: %s; fds: %s; active RSS KiB per cycle: %s; fds: %s\n' \
	"$FAILOVERS" "$INTERVAL" "$KEEP" "$(grep -c ' dial ' "$IT_DIR/churn.log")" "$RATE" \
	"$(grep -c ' clear ' "$IT_DIR/churn.log")" "$n_ids" "${lac_rss[*]}" "${lac_fd[*]}" "${act_rss[*]}" "${act_fd[*]}"
it_pass
