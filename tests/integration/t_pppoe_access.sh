#!/bin/bash
# The PPPoE access side on the null data path, over a veth in two
# namespaces.  Subscribers (tests/integration/pppoe_gen.py on a raw socket)
# run discovery against our daemon: 200 on the untagged interface and 50 on
# a QinQ sub-interface (outer 100, inner 10: the daemon reads them on the
# parent and tells them apart by their tags); each gets a session, which
# `show pppoe summary|session` lists with its NAS-Port-Id.  Then bad input:
# malformed PADI and PADR, forged and other-MAC cookies, a PADI flood from
# 10,000 MACs, PADTs and session frames for unknown sessions: each counted
# by `show pppoe statistics`, no session lost, frames of every established
# session still read; the subscribers' PADTs and `clear pppoe` end sessions;
# the daemon stops cleanly.  The subscribers speak no PPP: a long `lcp
# timeout` keeps their sessions while the scenario runs.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
it_init pppoe_access
it_require_l2tpd
it_require_cmd jq ip python3
GEN=$(dirname "$0")/pppoe_gen.py

it_netns NS_AC ac
it_netns NS_SUB sub
ip -n "$NS_AC" link add acc0 type veth peer name acc0 netns "$NS_SUB" || it_fail "veth"
ip -n "$NS_AC" link set acc0 up
ip -n "$NS_SUB" link set acc0 up

it_l2tpd bras "$NS_AC" "hostname bras1
bba-group pppoe global
 ac name BRAS1
 sessions per-mac limit 2
 lcp timeout 600
interface acc0
 pppoe enable group global
interface acc0.100
 encapsulation dot1Q 100 second-dot1q 10
 pppoe enable group global
 pppoe max-sessions 1000
pppoe rate-limit padi total 4000"

gen() { ip netns exec "$NS_SUB" python3 "$GEN" "$@"; }
stat() { it_num bras "$1" show pppoe statistics; }
total() { it_num bras .total_sessions show pppoe summary; }
total_is() { [ "$(total)" = "$1" ]; }

gen dial acc0 200 --mac-base 1 >"$IT_DIR/plain.json" || it_fail "generator failed"
gen dial acc0 50 --mac-base 5000 --vlan 100 --vlan2 10 >"$IT_DIR/qinq.json" ||
	it_fail "generator failed (QinQ)"
for f in plain qinq; do
	it_say "$f: $(jq -c 'del(.sessions)' "$IT_DIR/$f.json")"
	[ "$(jq '.failed' "$IT_DIR/$f.json")" = 0 ] || it_fail "$f: subscribers without a session"
done
[ "$(jq '.sessions | length' "$IT_DIR/plain.json")" = 200 ] || it_fail "not 200 sessions"
[ "$(jq '.sessions | length' "$IT_DIR/qinq.json")" = 50 ] || it_fail "not 50 QinQ sessions"
total_is 250 || it_fail "show pppoe summary: $(total) sessions, not 250"
sum=$(it_json bras show pppoe summary)
[ "$(printf '%s' "$sum" | jq -r '.interfaces[] | select(.interface == "acc0.100") |
	"\(.sessions) \(.nas_port_id)"')" = "50 acc0:100-10" ] ||
	it_fail "acc0.100: $(printf '%s' "$sum" | jq -c '.interfaces')"
# every session the generator got is the daemon's, on its interface
it_json bras show pppoe session | jq -r '.sessions[] | "\(.mac) \(.session_id) \(.interface)"' |
	sort >"$IT_DIR/daemon"
{
	jq -r '.sessions[] | "\(.[0]) \(.[1]) acc0"' "$IT_DIR/plain.json"
	jq -r '.sessions[] | "\(.[0]) \(.[1]) acc0.100"' "$IT_DIR/qinq.json"
} | sort >"$IT_DIR/gen"
diff -q "$IT_DIR/daemon" "$IT_DIR/gen" >/dev/null || it_fail "the daemon's sessions differ from the subscribers'"

# bad input: each counted, nothing answered but what RFC 2516 asks
gen bad acc0 taglen 5 >/dev/null
gen bad acc0 trunc 5 >/dev/null
[ "$(stat .rx_malformed_tag_length)" -ge 5 ] || it_fail "tag lengths past the frame not counted"
[ "$(stat .rx_malformed_tag_truncated)" -ge 5 ] || it_fail "truncated tags not counted"
out=$(gen bad acc0 forged 5)
[ "$(printf '%s' "$out" | jq '.answers["0x65"] // 0')" = 0 ] || it_fail "a forged cookie got a PADS"
[ "$(stat .padr_bad_cookie)" -ge 5 ] || it_fail "forged cookies not counted"
out=$(gen bad acc0 othermac 5)
[ "$(printf '%s' "$out" | jq '.answers["0x65"] // 0')" = 0 ] || it_fail "another MAC's cookie got a PADS"
[ "$(stat .padr_bad_cookie)" -ge 10 ] || it_fail "other MACs' cookies not counted"
t0=$(it_now)
out=$(gen bad acc0 flood 10000)
it_say "PADI flood from 10000 MACs: $(it_elapsed "$t0") s, $(printf '%s' "$out" | jq -c .answers) answers"
[ "$(stat .padi_rate_total)" -gt 0 ] || it_fail "the PADI flood met no rate"
out=$(gen bad acc0 padt 100)
[ "$(printf '%s' "$out" | jq '.answers | length')" = 0 ] || it_fail "PADTs for no session were answered: $out"
[ "$(stat .padt_rx_unknown)" -ge 100 ] || it_fail "PADTs for unknown sessions not counted"
out=$(gen bad acc0 session 300)
[ "$(stat .rx_session_unknown)" -ge 300 ] || it_fail "session frames for no session not counted"
n=$(printf '%s' "$out" | jq '.answers["0xa7"] // 0')
if [ "$n" -lt 1 ] || [ "$n" -gt 200 ]; then
	it_fail "unknown sessions answered with $n PADTs (want 1..200 in 1 s)"
fi

# the established sessions are untouched: all there, their frames read
total_is 250 || it_fail "bad input cost sessions: $(total) left"
rx0=$(stat .rx_session_frames)
gen frames acc0 "$IT_DIR/plain.json" >/dev/null
gen frames acc0 "$IT_DIR/qinq.json" --vlan 100 --vlan2 10 >/dev/null
# shellcheck disable=SC2317 # called by it_wait
frames_read() { [ "$(stat .rx_session_frames)" -ge $((rx0 + 250)) ]; }
it_wait 5 frames_read ||
	it_fail "frames of established sessions: $(($(stat .rx_session_frames) - rx0)) of 250 read"

# the subscribers end 20 sessions; the operator the QinQ ones, then all
gen padt acc0 "$IT_DIR/plain.json" 20 >/dev/null
it_wait 5 total_is 230 || it_fail "after 20 PADTs: $(total) sessions"
it_ctl bras clear pppoe interface acc0.100 >/dev/null || it_fail "clear pppoe interface refused"
total_is 180 || it_fail "after clear pppoe interface: $(total) sessions"
it_ctl bras clear pppoe all >/dev/null || it_fail "clear pppoe all refused"
total_is 0 || it_fail "after clear pppoe all: $(total) sessions"
[ "$(stat .sessions_ended_padt)" = 20 ] || it_fail "sessions ended by PADT: $(stat .sessions_ended_padt)"
it_check_healthy bras
it_stop bras
it_pass
