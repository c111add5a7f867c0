#!/bin/bash
# A failover in the middle of a burst of call set-ups: our LAC (a strict
# RFC 2661 peer: it resends what is not acknowledged, in order, and knows
# nothing of the failover) places 50 tunnels x 200 calls on the VIP of an
# active/standby pair (keepalived); the active box dies once
# L2T_BURST_KILL_PCT % of the calls are established on the LAC, with calls
# in every stage of their set-up.  The standby takes over.
# Asserted (DESIGN.md, HA contract):
#   - every call for which the LAC had sent its ICCN when the box died (the
#     LAC's established calls just after the kill) is established on the LAC
#     and on the new active once things settle, and the LAC received no CDN
#     (nor StopCCN) for any of them;
#   - every call the LAC placed ends either established on both sides or
#     refused (a CDN to a call still in set-up, cause 611 while its tunnel
#     resynced, or its tunnel never established): none is left half made;
#   - the LAC and the new active agree on every established call.
# Printed: the calls at each stage at the kill, what the new active rebuilt
# (established, half made and later finished by the LAC, cleared), the
# calls that came up after the takeover, those refused, the resync time.
# L2T_BURST_TUNNELS, L2T_BURST_PER: the load (default 50 x 200).
# shellcheck disable=SC2317 # predicates called through it_wait/it_poll
set -euo pipefail
. "$(dirname "$0")/ha_lib.sh"
ha_init ha_burst
it_require_l2tpd

TUNNELS=${L2T_BURST_TUNNELS:-50}
PER=${L2T_BURST_PER:-200}
TOTAL=$((TUNNELS * PER))
KILL_PCT=${L2T_BURST_KILL_PCT:-30}
KILL_AT=$((TOTAL * KILL_PCT / 100))
SETTLE=${L2T_BURST_SETTLE:-150}

# tb_up NAME: "tunnels sessions" established on NAME, summed over its
# vpdn-groups (`show vpdn`: cheap while 10,000 calls are being set up).
tb_up() {
	it_json "$1" show vpdn 2>/dev/null |
		jq -r '"\([.vpdn_groups[]?.tunnels_up] | add // 0) \([.vpdn_groups[]?.sessions_up] | add // 0)"' ||
		echo "0 0"
}

tb_lac_est_ge() {
	local t s
	read -r t s < <(tb_up lac)
	[ "$s" -ge "$1" ]
}

# tb_at_kill SNAPSHOT STATES: the LAC's established tunnels and sessions
# (ha_lac_snapshot's lines) and its sessions by state ("state count"), from
# one reading of its sessions (taken first: b may take over meanwhile).
tb_at_kill() {
	it_json lac show l2tp session >"$IT_DIR/kill-s.json" || return 1
	it_json lac show l2tp tunnel >"$IT_DIR/kill-t.json" || return 1
	{
		jq -r "$IT_JQ_ROWS | select(.state == \"established\") | \"T \(.local_tunnel_id)\"" "$IT_DIR/kill-t.json"
		jq -r "$IT_JQ_ROWS | select(.state == \"established\") | \"S \(.tunnel_id)/\(.local_session_id)\"" "$IT_DIR/kill-s.json"
	} | sort >"$1"
	jq -r "[$IT_JQ_ROWS | .state] | group_by(.) | .[] | \"\(.[0]) \(length)\"" "$IT_DIR/kill-s.json" >"$2"
}

# tb_settled: no call of the LAC is still in set-up, and the new active
# holds exactly the LAC's established calls.
tb_settled() {
	local pending
	pending=$(it_json lac show l2tp session | jq "[$IT_JQ_ROWS | select(.state != \"established\")] | length") || return 1
	[ "$pending" = 0 ] && ha_views_agree b
}

ha_topology
ha_pair_up
ha_lac_up ""
ha_wait_synced a b 0 0 30

t0=$(it_now)
it_ctl lac test vpdn dial vpdn-group LAC sessions "$TOTAL" per-tunnel "$PER" >"$IT_DIR/dial.out" 2>&1 ||
	it_fail "dial refused by the LAC: $(head -c 300 "$IT_DIR/dial.out")"
it_poll 120 0.02 tb_lac_est_ge "$KILL_AT" ||
	ha_fail "fewer than $KILL_AT of $TOTAL calls established on the LAC after 120 s: $(tb_up lac)"
tk=$(it_now)
ha_kill_box a
# What the LAC had when the box died: nothing reaches it from a any more,
# and b is not active yet.
tb_at_kill "$IT_DIR/at-kill" "$IT_DIR/states-at-kill" || it_fail "no snapshot of the LAC at the kill"
n_iccn=$(grep -c '^S ' "$IT_DIR/at-kill" || true)
n_tun=$(grep -c '^T ' "$IT_DIR/at-kill" || true)
it_say "a killed $(it_elapsed "$t0") s into the dial; the LAC had sent the ICCN of $n_iccn calls on $n_tun tunnels (states: $(tr '\n' ' ' <"$IT_DIR/states-at-kill"))"

it_wait 15 ha_is_active_on_vip b || ha_fail "b not active on the VIP: $(it_ha_summary b)"
it_wait 60 it_ha_resync_done b 0 0 1 || ha_fail "b did not resync: $(it_ha_summary b)"
t_res=$(it_elapsed "$tk")
it_wait "$SETTLE" tb_settled ||
	ha_fail "not settled $SETTLE s after the kill: LAC $(it_counts lac); b $(it_counts b); views differ: $(diff "$IT_DIR/agree-lac" "$IT_DIR/agree-lns" | grep -c '^[<>]' || true) lines"
t_set=$(it_elapsed "$tk")

# Every call the LAC had finished is up on both sides; no CDN nor StopCCN
# from the LNS for any of them.
ha_lac_snapshot "$IT_DIR/lac-end"
ha_active_view b "$IT_DIR/lns-end"
miss=$(ha_missing "$IT_DIR/at-kill" "$IT_DIR/lac-end")
[ "$miss" = "0 0" ] || ha_fail "the LAC lost (tunnels sessions) it had established at the kill: $miss"
miss=$(ha_missing "$IT_DIR/at-kill" "$IT_DIR/lns-end")
[ "$miss" = "0 0" ] || ha_fail "b lacks (tunnels sessions) the LAC had established at the kill: $miss"
torn=$(ha_lac_torn "$IT_DIR/at-kill")
[ "$torn" = "0 0" ] || ha_fail "the LAC's log shows (tunnels sessions) established at the kill torn down by the LNS: $torn"
[ "$(it_stat lac .rx_stopccn)" = 0 ] || ha_fail "the LAC received $(it_stat lac .rx_stopccn) StopCCN"

# The figures.
j=$(it_ha_red b detail)
read -r rt rs waiting finished cleared refused611 rdur < <(jq -r '"\(.takeover_tunnels) \(.takeover_sessions) \(.events.takeover_waiting) \(.events.takeover_completed) \(.events.takeover_cleared) \(.events.resync_refused) \(.resync_duration_ms)"' <<<"$j")
n_end=$(grep -c '^S ' "$IT_DIR/lac-end" || true)
n_cdn=$(grep -c 'session [0-9]*/[0-9]*: CDN from peer' "$IT_DIR/lac.log" || true)
n_gone=$((TOTAL - n_end))
[ "$cleared" = 0 ] || ha_fail "b cleared $cleared half-made calls the LAC was finishing"
[ "$finished" -le "$waiting" ] || ha_fail "b counts $finished half-made calls finished of $waiting"
it_check_healthy lac
it_check_healthy b
it_say "counts: placed $TOTAL; ICCN sent at the kill $n_iccn, all $n_iccn up on b and the LAC, 0 CDN; b rebuilt $rt tunnels, $rs established calls and $waiting half made, of which $finished finished by the LAC after the takeover and $cleared cleared; established at the end $n_end ($((n_end - n_iccn)) came up after the kill); refused $n_gone (CDNs to calls in set-up $n_cdn, cause 611 $refused611); resync $rdur ms (all resynced $t_res s after the kill), settled $t_set s after the kill"
it_pass
