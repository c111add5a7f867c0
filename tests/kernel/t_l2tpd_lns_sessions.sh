#!/bin/bash
# Our LNS (l2tpd -d linux) with xl2tpd + pppd (kernel mode, pppol2tp) as
# LAC/subscribers: KT_LNS_N (default 20) subscribers, a third each with PAP,
# CHAP and MS-CHAPv2; each gets a pool address; a ping crosses each session
# both ways; `ip l2tp show` and `l2tpctl show l2tp session` agree on the
# count and IDs; tearing down from either side (xl2tpd's disconnect, then
# `l2tpctl clear l2tp tunnel id N`) leaves no kernel tunnel, session, pppN,
# address or route on the LNS (nor on the LAC).
#
# One xl2tpd per subscriber, each on its own UDP port (kt_subscriber).
# kt-timeout: 240
# shellcheck disable=SC2317 # predicates called through it_wait
set -euo pipefail
. "$(dirname "$0")/lib.sh"
kt_init l2tpd_lns_sessions
it_require_cmd ip ping xl2tpd pppd jq nft /usr/bin/python3
kt_require_modules l2tp_ppp ppp_generic pppox nf_tables
kt_require_pppol2tp

N=${KT_LNS_N:-20}
LNS_PPP=10.200.255.254
METHODS=(pap chap mschapv2)
it_two_hosts

it_l2tpd lns "$NS_LNS" "$(it_conf_head lns
it_conf_template "$LNS_PPP" "ms-chap-v2 chap pap" $' mtu 1400\n ip tcp adjust-mss 1300'
it_conf_dialin 1 " l2tp tunnel hello 60"
it_conf_users "$N")"
it_log "l2tpd up (LNS); starting $N subscribers"

t0=$(it_now)
for ((i = 1; i <= N; i++)); do
	kt_subscriber "$i" "sub$i" "pw$i" "${METHODS[$(((i - 1) % 3))]}" "$IT_LNS_ADDR"
done
kt_subscribers_start "$NS_LAC" $(seq 1 "$N")

# Every subscriber's ppp interface up with an address, the LNS agreeing.
lac_up() { [ "$(kt_ppp_pairs "$NS_LAC" | wc -l)" = "$N" ]; }
lns_up() { [ "$(it_ppp_up lns)" = "$N" ]; }
it_wait 60 lac_up ||
	it_fail "$(kt_ppp_pairs "$NS_LAC" | wc -l) of $N subscribers' ppp interfaces addressed after 60 s; LNS: $(it_ppp_up lns) PPP up"
it_wait 10 lns_up || it_fail "the LNS shows $(it_ppp_up lns) of $N sessions with PPP up"
up_secs=$(it_elapsed "$t0")
it_log "$N sessions up in $up_secs s"

# Each subscriber: its pool address, the LNS's address as peer; the LNS
# has the matching pppN.  (Few processes: each costs 35-65 ms under TCG.)
declare -A sub_if=()	# subscriber address -> LAC interface
while read -r ifc addr peer; do
	[ "$peer" = "$LNS_PPP" ] || it_fail "subscriber $ifc has peer $peer, not $LNS_PPP"
	case $addr in 10.200.0.*) ;; *) it_fail "subscriber $ifc has $addr, not a pool address" ;; esac
	[ -z "${sub_if[$addr]:-}" ] || it_fail "address $addr given twice"
	sub_if[$addr]=$ifc
done < <(kt_ppp_pairs "$NS_LAC")
[ "${#sub_if[@]}" = "$N" ] || it_fail "${#sub_if[@]} subscribers have an address, not $N"
declare -A lns_if=()	# subscriber address -> LNS interface
while read -r ifc addr peer; do
	[ "$addr" = "$LNS_PPP" ] || it_fail "LNS $ifc has local address $addr, not $LNS_PPP"
	[ -n "${sub_if[$peer]:-}" ] || it_fail "LNS $ifc has peer $peer, which no subscriber has"
	lns_if[$peer]=$ifc
done < <(kt_ppp_pairs "$NS_LNS")
[ "${#lns_if[@]}" = "$N" ] || it_fail "the LNS has ${#lns_if[@]} addressed ppp interfaces, not $N"
# The method each subscriber agreed to in LCP, and its success.
want=
for ((i = 1; i <= N; i++)); do
	case ${METHODS[$(((i - 1) % 3))]} in
	pap) want+=" sub$i:pap" ;;
	chap) want+=" sub$i:chap MD5" ;;
	mschapv2) want+=" sub$i:chap MS-v2" ;;
	esac
done
got=$(cd "$IT_DIR" && awk '
	FNR == 1 { f = FILENAME; sub(/-pppd\.log$/, "", f); n = substr(f, 4) + 0; if (n > max) max = n }
	/sent \[LCP ConfAck .*<auth / { m = $0; sub(/.*<auth /, "", m); sub(/>.*/, "", m); meth[n] = m }
	/authentication succeeded/ { ok[n] = 1 }
	END { for (i = 1; i <= max; i++) if (ok[i]) printf " sub%d:%s", i, meth[i] }' sub*-pppd.log)
[ "$got" = "$want" ] || it_fail "methods agreed and succeeded:$got; expected:$want"
users=$(it_json lns show l2tp session | jq -r "$IT_JQ_ROWS | .user" | sort -u | wc -l)
[ "$users" = "$N" ] || it_fail "the LNS shows $users distinct users, not $N"
it_log "each subscriber authenticated with its method and has its own pool address"

# The subscriber's replies must leave through its own session: a route
# table per subscriber address (one ip process for all).
for a in "${!sub_if[@]}"; do
	t=$((100 + ${a##*.}))
	printf 'rule add from %s table %d\nroute add default dev %s table %d\n' "$a" "$t" "${sub_if[$a]}" "$t"
done >"$IT_DIR/rules.batch"
ip -n "$NS_LAC" -batch "$IT_DIR/rules.batch" || it_fail "policy routes in the LAC namespace failed"

# Pings both ways across every session, all at once (one shell per side).
# pings NS ARGS...: each line of stdin "ADDR" pinged with ARGS; the failed ones printed.
pings() {
	local ns=$1
	shift
	# shellcheck disable=SC2016 # expanded by the inner shell
	ip netns exec "$ns" bash -c '
		declare -A p=()
		while read -r a; do
			ping -n -q -c 2 -i 0.3 -W 3 "$@" "$a" >/dev/null 2>&1 &
			p[$!]=$a
		done
		for k in "${!p[@]}"; do wait "$k" || echo "${p[$k]}"; done' pings "$@"
}
t1=$(it_now)
printf '%s\n' "${!sub_if[@]}" | pings "$NS_LNS" >"$IT_DIR/ping-lns.failed" &
lp=$!
# shellcheck disable=SC2016 # expanded by the inner shell
ip netns exec "$NS_LAC" bash -c '
	for a in "$@"; do ping -n -q -c 2 -i 0.3 -W 3 -I "$a" '"$LNS_PPP"' >/dev/null 2>&1 & p[$!]=$a; done
	for k in "${!p[@]}"; do wait "$k" || echo "${p[$k]}"; done' pings "${!sub_if[@]}" >"$IT_DIR/ping-sub.failed"
wait "$lp" || true
[ ! -s "$IT_DIR/ping-lns.failed" ] || it_fail "no ping from the LNS to: $(tr '\n' ' ' <"$IT_DIR/ping-lns.failed")"
[ ! -s "$IT_DIR/ping-sub.failed" ] || it_fail "no ping to the LNS from: $(tr '\n' ' ' <"$IT_DIR/ping-sub.failed")"
# Each LNS interface saw its subscriber's echo requests and replies.
low=$(ip -n "$NS_LNS" -s -j link show type ppp | jq -r '.[] | select(.stats64.rx.packets < 4) | "\(.ifname):\(.stats64.rx.packets)"')
[ -z "$low" ] || it_fail "LNS ppp interfaces that received fewer than 4 packets: $low"
it_log "pings both ways across $N sessions in $(it_elapsed "$t1") s"
# `show l2tp session detail` carries the kernel's per-session counters: each
# session moved at least the pings (4 echo packets each way).
low=$(it_json lns show l2tp session detail |
	jq -r "$IT_JQ_ROWS | select((.counters.rx_packets // 0) < 4 or (.counters.tx_packets // 0) < 4) | \"\(.local_session_id):\(.counters.rx_packets // \"none\")/\(.counters.tx_packets // \"none\")\"")
[ -z "$low" ] || it_fail "sessions whose kernel counters show fewer than 4 packets each way (rx/tx): $low"

# `ip l2tp show` and l2tpctl agree: the same tunnel and session IDs.
kip=$(ip -n "$NS_LNS" l2tp show session | awk '/^Session /{ s = $2; t = $5 } /Peer session/{ print t, s, $3, $5 }' | tr -d , | sort)
kctl=$(it_json lns show l2tp session | jq -r "$IT_JQ_ROWS | \"\(.tunnel_id) \(.local_session_id) \(.remote_session_id)\"" | sort)
printf '%s\n' "$kip" >"$IT_DIR/ids-kernel.txt"
printf '%s\n' "$kctl" >"$IT_DIR/ids-l2tpctl.txt"
[ "$(printf '%s\n' "$kip" | cut -d' ' -f1-3)" = "$kctl" ] ||
	it_fail "ip l2tp show session and l2tpctl disagree (ids-kernel.txt, ids-l2tpctl.txt)"
[ "$(printf '%s\n' "$kctl" | wc -l)" = "$N" ] || it_fail "l2tpctl shows $(printf '%s\n' "$kctl" | wc -l) sessions, not $N"
ktun=$(ip -n "$NS_LNS" l2tp show tunnel | awk '/^Tunnel /{ print $2 }' | tr -d , | sort)
ctun=$(it_json lns show l2tp tunnel | jq -r "$IT_JQ_ROWS | .local_tunnel_id" | sort)
[ "$ktun" = "$ctun" ] || it_fail "ip l2tp show tunnel ($(printf '%s\n' "$ktun" | tr '\n' ' ')) and l2tpctl ($(printf '%s\n' "$ctun" | tr '\n' ' ')) disagree"
it_log "kernel and l2tpctl agree: $N tunnels, $N sessions"

# TCP MSS clamping (ip tcp adjust-mss 1300) on the sessions' pppN.
mss_table() { ip netns exec "$NS_LNS" nft list table inet l2tpd 2>&1; }
# has_rules MSS...: the table clamps each value, both ways.
has_rules() {
	local t m
	t=$(mss_table)
	for m in "$@"; do
		grep -q "oifgroup $((100000 + m)) tcp flags & syn == syn tcp option maxseg size > $m counter .* tcp option maxseg size set $m" <<<"$t" &&
			grep -q "iifgroup $((100000 + m)) tcp flags & syn == syn tcp option maxseg size > $m counter .* tcp option maxseg size set $m" <<<"$t" ||
			return 1
	done
}
has_rules 1300 || it_fail "table inet l2tpd has no rules for 1300: $(mss_table | tr '\n' ' ')"
groups=$(ip -n "$NS_LNS" -j -d link show type ppp | jq -r '.[].group' | sort | uniq -c | awk '{ print $2 ":" $1 }')
[ "$groups" = "101300:$N" ] || it_fail "LNS ppp interfaces by group: $groups, not all $N in 101300"
[ "$(it_json lns show l2tp statistics | jq '.data_path | "\(.mss_values) \(.mss_links) \(.mss_table_failed)"')" = "\"1 $N 0\"" ] ||
	it_fail "show l2tp statistics: data_path $(it_json lns show l2tp statistics | jq -c '.data_path')"
# A server behind the LNS (forwarded: the forward hook) and one subscriber.
SRV=10.77.0.2
it_netns NS_SRV srv
it_veth "$NS_LNS" 10.77.0.1/24 "$NS_SRV" "$SRV/24" veth1
ip -n "$NS_SRV" route add default via 10.77.0.1
ip netns exec "$NS_LNS" sysctl -qw net.ipv4.ip_forward=1
sub_a=$(printf '%s\n' "${!sub_if[@]}" | sort | head -1)
# one connection from $sub_a to the server: the MSS of the SYN at the
# server and of the SYN-ACK at the subscriber
kt_syn_mss "$NS_SRV" veth1 "$SRV" "$NS_LAC" "${sub_if[$sub_a]}" "$sub_a"
syn=$KT_MSS_SYN
synack=$KT_MSS_SYNACK
[ "$syn" = 1300 ] || it_fail "the SYN from $sub_a reached the server with MSS $syn, not 1300 (the subscriber's pppN has MTU 1400: it sends 1360)"
[ "$synack" = 1300 ] || it_fail "the SYN-ACK reached the subscriber with MSS $synack, not 1300 (the server sends 1460)"
# Each direction's rule counted the segment it clamped.
counted=$(mss_table | awk '$2 == 101300 { for (i = 1; i < NF; i++) if ($i == "packets" && $(i + 1) > 0) print $1 }' | sort | tr '\n' ' ')
[ "$counted" = "iifgroup oifgroup " ] || it_fail "the 101300 rules that counted a segment: ${counted:-none}"
it_log "adjust-mss: $N pppN in group 101300; SYN 1360 -> $syn at the server, SYN-ACK 1460 -> $synack at the subscriber"
# A reload to 1200: its rules added, 1300's kept while sessions carry it.
sed -i 's/ip tcp adjust-mss 1300/ip tcp adjust-mss 1200/' "$IT_DIR/lns.conf"
it_ctl lns reload >/dev/null || it_fail "reload to adjust-mss 1200 refused"
has_rules 1200 1300 || it_fail "after the reload table inet l2tpd holds: $(mss_table | tr '\n' ' ')"
it_log "reload: rules for 1200 added, 1300's kept for the live sessions"

# Teardown: the first half from the LAC (xl2tpd's disconnect), the rest
# from the LNS (clear l2tp tunnel).
half=$((N / 2))
for ((i = 1; i <= half; i++)); do
	it_xl2tpd_cmd "xl2tpd$i" "d lns"
done
sessions_eq() { [ "$(it_json lns show l2tp session | jq "[$IT_JQ_ROWS] | length")" = "$1" ]; }
it_wait 30 sessions_eq $((N - half)) ||
	it_fail "after $half LAC disconnects the LNS has $(it_json lns show l2tp session | jq "[$IT_JQ_ROWS] | length") sessions, not $((N - half))"
it_log "$half subscribers disconnected from the LAC side"
# (the LAC's tunnels, closed by its StopCCN, are held a while and then go
# of themselves, RFC 2661 §5.7: a clear could find one gone)
for id in $(it_json lns show l2tp tunnel | jq -r "$IT_JQ_ROWS | select(.state != \"closing\") | .local_tunnel_id"); do
	it_ctl lns clear l2tp tunnel id "$id" >/dev/null || it_fail "clear l2tp tunnel id $id refused"
done
it_wait 30 sessions_eq 0 || it_fail "sessions left in l2tpd after clearing the tunnels"

no_routes() { ! ip -n "$1" -4 route show | grep -q '10\.200\.'; }
no_addrs() { ! ip -n "$1" -4 addr show | grep -q '10\.200\.'; }
for ns in "$NS_LNS" "$NS_LAC"; do
	it_wait 20 kt_no_ppp "$ns" || it_fail "ppp interfaces left in $ns: $(kt_ppp_ifaces "$ns" | tr '\n' ' ')"
	it_wait 10 kt_no_l2tp "$ns" ||
		it_fail "kernel L2TP state left in $ns: $(kt_l2tp_count "$ns" tunnel) tunnels, $(kt_l2tp_count "$ns" session) sessions"
	no_addrs "$ns" || it_fail "pool addresses left in $ns"
	[ "$ns" = "$NS_LAC" ] || no_routes "$ns" || it_fail "routes left in $ns: $(ip -n "$ns" -4 route | grep 10.200. | head -3)"
done
pool_used=$(it_json lns show ip local pool | jq '[.. | objects | select(has("in_use")) | .in_use] | add // 0')
[ "$pool_used" = 0 ] || it_fail "$pool_used pool addresses still in use"
it_alive lns || it_fail "l2tpd died"
it_log "torn down from both sides: nothing left (sessions up in $up_secs s)"
it_stop lns
! mss_table >/dev/null || it_fail "table inet l2tpd left after l2tpd exited: $(mss_table | tr '\n' ' ')"
it_log "l2tpd exited: table inet l2tpd removed"
it_pass
