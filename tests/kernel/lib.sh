# shellcheck shell=bash
# Helpers for the VM scenarios (tests/kernel/t_*.sh).  They run only inside
# the test VM (tests/kernel/run.sh boots it): there the root filesystem is
# the host's, read-only, under a throw-away overlay, so a scenario may write
# /etc/ppp/* and load nothing on the host.
#
# A scenario sources this file, calls `kt_init NAME`, and ends with `kt_pass`,
# `kt_fail REASON` or `kt_skip REASON`.  It prints exactly one line on stdout:
#   PASS NAME
#   FAIL NAME: REASON
#   SKIP NAME: REASON      (exit status 77; not counted as passed)
# Progress and diagnostics go to stderr; on failure the logs of every daemon
# are dumped there and copied to $KT_LOGDIR/NAME.
#
# Environment (passed in by run.sh):
#   L2T_BUILD   build directory holding l2tpd/l2tpd and cli/l2tpctl
#   KT_LOGDIR   where the files of a failed scenario are kept
#   KT_SRCDIR   the source tree (default: two levels above this file)
#   KT_KEEP_LOGS 1: keep the files of passed scenarios too

KT_SRCDIR=${KT_SRCDIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
KT_GUEST_MARK=/run/l2tpd-ha-vm-guest

# Binaries of this project, for the scenarios that drive our daemon.
kt_find_binaries() {
	local b=${L2T_BUILD:-$KT_SRCDIR/build}
	L2TPD=${L2TPD:-$b/l2tpd/l2tpd}
	L2TPCTL=${L2TPCTL:-$b/cli/l2tpctl}
}

# ---------------------------------------------------------------- lifecycle

KT_NAME=
KT_DIR=
KT_RESULT=
KT_T0=
KT_NETNS=()
declare -A KT_PID=()	# daemon name -> pid
declare -A KT_NS=()	# daemon name -> namespace

kt_log() {
	printf '  [%s +%ss] %s\n' "$KT_NAME" "$(kt_elapsed "$KT_T0")" "$*" >&2
}

# kt_init NAME: refuse to run outside the VM, private temp dir, cleanup trap,
# and a clean PPP configuration (the host's /etc/ppp/options has `auth`,
# `lock`, `modem`... which do not belong in these tests).
kt_init() {
	KT_NAME=$1
	KT_T0=$(kt_now)
	if [ ! -f "$KT_GUEST_MARK" ] || [ "$(stat -f -c %T /)" != overlayfs ]; then
		printf 'FAIL %s: runs only inside the test VM (use tests/kernel/run.sh)\n' "$KT_NAME"
		exit 1
	fi
	KT_DIR=$(mktemp -d "/tmp/$KT_NAME.XXXXXX")
	trap kt_cleanup EXIT
	trap 'kt_fail "interrupted"' INT TERM
	kt_find_binaries
	printf '# VM tests: options come from each test'"'"'s own files\n' >/etc/ppp/options
	: >/etc/ppp/chap-secrets
	: >/etc/ppp/pap-secrets
	chmod 600 /etc/ppp/chap-secrets /etc/ppp/pap-secrets
	# No host hook scripts (ip-up.d/ and friends) in the tests.
	for f in ip-pre-up ip-up ip-down ipv6-up ipv6-down auth-up auth-down; do
		printf '#!/bin/sh\nexit 0\n' >"/etc/ppp/$f"
		chmod 755 "/etc/ppp/$f"
	done
}

kt_pass() {
	KT_RESULT=pass
	[ "${KT_KEEP_LOGS:-0}" != 1 ] || kt_keep_files
	printf 'PASS %s\n' "$KT_NAME"
	exit 0
}

# kt_fail REASON: the verdict, the logs on stderr and in $KT_LOGDIR, exit 1.
kt_fail() {
	[ -z "$KT_RESULT" ] || exit 1
	KT_RESULT=fail
	printf 'FAIL %s: %s\n' "$KT_NAME" "$*"
	kt_dump_state
	exit 1
}

# kt_skip REASON: not run (a placeholder, or a missing prerequisite that is
# not an error); exit status 77.
kt_skip() {
	KT_RESULT=skip
	printf 'SKIP %s: %s\n' "$KT_NAME" "$*"
	exit 77
}

# What a failure leaves to read: every file of the scenario, the links,
# addresses and L2TP state of its namespaces, the kernel log tail.
kt_dump_state() {
	local f ns
	[ -n "$KT_DIR" ] && [ -d "$KT_DIR" ] || return 0
	for ns in "${KT_NETNS[@]}"; do
		{
			echo "== $ns"
			ip -n "$ns" -d addr 2>&1
			ip -n "$ns" route 2>&1
			ip -n "$ns" l2tp show tunnel 2>&1
			ip -n "$ns" l2tp show session 2>&1
		} >"$KT_DIR/state-$ns.txt"
	done
	dmesg 2>/dev/null | tail -n 80 >"$KT_DIR/dmesg-tail.txt"
	for f in "$KT_DIR"/*.log; do
		[ -f "$f" ] || continue
		printf -- '--- %s: last lines of %s\n' "$KT_NAME" "$(basename "$f")" >&2
		tail -n 30 "$f" >&2
	done
	kt_keep_files
}

# kt_keep_files: copy the scenario's files to $KT_LOGDIR/NAME/files/.
kt_keep_files() {
	local keep
	[ -n "${KT_LOGDIR:-}" ] && [ -n "$KT_DIR" ] && [ -d "$KT_DIR" ] || return 0
	keep=$KT_LOGDIR/$KT_NAME/files
	rm -rf "$keep"
	mkdir -p "$keep"
	cp -a "$KT_DIR"/. "$keep"/ 2>/dev/null || true
	printf -- '--- %s: files kept in %s\n' "$KT_NAME" "$keep" >&2
}

# kt_stop_pid PID [SECONDS]: TERM, wait (default 5 s), then KILL.
kt_stop_pid() {
	local pid=$1 wait=${2:-5} i
	kill -0 "$pid" 2>/dev/null || return 0
	kill -TERM "$pid" 2>/dev/null || true
	for ((i = 0; i < wait * 10; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
}

kt_cleanup() {
	local rc=$? pid ns
	trap - EXIT INT TERM
	set +e
	if [ -z "$KT_RESULT" ]; then
		KT_RESULT=fail
		printf 'FAIL %s: script error (exit %s)\n' "$KT_NAME" "$rc"
		kt_dump_state
		rc=1
	fi
	# All daemons at once: TERM, up to 3 s, then KILL.
	for pid in "${KT_PID[@]}"; do
		kill -TERM "$pid" 2>/dev/null
	done
	for pid in "${KT_PID[@]}"; do
		kt_stop_pid "$pid" 3
	done
	for ns in "${KT_NETNS[@]}"; do
		for pid in $(ip netns pids "$ns" 2>/dev/null); do
			kill -KILL "$pid" 2>/dev/null
		done
		ip netns del "$ns" 2>/dev/null
	done
	[ -n "$KT_DIR" ] && rm -rf "$KT_DIR"
	exit "$rc"
}

kt_require_cmd() {
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || kt_fail "missing command $c (scripts/vm-deps.sh installs it)"
	done
}

# kt_require_modules MOD...: each is loaded (the initramfs loads them).
kt_require_modules() {
	local m
	for m in "$@"; do
		[ -d "/sys/module/$m" ] || kt_fail "kernel module $m is not loaded"
	done
}

# ---------------------------------------------------------------- time

kt_now() { date +%s.%N; }

# kt_elapsed START: seconds since START (from kt_now), one decimal.
kt_elapsed() {
	awk -v s="$1" -v e="$(kt_now)" 'BEGIN { printf "%.1f", e - s }'
}

# kt_wait SECONDS CMD...: poll CMD every 0.2 s until it succeeds; 1 when the
# deadline passes first.
kt_wait() {
	local end
	end=$(awk -v n="$(kt_now)" -v l="$1" 'BEGIN { printf "%d", n + l }')
	shift
	while :; do
		"$@" && return 0
		[ "$(date +%s)" -lt "$end" ] || return 1
		sleep 0.2
	done
}

# ---------------------------------------------------------------- network

# kt_netns VAR SUFFIX: namespace "kt-SUFFIX" with loopback up, named in VAR.
kt_netns() {
	local ns="kt-$2"
	ip netns del "$ns" 2>/dev/null || true
	ip netns add "$ns" || kt_fail "ip netns add $ns failed"
	KT_NETNS+=("$ns")
	ip -n "$ns" link set lo up
	printf -v "$1" '%s' "$ns"
}

# kt_veth NS1 ADDR1/LEN NS2 ADDR2/LEN [NAME]: a veth pair (both ends NAME,
# default veth0) joining two namespaces, addressed and up.
kt_veth() {
	local ns1=$1 a1=$2 ns2=$3 a2=$4 dev=${5:-veth0}
	ip -n "$ns1" link add "$dev" type veth peer name "$dev" netns "$ns2" ||
		kt_fail "veth between $ns1 and $ns2 failed"
	ip -n "$ns1" addr add "$a1" dev "$dev"
	ip -n "$ns2" addr add "$a2" dev "$dev"
	ip -n "$ns1" link set "$dev" up
	ip -n "$ns2" link set "$dev" up
}

# kt_bridge VAR SUFFIX: namespace "kt-SUFFIX" (named in VAR) holding the
# bridge br0, up: one L2 segment that kt_bridge_port plugs namespaces into
# (module bridge; STP off, so a port forwards at once).
kt_bridge() {
	kt_netns "$1" "$2"
	ip -n "${!1}" link add br0 type bridge ||
		kt_fail "no bridge in ${!1} (module bridge: scripts/vm-deps.sh puts it in the VM)"
	ip -n "${!1}" link set br0 up
}

# kt_bridge_port BRNS NS ADDR/LEN...: NS joins the segment of BRNS: its eth0
# (a veth) plugged into br0 as port p-NAME (NS without "kt-"), with the
# given addresses, up.  Deleting eth0 in NS unplugs it (both ends go).
kt_bridge_port() {
	local br=$1 ns=$2 a port=p-${2#kt-}
	shift 2
	ip -n "$ns" link add eth0 type veth peer name "$port" netns "$br" ||
		kt_fail "veth from $ns to the bridge in $br failed"
	ip -n "$br" link set "$port" master br0 up
	for a in "$@"; do
		ip -n "$ns" addr add "$a" dev eth0
	done
	ip -n "$ns" link set eth0 up
}

# kt_garp NS DEV ADDR: gratuitous ARP for ADDR on DEV from NS (arping -U,
# two announcements 1 s apart, in the background), so that the neighbours
# still holding another MAC for ADDR switch to DEV's at once.  Without
# arping (package iputils-arping) nothing is sent; 1 then.
kt_garp() {
	command -v arping >/dev/null 2>&1 || return 1
	ip netns exec "$1" timeout 5 arping -q -U -c 2 -I "$2" "$3" </dev/null >/dev/null 2>&1 &
}

KT_LAC_ADDR=10.1.0.1
KT_LNS_ADDR=10.1.0.2

# kt_two_hosts: namespaces $NS_LAC and $NS_LNS joined by veth
# ($KT_LAC_ADDR, $KT_LNS_ADDR on 10.1.0.0/24).
kt_two_hosts() {
	kt_netns NS_LAC lac
	kt_netns NS_LNS lns
	kt_veth "$NS_LAC" "$KT_LAC_ADDR/24" "$NS_LNS" "$KT_LNS_ADDR/24"
}

# kt_ping NS ADDR [COUNT]: COUNT (default 3) pings from NS, all answered.
kt_ping() {
	ip netns exec "$1" ping -n -q -c "${3:-3}" -i 0.2 -W 2 "$2" >>"$KT_DIR/ping.log" 2>&1
}

# kt_l2tp_count NS tunnel|session|call: how many the kernel has in NS.
# "call" counts sessions other than session 0: a tunnel made through a
# PPPoL2TP socket (xl2tpd, pppd's plugin) has a session 0 for its control
# socket, which `ip l2tp show session` lists too.
kt_l2tp_count() {
	case $2 in
	call) ip -n "$1" l2tp show session 2>/dev/null | grep '^Session ' | grep -vc '^Session 0 ' || true ;;
	*) ip -n "$1" l2tp show "$2" 2>/dev/null | grep -c "^${2^} " || true ;;
	esac
}

# kt_l2tp_has_session NS TUNNEL SESSION PEER_TUNNEL PEER_SESSION: the kernel
# in NS has exactly that session.
kt_l2tp_has_session() {
	ip -n "$1" l2tp show session 2>/dev/null | tr '\n' ' ' |
		grep -Eq "(^| )Session $3 in tunnel $2 +Peer session $5, tunnel $4( |$)"
}

# kt_ppp_ifaces NS: names of the ppp interfaces in NS, one a line.
kt_ppp_ifaces() {
	ip -n "$1" -o link show type ppp 2>/dev/null | awk -F': ' '{ print $2 }' | cut -d@ -f1
}

# kt_ppp_addr NS IFACE: "LOCAL PEER" of IFACE's IPv4 point-to-point address.
kt_ppp_addr() {
	ip -n "$1" -4 -o addr show dev "$2" 2>/dev/null |
		awk '{ for (i = 1; i < NF; i++) if ($i == "inet" && $(i + 2) == "peer") { split($(i + 3), p, "/"); print $(i + 1), p[1]; exit } }'
}

# Predicates for kt_wait.
kt_has_ppp_addr() { [ -n "$(kt_ppp_addr "$1" "$2")" ]; }
kt_no_l2tp() { [ "$(kt_l2tp_count "$1" tunnel)" = 0 ] && [ "$(kt_l2tp_count "$1" session)" = 0 ]; }
kt_no_ppp() { [ -z "$(kt_ppp_ifaces "$1")" ]; }
kt_alive() { kill -0 "${KT_PID[$1]}" 2>/dev/null; }
kt_dead() { ! kill -0 "${KT_PID[$1]}" 2>/dev/null; }
kt_log_has() { grep -Eq "$2" "$KT_DIR/$1.log" 2>/dev/null; }

# ---------------------------------------------------------------- daemons

# kt_daemon NAME NS CMD...: run CMD in the foreground of a background job in
# NS, output in $KT_DIR/NAME.log; stopped by the cleanup.
kt_daemon() {
	local name=$1 ns=$2
	shift 2
	ip netns exec "$ns" "$@" </dev/null >>"$KT_DIR/$name.log" 2>&1 &
	KT_PID[$name]=$!
	KT_NS[$name]=$ns
	kt_log "started $name (pid ${KT_PID[$name]}) in $ns: $*"
}

# kt_in NAME CMD...: run CMD in the namespace of daemon NAME.
kt_in() {
	local ns=${KT_NS[$1]}
	shift
	ip netns exec "$ns" "$@"
}

# kt_stop NAME [SECONDS]: SIGTERM the daemon and wait for it (default 10 s).
kt_stop() {
	local pid=${KT_PID[$1]}
	kt_stop_pid "$pid" "${2:-10}"
	unset "KT_PID[$1]"
}

# kt_secret USER SECRET: a line for both pap-secrets and chap-secrets
# (any server name, any address).
kt_secret() {
	printf '"%s" * "%s" *\n' "$1" "$2" | tee -a /etc/ppp/pap-secrets >>/etc/ppp/chap-secrets
}

# kt_pppd_options NAME TEXT: write $KT_DIR/NAME.options; prints the path.
kt_pppd_options() {
	printf '%s\n' "$2" >"$KT_DIR/$1.options"
	printf '%s\n' "$KT_DIR/$1.options"
}

# kt_xl2tpd NAME NS CONFIG_TEXT [SECRETS_TEXT]: xl2tpd in the foreground in
# NS with its own config, L2TP secrets, pid file and control FIFO
# ($KT_DIR/NAME.control); the pppd it starts logs to $KT_DIR/NAME.log too
# when the options say `logfile`.  Waits until it listens.
kt_xl2tpd() {
	local name=$1 ns=$2
	printf '%s\n' "$3" >"$KT_DIR/$name.conf"
	printf '%s\n' "${4:-}" >"$KT_DIR/$name.secrets"
	chmod 600 "$KT_DIR/$name.secrets"
	kt_daemon "$name" "$ns" xl2tpd -D -c "$KT_DIR/$name.conf" -s "$KT_DIR/$name.secrets" \
		-p "$KT_DIR/$name.pid" -C "$KT_DIR/$name.control"
	if ! kt_wait 10 kt_log_has "$name" 'Listening on IP address'; then
		kt_alive "$name" || kt_fail "xl2tpd $name exited at start-up"
		kt_fail "xl2tpd $name is not listening after 10 s"
	fi
	kt_wait 5 test -p "$KT_DIR/$name.control" || kt_fail "xl2tpd $name has no control FIFO"
}

# kt_xl2tpd_cmd NAME LINE: one command on xl2tpd's control FIFO.
kt_xl2tpd_cmd() {
	# shellcheck disable=SC2016 # expanded by the inner shell
	timeout 5 sh -c 'printf "%s\n" "$1" >"$2"' sh "$2" "$KT_DIR/$1.control" ||
		kt_fail "could not write '$2' to the control FIFO of xl2tpd $1"
}

# ---------------------------------------------------------------- l2tpd

# kt_l2tpd NAME NS CONFIG_TEXT: our daemon with the linux data path in NS,
# config $KT_DIR/NAME.conf, control socket $KT_DIR/NAME.sock, log
# $KT_DIR/NAME.log.  Waits until the control socket answers.
kt_l2tpd() {
	# kt_l2tpd NAME NS CONFIG [BACKEND]: BACKEND linux by default
	local name=$1 ns=$2
	{ [ -x "$L2TPD" ] && [ -x "$L2TPCTL" ]; } || kt_fail "no l2tpd/l2tpctl in ${L2T_BUILD:-build} (set L2T_BUILD)"
	printf '%s\n' "$3" >"$KT_DIR/$name.conf"
	kt_daemon "$name" "$ns" "$L2TPD" -f -c "$KT_DIR/$name.conf" -s "$KT_DIR/$name.sock" -d "${4:-linux}"
	if ! kt_wait 15 kt_ctl_ready "$name"; then
		kt_alive "$name" || kt_fail "l2tpd $name exited at start-up: $(tail -n 3 "$KT_DIR/$name.log" | tr '\n' ' ')"
		kt_fail "l2tpd $name: no answer on its control socket after 15 s"
	fi
}

# kt_ctl NAME ARGS...: l2tpctl against daemon NAME (runs in its namespace).
kt_ctl() {
	local name=$1
	shift
	kt_in "$name" "$L2TPCTL" -s "$KT_DIR/$name.sock" "$@"
}

# kt_json NAME ARGS...: the same with --json.
kt_json() {
	local name=$1
	shift
	kt_in "$name" "$L2TPCTL" -s "$KT_DIR/$name.sock" --json "$@"
}

kt_ctl_ready() {
	kt_alive "$1" && [ -S "$KT_DIR/$1.sock" ] && kt_ctl "$1" show l2tp tunnel >/dev/null 2>&1
}

# jq filter for the rows of a `show` answer (a list, or an object holding one).
KT_JQ_ROWS='if type == "array" then .[] else (.[] | arrays | .[]) end'

# kt_sessions_up NAME: sessions of daemon NAME whose PPP reached IPCP up.
kt_sessions_up() {
	kt_json "$1" show l2tp session 2>/dev/null | jq "[$KT_JQ_ROWS | select(.ppp_up == true)] | length"
}

# ---------------------------------------------------------------- subscribers

# kt_subscriber I USER PASSWORD METHOD LNS_ADDR [PPPD_OPTIONS]: the files of subscriber I,
# an xl2tpd LAC (autodial, no redial) on UDP port 1800+I whose pppd (kernel
# mode, pppol2tp) authenticates as USER with METHOD (pap, chap, mschapv2:
# the others refused).  One xl2tpd per subscriber: xl2tpd makes one tunnel
# per [lac] section, and on 6.1 two kernel tunnels cannot share a UDP
# 4-tuple.  PPPD_OPTIONS (lines) come last in the options file, so they
# override the defaults (lcp-echo-interval 0 ...).  Files:
# $KT_DIR/subI.options, subI-pppd.log, xl2tpdI.{conf,log,control,pid};
# pppd's pid and interface in /run/ppp-subI.pid (linkname subI).
kt_subscriber() {
	local i=$1 refuse opts
	case $4 in
	pap) refuse="refuse-chap refuse-mschap refuse-mschap-v2 refuse-eap" ;;
	chap) refuse="refuse-pap refuse-mschap refuse-mschap-v2 refuse-eap" ;;
	mschapv2) refuse="refuse-pap refuse-chap refuse-mschap refuse-eap" ;;
	*) kt_fail "kt_subscriber: unknown method $4" ;;
	esac
	opts=$(kt_pppd_options "sub$i" "user $2
password $3
$refuse
noauth
noipdefault
ipcp-accept-local
ipcp-accept-remote
noccp
novj
nodefaultroute
lcp-echo-interval 0
lcp-restart 1
lcp-max-terminate 1
linkname sub$i
debug
logfile $KT_DIR/sub$i-pppd.log${6:+
$6}")
	printf '%s\n' "[global]
port = $((1800 + i))
access control = no
[lac lns]
lns = $5
name = $2
require authentication = no
ppp debug = yes
pppoptfile = $opts
length bit = yes
autodial = yes
redial = no" >"$KT_DIR/xl2tpd$i.conf"
	: >"$KT_DIR/xl2tpd$i.secrets"
	chmod 600 "$KT_DIR/xl2tpd$i.secrets"
}

# kt_subscribers_start NS I...: start those subscribers' xl2tpd at once,
# from one shell in NS (each process start costs 35-65 ms under TCG); the
# cleanup kills whatever runs in NS.
kt_subscribers_start() {
	local ns=$1
	shift
	# shellcheck disable=SC2016 # expanded by the inner shell
	ip netns exec "$ns" bash -c '
		d=$1
		shift
		for i in "$@"; do
			xl2tpd -D -c "$d/xl2tpd$i.conf" -s "$d/xl2tpd$i.secrets" -p "$d/xl2tpd$i.pid" \
				-C "$d/xl2tpd$i.control" </dev/null >>"$d/xl2tpd$i.log" 2>&1 &
		done' xl2tpds "$KT_DIR" "$@"
	kt_log "started $# xl2tpd (autodial) in $ns"
}

# kt_ppp_pairs NS: "IFACE LOCAL PEER" for each addressed ppp interface in NS.
kt_ppp_pairs() {
	ip -n "$1" -4 -j addr show type ppp 2>/dev/null |
		jq -r '.[] | .ifname as $i | (.addr_info // [])[] | select(.family == "inet") | "\($i) \(.local) \(.address)"'
}

# ---------------------------------------------------------------- redundancy

# kt_ha_red NAME [ARGS...]: `show l2tp redundancy [ARGS]` of daemon NAME, JSON.
kt_ha_red() {
	local name=$1
	shift
	kt_json "$name" show l2tp redundancy "$@"
}

# kt_ha_role NAME: its role (standalone, init, standby, active, fault).
kt_ha_role() {
	kt_ha_red "$1" 2>/dev/null | jq -r '.role // empty' | tr '[:upper:]' '[:lower:]'
}

kt_ha_is() { [ "$(kt_ha_role "$1")" = "$2" ]; }

# kt_ha_state NAME master|backup|fault: what keepalived's notify script says.
kt_ha_state() {
	kt_ctl "$1" redundancy state "$2" >>"$KT_DIR/$1.ctl.log" 2>&1 ||
		kt_fail "l2tpd $1 refused 'redundancy state $2': $(tail -n 2 "$KT_DIR/$1.ctl.log" | tr '\n' ' ')"
}

# kt_ha_standby_has NAME TUNNELS SESSIONS: the standby NAME is in sync and
# has exactly these numbers checkpointed.
kt_ha_standby_has() {
	kt_ha_red "$1" 2>/dev/null | jq -e --argjson t "$2" --argjson s "$3" \
		'.in_sync == true and .checkpointed.tunnels == $t and .checkpointed.sessions == $s' >/dev/null
}

# kt_ha_summary NAME: one line of its redundancy summary, for messages.
kt_ha_summary() {
	kt_ha_red "$1" 2>/dev/null | jq -r 'def v(f): if f == null then "-" else f end;
		"role \(.role), standby_up \(v(.standby_up)), in_sync \(v(.in_sync)), checkpointed \(v(.checkpointed.tunnels))/\(v(.checkpointed.sessions)), tunnels \(v(.tunnel_totals.total)) resyncing \(v(.tunnel_totals.resyncing)), sessions \(v(.session_totals.total)), resync ok/fail \(v(.resynced_tunnels.success))/\(v(.resynced_tunnels.fail)) in \(v(.resync_duration_ms)) ms, takeovers \(v(.takeovers)) (rebuilt \(v(.takeover_tunnels))/\(v(.takeover_sessions)) in \(v(.takeover_rebuild_ms)) ms)"' 2>/dev/null ||
		echo "(no answer)"
}
