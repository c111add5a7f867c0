#!/bin/bash
# The pair's configurations kept in step.  Box a active, b standby, our LAC
# carrying 10 tunnels x 10 sessions through the VIP.  A change made on a
# (`l2tpctl configure`: a new vpdn-group and a user) reaches b over the
# checkpoint link: b's running configuration has it, b says "in step with
# the active" with a's digest, each box keeps its own redundancy block.
# A configuration over 64 KiB (2,000 users, reloaded on a) reaches b in
# parts and b is in step.  `write memory` on a writes both files (each
# with its own redundancy block, the previous kept as .bak).  Then a dies: b takes over and runs
# with the change, its tunnels and sessions still up.
set -euo pipefail
. "$(dirname "$0")/ha_lib.sh"
ha_init ha_config
it_require_l2tpd

TUNNELS=10
PER=10

ha_topology
ha_pair_up
ha_lac_up ""
it_ctl lac test vpdn dial vpdn-group LAC sessions $((TUNNELS * PER)) per-tunnel "$PER" >/dev/null ||
	it_fail "dial refused by the LAC"
it_wait 60 it_counts_ok lac "$TUNNELS" $((TUNNELS * PER)) || ha_fail "LAC: $(it_counts lac)"
ha_wait_synced a b "$TUNNELS" $((TUNNELS * PER))
[ "$(ha_get b .config_state)" = "in step with the active" ] ||
	ha_fail "b after the bulk sync: configuration '$(ha_get b .config_state)'"

# shellcheck disable=SC2317 # called through it_wait
# (the whole output read first: grep -q stopping early on a large
# configuration would make l2tpctl's write fail under pipefail)
b_has() { it_ctl b show running-config >"$IT_DIR/b.running" && grep -q -- "$1" "$IT_DIR/b.running"; }
# shellcheck disable=SC2317 # called through it_wait
b_in_step() {
	[ "$(ha_get b .config_state)" = "in step with the active" ] &&
		[ "$(ha_get b .config_digest)" = "$(ha_get a .config_digest)" ]
}

printf 'vpdn-group EXTRA\n accept-dialin\n  protocol l2tp\n terminate-from hostname lac-extra\nusername carol password c4rol\nend\n' |
	it_ctl a configure >"$IT_DIR/configure.out" 2>&1 || ha_fail "configure on a: $(cat "$IT_DIR/configure.out")"
it_wait 10 b_has '^vpdn-group EXTRA$' || ha_fail "the change on a did not reach b"
b_has '^username carol password c4rol$' || ha_fail "user carol not on b"
it_wait 10 b_in_step || ha_fail "b not in step: $(ha_get b .config_state) $(ha_get b .config_digest) vs a $(ha_get a .config_digest)"
[ "$(ha_get a .config_state)" = "sent to the standby" ] || ha_fail "a: configuration '$(ha_get a .config_state)'"
it_ctl b show running-config | grep -Eq "^ checkpoint local ${IT_HA_CKPT[b]}( |$)" ||
	ha_fail "b lost its own redundancy block"
it_grep_log_case b "configuration change by the active \\(checkpoint\\): \\+ vpdn-group EXTRA$" ||
	ha_fail "b did not log the change from the active"
it_say "a change on a reached b: $(ha_get b .config_state), digest $(ha_get b .config_digest)"

# a configuration larger than one checkpoint record (2,000 users): it goes
# in parts, each an envelope an older standby takes, and b runs it whole
{
	it_ctl a show running-config
	for i in $(seq 1 2000); do echo "username bulk$i password secret-$i-of-the-subscriber"; done
} >"$IT_DIR/a.conf.big"
[ "$(wc -c <"$IT_DIR/a.conf.big")" -gt 65536 ] || ha_fail "the big configuration is not over 64 KiB"
cp "$IT_DIR/a.conf.big" "$IT_DIR/a.conf"
it_ctl a reload >/dev/null || ha_fail "reload of the big configuration on a refused"
it_wait 20 b_has '^username bulk2000 password ' || ha_fail "the big configuration did not reach b"
b_has '^username bulk1 password ' || ha_fail "b lacks the first user of the big configuration"
it_wait 10 b_in_step || ha_fail "b not in step after the big one: $(ha_get b .config_state)"
it_say "a configuration of $(wc -c <"$IT_DIR/a.conf.big") bytes reached b in parts: $(ha_get b .config_state)"

# write memory on a writes both files
cp "$IT_DIR/b.conf" "$IT_DIR/b.conf.before"
it_ctl a write memory >/dev/null || ha_fail "write memory on a refused"
# shellcheck disable=SC2317 # called through it_wait
b_written() { grep -q '^vpdn-group EXTRA$' "$IT_DIR/b.conf"; }
grep -q '^vpdn-group EXTRA$' "$IT_DIR/a.conf" || ha_fail "write memory: a's file lacks the change"
it_wait 10 b_written || ha_fail "write memory on a: b's file not written"
grep -Eq "^ checkpoint local ${IT_HA_CKPT[b]}( |$)" "$IT_DIR/b.conf" || ha_fail "b's file lost its own redundancy block"
cmp -s "$IT_DIR/b.conf.bak" "$IT_DIR/b.conf.before" || ha_fail "b's previous file not kept as .bak"
"$L2TPD" -t -c "$IT_DIR/b.conf" >/dev/null 2>&1 || ha_fail "l2tpd -t refuses b's written file"

# a dies: b takes over with the change
ha_kill_box a
it_wait 15 ha_is_active_on_vip b || ha_fail "b not active on the VIP: $(it_ha_summary b)"
b_has '^vpdn-group EXTRA$' || ha_fail "the new active b runs without the change"
b_has '^username carol password c4rol$' || ha_fail "the new active b lost user carol"
it_wait 30 it_counts_ok b "$TUNNELS" $((TUNNELS * PER)) || ha_fail "b after the takeover: $(it_counts b)"
it_check_healthy b
it_check_healthy lac
it_say "after the failover b runs with the change: $(it_counts b)"
it_pass
