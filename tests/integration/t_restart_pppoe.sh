#!/bin/bash
# The hitless restart of our LAC with PPPoE subscribers relayed into its
# calls (null data path).  Namespaces: sub (tests/integration/pppoe_sub.py
# on a raw socket) - veth - lac (our LAC, restarted) - veth - lns (our LNS).
#  - while a subscriber is terminated on the LAC itself, `l2tpctl restart`
#    is refused with the reason (its PPP is not handed over), the PID stays;
#  - N subscribers up through the LAC send an LCP Echo-Request every 0.2 s;
#    `l2tpctl restart`, then `restart binary COPY` (an upgrade: another
#    file): the PID changes each time, the new process shows the N PPPoE
#    sessions relaying with the same IDs and MACs, says it took them over;
#  - the subscribers got no PADT, no LCP Terminate, no LCP renegotiation,
#    never dialled again, and every one has its echoes answered after the
#    restarts (the longest gap between two answered echoes is printed);
#  - the LNS received no CDN and no StopCCN, its N subscribers stay up;
#  - a new subscriber dials through the restarted LAC (discovery answered
#    on the access port handed over).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/pppoe_lib.sh"
it_init restart_pppoe
it_require_l2tpd
it_require_cmd jq ip python3
N=${L2T_RESTART_PPPOE_N:-20}
SUB=$PPPOE_SUB

pppoe_interop_setup
lns_conf() {
	it_conf_head lns1
	for ((i = 1; i <= N + 1; i++)); do
		printf 'username sub%d@isp.example password pw%d\n' "$i" "$i"
	done
	it_conf_template 10.200.255.254 "pap chap" "" 10.200.3.254
	it_conf_dialin 1 "$(it_conf_tunnel lns1 s3cret)"
}
lac_conf() {
	pppoe_interop_lac_conf
	cat <<-EOF
	username loc1@home.example password lpw1
	ip local pool LOCAL 10.99.0.1 10.99.0.50
	interface Virtual-Template1
	 ip address 10.99.255.254 255.255.255.255
	 peer default ip address pool LOCAL
	EOF
}
it_l2tpd lns "$NS_LNS" "$(lns_conf)"
it_l2tpd lac "$NS_LAC" "$(lac_conf)"
it_ctl lns debug l2tp packet >/dev/null || it_fail "debug l2tp packet refused"

sub() { ip netns exec "$NS_SUB" python3 "$SUB" "$@"; }
pppoe_json() { it_json lac show pppoe summary; }
# shellcheck disable=SC2317 # called through it_wait
pppoe_total_is() { [ "$(pppoe_json | jq .total_sessions)" = "$1" ]; }
# shellcheck disable=SC2317 # called through it_wait
local_up() { [ "$(it_num lac .local_up show pppoe statistics)" = 1 ]; }
# shellcheck disable=SC2317 # called through it_wait
gone() { ! kill -0 "$1" 2>/dev/null || grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null; }

# restart_lac [binary PATH]: the PID changes, the old one exits, the new
# one answers and holds the N sessions.
restart_lac() {
	local old=${IT_DPID[lac]} new out t0
	t0=$(it_now)
	out=$(it_ctl lac restart "$@" 2>&1) || it_fail "restart $*: $out"
	new=$(printf '%s\n' "$out" | sed -n 's/.*PID [0-9]* -> \([0-9]*\),.*/\1/p')
	if [ -z "$new" ] || [ "$new" = "$old" ]; then it_fail "restart $*: the PID did not change: $out"; fi
	it_wait 10 gone "$old" || it_fail "the old LAC $old did not exit"
	wait "$old" 2>/dev/null || true
	kill -0 "$new" 2>/dev/null || it_fail "the new LAC $new does not run"
	IT_DPID[lac]=$new
	it_ctl_ready lac || it_fail "the new LAC does not answer"
	it_log "restart $*: $out ($(it_elapsed "$t0") s)"
	[ "$(pppoe_json | jq .total_sessions)" = "$N" ] || it_fail "restart $*: the new LAC shows $(pppoe_json | jq -c .)"
	grep -q "restart: took over $N PPPoE sessions relayed into calls (0 not rebuilt" "$IT_DIR/lac.log" ||
		it_fail "restart $*: no 'took over $N PPPoE sessions' in the log"
}

# 1. a subscriber terminated here: refused, the PID stays
sub acc0 1 --user 'loc{n}@home.example' --password 'lpw{n}' --mac-base 8000 --hold 4 --padt \
	>"$IT_DIR/local.json" 2>&1 &
loc_pid=$!
it_wait 10 local_up || it_fail "the local subscriber is not up"
pid=${IT_DPID[lac]}
if out=$(it_ctl lac restart 2>&1); then
	it_fail "restart with a local PPPoE subscriber succeeded: $out"
fi
grep -q "terminated here" <<<"$out" || it_fail "restart refused without the reason: $out"
if [ "${IT_DPID[lac]}" != "$pid" ] || ! kill -0 "$pid"; then it_fail "the LAC died on a refused restart"; fi
wait "$loc_pid" || it_fail "local subscriber: generator failed: $(cat "$IT_DIR/local.json")"
it_wait 10 pppoe_total_is 0 || it_fail "the local subscriber's PADT: $(pppoe_json | jq -c .)"

# 2. N subscribers through the LAC, echoes every 0.2 s until the hold file
hold=$IT_DIR/restart.done
sub acc0 "$N" --user 'sub{n}@isp.example' --password 'pw{n}' --auth pap --hold 60 \
	--echo-every 0.2 --hold-file "$hold" >"$IT_DIR/subs.json" 2>"$IT_DIR/subs.err" &
subs_pid=$!
it_wait 60 it_ppp_up_eq lns "$N" || it_fail "$(it_ppp_up lns) of $N subscribers up on the LNS"
sleep 1
cdn0=$(grep -c 'recv CDN\|recv StopCCN' "$IT_DIR/lns.log" || true)
it_json lac show pppoe session >"$IT_DIR/before.json"

# 3. restart, then an upgrade binary
restart_lac
sleep 1
cp "$L2TPD" "$IT_DIR/l2tpd-next"
restart_lac binary "$IT_DIR/l2tpd-next"
sleep 2	# echoes answered through the new process
touch "$hold"
wait "$subs_pid" || it_fail "subscribers: generator failed: $(cat "$IT_DIR/subs.err")"

r() { jq -r "$1" "$IT_DIR/subs.json"; }
it_say "subscribers: $(jq -c 'del(.sessions, .addresses, .states)' "$IT_DIR/subs.json")"
[ "$(r .up)" = "$N" ] || it_fail "$(r .up) of $N subscribers up: $(r .states)"
[ "$(r .padt_rx)" = 0 ] || it_fail "$(r .padt_rx) subscribers got a PADT"
[ "$(r .term_rx)" = 0 ] || it_fail "subscribers got $(r .term_rx) LCP Terminate-Requests"
[ "$(r .lcp_after_auth)" = 0 ] || it_fail "subscribers saw $(r .lcp_after_auth) LCP Configure-Requests after authentication"
[ "$(r .disc_tx_after_up)" = 0 ] || it_fail "subscribers dialled again $(r .disc_tx_after_up) times"
[ "$(r .echo_end_ok)" = "$N" ] || it_fail "after the restarts, $(r .echo_end_ok) of $N echoes answered"
it_json lac show pppoe session >"$IT_DIR/after.json"
[ "$(jq -c '[.sessions[] | [.mac, .session_id, .l2tp_tunnel_id, .l2tp_session_id]] | sort' "$IT_DIR/after.json")" = \
	"$(jq -c '[.sessions[] | [.mac, .session_id, .l2tp_tunnel_id, .l2tp_session_id]] | sort' "$IT_DIR/before.json")" ] ||
	it_fail "the PPPoE sessions or their calls changed across the restarts"
[ "$(jq '[.sessions[] | select(.ppp_state == "relaying")] | length' "$IT_DIR/after.json")" = "$N" ] ||
	it_fail "not $N sessions relaying after the restarts"
cdn1=$(grep -c 'recv CDN\|recv StopCCN' "$IT_DIR/lns.log" || true)
[ "$cdn1" = "$cdn0" ] || it_fail "the LNS received $((cdn1 - cdn0)) CDN/StopCCN: $(grep 'recv CDN\|recv StopCCN' "$IT_DIR/lns.log" | head -n 3)"
[ "$(it_ppp_up lns)" = "$N" ] || it_fail "the LNS has $(it_ppp_up lns) subscribers up, not $N"

# 4. discovery on the port handed over: a new subscriber
sub acc0 1 --user "sub$((N + 1))@isp.example" --password "pw$((N + 1))" --auth pap \
	--mac-base 50000 --deadline 20 >"$IT_DIR/new.json" || it_fail "new subscriber: generator failed"
[ "$(jq .up "$IT_DIR/new.json")" = 1 ] || it_fail "no new subscriber after the restarts: $(jq -c 'del(.sessions)' "$IT_DIR/new.json")"
it_say "restart with $N PPPoE subscribers: echo gap p50 $(r .echo_gap_ms_p50) ms, max $(r .echo_gap_ms_max) ms, $(r .echo_lost) echoes unanswered"
it_sanitizer_clean lac || it_fail "the LAC log has a sanitizer report"
# the LAC is no child of this shell any more: stopped by hand
kill -TERM "${IT_DPID[lac]}"
it_wait 30 gone "${IT_DPID[lac]}" || it_fail "the LAC did not stop"
unset "IT_DPID[lac]"
it_stop lns
it_pass
