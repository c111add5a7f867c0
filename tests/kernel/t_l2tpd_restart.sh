#!/bin/bash
# The hitless restart on the kernel data path: our LNS (`-d linux`) with
# xl2tpd + pppd (kernel mode, pppol2tp) subscribers is replaced by a new
# process with `l2tpctl restart` while every subscriber pings the LNS's PPP
# address every 20 ms through its session.  The new process adopts the
# kernel's tunnels and sessions, the PPPoL2TP sockets, the /dev/ppp
# channels and units handed over (pppN stays).
# Asserted:
#  1. the daemon's PID changed, the old process exited, the new one answers
#     and shows every session with PPP up;
#  2. the kernel's tunnels and sessions have the same IDs, the LNS the same
#     pppN with the same addresses, the new daemon's log says it adopted
#     them all and every descriptor handed over;
#  3. every ping after the restart is answered; the longest gap between
#     replies on any session and the pings lost are printed (`bench:`), a
#     gap of KT_RS_GAP_MAX s (default 3) or more fails;
#  4. no xl2tpd logs a StopCCN, CDN or closed tunnel/call, each takes in a
#     HELLO of the new process in sequence (hello 2), and pppd neither
#     renegotiates nor sees another magic number in the LCP echoes;
#  5. the new process owns what it adopted: clearing one tunnel removes its
#     kernel tunnel, session and pppN, the others stay.
# shellcheck disable=SC2317 # predicates called through it_wait
# 64 s on an idle host, 150 s on a busy one (TCG):
# kt-timeout: 240
set -euo pipefail
. "$(dirname "$0")/lib.sh"
kt_init l2tpd_restart
it_require_cmd ip ping xl2tpd pppd jq
kt_require_modules l2tp_ppp ppp_generic pppox
kt_require_pppol2tp

N=${KT_RS_N:-4}
GAP_MAX=${KT_RS_GAP_MAX:-3}
LNS_PPP=10.200.255.254
it_two_hosts

it_l2tpd lns "$NS_LNS" "$(it_conf_head lns
it_conf_template "$LNS_PPP" "ms-chap-v2 chap pap" " keepalive 2 5
 mtu 1400"
it_conf_dialin 1 " l2tp tunnel hello 2"
it_conf_users "$N")"

kt_subscribers_up "$NS_LAC" lns "$IT_LNS_ADDR" "$N" cycle

# l2tp_ids NS: "tunnel session peer_tunnel peer_session" of each kernel session.
l2tp_ids() {
	ip -n "$1" l2tp show session | awk '/^Session /{ s = $2; t = $5 } /Peer session/{ print t, s, $5, $3 }' | tr -d , | sort
}
l2tp_tunnels() {
	ip -n "$1" l2tp show tunnel | awk '/^Tunnel /{ t = $2 } /Peer tunnel/{ print t, $3 }' | tr -d , | sort
}
kt_ppp_pairs "$NS_LNS" | sort >"$IT_DIR/before-ppp.txt"
l2tp_ids "$NS_LNS" >"$IT_DIR/before-l2tp.txt"
l2tp_tunnels "$NS_LNS" >"$IT_DIR/before-tunnels.txt"
[ "$(wc -l <"$IT_DIR/before-ppp.txt")" = "$N" ] || it_fail "the LNS has $(wc -l <"$IT_DIR/before-ppp.txt") addressed pppN, not $N"
[ "$(wc -l <"$IT_DIR/before-l2tp.txt")" = "$N" ] || it_fail "the LNS has $(wc -l <"$IT_DIR/before-l2tp.txt") kernel sessions, not $N"

# Each subscriber: its pppd, its interface, the LNS's magic number it
# acknowledged, and a ping every 20 ms with timestamps.
declare -A pppd_pid=()
ifcs=()
for ((i = 1; i <= N; i++)); do
	{ read -r "pppd_pid[$i]" && read -r ifc; } </run/ppp-sub$i.pid || it_fail "no pid and interface in /run/ppp-sub$i.pid"
	ifcs+=("$ifc")
done
awk '/sent \[LCP ConfAck .*<magic / { m = $0; sub(/.*<magic /, "", m); sub(/>.*/, "", m); g[FILENAME] = m }
	END { for (f in g) print f, g[f] }' "$IT_DIR"/sub*-pppd.log >"$IT_DIR/magic.txt"
[ "$(wc -l <"$IT_DIR/magic.txt")" = "$N" ] || it_fail "not every pppd log shows the LNS's magic number acknowledged"
kt_pingers "$NS_LAC" "$LNS_PPP" ping-sub 0.02 "${ifcs[@]}"
replies_after() { kt_replies_after "$1" "$IT_DIR"/ping-sub*.log; }
all_replied_after() { [ "$(replies_after "$1")" = 0 ]; }
tp=$EPOCHREALTIME
it_wait 10 all_replied_after "$tp" || it_fail "$(replies_after "$tp") of $N subscribers get no ping reply"
sleep 3	# the baseline: gaps with no restart
wc -l "$IT_DIR"/sub*-pppd.log "$IT_DIR"/xl2tpd*.log | awk '$2 != "total"' >"$IT_DIR/marks.txt"

# 1. The restart.
kt_restart lns
tr0=$KT_RESTART_T0
tr1=$KT_RESTART_T1
out=$KT_RESTART_OUT
lns_up() { [ "$(it_ppp_up lns)" = "$N" ]; }	# (lost when the set-up moved to lib.sh)
it_wait 10 lns_up || it_fail "the new LNS shows $(it_ppp_up lns) of $N sessions with PPP up"
# The pings stop 2 s after the command has returned: 200 a second cost the
# VM's one CPU most of its time, and every check after this needs none.
sleep 2
kt_stop_pingers
sleep 0.5

# 2. The same kernel objects, adopted.
it_grep_log lns "restart: the data path adopted $N kernel tunnels, $N sessions and $((3 * N)) of $((3 * N)) descriptors \(0 unclaimed" ||
	it_fail "the new LNS's log does not say it adopted $N tunnels, $N sessions, $((3 * N)) descriptors: $(grep 'adopted' "$IT_DIR/lns.log" | tail -n 1)"
kt_ppp_pairs "$NS_LNS" | sort >"$IT_DIR/after-ppp.txt"
l2tp_ids "$NS_LNS" >"$IT_DIR/after-l2tp.txt"
l2tp_tunnels "$NS_LNS" >"$IT_DIR/after-tunnels.txt"
cmp -s "$IT_DIR/before-ppp.txt" "$IT_DIR/after-ppp.txt" ||
	it_fail "the LNS's pppN changed: $(diff "$IT_DIR/before-ppp.txt" "$IT_DIR/after-ppp.txt" | grep '^[<>]' | head -n 4 | tr '\n' ' ')"
cmp -s "$IT_DIR/before-l2tp.txt" "$IT_DIR/after-l2tp.txt" || it_fail "the kernel sessions changed (before-l2tp.txt, after-l2tp.txt)"
cmp -s "$IT_DIR/before-tunnels.txt" "$IT_DIR/after-tunnels.txt" || it_fail "the kernel tunnels changed (before-tunnels.txt, after-tunnels.txt)"
ctl_ifs=$(it_json lns show l2tp session | jq -r "$IT_JQ_ROWS | .interface" | sort | tr '\n' ' ')
[ "$ctl_ifs" = "$(awk '{ print $1 }' "$IT_DIR/before-ppp.txt" | sort | tr '\n' ' ')" ] ||
	it_fail "the new LNS shows the interfaces $ctl_ifs, not those of before"
it_log "the same $N kernel tunnels and sessions, the same pppN, adopted"

# 4. The control channels and PPP go on: a HELLO of the new process taken
# in sequence by every xl2tpd (hello 2), LCP echoes both ways.
hellos() {
	awk 'FILENAME == ARGV[1] { m[$2] = $1; next }
		FNR > m[FILENAME] && /message type is Hello/ { h[FILENAME] = 1 }
		END { for (f in h) n++; print n + 0 }' "$IT_DIR/marks.txt" "$IT_DIR"/xl2tpd*.log
}
hellos_all() { [ "$(hellos)" = "$N" ]; }
it_wait 10 hellos_all || it_fail "only $(hellos) of $N xl2tpd logged a HELLO after the restart"
echoes_seen() {
	awk 'FILENAME == ARGV[1] { m[$2] = $1; next }
		FNR == 1 { n++ }
		FNR > m[FILENAME] && /rcvd \[LCP EchoReq / { q[FILENAME] = 1 }
		FNR > m[FILENAME] && /rcvd \[LCP EchoRep / { p[FILENAME] = 1 }
		END { for (f in q) if (f in p) k++; exit !(k == n) }' "$IT_DIR/marks.txt" "$IT_DIR"/sub*-pppd.log
}
it_wait 10 echoes_seen || it_fail "not every pppd received an LCP Echo-Request and an Echo-Reply after the restart"

# 3. The pings: over the whole run, per subscriber, the pings lost (the
# sequence numbers never answered between the first and the last reply)
# and the longest gap between two replies.
# The gaps before the command are the VM's own (TCG, one CPU): the
# baseline.
read -r lost gap sent base <<<"$(kt_ping_loss "$tr0" "$IT_DIR"/ping-sub*.log)"
for ((i = 1; i <= N; i++)); do
	awk -v a="$tr1" '/ bytes from / { ts = substr($1, 2, length($1) - 2) + 0; if (ts > a) k++ } END { exit !(k > 0) }' "$IT_DIR/ping-sub$i.log" ||
		it_fail "sub$i got no ping reply after the restart"
done
awk -v g="$gap" -v m="$GAP_MAX" 'BEGIN { exit !(g < m) }' || it_fail "a gap of $gap s between ping replies (bound $GAP_MAX s); $lost of $sent lost"

# 4. (continued) Nothing closed, nothing renegotiated.
bad=$(awk 'FILENAME == ARGV[1] { m[$2] = $1; next }
	FNR > m[FILENAME] && tolower($0) ~ /stopccn|cdn|stop-control|maximum retries|connection closed|call_close|disconnect|result code|hangup|no longer/ {
		f = FILENAME; sub(/.*\//, "", f); print f ": " $0 }' "$IT_DIR/marks.txt" "$IT_DIR"/xl2tpd*.log | head -n 3)
[ -z "$bad" ] || it_fail "xl2tpd closed a tunnel or call after the restart: $(printf '%s' "$bad" | tr '\n' ';')"
for ((i = 1; i <= N; i++)); do
	kill -0 "${pppd_pid[$i]}" 2>/dev/null || it_fail "sub$i's pppd ${pppd_pid[$i]} died"
done
bad=$(awk 'FILENAME == ARGV[1] { m[$2] = $1; next }
	FILENAME == ARGV[2] { g[$1] = $2; next }
	FNR <= m[FILENAME] { next }
	{ f = FILENAME; sub(/.*\//, "", f) }
	/ConfReq|ConfAck|ConfNak|ConfRej|TermReq|TermAck|LCP terminated|Terminating|[Hh]angup|IP address|Connect time|echo-requests|authentication/ {
		print f ": " $0; next }
	/rcvd \[LCP Echo(Req|Rep) / && index($0, "magic=" g[FILENAME] "]") == 0 { print f ": not the magic number " g[FILENAME] ": " $0 }' \
	"$IT_DIR/marks.txt" "$IT_DIR/magic.txt" "$IT_DIR"/sub*-pppd.log | head -n 3)
[ -z "$bad" ] || it_fail "pppd renegotiated, terminated or saw another magic number after the restart: $(printf '%s' "$bad" | tr '\n' ';')"
it_log "no StopCCN, CDN or renegotiation; HELLOs and LCP echoes go on"

# 5. The new process owns what it adopted: one tunnel cleared goes from
# the kernel with its session and pppN.
read -r tid _ < <(head -n 1 "$IT_DIR/before-tunnels.txt")
ifc=$(it_json lns show l2tp session | jq -r "$IT_JQ_ROWS | select(.tunnel_id == $tid) | .interface")
[ -n "$ifc" ] || it_fail "no interface for tunnel $tid in the new LNS"
it_ctl lns clear l2tp tunnel id "$tid" >/dev/null || it_fail "clear l2tp tunnel id $tid refused"
tunnel_gone() { ! l2tp_tunnels "$NS_LNS" | grep -q "^$tid "; }
ifc_gone() { ! kt_ppp_ifaces "$NS_LNS" | grep -qx "$ifc"; }
it_wait 10 tunnel_gone || it_fail "kernel tunnel $tid stayed after clear l2tp tunnel id $tid"
it_wait 10 ifc_gone || it_fail "$ifc stayed after clear l2tp tunnel id $tid"
[ "$(kt_l2tp_count "$NS_LNS" tunnel)" = $((N - 1)) ] || it_fail "$(kt_l2tp_count "$NS_LNS" tunnel) kernel tunnels left, not $((N - 1))"
[ "$(kt_ppp_ifaces "$NS_LNS" | wc -l)" = $((N - 1)) ] || it_fail "$(kt_ppp_ifaces "$NS_LNS" | wc -l) pppN left, not $((N - 1))"
it_alive lns || it_fail "the new LNS died"
it_log "clear l2tp tunnel id $tid: its kernel tunnel and $ifc gone, $((N - 1)) left"
handover=$(printf '%s\n' "$out" | sed -n 's/.*(handover \([0-9]*\) ms).*/\1/p')
printf 'bench: kernel restart (VM, TCG): %s sessions, longest gap between ping replies %s s (20 ms pings; %s s before the restart), %s of %s pings lost, handover %s ms, command %.2f s\n' \
	"$N" "$gap" "$base" "$lost" "$sent" "${handover:-?}" "$(awk -v a="$tr0" -v b="$tr1" 'BEGIN { print b - a }')"

# 6. An upgrade binary on the kernel path (`restart binary COPY`, a copy of
# the binary: another file): the PID changes again, the new process adopts
# the N-1 tunnels and sessions left with their descriptors, the kernel IDs
# and pppN stay, the subscribers still ping the LNS.
cp "$L2TPD" "$IT_DIR/l2tpd-next"
kt_ppp_pairs "$NS_LNS" | sort >"$IT_DIR/before6-ppp.txt"
l2tp_ids "$NS_LNS" >"$IT_DIR/before6-l2tp.txt"
kt_restart lns binary "$IT_DIR/l2tpd-next"
new=${IT_DPID[lns]}
# (the guest's chroot shows the path under its root: the end is compared)
case $(readlink "/proc/$new/exe") in
*"$IT_DIR/l2tpd-next") ;;
*) it_fail "the new LNS runs $(readlink "/proc/$new/exe"), not the copy" ;;
esac
it_grep_log lns "restart: the data path adopted $((N - 1)) kernel tunnels, $((N - 1)) sessions and $((3 * (N - 1))) of $((3 * (N - 1))) descriptors \(0 unclaimed" ||
	it_fail "the LNS from the copy did not adopt $((N - 1)) tunnels and sessions: $(grep 'adopted' "$IT_DIR/lns.log" | tail -n 1)"
kt_ppp_pairs "$NS_LNS" | sort >"$IT_DIR/after6-ppp.txt"
l2tp_ids "$NS_LNS" >"$IT_DIR/after6-l2tp.txt"
cmp -s "$IT_DIR/before6-ppp.txt" "$IT_DIR/after6-ppp.txt" || it_fail "restart binary: the LNS's pppN changed"
cmp -s "$IT_DIR/before6-l2tp.txt" "$IT_DIR/after6-l2tp.txt" || it_fail "restart binary: the kernel sessions changed"
while read -r ifc _ _; do
	ip netns exec "$NS_LAC" ping -n -q -c 3 -i 0.2 -W 2 -I "$ifc" "$LNS_PPP" >>"$IT_DIR/ping6.log" 2>&1 ||
		it_fail "no ping from $ifc to the LNS after restart binary"
done <<<"$(kt_ppp_pairs "$NS_LAC")"
it_pass
