# shellcheck shell=bash
# The kernel tier's own helpers (tests/kernel/t_*.sh); the shared ones are
# in tests/lib (it_*, see tests/lib/lib.sh).  The scenarios run only inside
# the test VM (tests/kernel/run.sh boots it): there the root filesystem is
# the host's, read-only, under a throw-away overlay, so a scenario may write
# /etc/ppp/* and load nothing on the host.
#
# A scenario sources this file, calls `kt_init NAME`, and ends with
# `it_pass`, `it_fail REASON` or `it_skip REASON` (exit status 77; not
# counted as passed).  Progress lines go to stderr (L2T_VERBOSE is on here);
# on failure the logs of every daemon are dumped there and every file of
# the scenario, with the state of its namespaces and the kernel log tail,
# is copied to $KT_LOGDIR/NAME/files.
#
# In this tier our daemon runs on the kernel data path (`-d linux`), xl2tpd
# with the real pppd (kernel mode, pppol2tp), and namespaces are named
# kt-SUFFIX.
#
# Environment (passed in by run.sh and guest.sh):
#   L2T_BUILD    build directory holding l2tpd/l2tpd and cli/l2tpctl
#   KT_LOGDIR    where the files of a failed scenario are kept
#   KT_KEEP_LOGS 1: keep the files of passed scenarios too

# shellcheck source=../lib/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/lib.sh"

KT_GUEST_MARK=/run/l2tpd-ha-vm-guest

# kt_init NAME: refuse to run outside the VM, it_init with this tier's
# settings, and a clean PPP configuration (the host's /etc/ppp/options has
# `auth`, `lock`, `modem`... which do not belong in these tests).
kt_init() {
	local f
	if [ ! -f "$KT_GUEST_MARK" ] || [ "$(stat -f -c %T /)" != overlayfs ]; then
		printf 'FAIL %s: runs only inside the test VM (use tests/kernel/run.sh)\n' "$1"
		exit 1
	fi
	it_init "$1"
	IT_NS_PREFIX=kt
	IT_DATAPATH=linux
	IT_FAKE_PPPD=0
	IT_KEEP_DIR=${KT_LOGDIR:+$KT_LOGDIR/$IT_NAME/files}
	IT_KEEP_PASSED=${KT_KEEP_LOGS:-0}
	IT_DEPS_SCRIPT=scripts/vm-deps.sh
	IT_FAIL_HOOKS+=(kt_dump_state)
	L2T_VERBOSE=${L2T_VERBOSE:-1}
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

# kt_dump_state (a fail hook): the links, addresses and L2TP state of the
# scenario's namespaces, and the kernel log tail, as files of the scenario.
kt_dump_state() {
	local ns
	for ns in "${IT_NETNS[@]}"; do
		{
			echo "== $ns"
			ip -n "$ns" -d addr 2>&1
			ip -n "$ns" route 2>&1
			ip -n "$ns" l2tp show tunnel 2>&1
			ip -n "$ns" l2tp show session 2>&1
		} >"$IT_DIR/state-$ns.txt"
	done
	dmesg 2>/dev/null | tail -n 80 >"$IT_DIR/dmesg-tail.txt"
}

# kt_require_modules MOD...: each is loaded (the initramfs loads them).
kt_require_modules() {
	local m
	for m in "$@"; do
		[ -d "/sys/module/$m" ] || it_fail "kernel module $m is not loaded"
	done
}

# kt_require_pppol2tp: pppd's pppol2tp plugin is installed (package ppp).
kt_require_pppol2tp() {
	compgen -G "/usr/lib/pppd/*/pppol2tp.so" >/dev/null || it_fail "pppd's pppol2tp plugin is missing (package ppp)"
}

# ---------------------------------------------------------------- network

# kt_garp NS DEV ADDR: gratuitous ARP for ADDR on DEV from NS (arping -U,
# two announcements 1 s apart, in the background), so that the neighbours
# still holding another MAC for ADDR switch to DEV's at once.  Without
# arping (package iputils-arping) nothing is sent; 1 then.
kt_garp() {
	command -v arping >/dev/null 2>&1 || return 1
	ip netns exec "$1" timeout 5 arping -q -U -c 2 -I "$2" "$3" </dev/null >/dev/null 2>&1 &
}

# kt_ping NS ADDR [COUNT]: COUNT (default 3) pings from NS, all answered.
kt_ping() {
	ip netns exec "$1" ping -n -q -c "${3:-3}" -i 0.2 -W 2 "$2" >>"$IT_DIR/ping.log" 2>&1
}

# ---------------------------------------------------------------- the kernel's L2TP and PPP

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

# kt_ppp_pairs NS: "IFACE LOCAL PEER" for each addressed ppp interface in NS.
kt_ppp_pairs() {
	ip -n "$1" -4 -j addr show type ppp 2>/dev/null |
		jq -r '.[] | .ifname as $i | (.addr_info // [])[] | select(.family == "inet") | "\($i) \(.local) \(.address)"'
}

# Predicates for it_wait.
kt_has_ppp_addr() { [ -n "$(kt_ppp_addr "$1" "$2")" ]; }
kt_no_l2tp() { [ "$(kt_l2tp_count "$1" tunnel)" = 0 ] && [ "$(kt_l2tp_count "$1" session)" = 0 ]; }
kt_no_ppp() { [ -z "$(kt_ppp_ifaces "$1")" ]; }

# ---------------------------------------------------------------- pppd and subscribers

# kt_secret USER SECRET: a line for both pap-secrets and chap-secrets
# (any server name, any address).
kt_secret() {
	printf '"%s" * "%s" *\n' "$1" "$2" | tee -a /etc/ppp/pap-secrets >>/etc/ppp/chap-secrets
}

# kt_pppd_options NAME TEXT: write $IT_DIR/NAME.options; prints the path.
kt_pppd_options() {
	printf '%s\n' "$2" >"$IT_DIR/$1.options"
	printf '%s\n' "$IT_DIR/$1.options"
}

# kt_xl2tpd_lns NAME NS FIRST-LAST LOCAL_IP [PPPD_LINES [XL2TPD_LINES]]:
# xl2tpd as an LNS in NS (it_xl2tpd NAME) on port 1701, each call's pppd
# (kernel mode) the server "lns" requiring CHAP and refusing PAP, with no
# compression, MTU/MRU 1400, no echoes and a quick LCP restart and hang-up
# (xl2tpd closes the tunnel before pppd's Terminate-Request can cross it);
# the peers' addresses from FIRST-LAST.  PPPD_LINES come last in pppd's
# options file ($IT_DIR/NAME-ppp.options), XL2TPD_LINES in the [lns default]
# section.
kt_xl2tpd_lns() {
	local opts
	opts=$(kt_pppd_options "$1-ppp" "name lns
auth
require-chap
refuse-pap
noccp
novj
mtu 1400
mru 1400
nodefaultroute
lcp-echo-interval 0
lcp-restart 1
lcp-max-terminate 1${5:+
$5}")
	it_xl2tpd "$1" "$2" "[global]
port = 1701
access control = no
[lns default]
ip range = $3
local ip = $4
require chap = yes
refuse pap = yes
require authentication = yes
name = lns
pppoptfile = $opts
length bit = yes${6:+
$6}"
}

# The options of every pppd that plays a subscriber: no authentication of
# the server, addresses from it, no compression, no echoes (the scenarios
# that want them say so), a quick LCP restart and hang-up.
KT_PPPD_CLIENT='noauth
noipdefault
ipcp-accept-local
ipcp-accept-remote
noccp
novj
nodefaultroute
lcp-echo-interval 0
lcp-restart 1
lcp-max-terminate 1'

# kt_subscriber I USER PASSWORD METHOD LNS_ADDR [PPPD_OPTIONS]: the files of subscriber I,
# an xl2tpd LAC (autodial, no redial) on UDP port 1800+I whose pppd (kernel
# mode, pppol2tp) authenticates as USER with METHOD (pap, chap, mschapv2:
# the others refused).  One xl2tpd per subscriber: xl2tpd makes one tunnel
# per [lac] section, and on 6.1 two kernel tunnels cannot share a UDP
# 4-tuple.  PPPD_OPTIONS (lines) come last in the options file, so they
# override the defaults (lcp-echo-interval 0 ...).  Files:
# $IT_DIR/subI.options, subI-pppd.log, xl2tpdI.{conf,log,control,pid};
# pppd's pid and interface in /run/ppp-subI.pid (linkname subI).
kt_subscriber() {
	local i=$1 refuse opts
	case $4 in
	pap) refuse="refuse-chap refuse-mschap refuse-mschap-v2 refuse-eap" ;;
	chap) refuse="refuse-pap refuse-mschap refuse-mschap-v2 refuse-eap" ;;
	mschapv2) refuse="refuse-pap refuse-chap refuse-mschap refuse-eap" ;;
	*) it_fail "kt_subscriber: unknown method $4" ;;
	esac
	opts=$(kt_pppd_options "sub$i" "user $2
password $3
$refuse
$KT_PPPD_CLIENT
linkname sub$i
debug
logfile $IT_DIR/sub$i-pppd.log${6:+
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
redial = no" >"$IT_DIR/xl2tpd$i.conf"
	: >"$IT_DIR/xl2tpd$i.secrets"
	chmod 600 "$IT_DIR/xl2tpd$i.secrets"
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
		done' xl2tpds "$IT_DIR" "$@"
	it_log "started $# xl2tpd (autodial) in $ns"
}

# kt_subscribers_up NS BOX ADDR N METHOD [PPPD_OPTIONS]: subscribers 1..N
# (sub1/pw1 ...) in NS dial ADDR, their pppd sending an LCP echo every
# second and giving up after 30 misses; METHOD is the authentication of
# each (kt_subscriber), or "cycle" for pap, chap and mschapv2 in turn.
# xl2tpd logs the type of every control message it takes (a StopCCN or a
# CDN would show).  Returns once every subscriber's pppN is addressed and
# the daemon BOX shows N sessions with PPP up.
kt_subscribers_up() {
	local ns=$1 box=$2 addr=$3 n=$4 method=$5 opts=${6:-} i m t0
	local -a methods=(pap chap mschapv2)
	t0=$(it_now)
	for ((i = 1; i <= n; i++)); do
		m=$method
		[ "$m" != cycle ] || m=${methods[$(((i - 1) % 3))]}
		kt_subscriber "$i" "sub$i" "pw$i" "$m" "$addr" "${opts:+$opts
}lcp-echo-interval 1
lcp-echo-failure 30"
	done
	sed -i 's/^\[global\]$/[global]\ndebug state = yes\ndebug tunnel = yes/' "$IT_DIR"/xl2tpd*.conf
	# shellcheck disable=SC2046 # one number a word
	kt_subscribers_start "$ns" $(seq 1 "$n")
	it_wait 60 kt_ppp_count_is "$ns" "$n" ||
		it_fail "$(kt_ppp_pairs "$ns" | wc -l) of $n subscribers' ppp interfaces addressed after 60 s; $box: $(it_ppp_up "$box") PPP up"
	it_wait 10 kt_ppp_up_is "$box" "$n" || it_fail "$box shows $(it_ppp_up "$box") of $n sessions with PPP up"
	it_log "$n subscribers up through $box in $(it_elapsed "$t0") s"
}

# kt_ppp_count_is NS N: N addressed ppp interfaces in NS.
kt_ppp_count_is() {
	[ "$(kt_ppp_pairs "$1" | wc -l)" = "$2" ]
}

# kt_ppp_up_is BOX N: the daemon BOX shows N sessions with PPP up.
kt_ppp_up_is() {
	[ "$(it_ppp_up "$1")" = "$2" ]
}

# ---------------------------------------------------------------- redundancy

# kt_ha_pair CONF: the pair's boxes a and b (it_ha_segment), each with the
# configuration CONF NAME LOCAL PEER prints (LOCAL, PEER: the checkpoint
# addresses); both start in init; a takes the VIP and becomes the active,
# b its standby, in sync (with nothing yet).
kt_ha_pair() {
	local conf=$1
	it_l2tpd a "$NS_A" "$("$conf" a "${IT_HA_CKPT[a]}" "${IT_HA_CKPT[b]}")"
	it_l2tpd b "$NS_B" "$("$conf" b "${IT_HA_CKPT[b]}" "${IT_HA_CKPT[a]}")"
	it_ha_is a init || it_fail "l2tpd a starts as $(it_ha_role a), not init"
	it_ha_is b init || it_fail "l2tpd b starts as $(it_ha_role b), not init"
	kt_ha_take_vip "$NS_A" ||
		it_log "no arping: no gratuitous ARP (the new active's own ARP requests, with the VIP as sender, update the subscribers' side too)"
	kt_ha_state a master
	it_wait 10 it_ha_is a active || it_fail "a is not active: $(it_ha_summary a)"
	kt_ha_state b backup
	it_wait 15 it_ha_standby_has b 0 0 ||
		it_fail "b is not an in-sync standby: b: $(it_ha_summary b); a: $(it_ha_summary a)"
	it_log "a active, b standby in sync"
}

# kt_ha_take_vip NS: the box in NS takes the pair's VIP (it_ha_segment), as
# keepalived does: the address, a gratuitous ARP (kt_garp; 1 without
# arping).
kt_ha_take_vip() {
	ip -n "$1" addr add "$IT_HA_VIP/24" dev eth0 || it_fail "cannot add the VIP in $1"
	kt_garp "$1" eth0 "$IT_HA_VIP"
}

# kt_ha_kill_box NAME NS: box NAME (its l2tpd, in NS) dies: the daemon
# frozen, its link unplugged (both veth ends go: nothing it sends or answers
# reaches the segment), then SIGKILL.
kt_ha_kill_box() {
	kill -STOP "${IT_DPID[$1]}"
	ip -n "$2" link del eth0
	kill -KILL "${IT_DPID[$1]}"
	wait "${IT_DPID[$1]}" 2>/dev/null || true
	unset "IT_DPID[$1]"
}

# kt_ha_detect_us PRIORITY ADVERT_INT: how long (microseconds) keepalived's
# backup of PRIORITY takes to declare a silent master down: three
# advertisement intervals and the skew, (256 - PRIORITY) / 256 of one
# (RFC 5798 6.1).
kt_ha_detect_us() {
	awk -v p="$1" -v a="$2" 'BEGIN { printf "%d", (3 * a + (256 - p) / 256 * a) * 1e6 }'
}

# kt_ha_arm NS_OLD NS_NEW: ready kt_ha_fail: an `ip -batch` already running
# in each namespace, reading its commands from a pipe, so that silencing the
# old box and moving the VIP cost no process start at the moment they
# happen (0.1-0.3 s each under TCG, where keepalived, already running,
# costs none).  The commands' errors go to $IT_DIR/ip-NS.log.
kt_ha_arm() {
	local ns
	for ns in "$1" "$2"; do
		rm -f "$IT_DIR/ip-$ns.fifo"
		mkfifo "$IT_DIR/ip-$ns.fifo"
		ip -n "$ns" -force -batch - <"$IT_DIR/ip-$ns.fifo" >>"$IT_DIR/ip-$ns.log" 2>&1 &
	done
	exec {KT_HA_IP_OLD}>"$IT_DIR/ip-$1.fifo" {KT_HA_IP_NEW}>"$IT_DIR/ip-$2.fifo"
	rm -f "$IT_DIR/ha-sleep.fifo"
	mkfifo "$IT_DIR/ha-sleep.fifo"
	exec {KT_HA_SLEEP}<>"$IT_DIR/ha-sleep.fifo"
}

# kt_ha_fail NAME NS_NEW DETECT_US: what keepalived does when the active box
# NAME dies, on the pipes of kt_ha_arm: the daemon frozen, the box silenced
# in one step (its link deleted: nothing it sends or answers reaches the
# segment; KT_HA_T_KILL, the guest's wall clock just before); it stays
# frozen, dead to the network, until kt_ha_reap: a box that dies costs the
# survivor nothing, where the exit of a daemon killed here (its PPP units,
# kernel tunnels: tenths of a second under TCG, holding the kernel's
# rtnl lock) would run on the one CPU and the locks of the new active's
# takeover;
# DETECT_US microseconds after the kill (kt_ha_detect_us) the box in NS_NEW
# takes the VIP (KT_HA_T_VIP, just after) and sends a gratuitous ARP
# (kt_garp, in the background).  No process starts before the address is
# added; the pipes are closed at the end (the two `ip` exit).
kt_ha_fail() {
	local due now rem wait_s
	kill -STOP "${IT_DPID[$1]}"
	# shellcheck disable=SC2034 # read by the scenario
	KT_HA_T_KILL=$EPOCHREALTIME
	printf 'link del eth0\n' >&"$KT_HA_IP_OLD"
	KT_HA_FROZEN=$1
	IT_CLEANUP_HOOKS+=(kt_ha_reap_frozen)
	due=$((${KT_HA_T_KILL/[.,]/} + $3))
	now=${EPOCHREALTIME/[.,]/}
	# The wait is a read with a timeout on a pipe nobody writes (no sleep process).
	if ((due > now)); then
		rem=$((due - now))
		printf -v wait_s '%d.%06d' $((rem / 1000000)) $((rem % 1000000))
		read -r -t "$wait_s" -u "$KT_HA_SLEEP" || true
	fi
	printf 'addr add %s/24 dev eth0\n' "$IT_HA_VIP" >&"$KT_HA_IP_NEW"
	# shellcheck disable=SC2034 # read by the scenario
	KT_HA_T_VIP=$EPOCHREALTIME
	exec {KT_HA_IP_OLD}>&- {KT_HA_IP_NEW}>&- {KT_HA_SLEEP}<&-
	kt_garp "$2" eth0 "$IT_HA_VIP" || true
}

# kt_ha_reap NAME: the daemon kt_ha_fail froze is killed and reaped, once
# the scenario has measured the failover (or by the cleanup, on a failure
# before: a frozen daemon ignores the cleanup's SIGTERM).
kt_ha_reap() {
	[ -n "${IT_DPID[$1]:-}" ] || return 0
	kill -KILL "${IT_DPID[$1]}" 2>/dev/null || true
	wait "${IT_DPID[$1]}" 2>/dev/null || true
	unset "IT_DPID[$1]"
	[ "${KT_HA_FROZEN:-}" != "$1" ] || KT_HA_FROZEN=
}
kt_ha_reap_frozen() {
	[ -z "${KT_HA_FROZEN:-}" ] || kt_ha_reap "$KT_HA_FROZEN"
}

# kt_ha_log_time FILE ERE: the guest's wall-clock time (seconds since the
# epoch) of the first line of the daemon's log FILE matching ERE, from its
# timestamp; fails (and says so on stderr) when no line matches.
kt_ha_log_time() {
	local ts
	ts=$(grep -E -m 1 "$2" "$1" | sed -n 's/^\([0-9-]* [0-9:.]*\) .*/\1/p')
	if [ -z "$ts" ]; then
		echo "no timestamped line matching '$2' in $1" >&2
		return 1
	fi
	date -d "$ts" +%s.%N
}

# kt_ha_state NAME master|backup|fault: what keepalived's notify script
# would tell the daemon (there is no keepalived in the VM).  l2tpctl runs
# outside the daemon's namespace (its control socket is a file): under TCG
# every process costs 0.1-0.3 s, and this one is timed.
kt_ha_state() {
	"$L2TPCTL" -t 20 -s "$IT_DIR/$1.sock" redundancy state "$2" >>"$IT_DIR/$1.ctl.log" 2>&1 ||
		it_fail "l2tpd $1 refused 'redundancy state $2': $(tail -n 2 "$IT_DIR/$1.ctl.log" | tr '\n' ' ')"
}

# ---------------------------------------------------------------- PPPoE access side of an HA pair

# The pair's virtual MAC: keepalived's use_vmac for VRID 51 (00:00:5e:00:01:VRID).
KT_VMAC=00:00:5e:00:01:33

# kt_access_segment NS_SUB NSUB NS...: a second L2 segment, the access side:
# a bridge br1 in $NS_BR (it_ha_segment) with ageing 0, so that it floods
# every frame and need not learn that the virtual MAC moved to another box;
# NSUB ports acc0..acc(NSUB-1) in NS_SUB (one subscriber each, each its own
# MAC); and in each box's namespace NS a port vrrp.51 with the pair's
# virtual MAC.  It stands in for keepalived's use_vmac interface (a macvlan
# vrrp.51 with that MAC, up on the backup too: only the VIPs move), with its
# name and MAC, so the daemons are configured as on a use_vmac pair; the
# VM's initramfs has no macvlan module.
kt_access_segment() {
	local sub=$1 n=$2 ns i port=0
	shift 2
	ip -n "$NS_BR" link add br1 type bridge ageing_time 0 || it_fail "no second bridge"
	ip -n "$NS_BR" link set br1 up
	for ((i = 0; i < n; i++)); do
		kt_access_port "$sub" "acc$i" "x$((port++))"
	done
	for ns in "$@"; do
		kt_access_port "$ns" vrrp.51 "x$((port++))" "$KT_VMAC"
	done
}

# kt_access_port NS IFACE BRPORT [MAC]: IFACE (with MAC) in NS plugged into
# br1 as BRPORT, up.
kt_access_port() {
	ip -n "$1" link add "$2" ${4:+address "$4"} type veth peer name "$3" netns "$NS_BR" || it_fail "veth $2 in $1"
	ip -n "$NS_BR" link set "$3" master br1
	ip -n "$NS_BR" link set "$3" up
	ip -n "$1" link set "$2" up
}

# kt_pppoe_sub NS NAME IFACE USER [PPPD_OPTIONS]: pppd with the pppoe.so
# plugin in NS on IFACE as USER (password from kt_secret), in the
# background (nodetach); its pid in KT_PPPD[NAME], its log in
# $IT_DIR/NAME-pppd.log (debug: discovery frames and LCP), its pid and
# interface in /run/ppp-NAME.pid.  PPPD_OPTIONS (lines) come last.
declare -A KT_PPPD=()
kt_pppoe_sub() {
	local opts
	opts=$(kt_pppd_options "$2" "plugin pppoe.so
nic-$3
user $4
$KT_PPPD_CLIENT
maxfail 1
nodetach
linkname $2
debug
logfile $IT_DIR/$2-pppd.log${5:+
$5}")
	ip netns exec "$1" pppd file "$opts" </dev/null >/dev/null 2>&1 &
	# shellcheck disable=SC2034 # read by the scenarios
	KT_PPPD[$2]=$!
}

# kt_syn_mss SRV_NS SRV_IF SRV SUB_NS SUB_IF SUB: one TCP connection from
# SUB (an address in SUB_NS) to SRV:8080 (a listener in SRV_NS); sets
# KT_MSS_SYN to the MSS option of the SYN as it arrives on SRV_IF and
# KT_MSS_SYNACK to that of the SYN-ACK as it arrives on SUB_IF ("none":
# the segment had no MSS option).  Fails the scenario when the capture does
# not start, the connection fails or no SYN is seen.  Files in $IT_DIR:
# mss-server.out, mss-client.out.
kt_syn_mss() {
	local srv_pid
	kt_mss_capture "$1" server "$2" "$3" "$6" >"$IT_DIR/mss-server.out" 2>&1 &
	srv_pid=$!
	it_wait 20 grep -q ready "$IT_DIR/mss-server.out" ||
		it_fail "the server's capture did not start: $(cat "$IT_DIR/mss-server.out")"
	kt_mss_capture "$4" client "$5" "$3" "$6" >"$IT_DIR/mss-client.out" 2>&1 ||
		it_fail "the subscriber's connection failed: $(tr '\n' ' ' <"$IT_DIR/mss-client.out")"
	wait "$srv_pid" || it_fail "the server saw no SYN: $(tr '\n' ' ' <"$IT_DIR/mss-server.out")"
	# shellcheck disable=SC2034 # read by the scenarios
	KT_MSS_SYN=$(sed -n 2p "$IT_DIR/mss-server.out")
	# shellcheck disable=SC2034
	KT_MSS_SYNACK=$(sed -n 2p "$IT_DIR/mss-client.out")
}

# kt_mss_capture NS MODE IFACE SRV SUB: python in NS; MODE server: listen
# on SRV:8080 and print the MSS of the SYN that arrives on IFACE; client:
# connect from SUB and print the MSS of the SYN-ACK that arrives on IFACE.
# Prints "ready" first, once its capture socket is bound.
kt_mss_capture() {
	ip netns exec "$1" /usr/bin/python3 - "$2" "$3" "$4" "$5" <<'PY'
import socket, struct, sys
mode, ifc, srv, sub = sys.argv[1:5]
cap = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM, socket.htons(0x0800))
cap.bind((ifc, 0))
cap.settimeout(20)
if mode == "server":
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((srv, 8080))
    ls.listen(1)
print("ready", flush=True)
if mode == "client":
    c = socket.socket()
    c.bind((sub, 0))
    c.settimeout(20)
    c.connect((srv, 8080))
want_ack = mode == "client"
while True:
    p = cap.recv(65535)
    if len(p) < 40 or p[9] != 6:
        continue
    t = p[(p[0] & 15) * 4:]
    if 8080 not in struct.unpack("!HH", t[:4]) or not t[13] & 2 or bool(t[13] & 0x10) != want_ack:
        continue
    o, i = t[20:(t[12] >> 4) * 4], 0
    while i < len(o) and o[i] != 0:
        if o[i] == 2:
            print(struct.unpack("!H", o[i + 2:i + 4])[0], flush=True)
            sys.exit(0)
        i += 1 if o[i] == 1 else max(o[i + 1], 2)
    print("none", flush=True)
    sys.exit(0)
PY
}

# kt_pingers NS DST PREFIX INTERVAL IFACE...: `ping -D` from NS to DST out of
# each IFACE every INTERVAL seconds, in the background; the I-th IFACE's
# output in $IT_DIR/PREFIX<I>.log, the pids in $IT_DIR/pingers.pid.
# kt_stop_pingers (also run on a failure) stops them.
kt_pingers() {
	local ns=$1 dst=$2 prefix=$3 ival=$4 ifc i=0
	shift 4
	for ifc in "$@"; do
		i=$((i + 1))
		ip netns exec "$ns" ping -n -D -i "$ival" -W 1 -I "$ifc" "$dst" </dev/null >"$IT_DIR/$prefix$i.log" 2>&1 &
		echo $! >>"$IT_DIR/pingers.pid"
	done
	case " ${IT_FAIL_HOOKS[*]} " in *" kt_stop_pingers "*) ;; *) IT_FAIL_HOOKS+=(kt_stop_pingers) ;; esac
}
kt_stop_pingers() {
	local p
	[ -f "$IT_DIR/pingers.pid" ] || return 0
	while read -r p; do kill -INT "$p" 2>/dev/null || true; done <"$IT_DIR/pingers.pid"
}

# kt_replies_after T FILE...: how many of the `ping -D` logs FILEs have no
# reply printed after the time T (seconds since the epoch).
kt_replies_after() {
	local t=$1
	shift
	awk -v t="$t" '/ bytes from / { ts = substr($1, 2, length($1) - 2) + 0; if (ts > t) ok[FILENAME] = 1 }
		END { n = 0; for (i = 1; i < ARGC; i++) if (!(ARGV[i] in ok)) n++; print n }' "$@"
}

# kt_restart NAME [ARG...]: `l2tpctl restart [ARG...]` of our daemon NAME
# (`binary PATH`: an upgrade); the old process exits, the new one
# (IT_DPID[NAME] from then on) runs and answers, else the scenario fails.
# KT_RESTART_T0 and KT_RESTART_T1: the times (seconds since the epoch) just
# before and after the command; KT_RESTART_OUT: what it printed.
kt_restart() {
	local name=$1 old=${IT_DPID[$1]} what="restart${2:+ $2}" out new
	shift
	# shellcheck disable=SC2034 # read by the scenarios
	KT_RESTART_T0=$EPOCHREALTIME
	out=$(it_ctl "$name" restart "$@" 2>&1) || it_fail "$what refused: $out"
	# shellcheck disable=SC2034
	KT_RESTART_T1=$EPOCHREALTIME
	new=$(printf '%s\n' "$out" | sed -n 's/.*PID [0-9]* -> \([0-9]*\),.*/\1/p')
	if [ -z "$new" ] || [ "$new" = "$old" ]; then it_fail "$what: the PID did not change: $out"; fi
	it_wait 10 kt_exited "$old" || it_fail "$what: the old ${name^^} $old did not exit"
	wait "$old" 2>/dev/null || true
	IT_DPID[$name]=$new
	it_alive "$name" || it_fail "$what: the new ${name^^} $new does not run"
	it_ctl_ready "$name" || it_fail "$what: the new ${name^^} does not answer"
	# shellcheck disable=SC2034
	KT_RESTART_OUT=$out
	it_log "$what: $out"
}
# kt_exited PID: PID is gone or a zombie.
kt_exited() { ! kill -0 "$1" 2>/dev/null || grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null; }

# kt_pppd_mark: remember how far each pppd log $IT_DIR/pe*-pppd.log is;
# kt_pppd_renegotiated then prints (up to 3) lines logged since that say
# pppd negotiated again or was terminated.
kt_pppd_mark() { wc -l "$IT_DIR"/pe*-pppd.log | awk '$2 != "total"' >"$IT_DIR/marks.txt"; }
kt_pppd_renegotiated() {
	awk 'FILENAME == ARGV[1] { m[$2] = $1; next }
	FNR > m[FILENAME] && /ConfReq|ConfAck|TermReq|TermAck|LCP terminated|Terminating|[Hh]angup|PADT/ {
		f = FILENAME; sub(/.*\//, "", f); print f ": " $0 }' "$IT_DIR/marks.txt" "$IT_DIR"/pe*-pppd.log | head -n 3
}

# kt_ping_stats R0 FILE...: "LONGEST_GAP LOST REPLIES SENT BASE" over the
# `ping -D` logs FILEs: the longest time between two replies of one log;
# the pings of each log's sequence range (its lowest to its highest reply)
# that got no reply; the distinct replies; the pings of those ranges; the
# longest gap that ended at or before the time R0 (seconds since the epoch;
# 0: none, BASE 0), the baseline.
kt_ping_stats() {
	local r0=$1
	shift
	awk -v r0="$r0" '/ bytes from .*icmp_seq=/ {
		ts = substr($1, 2, length($1) - 2) + 0
		q = $0; sub(/.*icmp_seq=/, "", q); sub(/ .*/, "", q); q += 0
		if (!(FILENAME in lo) || q < lo[FILENAME]) lo[FILENAME] = q
		if (!(FILENAME in hi) || q > hi[FILENAME]) hi[FILENAME] = q
		if (!((FILENAME, q) in got)) { got[FILENAME, q] = 1; n[FILENAME]++; r++ }
		if (FILENAME in last && ts - last[FILENAME] > g) g = ts - last[FILENAME]
		if (FILENAME in last && ts <= r0 && ts - last[FILENAME] > b) b = ts - last[FILENAME]
		last[FILENAME] = ts
	}
	END { for (f in n) { l += hi[f] - lo[f] + 1 - n[f]; s += hi[f] - lo[f] + 1 }
		printf "%.3f %d %d %d %.3f\n", g, l, r, s, b }' "$@"
}

# kt_ping_gaps FILE...: "LONGEST_GAP LOST REPLIES" of kt_ping_stats.
kt_ping_gaps() { kt_ping_stats 0 "$@" | awk '{ print $1, $2, $3 }'; }

# kt_ping_loss R0 FILE...: "LOST GAP SENT BASE" of kt_ping_stats R0.
kt_ping_loss() { kt_ping_stats "$@" | awk '{ print $2, $1, $4, $5 }'; }
