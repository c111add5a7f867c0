#!/bin/bash
# Silent failover under a peer that knows nothing of it: xl2tpd as LAC
# (peer namespace) holds a few tunnels, one call each, to the VIP of our
# pair.  The active box dies; the standby takes over and resynchronises.
# xl2tpd must keep every tunnel: no StopCCN, no "Maximum retries", no
# closed connection in its log; the new active's HELLOs (hello 2) keep
# being acknowledged by xl2tpd (xl2tpd drops a message with a wrong Ns
# silently, so an acknowledged HELLO proves the new active's Ns is right),
# and xl2tpd's own messages are accepted (no retransmission left unacked).
# xl2tpd sends every tunnel from its port 1701 and never follows a reply
# port: the active's answer from a port of its own (t_ha_reply_port) is
# seen not followed and the tunnel moves back to 1701.
set -euo pipefail
. "$(dirname "$0")/ha_lib.sh"
ha_init ha_xl2tpd
it_require_l2tpd
it_require_cmd xl2tpd unshare

N=${L2T_HA_XL2TPD_TUNNELS:-3}

ha_topology
ha_pair_up

conf="[global]
port = 1701"
for i in $(seq 1 "$N"); do
	conf="$conf
[lac l$i]
lns = $IT_HA_VIP
hostname = xlac$i
challenge = yes
redial = no
length bit = yes
require authentication = no"
done
it_xl2tpd xlac "${HA_NS[peer]}" "$conf" "* * $HA_SECRET"
# One command at a time: xl2tpd reads its FIFO in one gulp and takes only
# the first line of what it finds there.
for i in $(seq 1 "$N"); do
	it_xl2tpd_cmd xlac "c l$i"
	it_wait 10 it_tunnels_eq a "$i" established || ha_fail "xl2tpd tunnel l$i not up on a: $(it_counts a)"
done
it_wait 30 it_counts_ok a "$N" "$N" || ha_fail "active a: $(it_counts a) of $N tunnels with a call each"
ha_wait_synced a b "$N" "$N"

# xl2tpd keeps sending to the port of its SCCRQ (it never follows a reply
# port, RFC 2661 §8.1): a answered its second and third tunnels from ports
# of their own, saw it not follow, and moved them back to 1701 (logged).
if [ "$N" -gt 1 ]; then
	st=$(it_json a show l2tp statistics)
	[ "$(jq '.tunnels_own_port' <<<"$st")" = $((N - 1)) ] ||
		ha_fail "a answered $(jq '.tunnels_own_port' <<<"$st") of xl2tpd's tunnels from their own port, not $((N - 1))"
	[ "$(jq '.tunnels_port_not_followed' <<<"$st")" = $((N - 1)) ] ||
		ha_fail "a saw xl2tpd not follow its reply port $(jq '.tunnels_port_not_followed' <<<"$st") times, not $((N - 1))"
	it_json a show l2tp tunnel detail | jq -e "[$IT_JQ_ROWS | select(.local_port != 1701)] | length == 0" >/dev/null ||
		ha_fail "a's tunnels with xl2tpd are not all back on port 1701"
	it_grep_log a 'does not follow our reply port' || ha_fail "a did not log that xl2tpd does not follow its reply port"
fi

# The LAC's view: xl2tpd's tunnel IDs, as the LNS names them.
it_json a show l2tp tunnel | jq -r "$IT_JQ_ROWS | .remote_tunnel_id" | sort >"$IT_DIR/xl-tids"
[ "$(wc -l <"$IT_DIR/xl-tids")" -eq "$N" ] || ha_fail "a does not show $N tunnels"
marks=$(wc -l <"$IT_DIR/xlac.log")

read -r ok0 fail0 < <(ha_resync_counts b)
t0=$(it_now)
ha_kill_box a
it_wait 15 ha_is_active_on_vip b || ha_fail "b not active on the VIP: $(it_ha_summary b)"
t_act=$(it_elapsed "$t0")
it_wait 60 it_ha_resync_done b "$ok0" "$fail0" "$N" || ha_fail "resync not done on b: $(it_ha_summary b)"
t_res=$(it_elapsed "$t0")
read -r ok fail < <(ha_resync_counts b)
[ $((fail - fail0)) -eq 0 ] || ha_fail "$((fail - fail0)) tunnels failed to resync"
[ $((ok - ok0)) -eq "$N" ] || ha_fail "$((ok - ok0)) tunnels resynced, not $N"
it_json b show l2tp tunnel | jq -r "$IT_JQ_ROWS | select(.state == \"established\") | .remote_tunnel_id" |
	sort >"$IT_DIR/xl-tids-b"
cmp -s "$IT_DIR/xl-tids" "$IT_DIR/xl-tids-b" || ha_fail "b does not hold xl2tpd's $N tunnels"
it_sessions_eq b "$N" established || ha_fail "b: $(it_counts b)"

# shellcheck disable=SC2317 # called through it_wait
# ha_b_ctrl FILE: per tunnel of b "tid tx_msgs outstanding tx_retransmits".
ha_b_ctrl() {
	it_json b show l2tp tunnel detail |
		jq -r "$IT_JQ_ROWS | \"\(.local_tunnel_id) \(.ctrl_stats.tx_msgs) \(.outstanding) \(.ctrl_stats.tx_retransmits)\"" |
		sort >"$1"
}
# shellcheck disable=SC2317 # called through it_wait
# ha_hellos_acked BEFORE N: every tunnel sent N more messages than in BEFORE
# and has none unacknowledged.
ha_hellos_acked() {
	ha_b_ctrl "$IT_DIR/xl-ctrl-now" || return 1
	awk -v n="$2" 'FILENAME == ARGV[1] {tx[$1] = $2; next}
	     {if ($2 < tx[$1] + n || $3 != 0) bad++; seen++}
	     END {exit !(seen > 0 && bad == 0)}' "$1" "$IT_DIR/xl-ctrl-now"
}
t1=$(it_now)
ha_b_ctrl "$IT_DIR/xl-ctrl-0"
it_wait $((3 * HA_HELLO + 6)) ha_hellos_acked "$IT_DIR/xl-ctrl-0" 2 ||
	ha_fail "HELLOs of the new active not acknowledged by xl2tpd: $(cat "$IT_DIR/xl-ctrl-now")"
t_hello=$(it_elapsed "$t1")
it_tunnels_eq b "$N" established || ha_fail "b lost tunnels: $(it_counts b)"

tail -n +"$((marks + 1))" "$IT_DIR/xlac.log" >"$IT_DIR/xlac-after.log"
if grep -Eiq 'StopCCN|Maximum retries|Connection closed|call_close|disconnect|result code' "$IT_DIR/xlac-after.log"; then
	ha_fail "xl2tpd saw a tunnel or call closed after the failover: $(grep -Ei 'StopCCN|Maximum retries|Connection closed|call_close|disconnect|result code' "$IT_DIR/xlac-after.log" | head -n 3)"
fi
it_alive xlac || ha_fail "xl2tpd died"
it_check_healthy b
it_say "b active on the VIP after $t_act s, resync done after $t_res s ($(it_ha_summary b)); 2 HELLOs acknowledged by xl2tpd on every tunnel within $t_hello s"
it_pass
