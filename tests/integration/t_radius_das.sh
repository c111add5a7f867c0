#!/bin/bash
# RFC 5176 dynamic authorization (radius_lib.sh): radclient, from the
# configured client address, sends to the LNS's DAS port:
#   - Disconnect-Request by Acct-Session-Id (alice's): ACK, alice's session
#     ends, the others stay; its Accounting-Stop says Admin-Reset;
#   - Disconnect-Request by User-Name (attr): ACK, only attr's session ends;
#   - CoA-Request with User-Name (pooled) and Session-Timeout 3: ACK, the
#     session ends about 3 s later, the others stay;
#   - the same with a wrong key: no answer, counted as a bad authenticator;
#   - Disconnect-Request for an unknown session: NAK with Error-Cause 503
#     (Session-Context-Not-Found).
# shellcheck disable=SC2016 # $x in single quotes are jq's
set -euo pipefail
. "$(dirname "$0")/radius_lib.sh"
it_init radius_das
rad_init
it_require_l2tpd
it_two_hosts
DAS_PORT=3799
DAS=127.0.0.1:$DAS_PORT

rad_start r1 "$NS_LNS" 127.0.0.1 1812 1813
it_l2tpd lns "$NS_LNS" "$(rad_conf_lns pap "$(rad_conf_servers r1)
$(rad_conf_aaa "group radius")
$(rad_conf_das "$DAS_PORT")")"
rad_require_radius lns
it_l2tpd lac "$NS_LAC" "$(it_conf_lac lac1 s3cret "$IT_LNS_ADDR")"

for u in alice:wonderland attr:attrpw pooled:poolpw acct:acctpw; do
	rad_dial lac "${u%%:*}" "${u#*:}" || it_fail "dial of ${u%%:*} failed"
done
for u in alice attr pooled acct; do
	it_wait 15 rad_user_up lns "$u" || it_fail "$u not up"
done
it_wait 10 rad_acct_count_ge r1 Start 4 || it_fail "$(rad_acct_count r1 Start) Accounting-Starts of 4"

# still_up USERS...: every one has its session.
still_up() {
	local u
	for u in "$@"; do
		rad_user_up lns "$u" || it_fail "$WHAT: $u's session went too"
	done
}

WHAT="disconnect by Acct-Session-Id"
id=$(rad_acct_id lns alice) || it_fail "$WHAT: the daemon shows no Acct-Session-Id for alice"
r=$(rad_das "$NS_LNS" "$DAS" disconnect "$RAD_DAS_SECRET" "Acct-Session-Id = \"$id\"")
[ "$r" = ACK ] || it_fail "$WHAT: answer $r, not ACK (radclient.out)"
it_wait 10 rad_user_gone lns alice || it_fail "$WHAT: alice still there after the ACK"
still_up attr pooled acct
it_wait 10 rad_acct_count_ge r1 Stop 1 "$id" || it_fail "$WHAT: no Accounting-Stop for $id"
tc=$(rad_acct r1 '[.[] | select(.["Acct-Session-Id"] == $id and .["Acct-Status-Type"] == "Stop") | .["Acct-Terminate-Cause"]] | first // ""' -r --arg id "$id")
[ "$tc" = Admin-Reset ] || it_fail "$WHAT: Stop of $id with Acct-Terminate-Cause '$tc', not Admin-Reset"
it_say "$WHAT $id: ACK, alice gone, Stop cause $tc, others up"

WHAT="disconnect by User-Name"
r=$(rad_das "$NS_LNS" "$DAS" disconnect "$RAD_DAS_SECRET" 'User-Name = "attr"')
[ "$r" = ACK ] || it_fail "$WHAT: answer $r, not ACK"
it_wait 10 rad_user_gone lns attr || it_fail "$WHAT: attr still there after the ACK"
still_up pooled acct
it_say "$WHAT attr: ACK, attr gone, others up"

WHAT="wrong key"
b0=$(rad_stat lns "$RAD_DAS_BAD_AUTH")
r=$(rad_das "$NS_LNS" "$DAS" disconnect wrongsecret 'User-Name = "acct"')
[ "$r" = NONE ] || it_fail "$WHAT: answer $r to a request with a wrong key"
it_wait 5 rad_stat_gt lns "$RAD_DAS_BAD_AUTH" "$b0" ||
	it_fail "$WHAT: not counted (DAS bad_authenticators $(rad_stat lns "$RAD_DAS_BAD_AUTH"))"
still_up pooled acct
it_say "$WHAT: no answer, DAS bad authenticators $b0 -> $(rad_stat lns "$RAD_DAS_BAD_AUTH")"

WHAT="unknown session"
r=$(rad_das "$NS_LNS" "$DAS" disconnect "$RAD_DAS_SECRET" 'Acct-Session-Id = "NO-SUCH-SESSION"')
case $r in
"NAK 503" | "NAK Session-Context-Not-Found") ;;
*) it_fail "$WHAT: answer '$r', not NAK with Error-Cause 503 (Session-Context-Not-Found)" ;;
esac
still_up pooled acct
it_say "$WHAT: $r"

WHAT="CoA Session-Timeout"
t0=$(it_now)
r=$(rad_das "$NS_LNS" "$DAS" coa "$RAD_DAS_SECRET" 'User-Name = "pooled"' 'Session-Timeout = 3')
[ "$r" = ACK ] || it_fail "$WHAT: answer $r, not ACK"
st=$(rad_sess_attr lns pooled .aaa.session_timeout || true)
it_wait 15 rad_user_gone lns pooled || it_fail "$WHAT: pooled still there 15 s after CoA Session-Timeout 3 (session_timeout '$st')"
secs=$(it_elapsed "$t0")
# Session-Timeout counts from the start of the session (a second or so
# before the CoA) or from the CoA: both are fine, not much earlier, not late.
awk -v s="$secs" 'BEGIN { exit !(s >= 1 && s <= 6) }' || it_fail "$WHAT: session ended $secs s after the CoA"
still_up acct
it_say "$WHAT: ACK (session_timeout shown '$st'), pooled gone $secs s after the CoA, acct up"

it_say "DAS counters: $(it_json lns show radius statistics | jq -c .dynamic_author)"
it_check_healthy lns
it_stop lac
it_stop lns
it_pass
