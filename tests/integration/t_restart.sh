#!/bin/bash
# The hitless restart on one box: our LAC with TUNNELS x PER sessions
# (L2T_RESTART_TUNNELS, L2T_RESTART_PER: 100 x 10; 1,000 x 10 by hand)
# against our LNS, which `l2tpctl restart` replaces by a new process:
#   - the LNS PID changes, the old process is gone, the new one shows every
#     tunnel and session established;
#   - the LAC saw no StopCCN and no CDN, and at most a few retransmissions
#     (RTX_BOUND: the old process stops reading for the handover; a LAC
#     message in flight then is acknowledged by the new one as soon as it
#     runs, well within the 1 s retransmission timeout, unless the host is
#     so loaded that the handover takes longer);
#   - Ns/Nr go on: a HELLO round on every tunnel, both ways (the LAC's HELLO
#     acknowledged by the new LNS, the LNS's taken in order by the LAC), no
#     message taken out of order, as a duplicate, outside the window or with
#     a bad Nr on either side (control channel counters), a
#     call cleared from the LAC on an old tunnel (its CDN taken in order),
#     and new calls placed through the listening socket handed over;
#   - `restart binary COPY` (an upgrade: another file) works the same;
#   - a bad PATH, a binary that exits at once, and a new process that fails
#     after the old one stopped reading (its file changed: a member of a
#     pair now) leave the
#     old PID serving (a HELLO round on every tunnel after them), with the
#     reason on the command and in the log;
#   - a user who is not root is refused (`restart binary`), nothing changes;
#   - a LAC with a test subscriber up (PPP run by the daemon) is refused.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
it_init restart
it_require_l2tpd
it_require_cmd jq ip setpriv

TUNNELS=${L2T_RESTART_TUNNELS:-100}
PER=${L2T_RESTART_PER:-10}
TOTAL=$((TUNNELS * PER))
RTX_BOUND=${L2T_RESTART_RTX_BOUND:-$((TUNNELS / 20 + 2))}
HELLO=2

it_two_hosts
it_l2tpd lns "$NS_LNS" "$(it_conf_lns lns1 s3cret " l2tp tunnel hello $HELLO")"
it_l2tpd lac "$NS_LAC" "$(it_conf_lac lac1 s3cret "$IT_LNS_ADDR" " l2tp tunnel hello $HELLO")"
it_ctl lac test vpdn dial vpdn-group LAC sessions "$TOTAL" per-tunnel "$PER" >"$IT_DIR/dial.out" 2>&1 ||
	it_fail "dial refused: $(head -c 300 "$IT_DIR/dial.out")"
it_wait 120 it_counts_ok lac "$TUNNELS" "$TOTAL" || it_fail "LAC: $(it_counts lac)"
it_wait 20 it_counts_ok lns "$TUNNELS" "$TOTAL" || it_fail "LNS: $(it_counts lns)"

# gone PID: the process exited (a zombie of ours counts).
# shellcheck disable=SC2317 # called through it_wait
gone() {
	! kill -0 "$1" 2>/dev/null || grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null
}

# restart_lns [binary PATH]: restart the LNS, check the handover, take the
# new PID as the LNS's (the cleanup stops it).  Prints the gap in ms.
restart_lns() {
	local old=${IT_DPID[lns]} new out t0 rc
	t0=$(it_now)
	out=$(it_ctl lns restart "$@" 2>&1) || it_fail "restart $*: $out"
	new=$(printf '%s\n' "$out" | sed -n 's/.*PID [0-9]* -> \([0-9]*\),.*/\1/p')
	[ -n "$new" ] || it_fail "restart $*: no new PID in: $out"
	[ "$new" != "$old" ] || it_fail "restart $*: the PID did not change ($old)"
	it_wait 10 gone "$old" || it_fail "the old LNS $old did not exit"
	rc=0
	wait "$old" 2>/dev/null || rc=$?
	# 127: not the shell's child (a process a restart started)
	[ "$rc" = 0 ] || [ "$rc" = 127 ] || it_fail "the old LNS $old exited with status $rc"
	kill -0 "$new" 2>/dev/null || it_fail "the new LNS $new does not run"
	IT_DPID[lns]=$new
	it_ctl_ready lns || it_fail "the new LNS does not answer"
	it_log "restart $*: $out ($(it_elapsed "$t0") s)"
	GAP_MS=$(printf '%s\n' "$out" | sed -n 's/.*again \([0-9]*\) ms after.*/\1/p')
}

# seq_errors NAME: the control channels' messages taken out of order, as
# duplicates, outside the window or with an Nr acknowledging what was never
# sent: "dup ooo oow badnr".
seq_errors() {
	local j
	j=$(it_json "$1" show l2tp statistics) || it_fail "no statistics from $1"
	printf '%s\n' "$j" | jq -er '.control_channels | "\(.rx_duplicates | numbers) \(.rx_out_of_order | numbers) \(.rx_out_of_window | numbers) \(.rx_bad_nr | numbers)"' ||
		it_fail "$1: the control channel counters are missing"
}

# seq_clean STEP: after a restart and a HELLO round, the sequence numbers
# agree: the LAC took every message of the new LNS in order (no out of
# order, out of window nor bad Nr since the start: a wrong Ns or una handed
# over shows here), and the new LNS took the LAC's so (a wrong Nr handed
# over makes it take the LAC's next message for a duplicate); duplicates at
# the LNS only as many as the LAC retransmitted (one the old process had
# taken, resent in the handover's pause).
seq_clean() {
	local d o w b rtx
	read -r d o w b <<<"$(seq_errors lac)"
	[ "$d $o $w $b" = "$LAC_SEQ0" ] || it_fail "$1: the LAC's sequence errors (dup ooo oow badnr) went from $LAC_SEQ0 to $d $o $w $b"
	read -r d o w b <<<"$(seq_errors lns)"
	rtx=$(($(it_stat lac .control_channels.tx_retransmits) - rtx0))
	if [ "$o $w $b" != "0 0 0" ] || [ "$d" -gt "$rtx" ]; then
		it_fail "$1: the new LNS's sequence errors (dup ooo oow badnr): $d $o $w $b, the LAC retransmitted $rtx"
	fi
}

# The counters the LAC keeps of what the LNS did to it.
lac_counters() {
	printf '%s %s %s\n' "$(it_stat lac .rx_stopccn)" "$(it_stat lac .rx_cdn)" \
		"$(it_stat lac .control_channels.tx_retransmits)"
}

# hello_round FILE: every original tunnel has had an acknowledged round,
# from the LAC and from the LNS, since the snapshots FILE.lac, FILE.lns.
hello_round() {
	it_wait $((HELLO * 6)) it_hello_done lac "$1.lac" "$IT_DIR/tids.lac" ||
		it_fail "$2: $(wc -l <"$IT_DIR/hello-pending") LAC tunnels without an acknowledged round: $(head -n 3 "$IT_DIR/hello-pending" | tr '\n' ';')"
	it_wait $((HELLO * 6)) it_hello_done lns "$1.lns" "$IT_DIR/tids.lns" ||
		it_fail "$2: $(wc -l <"$IT_DIR/hello-pending") LNS tunnels without an acknowledged round: $(head -n 3 "$IT_DIR/hello-pending" | tr '\n' ';')"
}

it_tunnel_ids lac | sort >"$IT_DIR/tids.lac"
read -r stop0 cdn0 rtx0 <<<"$(lac_counters)"
LAC_SEQ0=$(seq_errors lac)

# 1. The installed binary.
it_ctrl_snapshot lac "$IT_DIR/h1.lac"
it_ctrl_snapshot lns "$IT_DIR/h1.lns"
restart_lns
it_tunnel_ids lns | sort >"$IT_DIR/tids.lns"
[ "$(wc -l <"$IT_DIR/tids.lns")" = "$TUNNELS" ] || it_fail "the new LNS has $(wc -l <"$IT_DIR/tids.lns") tunnels"
it_counts_ok lns "$TUNNELS" "$TOTAL" || it_fail "the new LNS: $(it_counts lns)"
hello_round "$IT_DIR/h1" "after the restart"
seq_clean "after the restart"
it_counts_ok lac "$TUNNELS" "$TOTAL" || it_fail "LAC after the restart: $(it_counts lac)"
read -r stop1 cdn1 rtx1 <<<"$(lac_counters)"
[ "$stop1" = "$stop0" ] || it_fail "the LAC got $((stop1 - stop0)) StopCCN"
[ "$cdn1" = "$cdn0" ] || it_fail "the LAC got $((cdn1 - cdn0)) CDN"
[ $((rtx1 - rtx0)) -le "$RTX_BOUND" ] || it_fail "the LAC retransmitted $((rtx1 - rtx0)) messages (bound $RTX_BOUND)"
it_log "restart 1: gap $GAP_MS ms, LAC retransmissions $((rtx1 - rtx0))"

# 2. A call cleared on an old tunnel, new calls on new tunnels.
read -r tid sid <<<"$(it_json lac show l2tp session | jq -r "[$IT_JQ_ROWS | \"\(.tunnel_id) \(.local_session_id)\"] | first")"
if [ -z "$sid" ] || [ "$sid" = null ]; then
	it_fail "no session ID on the LAC"
fi
it_ctl lac clear l2tp session tunnel "$tid" id "$sid" >/dev/null 2>&1 ||
	it_fail "clear l2tp session tunnel $tid id $sid refused by the LAC"
it_wait 10 it_sessions_eq lns $((TOTAL - 1)) established || it_fail "the LNS did not take the CDN: $(it_counts lns)"
it_ctl lac test vpdn dial vpdn-group LAC sessions "$PER" per-tunnel "$PER" >/dev/null || it_fail "new dial refused"
it_wait 20 it_counts_ok lns $((TUNNELS + 1)) $((TOTAL - 1 + PER)) || it_fail "new calls: LNS $(it_counts lns)"
it_wait 20 it_counts_ok lac $((TUNNELS + 1)) $((TOTAL - 1 + PER)) || it_fail "new calls: LAC $(it_counts lac)"

# 3. An upgrade: another file.
cp "$L2TPD" "$IT_DIR/l2tpd-next"
it_ctrl_snapshot lac "$IT_DIR/h3.lac"
it_ctrl_snapshot lns "$IT_DIR/h3.lns"
restart_lns binary "$IT_DIR/l2tpd-next"
[ "$(readlink "/proc/${IT_DPID[lns]}/exe")" = "$IT_DIR/l2tpd-next" ] ||
	it_fail "the new LNS runs $(readlink "/proc/${IT_DPID[lns]}/exe"), not the copy"
it_counts_ok lns $((TUNNELS + 1)) $((TOTAL - 1 + PER)) || it_fail "after the upgrade: LNS $(it_counts lns)"
hello_round "$IT_DIR/h3" "after the upgrade"
seq_clean "after the upgrade"

# 4. Failures leave the old process serving.
pid=${IT_DPID[lns]}
for bad in "$IT_DIR/no-such-l2tpd" /bin/false; do
	if out=$(it_ctl lns restart binary "$bad" 2>&1); then
		it_fail "restart binary $bad succeeded: $out"
	fi
	printf '%s\n' "$out" | grep -q "Restart failed, this daemon serves on" || it_fail "restart binary $bad: $out"
	kill -0 "$pid" 2>/dev/null || it_fail "the LNS died on restart binary $bad"
	it_counts_ok lns $((TUNNELS + 1)) $((TOTAL - 1 + PER)) || it_fail "after restart binary $bad: LNS $(it_counts lns)"
	it_log "restart binary $bad: $out"
done
# A new process that fails after the old one stopped reading and handed
# everything over (its file now has a redundancy block: a member of a pair
# cannot take a daemon alone's state): the old one reads again.
cp "$IT_DIR/lns.conf" "$IT_DIR/lns.conf.good"
it_conf_redundancy "$IT_LNS_ADDR" 10.1.0.99 10.1.0.100 " checkpoint security none" >>"$IT_DIR/lns.conf"
if out=$(it_ctl lns restart 2>&1); then
	it_fail "restart into a member of a pair succeeded: $out"
fi
printf '%s\n' "$out" | grep -q "the new daemon refused: cannot take over" || it_fail "restart into a pair: $out"
it_log "restart into a pair: $out"
cp "$IT_DIR/lns.conf.good" "$IT_DIR/lns.conf"
kill -0 "$pid" 2>/dev/null || it_fail "the LNS died on the failed handover"
it_grep_log lns "restart failed: .*no-such-l2tpd" || it_fail "no log line for the bad PATH"
it_grep_log lns "restart failed: the new daemon exited" || it_fail "no log line for the binary that exited"

# 5. Not root: refused.
chmod 0666 "$IT_DIR/lns.sock"
chmod o+x "$IT_DIR"
if out=$(ip netns exec "$NS_LNS" setpriv --reuid=nobody --regid=nogroup --clear-groups \
	"$L2TPCTL" -t 20 -s "$IT_DIR/lns.sock" restart binary "$IT_DIR/l2tpd-next" 2>&1); then
	it_fail "restart binary as nobody succeeded: $out"
fi
printf '%s\n' "$out" | grep -qi "permission denied" || it_fail "restart binary as nobody: $out"
if [ "${IT_DPID[lns]}" != "$pid" ] || ! kill -0 "$pid"; then
	it_fail "the LNS changed after a refused restart"
fi
it_ctrl_snapshot lac "$IT_DIR/h5.lac"
it_ctrl_snapshot lns "$IT_DIR/h5.lns"
hello_round "$IT_DIR/h5" "after the failed restarts"

read -r stop2 cdn2 rtx2 <<<"$(lac_counters)"
[ "$stop2" = "$stop0" ] || it_fail "the LAC got $((stop2 - stop0)) StopCCN in all"
[ "$cdn2" = "$cdn0" ] || it_fail "the LAC got $((cdn2 - cdn0)) CDN in all"
[ $((rtx2 - rtx0)) -le $((2 * RTX_BOUND)) ] || it_fail "the LAC retransmitted $((rtx2 - rtx0)) in all"
it_check_healthy lac

# 6. A LAC with a test subscriber up (its PPP runs in the daemon, not
# checkpointed) is refused, and serves on.
lac_pid=${IT_DPID[lac]}
it_ctl lac test vpdn dial vpdn-group LAC sessions 1 username u1 password p1 >/dev/null 2>&1 ||
	it_fail "dial with a test subscriber refused"
# shellcheck disable=SC2317 # called through it_wait
lac_sub_up() { it_json lac show l2tp session | jq -e "[$IT_JQ_ROWS | select(.user == \"u1\" and .state == \"established\")] | length == 1" >/dev/null; }
it_wait 20 lac_sub_up || it_fail "the LAC's test subscriber's call is not established"
if out=$(it_ctl lac restart 2>&1); then
	it_fail "restart of a LAC with a test subscriber succeeded: $out"
fi
printf '%s\n' "$out" | grep -q "test subscribers .* are not handed over" || it_fail "restart of the LAC: $out"
if [ "${IT_DPID[lac]}" != "$lac_pid" ] || ! kill -0 "$lac_pid"; then
	it_fail "the LAC changed after a refused restart"
fi
it_log "restart of the LAC with a test subscriber: $out"
it_sanitizer_clean lns || it_fail "the LNS log has a sanitizer report"
kill -TERM "${IT_DPID[lns]}"
it_wait 30 gone "${IT_DPID[lns]}" || it_fail "the LNS did not stop"
unset "IT_DPID[lns]"
it_stop lac
it_pass
