#!/bin/bash
# IPv6 subscribers over the null data path (IPv6 control traffic carried in
# user space in L2TP data messages): our LAC plays N subscribers with
# `l2tp subscriber ipv6` against our LNS with IPv6 pools of /64s and /56s.
# Each subscriber, once IPv6CP opens, solicits a router advertisement, a
# delegated prefix (DHCPv6 IA_PD) and an address (IA_NA), with Rapid
# Commit both ends.  Each must learn a distinct /64 from the link pool, a
# distinct /56 from the delegation pool and a distinct address from the
# address pool, bound by Solicit and Reply alone (no Advertise, no
# Request); the LNS's `show ipv6 dhcp binding` must bind exactly the
# prefixes and addresses the LAC holds; clearing the calls returns every
# prefix and address to its pool.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
it_init ipv6_subscribers
it_require_l2tpd
it_require_cmd jq ip
it_two_hosts

N=50

it_l2tpd lns "$NS_LNS" "$(it_conf_lns lns1 s3cret "" 1)
username alice password wonderland
ipv6 local pool LINKS 2001:db8:1::/48 64
ipv6 local pool PD 2001:db8:100::/40 56
ipv6 local pool NA 2001:db8:ff::/112 128
$(it_conf_template 10.200.255.254 chap " ipv6 enable
 peer default ipv6 pool LINKS
 ipv6 dhcp server prefix-delegation pool PD
 ipv6 dhcp server address pool NA
 ipv6 dhcp server rapid-commit")"
it_l2tpd lac "$NS_LAC" "$(it_conf_lac lac1 s3cret "$IT_LNS_ADDR" " l2tp subscriber ipv6
 l2tp subscriber ipv6 address
 l2tp subscriber ipv6 rapid-commit")"

it_ctl lac test vpdn dial vpdn-group LAC sessions "$N" per-tunnel 25 username alice password wonderland \
	>"$IT_DIR/dial.out" 2>&1 || it_fail "dial failed: $(head -c 300 "$IT_DIR/dial.out")"
it_wait 60 it_ppp_up_eq lns "$N" || it_fail "$(it_ppp_up lns) of $N sessions reached PPP up on the LNS"

# lac_v6 KEY: the LAC subscribers' KEY of ipv6_subscriber, one a line ("-" unlearnt)
lac_v6() {
	it_json lac show l2tp session detail |
		jq -r "$IT_JQ_ROWS | (.ipv6_subscriber // {}) | (.$1 // \"-\")"
}
# shellcheck disable=SC2317 # called through it_wait
all_bound() {
	[ "$(lac_v6 dhcp_state | grep -c '^bound$')" = "$N" ] &&
		[ "$(lac_v6 prefix | grep -c '^2001:db8:1:')" = "$N" ]
}
it_wait 30 all_bound ||
	it_fail "$(lac_v6 dhcp_state | grep -c '^bound$') of $N subscribers bound a delegated prefix, $(lac_v6 prefix | grep -c '^2001:db8:1:') learnt a /64"

# distinct, and from the pools
p64=$(lac_v6 prefix | sort)
pd=$(lac_v6 delegated_prefix | sort)
[ "$(printf '%s\n' "$p64" | sort -u | grep -cE '^2001:db8:1:([0-9a-f]{1,4}:)?:/64$')" = "$N" ] ||
	it_fail "expected $N distinct /64s of LINKS, got: $(printf '%s' "$p64" | tr '\n' ' ')"
[ "$(printf '%s\n' "$pd" | sort -u | grep -cE '^2001:db8:1[0-9a-f]{2}:([0-9a-f]{1,2}00:)?:/56$')" = "$N" ] ||
	it_fail "expected $N distinct /56s of PD, got: $(printf '%s' "$pd" | tr '\n' ' ')"
na=$(lac_v6 address | sort)
[ "$(printf '%s\n' "$na" | sort -u | grep -cE '^2001:db8:ff::[0-9a-f]{1,4}$')" = "$N" ] ||
	it_fail "expected $N distinct addresses of NA, got: $(printf '%s' "$na" | tr '\n' ' ')"
# Rapid Commit (RFC 8415 §18.3.1): each bound by its Solicit's Reply
[ "$(lac_v6 bindings_rapid_commit | grep -c '^1$')" = "$N" ] ||
	it_fail "not $N subscribers bound by rapid commit: $(lac_v6 bindings_rapid_commit | sort | uniq -c | tr '\n' ' ')"

# the LNS binds exactly what the LAC holds, and advertises the /64s the LAC learnt
lns_pd=$(it_json lns show ipv6 dhcp binding | jq -r '.bindings[].prefix' | sort)
[ "$lns_pd" = "$pd" ] || it_fail "LNS bindings and LAC prefixes differ: $(diff <(echo "$lns_pd") <(echo "$pd") | head -5 | tr '\n' ' ')"
[ "$(it_json lns show ipv6 dhcp binding | jq -r '.count')" = "$N" ] || it_fail "LNS binding count is not $N"
lns_na=$(it_json lns show ipv6 dhcp binding | jq -r '.bindings[].ia_na.address' | sort)
[ "$lns_na" = "$na" ] || it_fail "LNS address bindings and LAC addresses differ: $(diff <(echo "$lns_na") <(echo "$na") | head -5 | tr '\n' ' ')"
lns_64=$(it_json lns show l2tp session detail | jq -r "$IT_JQ_ROWS | .ipv6.prefix" | sort)
[ "$lns_64" = "$p64" ] || it_fail "LNS /64s and LAC /64s differ: $(diff <(echo "$lns_64") <(echo "$p64") | head -5 | tr '\n' ' ')"
pool_in_use() {
	it_json lns show ipv6 local pool | jq -r --arg p "$1" '.pools[] | select(.name == $p) | .in_use'
}
[ "$(pool_in_use LINKS)" = "$N" ] || it_fail "LINKS in use $(pool_in_use LINKS), not $N"
[ "$(pool_in_use PD)" = "$N" ] || it_fail "PD in use $(pool_in_use PD), not $N"
[ "$(pool_in_use NA)" = "$N" ] || it_fail "NA in use $(pool_in_use NA), not $N"

# clearing the calls frees every prefix
for id in $(it_tunnel_ids lac); do
	it_ctl lac clear l2tp tunnel id "$id" >/dev/null || true
done
it_wait 30 it_sessions_eq lns 0 || it_fail "sessions left on the LNS: $(it_sessions lns)"
[ "$(pool_in_use LINKS)" = 0 ] || it_fail "LINKS: $(pool_in_use LINKS) /64s still in use after teardown"
[ "$(pool_in_use PD)" = 0 ] || it_fail "PD: $(pool_in_use PD) /56s still in use after teardown"
[ "$(pool_in_use NA)" = 0 ] || it_fail "NA: $(pool_in_use NA) addresses still in use after teardown"
[ "$(it_json lns show ipv6 dhcp binding | jq -r '.count')" = 0 ] || it_fail "bindings left after teardown"
it_check_healthy lns
it_check_healthy lac
it_stop lac
it_stop lns
it_log "$N subscribers: distinct /64, /56 and address each by rapid commit, the LNS's bindings agree, pools returned"
it_pass
