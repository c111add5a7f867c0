# shellcheck shell=bash
# Helpers for the integration scenarios: network namespaces joined by veth,
# nftables packet loss, daemons (ours and xl2tpd) started inside namespaces,
# polling with deadlines, and a cleanup trap that removes everything a
# scenario created even when it fails.
#
# A scenario sources this file, calls `it_init NAME`, and ends with `it_pass`
# or `it_fail REASON`.  It prints exactly one line on stdout:
#   PASS NAME
#   FAIL NAME: REASON
# Diagnostics (daemon log tails) go to stderr.
#
# Environment:
#   L2T_BUILD    build directory holding l2tpd/l2tpd and cli/l2tpctl
#                (default: build-san/ or build/ under the source tree)
#   L2TPD, L2TPCTL  explicit binaries (override L2T_BUILD)
#   L2T_LOGDIR   where the logs of a failed scenario are kept
#                (default: /tmp/l2tpd-integration-logs)
#   L2T_VERBOSE  1: print progress lines on stderr
#   L2T_DEBUG    debug categories to switch on in our daemons ("fsm sequence")
#   L2T_KEEP     1: keep the temporary directory of every scenario

IT_SRCDIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

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

# ---------------------------------------------------------------- lifecycle

IT_NAME=
IT_DIR=
IT_RUN=
IT_NETNS=()
IT_PIDS=()
IT_RESULT=
declare -A IT_DPID=()	# daemon name -> pid
declare -A IT_DNS=()	# daemon name -> namespace

it_log() {
	if [ "${L2T_VERBOSE:-0}" = 1 ]; then
		printf '  [%s %s] %s\n' "$IT_NAME" "$(date +%T)" "$*" >&2
	fi
}

# it_init NAME: unique run id, private temp dir, cleanup trap.
it_init() {
	IT_NAME=$1
	IT_RUN="l2t$$$(printf '%04x' $((RANDOM % 65536)))"
	IT_DIR=$(mktemp -d "/tmp/${IT_RUN}.XXXXXX")
	trap it_cleanup EXIT
	trap 'it_fail "interrupted"' INT TERM
	it_find_binaries
	export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=0:detect_leaks=1}
	export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
	if [ "$(id -u)" -ne 0 ]; then
		it_fail "must run as root (network namespaces)"
	fi
}

it_require_l2tpd() {
	[ -x "$L2TPD" ] || it_fail "l2tpd binary not found: $L2TPD (set L2T_BUILD)"
	[ -x "$L2TPCTL" ] || it_fail "l2tpctl binary not found: $L2TPCTL (set L2T_BUILD)"
}

it_require_cmd() {
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || it_fail "missing command $c (run scripts/install-deps.sh)"
	done
}

it_pass() {
	IT_RESULT=pass
	printf 'PASS %s\n' "$IT_NAME"
	exit 0
}

# it_fail REASON: print the verdict, dump the logs on stderr, exit 1.
it_fail() {
	if [ -n "$IT_RESULT" ]; then
		exit 1
	fi
	IT_RESULT=fail
	printf 'FAIL %s: %s\n' "$IT_NAME" "$*"
	it_dump_logs
	exit 1
}

it_dump_logs() {
	local f keep
	[ -n "$IT_DIR" ] && [ -d "$IT_DIR" ] || return 0
	keep=${L2T_LOGDIR:-/tmp/l2tpd-integration-logs}/$IT_NAME
	rm -rf "$keep"
	mkdir -p "$keep"
	cp -a "$IT_DIR"/. "$keep"/ 2>/dev/null || true
	for f in "$IT_DIR"/*.log; do
		[ -f "$f" ] || continue
		printf -- '--- %s: last lines of %s\n' "$IT_NAME" "$(basename "$f")" >&2
		tail -n 25 "$f" >&2
	done
	printf -- '--- %s: all files kept in %s\n' "$IT_NAME" "$keep" >&2
}

# Stop one process by pid: TERM, wait up to $2 s (default 5), then KILL.
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

it_cleanup() {
	local rc=$? pid ns t
	trap - EXIT INT TERM
	set +e
	if [ -z "$IT_RESULT" ]; then
		# Died on an unexpected error (set -e) without a verdict.
		IT_RESULT=fail
		printf 'FAIL %s: script error (exit %s)\n' "$IT_NAME" "$rc"
		it_dump_logs
		rc=1
	fi
	for pid in "${IT_DPID[@]}" "${IT_PIDS[@]}"; do
		it_stop_pid "$pid" 3
	done
	for ns in "${IT_NETNS[@]}"; do
		# Whatever still runs in our own namespaces (pppd children of xl2tpd).
		for pid in $(ip netns pids "$ns" 2>/dev/null); do
			kill -KILL "$pid" 2>/dev/null
		done
		for t in $(ip netns exec "$ns" nft list tables 2>/dev/null | awk '{print $2 " " $3}' | tr ' ' ':'); do
			ip netns exec "$ns" nft delete table "${t%%:*}" "${t#*:}" 2>/dev/null
		done
		ip netns del "$ns" 2>/dev/null
	done
	if [ -n "$IT_DIR" ] && [ -d "$IT_DIR" ] && [ "${L2T_KEEP:-0}" != 1 ]; then
		rm -rf "$IT_DIR"
	fi
	exit "$rc"
}

# ---------------------------------------------------------------- network

# it_netns VAR SUFFIX: create namespace "$IT_RUN-SUFFIX" (loopback up) and
# store its name in variable VAR.
it_netns() {
	local ns="$IT_RUN-$2"
	ip netns add "$ns" || it_fail "ip netns add $ns failed"
	IT_NETNS+=("$ns")
	ip -n "$ns" link set lo up
	printf -v "$1" '%s' "$ns"
}

# it_veth NS1 ADDR1/LEN NS2 ADDR2/LEN: a veth pair "veth0" joining two namespaces.
it_veth() {
	local ns1=$1 a1=$2 ns2=$3 a2=$4
	ip -n "$ns1" link add veth0 type veth peer name veth0 netns "$ns2" ||
		it_fail "veth between $ns1 and $ns2 failed"
	ip -n "$ns1" addr add "$a1" dev veth0
	ip -n "$ns2" addr add "$a2" dev veth0
	ip -n "$ns1" link set veth0 up
	ip -n "$ns2" link set veth0 up
}

# it_loss NS PERCENT: drop PERCENT % of UDP packets at random, in both
# directions, in namespace NS (nftables numgen; there is no netem here).
it_loss() {
	local ns=$1 pct=$2
	ip netns exec "$ns" nft -f - <<-EOF || it_fail "nftables loss rule failed in $ns"
	table inet l2tloss {
		counter dropped_in { }
		counter dropped_out { }
		chain input {
			type filter hook input priority 0; policy accept;
			meta l4proto udp numgen random mod 100 < $pct counter name dropped_in drop
		}
		chain output {
			type filter hook output priority 0; policy accept;
			meta l4proto udp numgen random mod 100 < $pct counter name dropped_out drop
		}
	}
	EOF
}

# it_loss_counts NS: "in OUT" packets dropped so far.
it_loss_counts() {
	local ns=$1
	ip netns exec "$ns" nft -j list counters table inet l2tloss 2>/dev/null |
		jq -r '[.nftables[] | select(.counter) | .counter | {(.name): .packets}] | add
		       | "\(.dropped_in // 0) \(.dropped_out // 0)"'
}

it_loss_off() {
	ip netns exec "$1" nft delete table inet l2tloss 2>/dev/null || true
}

# ---------------------------------------------------------------- polling

it_now() { date +%s.%N; }

# it_elapsed START: seconds since START (from it_now), 2 decimals.
it_elapsed() {
	awk -v s="$1" -v e="$(it_now)" 'BEGIN { printf "%.2f", e - s }'
}

# it_wait SECONDS CMD...: poll CMD every 0.2 s until it succeeds; 1 on timeout.
it_wait() {
	local limit=$1 end
	shift
	end=$(($(date +%s) + limit))
	while :; do
		if "$@"; then
			return 0
		fi
		if [ "$(date +%s)" -ge "$end" ]; then
			return 1
		fi
		sleep 0.2
	done
}

# ---------------------------------------------------------------- our daemon

# it_l2tpd NAME NS CONFIG_TEXT: write the config and start l2tpd in NS;
# waits until its control socket answers.
it_l2tpd() {
	local name=$1 ns=$2 conf=$3 pid
	printf '%s\n' "$conf" >"$IT_DIR/$name.conf"
	ip netns exec "$ns" "$L2TPD" -f -c "$IT_DIR/$name.conf" -s "$IT_DIR/$name.sock" -d null \
		</dev/null >"$IT_DIR/$name.out" 2>"$IT_DIR/$name.log" &
	pid=$!
	IT_DPID[$name]=$pid
	IT_DNS[$name]=$ns
	it_log "started l2tpd $name pid $pid in $ns"
	if ! it_wait 15 it_ctl_ready "$name"; then
		if ! kill -0 "$pid" 2>/dev/null; then
			it_fail "l2tpd $name exited at start-up"
		fi
		it_fail "l2tpd $name control socket did not answer within 15 s"
	fi
	local cat
	for cat in ${L2T_DEBUG:-}; do
		it_ctl "$name" debug l2tp "$cat" >/dev/null || it_fail "debug l2tp $cat refused by $name"
	done
}

it_ctl_ready() {
	kill -0 "${IT_DPID[$1]}" 2>/dev/null || return 1
	[ -S "$IT_DIR/$1.sock" ] || return 1
	it_ctl "$1" show l2tp tunnel >/dev/null 2>&1
}

# it_ctl NAME ARGS...: l2tpctl against daemon NAME.
it_ctl() {
	local name=$1
	shift
	timeout 20 ip netns exec "${IT_DNS[$name]}" "$L2TPCTL" -s "$IT_DIR/$name.sock" "$@"
}

# it_json NAME ARGS...: l2tpctl --json, checked to be JSON.
it_json() {
	local name=$1 out
	shift
	out=$(it_ctl "$name" --json "$@") || return 1
	printf '%s\n' "$out" | jq -e . >/dev/null 2>&1 || return 1
	printf '%s\n' "$out"
}

# jq filter: the entries of a show, whether the answer is an array or an
# object holding one array ({"tunnels": [...]}).
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

# it_tunnel_ids NAME: local ids of NAME's tunnels, one a line.
it_tunnel_ids() {
	it_json "$1" show l2tp tunnel | jq -r "$IT_JQ_ROWS | .local_tunnel_id"
}

# it_stat NAME FIELD: a counter of `show l2tp statistics` (searched at any depth).
it_stat() {
	it_json "$1" show l2tp statistics |
		jq --arg f "$2" '[.. | objects | select(has($f)) | .[$f]] | first // empty'
}

# Predicates for it_wait.
it_tunnels_eq() { [ "$(it_tunnels "$1" "${3:-}" 2>/dev/null)" = "$2" ]; }
it_sessions_eq() { [ "$(it_sessions "$1" "${3:-}" 2>/dev/null)" = "$2" ]; }
it_alive() { kill -0 "${IT_DPID[$1]}" 2>/dev/null; }
it_dead() { ! kill -0 "${IT_DPID[$1]}" 2>/dev/null; }

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

it_exit_status() {
	local rc=0
	wait "${IT_DPID[$1]}" 2>/dev/null || rc=$?
	if [ "$rc" -gt 128 ]; then
		echo "killed by signal $((rc - 128))"
	else
		echo "exit status $rc"
	fi
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

# it_grep_log NAME ERE: 0 when the daemon log matches.
it_grep_log() {
	grep -Eiq "$2" "$IT_DIR/$1.log"
}

# ---------------------------------------------------------------- configs

# it_conf_lns HOSTNAME SECRET [EXTRA_GROUP_LINES]
it_conf_lns() {
	cat <<-EOF
	hostname $1
	vpdn enable
	vpdn-group LNS
	 accept-dialin
	  protocol l2tp
	 local name $1
	 l2tp tunnel password $2
	 l2tp tunnel hello 60
	 l2tp tunnel retransmit retries ${L2T_RETRIES:-5}
	 l2tp tunnel retransmit timeout min 1
	 l2tp tunnel retransmit timeout max 8
	${3:-}
	EOF
}

# it_conf_lac HOSTNAME SECRET LNS_ADDRESS [EXTRA_GROUP_LINES]
it_conf_lac() {
	cat <<-EOF
	hostname $1
	vpdn enable
	vpdn-group LAC
	 request-dialin
	  protocol l2tp
	 initiate-to ip $3
	 local name $1
	 l2tp tunnel password $2
	 l2tp tunnel hello 60
	 l2tp tunnel retransmit retries ${L2T_RETRIES:-5}
	 l2tp tunnel retransmit timeout min 1
	 l2tp tunnel retransmit timeout max 8
	${4:-}
	EOF
}

# ---------------------------------------------------------------- xl2tpd

# Without kernel PPP, the pppd that xl2tpd starts for every call exits at
# once ("You need to create the /dev/ppp device node") and xl2tpd then
# clears the call.  To keep calls up long enough to observe them, xl2tpd runs
# in a private mount namespace where /usr/sbin/pppd (the path compiled into
# xl2tpd) is a stand-in that only waits to be killed.  L2T_REAL_PPPD=1 keeps
# the real pppd.
it_fake_pppd() {
	cat >"$IT_DIR/pppd" <<-'EOF'
	#!/bin/sh
	# stand-in for pppd: hold the call until xl2tpd sends SIGTERM
	exec sleep 100000
	EOF
	chmod 755 "$IT_DIR/pppd"
}

# it_xl2tpd NAME NS CONFIG_TEXT SECRETS_TEXT: run xl2tpd in the foreground
# in NS with its own config, secrets, pid and control files.
it_xl2tpd() {
	local name=$1 ns=$2 pid pppd=
	printf '%s\n' "$3" >"$IT_DIR/$name.conf"
	printf '%s\n' "$4" >"$IT_DIR/$name.secrets"
	chmod 600 "$IT_DIR/$name.secrets"
	if [ "${L2T_REAL_PPPD:-0}" != 1 ]; then
		it_fake_pppd
		pppd=$IT_DIR/pppd
	fi
	# shellcheck disable=SC2016 # expanded by the inner shell
	ip netns exec "$ns" unshare -m --propagation private sh -c '
		if [ -n "$1" ]; then mount --bind "$1" /usr/sbin/pppd || exit 1; fi
		shift
		exec xl2tpd -D "$@"' sh "$pppd" \
		-c "$IT_DIR/$name.conf" -s "$IT_DIR/$name.secrets" \
		-p "$IT_DIR/$name.pid" -C "$IT_DIR/$name.control" \
		</dev/null >"$IT_DIR/$name.out" 2>"$IT_DIR/$name.log" &
	pid=$!
	IT_DPID[$name]=$pid
	IT_DNS[$name]=$ns
	it_log "started xl2tpd $name pid $pid in $ns"
	if ! it_wait 10 test -p "$IT_DIR/$name.control"; then
		it_alive "$name" || it_fail "xl2tpd $name exited at start-up"
		it_fail "xl2tpd $name did not create its control FIFO"
	fi
	if ! it_wait 10 it_grep_log "$name" 'Listening on IP address'; then
		it_fail "xl2tpd $name is not listening"
	fi
}

# it_xl2tpd_cmd NAME LINE: write one command to xl2tpd's control FIFO.
it_xl2tpd_cmd() {
	# shellcheck disable=SC2016 # expanded by the inner shell
	timeout 5 sh -c 'printf "%s\n" "$1" > "$2"' sh "$2" "$IT_DIR/$1.control" ||
		it_fail "could not write to the xl2tpd control FIFO of $1"
}

# ---------------------------------------------------------------- scenarios

# Addresses used by every scenario, each in its own private namespaces.
IT_LAC_ADDR=10.1.0.1
IT_LNS_ADDR=10.1.0.2

# it_two_hosts: namespaces $NS_LAC and $NS_LNS joined by veth.
it_two_hosts() {
	it_netns NS_LAC lac
	it_netns NS_LNS lns
	it_veth "$NS_LAC" "$IT_LAC_ADDR/24" "$NS_LNS" "$IT_LNS_ADDR/24"
}

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

# it_scenario_scale TUNNELS PER_TUNNEL LOSS_PERCENT TEARDOWN DEADLINE
# Our LAC dials TUNNELS x PER_TUNNEL sessions to our LNS; both sides must show
# them all established (and agree on the tunnel ids and per-tunnel session
# counts); then TEARDOWN ("clear": clear every tunnel on the LAC; "sigterm":
# SIGTERM the LAC) must leave the LNS with no tunnel and no session, and both
# daemons must stop cleanly, without a sanitizer report.
it_scenario_scale() {
	local tunnels=$1 per=$2 loss=$3 teardown=$4 deadline=$5
	local total=$((tunnels * per)) t0 id ids lac_ids lns_ids sum drops
	it_require_l2tpd
	it_require_cmd jq nft ip
	it_two_hosts
	it_l2tpd lns "$NS_LNS" "$(it_conf_lns lns1 s3cret)"
	it_l2tpd lac "$NS_LAC" "$(it_conf_lac lac1 s3cret "$IT_LNS_ADDR")"
	if [ "$loss" -gt 0 ]; then
		it_loss "$NS_LNS" "$loss"
	fi

	t0=$(it_now)
	it_ctl lac test vpdn dial vpdn-group LAC sessions "$total" per-tunnel "$per" >"$IT_DIR/dial.out" 2>&1 ||
		it_fail "dial command failed: $(head -c 300 "$IT_DIR/dial.out")"
	if ! it_wait "$deadline" it_counts_ok lac "$tunnels" "$total"; then
		it_fail "LAC after ${deadline} s: $(it_counts lac) of $tunnels x $per"
	fi
	if ! it_wait 20 it_counts_ok lns "$tunnels" "$total"; then
		it_fail "LNS: $(it_counts lns) of $tunnels x $per"
	fi
	it_log "all $total sessions up in $(it_elapsed "$t0") s"

	# Both sides describe the same tunnels.
	lac_ids=$(it_json lac show l2tp tunnel | jq -r "[$IT_JQ_ROWS | .local_tunnel_id] | sort | join(\",\")")
	lns_ids=$(it_json lns show l2tp tunnel | jq -r "[$IT_JQ_ROWS | .remote_tunnel_id] | sort | join(\",\")")
	[ "$lac_ids" = "$lns_ids" ] || it_fail "LAC local tunnel ids differ from LNS remote tunnel ids"
	sum=$(it_json lns show l2tp tunnel | jq "[$IT_JQ_ROWS | .sessions] | add")
	[ "$sum" = "$total" ] || it_fail "LNS per-tunnel session counts add up to $sum, not $total"
	ids=$(it_json lns show l2tp tunnel |
		jq -r --arg a "$IT_LAC_ADDR" "[$IT_JQ_ROWS | select((.remote_address | tostring | startswith(\$a)) | not)] | length")
	[ "$ids" = 0 ] || it_fail "$ids LNS tunnels do not show remote_address $IT_LAC_ADDR"
	it_check_healthy lac
	it_check_healthy lns

	it_log "counts agree; tearing down ($teardown)"
	case $teardown in
	clear)
		for id in $(it_tunnel_ids lac); do
			it_ctl lac clear l2tp tunnel id "$id" >/dev/null ||
				it_fail "clear l2tp tunnel id $id failed on the LAC"
		done
		if ! it_wait "$deadline" it_tunnels_eq lac 0; then
			it_fail "LAC still has $(it_counts lac) after clearing every tunnel"
		fi
		;;
	sigterm)
		it_stop lac "$deadline"
		;;
	esac
	it_log "LAC side down"
	if ! it_wait "$deadline" it_tunnels_eq lns 0; then
		it_fail "LNS still has $(it_counts lns) after the LAC tore down ($teardown)"
	fi
	it_log "LNS has no tunnel"
	it_sessions_eq lns 0 || it_fail "LNS has $(it_sessions lns) sessions left with no tunnel"
	it_check_healthy lns
	if [ "$loss" -gt 0 ]; then
		drops=$(it_loss_counts "$NS_LNS")
		it_log "packets dropped (in out): $drops"
		[ "$drops" != "0 0" ] || it_fail "the loss rule dropped nothing"
	fi
	if [ "$teardown" = clear ]; then
		it_stop lac
	fi
	it_stop lns
}
