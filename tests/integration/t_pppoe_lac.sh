#!/bin/bash
# PPPoE subscribers through our LAC to our LNS, on the null data path (the
# daemons relay every frame in user space).  Namespaces: sub (the
# subscribers: tests/integration/pppoe_sub.py on a raw socket) - veth -
# lac (our LAC: bba-group, vpdn-group with `domain isp.example`) - veth -
# lns (our LNS: local users, pool SUBS).
#  - N subscribers user@isp.example: discovery, LCP and PAP (or CHAP) with
#    the LAC, then the call to the LNS with proxy LCP and authentication:
#    each authenticated once by the LNS from the proxy (no LCP
#    Configure-Request reaches a subscriber after authentication began, the
#    LNS sends none), each with an address from the LNS's pool, an LCP echo
#    relayed both ways and answered by the LNS; `show pppoe session` shows
#    each with its L2TP tunnel and session;
#  - the proxy AVPs, the Calling Number (the MAC) on the wire;
#  - a user of a domain with no vpdn-group is terminated on the LAC (its
#    address from the LAC's Virtual-Template pool); one whose template has
#    no address source is refused with a log line;
#  - subscribers that never finish LCP are cleared (PADT) after the
#    bba-group's `lcp timeout`, counted; the established ones untouched;
#  - a CDN from the LNS ends the PPPoE session (PADT); the subscribers'
#    PADTs clear their calls (CDN with the RFC 3145 cause).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/pppoe_lib.sh"
it_init pppoe_lac
it_require_l2tpd
it_require_cmd jq ip python3
SUB=$PPPOE_SUB
GEN=$(dirname "$0")/pppoe_gen.py
N=${L2T_PPPOE_LAC_N:-200}
STALL=5

pppoe_interop_setup

lns_conf() {
	it_conf_head lns1
	for ((i = 1; i <= N; i++)); do
		printf 'username sub%d@isp.example password pw%d\n' "$i" "$i"
	done
	it_conf_template 10.200.255.254 "pap chap" "" 10.200.3.254
	it_conf_dialin 1 "$(it_conf_tunnel lns1 s3cret)"
}
lac_conf() {
	it_conf_head lac1
	printf 'vpdn-group LAC\n request-dialin\n  protocol l2tp\n  domain isp.example\n'
	printf ' initiate-to ip %s\n%s\n' "$IT_LNS_ADDR" "$(it_conf_tunnel lac1 s3cret)"
	cat <<-EOF
	username loc1@home.example password lpw1
	ip local pool LOCAL 10.99.0.1 10.99.0.50
	interface Virtual-Template1
	 ip address 10.99.255.254 255.255.255.255
	 peer default ip address pool LOCAL
	 ppp authentication pap chap
	interface Virtual-Template2
	 ppp authentication pap
	bba-group pppoe global
	 virtual-template 1
	 ac name BRAS1
	 lcp timeout 3
	bba-group pppoe nopool
	 virtual-template 2
	interface acc0
	 pppoe enable group global
	interface acc0.200
	 encapsulation dot1Q 200
	 pppoe enable group nopool
	pppoe rate-limit padi total 4000
	EOF
}

it_l2tpd lns "$NS_LNS" "$(lns_conf)"
it_l2tpd lac "$NS_LAC" "$(lac_conf)"
it_ctl lns debug l2tp packet >/dev/null || it_fail "debug l2tp packet refused"

sub() { ip netns exec "$NS_SUB" python3 "$SUB" "$@"; }
gen() { ip netns exec "$NS_SUB" python3 "$GEN" "$@"; }
pstat() { it_num lac "$1" show pppoe statistics; }
lcp_conf_reqs() { it_num "$1" .ppp_links.lcp.tx_conf_req show l2tp statistics; }
pppoe_total() { it_num lac .total_sessions show pppoe summary; }
# shellcheck disable=SC2317 # called through it_wait
pppoe_total_is() { [ "$(pppoe_total)" = "$1" ]; }
# shellcheck disable=SC2317 # called through it_wait
lns_sessions_is() { [ "$(it_json lns show l2tp session | jq "[$IT_JQ_ROWS] | length")" = "$1" ]; }

# 1. N subscribers, PAP, through the LAC; they hold (answering echoes)
# while the bad ones come and go
sub acc0 "$N" --user 'sub{n}@isp.example' --password 'pw{n}' --auth pap --hold 8 \
	>"$IT_DIR/subs.json" 2>"$IT_DIR/subs.err" &
subs_pid=$!
it_wait 90 it_ppp_up_eq lns "$N" || it_fail "$(it_ppp_up lns) of $N subscribers up on the LNS"

# 2. subscribers that never finish LCP (discovery only), during the hold
gen dial acc0 "$STALL" --mac-base 9000 >"$IT_DIR/stall.json" || it_fail "stalled subscribers: no discovery"
[ "$(jq '.sessions | length' "$IT_DIR/stall.json")" = "$STALL" ] || it_fail "stalled subscribers without a session"
it_wait 10 pppoe_total_is "$N" || it_fail "LCP unfinished: $(pppoe_total) PPPoE sessions, not $N"
[ "$(pstat .ppp_lcp_timeouts)" = "$STALL" ] || it_fail "ppp_lcp_timeouts $(pstat .ppp_lcp_timeouts), not $STALL"

# 3. a domain with no vpdn-group: terminated here; and refused on a template without a pool
sub acc0 1 --user 'loc{n}@home.example' --password 'lpw{n}' --mac-base 8000 >"$IT_DIR/local.json" ||
	it_fail "local subscriber: generator failed"
[ "$(jq -r '.up, .addresses[0]' "$IT_DIR/local.json" | tr '\n' ' ')" = "1 10.99.0.1 " ] ||
	it_fail "local termination: $(jq -c 'del(.sessions)' "$IT_DIR/local.json")"
[ "$(pstat .local_up)" = 1 ] || it_fail "local_up $(pstat .local_up)"
it_json lac show pppoe session mac 02:5e:00:00:1f:40 >"$IT_DIR/local_show.json" || it_fail "show pppoe session mac failed"
jq -e '.sessions[0] | select(.ppp_state == "local-up" and .peer_address == "10.99.0.1" and .l2tp_tunnel_id == 0)' \
	"$IT_DIR/local_show.json" >/dev/null || it_fail "show pppoe session: the local subscriber: $(cat "$IT_DIR/local_show.json")"
wait "$subs_pid" || it_fail "subscribers: generator failed: $(cat "$IT_DIR/subs.err")"
it_say "subscribers: $(jq -c 'del(.sessions, .addresses, .sids_seen)' "$IT_DIR/subs.json")"

# every subscriber up once, with a distinct address of the LNS's pool, echo both ways
r() { jq -r "$1" "$IT_DIR/subs.json"; }
[ "$(r .up)" = "$N" ] || it_fail "$(r .up) of $N subscribers up: $(r .states)"
[ "$(r '.addresses | unique | length')" = "$N" ] || it_fail "addresses not distinct"
[ "$(r '[.addresses[] | select(startswith("10.200."))] | length')" = "$N" ] ||
	it_fail "addresses not from the LNS's pool"
[ "$(r .echo_ok)" = "$N" ] || it_fail "$(r .echo_ok) of $N echoes answered"
[ "$(r .echo_end_ok)" = "$N" ] || it_fail "after the bad subscribers, $(r .echo_end_ok) of $N echoes answered"
[ "$(r .padt_rx)" = 0 ] || it_fail "$(r .padt_rx) established subscribers got a PADT"
# authenticated once, from the proxy: no second LCP negotiation
[ "$(r .lcp_after_auth)" = 0 ] || it_fail "subscribers saw $(r .lcp_after_auth) LCP Configure-Requests after authentication"
[ "$(lcp_conf_reqs lns)" = 0 ] || it_fail "the LNS sent $(lcp_conf_reqs lns) LCP Configure-Requests"
[ "$(it_stat lns .proxy_accepted)" = "$N" ] || it_fail "LNS proxy_accepted $(it_stat lns .proxy_accepted)"
[ "$(it_stat lns .ppp_auth_ok)" = "$N" ] || it_fail "LNS ppp_auth_ok $(it_stat lns .ppp_auth_ok)"
for avp in "Initial Received LCP CONFREQ=" "Last Sent LCP CONFREQ=" "Last Received LCP CONFREQ=" \
	"Proxy Authen Type=3" 'Proxy Authen Name="sub1@isp.example"' "Proxy Authen Response="; do
	grep -q "recv ICCN.*$avp" "$IT_DIR/lns.log" || it_fail "no ICCN with $avp in the LNS's packet log"
done
grep -q 'recv ICRQ.*Calling Number="02:5e:00:00:00:01"' "$IT_DIR/lns.log" ||
	it_fail "no ICRQ with the subscriber's MAC as Calling Number"
# relayed both ways, counted
[ "$(pstat .relayed_to_lns)" -ge $((2 * N)) ] || it_fail "relayed_to_lns $(pstat .relayed_to_lns)"
[ "$(pstat .relayed_to_subscriber)" -ge $((2 * N)) ] || it_fail "relayed_to_subscriber $(pstat .relayed_to_subscriber)"
# show pppoe session: each with its call
rows=$(it_json lac show pppoe session interface acc0)
[ "$(printf '%s' "$rows" | jq '[.sessions[] | select(.ppp_state == "relaying" and .l2tp_tunnel_id > 0 and .l2tp_session_id > 0)] | length')" = "$N" ] ||
	it_fail "show pppoe session: not $N relaying sessions with their L2TP IDs"

# 4. no address source: refused with a clear log line
# (the generator writes the 802.1Q tag itself: no VLAN device needed)
sub acc0 1 --vlan 200 --user 'loc{n}@home.example' --password 'lpw{n}' --mac-base 8100 --deadline 6 \
	>"$IT_DIR/nopool.json" || it_fail "no-pool subscriber: generator failed"
[ "$(jq '.up, .auth_failed' "$IT_DIR/nopool.json" | tr '\n' ' ')" = "0 1 " ] ||
	it_fail "a template without a pool: $(jq -c . "$IT_DIR/nopool.json")"
grep -q "no address source" "$IT_DIR/lac.log" || it_fail "no log line for the template without a pool"
[ "$(pstat .local_refused)" = 1 ] || it_fail "local_refused $(pstat .local_refused)"

# 5. a CDN from the LNS: the subscriber's PPPoE session ends (PADT)
read -r tid sid < <(it_json lns show l2tp session | jq -r "[$IT_JQ_ROWS][0] | \"\(.tunnel_id) \(.local_session_id)\"")
it_ctl lns clear l2tp session tunnel "$tid" id "$sid" >/dev/null || it_fail "clear l2tp session $tid/$sid refused"
it_wait 10 pppoe_total_is "$N" || it_fail "after a CDN: $(pppoe_total) PPPoE sessions, not $N"
[ "$(pstat .lac_cleared_by_call)" = 1 ] || it_fail "lac_cleared_by_call $(pstat .lac_cleared_by_call)"

# 6. the subscribers' PADTs clear their calls, with the RFC 3145 cause
gen padt acc0 "$IT_DIR/subs.json" >/dev/null
it_wait 20 lns_sessions_is 0 || it_fail "after the PADTs the LNS still has sessions"
it_wait 10 pppoe_total_is 1 || it_fail "after the PADTs: $(pppoe_total) PPPoE sessions, not 1 (the local one)"
grep -q "recv CDN.*PPP Disconnect Cause Code" "$IT_DIR/lns.log" || it_fail "no CDN with the RFC 3145 cause"
it_stop lac
it_stop lns
it_pass
