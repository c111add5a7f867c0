#!/bin/bash
# Intrusion protection: a host tries the tunnel secret 100 times (SCCRQ,
# then an SCCCN with a wrong Challenge Response, each attempt from a port
# of its own).  Our LNS (`l2tp intrusion-protection failures 5 within 60
# block 20`) blocks it after the fifth failure:
#   - the host gets no answer from then on (its SCCRQs are dropped before
#     any state), and `show l2tp security` shows it blocked and counts the
#     failures, the block and the drops;
#   - the block is logged once, the drops once per 10 s with a count;
#   - meanwhile our LAC, from another address with the right secret,
#     brings up a tunnel and a call;
#   - 20 s after the block the host is answered again.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
it_init bruteforce
it_require_l2tpd
it_require_cmd jq ip python3
FLOOD=$(dirname "$0")/l2tp_flood.py
ATK=10.3.0.1

it_two_hosts
it_netns NS_ATK atk
it_veth "$NS_LNS" 10.3.0.2/16 "$NS_ATK" "$ATK/16" veth1
it_l2tpd lns "$NS_LNS" "$(it_conf_lns lns1 s3cret)
l2tp intrusion-protection failures 5 within 60 block 20"
it_l2tpd lac "$NS_LAC" "$(it_conf_lac lac1 s3cret "$IT_LNS_ADDR")"

ip netns exec "$NS_ATK" python3 "$FLOOD" brute 10.3.0.2 "$ATK" 100 >"$IT_DIR/brute.out" 2>&1 &
pid=$!
it_wait 20 it_grep_log lns "guard: $ATK blocked" || it_fail "$ATK not blocked: $(it_json lns show l2tp security)"
t_block=$(it_now)
it_ctl lac test vpdn dial vpdn-group LAC sessions 1 >/dev/null || it_fail "dial refused"
it_wait 31 it_counts_ok lac 1 1 || it_fail "the LAC with the right secret: $(it_counts lac)"
wait "$pid" || it_fail "the attacker failed: $(cat "$IT_DIR/brute.out")"
read -r _ answered _ unanswered <"$IT_DIR/brute.out"
it_say "attacker: $answered of 100 attempts answered, $unanswered dropped"
[ "$answered" = 5 ] || it_fail "$answered attempts answered, not 5: $(cat "$IT_DIR/brute.out")"

sec=$(it_json lns show l2tp security)
it_say "LNS: $(jq -c . <<<"$sec")"
jq -e --arg a "$ATK" '[.blocked[] | select(.source == $a)] | length == 1' <<<"$sec" >/dev/null ||
	it_fail "show l2tp security does not list $ATK blocked"
[ "$(jq '.sources_blocked' <<<"$sec")" = 1 ] || it_fail "sources_blocked is not 1"
[ "$(jq '.auth_failures' <<<"$sec")" = 5 ] || it_fail "auth_failures is not 5"
[ "$(jq '.drop_blocked' <<<"$sec")" -ge 90 ] || it_fail "fewer than 90 SCCRQs dropped as blocked"
grep -q "^  $ATK " <<<"$(it_ctl lns show l2tp security)" || it_fail "the text show does not list $ATK"
n=$(grep -c "guard: $ATK blocked" "$IT_DIR/lns.log" || true)
[ "$n" = 1 ] || it_fail "the block was logged $n times"
n=$(grep -c "guard: $ATK: [0-9]* SCCRQs\? dropped" "$IT_DIR/lns.log" || true)
if [ "$n" -lt 1 ] || [ "$n" -gt 2 ]; then
	it_fail "$n log lines about the drops (one per 10 s expected)"
fi
it_check_healthy lac

# After B seconds it may try again.
# shellcheck disable=SC2317 # called through it_wait
unblocked() { [ "$(it_json lns show l2tp security | jq '.blocked_count')" = 0 ]; }
it_wait 30 unblocked || it_fail "$ATK still blocked 30 s after its block"
it_say "unblocked after $(it_elapsed "$t_block") s"
ip netns exec "$NS_ATK" python3 "$FLOOD" brute 10.3.0.2 "$ATK" 1 >"$IT_DIR/brute2.out" 2>&1 ||
	it_fail "the attacker failed: $(cat "$IT_DIR/brute2.out")"
read -r _ answered _ _ <"$IT_DIR/brute2.out"
[ "$answered" = 1 ] || it_fail "after the block the attempt got no answer"
it_counts_ok lac 1 1 || it_fail "the LAC lost its tunnel: $(it_counts lac)"
it_check_healthy lns
it_stop lac
it_stop lns
it_pass
