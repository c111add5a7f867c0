#!/bin/bash
# A subscriber's IPv6 from FreeRADIUS (radius_lib.sh): user v6fixed's
# Access-Accept carries Framed-IPv6-Prefix (RFC 3162), Delegated-IPv6-Prefix
# (RFC 4818) and Framed-IPv6-Address (RFC 6911); user v6pool's names pools
# instead: Framed-IPv6-Pool, Delegated-IPv6-Prefix-Pool and
# Stateful-IPv6-Address-Pool.  Our LAC's test subscribers (`l2tp subscriber
# ipv6`, `... address`) must learn exactly RADIUS's prefixes and address
# (v6fixed, the template's pools untouched) or ones of the named pools
# (v6pool); the Accounting-Stop of each session must carry the /64, the
# delegated prefix and the address it had.  v6fixed's Framed-IPv6-Route
# (RFC 3162 §2.5): the good one recorded on the LNS's session (via the
# subscriber's link-local address, its metric; not installed: the null data
# path has no pppN), the malformed one (bits past its length) refused and
# counted, the session kept.
# shellcheck disable=SC2016 # $x in single quotes are jq's
set -euo pipefail
. "$(dirname "$0")/radius_lib.sh"
it_init radius_ipv6
rad_init
it_require_l2tpd
it_two_hosts

RAD_USERS_EXTRA='v6fixed	Cleartext-Password := "v6pw"
 	Framed-IPv6-Prefix = 2001:db8:aaaa:1::/64,
 	Delegated-IPv6-Prefix = 2001:db8:bbbb::/48,
 	Framed-IPv6-Address = 2001:db8:eeee::9,
 	Framed-IPv6-Route += "2001:db8:cccc::/48 :: 5",
 	Framed-IPv6-Route += "2001:db8:dd::1/48"

v6pool	Cleartext-Password := "v6pw"
 	Framed-IPv6-Pool = "GOLD64",
 	Delegated-IPv6-Prefix-Pool = "GOLDPD",
 	Stateful-IPv6-Address-Pool = "GOLDNA"'
rad_start r1 "$NS_LNS" 127.0.0.1 1812 1813
it_l2tpd lns "$NS_LNS" "$(it_conf_lns lns1 s3cret "" 1)
$(rad_conf_servers r1)
$(rad_conf_aaa "group radius")
ipv6 local pool LINKS 2001:db8:1::/48 64
ipv6 local pool PD 2001:db8:100::/40 56
ipv6 local pool NA 2001:db8:ff::/112 128
ipv6 local pool GOLD64 2001:db8:2::/48 64
ipv6 local pool GOLDPD 2001:db8:200::/40 52
ipv6 local pool GOLDNA 2001:db8:fe::/112 128
$(it_conf_template 10.200.255.254 chap " ipv6 enable
 peer default ipv6 pool LINKS
 ipv6 dhcp server prefix-delegation pool PD
 ipv6 dhcp server address pool NA")"
rad_require_radius lns
it_l2tpd lac "$NS_LAC" "$(it_conf_lac lac1 s3cret "$IT_LNS_ADDR" " l2tp subscriber ipv6
 l2tp subscriber ipv6 address")"

rad_dial lac v6fixed v6pw || it_fail "v6fixed: dial failed"
rad_dial lac v6pool v6pw || it_fail "v6pool: dial failed"
it_wait 15 rad_user_up lns v6fixed || it_fail "v6fixed not up"
it_wait 15 rad_user_up lns v6pool || it_fail "v6pool not up"

# lac_v6 USER: "PREFIX DELEGATED ADDRESS STATE" the LAC's subscriber of
# USER learnt (the LAC shows no user: the LNS's session of USER names the
# LAC's session by its peer's id)
lac_v6() {
	local sid
	sid=$(rad_sess lns "$1" remote_session_id)
	[ -n "$sid" ] || return 0
	it_json lac show l2tp session detail | jq -r --arg sid "$sid" \
		"$IT_JQ_ROWS | select((.local_session_id | tostring) == \$sid) | .ipv6_subscriber // {} |
		\"\(.prefix // \"-\") \(.delegated_prefix // \"-\") \(.address // \"-\") \(.dhcp_state // \"-\")\""
}
# shellcheck disable=SC2317 # called through it_wait
bound() {
	local v
	v=$(lac_v6 "$1")
	case $v in *" - "* | "- "* | *" -" | "") return 1 ;; esac
	[ "${v##* }" = bound ]
}
it_wait 30 bound v6fixed || it_fail "v6fixed: not bound: '$(lac_v6 v6fixed)'"
it_wait 30 bound v6pool || it_fail "v6pool: not bound: '$(lac_v6 v6pool)'"

read -r p64 pd na _ <<<"$(lac_v6 v6fixed)"
[ "$p64 $pd $na" = "2001:db8:aaaa:1::/64 2001:db8:bbbb::/48 2001:db8:eeee::9" ] ||
	it_fail "v6fixed learnt '$p64 $pd $na', not RADIUS's 2001:db8:aaaa:1::/64 2001:db8:bbbb::/48 2001:db8:eeee::9"
read -r q64 qd qa _ <<<"$(lac_v6 v6pool)"
case "$q64 $qd $qa" in
"2001:db8:2:"*"/64 2001:db8:2"[0-9a-f][0-9a-f]:*"/52 2001:db8:fe::"*) ;;
*) it_fail "v6pool learnt '$q64 $qd $qa', not prefixes and an address of GOLD64, GOLDPD, GOLDNA" ;;
esac
pool_in_use() {
	it_json lns show ipv6 local pool | jq -r --arg p "$1" '.pools[] | select(.name == $p) | .in_use'
}
for p in LINKS:0 PD:0 NA:0 GOLD64:1 GOLDPD:1 GOLDNA:1; do
	[ "$(pool_in_use "${p%:*}")" = "${p#*:}" ] ||
		it_fail "pool ${p%:*}: $(pool_in_use "${p%:*}") in use, not ${p#*:} (RADIUS's prefixes bypass the pools, its pools are used)"
done
it_say "v6fixed: $p64 $pd $na (RADIUS's); v6pool: $q64 $qd $qa (RADIUS's pools)"
routes=$(rad_sess_detail lns | jq -r '[.[] | select(.user == "v6fixed")] | first | .ipv6.framed_routes //
	[] | map("\(.prefix) \(.gateway | startswith("fe80::")) \(.metric) \(.installed)") | join(",")')
[ "$routes" = "2001:db8:cccc::/48 true 5 false" ] ||
	it_fail "v6fixed's Framed-IPv6-Routes: '$routes', not the good one via its link-local address"
[ "$(it_num lns .attr_refused show aaa statistics)" = 1 ] ||
	it_fail "the malformed Framed-IPv6-Route not refused once: $(it_num lns .attr_refused show aaa statistics)"

idf=$(rad_acct_id lns v6fixed)
idp=$(rad_acct_id lns v6pool)
for id in $(it_tunnel_ids lac); do
	it_ctl lac clear l2tp tunnel id "$id" >/dev/null || true
done
it_wait 15 rad_acct_count_ge r1 Stop 1 "$idf" || it_fail "no Accounting-Stop for v6fixed ($idf)"
it_wait 15 rad_acct_count_ge r1 Stop 1 "$idp" || it_fail "no Accounting-Stop for v6pool ($idp)"
# stop_v6 ID: "FRAMED DELEGATED ADDRESS" of the session's Stop record
stop_v6() {
	rad_acct r1 '[.[] | select(.["Acct-Session-Id"] == $id and .["Acct-Status-Type"] == "Stop")] | first |
		"\(.["Framed-IPv6-Prefix"] // "-") \(.["Delegated-IPv6-Prefix"] // "-") \(.["Framed-IPv6-Address"] // "-")"' \
		-r --arg id "$1"
}
[ "$(stop_v6 "$idf")" = "$p64 $pd $na" ] ||
	it_fail "v6fixed's Accounting-Stop carries '$(stop_v6 "$idf")', not '$p64 $pd $na'"
[ "$(stop_v6 "$idp")" = "$q64 $qd $qa" ] ||
	it_fail "v6pool's Accounting-Stop carries '$(stop_v6 "$idp")', not '$q64 $qd $qa'"
it_wait 15 it_sessions_eq lns 0 || it_fail "sessions left on the LNS: $(it_sessions lns)"
for p in GOLD64 GOLDPD GOLDNA; do
	[ "$(pool_in_use $p)" = 0 ] || it_fail "pool $p: $(pool_in_use $p) still in use after teardown"
done
it_check_healthy lns
it_check_healthy lac
it_log "RADIUS's IPv6 prefixes, address and pools honoured, and in Accounting-Stop"
it_pass
