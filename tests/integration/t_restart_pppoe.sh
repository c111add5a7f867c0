#!/bin/bash
# The hitless restart of our LAC with PPPoE subscribers relayed into its
# calls and subscribers terminated on the LAC itself (null data path).
# Namespaces: sub (tests/integration/pppoe_sub.py on a raw socket) - veth -
# lac (our LAC, restarted) - veth - lns (our LNS).
#  - N subscribers relayed through the LAC and M terminated on it (their
#    PPP runs in the LAC, addresses from its pool) send an LCP
#    Echo-Request every 0.2 s;
#  - `restart binary OLD`, a binary whose HELLO says no checkpoint schema
#    (schema 4: it knows no PPPoE sessions terminated here), is refused
#    with the reason and the count of sessions it would drop; the PID stays;
#  - `l2tpctl restart`, then `restart binary COPY` (an upgrade: another
#    file): the PID changes each time, the new process shows the N + M
#    PPPoE sessions with the same IDs and MACs (N relaying, M local-up),
#    says it took them over, keeps the M addresses taken in its pool;
#  - the subscribers got no PADT, no LCP Terminate, no LCP renegotiation,
#    never dialled again, and every one has its echoes answered after the
#    restarts (the longest gap between two answered echoes is printed);
#  - the LNS received no CDN and no StopCCN, its N subscribers stay up;
#  - new subscribers dial through the restarted LAC (discovery answered on
#    the access port handed over), one relayed, one terminated here with
#    an address none of the M has.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/pppoe_lib.sh"
it_init restart_pppoe
it_require_l2tpd
it_require_cmd jq ip python3
N=${L2T_RESTART_PPPOE_N:-20}
M=${L2T_RESTART_PPPOE_LOCAL:-5}
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
	for ((i = 1; i <= M + 1; i++)); do
		printf 'username loc%d@home.example password lpw%d\n' "$i" "$i"
	done
	cat <<-EOF
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
local_up() { [ "$(local_count)" = "$M" ]; }
local_count() { it_json lac show pppoe session | jq '[.sessions[] | select(.ppp_state == "local-up")] | length'; }
# shellcheck disable=SC2317 # called through it_wait
one_up() { [ "$(it_num lac .local_up show pppoe statistics)" = 1 ]; }
pool_in_use() { it_json lac show ip local pool | jq '.pools[] | select(.name == "LOCAL") | .in_use'; }
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
	[ "$(pppoe_json | jq .total_sessions)" = $((N + M)) ] || it_fail "restart $*: the new LAC shows $(pppoe_json | jq -c .)"
	grep -q "restart: took over $N PPPoE sessions relayed into calls (0 not rebuilt" "$IT_DIR/lac.log" ||
		it_fail "restart $*: no 'took over $N PPPoE sessions' in the log"
	grep -q "restart: took over $M PPPoE sessions terminated here" "$IT_DIR/lac.log" ||
		it_fail "restart $*: no 'took over $M PPPoE sessions terminated here' in the log"
	local_up || it_fail "restart $*: the new LAC has $(local_count) local subscribers up, not $M"
	[ "$(it_num lac .local_up show pppoe statistics)" = "$M" ] ||
		it_fail "restart $*: the new LAC counted $(it_num lac .local_up show pppoe statistics) local subscribers taken over, not $M"
	[ "$(pool_in_use)" = "$M" ] || it_fail "restart $*: $(pool_in_use) addresses taken in the pool, not $M"
}

# 1. a binary that knows no records of sessions terminated here: refused
# while one is up (before the measured part: the refusal waits for that
# binary's start, a pause of its own)
sub acc0 1 --user 'loc{n}@home.example' --password 'lpw{n}' --mac-base 9000 --hold 60 --padt \
	--hold-file "$IT_DIR/one.done" >"$IT_DIR/one.json" 2>&1 &
one_pid=$!
it_wait 10 one_up || it_fail "the local subscriber is not up"
cat >"$IT_DIR/l2tpd-schema4" <<'EOF'
#!/usr/bin/env python3
# Stands in for a daemon of checkpoint schema 4: its restart HELLO is the
# type and its PID, no schema.
import os, socket, struct, sys, time
fd = int(sys.argv[sys.argv.index("--takeover-from") + 1])
socket.socket(fileno=fd).send(b"H" + struct.pack("=I", os.getpid()))
time.sleep(30)
EOF
chmod +x "$IT_DIR/l2tpd-schema4"
pid=${IT_DPID[lac]}
if out=$(it_ctl lac restart binary "$IT_DIR/l2tpd-schema4" 2>&1); then
	it_fail "restart into a schema 4 binary with local PPPoE subscribers succeeded: $out"
fi
grep -q "does not know PPPoE sessions terminated here (schema 5): 1 such sessions would be dropped" <<<"$out" ||
	it_fail "restart into a schema 4 binary refused without the reason: $out"
if [ "${IT_DPID[lac]}" != "$pid" ] || ! kill -0 "$pid"; then it_fail "the LAC died on a refused restart"; fi
[ "$(pppoe_json | jq .total_sessions)" = 1 ] || it_fail "the refused restart lost the session: $(pppoe_json | jq -c .)"
it_say "restart into a schema 4 binary refused: $out"
touch "$IT_DIR/one.done"
wait "$one_pid" || it_fail "local subscriber: generator failed: $(cat "$IT_DIR/one.json")"
[ "$(jq .padt_rx "$IT_DIR/one.json")" = 0 ] || it_fail "the refused restart sent the local subscriber a PADT"
it_wait 10 pppoe_total_is 0 || it_fail "the local subscriber's PADT: $(pppoe_json | jq -c .)"

# 2. N subscribers through the LAC, M terminated on it, echoes every 0.2 s
# until the hold file
hold=$IT_DIR/restart.done
sub acc0 "$N" --user 'sub{n}@isp.example' --password 'pw{n}' --auth pap --hold 60 \
	--echo-every 0.2 --hold-file "$hold" >"$IT_DIR/subs.json" 2>"$IT_DIR/subs.err" &
subs_pid=$!
sub acc0 "$M" --user 'loc{n}@home.example' --password 'lpw{n}' --auth pap --mac-base 8000 \
	--hold 60 --echo-every 0.2 --hold-file "$hold" >"$IT_DIR/local.json" 2>"$IT_DIR/local.err" &
loc_pid=$!
it_wait 60 it_ppp_up_eq lns "$N" || it_fail "$(it_ppp_up lns) of $N subscribers up on the LNS"
it_wait 30 local_up || it_fail "$(local_count) of $M local subscribers up"
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
wait "$loc_pid" || it_fail "local subscribers: generator failed: $(cat "$IT_DIR/local.err")"

# kept FILE COUNT WHAT: the subscribers of FILE all kept their sessions
kept() {
	local f=$1 n=$2 what=$3
	r() { jq -r "$1" "$f"; }
	it_say "$what: $(jq -c 'del(.sessions, .addresses, .states)' "$f")"
	[ "$(r .up)" = "$n" ] || it_fail "$what: $(r .up) of $n up: $(r .states)"
	[ "$(r .padt_rx)" = 0 ] || it_fail "$what: $(r .padt_rx) got a PADT"
	[ "$(r .term_rx)" = 0 ] || it_fail "$what: $(r .term_rx) LCP Terminate-Requests"
	[ "$(r .lcp_after_auth)" = 0 ] || it_fail "$what: $(r .lcp_after_auth) LCP Configure-Requests after authentication"
	[ "$(r .disc_tx_after_up)" = 0 ] || it_fail "$what: dialled again $(r .disc_tx_after_up) times"
	[ "$(r .echo_end_ok)" = "$n" ] || it_fail "$what: after the restarts, $(r .echo_end_ok) of $n echoes answered"
}
kept "$IT_DIR/subs.json" "$N" "relayed subscribers"
kept "$IT_DIR/local.json" "$M" "subscribers terminated here"
it_json lac show pppoe session >"$IT_DIR/after.json"
[ "$(jq -c '[.sessions[] | [.mac, .session_id, .l2tp_tunnel_id, .l2tp_session_id]] | sort' "$IT_DIR/after.json")" = \
	"$(jq -c '[.sessions[] | [.mac, .session_id, .l2tp_tunnel_id, .l2tp_session_id]] | sort' "$IT_DIR/before.json")" ] ||
	it_fail "the PPPoE sessions or their calls changed across the restarts"
[ "$(jq '[.sessions[] | select(.ppp_state == "relaying")] | length' "$IT_DIR/after.json")" = "$N" ] ||
	it_fail "not $N sessions relaying after the restarts"
[ "$(jq '[.sessions[] | select(.ppp_state == "local-up")] | length' "$IT_DIR/after.json")" = "$M" ] ||
	it_fail "not $M sessions terminated here and up after the restarts"
cdn1=$(grep -c 'recv CDN\|recv StopCCN' "$IT_DIR/lns.log" || true)
[ "$cdn1" = "$cdn0" ] || it_fail "the LNS received $((cdn1 - cdn0)) CDN/StopCCN: $(grep 'recv CDN\|recv StopCCN' "$IT_DIR/lns.log" | head -n 3)"
[ "$(it_ppp_up lns)" = "$N" ] || it_fail "the LNS has $(it_ppp_up lns) subscribers up, not $N"

# 4. discovery on the port handed over: a new subscriber
sub acc0 1 --user "sub$((N + 1))@isp.example" --password "pw$((N + 1))" --auth pap \
	--mac-base 50000 --deadline 20 >"$IT_DIR/new.json" || it_fail "new subscriber: generator failed"
[ "$(jq .up "$IT_DIR/new.json")" = 1 ] || it_fail "no new subscriber after the restarts: $(jq -c 'del(.sessions)' "$IT_DIR/new.json")"
sub acc0 1 --user "loc$((M + 1))@home.example" --password "lpw$((M + 1))" --auth pap \
	--mac-base 50100 --deadline 20 >"$IT_DIR/newloc.json" || it_fail "new local subscriber: generator failed"
[ "$(jq .up "$IT_DIR/newloc.json")" = 1 ] || it_fail "no new local subscriber after the restarts: $(jq -c 'del(.sessions)' "$IT_DIR/newloc.json")"
a=$(jq -r '.addresses[0]' "$IT_DIR/newloc.json")
if jq -e --arg a "$a" '.addresses | index($a)' "$IT_DIR/local.json" >/dev/null; then
	it_fail "the new local subscriber got $a, an address a subscriber kept across the restarts has"
fi
for f in subs local; do
	it_say "restart, $f: echo gap p50 $(jq -r .echo_gap_ms_p50 "$IT_DIR/$f.json") ms, max $(jq -r .echo_gap_ms_max "$IT_DIR/$f.json") ms, $(jq -r .echo_lost "$IT_DIR/$f.json") echoes unanswered"
done
it_sanitizer_clean lac || it_fail "the LAC log has a sanitizer report"
# the LAC is no child of this shell any more: stopped by hand
kill -TERM "${IT_DPID[lac]}"
it_wait 30 gone "${IT_DPID[lac]}" || it_fail "the LAC did not stop"
unset "IT_DPID[lac]"
it_stop lns
it_pass
