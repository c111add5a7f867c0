#!/bin/bash
# The LAC's failover time for PPPoE subscribers (null data path): the two
# HA pairs of tests/integration/pppoe_ha_lib.sh (our LAC a/b, our LNS c/d,
# keepalived), BENCH_PPPOE_HA_SESSIONS subscribers (default 1000; run.sh
# passes 200) dialled through a, each sending an LCP echo every
# BENCH_PPPOE_HA_ECHO seconds (default 0.5); a dies (frozen, link down,
# SIGKILL).  Printed:
#   - from b's own log: b began its takeover, and every tunnel resynced, X s
#     after the kill; b's rebuild and resync durations (show l2tp
#     redundancy: takeover_rebuild_ms, resync_duration_ms);
#   - from the subscribers' side: the longest gap between two answered
#     echoes of each subscriber, as percentiles (p50, p99, max) over the
#     subscribers, and the echoes lost (one period is the floor of the gap);
#   - what survived: subscribers up, PADTs, LCP Terminates, second
#     negotiations, new discoveries, CDNs/StopCCNs at the LNS (all 0 but up).
# Not a test (no timed bound): run.sh relays its `bench:` lines.
# Environment: L2TPD, L2TPCTL (or L2T_BUILD), BENCH_PPPOE_HA_SESSIONS,
# BENCH_PPPOE_HA_ECHO.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
if [ -z "${L2T_BUILD:-}" ] && [ -z "${L2TPD:-}" ]; then
	L2T_BUILD=$top/build
fi
# shellcheck source=../integration/pppoe_ha_lib.sh
. "$top/tests/integration/pppoe_ha_lib.sh"
N=${BENCH_PPPOE_HA_SESSIONS:-1000}
ECHO=${BENCH_PPPOE_HA_ECHO:-0.5}

ha_init bench_pppoe_ha
it_require_l2tpd
it_require_cmd python3
pppoe_ha_topology
pppoe_ha_up
hold=$IT_DIR/done
ph_subs "$IT_DIR/subs.json" --hold 300 --echo-every "$ECHO" --hold-file "$hold"
it_wait 300 it_ppp_up_eq c "$N" || it_fail "$(it_ppp_up c) of $N subscribers up on the LNS"
ha_wait_synced a b 1 "$N" 120
it_wait 60 ph_standby_holds b "$N" || it_fail "b holds $(pppoe_json b | jq .checkpointed_sessions) of $N"
sleep 2
t0=$(it_now)
ha_kill_box a
it_wait 60 ph_resynced b || ha_fail "b did not resync: $(it_ha_summary b)"
t_act=$(ha_log_since "$IT_DIR/b.log" "$t0" "redundancy: becoming active")
t_res=$(ha_log_since "$IT_DIR/b.log" "$t0" "redundancy: takeover complete")
it_wait 60 ph_serves b "$N" || it_fail "b serves $(pppoe_json b | jq -c '{total_sessions, restored_sessions}')"
sleep 3
touch "$hold"
wait "$PH_SUBS_PID" || it_fail "subscribers: generator failed: $(cat "$IT_DIR/subs.json.err")"
r() { jq -r "$1" "$IT_DIR/subs.json"; }
printf 'bench: pppoe lac failover %d subscribers (from b'"'"'s log): b began its takeover %s s after the kill, every tunnel resynced %s s after the kill; rebuild %s ms, resync %s ms\n' \
	"$N" "$t_act" "$t_res" "$(ha_get b .takeover_rebuild_ms)" "$(ha_get b .resync_duration_ms)"
printf 'bench: pppoe lac failover %d subscribers (their side, an echo every %s s): longest echo gap p50 %s ms, p99 %s ms, max %s ms; %s echoes lost\n' \
	"$N" "$ECHO" "$(r .echo_gap_ms_p50)" "$(r .echo_gap_ms_p99)" "$(r .echo_gap_ms_max)" "$(r .echo_lost)"
printf 'bench: pppoe lac failover %d subscribers: %s up at the end, %s PADT, %s LCP Terminate, %s LCP after authentication, %s discoveries once up; LNS got %s CDN/StopCCN\n' \
	"$N" "$(r .up)" "$(r .padt_rx)" "$(r .term_rx)" "$(r .lcp_after_auth)" "$(r .disc_tx_after_up)" "$(ph_lns_torn)"
[ "$(r .up)" = "$N" ] || it_fail "$(r .up) of $N subscribers up after the failover"
IT_RESULT=finished
it_stop b
it_stop c
