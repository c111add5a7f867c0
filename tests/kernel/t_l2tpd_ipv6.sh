#!/bin/bash
# Dual-stack subscribers on the kernel data path, across a failover:
# xl2tpd + pppd (`+ipv6`) subscribers dial the VIP of our LNS pair (box A
# active, box B its standby, `-d linux`), whose Virtual-Template gives
# each link a /64 from LINKS in its router advertisements and a /56 from
# PD by DHCPv6 prefix delegation.
# Asserted, with A active:
#  1. each subscriber's kernel forms a global address from its own
#     interface identifier by SLAAC on its pppN, from our RA (the /64 of
#     LINKS the LNS routes on-link through the matching pppN), and takes
#     the LNS as its default router;
#  2. a real DHCPv6 client (wide-dhcpv6's dhcp6c, Solicit, Advertise,
#     Request, Reply) is delegated a /56 of PD on each pppN, the one A's
#     `show ipv6 dhcp binding` binds, routed by A via the subscriber's
#     link-local address; the /64s and /56s are all distinct;
#  3. ping6 both ways on each session: the subscriber to the LNS's address,
#     the LNS to the subscriber's SLAAC address and to an address of its
#     delegated /56.
# Then A dies (frozen, unplugged, SIGKILL) and B takes the VIP:
#  4. the same pings (same addresses, both ways) are answered through B;
#  5. dhcp6c's next Renew on each link (T1: 30 s, lifetime 120 60) is
#     answered by B with the same /56 (no new prefix, none removed), and
#     B's bindings are the /56s the subscribers hold.
# Prints a `bench:` line with the times.
#
# Topology (it_ha_segment): kt-a, kt-b (the pair, 2001:db8:ffff::1 on lo
# of each), kt-sub (the subscribers, one xl2tpd each, and one dhcp6c for
# every pppN).
# 171 s measured with the host at load 8-9 (a quarter of it the wait for
# dhcp6c's T1), so more than the default 90 s:
# kt-timeout: 240
# shellcheck disable=SC2317 # predicates called through it_wait
set -euo pipefail
. "$(dirname "$0")/lib.sh"
kt_init l2tpd_ipv6
it_require_cmd ip ping xl2tpd pppd jq
command -v dhcp6c >/dev/null 2>&1 || it_fail "dhcp6c is missing (package wide-dhcpv6-client): run $IT_DEPS_SCRIPT"
kt_require_modules l2tp_ppp ppp_generic pppox bridge
kt_require_pppol2tp

N=${KT_V6_N:-3}
LNS_PPP=10.200.255.254
LNS6=2001:db8:ffff::1
VIP=$IT_HA_VIP

it_ha_segment NS_SUB sub

# lns_conf NAME LOCAL PEER: the configuration of one box of the pair.
lns_conf() {
	it_conf_head "lns-$1"
	it_conf_redundancy "$2" "$3" "$VIP" " checkpoint security none"
	printf 'ipv6 local pool LINKS 2001:db8:1::/48 64\nipv6 local pool PD 2001:db8:100::/40 56\n'
	it_conf_template "$LNS_PPP" "chap" " mtu 1400
 ipv6 enable
 peer default ipv6 pool LINKS
 ipv6 nd ra interval 30
 ipv6 nd ra lifetime 1800
 ipv6 dhcp server prefix-delegation pool PD lifetime 120 60"
	it_conf_dialin 1 " l2tp tunnel hello 2"
	it_conf_users "$N"
}
for b in a b; do
	ns=NS_${b^^}
	ip -n "${!ns}" addr add "$LNS6/128" dev lo || it_fail "cannot add $LNS6 on lo of box $b"
done
kt_ha_pair lns_conf

t0=$(it_now)
kt_subscribers_up "$NS_SUB" a "$VIP" "$N" chap "+ipv6"
declare -A sub_if=()	# i -> the subscriber's pppN
ifcs=()
for ((i = 1; i <= N; i++)); do
	{ read -r _ && read -r "sub_if[$i]"; } </run/ppp-sub$i.pid || it_fail "no interface in /run/ppp-sub$i.pid"
	ifcs+=("${sub_if[$i]}")
done

# groups6 ADDR FIRST LAST: groups FIRST..LAST (1-8) of the IPv6 address
# ADDR, expanded, without leading zeros, joined by ":".
groups6() {
	awk -v a="$1" -v f="$2" -v l="$3" 'BEGIN {
		a = tolower(a); sub(/\/.*/, "", a)
		n = split(a, p, "::")
		nl = p[1] == "" ? 0 : split(p[1], x, ":")
		nr = n < 2 || p[2] == "" ? 0 : split(p[2], y, ":")
		for (i = 1; i <= 8; i++) g[i] = "0"
		for (i = 1; i <= nl; i++) g[i] = x[i]
		for (i = 1; i <= nr; i++) g[8 - nr + i] = y[i]
		s = ""
		for (i = f; i <= l; i++) { sub(/^0+/, "", g[i]); if (g[i] == "") g[i] = "0"; s = s (i > f ? ":" : "") g[i] }
		print s }'
}
# ifid ADDR: its interface identifier (the last 64 bits).
ifid() { groups6 "$1" 5 8; }

# 1. SLAAC: "IFACE ADDRESS" of each global address the subscribers' kernel formed.
slaac() {
	ip -n "$NS_SUB" -6 -j addr show scope global 2>/dev/null |
		jq -r '.[] | .ifname as $i | (.addr_info // [])[] | select(.family == "inet6") | "\($i) \(.local)/\(.prefixlen)"' | sort
}
all_slaac() { [ "$(slaac | wc -l)" = "$N" ]; }
it_wait 40 all_slaac || it_fail "$(slaac | wc -l) of $N subscribers formed a global address by SLAAC: $(slaac | tr '\n' ' '); RS/DHCPv6 receive counters on a: $(it_ctl a show ipv6 dhcp statistics 2>&1 | tr '\n' ' ')"
slaac_secs=$(it_elapsed "$t0")
declare -A addr6=() ll6=()
while read -r ifc a; do
	addr6[$ifc]=${a%/64}
	[ "${a#*/}" = 64 ] || it_fail "$ifc: SLAAC address $a is not in a /64"
	case $a in 2001:db8:1:*) ;; *) it_fail "$ifc: SLAAC address $a is not in LINKS" ;; esac
	ll=$(ip -n "$NS_SUB" -6 -j addr show dev "$ifc" scope link | jq -r '.[0].addr_info[] | select(.family == "inet6") | .local')
	[ -n "$ll" ] || it_fail "$ifc has no link-local address"
	ll6[$ifc]=$ll
	[ "$(ifid "$a")" = "$(ifid "$ll")" ] ||
		it_fail "$ifc: SLAAC address $a does not end in the interface identifier of $ll"
	ip -n "$NS_SUB" -6 route show default dev "$ifc" | grep -q '^default via fe80::' ||
		it_fail "$ifc: no default route via the LNS's link-local address: $(ip -n "$NS_SUB" -6 route show dev "$ifc" | tr '\n' ';')"
done < <(slaac)
[ "$(for a in "${addr6[@]}"; do groups6 "$a" 1 4; done | sort -u | wc -l)" = "$N" ] ||
	it_fail "the /64s are not distinct: ${addr6[*]}"
it_log "$N subscribers formed SLAAC addresses in $slaac_secs s: ${addr6[*]}"

# 2. One dhcp6c for every pppN: IA_PD IAID i on the i-th interface.
for ((i = 0; i < N; i++)); do
	printf 'interface %s {\n\tsend ia-pd %d;\n};\nid-assoc pd %d {\n};\n' "${ifcs[$i]}" "$i" "$i"
done >"$IT_DIR/dhcp6c.conf"
td=$(it_now)
ip netns exec "$NS_SUB" dhcp6c -D -f -c "$IT_DIR/dhcp6c.conf" -p "$IT_DIR/dhcp6c.pid" "${ifcs[@]}" \
	</dev/null >"$IT_DIR/dhcp6c.log" 2>&1 &
# dhcp6c's prefixes: what it created (and not removed), one a line.
dhcp_prefixes() {
	awk '/create a prefix /{ p = $0; sub(/.*create a prefix /, "", p); sub(/ .*/, "", p); h[p] = 1 }
		/remove a prefix /{ p = $0; sub(/.*remove a prefix /, "", p); sub(/ .*/, "", p); delete h[p] }
		END { for (p in h) print p }' "$IT_DIR/dhcp6c.log" | sort
}
all_pd() { [ "$(dhcp_prefixes | wc -l)" = "$N" ]; }
it_wait 30 all_pd || it_fail "dhcp6c holds $(dhcp_prefixes | wc -l) of $N prefixes: $(dhcp_prefixes | tr '\n' ' '); a's bindings: $(it_ctl a show ipv6 dhcp binding 2>&1 | tr '\n' ' ')"
pd_secs=$(it_elapsed "$td")
PDS=$(dhcp_prefixes)
for m in solicit request; do
	[ "$(grep -c "send $m to ff02::1:2" "$IT_DIR/dhcp6c.log")" -ge "$N" ] || it_fail "dhcp6c sent fewer than $N ${m}s"
done
[ "$(grep -cE 'receive (advertise|reply) from fe80::' "$IT_DIR/dhcp6c.log")" -ge $((2 * N)) ] ||
	it_fail "dhcp6c took fewer than $N advertises and $N replies"
[ "$(printf '%s\n' "$PDS" | grep -cE '^2001:db8:1[0-9a-f]{2}:([0-9a-f]{1,2}00)?::?/56$')" = "$N" ] ||
	it_fail "not $N distinct /56s of PD: $(printf '%s\n' "$PDS" | tr '\n' ' ')"
a_pd=$(it_json a show ipv6 dhcp binding | jq -r '.bindings[].prefix' | sort)
[ "$a_pd" = "$PDS" ] || it_fail "a's bindings ($(printf '%s\n' "$a_pd" | tr '\n' ' ')) are not dhcp6c's prefixes"
# Which pppN each /56 went to: a's route for it, via the subscriber's
# link-local address; an address of it on the subscriber's lo, routed back
# through that interface.
declare -A pd_if=() pd_addr=()
for ((i = 1; i <= N; i++)); do
	ifc=${sub_if[$i]}
	p64=$(groups6 "${addr6[$ifc]}" 1 4)
	lns_if=$(ip -n "$NS_A" -6 route show "$p64::/64" | awk '{ for (k = 1; k < NF; k++) if ($k == "dev") print $(k + 1) }')
	[ -n "$lns_if" ] || it_fail "a has no route for $p64::/64 (subscriber $ifc)"
	r=$(ip -n "$NS_A" -6 route show via "${ll6[$ifc]}" dev "$lns_if" | awk '/\/56/{ print $1 }')
	[ -n "$r" ] || it_fail "a routes no /56 via ${ll6[$ifc]} on $lns_if: $(ip -n "$NS_A" -6 route show dev "$lns_if" | tr '\n' ';')"
	grep -qx "$r" <<<"$PDS" || it_fail "a routes $r via $ifc's link-local address, a prefix dhcp6c does not hold"
	pd_if[$r]=$ifc
	pd_addr[$r]=$(groups6 "$r" 1 4)::1
done
[ "${#pd_if[@]}" = "$N" ] || it_fail "${#pd_if[@]} distinct /56s routed, not $N"
for r in "${!pd_if[@]}"; do
	printf 'address add %s/128 dev lo\n' "${pd_addr[$r]}"
done | ip -n "$NS_SUB" -6 -batch - || it_fail "cannot add the delegated addresses on lo"
t=100
for ifc in "${ifcs[@]}"; do
	t=$((t + 1))
	printf 'rule add from %s table %d\nroute add default dev %s table %d\n' "${addr6[$ifc]}" "$t" "$ifc" "$t"
	for r in "${!pd_if[@]}"; do
		if [ "${pd_if[$r]}" = "$ifc" ]; then
			printf 'rule add from %s table %d\n' "$r" "$t"
		fi
	done
done >"$IT_DIR/rules6.batch"
ip -6 -n "$NS_SUB" -batch "$IT_DIR/rules6.batch" || it_fail "policy routes in the subscribers' namespace failed"
it_log "dhcp6c delegated $N /56s in $pd_secs s: $(printf '%s\n' "$PDS" | tr '\n' ' ')"

# 3. ping6 both ways on every session, from box NS.
# pings6 NS: the failed pings, one a line.
pings6() {
	local ns=$1 targets=() ifc r
	for ifc in "${ifcs[@]}"; do
		targets+=("${addr6[$ifc]}")
	done
	for r in "${!pd_addr[@]}"; do
		targets+=("${pd_addr[$r]}")
	done
	# shellcheck disable=SC2016 # expanded by the inner shell
	ip netns exec "$ns" bash -c '
		for a in "$@"; do ping -6 -n -q -c 2 -i 0.3 -W 3 "$a" >/dev/null 2>&1 & p[$!]="from-lns:$a"; done
		for k in "${!p[@]}"; do wait "$k" || echo "${p[$k]}"; done' pings "${targets[@]}"
	# shellcheck disable=SC2016 # expanded by the inner shell
	ip netns exec "$NS_SUB" bash -c '
		dst=$1
		shift
		for i in "$@"; do ping -6 -n -q -c 2 -i 0.3 -W 3 -I "$i" "$dst" >/dev/null 2>&1 & p[$!]="to-lns:$i"; done
		for k in "${!p[@]}"; do wait "$k" || echo "${p[$k]}"; done' pings "$LNS6" "${ifcs[@]}"
}
failed=$(pings6 "$NS_A")
[ -z "$failed" ] || it_fail "ping6 through a failed: $(tr '\n' ' ' <<<"$failed")"
it_log "ping6 both ways on $N sessions through a (SLAAC and delegated addresses)"

# The standby holds it all: every record of a acknowledged.
acked() {
	it_ha_red a 2>/dev/null | jq -e '[.. | objects | select(has("last_seq") and has("acked_seq"))][0] | .last_seq == .acked_seq' >/dev/null &&
		it_ha_standby_has b "$N" "$N"
}
it_wait 20 acked || it_fail "b does not hold a's $N sessions: $(it_ha_summary b)"
marks=$(wc -l <"$IT_DIR/dhcp6c.log")

# A dies; B takes the VIP.
tk=$(it_now)
kt_ha_kill_box a "$NS_A"
kt_ha_take_vip "$NS_B" || true
it_wait 10 it_ha_is b active || it_fail "b is not active: $(it_ha_summary b)"
kt_ha_state b master
it_wait 30 it_ha_resync_done b 0 0 "$N" || it_fail "resync not done on b: $(it_ha_summary b)"
took=$(it_elapsed "$tk")
it_log "a killed; b active and resynced $took s after"

# 4. The same pings through B.
back() { [ -z "$(pings6 "$NS_B")" ]; }
it_wait 20 back || it_fail "ping6 through b failed: $(pings6 "$NS_B" | tr '\n' ' '); b's routes: $(ip -n "$NS_B" -6 route | tr '\n' ';')"
back_secs=$(it_elapsed "$tk")
it_log "ping6 both ways on $N sessions through b, $back_secs s after the kill"

# 5. Each link's Renew answered by B with its /56.
renewed() {
	tail -n +"$((marks + 1))" "$IT_DIR/dhcp6c.log" >"$IT_DIR/dhcp6c-after.log"
	[ "$(per_if 'send renew to ')" = "$N" ] && [ "$(per_if 'receive reply from fe80::')" = "$N" ]
}
# per_if PATTERN: on how many interfaces dhcp6c logged PATTERN since the kill.
per_if() {
	grep "$1" "$IT_DIR/dhcp6c-after.log" | grep -o '%ppp[0-9]*' | sort -u | wc -l
}
it_wait 45 renewed || it_fail "dhcp6c's renews after the kill: sent on $(per_if 'send renew to ') of $N interfaces, replies on $(per_if 'receive reply from fe80::')"
renew_secs=$(it_elapsed "$tk")
! grep -qE 'create a prefix|remove a prefix|status code.*(NoBinding|NoPrefixAvail)' "$IT_DIR/dhcp6c-after.log" ||
	it_fail "dhcp6c's prefixes changed after the takeover: $(grep -E 'create a prefix|remove a prefix|status code' "$IT_DIR/dhcp6c-after.log" | head -n 3 | tr '\n' ' ')"
upd=$(awk '/update a prefix /{ p = $0; sub(/.*update a prefix /, "", p); sub(/ .*/, "", p); print p }' "$IT_DIR/dhcp6c-after.log" | sort -u)
[ "$upd" = "$PDS" ] || it_fail "prefixes dhcp6c renewed with b: $(tr '\n' ' ' <<<"$upd"); held: $(tr '\n' ' ' <<<"$PDS")"
[ "$(dhcp_prefixes)" = "$PDS" ] || it_fail "dhcp6c's prefixes after the takeover: $(dhcp_prefixes | tr '\n' ' ')"
b_pd=$(it_json b show ipv6 dhcp binding | jq -r '.bindings[].prefix' | sort)
[ "$b_pd" = "$PDS" ] || it_fail "b's bindings ($(tr '\n' ' ' <<<"$b_pd")) are not dhcp6c's prefixes"
failed=$(pings6 "$NS_B")
[ -z "$failed" ] || it_fail "ping6 through b failed after the renew: $(tr '\n' ' ' <<<"$failed")"
it_alive b || it_fail "l2tpd b died"
it_say "bench: ipv6 $N subscribers: SLAAC addresses ${slaac_secs} s after the dial, $N /56 delegated in ${pd_secs} s; after the kill: b resynced in ${took} s, ping6 back in ${back_secs} s, every Renew answered by b with the same /56 ${renew_secs} s after"
it_pass
