#!/bin/bash
# Bad RADIUS replies (radius_lib.sh's fake server, python stdlib): the LNS
# asks the fake server first and FreeRADIUS second.  The fake answers every
# Access-Request in one way at a time:
#   bad-auth    wrong Response Authenticator
#   bad-ma      right Response Authenticator, wrong Message-Authenticator
#   malformed   Length beyond the datagram / an attribute of length 1 / an
#               attribute running past the end
#   unknown     a well-signed Access-Accept with unknown attributes (type
#               250, a vendor-65000 VSA)
# For the first three the daemon must drop the reply and count it (`show
# radius statistics`), the request times out and goes to FreeRADIUS, which
# lets the subscriber in; unknown attributes must be counted (the reply is
# taken or refused: either is fine, said in the output).  Subscribers who
# came up through FreeRADIUS before stay up throughout, and the daemon stays
# healthy.
# shellcheck disable=SC2016 # $x in single quotes are jq's
set -euo pipefail
. "$(dirname "$0")/radius_lib.sh"
it_init radius_bad
rad_init
it_require_l2tpd
it_two_hosts

rad_start r1 "$NS_LNS" 127.0.0.1 1812 1813
rad_fake_start fake "$NS_LNS" 127.0.0.1 21812 bad-auth
# deadtime 0: the fake stays first in line for every request.
it_l2tpd lns "$NS_LNS" "$(rad_conf_lns pap "$(RAD_DEADTIME=0 rad_conf_servers fake r1)
aaa new-model
aaa authentication ppp default group radius")"
rad_require_radius lns
it_l2tpd lac "$NS_LAC" "$(it_conf_lac lac1 s3cret "$IT_LNS_ADDR")"

# Good subscribers first (the fake answers bad-auth: dropped, then r1).
rad_dial lac alice wonderland 3 || it_fail "dial failed"
it_wait 20 rad_user_up lns alice 3 || it_fail "alice x3 not up through r1 behind the fake: $(rad_stats_line lns)"
GOOD=3

# step MODE PATH: the fake answers MODE; a new subscriber must come up
# through r1 and the counter at PATH grow.
step() {
	local mode=$1 path=$2 c0 c1 sent0 t0
	rad_stop fake
	rad_fake_start fake "$NS_LNS" 127.0.0.1 21812 "$mode"
	c0=$(rad_stat lns "$path")
	sent0=$(rad_fake_sent fake)
	t0=$(it_now)
	rad_dial lac pooled poolpw || it_fail "$mode: dial failed"
	it_wait 20 rad_user_up lns pooled || it_fail "$mode: pooled not up through r1 behind the fake: $(rad_stats_line lns)"
	c1=$(rad_stat lns "$path")
	[ "$(rad_fake_sent fake)" -gt "$sent0" ] || it_fail "$mode: the fake server was never asked"
	[ "$c1" -gt "$c0" ] || it_fail "$mode: $path did not grow ($c0 -> $c1): $(rad_stats_line lns)"
	rad_user_up lns alice "$GOOD" || it_fail "$mode: the good subscribers were disturbed"
	it_check_healthy lns
	it_say "$mode: $(rad_fake_sent fake) bad replies sent, $path $c0 -> $c1, pooled up via r1 after $(it_elapsed "$t0") s, alice x$GOOD up"
	rad_free_pooled
}

# rad_free_pooled: end pooled's session from the LAC side by clearing its
# tunnel (the LAC opens a tunnel per dial: alice's are elsewhere).
rad_free_pooled() {
	local tid ltid
	tid=$(rad_tunnel_of lns pooled)
	ltid=$(it_json lns show l2tp tunnel | jq -r --argjson t "$tid" "$IT_JQ_ROWS | select(.local_tunnel_id == \$t) | .remote_tunnel_id")
	it_ctl lac clear l2tp tunnel id "$ltid" >/dev/null || it_fail "cannot clear the LAC tunnel $ltid"
	it_wait 10 rad_user_gone lns pooled || it_fail "pooled still there after its tunnel was cleared"
	rad_user_up lns alice "$GOOD" || it_fail "clearing pooled's tunnel took the good subscribers"
}

step bad-auth "$RAD_BAD_AUTH"
step bad-ma "$RAD_BAD_MA"
step malformed-len "$RAD_MALFORMED"
step malformed-short "$RAD_MALFORMED"
step malformed-overrun "$RAD_MALFORMED"

# Unknown attributes in a well-signed Accept: counted; taken or not.
rad_stop fake
rad_fake_start fake "$NS_LNS" 127.0.0.1 21812 unknown
u0=$(rad_stat lns "$RAD_UNKNOWN_ATTRS")
a0=$(rad_stat lns "$RAD_ACCEPTS")
rad_dial lac pooled poolpw || it_fail "unknown: dial failed"
it_wait 20 rad_user_up lns pooled || it_fail "unknown: pooled not up (neither the fake's Accept nor r1's taken): $(rad_stats_line lns)"
it_wait 5 rad_stat_gt lns "$RAD_UNKNOWN_ATTRS" "$u0" ||
	it_fail "unknown: unknown attributes not counted ($u0 -> $(rad_stat lns "$RAD_UNKNOWN_ATTRS")): $(rad_stats_line lns)"
rad_user_up lns alice "$GOOD" || it_fail "unknown: the good subscribers were disturbed"
it_say "unknown: $RAD_UNKNOWN_ATTRS $u0 -> $(rad_stat lns "$RAD_UNKNOWN_ATTRS"), accepts $a0 -> $(rad_stat lns "$RAD_ACCEPTS"), pooled up, alice x$GOOD up"
it_say "RADIUS: $(rad_stats_line lns)"
it_check_healthy lns
it_stop lac
it_stop lns
it_pass
