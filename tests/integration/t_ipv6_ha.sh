#!/bin/bash
# IPv6 subscribers across a failover (ha_lib.sh): an active/standby LNS
# pair (keepalived) with IPv6 pools of /64s, /56s and /128s, our LAC with N
# test subscribers under `l2tp subscriber ipv6` and `... address`.  Once
# each holds a /64, a delegated /56 and an address (IA_NA) and the standby
# is in sync, the active box dies; after the takeover the LAC's DHCPv6
# clients renew (`test ipv6 dhcp renew`, not waiting for T1) and each must
# be answered by the new active with the very prefix and address it held,
# which the new active's bindings must show; its pools hold exactly the
# prefixes and addresses in use, none twice.
set -euo pipefail
. "$(dirname "$0")/ha_lib.sh"
ha_init ipv6_ha
it_require_l2tpd
N=10

ha_topology

box_conf() {
	ha_conf_lns "$1" | awk '{ print } /^  protocol l2tp$/ { print "  virtual-template 1" }'
	echo "username alice password wonderland"
	echo "ipv6 local pool LINKS 2001:db8:1::/48 64"
	echo "ipv6 local pool PD 2001:db8:100::/40 56"
	echo "ipv6 local pool NA 2001:db8:ff::/112 128"
	it_conf_template 10.200.255.254 chap " ipv6 enable
 peer default ipv6 pool LINKS
 ipv6 dhcp server prefix-delegation pool PD
 ipv6 dhcp server address pool NA"
}

ha_keys
ha_box_start a "$(box_conf a)"
it_wait 10 ha_is_active_on_vip a || ha_fail "box a not active on the VIP: $(it_ha_summary a)"
ha_start_standby b "$(box_conf b)"
ha_lac_up " l2tp subscriber ipv6
 l2tp subscriber ipv6 address"

it_ctl lac test vpdn dial vpdn-group LAC sessions "$N" username alice password wonderland \
	>"$IT_DIR/dial.out" 2>&1 || it_fail "dial failed: $(head -c 300 "$IT_DIR/dial.out")"

# lac_v6: "LAC-session /64 /56 state renews address", one a line
lac_v6() {
	it_json lac show l2tp session detail |
		jq -r "$IT_JQ_ROWS | \"\(.local_session_id) \(.ipv6_subscriber.prefix // \"-\") \(.ipv6_subscriber.delegated_prefix // \"-\") \(.ipv6_subscriber.dhcp_state // \"-\") \(.ipv6_subscriber.renews // 0) \(.ipv6_subscriber.address // \"-\")\""
}
# shellcheck disable=SC2317 # called through it_wait
all_bound() {
	[ "$(lac_v6 | awk '$2 != "-" && $4 == "bound" && $6 != "-"' | wc -l)" = "$N" ]
}
it_wait 30 all_bound || it_fail "$(lac_v6 | awk '$4 == "bound"' | wc -l) of $N subscribers bound"
ha_wait_synced a b 1 "$N" 30
before=$(lac_v6 | awk '{ print $1, $2, $3, $6 }' | sort)
[ "$(printf '%s\n' "$before" | awk '{ print $3 }' | sort -u | grep -c /56)" = "$N" ] ||
	it_fail "not $N distinct /56s before the failover: $before"
[ "$(printf '%s\n' "$before" | awk '{ print $4 }' | sort -u | grep -c '^2001:db8:ff::')" = "$N" ] ||
	it_fail "not $N distinct addresses of NA before the failover: $before"

ha_peer_block_from_vip
ha_kill_box a
it_wait 15 ha_is_active_on_vip b || ha_fail "b not active on the VIP after a died: $(it_ha_summary b)"
ha_peer_unblock
it_wait 60 it_ha_resync_done b 0 0 1 || ha_fail "b did not resync: $(it_ha_summary b)"
it_wait 10 it_ppp_up_eq b "$N" || ha_fail "$(it_ppp_up b) of $N sessions up on b after the takeover"

pool_in_use() {
	it_json b show ipv6 local pool | jq -r --arg p "$1" '.pools[] | select(.name == $p) | .in_use'
}
[ "$(pool_in_use LINKS)" = "$N" ] || it_fail "b: LINKS in use $(pool_in_use LINKS), not $N"
[ "$(pool_in_use PD)" = "$N" ] || it_fail "b: PD in use $(pool_in_use PD), not $N"
[ "$(pool_in_use NA)" = "$N" ] || it_fail "b: NA in use $(pool_in_use NA), not $N"

it_ctl lac test ipv6 dhcp renew >"$IT_DIR/renew.out" || it_fail "test ipv6 dhcp renew failed"
grep -q "^$N DHCPv6 clients renewing" "$IT_DIR/renew.out" || it_fail "renewing: $(cat "$IT_DIR/renew.out")"
# shellcheck disable=SC2317 # called through it_wait
all_renewed() {
	[ "$(lac_v6 | awk '$4 == "bound" && $5 >= 1' | wc -l)" = "$N" ]
}
it_wait 20 all_renewed || it_fail "$(lac_v6 | awk '$4 == "bound" && $5 >= 1' | wc -l) of $N renewed with b: $(lac_v6 | tr '\n' ';')"
after=$(lac_v6 | awk '{ print $1, $2, $3, $6 }' | sort)
[ "$after" = "$before" ] || it_fail "prefixes or addresses changed across the failover: $(diff <(echo "$before") <(echo "$after") | head -6 | tr '\n' ' ')"
b_pd=$(it_json b show ipv6 dhcp binding | jq -r '.bindings[].prefix' | sort)
[ "$b_pd" = "$(printf '%s\n' "$after" | awk '{ print $3 }' | sort)" ] ||
	it_fail "b's bindings differ from the LAC's prefixes: $b_pd"
b_na=$(it_json b show ipv6 dhcp binding | jq -r '.bindings[].ia_na.address' | sort)
[ "$b_na" = "$(printf '%s\n' "$after" | awk '{ print $4 }' | sort)" ] ||
	it_fail "b's address bindings differ from the LAC's addresses: $b_na"
it_check_healthy b
it_check_healthy lac
it_log "$N subscribers renewed their /56 and address with the new active, unchanged"
it_pass
