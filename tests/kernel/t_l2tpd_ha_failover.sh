#!/bin/bash
# Stateful failover of our LNS pair on the kernel data path, under
# subscribers that know nothing of it: xl2tpd + pppd (kernel mode,
# pppol2tp) as LAC/subscribers dial the pair's virtual address (VIP); box A
# is the active, box B the standby (`redundancy` block, `-d linux`).  Each
# subscriber pings the LNS's PPP address every 0.1 s.  Box A dies (l2tpd
# frozen, its link unplugged from the segment in one step; SIGKILL once the
# failover is measured, so that its exit does not run on the new active's
# CPU, as a dead box's would not);
# the VIP moves to B (address, gratuitous ARP) when keepalived's backup
# would notice (kt_ha_fail: 3 advertisement intervals and the skew after the
# kill, no process started in between); B takes over when the address
# appears (rtnetlink), before it is told `redundancy state master` (the
# notify script's part, a no-op by then).
# Asserted:
#  0. B's log says the virtual address started the takeover;
#  1. every subscriber's ping gets replies again, through B, within
#     KT_HA_PING_BACK seconds (default 10) of the VIP moving to B;
#  2. B has the same pppN names with the same addresses as A had, and the
#     kernel tunnels and sessions with the same IDs;
#  3. no PPP renegotiation: the same pppd processes are alive, their logs
#     show no LCP/IPCP Configure-Request, Terminate or new address after the
#     kill, and the LCP echoes after it (B's, and B's replies to pppd's own)
#     carry the LNS's magic number negotiated with A;
#  4. B's `show l2tp redundancy`: every tunnel resynced (success = tunnels,
#     fail 0), a resync duration; B's HELLOs after the resync are
#     acknowledged by every xl2tpd (right Ns/Nr);
#  5. no xl2tpd logs a StopCCN, CDN or closed tunnel/call after the kill,
#     and each logs a HELLO from B taken in sequence.
# Prints a `bench:` line with the figures: the modelled detection time
# apart from the measured parts (from b's log: address seen, active, every
# tunnel resynced; from the pings: back on every session).
#
# Topology: one L2 segment (it_ha_segment: bridge br0 in namespace kt-br):
#   kt-a   eth0 192.0.2.1/24 10.99.0.1/24 (+ VIP 192.0.2.10 while active)
#   kt-b   eth0 192.0.2.2/24 10.99.0.2/24 (+ VIP after the takeover)
#   kt-sub eth0 192.0.2.100/24: KT_HA_N (default 10) xl2tpd + pppd
# 10.99.0.0/24 is the checkpoint link (security none).
# 60-99 s under TCG with both host cores busy (load 2-3), 150 s at load 8,
# so more than the default 90 s:
# kt-timeout: 210
# shellcheck disable=SC2317 # predicates called through it_wait
set -euo pipefail
. "$(dirname "$0")/lib.sh"
kt_init l2tpd_ha_failover
it_require_cmd ip ping ss xl2tpd pppd jq
kt_require_modules l2tp_ppp ppp_generic pppox bridge
kt_require_pppol2tp

N=${KT_HA_N:-10}
PING_BACK=${KT_HA_PING_BACK:-10}
LNS_PPP=10.200.255.254
VIP=$IT_HA_VIP

it_ha_segment NS_SUB sub

# lns_conf NAME LOCAL PEER: the configuration of one box of the pair.
lns_conf() {
	it_conf_head "lns-$1"
	it_conf_redundancy "$2" "$3" "$VIP" " checkpoint security none"
	it_conf_template "$LNS_PPP" "ms-chap-v2 chap pap" " keepalive 2 5
 mtu 1400"
	it_conf_dialin 1 " l2tp tunnel hello 2"
	it_conf_users "$N"
}
kt_ha_pair lns_conf

# N subscribers to the VIP; the new active must answer their LCP echoes.
kt_subscribers_up "$NS_SUB" a "$VIP" "$N" cycle

# What A has: pppN with addresses, kernel tunnel and session IDs.
kt_ppp_pairs "$NS_A" | sort >"$IT_DIR/a-ppp.txt"
[ "$(wc -l <"$IT_DIR/a-ppp.txt")" = "$N" ] || it_fail "a has $(wc -l <"$IT_DIR/a-ppp.txt") addressed ppp interfaces, not $N"
# l2tp_ids NS: "tunnel session peer_tunnel peer_session" of each kernel session.
l2tp_ids() {
	ip -n "$1" l2tp show session | awk '/^Session /{ s = $2; t = $5 } /Peer session/{ print t, s, $5, $3 }' | tr -d , | sort
}
# l2tp_tunnels NS: "tunnel peer_tunnel from to ports" of each kernel tunnel.
l2tp_tunnels() {
	ip -n "$1" l2tp show tunnel |
		awk '/^Tunnel /{ t = $2 } /Peer tunnel/{ p = $3 } /From /{ f = $2 " " $4 } /ports:/{ print t, p, f, $NF }' | tr -d , | sort
}
l2tp_ids "$NS_A" >"$IT_DIR/a-l2tp.txt"
[ "$(wc -l <"$IT_DIR/a-l2tp.txt")" = "$N" ] || it_fail "a has $(wc -l <"$IT_DIR/a-l2tp.txt") kernel sessions, not $N"
l2tp_tunnels "$NS_A" >"$IT_DIR/a-tunnels.txt"
TUNNELS=$(wc -l <"$IT_DIR/a-tunnels.txt")
[ "$TUNNELS" = "$N" ] || it_fail "a has $TUNNELS kernel tunnels, not $N"

# The standby holds all of it, PPP included: interface and peer address of
# every session, as A has them.
standby_view() {
	it_ha_red b all 2>/dev/null |
		jq -r '.sessions[]? | select(.interface != "-" and .peer_ip != "-") | "\(.interface) \(.peer_ip)"' | sort
}
awk '{ print $1, $3 }' "$IT_DIR/a-ppp.txt" >"$IT_DIR/a-ppp-view.txt"
standby_full() {
	it_ha_standby_has b "$N" "$N" && [ "$(standby_view)" = "$(cat "$IT_DIR/a-ppp-view.txt")" ]
}
it_wait 20 standby_full ||
	it_fail "standby b not in sync with $N tunnels / $N sessions and their PPP state: $(it_ha_summary b); its view: $(standby_view | tr '\n' ' ')"
# ... and, as a standby, has no kernel tunnel, no pppN, no L2TP socket.
[ "$(kt_l2tp_count "$NS_B" tunnel)" = 0 ] || it_fail "the standby b has kernel tunnels"
kt_no_ppp "$NS_B" || it_fail "the standby b has ppp interfaces: $(kt_ppp_ifaces "$NS_B" | tr '\n' ' ')"
if ip netns exec "$NS_B" ss -Hlun | grep -q ':1701 '; then
	it_fail "the standby b listens on UDP 1701"
fi
it_log "standby b in sync: $N tunnels, $N sessions, every pppN and address"

# Each subscriber: its pppd (pid, interface), the LNS's LCP magic number
# in its log, and a ping every 0.1 s to the LNS through its own interface,
# with timestamps.  (Few processes: each costs 35-65 ms under TCG, more on
# a busy host; one awk reads every log.)
declare -A pppd_pid=() sub_if=() magic=()
ifcs=()
for ((i = 1; i <= N; i++)); do
	{ read -r "pppd_pid[$i]" && read -r "sub_if[$i]"; } </run/ppp-sub$i.pid ||
		it_fail "no pid and interface in /run/ppp-sub$i.pid"
	ifcs+=("${sub_if[$i]}")
done
# The last magic number each pppd acknowledged in the LNS's LCP ConfReq.
awk '/sent \[LCP ConfAck .*<magic / { m = $0; sub(/.*<magic /, "", m); sub(/>.*/, "", m); g[FILENAME] = m }
	END { for (f in g) print f, g[f] }' "$IT_DIR"/sub*-pppd.log >"$IT_DIR/magic.txt"
while read -r f m; do
	magic[$f]=$m
done <"$IT_DIR/magic.txt"
[ "${#magic[@]}" = "$N" ] || it_fail "only ${#magic[@]} of $N pppd logs show the LNS's magic number acknowledged"
# shellcheck disable=SC2016 # expanded by the inner shell
ip netns exec "$NS_SUB" bash -c '
	d=$1 dst=$2
	shift 2
	i=0
	for ifc in "$@"; do
		i=$((i + 1))
		ping -n -D -i 0.1 -W 1 -I "$ifc" "$dst" </dev/null >"$d/ping-sub$i.log" 2>&1 &
	done' pingers "$IT_DIR" "$LNS_PPP" "${ifcs[@]}"
# replies_after T: how many subscribers have no ping reply later than T.
replies_after() {
	awk -v t="$1" '/ bytes from / { ts = substr($1, 2, length($1) - 2) + 0; if (ts > t) ok[FILENAME] = 1 }
		END { n = 0; for (i = 1; i < ARGC; i++) if (!(ARGV[i] in ok)) n++; print n }' "$IT_DIR"/ping-sub*.log
}
all_replied_after() { [ "$(replies_after "$1")" = 0 ]; }
tp=$EPOCHREALTIME
it_wait 10 all_replied_after "$tp" || it_fail "$(replies_after "$tp") of $N subscribers get no ping reply from a"
# Where the logs stand: "LINES FILE", read by the checks after the kill.
wc -l "$IT_DIR"/sub*-pppd.log "$IT_DIR"/xl2tpd*.log | awk '$2 != "total"' >"$IT_DIR/marks.txt"
it_log "every subscriber pings the LNS through a"

# Box A dies as keepalived's backup would see it: b's daemon logs its
# resync, both of its sides (debug), for the figures below; the `ip`
# commands of the failover are started now (kt_ha_arm); A frozen and
# silenced in one step, then SIGKILL; B takes the VIP (address, gratuitous
# ARP) when keepalived on B would: 3 advertisement intervals and the skew
# after the kill, with VRRPv3 advert_int KT_HA_ADVERT_INT (default 0.05: the
# sub-second setting of doc/examples/keepalived.conf and l2tpd(8); the
# example's own advert_int 1 takes 3.6 s) and B's priority 100 (the
# example's second box).  The address is what makes B take over.
ADVERT=${KT_HA_ADVERT_INT:-0.05}
DETECT_US=$(kt_ha_detect_us 100 "$ADVERT")
it_ctl b debug l2tp redundancy resync >/dev/null || it_fail "b refused debug l2tp redundancy resync"
it_ctl b debug l2tp packet >/dev/null || it_fail "b refused debug l2tp packet"
kt_ha_arm "$NS_A" "$NS_B"
kt_ha_fail a "$NS_B" "$DETECT_US"
tk=$KT_HA_T_KILL
# A reply ping prints after this moment came through B: A has been gone
# for longer than ping can take to print one (it stamps the time it prints).
tm=$KT_HA_T_VIP
told=$(awk -v k="$tk" -v m="$tm" -v d="$DETECT_US" 'BEGIN { printf "%.3f s (modelled %.3f s)", m - k, d / 1e6 }')
it_wait 10 it_ha_is b active || it_fail "b is not active: $(it_ha_summary b)"
it_grep_log b 'virtual address 192\.0\.2\.10 appeared on interface [0-9]+' ||
	it_fail "b's log does not say the virtual address started the takeover"
kt_ha_state b master
! ip -n "$NS_A" link show eth0 >/dev/null 2>&1 || it_fail "a's link is still there: $(cat "$IT_DIR/ip-$NS_A.log")"
it_log "a killed; VIP on b $told after the kill; b active, then told master"

# 1. Pings come back for every subscriber, through B.
it_wait "$PING_BACK" all_replied_after "$tm" ||
	it_fail "$(replies_after "$tm") of $N subscribers get no ping reply $PING_BACK s after b was told master; b: $(it_ha_summary b)"
back=$(awk -v k="$tk" -v t="$tm" '/ bytes from / { ts = substr($1, 2, length($1) - 2) + 0; if (ts > t && !(FILENAME in f)) f[FILENAME] = ts }
	END { m = 0; for (x in f) if (f[x] - k > m) m = f[x] - k; printf "%.1f", m }' "$IT_DIR"/ping-sub*.log)
# The daemon's share, from b's log (the guest's wall clock, as ping's -D):
# when b saw the address, became active and had every tunnel resynced;
# then the first reply after "becoming active" on every session.
tv=$(kt_ha_log_time "$IT_DIR/b.log" 'redundancy: the virtual address .* appeared on') || it_fail "b's log: no time for the address appearing"
ta=$(kt_ha_log_time "$IT_DIR/b.log" 'l2tpd: notice: redundancy: becoming active') || it_fail "b's log: no time for becoming active"
it_wait 30 it_grep_log b 'redundancy: takeover complete in' || it_fail "b's log never says the takeover is complete: $(it_ha_summary b)"
tc=$(kt_ha_log_time "$IT_DIR/b.log" 'redundancy: takeover complete in') || it_fail "b's log: no time for the takeover complete"
own=$(awk -v a="$ta" '/ bytes from / { ts = substr($1, 2, length($1) - 2) + 0; if (ts > a && !(FILENAME in f)) f[FILENAME] = ts }
	END { m = 0; for (x in f) if (f[x] - a > m) m = f[x] - a; printf "%.2f", m }' "$IT_DIR"/ping-sub*.log)
parts=$(awk -v k="$tk" -v v="$tv" -v a="$ta" -v c="$tc" 'BEGIN {
	printf "address seen by b %.3f s, b active %.3f s, every tunnel resynced %.3f s after the kill", v - k, a - k, c - k }')
# The frozen daemon's exit (its kernel objects) now that the figures are in.
kt_ha_reap a
low=$(ip -n "$NS_B" -s -j link show type ppp | jq -r '.[] | select(.stats64.rx.packets < 2 or .stats64.tx.packets < 2) | "\(.ifname):\(.stats64.rx.packets)/\(.stats64.tx.packets)"')
[ -z "$low" ] || it_fail "b's ppp interfaces that moved fewer than 2 packets each way (rx/tx): $low"
it_log "pings back on all $N sessions through b, $back s after the kill"

# same_file A B: the two files have the same lines (no process).
same_file() {
	local x y
	mapfile -t x <"$1"
	mapfile -t y <"$2"
	[ "${#x[@]}" = "${#y[@]}" ] && [ "${x[*]}" = "${y[*]}" ]
}

# 2. B's pppN: same names, same addresses; kernel IDs as on A.
kt_ppp_pairs "$NS_B" | sort >"$IT_DIR/b-ppp.txt"
same_file "$IT_DIR/a-ppp.txt" "$IT_DIR/b-ppp.txt" ||
	it_fail "b's ppp interfaces differ from a's: $(diff "$IT_DIR/a-ppp.txt" "$IT_DIR/b-ppp.txt" | grep '^[<>]' | head -n 4 | tr '\n' ' ')"
l2tp_ids "$NS_B" >"$IT_DIR/b-l2tp.txt"
same_file "$IT_DIR/a-l2tp.txt" "$IT_DIR/b-l2tp.txt" ||
	it_fail "b's kernel sessions differ from a's (a-l2tp.txt, b-l2tp.txt)"
l2tp_tunnels "$NS_B" >"$IT_DIR/b-tunnels.txt"
same_file "$IT_DIR/a-tunnels.txt" "$IT_DIR/b-tunnels.txt" ||
	it_fail "b's kernel tunnels differ from a's (a-tunnels.txt, b-tunnels.txt)"
it_log "b has a's $N pppN with their addresses, and its tunnel and session IDs"

# 4. Resync of every tunnel.
it_wait 30 it_ha_resync_done b 0 0 "$TUNNELS" || it_fail "resync not done on b: $(it_ha_summary b)"
it_ha_red b >"$IT_DIR/b-redundancy.json"
read -r ok fail dur tko tks rebuild < <(jq -r '"\(.resynced_tunnels.success) \(.resynced_tunnels.fail) \(.resync_duration_ms // "none") \(.takeover_tunnels // 0) \(.takeover_sessions // 0) \(.takeover_rebuild_ms // "none")"' "$IT_DIR/b-redundancy.json")
[ "$fail" = 0 ] || it_fail "$fail tunnels failed to resync: $(it_ha_summary b)"
[ "$ok" = "$TUNNELS" ] || it_fail "$ok tunnels resynced, not $TUNNELS: $(it_ha_summary b)"
[ "$dur" != none ] || it_fail "b shows no resync duration: $(it_ha_summary b)"
if [ "$tko" != "$TUNNELS" ] || [ "$tks" != "$N" ]; then
	it_fail "b rebuilt $tko tunnels and $tks sessions, not $TUNNELS and $N"
fi
it_ctl b show l2tp redundancy >"$IT_DIR/b-redundancy.txt" 2>&1 || true
if ! grep -Eq '^L2TP Resynced Tunnels: [0-9]+/0 ' "$IT_DIR/b-redundancy.txt" || ! grep -q '^Resync duration ' "$IT_DIR/b-redundancy.txt"; then
	it_fail "b's show l2tp redundancy text lacks the resync lines (b-redundancy.txt)"
fi
it_log "b resynced $ok tunnels in $dur ms (rebuilt $tko tunnels, $tks sessions in $rebuild ms)"

# After the resync, a HELLO (hello 2) of B on every tunnel is acknowledged:
# xl2tpd drops a message with a wrong Ns silently, so an acknowledged HELLO
# proves the sequence numbers are right both ways.
# b_ctrl FILE: "tid tx_msgs outstanding" per tunnel of b.
b_ctrl() {
	it_json b show l2tp tunnel detail 2>/dev/null |
		jq -r "$IT_JQ_ROWS | \"\(.local_tunnel_id) \(.ctrl_stats.tx_msgs) \(.outstanding)\"" | sort >"$1"
}
hellos_acked() {
	b_ctrl "$IT_DIR/b-ctrl-now.txt" || return 1
	awk -v n="$TUNNELS" 'FILENAME == ARGV[1] { tx[$1] = $2; next }
		{ seen++; if (!($1 in tx) || $2 <= tx[$1] || $3 != 0) bad++ }
		END { exit !(seen == n && bad == 0) }' "$IT_DIR/b-ctrl-0.txt" "$IT_DIR/b-ctrl-now.txt"
}
b_ctrl "$IT_DIR/b-ctrl-0.txt"
it_wait 15 hellos_acked || it_fail "b's HELLOs after the resync not all acknowledged: tid tx outstanding now: $(tr '\n' ' ' <"$IT_DIR/b-ctrl-now.txt"); before: $(tr '\n' ' ' <"$IT_DIR/b-ctrl-0.txt")"
it_log "b's HELLOs acknowledged on every tunnel"

# 3. No renegotiation: the same pppd processes and interfaces, no LCP/IPCP
# negotiation or termination in their logs since the kill, and B's LCP
# echoes (its own and its replies to pppd's) carry the magic number A
# negotiated.
for ((i = 1; i <= N; i++)); do
	kill -0 "${pppd_pid[$i]}" 2>/dev/null || it_fail "sub$i's pppd ${pppd_pid[$i]} died"
	p=
	read -r p </run/ppp-sub$i.pid || true
	[ "$p" = "${pppd_pid[$i]}" ] || it_fail "sub$i's pppd is not ${pppd_pid[$i]} any more (pid file: $p)"
done
[ "$(kt_ppp_ifaces "$NS_SUB" | sort | tr '\n' ' ')" = "$(printf '%s\n' "${ifcs[@]}" | sort | tr '\n' ' ')" ] ||
	it_fail "the subscribers' ppp interfaces changed: $(kt_ppp_ifaces "$NS_SUB" | tr '\n' ' ')"
# echoes_seen: every pppd log received an LCP Echo-Request and an
# Echo-Reply since the kill.
echoes_seen() {
	awk 'FILENAME == ARGV[1] { m[$2] = $1; next }
		FNR == 1 { n++ }
		FNR > m[FILENAME] && /rcvd \[LCP EchoReq / { q[FILENAME] = 1 }
		FNR > m[FILENAME] && /rcvd \[LCP EchoRep / { p[FILENAME] = 1 }
		END { for (f in q) if (f in p) k++; exit !(k == n) }' "$IT_DIR/marks.txt" "$IT_DIR"/sub*-pppd.log
}
it_wait 10 echoes_seen || it_fail "not every pppd received an LCP Echo-Request and an Echo-Reply from b"
bad=$(awk 'FILENAME == ARGV[1] { m[$2] = $1; next }
	FILENAME == ARGV[2] { g[$1] = $2; next }
	FNR <= m[FILENAME] { next }
	{ f = FILENAME; sub(/.*\//, "", f) }
	/ConfReq|ConfAck|ConfNak|ConfRej|TermReq|TermAck|LCP terminated|Terminating|[Hh]angup|IP address|Connect time|echo-requests|authentication/ {
		print f ": " $0; next }
	/rcvd \[LCP Echo(Req|Rep) / && index($0, "magic=" g[FILENAME] "]") == 0 { print f ": not the magic number " g[FILENAME] ": " $0 }' \
	"$IT_DIR/marks.txt" "$IT_DIR/magic.txt" "$IT_DIR"/sub*-pppd.log | head -n 3)
[ -z "$bad" ] || it_fail "pppd renegotiated, terminated or saw another magic number after the kill: $(printf '%s' "$bad" | tr '\n' ';')"
it_log "no renegotiation: the same $N pppd, echoes with a's magic numbers"

# 5. xl2tpd: no tunnel or call closed.
bad=$(awk 'FILENAME == ARGV[1] { m[$2] = $1; next }
	FNR > m[FILENAME] && tolower($0) ~ /stopccn|cdn|stop-control|maximum retries|connection closed|call_close|disconnect|result code|hangup|no longer/ {
		f = FILENAME; sub(/.*\//, "", f); print f ": " $0 }' "$IT_DIR/marks.txt" "$IT_DIR"/xl2tpd*.log | head -n 3)
[ -z "$bad" ] || it_fail "xl2tpd closed a tunnel or call after the kill: $(printf '%s' "$bad" | tr '\n' ';')"
# ... and each took in a HELLO from B (xl2tpd handles only a message in
# sequence: "message type is Hello" with debug state).
hello=$(awk 'FILENAME == ARGV[1] { m[$2] = $1; next }
	FNR > m[FILENAME] && /message type is Hello/ { h[FILENAME] = 1 }
	END { for (f in h) n++; print n + 0 }' "$IT_DIR/marks.txt" "$IT_DIR"/xl2tpd*.log)
[ "$hello" = "$N" ] || it_fail "only $hello of $N xl2tpd logged a HELLO from b after the kill"
te=$EPOCHREALTIME
it_wait 5 all_replied_after "$te" || it_fail "$(replies_after "$te") of $N subscribers' pings stopped at the end"
it_alive b || it_fail "l2tpd b died"
printf 'bench: kernel failover (VM, TCG): pings back after %s s (VIP on b after %s: the harness playing keepalived, VRRPv3 advert_int %s; %s; pings back %s s after the daemon became active), rebuild %s ms, resync %s ms (%s tunnels), %s sessions\n' \
	"$back" "$told" "$ADVERT" "$parts" "$own" "$rebuild" "$dur" "$TUNNELS" "$N"
it_pass
