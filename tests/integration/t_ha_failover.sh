#!/bin/bash
# Silent failover of 100 tunnels x 10 sessions, the active box dying at
# each point of the checkpoint protocol in turn.  Box a starts active, b
# standby; our LAC (peer namespace) dials to the VIP.  Each round kills the
# active box and checks the standby's takeover; the dead box then comes back
# as the new standby and the next round kills the other one:
#   idle            nothing in flight
#   tx-before-ckpt  the active dies as it sends the ICRP of a call placed on
#                   an existing tunnel (a HELLO if the LAC cannot place one)
#                   that it has not checkpointed (`test redundancy
#                   crash-point P message ICRP`)
#   ckpt-before-tx  ... whose checkpoint was acknowledged, before it leaves
#                   (a half-made call on the new active)
#   burst           during a dial of 200 more sessions
#   resync          a switchover (`redundancy switchover` on the active,
#                   keepalived restarted there so the VIP follows; with
#                   HA_SWITCHOVER=keepalived only the latter) whose
#                   new active dies while resynchronising; the old active,
#                   its standby again, takes over once more
# After each takeover:
#   - the new active holds the VIP, and every tunnel and session the LAC had
#     established before the round (its own IDs) is still established on the
#     LAC and on the new active; the LAC's log shows no StopCCN, no CDN and
#     no unanswered retransmission for any of them;
#   - `show l2tp redundancy` on the new active: resynced tunnels success
#     grew by the number of tunnels it rebuilt, fail by 0;
#   - calls placed on existing tunnels while the LAC cannot hear the new
#     active (nftables holds it in resync) are refused with cause 611,
#     listed by `show vpdn history failure`;
#   - one new call on every tunnel is established (sequence numbers agree),
#     a HELLO round completes on every tunnel (`l2tp tunnel hello 2` on both
#     sides), and the LAC and the new active agree on every session of
#     those tunnels (a tunnel the LAC opened as the active died may be
#     lost: it was never checkpointed; the difference is printed).
# L2T_HA_POINTS="idle burst" runs some rounds only.
set -euo pipefail
. "$(dirname "$0")/ha_lib.sh"
ha_init ha_failover
it_require_l2tpd

TUNNELS=${L2T_HA_TUNNELS:-100}
PER=${L2T_HA_PER:-10}
POINTS=${L2T_HA_POINTS:-idle tx-before-ckpt ckpt-before-tx burst resync}
SNAP=$IT_DIR/snapshot
MISSING=()	# daemon features the scenario needed and did not find

ha_topology
ha_pair_up
ha_lac_up ""
HA_TUNNEL_DIAL=0
if ha_lac_has_tunnel_dial; then
	HA_TUNNEL_DIAL=1
else
	MISSING+=("test vpdn dial ... tunnel <id> (calls on an existing tunnel)")
	it_say "MISSING: 'test vpdn dial vpdn-group LAC sessions N tunnel ID'; the 611 and per-tunnel dial checks are skipped"
fi

t0=$(it_now)
it_ctl lac test vpdn dial vpdn-group LAC sessions $((TUNNELS * PER)) per-tunnel "$PER" >/dev/null ||
	it_fail "dial of $TUNNELS x $PER failed"
it_wait "${L2T_DEADLINE:-120}" it_counts_ok lac "$TUNNELS" $((TUNNELS * PER)) ||
	ha_fail "LAC: $(it_counts lac) of $TUNNELS x $PER"
it_say "$TUNNELS x $PER sessions up on the LAC in $(it_elapsed "$t0") s"
ha_wait_synced a b "$TUNNELS" $((TUNNELS * PER)) 60

# ha_takeover_checks NEW OK0 FAIL0 HIST0 T0 POINT: everything asserted after
# a takeover by NEW (the LAC is still held off by ha_peer_block_from_vip).
ha_takeover_checks() {
	local new=$1 ok0=$2 fail0=$3 hist0=$4 t0=$5 point=$6
	local nt ns t_act t_res ok fail rebuilt tid tids nd n611=- dial=- hello e0 miss torn t1 j extra
	nt=$(grep -c '^T ' "$SNAP")
	ns=$(grep -c '^S ' "$SNAP")
	it_wait 15 ha_is_active_on_vip "$new" ||
		ha_fail "$point: $new not active on the VIP: VIP on '$(ha_vip_owner)', $new: $(it_ha_summary "$new")"
	t_act=$(it_elapsed "$t0")

	# New calls on tunnels held in resync: refused with cause 611.  (A
	# tunnel whose every outstanding message the LAC already has leaves
	# resync on the LAC's next message, the call's ICRQ included, and the
	# call is taken: not asserted here.)
	if [ "$HA_TUNNEL_DIAL" = 1 ]; then
		it_wait 10 ha_some_held "$new" || true
		tids=$(ha_resync_held "$new" | head -n 3)
		[ -n "$tids" ] || ha_fail "$point: no tunnel held in resync on $new to place a call on: $(it_ha_summary "$new")"
		nd=0
		for tid in $tids; do
			ha_dial_on_tunnel "$tid" 1 || ha_fail "$point: dial on tunnel $tid refused by the LAC"
			nd=$((nd + 1))
		done
		# shellcheck disable=SC2086 # one tid a word
		it_wait 15 ha_611_gt "$new" $((hist0 + nd - 1)) ||
			ha_fail "$point: $(($(ha_history_611 "$new") - hist0)) of $nd calls on tunnels held in resync refused with cause 611 (Tunnel in HA resync) on $new: $(ha_seq_diag "$new" $tids)"
		n611=$(($(ha_history_611 "$new") - hist0))
	fi
	ha_peer_unblock

	it_wait 60 it_ha_resync_done "$new" "$ok0" "$fail0" "$nt" ||
		ha_fail "$point: resync not done on $new: $(it_ha_summary "$new")"
	t_res=$(it_elapsed "$t0")
	j=$(it_ha_red "$new")
	ok=$(($(jq -r '.resynced_tunnels.success' <<<"$j") - ok0))
	fail=$(($(jq -r '.resynced_tunnels.fail' <<<"$j") - fail0))
	rebuilt=$(jq -r '.takeover_tunnels // -1' <<<"$j")
	[ "$fail" -eq 0 ] || ha_fail "$point: $fail tunnels failed to resync on $new"
	[ "$ok" -eq "$rebuilt" ] || ha_fail "$point: $ok tunnels resynced, $rebuilt rebuilt on $new"
	[ "$ok" -ge "$nt" ] || ha_fail "$point: $ok tunnels resynced, the LAC had $nt"

	# Nothing established before the round was lost, on either side.
	ha_lac_snapshot "$IT_DIR/lac-now"
	miss=$(ha_missing "$SNAP" "$IT_DIR/lac-now")
	[ "$miss" = "0 0" ] || ha_fail "$point: the LAC lost tunnels/sessions (T S): $miss"
	ha_active_view "$new" "$IT_DIR/lns-now"
	miss=$(ha_missing "$SNAP" "$IT_DIR/lns-now")
	[ "$miss" = "0 0" ] || ha_fail "$point: $new lacks tunnels/sessions (T S) the LAC had: $miss"
	torn=$(ha_lac_torn "$SNAP")
	[ "$torn" = "0 0" ] || ha_fail "$point: the LAC's log shows (T S) torn down by the LNS: $torn"

	# One more call on every tunnel: the sequence numbers agree both ways.
	if [ "$HA_TUNNEL_DIAL" = 1 ]; then
		t1=$(it_now)
		it_wait 15 ha_views_agree "$new" "$SNAP" || true
		e0=$(it_sessions lac established)
		while read -r tid; do
			ha_dial_on_tunnel "$tid" 1 || ha_fail "$point: dial on tunnel $tid refused by the LAC"
		done < <(awk '$1 == "T" {print $2}' "$SNAP")
		it_wait 30 ha_lac_est_ge $((e0 + nt)) ||
			ha_fail "$point: $(($(it_sessions lac established) - e0)) of $nt new calls (one a tunnel) established"
		dial="$nt calls in $(it_elapsed "$t1") s"
	fi

	# A HELLO round on every tunnel both sides hold: nothing of the LAC's
	# is left unacknowledged by the new active.
	t1=$(it_now)
	ha_views_agree "$new" || true
	comm -12 "$IT_DIR/agree-lac.all" "$IT_DIR/agree-lns.all" | awk '$1 == "T" {print $2}' >"$IT_DIR/tids"
	ha_lac_ctrl "$IT_DIR/ctrl-before"
	it_wait $((3 * HA_HELLO + 5)) ha_hello_done "$IT_DIR/ctrl-before" "$IT_DIR/tids" ||
		ha_fail "$point: $(ha_hello_pending "$IT_DIR/ctrl-before" "$IT_DIR/tids") of $(wc -l <"$IT_DIR/tids") tunnels without a HELLO round with $new: $(head -n 3 "$IT_DIR/hello-pending" | tr '\n' ';') (tid ns una; ns of before: $(head -n 3 "$IT_DIR/hello-pending" | while read -r x _; do awk -v t="$x" '$1 == t {printf "%s ", $5}' "$IT_DIR/ctrl-before"; done))"
	# And whatever the LAC has sent by now (HELLOs in flight) is
	# acknowledged too, within the first retransmission timeout (§5.8).
	ha_lac_ctrl "$IT_DIR/ctrl-mid"
	it_wait $((HA_HELLO + 5)) ha_all_acked "$IT_DIR/ctrl-mid" "$IT_DIR/tids" ||
		ha_fail "$point: $(ha_unacked "$IT_DIR/ctrl-mid" "$IT_DIR/tids") tunnels with LAC messages $new never acknowledged: $(head -n 3 "$IT_DIR/unacked" | tr '\n' ';') (tid ns-then una-now)"
	hello=$(it_elapsed "$t1")

	it_wait 20 ha_views_agree "$new" "$SNAP" ||
		ha_fail "$point: on the tunnels of before the round, the LAC and $new disagree: $(diff "$IT_DIR/agree-lac" "$IT_DIR/agree-lns" | grep '^[<>]' | head -n 4 | tr '\n' ' ')"
	extra=$(diff "$IT_DIR/agree-lac.all" "$IT_DIR/agree-lns.all" | grep '^[<>]' || true)
	extra="$(printf '%s' "$extra" | grep -c . || true) lines (< LAC only, > LNS only: $(printf '%s' "$extra" | head -n 4 | tr '\n' ' '))"
	torn=$(ha_lac_torn "$SNAP")
	[ "$torn" = "0 0" ] || ha_fail "$point: the LAC's log shows (T S) torn down by the LNS: $torn"
	it_check_healthy lac
	it_check_healthy "$new"
	it_say "round $point: $new active on the VIP after $t_act s, resync done after $t_res s ($(it_ha_summary "$new")); $ok tunnels resynced, 0 failed; $nt tunnels / $ns sessions kept; 611 refusals $n611; new calls $dial; HELLO round in $hello s; on tunnels opened during the round $extra"
}

# ha_round POINT: kill the active at POINT; the standby takes over.
ha_round() {
	local point=$1 x=$ACT y=$SBY new dead ok0 fail0 hist0 t0 nt ns e0 ek tid burst
	# What both the LAC and the active hold: a call the active lost in an
	# earlier round (never checkpointed) lingers on the LAC until its
	# retransmissions give up; that round's checks have judged it.
	ha_lac_snapshot "$IT_DIR/snap-lac"
	ha_active_view "$x" "$IT_DIR/snap-lns"
	comm -12 "$IT_DIR/snap-lac" "$IT_DIR/snap-lns" >"$SNAP"
	nt=$(grep -c '^T ' "$SNAP")
	ns=$(grep -c '^S ' "$SNAP")
	ha_wait_synced "$x" "$y" "$nt" "$ns" 30
	new=$y
	dead=$x
	[ "$point" = resync ] && new=$x dead=$y
	read -r ok0 fail0 < <(ha_resync_counts "$new")
	hist0=$(ha_history_611 "$new")
	tid=$(awk '$1 == "T" {print $2; exit}' "$SNAP")
	it_say "round $point: active $x, standby $y; $nt tunnels, $ns sessions"
	case $point in
	idle)
		t0=$(it_now)
		ha_peer_block_from_vip
		ha_kill_box "$x"
		;;
	tx-before-ckpt | ckpt-before-tx)
		# The crash comes with the ICRP answering a call placed on an
		# existing tunnel (HELLOs of 100 tunnels fly meanwhile: without
		# "message ICRP" the first of them would take the crash as often
		# as not, and the round would test another thing each run); a
		# LAC that cannot place calls on a tunnel: the next HELLO
		# (every HA_HELLO s).
		if [ "$HA_TUNNEL_DIAL" = 1 ]; then
			it_ctl "$x" test redundancy crash-point "$point" message ICRP >/dev/null ||
				ha_fail "test redundancy crash-point $point message ICRP refused by $x"
			ha_dial_on_tunnel "$tid" 1 || ha_fail "dial on tunnel $tid refused by the LAC"
		else
			it_ctl "$x" test redundancy crash-point "$point" >/dev/null ||
				ha_fail "test redundancy crash-point $point refused by $x"
		fi
		it_wait $((3 * HA_HELLO + 2)) it_dead "$x" ||
			ha_fail "crash point $point did not fire on $x within $((3 * HA_HELLO + 2)) s"
		t0=$(it_now)
		grep -q "crash point $point reached" "$IT_DIR/$x.log" ||
			ha_fail "$x died, but not at crash point $point: $(tail -n 3 "$IT_DIR/$x.log")"
		ha_peer_block_from_vip
		ha_kill_box "$x"
		;;
	burst)
		# 20 dials of 10 calls (a new tunnel each), one every 50 ms; the
		# active dies once 60 of the 200 calls are up: calls in every
		# stage of their setup, and more dials after the takeover.
		e0=$(it_sessions lac established)
		(
			for _ in $(seq 1 20); do
				it_ctl lac test vpdn dial vpdn-group LAC sessions 10 per-tunnel 10 >/dev/null || exit 1
				sleep 0.05
			done
		) &
		burst=$!
		it_wait 20 ha_lac_est_ge $((e0 + 60)) || ha_fail "burst: fewer than 60 calls up in 20 s"
		t0=$(it_now)
		ha_peer_block_from_vip
		ha_kill_box "$x"
		ek=$(($(it_sessions lac established) - e0))
		it_say "burst: $x killed with $ek of 200 new sessions established on the LAC"
		wait "$burst" || ha_fail "burst: a dial was refused by the LAC"
		;;
	resync)
		it_ctl "$y" test redundancy crash-point resync >/dev/null ||
			ha_fail "test redundancy crash-point resync refused by $y"
		# The LAC stops hearing the VIP: $y stays in resync until $x,
		# its standby again, is in sync, and dies there.
		ha_peer_block_from_vip
		t0=$(it_now)
		ha_switchover "$x" "$y"
		it_wait 20 it_dead "$y" || ha_fail "crash point resync did not fire on $y: $(it_ha_summary "$y")"
		grep -q "crash point resync reached" "$IT_DIR/$y.log" ||
			ha_fail "$y died, but not at crash point resync: $(tail -n 3 "$IT_DIR/$y.log")"
		it_say "resync: $y took over and died resyncing $(it_elapsed "$t0") s after the switchover"
		t0=$(it_now)
		ha_kill_box "$y"
		;;
	*) it_fail "unknown round $point" ;;
	esac
	ha_takeover_checks "$new" "$ok0" "$fail0" "$hist0" "$t0" "$point"
	ACT=$new
	SBY=$dead
}

ACT=a
SBY=b
n=0
for point in $POINTS; do
	if [ "$n" -gt 0 ]; then
		ha_start_standby "$SBY"
	fi
	ha_round "$point"
	n=$((n + 1))
done
if [ "${#MISSING[@]}" -gt 0 ]; then
	it_fail "the daemon lacks: ${MISSING[*]}"
fi
it_pass
