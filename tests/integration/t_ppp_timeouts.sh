#!/bin/bash
# Session timeouts of a Virtual-Template: `ppp timeout absolute S` ends a
# subscriber's session S seconds after it came up, `ppp timeout idle S`
# after S seconds without subscriber traffic (our test subscribers send no
# IP, so they are idle); each is cleared with LCP Terminate and CDN, the
# address goes back to the pool, and the reason is logged.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
it_init ppp_timeouts
it_require_l2tpd
it_require_cmd jq ip
it_two_hosts

for kind in absolute idle; do
	it_l2tpd lns "$NS_LNS" "$(it_conf_lns lns1 s3cret "" 1)
username alice password wonderland
$(it_conf_template 10.200.255.254 chap " ppp timeout $kind 3")"
	it_l2tpd lac "$NS_LAC" "$(it_conf_lac lac1 s3cret "$IT_LNS_ADDR")"
	t0=$(it_now)
	it_ctl lac test vpdn dial vpdn-group LAC sessions 2 username alice password wonderland >/dev/null ||
		it_fail "$kind: dial failed"
	it_wait 15 it_ppp_up_eq lns 2 || it_fail "$kind: the subscribers did not come up"
	it_wait 20 it_sessions_eq lns 0 || it_fail "$kind: sessions still there after the $kind timeout"
	secs=$(it_elapsed "$t0")
	awk -v s="$secs" 'BEGIN { exit !(s >= 2.5) }' || it_fail "$kind: sessions went after $secs s, before the 3 s timeout"
	it_grep_log lns "$kind timeout" || it_fail "$kind: no log line names the $kind timeout"
	used=$(it_json lns show ip local pool | jq '[.. | objects | select(has("in_use")) | .in_use] | add // 0')
	[ "$used" = 0 ] || it_fail "$kind: $used pool addresses still in use"
	it_check_healthy lns
	it_stop lac
	it_stop lns
	it_log "$kind timeout: sessions cleared after $secs s"
done
it_pass
