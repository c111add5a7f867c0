#!/bin/bash
# Several tunnels from one LAC address and port (RFC 2661 §8.1): our LAC
# opens three tunnels from UDP port 1701 (`l2tp tunnel source-port 1701`)
# to the VIP of our LNS pair.  The active answers the first from 1701 and
# each further one from a port of its own, so every tunnel has its own UDP
# 4-tuple at both ends (on Linux 6.1 a kernel tunnel finds its sessions
# through the socket a datagram lands on: two tunnels on one 4-tuple mix
# their data).  Our LAC follows the port it was answered from.  The ports
# are checkpointed: after the active box dies, the standby rebuilds every
# tunnel on the same ports, resynchronises, and new calls and HELLOs go on.
#   - on the active: three tunnels from the LAC's 1701, local ports 1701 and
#     two others, all distinct; `show l2tp statistics` counts two answered
#     from their own port and none whose peer did not follow;
#   - on the LAC: every tunnel leaves from 1701, toward the port its tunnel
#     was answered from;
#   - after the takeover: the same local ports on the new active, every
#     tunnel resynchronised, one more call on each tunnel established.
# (xl2tpd, which does not follow a reply port, is covered by t_ha_xl2tpd.)
set -euo pipefail
. "$(dirname "$0")/ha_lib.sh"
ha_init ha_reply_port
it_require_l2tpd

ha_topology
ha_pair_up
ha_lac_up " l2tp tunnel source-port 1701"

it_ctl lac test vpdn dial vpdn-group LAC sessions 6 per-tunnel 2 >/dev/null || it_fail "dial refused"
it_wait 30 it_counts_ok lac 3 6 || ha_fail "LAC: $(it_counts lac) of 3 tunnels x 2 sessions"
ha_wait_synced a b 3 6

# ports BOX: "local_port remote_port remote_tunnel_id" of its established tunnels.
ports() {
	it_json "$1" show l2tp tunnel detail |
		jq -r "$IT_JQ_ROWS | select(.state == \"established\") | \"\(.local_port) \(.remote_port) \(.remote_tunnel_id)\"" |
		sort -k3
}
ports a >"$IT_DIR/ports-a"
ports lac >"$IT_DIR/ports-lac"
[ "$(wc -l <"$IT_DIR/ports-a")" = 3 ] || ha_fail "a shows $(wc -l <"$IT_DIR/ports-a") tunnels, not 3"
awk '$2 != 1701 {bad = 1} END {exit bad}' "$IT_DIR/ports-a" ||
	ha_fail "a's tunnels do not all come from the LAC's port 1701: $(tr '\n' ';' <"$IT_DIR/ports-a")"
[ "$(awk '{print $1}' "$IT_DIR/ports-a" | sort -u | wc -l)" = 3 ] ||
	ha_fail "a's tunnels share a local port: $(tr '\n' ';' <"$IT_DIR/ports-a") (local remote tunnel)"
[ "$(awk '$1 == 1701' "$IT_DIR/ports-a" | wc -l)" = 1 ] ||
	ha_fail "not exactly one of a's tunnels on port 1701: $(tr '\n' ';' <"$IT_DIR/ports-a")"
awk '$1 != 1701 {bad = 1} END {exit bad}' "$IT_DIR/ports-lac" ||
	ha_fail "the LAC's tunnels do not all leave from 1701: $(tr '\n' ';' <"$IT_DIR/ports-lac")"
# The LAC sends each tunnel to the port a answered it from.
sort <(awk '{print $1}' "$IT_DIR/ports-a") >"$IT_DIR/want"
sort <(awk '{print $2}' "$IT_DIR/ports-lac") >"$IT_DIR/have"
cmp -s "$IT_DIR/want" "$IT_DIR/have" ||
	ha_fail "the LAC's remote ports ($(tr '\n' ' ' <"$IT_DIR/have")) are not a's local ports ($(tr '\n' ' ' <"$IT_DIR/want"))"
st=$(it_json a show l2tp statistics)
[ "$(jq '.tunnels_own_port' <<<"$st")" = 2 ] ||
	ha_fail "a counts $(jq '.tunnels_own_port' <<<"$st") tunnels answered from their own port, not 2"
[ "$(jq '.tunnels_port_not_followed' <<<"$st")" = 0 ] ||
	ha_fail "a counts $(jq '.tunnels_port_not_followed' <<<"$st") peers that did not follow, not 0"
it_say "a answers the LAC's three tunnels from ports $(awk '{print $1}' "$IT_DIR/ports-a" | tr '\n' ' ')"

# The active dies; the standby rebuilds the tunnels on the same ports.
read -r ok0 fail0 < <(ha_resync_counts b)
ha_kill_box a
it_wait 15 ha_is_active_on_vip b || ha_fail "b not active on the VIP: $(it_ha_summary b)"
it_wait 60 it_ha_resync_done b "$ok0" "$fail0" 3 || ha_fail "resync not done on b: $(it_ha_summary b)"
read -r ok fail < <(ha_resync_counts b)
if [ $((ok - ok0)) != 3 ] || [ $((fail - fail0)) != 0 ]; then
	ha_fail "b resynced $((ok - ok0)), failed $((fail - fail0)) of 3"
fi
ports b >"$IT_DIR/ports-b"
cmp -s "$IT_DIR/ports-a" "$IT_DIR/ports-b" ||
	ha_fail "b's tunnels are not on a's ports: a $(tr '\n' ';' <"$IT_DIR/ports-a") b $(tr '\n' ';' <"$IT_DIR/ports-b")"
for tid in $(it_json lac show l2tp tunnel | jq -r "$IT_JQ_ROWS | .local_tunnel_id"); do
	ha_dial_on_tunnel "$tid" 1 || ha_fail "dial on tunnel $tid refused by the LAC"
done
it_wait 30 it_counts_ok lac 3 9 || ha_fail "after the takeover, LAC: $(it_counts lac) of 3 tunnels x 3 sessions"
it_wait 10 it_counts_ok b 3 9 || ha_fail "after the takeover, b: $(it_counts b)"
torn=$(grep -Ec 'StopCCN from peer|CDN from peer|not responding' "$IT_DIR/lac.log" || true)
[ "$torn" = 0 ] || ha_fail "the LAC's log shows $torn tunnels or calls torn down"
it_check_healthy b
it_check_healthy lac
it_say "b took the three tunnels over on the same ports; one more call on each is up"
it_pass
