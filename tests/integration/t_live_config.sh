#!/bin/bash
# Live configuration on a loaded LNS: our LAC brings up 100 tunnels x 10 PPP
# sessions (addresses from the pool), then the LNS's file is changed and
# reloaded (l2tpctl reload, and once SIGHUP) category by category: a group
# added then removed, hello and retransmission knobs, users, the pool
# grown, a RADIUS server, the failure history size.  After each: every
# tunnel (the same IDs) and every session is still up with PPP, the change
# is in `show running-config` and logged once with its author.  Refused: a
# pool shrunk under the addresses in use and a port change, each leaving
# `show running-config` as it was.  The LNS group removed with its tunnels
# up: they stay, `show vpdn` says so, a new call on them gets a CDN with a
# failure record, a new tunnel is refused; configured again, it takes calls.
# `l2tpctl configure` and `write memory`.  `vpdn softshut` set live: a new
# call and a new tunnel refused with their records, the established
# tunnels keep their HELLOs and PPP echoes.  `l2tpd -t` on the good file
# and on a broken one.  The end-of-file checks (a template no line
# defines) refuse a reload, a SIGHUP and the end of a configure session.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
it_init live_config
it_require_l2tpd
it_require_cmd jq ip
it_two_hosts

TUNNELS=100
PER=10
TOTAL=$((TUNNELS * PER))

# lns_conf POOL_LAST [GLOBAL_LINES] [GROUP_LINES] [no-lns]: the LNS's file.
lns_conf() {
	it_conf_head lns1
	if [ "${4:-}" != no-lns ]; then
		it_conf_dialin 1 "$(it_conf_tunnel lns1 s3cret)
${3:-}"
	fi
	printf 'username alice password wonderland\n'
	it_conf_template 10.200.255.254 pap "" "$1"
	if [ -n "${2:-}" ]; then
		printf '%s\n' "$2"
	fi
}

# write_conf TEXT: the LNS's file becomes TEXT.
write_conf() {
	printf '%s\n' "$1" >"$IT_DIR/lns.conf"
}

# all_up: every tunnel (with the IDs of the start) and session still up, PPP included.
all_up() {
	[ "$(it_tunnel_ids lns | sort -n | tr '\n' ,)" = "$IDS" ] &&
		it_counts_ok lns "$TUNNELS" "$TOTAL" && it_ppp_up_eq lns "$TOTAL"
}

# reload_ok WHAT: l2tpctl reload succeeds; nothing is lost.
reload_ok() {
	local out
	out=$(it_ctl lns reload 2>&1) || it_fail "$1: reload refused: $out"
	printf '%s\n' "$out" | grep -q "lines changed" || it_fail "$1: reload said: $out"
	all_up || it_fail "$1: after the reload: $(it_counts lns), $(it_ppp_up lns) PPP up"
	it_log "$1: applied ($out)"
}

# running_has ERE: show running-config matches.
running_has() {
	it_ctl lns show running-config | grep -Eq -- "$1"
}

# logged_once TEXT: exactly one line of the log ends with TEXT.
logged_once() {
	local n
	n=$(awk -v t="$1" 'length($0) >= length(t) && substr($0, length($0) - length(t) + 1) == t' \
		"$IT_DIR/lns.log" | wc -l)
	[ "$n" = 1 ] || it_fail "log: '$1' ends $n lines, not 1"
}

write_conf "$(lns_conf 10.200.3.254)"
it_l2tpd lns "$NS_LNS" "$(cat "$IT_DIR/lns.conf")"
# the LAC's HELLOs every 5 s: the soft shutdown's established tunnels are seen to keep them
it_l2tpd lac "$NS_LAC" "$(it_conf_lac lac1 s3cret "$IT_LNS_ADDR" " l2tp tunnel hello 5")"

t0=$(it_now)
it_ctl lac test vpdn dial vpdn-group LAC sessions "$TOTAL" per-tunnel "$PER" username alice \
	password wonderland >"$IT_DIR/dial.out" 2>&1 || it_fail "dial failed: $(head -c 300 "$IT_DIR/dial.out")"
it_wait 180 it_counts_ok lns "$TUNNELS" "$TOTAL" || it_fail "LNS: $(it_counts lns) of $TUNNELS x $PER"
it_wait 120 it_ppp_up_eq lns "$TOTAL" || it_fail "LNS: $(it_ppp_up lns) of $TOTAL sessions with PPP up"
IDS=$(it_tunnel_ids lns | sort -n | tr '\n' ,)
it_log "$TOTAL sessions with PPP up in $(it_elapsed "$t0") s"

# l2tpd -t: the good file, and a broken one with its line
"$L2TPD" -t -c "$IT_DIR/lns.conf" >"$IT_DIR/t.out" 2>&1 || it_fail "l2tpd -t refused the running file: $(cat "$IT_DIR/t.out")"
grep -q "configuration OK" "$IT_DIR/t.out" || it_fail "l2tpd -t said: $(cat "$IT_DIR/t.out")"
printf 'hostname x\nvpdn-group A\n l2tp tunnel hello 5000\n' >"$IT_DIR/broken.conf"
rc=0
"$L2TPD" -t -c "$IT_DIR/broken.conf" >"$IT_DIR/t.out" 2>&1 || rc=$?
[ "$rc" = 1 ] || it_fail "l2tpd -t on a broken file: exit $rc, not 1"
grep -q "broken.conf: line 3: l2tp tunnel hello: 5000 is out of range 0-1000" "$IT_DIR/t.out" ||
	it_fail "l2tpd -t on a broken file said: $(cat "$IT_DIR/t.out")"

# 1. a group added
write_conf "$(lns_conf 10.200.3.254 "vpdn-group B2
 accept-dialin
  protocol l2tp
 terminate-from hostname lac-b2
 l2tp tunnel password other")"
reload_ok "group added"
running_has '^vpdn-group B2$' || it_fail "group B2 not in the running configuration"
logged_once "configuration change by uid 0 (l2tpctl reload): + vpdn-group B2"

# 2. hello and retransmission knobs (for new tunnels)
write_conf "$(lns_conf 10.200.3.254 "" " l2tp tunnel retransmit retries 7")"
reload_ok "knobs, group B2 removed"
running_has '^ l2tp tunnel retransmit retries 7$' || it_fail "retries 7 not in the running configuration"
running_has '^vpdn-group B2$' && it_fail "group B2 still in the running configuration"
logged_once "configuration change by uid 0 (l2tpctl reload): - vpdn-group B2"

# 3. users, the pool grown, a RADIUS server, the history size; by SIGHUP
write_conf "$(lns_conf 10.200.7.254 "username bob password b0bsecret
radius-server host 192.0.2.99 key radkey
vpdn history failure table-size 100" " l2tp tunnel retransmit retries 7")"
kill -HUP "${IT_DPID[lns]}"
it_wait 10 it_grep_log_case lns "configuration reloaded from .* by SIGHUP" || it_fail "SIGHUP: no reload logged"
all_up || it_fail "SIGHUP: after the reload: $(it_counts lns)"
running_has '^ip local pool SUBS 10.200.0.1 10.200.7.254$' || it_fail "pool not grown"
running_has '^username bob password' || it_fail "user bob not added"
running_has '^radius-server host 192.0.2.99' || it_fail "RADIUS server not added"
logged_once "configuration change by SIGHUP: + username bob password *****"
grep -q b0bsecret "$IT_DIR/lns.log" && it_fail "a password in the log"
[ "$(it_num lns '.pools[0].in_use' show ip local pool)" = "$TOTAL" ] || it_fail "pool in use changed"
GOOD=$(cat "$IT_DIR/lns.conf")

# configure terminal from a script, then write memory: the file changes, the old one kept
printf 'vpdn-group C3\n accept-dialin\n  protocol l2tp\n terminate-from hostname lac-c3\nend\n' |
	it_ctl lns configure >"$IT_DIR/configure.out" 2>&1 || it_fail "l2tpctl configure: $(cat "$IT_DIR/configure.out")"
all_up || it_fail "configure terminal: $(it_counts lns)"
logged_once "configuration change by uid 0 (configure terminal): + vpdn-group C3 > terminate-from hostname lac-c3"
out=$(it_ctl lns write memory 2>&1) || it_fail "write memory: $out"
grep -q '^vpdn-group C3$' "$IT_DIR/lns.conf" || it_fail "write memory: group C3 not in the file"
[ "$(cat "$IT_DIR/lns.conf.bak")" = "$GOOD" ] || it_fail "write memory: the previous file not kept as .bak"
"$L2TPD" -t -c "$IT_DIR/lns.conf" >/dev/null 2>&1 || it_fail "l2tpd -t refuses the file write memory wrote"
printf 'vpdn-group C4\nl2tp port 1999\nvpdn-group C5\n' | it_ctl lns configure >"$IT_DIR/configure.out" 2>&1 &&
	it_fail "l2tpctl configure: a refused line gave exit 0"
grep -q "line 2: l2tp port 1999: % Refused: l2tp port cannot change" "$IT_DIR/configure.out" ||
	it_fail "l2tpctl configure said: $(cat "$IT_DIR/configure.out")"
running_has '^vpdn-group C5$' && it_fail "l2tpctl configure ran the line after the refused one"
it_log "configure terminal and write memory"

# 4. refused: a pool shrunk under the addresses in use, a port change
before=$(it_ctl lns show running-config)
write_conf "$(lns_conf 10.200.0.100 "username bob password b0bsecret
radius-server host 192.0.2.99 key radkey
vpdn history failure table-size 100" " l2tp tunnel hello 20")"
out=$(it_ctl lns reload 2>&1) && it_fail "shrunk pool: reload accepted: $out"
printf '%s\n' "$out" | grep -q "Reload refused: ip local pool SUBS: address .* is in use" ||
	it_fail "shrunk pool: refused with: $out"
[ "$(it_ctl lns show running-config)" = "$before" ] || it_fail "a refused reload changed the running configuration"
write_conf "$GOOD
l2tp port 1702"
out=$(it_ctl lns reload 2>&1) && it_fail "port change: reload accepted: $out"
printf '%s\n' "$out" | grep -q "l2tp port cannot change while l2tpd runs" || it_fail "port: refused with: $out"
[ "$(it_ctl lns show running-config)" = "$before" ] || it_fail "a refused reload changed the running configuration"
# the end-of-file checks (each line good, the whole not): reload and SIGHUP
# refuse the file, and a configure session ending incomplete applies none
# of its held lines
write_conf "$GOOD
vpdn-group EOF
 accept-dialin
  protocol l2tp
  virtual-template 42"
out=$(it_ctl lns reload 2>&1) && it_fail "undefined template: reload accepted: $out"
printf '%s\n' "$out" | grep -q "vpdn-group EOF: virtual-template 42 is not defined" ||
	it_fail "undefined template: refused with: $out"
kill -HUP "${IT_DPID[lns]}"
it_wait 10 it_grep_log_case lns "reload refused: .*vpdn-group EOF: virtual-template 42 is not defined" ||
	it_fail "SIGHUP: the undefined template not refused"
[ "$(it_ctl lns show running-config)" = "$before" ] || it_fail "a refused reload changed the running configuration"
printf 'vpdn-group LNS\n accept-dialin\n  virtual-template 42\n' |
	it_ctl lns configure >"$IT_DIR/configure.out" 2>&1 && it_fail "configure: an incomplete end gave exit 0"
grep -q "end of input: % Incomplete configuration: vpdn-group LNS: virtual-template 42 is not defined" \
	"$IT_DIR/configure.out" || it_fail "configure said: $(cat "$IT_DIR/configure.out")"
grep -q "nothing of the last 1 line was applied" "$IT_DIR/configure.out" ||
	it_fail "configure said: $(cat "$IT_DIR/configure.out")"
[ "$(it_ctl lns show running-config)" = "$before" ] || it_fail "the held line was applied"
all_up || it_fail "after the refusals: $(it_counts lns)"
it_log "refusals leave the running configuration as it was"

# 5. the LNS group removed with its tunnels up
write_conf "$(lns_conf 10.200.7.254 "username bob password b0bsecret
radius-server host 192.0.2.99 key radkey
vpdn history failure table-size 100" "" no-lns)"
reload_ok "LNS group removed"
grep -q "removed from the configuration: its tunnels stay" <<<"$(it_ctl lns show vpdn)" ||
	it_fail "show vpdn does not say the group is removed"
[ "$(it_json lns show vpdn | jq '[.vpdn_groups[] | select(.removed)] | length')" = 1 ] ||
	it_fail "show vpdn JSON: no removed group"
tid=$(it_tunnel_ids lac | head -n 1)
it_ctl lac test vpdn dial vpdn-group LAC sessions 1 tunnel "$tid" >/dev/null || it_fail "dial on tunnel $tid failed"
# shellcheck disable=SC2317 # called through it_wait
refused_call() { grep -q "vpdn-group removed" <<<"$(it_ctl lns show vpdn history failure)"; }
it_wait 20 refused_call || it_fail "no failure record for the call on the removed group"
refused0=$(it_stat lns .tunnels_refused)
it_ctl lac test vpdn dial vpdn-group LAC sessions 1 per-tunnel 1 >/dev/null || it_fail "dial of a new tunnel failed"
# shellcheck disable=SC2317 # called through it_wait
refused_tunnel() { [ "$(it_stat lns .tunnels_refused)" -gt "$refused0" ]; }
it_wait 20 refused_tunnel || it_fail "a new tunnel on the removed group was not refused"
all_up || it_fail "removed group: $(it_counts lns)"

# configured again: its tunnels take calls
write_conf "$GOOD"
reload_ok "LNS group back"
it_ctl lac test vpdn dial vpdn-group LAC sessions 1 tunnel "$tid" >/dev/null || it_fail "dial on tunnel $tid failed"
it_wait 20 it_sessions_eq lns $((TOTAL + 1)) established || it_fail "the group back: $(it_counts lns)"

# 6. soft shutdown, set live: new calls and tunnels refused with a record,
# the established tunnels keep their HELLOs and PPP echoes
printf 'vpdn softshut\n' | it_ctl lns configure >/dev/null 2>&1 || it_fail "configure vpdn softshut refused"
grep -q "soft shutdown: new tunnels and sessions are refused" <<<"$(it_ctl lns show vpdn)" ||
	it_fail "show vpdn does not say soft shutdown"
hellos0=$(it_stat lns .control_channels.rx_msgs)
echoes0=$(it_stat lns .ppp_links.lcp_ext.echo_rep_rx)
it_ctl lac test vpdn dial vpdn-group LAC sessions 1 tunnel "$tid" >/dev/null || it_fail "dial on tunnel $tid failed"
# shellcheck disable=SC2317 # called through it_wait
softshut_call() { grep -q "vpdn softshut: new sessions refused" <<<"$(it_ctl lns show vpdn history failure)"; }
it_wait 20 softshut_call || it_fail "no failure record for a call under softshut"
it_ctl lac test vpdn dial vpdn-group LAC sessions 1 per-tunnel 1 >/dev/null || it_fail "dial of a new tunnel failed"
# shellcheck disable=SC2317 # called through it_wait
softshut_tunnel() { grep -q "vpdn softshut: new tunnels refused" <<<"$(it_ctl lns show vpdn history failure)"; }
it_wait 20 softshut_tunnel || it_fail "no failure record for a tunnel under softshut"
sleep 12
hellos=$(($(it_stat lns .control_channels.rx_msgs) - hellos0))
echoes=$(($(it_stat lns .ppp_links.lcp_ext.echo_rep_rx) - echoes0))
[ "$hellos" -ge "$TUNNELS" ] || it_fail "softshut: $hellos control messages (HELLOs) in 12 s from $TUNNELS tunnels"
[ "$echoes" -ge "$TOTAL" ] || it_fail "softshut: $echoes LCP echo replies in 12 s from $TOTAL sessions"
it_sessions_eq lns $((TOTAL + 1)) established || it_fail "softshut: $(it_counts lns)"
it_ppp_up_eq lns "$TOTAL" || it_fail "softshut: $(it_ppp_up lns) sessions with PPP up"
it_log "softshut: $hellos control messages and $echoes echo replies in 12 s, nothing lost"

it_check_healthy lns
it_check_healthy lac
it_stop lac
it_stop lns
it_pass
