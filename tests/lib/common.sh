# shellcheck shell=bash
# A scenario's life (see lib.sh): it_init NAME, then it_pass, it_fail REASON
# or it_skip REASON; a cleanup trap that stops whatever the scenario started
# and removes its namespaces, even when it fails; progress lines; waits with
# deadlines; background processes by name.

# shellcheck disable=SC2034 # read by daemon.sh
IT_SRCDIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

# ---------------------------------------------------------------- state

IT_NAME=
IT_DIR=
IT_RUN=
IT_RESULT=
IT_NETNS=()		# namespaces to remove at the end
IT_NFT_NETNS=()		# those holding nftables tables of ours (it_nft)
IT_PIDS=()		# other processes to stop at the end
declare -A IT_DPID=()	# daemon name -> pid
declare -A IT_DNS=()	# daemon name -> namespace
IT_T0_US=${EPOCHREALTIME//[!0-9]/}

# Tier settings (lib.sh), read by netns.sh, daemon.sh, xl2tpd.sh.
# shellcheck disable=SC2034
IT_NS_PREFIX=
# shellcheck disable=SC2034
IT_DATAPATH=null
# shellcheck disable=SC2034
IT_FAKE_PPPD=1
IT_KEEP_DIR=
IT_KEEP_PASSED=${L2T_KEEP_PASSED:-0}
IT_DEPS_SCRIPT=scripts/install-deps.sh
IT_FAIL_HOOKS=()
IT_CLEANUP_HOOKS=()

# ---------------------------------------------------------------- progress

# it_say TEXT: a measurement or milestone on stderr (stdout carries only the
# verdict line and "bench:" figures), with the time and the seconds since
# it_init.
it_say() {
	local e=$(((${EPOCHREALTIME//[!0-9]/} - IT_T0_US) / 100000))
	printf '  [%s %(%T)T +%d.%ds] %s\n' "$IT_NAME" -1 $((e / 10)) $((e % 10)) "$*" >&2
}

# it_log TEXT: a progress line, printed when L2T_VERBOSE=1.
it_log() {
	if [ "${L2T_VERBOSE:-0}" = 1 ]; then
		it_say "$@"
	fi
}

# ---------------------------------------------------------------- lifecycle

# it_init NAME: unique run id, private temp dir, cleanup trap, binaries.
it_init() {
	IT_NAME=$1
	IT_T0_US=${EPOCHREALTIME//[!0-9]/}
	IT_RUN="l2t$$$(printf '%04x' $((RANDOM % 65536)))"
	# shellcheck disable=SC2034 # read by netns.sh
	IT_NS_PREFIX=$IT_RUN
	IT_DIR=$(mktemp -d "/tmp/${IT_RUN}.XXXXXX")
	IT_KEEP_DIR=${L2T_LOGDIR:-/tmp/l2tpd-integration-logs}/$IT_NAME
	trap it_cleanup EXIT
	trap 'it_fail "interrupted"' INT TERM
	it_find_binaries
	export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=0:detect_leaks=1}
	export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
	if [ "$(id -u)" -ne 0 ]; then
		it_fail "must run as root (network namespaces)"
	fi
}

it_require_cmd() {
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || it_fail "missing command $c (run $IT_DEPS_SCRIPT)"
	done
}

# it_recorded: the reason of a failure recorded in a subshell (it_fail), or
# nothing.
it_recorded() {
	if [ -n "$IT_DIR" ] && [ -s "$IT_DIR/.failed" ]; then
		cat "$IT_DIR/.failed"
	fi
}

it_pass() {
	if [ -n "$(it_recorded)" ]; then
		it_fail "(recorded)"
	fi
	IT_RESULT=pass
	if [ "$IT_KEEP_PASSED" = 1 ]; then
		it_keep_files
	fi
	printf 'PASS %s\n' "$IT_NAME"
	exit 0
}

# it_fail REASON: print the verdict, dump the logs on stderr, exit 1.
# Called in a subshell (a helper inside $(...) or a pipeline), it cannot
# end the scenario and its stdout is not the verdict's: it records REASON
# for the scenario's own shell, which fails with the first reason recorded
# at its next it_fail, it_pass, wait (it_wait) or exit.
it_fail() {
	local why=$*
	if [ "$BASHPID" != "$$" ]; then
		if [ -n "$IT_DIR" ] && [ ! -s "$IT_DIR/.failed" ]; then
			printf '%s\n' "$why" >"$IT_DIR/.failed"
		fi
		printf -- '--- %s: %s\n' "$IT_NAME" "$why" >&2
		exit 1
	fi
	if [ -n "$IT_RESULT" ]; then
		exit 1
	fi
	if [ -n "$(it_recorded)" ]; then
		why=$(it_recorded)
	fi
	IT_RESULT=fail
	printf 'FAIL %s: %s\n' "$IT_NAME" "$why"
	it_dump_logs
	exit 1
}

# it_skip REASON: not run (a missing prerequisite that is not an error);
# exit status 77.  Only the kernel tier's runner reads SKIP; the others
# count it as a failure.
it_skip() {
	IT_RESULT=skip
	printf 'SKIP %s: %s\n' "$IT_NAME" "$*"
	exit 77
}

# it_dump_logs: what a failure leaves to read: the IT_FAIL_HOOKS' files, the
# last lines of every log on stderr, all files copied to IT_KEEP_DIR.
it_dump_logs() {
	local f hook
	[ -n "$IT_DIR" ] && [ -d "$IT_DIR" ] || return 0
	for hook in "${IT_FAIL_HOOKS[@]}"; do
		"$hook" || true
	done
	for f in "$IT_DIR"/*.log; do
		[ -f "$f" ] || continue
		printf -- '--- %s: last lines of %s\n' "$IT_NAME" "${f##*/}" >&2
		tail -n 30 "$f" >&2
	done
	it_keep_files
}

# it_keep_files: copy the scenario's files to IT_KEEP_DIR.
it_keep_files() {
	[ -n "$IT_KEEP_DIR" ] && [ -n "$IT_DIR" ] && [ -d "$IT_DIR" ] || return 0
	rm -rf "$IT_KEEP_DIR"
	mkdir -p "$IT_KEEP_DIR"
	cp -a "$IT_DIR"/. "$IT_KEEP_DIR"/ 2>/dev/null || true
	printf -- '--- %s: files kept in %s\n' "$IT_NAME" "$IT_KEEP_DIR" >&2
}

# it_cleanup (the EXIT trap): a verdict if there was none (the script died
# on an error), the IT_CLEANUP_HOOKS (last added first), every daemon
# stopped (all told at once: SIGTERM, up to 3 s each, then SIGKILL),
# whatever still runs in our namespaces killed, the namespaces removed.
it_cleanup() {
	local rc=$? pid ns t i pids
	trap - EXIT INT TERM
	set +e
	if [ -z "$IT_RESULT" ]; then
		IT_RESULT=fail
		if [ -n "$(it_recorded)" ]; then
			printf 'FAIL %s: %s\n' "$IT_NAME" "$(it_recorded)"
		else
			printf 'FAIL %s: script error (exit %s)\n' "$IT_NAME" "$rc"
		fi
		it_dump_logs
		rc=1
	fi
	for ((i = ${#IT_CLEANUP_HOOKS[@]} - 1; i >= 0; i--)); do
		"${IT_CLEANUP_HOOKS[i]}"
	done
	pids=("${IT_DPID[@]}" "${IT_PIDS[@]}")
	for pid in "${pids[@]}"; do
		kill -TERM "$pid" 2>/dev/null
	done
	for pid in "${pids[@]}"; do
		it_stop_pid "$pid" 3
	done
	for ns in "${IT_NETNS[@]}"; do
		# Whatever still runs there (pppd children of xl2tpd).
		for pid in $(ip netns pids "$ns" 2>/dev/null); do
			kill -KILL "$pid" 2>/dev/null
		done
	done
	for ns in "${IT_NFT_NETNS[@]}"; do
		for t in $(ip netns exec "$ns" nft list tables 2>/dev/null | awk '{print $2 ":" $3}'); do
			ip netns exec "$ns" nft delete table "${t%%:*}" "${t#*:}" 2>/dev/null
		done
	done
	for ns in "${IT_NETNS[@]}"; do
		ip netns del "$ns" 2>/dev/null
	done
	if [ -n "$IT_DIR" ] && [ -d "$IT_DIR" ] && [ "${L2T_KEEP:-0}" != 1 ]; then
		rm -rf "$IT_DIR"
	fi
	exit "$rc"
}

# ---------------------------------------------------------------- time

it_now() { date +%s.%N; }

# it_elapsed START [DECIMALS]: seconds since START (from it_now), with
# DECIMALS (default 2) decimals.
it_elapsed() {
	awk -v s="$1" -v e="$(it_now)" -v d="${2:-2}" 'BEGIN { printf "%.*f", d, e - s }'
}

# it_poll SECONDS STEP CMD...: run CMD every STEP seconds until it succeeds;
# 1 when SECONDS (whole seconds) pass first.  A failure recorded meanwhile
# (it_fail in a subshell) ends the scenario at once.
it_poll() {
	local end=$((EPOCHSECONDS + $1)) step=$2
	shift 2
	while :; do
		if "$@"; then
			return 0
		fi
		if [ -n "$IT_DIR" ] && [ -s "$IT_DIR/.failed" ]; then
			it_fail "(recorded)"
		fi
		if [ "$EPOCHSECONDS" -ge "$end" ]; then
			return 1
		fi
		sleep "$step"
	done
}

# it_wait SECONDS CMD...: it_poll every 0.2 s.
it_wait() {
	local limit=$1
	shift
	it_poll "$limit" 0.2 "$@"
}

# ---------------------------------------------------------------- processes

# it_daemon NAME NS CMD...: run CMD in the background in NS, its stdout and
# stderr in $IT_DIR/NAME.log; stopped by the cleanup.
it_daemon() {
	local name=$1 ns=$2
	shift 2
	ip netns exec "$ns" "$@" </dev/null >"$IT_DIR/$name.log" 2>&1 &
	IT_DPID[$name]=$!
	# shellcheck disable=SC2034 # read by it_ctl (daemon.sh)
	IT_DNS[$name]=$ns
	it_log "started $name (pid ${IT_DPID[$name]}) in $ns: $*"
}

# it_stop_pid PID [SECONDS]: SIGTERM, wait up to SECONDS (default 5), then
# SIGKILL.
it_stop_pid() {
	local pid=$1 wait=${2:-5} i
	kill -0 "$pid" 2>/dev/null || return 0
	kill -TERM "$pid" 2>/dev/null || true
	for ((i = 0; i < wait * 10; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null; then
		kill -KILL "$pid" 2>/dev/null || true
	fi
	wait "$pid" 2>/dev/null || true
}

it_alive() { kill -0 "${IT_DPID[$1]}" 2>/dev/null; }
it_dead() { ! kill -0 "${IT_DPID[$1]}" 2>/dev/null; }

# it_exit_status NAME: how the daemon NAME ended ("exit status N", "killed
# by signal N").
it_exit_status() {
	local rc=0
	wait "${IT_DPID[$1]}" 2>/dev/null || rc=$?
	if [ "$rc" -gt 128 ]; then
		echo "killed by signal $((rc - 128))"
	else
		echo "exit status $rc"
	fi
}

# it_grep_log NAME ERE: 0 when the log of NAME matches ERE, case ignored.
it_grep_log() {
	grep -Eiq -- "$2" "$IT_DIR/$1.log" 2>/dev/null
}

# it_grep_log_case NAME ERE: the same, case matched.
it_grep_log_case() {
	grep -Eq -- "$2" "$IT_DIR/$1.log" 2>/dev/null
}
