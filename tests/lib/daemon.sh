# shellcheck shell=bash
# Our daemon (see lib.sh): l2tpd started in a namespace under a name,
# l2tpctl against it (text and --json), the rows and counters of its show
# commands, a clean stop, and its redundancy show.
#
# What these helpers read (`l2tpctl --json`, with jq):
#   show l2tp tunnel [detail]   rows: local_tunnel_id, remote_tunnel_id,
#                               state, sessions, remote_address
#   show l2tp session [detail]  rows: state, ppp_up
#   show l2tp statistics        it_stat NAME PATH: one number at PATH
#   any show                    it_num NAME PATH WORDS...: the same
#   show l2tp redundancy [detail|all]  role, standby_up, in_sync,
#     checkpointed.{tunnels,sessions}, tunnel_totals.{total,ha_established,
#     resyncing}, session_totals.{total,ha_established},
#     resynced_tunnels.{success,fail}, resync_duration_ms,
#     resync_in_progress, takeovers, takeover_tunnels, takeover_sessions,
#     takeover_rebuild_ms

# it_find_binaries: L2TPD and L2TPCTL (see lib.sh: L2T_BUILD).
it_find_binaries() {
	local b
	if [ -z "${L2TPD:-}" ] || [ -z "${L2TPCTL:-}" ]; then
		if [ -n "${L2T_BUILD:-}" ]; then
			b=$L2T_BUILD
		elif [ -x "$IT_SRCDIR/build-san/l2tpd/l2tpd" ]; then
			b=$IT_SRCDIR/build-san
		else
			b=$IT_SRCDIR/build
		fi
		L2TPD=${L2TPD:-$b/l2tpd/l2tpd}
		L2TPCTL=${L2TPCTL:-$b/cli/l2tpctl}
	fi
	L2TPD=$(readlink -f "$L2TPD" 2>/dev/null || echo "$L2TPD")
	L2TPCTL=$(readlink -f "$L2TPCTL" 2>/dev/null || echo "$L2TPCTL")
}

it_require_l2tpd() {
	[ -x "$L2TPD" ] || it_fail "l2tpd binary not found: $L2TPD (set L2T_BUILD)"
	[ -x "$L2TPCTL" ] || it_fail "l2tpctl binary not found: $L2TPCTL (set L2T_BUILD)"
}

# ---------------------------------------------------------------- start, l2tpctl

# it_l2tpd NAME NS CONFIG_TEXT [DATAPATH]: write $IT_DIR/NAME.conf and start
# l2tpd in NS (data path DATAPATH, default $IT_DATAPATH), control socket
# $IT_DIR/NAME.sock, log $IT_DIR/NAME.log; waits until the socket answers.
# L2T_DEBUG categories are switched on.
it_l2tpd() {
	local name=$1 ns=$2 cat
	it_require_l2tpd
	printf '%s\n' "$3" >"$IT_DIR/$name.conf"
	it_daemon "$name" "$ns" "$L2TPD" -f -c "$IT_DIR/$name.conf" -s "$IT_DIR/$name.sock" \
		-d "${4:-$IT_DATAPATH}"
	if ! it_wait 15 it_ctl_ready "$name"; then
		it_alive "$name" ||
			it_fail "l2tpd $name exited at start-up: $(tail -n 3 "$IT_DIR/$name.log" | tr '\n' ' ')"
		it_fail "l2tpd $name control socket did not answer within 15 s"
	fi
	for cat in ${L2T_DEBUG:-}; do
		it_ctl "$name" debug l2tp "$cat" >/dev/null || it_fail "debug l2tp $cat refused by $name"
	done
}

it_ctl_ready() {
	it_alive "$1" && [ -S "$IT_DIR/$1.sock" ] && it_ctl "$1" show l2tp tunnel >/dev/null 2>&1
}

# it_ctl NAME ARGS...: l2tpctl against daemon NAME, in its namespace; at
# most 20 s for the answer (l2tpctl -t).
it_ctl() {
	local name=$1
	shift
	ip netns exec "${IT_DNS[$name]}" "$L2TPCTL" -t 20 -s "$IT_DIR/$name.sock" "$@"
}

# it_json NAME ARGS...: l2tpctl --json; 1 (and a line on stderr) when the
# answer is not valid JSON.
it_json() {
	local name=$1 out
	shift
	out=$(it_ctl "$name" --json "$@") || return 1
	if ! printf '%s\n' "$out" | jq -e . >/dev/null 2>&1; then
		printf -- '--- %s: l2tpctl --json %s on %s: not valid JSON: %.300s\n' \
			"$IT_NAME" "$*" "$name" "$out" >&2
		return 1
	fi
	printf '%s\n' "$out"
}

# ---------------------------------------------------------------- rows, counts

# jq filter: the rows of a show, whether the answer is an array or an object
# holding one array ({"tunnels": [...]}).
IT_JQ_ROWS='if type == "array" then .[] else (.[] | arrays | .[]) end'

# it_tunnels NAME [STATE]: number of tunnels (in STATE if given).
it_tunnels() {
	local j
	j=$(it_json "$1" show l2tp tunnel) || { echo -1; return 1; }
	printf '%s\n' "$j" | jq --arg s "${2:-}" \
		"[$IT_JQ_ROWS | select(\$s == \"\" or .state == \$s)] | length"
}

# it_sessions NAME [STATE]: number of sessions (in STATE if given).
it_sessions() {
	local j
	j=$(it_json "$1" show l2tp session) || { echo -1; return 1; }
	printf '%s\n' "$j" | jq --arg s "${2:-}" \
		"[$IT_JQ_ROWS | select(\$s == \"\" or .state == \$s)] | length"
}

# it_ppp_up NAME: number of sessions whose PPP reached IPCP Opened.
it_ppp_up() {
	it_json "$1" show l2tp session | jq "[$IT_JQ_ROWS | select(.ppp_up == true)] | length"
}

# it_tunnel_ids NAME: local ids of NAME's tunnels, one a line.
it_tunnel_ids() {
	it_json "$1" show l2tp tunnel | jq -r "$IT_JQ_ROWS | .local_tunnel_id"
}

# it_num NAME PATH ARGS...: the number at jq PATH of `l2tpctl --json ARGS`;
# fails the scenario when the answer is not valid JSON or holds no number
# there (a renamed or moved key is a failure, never a 0).
it_num() {
	local name=$1 path=$2 j v
	shift 2
	j=$(it_json "$name" "$@") || it_fail "no valid JSON answer to $* from $name"
	v=$(printf '%s\n' "$j" | jq -e "$path | numbers") ||
		it_fail "$* on $name has no number at $path"
	printf '%s\n' "$v"
}

# it_stat NAME PATH: the number at PATH (".ppp_auth_failures",
# ".control_channels.tx_retransmits") of `show l2tp statistics`.
it_stat() {
	it_num "$1" "$2" show l2tp statistics
}

# Predicates for it_wait.
it_tunnels_eq() { [ "$(it_tunnels "$1" "${3:-}" 2>/dev/null)" = "$2" ]; }
it_sessions_eq() { [ "$(it_sessions "$1" "${3:-}" 2>/dev/null)" = "$2" ]; }
it_ppp_up_eq() { [ "$(it_ppp_up "$1" 2>/dev/null)" = "$2" ]; }

# it_counts_ok NAME TUNNELS SESSIONS: both established counts match.
it_counts_ok() {
	it_tunnels_eq "$1" "$2" established && it_sessions_eq "$1" "$3" established
}

# it_counts NAME: "T tunnels (E established), S sessions (F established)".
it_counts() {
	printf '%s tunnels (%s established), %s sessions (%s established)' \
		"$(it_tunnels "$1")" "$(it_tunnels "$1" established)" \
		"$(it_sessions "$1")" "$(it_sessions "$1" established)"
}

# ---------------------------------------------------------------- health, stop

# it_sanitizer_clean NAME: 0 when the log has no sanitizer report.
it_sanitizer_clean() {
	! grep -Eq 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:|SUMMARY: (Address|Undefined|Leak)Sanitizer' \
		"$IT_DIR/$1.log"
}

# it_check_healthy NAME: alive and no sanitizer report, else fail.
it_check_healthy() {
	it_alive "$1" || it_fail "$1 died: $(it_exit_status "$1")"
	it_sanitizer_clean "$1" || it_fail "$1 log has a sanitizer report"
}

# it_stop NAME [SECONDS]: SIGTERM, wait for exit (default 30 s); fails the
# scenario if the daemon does not exit, exits non-zero, or left a sanitizer
# report.
it_stop() {
	local name=$1 limit=${2:-30} pid rc=0
	pid=${IT_DPID[$name]}
	it_log "stopping $name"
	kill -TERM "$pid" 2>/dev/null || it_fail "$name was not running at stop"
	if ! it_wait "$limit" it_dead "$name"; then
		it_fail "$name did not exit within $limit s of SIGTERM"
	fi
	wait "$pid" 2>/dev/null || rc=$?
	it_log "$name stopped (status $rc)"
	unset "IT_DPID[$name]"
	it_sanitizer_clean "$name" || it_fail "$name log has a sanitizer report"
	[ "$rc" -eq 0 ] || it_fail "$name exited with status $rc after SIGTERM"
}

# ---------------------------------------------------------------- redundancy

# it_ha_red NAME [detail|all|...]: `show l2tp redundancy` as JSON.
it_ha_red() {
	local name=$1
	shift
	it_json "$name" show l2tp redundancy "$@"
}

# it_ha_role NAME: its role, lower case (standalone, init, standby, active,
# fault).
it_ha_role() {
	it_ha_red "$1" 2>/dev/null | jq -r '.role // empty' | tr '[:upper:]' '[:lower:]'
}

# it_ha_is NAME ROLE: NAME's role is ROLE.
it_ha_is() { [ "$(it_ha_role "$1")" = "$2" ]; }

# it_ha_standby_has NAME TUNNELS SESSIONS: the standby NAME says it is in
# sync and holds exactly these numbers of tunnels and sessions.
it_ha_standby_has() {
	it_ha_red "$1" 2>/dev/null | jq -e --argjson t "$2" --argjson s "$3" \
		'.in_sync == true and .checkpointed.tunnels == $t and .checkpointed.sessions == $s' >/dev/null
}

# it_ha_resync_done NAME OK0 FAIL0 N: at least N tunnels resynced (either
# way) since the counts were OK0 FAIL0, and none is still resyncing.
it_ha_resync_done() {
	it_ha_red "$1" 2>/dev/null | jq -e --argjson o "$2" --argjson f "$3" --argjson n "$4" \
		'((.resynced_tunnels.success - $o) + (.resynced_tunnels.fail - $f)) >= $n
		 and .resync_in_progress == false' >/dev/null
}

# it_ha_summary NAME: one line of its redundancy summary, for messages.
it_ha_summary() {
	it_ha_red "$1" 2>/dev/null | jq -r 'def v(f): if f == null then "-" else f end;
		"role \(.role), standby_up \(v(.standby_up)), in_sync \(v(.in_sync)), tunnels \(v(.tunnel_totals.total))/\(v(.tunnel_totals.ha_established)) resyncing \(v(.tunnel_totals.resyncing)), sessions \(v(.session_totals.total))/\(v(.session_totals.ha_established)), checkpointed \(v(.checkpointed.tunnels))/\(v(.checkpointed.sessions)), resync ok/fail \(v(.resynced_tunnels.success))/\(v(.resynced_tunnels.fail)) in \(v(.resync_duration_ms)) ms, takeovers \(v(.takeovers)) (rebuilt \(v(.takeover_tunnels))/\(v(.takeover_sessions)) in \(v(.takeover_rebuild_ms)) ms)"' 2>/dev/null ||
		echo "(no answer)"
}
