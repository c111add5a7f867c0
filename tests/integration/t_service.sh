#!/bin/bash
# l2tpd as a service: the sd_notify protocol against a real NOTIFY_SOCKET
# (notify_listen.py plays systemd), the watchdog fed from the event loop,
# journald's priority prefixes, and the Prometheus endpoint under bad input.
#   - READY=1 once the daemon answers, WATCHDOG=1 every half of
#     WATCHDOG_USEC (400 ms), none while `test service block-loop 2` wedges
#     the loop, RELOADING=1 then READY=1 on SIGHUP, STOPPING=1 on SIGTERM,
#     in this order;
#   - `l2tpctl restart`: the new process says MAINPID= (its own) and
#     READY=1, and feeds the watchdog (WATCHDOG_PID set as systemd sets it);
#   - with JOURNAL_STREAM naming its stderr, every log line is "<prio>text";
#   - /metrics (from the LAC's namespace, with a tunnel and two sessions up)
#     passes `promtool check metrics`; another path, another method, a body,
#     garbage and an oversized request are refused or dropped, counted the
#     same in `show metrics` and in /metrics, and logged rate-limited.
# shellcheck disable=SC2016,SC2317 # $1 in single quotes are bash -c's; functions run by it_wait
set -euo pipefail
. "$(dirname "$0")/lib.sh"
it_init service
it_require_l2tpd
it_require_cmd jq ip curl promtool python3
it_two_hosts
PORT=9101
NOTIFY=$IT_DIR/notify.sock

# It listens until the cleanup stops it; ready once its socket is bound (a
# loaded machine may take seconds to start python), or never if it exited.
python3 "$(dirname "$0")/notify_listen.py" "$NOTIFY" 3600 >"$IT_DIR/notify.out" 2>&1 &
listener=$!
IT_PIDS+=("$listener")
listener_settled() { test -S "$NOTIFY" || ! kill -0 "$listener" 2>/dev/null; }
it_wait 300 listener_settled
test -S "$NOTIFY" || it_fail "the notification listener did not start: $(tail -n 3 "$IT_DIR/notify.out")"

printf '%s\nmetrics listen %s port %s\n' "$(it_conf_lns lns1 s3cret)" "$IT_LNS_ADDR" "$PORT" >"$IT_DIR/lns.conf"
: >"$IT_DIR/lns.log"
js=$(stat -c '%d:%i' "$IT_DIR/lns.log")
# WATCHDOG_PID: this PID (bash execs env, which execs l2tpd), as systemd
# sets it; a hitless restart must hand the watchdog to the new process.
it_daemon lns "$NS_LNS" bash -c 'WATCHDOG_PID=$$ exec env "$@"' - NOTIFY_SOCKET="$NOTIFY" \
	WATCHDOG_USEC=400000 JOURNAL_STREAM="$js" \
	"$L2TPD" -f -c "$IT_DIR/lns.conf" -s "$IT_DIR/lns.sock" -d "$IT_DATAPATH"
it_wait 15 it_ctl_ready lns || it_fail "l2tpd did not answer: $(tail -n 3 "$IT_DIR/lns.log")"

# notes: the notification lines (time, message)
notes() { cat "$IT_DIR/notify.out"; }
count() { notes | grep -c " $1\$" || true; }
ready_seen() { notes | grep -q ' READY=1|'; }
it_wait 5 ready_seen || it_fail "no READY=1: $(notes | head -n 3)"
notes | head -n 1 | grep -q ' READY=1|STATUS=standalone' || it_fail "the first notification is not READY: $(notes | head -n 1)"
wd_ge() { [ "$(count WATCHDOG=1)" -ge "$1" ]; }
it_wait 5 wd_ge 4 || it_fail "WATCHDOG=1 not sent every 200 ms: $(count WATCHDOG=1)"

# journald: "<prio>message" lines, no timestamps
bad=$(grep -cv '^<[0-7]>' "$IT_DIR/lns.log" || true)
[ "$bad" = 0 ] || it_fail "$bad log lines without a priority prefix: $(grep -v '^<[0-7]>' "$IT_DIR/lns.log" | head -n 2)"
grep -q '^<5>started' "$IT_DIR/lns.log" || it_fail "no '<5>started' (notice) line"

# a wedged loop stops feeding the watchdog
before=$(count WATCHDOG=1)
t0=$(awk 'END { print $1 }' "$IT_DIR/notify.out")
it_ctl lns test service block-loop 2 >/dev/null || it_fail "test service block-loop refused"
it_wait 5 wd_ge $((before + 3)) || it_fail "the watchdog did not resume after the loop ran again"
gap=$(awk -v t0="$t0" '$2 == "WATCHDOG=1" && $1 >= t0 { if (p) { g = $1 - p; if (g > m) m = g } p = $1 } END { printf "%.2f", m }' "$IT_DIR/notify.out")
normal=$(awk -v t0="$t0" '$2 == "WATCHDOG=1" && $1 < t0 { if (p) { g = $1 - p; if (g > m) m = g } p = $1 } END { printf "%.2f", m }' "$IT_DIR/notify.out")
awk -v g="$gap" 'BEGIN { exit !(g >= 1.8) }' || it_fail "no WATCHDOG gap while the loop was blocked for 2 s (longest gap $gap s)"
awk -v g="$normal" 'BEGIN { exit !(g < 1.0) }' || it_fail "WATCHDOG gaps of $normal s before the block"
it_say "watchdog: every 0.2 s (longest gap $normal s), none for $gap s while the loop was blocked"

# metrics with traffic: a tunnel and two sessions
it_l2tpd lac "$NS_LAC" "$(it_conf_lac lac1 s3cret "$IT_LNS_ADDR")"
it_ctl lac test vpdn dial vpdn-group LAC sessions 2 >/dev/null || it_fail "dial failed"
it_wait 15 it_sessions_eq lns 2 established || it_fail "sessions: $(it_sessions lns)"
url=http://$IT_LNS_ADDR:$PORT
ip netns exec "$NS_LAC" curl -sf -o "$IT_DIR/metrics.txt" "$url/metrics" || it_fail "no /metrics"
promtool check metrics <"$IT_DIR/metrics.txt" >"$IT_DIR/promtool.txt" 2>&1 ||
	it_fail "promtool: $(head -n 5 "$IT_DIR/promtool.txt" | tr '\n' ' ')"
grep -q '^l2tpd_sessions{state="established"} 2$' "$IT_DIR/metrics.txt" || it_fail "metrics do not say 2 sessions"

# bad requests
code() { ip netns exec "$NS_LAC" curl -s -o /dev/null -w '%{http_code}' "$@"; }
[ "$(code "$url/")" = 404 ] || it_fail "GET / not 404"
[ "$(code -X DELETE "$url/metrics")" = 405 ] || it_fail "DELETE not 405"
[ "$(code -d x=1 "$url/metrics")" = 413 ] || it_fail "a body not 413"
ip netns exec "$NS_LAC" bash -c 'exec 3<>"/dev/tcp/$1/$2"; printf "GARBAGE\r\n\r\n" >&3; timeout 5 cat <&3 >/dev/null' \
	sh "$IT_LNS_ADDR" "$PORT" || true
ip netns exec "$NS_LAC" bash -c 'exec 3<>"/dev/tcp/$1/$2"; printf "GET /metrics HTTP/1.1\r\nX: %020000d\r\n\r\n" 0 >&3; timeout 5 cat <&3 >/dev/null' \
	sh "$IT_LNS_ADDR" "$PORT" || true
j=$(it_json lns show metrics)
for k in not_found bad_method bad_body; do
	[ "$(jq ".$k" <<<"$j")" -ge 1 ] || it_fail "show metrics: $k $(jq ".$k" <<<"$j")"
done
[ "$(jq .dropped <<<"$j")" -ge 2 ] || it_fail "show metrics: dropped $(jq .dropped <<<"$j") (garbage, oversized)"
ip netns exec "$NS_LAC" curl -sf -o "$IT_DIR/metrics2.txt" "$url/metrics" || it_fail "no /metrics after the bad requests"
j=$(it_json lns show metrics)
for k in not_found:not_found bad_method:method bad_body:body dropped:dropped; do
	v=$(awk -v s="l2tpd_metrics_rejected_requests_total{reason=\"${k#*:}\"}" '$1 == s { print $2 }' "$IT_DIR/metrics2.txt")
	if [ -z "$v" ] || [ "$v" != "$(jq ".${k%%:*}" <<<"$j")" ]; then
		it_fail "metrics ${k#*:} '$v' != show metrics ${k%%:*} $(jq ".${k%%:*}" <<<"$j")"
	fi
done
lines=$(grep -c 'metrics: ' "$IT_DIR/lns.log" | tr -d ' ')
[ "$lines" -le 3 ] || it_fail "$lines log lines for 5 bad requests within seconds: not rate-limited"
it_say "bad requests: $(jq -c '{not_found, bad_method, bad_body, dropped}' <<<"$j"), $lines log lines"

# the hitless restart: the new process says MAINPID= and READY=1, and
# feeds the watchdog once the old one is gone (WATCHDOG_PID is its own)
old=${IT_DPID[lns]}
out=$(it_ctl lns restart 2>&1) || it_fail "restart: $out"
new=$(printf '%s\n' "$out" | sed -n 's/.*PID [0-9]* -> \([0-9]*\),.*/\1/p')
[ -n "$new" ] || it_fail "restart: no new PID in: $out"
gone() { ! kill -0 "$1" 2>/dev/null || grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null; }
it_wait 10 gone "$old" || it_fail "the old process did not exit after the restart"
wait "$old" 2>/dev/null || true
IT_DPID[lns]=$new
notes | grep -q " MAINPID=$new\$" || it_fail "no MAINPID=$new from the new process"
notes | grep -q " READY=1|.*|MAINPID=$new\$" || it_fail "no READY=1 from the new process"
before=$(count WATCHDOG=1)
it_wait 3 wd_ge $((before + 4)) || it_fail "the new process does not feed the watchdog ($(count WATCHDOG=1) after $before)"

# reload, then stop: RELOADING=1, READY=1 ... STOPPING=1, in that order
kill -HUP "${IT_DPID[lns]}"
reloaded() { notes | grep -q ' RELOADING=1|MONOTONIC_USEC=[0-9]*$'; }
it_wait 5 reloaded || it_fail "no RELOADING=1 after SIGHUP"
it_alive lns || it_fail "SIGHUP killed the daemon"
it_stop lac
kill -TERM "${IT_DPID[lns]}"	# the new process is not this shell's child: it_stop cannot wait
it_wait 30 gone "${IT_DPID[lns]}" || it_fail "the LNS did not exit on SIGTERM"
unset "IT_DPID[lns]"
it_sanitizer_clean lns || it_fail "the LNS log has a sanitizer report"
stopped() { notes | grep -q ' STOPPING=1$'; }
it_wait 5 stopped || it_fail "no STOPPING=1 after SIGTERM"
seq=$(notes | awk '{ print $2 }' | grep -v '^WATCHDOG=1$' | sed 's/|.*//' | sed 's/^MAINPID=.*/MAINPID/' | tr '\n' ' ')
[ "$seq" = "READY=1 MAINPID READY=1 RELOADING=1 READY=1 STOPPING=1 " ] || it_fail "notifications out of order: $seq"
it_say "notifications: $seq(and $(count WATCHDOG=1) WATCHDOG=1)"
it_pass
