#!/bin/bash
# kt-timeout: 200
# Local termination on the kernel data path (issue 12, item 3, -d linux):
# two pppd subscribers with the pppoe.so plugin dial our daemon as a BNG;
# their domain has no vpdn-group, so our own PPP terminates them: each
# PPPoE session is the kernel's (AF_PPPOX/PX_PROTO_OE socket), LCP and PAP
# run on its channel, and once authenticated a unit pppN is connected to
# the channel, as an LNS session over PPPoL2TP has.  Shown:
#  - each subscriber's address on a pppN of the BNG (the template's /32
#    pair), MTU 1492 (RFC 2516 §7), in the adjust-mss group 101300;
#  - pings both ways through each pppN, and to a server behind the BNG;
#  - `ip tcp adjust-mss 1300`: a TCP SYN from a subscriber reaches the
#    server with MSS 1300 (pppd sends 1452), the SYN-ACK reaches the
#    subscriber with 1300 (the server sends 1460);
#  - pppd hangs up: no pppN, /proc/net/pppoe entry, /dev/ppp fd or PPPoE
#    session is left on the BNG, and its data path counts none;
#  - (the end) the hitless restart with two subscribers terminated here:
#    pings every 20 ms go on, each pppN keeps its name and /32 pair, the
#    kernel's PPPoE sessions stay, pppd renegotiates nothing.
# shellcheck disable=SC2317 # predicates called through it_wait
set -euo pipefail
. "$(dirname "$0")/lib.sh"
kt_init l2tpd_pppoe_local
it_require_cmd ip ping pppd jq nft /usr/bin/python3
kt_require_modules ppp_generic pppox pppoe nf_tables
compgen -G "/usr/lib/pppd/*/pppoe.so" >/dev/null || it_fail "pppd's pppoe.so plugin is missing (package ppp)"

BNG_PPP=10.200.255.254
SRV=10.77.0.2
it_netns NS_BNG bng
it_netns NS_SUB sub
it_netns NS_SRV srv
ip -n "$NS_BNG" link add acc0 type veth peer name acc0 netns "$NS_SUB" || it_fail "veth"
ip -n "$NS_BNG" link set acc0 up
ip -n "$NS_SUB" link set acc0 up
it_veth "$NS_BNG" 10.77.0.1/24 "$NS_SRV" "$SRV/24" veth1
ip -n "$NS_SRV" route add default via 10.77.0.1
ip netns exec "$NS_BNG" sysctl -qw net.ipv4.ip_forward=1

it_l2tpd bng "$NS_BNG" "$(it_conf_head bng1
printf 'username sub1@home.example password pw1\nusername sub2@home.example password pw2\n'
# mtu 1500: above the PPPoE payload, which then bounds the MTU (the
# template's default, 1460, would)
it_conf_template "$BNG_PPP" "pap chap" $' ip tcp adjust-mss 1300\n mtu 1500'
cat <<-CONF
bba-group pppoe global
 virtual-template 1
 ac name BNG1
interface acc0
 pppoe enable group global
CONF
)"
it_log "l2tpd up as a BNG"

# two pppd with the pppoe.so plugin on acc0: subI@home.example
for i in 1 2; do kt_secret "sub$i@home.example" "pw$i"; done
t0=$(it_now)
kt_pppoe_sub "$NS_SUB" pe1 acc0 sub1@home.example
kt_pppoe_sub "$NS_SUB" pe2 acc0 sub2@home.example
both_up() { [ "$(kt_ppp_pairs "$NS_SUB" | wc -l)" = 2 ] && [ "$(kt_ppp_pairs "$NS_BNG" | wc -l)" = 2 ]; }
it_wait 60 both_up || it_fail "after 60 s: $(kt_ppp_pairs "$NS_SUB" | wc -l) subscribers addressed, $(kt_ppp_pairs "$NS_BNG" | wc -l) pppN addressed on the BNG"
up_s=$(it_elapsed "$t0")
it_log "2 subscribers terminated on a pppN each in $up_s s"

# the BNG's pppN: the template's /32 pair, MTU 1492, group 101300
declare -A sub_if
while read -r ifc local peer; do
	[ "$local" = "$BNG_PPP" ] || it_fail "BNG $ifc has local $local, not $BNG_PPP"
	case $peer in 10.200.0.*) ;; *) it_fail "BNG $ifc has peer $peer, not a pool address" ;; esac
	j=$(ip -n "$NS_BNG" -j link show dev "$ifc")
	[ "$(jq -r '.[0] | "\(.mtu) \(.group)"' <<<"$j")" = "1492 101300" ] ||
		it_fail "BNG $ifc: mtu and group $(jq -r '.[0] | "\(.mtu) \(.group)"' <<<"$j"), not 1492 101300"
done <<<"$(kt_ppp_pairs "$NS_BNG")"
# each subscriber's traffic from its address leaves by its own pppN
# (pppd adds no default route: nodefaultroute, and there are two of them)
table=100
while read -r ifc addr peer; do
	[ "$peer" = "$BNG_PPP" ] || it_fail "subscriber $ifc has peer $peer, not $BNG_PPP"
	sub_if[$addr]=$ifc
	table=$((table + 1))
	ip -n "$NS_SUB" rule add from "$addr" table "$table"
	ip -n "$NS_SUB" route add default dev "$ifc" table "$table"
	ip netns exec "$NS_SUB" ping -n -q -c 3 -i 0.2 -W 2 -I "$ifc" "$BNG_PPP" >>"$IT_DIR/ping.log" 2>&1 ||
		it_fail "no ping from $addr ($ifc) to the BNG"
	ip netns exec "$NS_SUB" ping -n -q -c 3 -i 0.2 -W 2 -I "$addr" "$SRV" >>"$IT_DIR/ping.log" 2>&1 ||
		it_fail "no ping from $addr ($ifc) to the server behind the BNG"
	kt_ping "$NS_BNG" "$addr" || it_fail "no ping from the BNG to $addr"
	kt_ping "$NS_SRV" "$addr" || it_fail "no ping from the server to $addr"
done <<<"$(kt_ppp_pairs "$NS_SUB")"
it_log "pings both ways through both pppN"

# ip tcp adjust-mss 1300: one connection from a subscriber to the server
sub_a=$(printf '%s\n' "${!sub_if[@]}" | sort | head -1)
kt_syn_mss "$NS_SRV" veth1 "$SRV" "$NS_SUB" "${sub_if[$sub_a]}" "$sub_a"
syn=$KT_MSS_SYN
synack=$KT_MSS_SYNACK
[ "$syn" = 1300 ] || it_fail "the SYN from $sub_a reached the server with MSS $syn, not 1300 (pppd sends 1452)"
[ "$synack" = 1300 ] || it_fail "the SYN-ACK reached the subscriber with MSS $synack, not 1300 (the server sends 1460)"
it_log "adjust-mss: SYN 1452 -> $syn at the server, SYN-ACK 1460 -> $synack at the subscriber"

st=$(it_json bng show pppoe statistics)
[ "$(jq -r '"\(.local_up) \(.local_refused) \(.local_unit_refused)"' <<<"$st")" = "2 0 0" ] ||
	it_fail "show pppoe statistics: $(jq -c '{local_up, local_refused, local_unit_refused}' <<<"$st")"
pppoe_kernel() { ip netns exec "$NS_BNG" tail -n +2 /proc/net/pppoe | grep -c . || true; }
[ "$(pppoe_kernel)" = 2 ] || it_fail "/proc/net/pppoe on the BNG lists $(pppoe_kernel) sessions, not 2"
printf 'bench: VM (TCG) BNG local termination: 2 pppd PPPoE subscribers on a pppN each in %s s\n' "$up_s"

# pppd hangs up: nothing left on the BNG
kill "${KT_PPPD[pe1]}" "${KT_PPPD[pe2]}"
pppd_gone() { ! kill -0 "${KT_PPPD[pe1]}" 2>/dev/null && ! kill -0 "${KT_PPPD[pe2]}" 2>/dev/null; }
it_wait 20 pppd_gone || it_fail "pppd did not exit on SIGTERM"
pppoe_none() { [ "$(it_num bng .total_sessions show pppoe summary)" = 0 ]; }
it_wait 20 pppoe_none || it_fail "the BNG still has PPPoE sessions"
it_wait 10 kt_no_ppp "$NS_BNG" || it_fail "ppp interfaces left on the BNG: $(kt_ppp_ifaces "$NS_BNG" | tr '\n' ' ')"
[ "$(pppoe_kernel)" = 0 ] || it_fail "/proc/net/pppoe on the BNG still lists $(pppoe_kernel) sessions"
dp=$(it_json bng show l2tp statistics | jq -c .data_path)
[ "$(jq -r '"\(.ppp_units) \(.pppoe_channels) \(.ppp_unit_open) \(.pppoe_close) \(.errors)"' <<<"$dp")" = "0 0 2 2 0" ] ||
	it_fail "BNG data path after the hang-up: $dp"
ppp_fds=$(find "/proc/${IT_DPID[bng]}/fd" -lname /dev/ppp 2>/dev/null | wc -l)
[ "$ppp_fds" = 0 ] || it_fail "the BNG still holds $ppp_fds /dev/ppp fds"
it_alive bng || it_fail "l2tpd bng died"
it_log "pppd gone: no pppN, PPPoE session or /dev/ppp fd left"

# The hitless restart with two subscribers terminated here: `l2tpctl
# restart` while both ping the BNG every 20 ms.  The new process adopts
# each session's PPPoE socket, channel and unit, so each pppN keeps its
# name, its /32 pair and its kernel PPPoE session; the pings go on; pppd
# sees no LCP or IPCP Configure-Request, no Terminate, no PADT.
kt_pppoe_sub "$NS_SUB" pe1 acc0 sub1@home.example
kt_pppoe_sub "$NS_SUB" pe2 acc0 sub2@home.example
it_wait 60 both_up || it_fail "restart: $(kt_ppp_pairs "$NS_BNG" | wc -l) of 2 subscribers up again"
pairs0=$(kt_ppp_pairs "$NS_BNG" | sort)
kernel0=$(ip netns exec "$NS_BNG" tail -n +2 /proc/net/pppoe | sort)
: >"$IT_DIR/pingers.pid"
mapfile -t rifcs <<<"$(kt_ppp_pairs "$NS_SUB" | awk '{ print $1 }')"
kt_pingers "$NS_SUB" "$BNG_PPP" rping- 0.02 "${rifcs[@]}"
sleep 2
kt_pppd_mark
kt_restart bng
tr0=$KT_RESTART_T0
tr1=$KT_RESTART_T1
sleep 2
kt_stop_pingers
sleep 0.5
it_grep_log bng "restart: took over 2 PPPoE sessions terminated here" ||
	it_fail "the new BNG did not take the 2 local PPPoE sessions over"
it_grep_log bng "restart: the data path adopted 0 kernel tunnels, 0 sessions and 6 of 6 descriptors \(0 unclaimed" ||
	it_fail "the new BNG did not adopt the PPPoE sockets, channels and units"
[ "$(kt_ppp_pairs "$NS_BNG" | sort)" = "$pairs0" ] ||
	it_fail "the BNG's pppN changed: $(kt_ppp_pairs "$NS_BNG" | tr '\n' ';') (before: $(tr '\n' ';' <<<"$pairs0"))"
[ "$(ip netns exec "$NS_BNG" tail -n +2 /proc/net/pppoe | sort)" = "$kernel0" ] ||
	it_fail "the kernel's PPPoE sessions changed across the restart"
st=$(it_json bng show pppoe statistics)
[ "$(jq -r '"\(.local_up) \(.local_refused) \(.local_unit_refused)"' <<<"$st")" = "2 0 0" ] ||
	it_fail "after the restart: $(jq -c '{local_up, local_refused, local_unit_refused}' <<<"$st")"
read -r gap lost replies <<<"$(kt_ping_gaps "$IT_DIR"/rping-*.log)"
n=$(kt_replies_after "$tr1" "$IT_DIR"/rping-*.log)
[ "$n" = 0 ] || it_fail "$n of 2 subscribers got no ping reply after the restart"
awk -v g="$gap" 'BEGIN { exit !(g < 3) }' || it_fail "a gap of $gap s between ping replies; $lost lost"
bad=$(kt_pppd_renegotiated)
[ -z "$bad" ] || it_fail "pppd renegotiated or was terminated after the restart: $(printf '%s' "$bad" | tr '\n' ';')"
printf 'bench: VM (TCG) BNG restart with 2 local PPPoE subscribers on pppN: longest gap between ping replies %s s (20 ms pings), %s lost of %s replies, command %.2f s\n' \
	"$gap" "$lost" "$replies" "$(awk -v a="$tr0" -v b="$tr1" 'BEGIN { print b - a }')"
# the new process ends them as the old one did
kill "${KT_PPPD[pe1]}" "${KT_PPPD[pe2]}"
it_wait 20 pppd_gone || it_fail "pppd did not exit on SIGTERM after the restart"
it_wait 20 pppoe_none || it_fail "after the restart the BNG still has PPPoE sessions"
it_wait 10 kt_no_ppp "$NS_BNG" || it_fail "ppp interfaces left on the BNG after the restart: $(kt_ppp_ifaces "$NS_BNG" | tr '\n' ' ')"
[ "$(pppoe_kernel)" = 0 ] || it_fail "/proc/net/pppoe on the BNG still lists $(pppoe_kernel) sessions after the restart"
ppp_fds=$(find "/proc/${IT_DPID[bng]}/fd" -lname /dev/ppp 2>/dev/null | wc -l)
[ "$ppp_fds" = 0 ] || it_fail "the new BNG still holds $ppp_fds /dev/ppp fds"
it_log "restart: pppN, addresses and kernel PPPoE sessions kept; pings went on; all gone at the hang-up"
it_pass
