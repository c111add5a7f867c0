# shellcheck shell=bash
# Helpers for the HA scenarios (t_ha_*.sh, t_radius_ha.sh, and the HA
# benchmark tests/bench/ha_failover.sh): an active/standby pair of our LNS
# behind a VRRP address (keepalived), a peer LAC, and the ways a box dies.
# Sources lib.sh; every it_* helper is available too (the segment and its
# address plan: it_ha_segment, IT_HA_*; the redundancy show: it_ha_*).
#
# Topology (one L2 segment; every namespace is private to the run):
#
#     ns "a"  eth0  192.0.2.1/24 10.99.0.1/24  (+ VIP 192.0.2.10 when master)
#     ns "b"  eth0  192.0.2.2/24 10.99.0.2/24  (+ VIP 192.0.2.10 when master)
#     ns "peer" eth0 192.0.2.100/24            (our LAC and/or xl2tpd)
#       |                |               |
#     p-a              p-b            p-peer   -- br0 in ns "br"
#
#   192.0.2.0/24  service side: the peer reaches the LNS on the VIP; VRRP
#                 adverts (VRRPv3, 224.0.0.18) go here too.
#   10.99.0.0/24  the checkpoint link (ZeroMQ, port 17010) between a and b.
#   Both subnets share the bridge: a box whose link goes down loses both at
#   once, as a box that dies does.
#
# Each box runs our l2tpd (daemon name "a" or "b" for it_ctl, it_json ...)
# with a `redundancy` block, and a keepalived (VRRPv3, advert_int
# HA_ADVERT_INT (default 0.05: a master is declared down after 3 adverts
# and the skew, about 0.17 s), its VRRP process at real-time priority
# (vrrp_rt_priority: a busy host must not delay its adverts into a false
# failover; vrrp_rlimit_rtime 1 s instead of keepalived's 10 ms of CPU
# between blocking calls, past which the kernel SIGKILLs the VRRP process:
# on a loaded host it was killed and its box lost the address), priorities 150/100, nopreempt, VIP 192.0.2.10/24) whose notify scripts run
# `l2tpctl -s SOCKET redundancy state master|backup|fault` (and backup when
# keepalived itself stops) and record every call in $IT_DIR/BOX.notify.
# HA_NOTIFY_STUB=1: the scripts only record.
#
# A planned switchover (ha_switchover ACTIVE): HA_SWITCHOVER=cli (default)
# runs `l2tpctl redundancy switchover` on the active, then restarts its
# keepalived so that the VIP follows; HA_SWITCHOVER=keepalived only restarts
# keepalived (its notify_stop demotes the active, the other box's
# notify_master promotes the standby once it holds the VIP);
# HA_SWITCHOVER=vrrp only runs `l2tpctl redundancy switchover`: the daemon
# sets the fault file keepalived tracks (HA_FAULT_FILE=1 must have been set
# when the boxes started: `vrrp fault-file` and keepalived's track_file),
# keepalived moves the VIP.
#
# A box failure (ha_kill_box): every process of the box's namespace is
# frozen (SIGSTOP), its link goes down (no packet leaves it from then on),
# and they all get SIGKILL (a killed keepalived leaves the VIP on the
# interface: the link must go too).
# The boxes drop their own outgoing ICMP destination-unreachable: a dead box
# answers nothing, while a daemon that SIGKILLed itself at a crash point
# leaves a live kernel that would, until ha_kill_box takes the link down.
#
# What the assertions read (`l2tpctl --json`, parsed with jq), in one place
# here so a renamed field is fixed once:
#   show l2tp redundancy:  as tests/lib/daemon.sh (it_ha_*)
#   show l2tp redundancy detail: link_stats.{auth_refused,bulks,bulk_records,
#     bulk_ms}
#   show vpdn history failure: failures[].cause (611), failures[].reason,
#     failures[].repeat_count
#   show l2tp tunnel [detail], show l2tp session: as lib.sh; the LAC's
#     per-tunnel ctrl_stats.{tx_msgs,rx_msgs} and outstanding (HELLO rounds)
#   logs: the LAC's "tunnel T/P: StopCCN from peer", "session T/S: CDN from
#     peer", "peer ... not responding" (no counter of those exists); a box's
#     "crash point NAME reached"
#
# Environment (beyond lib.sh's):
#   HA_NOTIFY_STUB   1: keepalived's notify scripts do not call l2tpctl
#   HA_HELLO         `l2tp tunnel hello` on every side (default 2)
#   HA_SWITCHOVER    cli (default) or keepalived: how ha_switchover works
#   L2T_HA_DEBUG     `debug l2tp redundancy` categories to switch on ("event resync")

# shellcheck source=../integration/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

HA_CKPT_PORT=17010
HA_VRID=51
HA_SECRET=s3cret
HA_HELLO=${HA_HELLO:-2}
declare -A HA_PRIO=([a]=150 [b]=100)
declare -A HA_NS=()		# a, b, peer, br -> namespace
declare -A HA_PUB=()		# box -> its own CURVE public key (Z85)
declare -A HA_SEC=()		# box -> its own CURVE secret key
declare -A HA_PEERKEY=()	# box -> the public key it expects of the other box
declare -A HA_KA=()		# box -> keepalived pid
declare -A HA_GEN=()		# box -> l2tpd incarnation (logs of earlier ones are kept)
declare -A HA_KA_GEN=()		# box -> keepalived incarnation
declare -A HA_KA_EXTRA=()	# box -> more keepalived.conf after VI_1 (instances, sync group)
# A second pair (boxes c and d, ha_second_pair): its own VIP and VRRP
# instance on the same segment; boxes a and b keep IT_HA_VIP and HA_VRID.
HA_VIP2=192.0.2.20
declare -A HA_VIP_OF=([c]=$HA_VIP2 [d]=$HA_VIP2)	# box -> its pair's VIP
declare -A HA_VRID_OF=([c]=52 [d]=52)			# box -> its pair's VRID
IT_HA_ADDR+=([c]=192.0.2.3 [d]=192.0.2.4)
IT_HA_CKPT+=([c]=10.99.0.3 [d]=10.99.0.4)
HA_PRIO+=([c]=150 [d]=100)

ha_other() {
	case $1 in
	a) echo b ;;
	b) echo a ;;
	c) echo d ;;
	*) echo c ;;
	esac
}

# ha_vip BOX: the VIP of BOX's pair.
ha_vip() { printf '%s' "${HA_VIP_OF[$1]:-$IT_HA_VIP}"; }

# ha_init NAME: it_init, plus a cleanup hook that kills keepalived and the
# pair before the namespaces go.
ha_init() {
	it_init "$1"
	IT_CLEANUP_HOOKS+=(ha_cleanup)
	it_require_cmd ip jq nft keepalived timeout
}

# ha_cleanup (a cleanup hook): no graceful stop: a box's l2tpd with a
# thousand sessions takes seconds to say goodbye to each peer, and nothing
# here checks it.
ha_cleanup() {
	local box
	for box in "${!HA_KA[@]}"; do
		kill -KILL "${HA_KA[$box]}" 2>/dev/null
	done
	for box in a b c d lac; do
		if [ -n "${IT_DPID[$box]:-}" ]; then
			kill -KILL "${IT_DPID[$box]}" 2>/dev/null
			wait "${IT_DPID[$box]}" 2>/dev/null
		fi
	done
}

# ---------------------------------------------------------------- topology

ha_topology() {
	local box
	it_ha_segment NS_PEER peer
	HA_NS=([br]=$NS_BR [a]=$NS_A [b]=$NS_B [peer]=$NS_PEER)
	for box in a b; do
		it_nft "${HA_NS[$box]}" <<-'EOF' || it_fail "nftables in box failed"
		table inet ha_box {
			chain output {
				type filter hook output priority 0; policy accept;
				icmp type destination-unreachable drop
			}
		}
		EOF
	done
	for box in a b; do
		it_wait 5 ha_peer_resolves "${IT_HA_ADDR[$box]}" "$box" ||
			it_fail "the peer cannot reach box $box"
	done
	it_log "topology up: ${HA_NS[a]} ${HA_NS[b]} ${HA_NS[peer]} on ${HA_NS[br]}"
}

# ha_second_pair: boxes c and d (namespaces NS_C, NS_D) join the segment as
# a second pair: IT_HA_ADDR/24 and IT_HA_CKPT/24, VIP HA_VIP2, VRRP
# instance HA_VRID_OF; the same output filter as ha_topology's boxes.
ha_second_pair() {
	local box ns
	for box in c d; do
		it_netns ns "$box"
		HA_NS[$box]=$ns
		it_bridge_port "$NS_BR" "$ns" "${IT_HA_ADDR[$box]}/24" "${IT_HA_CKPT[$box]}/24"
		it_nft "$ns" <<-'EOF' || it_fail "nftables in box failed"
		table inet ha_box {
			chain output {
				type filter hook output priority 0; policy accept;
				icmp type destination-unreachable drop
			}
		}
		EOF
	done
}

# ha_has_vip BOX: the VIP of BOX's pair is configured on the box's eth0.
ha_has_vip() {
	ip -n "${HA_NS[$1]}" -4 -o addr show dev eth0 2>/dev/null | grep -q " $(ha_vip "$1")/"
}

# ha_vip_owner: "a", "b", "a b" (split brain) or "" (nobody).
ha_vip_owner() {
	local box out=
	for box in a b; do
		if ha_has_vip "$box"; then
			out="${out:+$out }$box"
		fi
	done
	printf '%s' "$out"
}

# ha_mac_of BOX: the MAC address of the box's eth0.
ha_mac_of() {
	ip -n "${HA_NS[$1]}" link show eth0 | awk '/link\/ether/ {print $2}'
}

# ha_peer_resolves ADDRESS BOX: a datagram from the peer to ADDRESS goes to
# BOX's MAC (the peer's neighbour entry; no ping on the machines).
ha_peer_resolves() {
	# shellcheck disable=SC2016 # expanded by the inner shell
	ip netns exec "${HA_NS[peer]}" bash -c 'echo probe >"/dev/udp/$1/9"' sh "$1" 2>/dev/null || true
	ip -n "${HA_NS[peer]}" neigh show "$1" | grep -qi "lladdr $(ha_mac_of "$2") "
}

# ---------------------------------------------------------------- keys

# ha_keygen BOX: a fresh CURVE keypair for BOX (HA_PUB, HA_SEC) from
# `l2tpctl --json redundancy keygen` ({"public_key": K, "secret_key": K}).
ha_keygen() {
	local box=$1 out pub sec
	out=$("$L2TPCTL" --json redundancy keygen 2>&1) ||
		it_fail "l2tpctl redundancy keygen failed: $(printf '%s' "$out" | head -c 200)"
	pub=$(printf '%s\n' "$out" | jq -r '.public_key // empty' 2>/dev/null) || true
	sec=$(printf '%s\n' "$out" | jq -r '.secret_key // empty' 2>/dev/null) || true
	if [ "${#pub}" -ne 40 ] || [ "${#sec}" -ne 40 ]; then
		it_fail "redundancy keygen gave no 40-character Z85 keys: $(printf '%s' "$out" | head -c 200)"
	fi
	HA_PUB[$box]=$pub
	HA_SEC[$box]=$sec
}

# ha_keys [X Y]: a keypair for each box of the pair X Y (default a b);
# each trusts the other's public key.
ha_keys() {
	local x=${1:-a} y=${2:-b}
	ha_keygen "$x"
	ha_keygen "$y"
	HA_PEERKEY[$x]=${HA_PUB[$y]}
	HA_PEERKEY[$y]=${HA_PUB[$x]}
}

# ---------------------------------------------------------------- configs

# ha_conf_redundancy BOX: the box's tunnel source (its pair's VIP) and
# redundancy block: checkpoint link to the other box of its pair, CURVE keys
# (ha_keys), heartbeat 100 ms, dead interval 1 s.
ha_conf_redundancy() {
	local box=$1 other
	other=$(ha_other "$box")
	echo "vpdn source-ip $(ha_vip "$box")"
	it_conf_redundancy "${IT_HA_CKPT[$box]} port $HA_CKPT_PORT" "${IT_HA_CKPT[$other]} port $HA_CKPT_PORT" \
		"$(ha_vip "$box")" " checkpoint curve public-key ${HA_PUB[$box]} secret-key ${HA_SEC[$box]} peer-key ${HA_PEERKEY[$box]}
 checkpoint heartbeat 100 dead-interval 1000"
}

# ha_conf_lns BOX [EXTRA_GROUP_LINES] [TEMPLATE]: the LNS of box BOX in the
# pair (TEMPLATE: a Virtual-Template for the group, as it_conf_dialin).
ha_conf_lns() {
	local box=$1
	it_conf_head "lns-$box"
	ha_conf_redundancy "$box"
	it_conf_dialin "${3:-}" "$(it_conf_tunnel lns "$HA_SECRET" "$HA_HELLO")
 l2tp tunnel resync 20
${2:-}"
	if [ "${HA_FAULT_FILE:-0}" = 1 ]; then
		printf 'redundancy\n vrrp fault-file %s\n!\n' "$IT_DIR/$box.fault"
	fi
}

# ha_conf_lac [EXTRA_GROUP_LINES]: our LAC in the peer namespace, toward the VIP.
ha_conf_lac() {
	it_conf_lac lac1 "$HA_SECRET" "$IT_HA_VIP" " l2tp tunnel hello $HA_HELLO
${1:-}"
}

# ---------------------------------------------------------------- keepalived

# ha_notify_script BOX: the script keepalived runs on a state change
# (HA_NOTIFY_MASTER_DELAY=SECONDS: it tells the daemon master that late).
ha_notify_script() {
	local box=$1 f=$IT_DIR/notify-$1.sh
	{
		printf '#!/bin/sh\n'
		# shellcheck disable=SC2016 # a line of the generated script
		printf '# keepalived notify for box %s: $1 is MASTER, BACKUP, FAULT or STOP\n' "$box"
		printf 'log=%q\nctl=%q\nsock=%q\nstub=%q\ndelay=%q\nvip=%q\n' "$IT_DIR/$box.notify" "$L2TPCTL" \
			"$IT_DIR/$box.sock" "${HA_NOTIFY_STUB:-0}" "${HA_NOTIFY_MASTER_DELAY:-0}" "$(ha_vip "$box")"
		cat <<-'EOF'
		state=$(printf '%s' "$1" | tr 'A-Z' 'a-z')
		echo "$(date +%s.%N) $1 called" >>"$log"
		[ "$stub" = 1 ] && exit 0
		# a notify script slower than the address (HA_NOTIFY_MASTER_DELAY)
		[ "$state" = master ] && [ "$delay" != 0 ] && sleep "$delay"
		# keepalived runs notify scripts concurrently: the BACKUP of its
		# start-up may land after the MASTER that followed it.  It sets the
		# VIP before notifying MASTER and removes it before notifying
		# BACKUP, so the address tells which call is stale.
		has_vip=0
		ip -4 -o addr show dev eth0 | grep -q " $vip/" && has_vip=1
		if { [ "$state" = master ] && [ "$has_vip" = 0 ]; } ||
		   { [ "$state" = backup ] && [ "$has_vip" = 1 ]; }; then
			echo "$(date +%s.%N) $1 stale (VIP present: $has_vip)" >>"$log"
			exit 0
		fi
		# keepalived stopping: the VIP goes, so must the daemon's role.
		[ "$state" = stop ] && state=backup
		case $state in master|backup|fault) ;; *) exit 0 ;; esac
		out=$(timeout 10 "$ctl" -s "$sock" redundancy state "$state" 2>&1)
		rc=$?
		echo "$(date +%s.%N) $1 rc=$rc $out" >>"$log"
		exit "$rc"
		EOF
	} >"$f"
	chmod 700 "$f"
	printf '%s' "$f"
}

ha_keepalived_conf() {
	local box=$1 script=$2
	cat <<-EOF
	global_defs {
		router_id ha-$box
		enable_script_security
		script_user root
		vrrp_garp_master_repeat 2
		vrrp_rt_priority 50
		vrrp_rlimit_rtime 1000000
	}
	$(ha_keepalived_track "$box")
	vrrp_instance VI_1 {
		state BACKUP
		interface eth0
		version 3
		virtual_router_id ${HA_VRID_OF[$box]:-$HA_VRID}
		priority ${HA_PRIO[$box]}
		advert_int ${HA_ADVERT_INT:-0.05}
		nopreempt
		virtual_ipaddress {
			$(ha_vip "$box")/24 dev eth0
		}
		notify_master "$script MASTER"
		notify_backup "$script BACKUP"
		notify_fault "$script FAULT"
		notify_stop "$script STOP"
		$([ "${HA_FAULT_FILE:-0}" = 1 ] && printf 'track_file {\n\t\t\tl2tpd_fault weight 0\n\t\t}')
	}
	${HA_KA_EXTRA[$box]:-}
	EOF
}

# ha_keepalived_track BOX: with HA_FAULT_FILE=1, the track_file block of the
# daemon's `vrrp fault-file` (weight 0: a non-zero value is a fault).
ha_keepalived_track() {
	[ "${HA_FAULT_FILE:-0}" = 1 ] || return 0
	printf 'track_file l2tpd_fault {\n\t\tfile "%s"\n\t\tweight 0\n\t\tinit_file 0 overwrite\n\t}\n' \
		"$IT_DIR/$1.fault"
}

# ha_ka_start BOX: keepalived (VRRP only) in the box's namespace.
ha_ka_start() {
	local box=$1 ns=${HA_NS[$1]} script
	script=$(ha_notify_script "$box")
	ha_keepalived_conf "$box" "$script" >"$IT_DIR/ka-$box.conf"
	# Fresh pid files each time: those of a killed instance name pids that
	# may live on as zombies, and keepalived would refuse to start.
	HA_KA_GEN[$box]=$((${HA_KA_GEN[$box]:-0} + 1))
	ip netns exec "$ns" keepalived -n -l -D -G -P -f "$IT_DIR/ka-$box.conf" \
		-p "$IT_DIR/ka-$box.${HA_KA_GEN[$box]}.pid" -r "$IT_DIR/ka-$box.${HA_KA_GEN[$box]}.vrrp.pid" \
		</dev/null >>"$IT_DIR/ka-$box.log" 2>&1 &
	HA_KA[$box]=$!
	disown "${HA_KA[$box]}" # no "Killed" job report when a box dies
	it_log "started keepalived for $box pid ${HA_KA[$box]}"
}

# ha_ka_stop BOX: SIGTERM keepalived (it releases the VIP and tells the
# other router with a priority-0 advert), wait for it to exit.
ha_ka_stop() {
	local box=$1 pid=${HA_KA[$1]:-}
	[ -n "$pid" ] || return 0
	it_stop_pid "$pid" 5
	unset "HA_KA[$box]"
}

# ha_notified BOX STATE [N]: keepalived ran the notify script with STATE
# (and, unless stubbed, l2tpctl accepted it) at least N times (default 1).
ha_notified() {
	[ "$(ha_notified_count "$1" "$2")" -ge "${3:-1}" ]
}

# ha_notified_count BOX STATE: how many STATE calls reached l2tpctl and
# were accepted (the calls themselves when stubbed; a stale call skipped by
# the script is not counted).
ha_notified_count() {
	local n pat=" $2 rc=0"
	[ "${HA_NOTIFY_STUB:-0}" = 1 ] && pat=" $2 called"
	n=$(grep -c -- "$pat" "$IT_DIR/$1.notify" 2>/dev/null) || true
	echo "${n:-0}"
}

# ha_notify_count BOX STATE: how many times STATE was notified so far.
ha_notify_count() {
	local n
	n=$(grep -c -- " $2 called" "$IT_DIR/$1.notify" 2>/dev/null) || true
	echo "${n:-0}"
}

# ---------------------------------------------------------------- boxes

# ha_l2tpd BOX CONF: start the box's l2tpd; the log of an earlier
# incarnation is kept as BOX.N.log.
ha_l2tpd() {
	local box=$1 n cat
	n=${HA_GEN[$box]:-0}
	if [ -f "$IT_DIR/$box.log" ]; then
		mv "$IT_DIR/$box.log" "$IT_DIR/$box.$n.log"
	fi
	HA_GEN[$box]=$((n + 1))
	it_l2tpd "$box" "${HA_NS[$box]}" "$2"
	for cat in ${L2T_HA_DEBUG:-}; do
		it_ctl "$box" debug l2tp redundancy "$cat" >/dev/null ||
			it_fail "debug l2tp redundancy $cat refused by $box"
	done
}

# ha_box_start BOX [CONF]: l2tpd (role INIT until keepalived speaks), then
# keepalived.  CONF defaults to ha_conf_lns BOX.
ha_box_start() {
	local box=$1 conf=${2:-}
	[ -n "$conf" ] || conf=$(ha_conf_lns "$box")
	ip -n "${HA_NS[$box]}" addr del "$(ha_vip "$box")/24" dev eth0 2>/dev/null || true
	ip -n "${HA_NS[$box]}" link set eth0 up
	ha_l2tpd "$box" "$conf"
	ha_ka_start "$box"
}

# ha_kill_box BOX: the box fails: every process in its namespace (l2tpd,
# keepalived, notify scripts) is frozen, its link goes down, and they all
# get SIGKILL.
ha_kill_box() {
	local box=$1 ns=${HA_NS[$1]} pid pids
	# Frozen first, so that neither keepalived (its notify_fault) nor
	# l2tpd reacts to the link going down: the box just stops.
	pids=$(ip netns pids "$ns" 2>/dev/null || true)
	for pid in $pids; do
		kill -STOP "$pid" 2>/dev/null || true
	done
	ip -n "$ns" link set eth0 down
	for pid in $pids $(ip netns pids "$ns" 2>/dev/null || true); do
		kill -KILL "$pid" 2>/dev/null || true
	done
	for pid in "${IT_DPID[$box]:-}" "${HA_KA[$box]:-}"; do
		if [ -n "$pid" ]; then
			wait "$pid" 2>/dev/null || true
		fi
	done
	unset "IT_DPID[$box]" "HA_KA[$box]"
	it_log "box $box killed"
}

# ha_revive_box BOX [CONF]: a killed box comes back (link up, VIP that the
# killed keepalived left behind removed) and starts as a standby.
ha_revive_box() {
	ha_box_start "$@"
}

# ha_switchover X Y: a planned switchover from the active X to the standby Y
# (see HA_SWITCHOVER above); returns once Y holds the VIP and X's keepalived
# runs again.
ha_switchover() {
	local x=$1 y=$2 out
	if [ "${HA_SWITCHOVER:-cli}" != keepalived ]; then
		out=$(it_ctl "$x" redundancy switchover 2>&1) ||
			ha_fail "redundancy switchover refused by $x: $(printf '%s' "$out" | head -c 200)"
	fi
	if [ "${HA_SWITCHOVER:-cli}" = vrrp ]; then
		it_wait 5 ha_has_vip "$y" || ha_fail "the VIP did not move to $y at the switchover"
		return 0
	fi
	ha_ka_stop "$x"
	it_wait 5 ha_has_vip "$y" || ha_fail "the VIP did not move to $y at the switchover"
	ha_ka_start "$x"
}

# ---------------------------------------------------------------- roles
# (the redundancy show: it_ha_red, it_ha_is, it_ha_standby_has,
# it_ha_resync_done, it_ha_summary in tests/lib/daemon.sh)

# ha_get BOX JQ_PATH [detail]: one value of `show l2tp redundancy`.
ha_get() {
	local j
	j=$(it_ha_red "$1" ${3:+"$3"}) || return 1
	printf '%s\n' "$j" | jq -r "($2) | if . == null then empty else . end"
}

# ha_is_active_on_vip BOX: the daemon is active and keepalived gave it the VIP.
ha_is_active_on_vip() { ha_has_vip "$1" && it_ha_is "$1" active; }

# ha_active_sees_standby BOX: the active says its standby is up (in sync).
ha_active_sees_standby() {
	[ "$(ha_get "$1" .standby_up 2>/dev/null)" = true ]
}

# ha_pair_synced ACTIVE STANDBY TUNNELS SESSIONS
ha_pair_synced() {
	ha_active_sees_standby "$1" && it_ha_standby_has "$2" "$3" "$4"
}

# ha_resync_counts BOX: "SUCCESS FAIL" (tunnels resynced since start).
ha_resync_counts() {
	it_ha_red "$1" | jq -r '"\(.resynced_tunnels.success // 0) \(.resynced_tunnels.fail // 0)"'
}

# ha_dump BOX: the full redundancy detail on stderr (diagnostics).
ha_dump() {
	{
		printf -- '--- %s: show l2tp redundancy detail on %s\n' "$IT_NAME" "$1"
		it_ctl "$1" show l2tp redundancy detail 2>&1 | head -n 60
	} >&2 || true
}

# ha_fail TEXT: fail with the redundancy state of both boxes on stderr.
ha_fail() {
	local box
	for box in a b c d; do
		if [ -n "${IT_DPID[$box]:-}" ] && it_alive "$box"; then
			ha_dump "$box"
		fi
	done
	it_fail "$*"
}

# ha_auth_refused BOX: the active's count of refused checkpoint peers.
ha_auth_refused() {
	ha_get "$1" '.link_stats.auth_refused' detail
}

# ha_history_611 BOX: failure records for calls refused during HA resync.
ha_history_611() {
	it_json "$1" show vpdn history failure |
		jq '[.failures[]? | select(.cause == 611 or ((.reason // "") | test("HA resync"; "i")))
		     | (.repeat_count // 1) | if . < 1 then 1 else . end] | add // 0'
}

# ha_log_since LOG START PATTERN: seconds from START (it_now) to the last
# line of LOG holding PATTERN, by the daemon's own timestamp
# ("YYYY-MM-DD HH:MM:SS.mmm", local time); an error when there is none.
ha_log_since() {
	local line ts
	line=$(grep -F -- "$3" "$1" | tail -n 1)
	[ -n "$line" ] || ha_fail "no line \"$3\" in $1"
	ts=$(date -d "$(cut -c1-23 <<<"$line")" +%s.%N) || ha_fail "no timestamp in: $line"
	awk -v s="$2" -v e="$ts" 'BEGIN { printf "%.3f", e - s }'
}

# ---------------------------------------------------------------- bring-up

# ha_pair_up: keys, both boxes; a becomes the active (VIP on a), b the
# standby.
ha_pair_up() {
	local t0
	ha_keys a b
	t0=$(it_now)
	ha_box_start a
	it_wait 10 ha_has_vip a || ha_fail "box a did not become VRRP master within 10 s"
	it_wait 10 ha_notified a MASTER || ha_fail "keepalived on a did not notify MASTER to l2tpd: $(tail -n 3 "$IT_DIR/a.notify" 2>/dev/null)"
	it_wait 10 it_ha_is a active || ha_fail "l2tpd on a is not active after MASTER: $(it_ha_summary a)"
	it_say "box a active on the VIP $(it_elapsed "$t0") s after start"
	ha_start_standby b
}

# ha_start_standby BOX [CONF]: start (or revive) BOX as the standby of the
# box holding the VIP.
ha_start_standby() {
	local box=$1 t0 n
	t0=$(it_now)
	n=$(ha_notified_count "$box" BACKUP)
	ha_box_start "$@"
	it_wait 10 ha_notified "$box" BACKUP $((n + 1)) ||
		ha_fail "keepalived on $box did not notify BACKUP to l2tpd: $(tail -n 3 "$IT_DIR/$box.notify" 2>/dev/null)"
	it_wait 10 it_ha_is "$box" standby || ha_fail "l2tpd on $box is not standby: $(it_ha_summary "$box")"
	ha_has_vip "$box" && ha_fail "standby $box holds the VIP"
	it_log "box $box standby after $(it_elapsed "$t0") s"
}

# ha_wait_synced ACTIVE STANDBY TUNNELS SESSIONS [SECONDS]
ha_wait_synced() {
	local t0
	t0=$(it_now)
	if ! it_wait "${5:-30}" ha_pair_synced "$1" "$2" "$3" "$4"; then
		ha_fail "standby $2 not in sync with $3 tunnels / $4 sessions: $2: $(it_ha_summary "$2"); $1: $(it_ha_summary "$1"); calls not established on $1: $(ha_unsettled "$1")"
	fi
	it_say "standby $2 in sync with $3 tunnels, $4 sessions ($(it_elapsed "$t0") s)"
}

# ha_unsettled BOX: the calls BOX holds that are not established, each with
# the LAC's view of it (diagnostics): "tid/sid peer-sid state age-s (LAC:
# state)".
ha_unsettled() {
	local lac
	lac=$(it_json lac show l2tp session 2>/dev/null |
		jq -c "[$IT_JQ_ROWS | {(.local_session_id | tostring): .state}] | add // {}") || lac='{}'
	it_json "$1" show l2tp session 2>/dev/null |
		jq -r --argjson lac "$lac" "$IT_JQ_ROWS | select(.state != \"established\") |
			\"\(.tunnel_id)/\(.local_session_id) \(.remote_session_id) \(.state) \(.uptime_seconds)s (LAC: \(\$lac[.remote_session_id | tostring] // \"none\"))\"" |
		head -n 5 | tr '\n' ';'
}

# ---------------------------------------------------------------- the LAC side

# ha_lac_up [EXTRA_GROUP_LINES]: our LAC in the peer namespace.
ha_lac_up() {
	it_l2tpd lac "${HA_NS[peer]}" "$(ha_conf_lac "${1:-}")"
}

# ha_lac_snapshot FILE: the LAC's established tunnels ("T tid") and
# sessions ("S tid/sid"), its own IDs, sorted.
ha_lac_snapshot() {
	{
		it_json lac show l2tp tunnel |
			jq -r "$IT_JQ_ROWS | select(.state == \"established\") | \"T \(.local_tunnel_id)\""
		it_json lac show l2tp session |
			jq -r "$IT_JQ_ROWS | select(.state == \"established\") | \"S \(.tunnel_id)/\(.local_session_id)\""
	} | sort >"$1"
}

# ha_active_view BOX FILE: the same list as seen by the LNS BOX, in the LAC's
# IDs (its remote tunnel and session IDs).
ha_active_view() {
	local box=$1 out=$2
	it_json "$box" show l2tp tunnel >"$IT_DIR/view-t.json" || return 1
	it_json "$box" show l2tp session >"$IT_DIR/view-s.json" || return 1
	{
		jq -r "$IT_JQ_ROWS | select(.state == \"established\") | \"T \(.remote_tunnel_id)\"" "$IT_DIR/view-t.json"
		jq -nr --slurpfile t "$IT_DIR/view-t.json" --slurpfile s "$IT_DIR/view-s.json" "
			([\$t[0] | $IT_JQ_ROWS | {key: (.local_tunnel_id | tostring), value: .remote_tunnel_id}]
			 | from_entries) as \$m
			| \$s[0] | $IT_JQ_ROWS | select(.state == \"established\")
			| \"S \(\$m[.tunnel_id | tostring])/\(.remote_session_id)\""
	} | sort >"$out"
}

# ha_missing SNAPSHOT FILE: lines of SNAPSHOT not in FILE, counted as
# "T S" (tunnels sessions).
ha_missing() {
	comm -23 "$1" "$2" | awk '$1 == "T" {t++} $1 == "S" {s++} END {printf "%d %d", t, s}'
}

# ha_lac_torn SNAPSHOT: tunnels/sessions of SNAPSHOT the LAC's log shows
# torn down by the LNS side (StopCCN or CDN from the peer, or the peer not
# answering), "T S".
ha_lac_torn() {
	local snap=$1
	{
		grep -Eo 'tunnel [0-9]+/[0-9]+: (StopCCN from peer|peer .* not responding)' "$IT_DIR/lac.log" |
			sed -E 's|^tunnel ([0-9]+)/.*|T \1|'
		grep -Eo 'session [0-9]+/[0-9]+: CDN from peer' "$IT_DIR/lac.log" |
			sed -E 's|^session ([0-9]+)/([0-9]+):.*|S \1/\2|'
		true # (no match is the good case)
	} | sort -u | comm -12 "$snap" - | awk '$1 == "T" {t++} $1 == "S" {s++} END {printf "%d %d", t, s}'
}

# ha_lac_ctrl FILE: per tunnel of the LAC "tid tx_msgs rx_msgs outstanding
# ns una": messages sent and received, the number in flight, the Ns of the
# next new message and the oldest Ns not yet acknowledged.
ha_lac_ctrl() {
	it_json lac show l2tp tunnel detail |
		jq -r "$IT_JQ_ROWS | select(.state == \"established\")
		       | \"\(.local_tunnel_id) \(.ctrl_stats.tx_msgs) \(.ctrl_stats.rx_msgs) \(.outstanding) \(.ns) \(.una)\"" |
		sort >"$1"
}

# ha_hello_pending BEFORE TIDS_FILE: how many tunnels of TIDS_FILE (one tid
# a line) have not yet had a HELLO round with the LNS since BEFORE (a
# ha_lac_ctrl snapshot).  A tunnel has had its round once the LAC's una
# has passed the Ns it was at in BEFORE, and either the LAC received a
# message in order since BEFORE or something it sent since was acknowledged:
# everything the LAC sent up to BEFORE is acknowledged by the new active,
# and a message crossed in at least one direction.  Each condition only
# ever becomes true (una and the counters never go back), so a tunnel that
# has had its round is done for good, whatever HELLO it has in flight at the
# next poll; every tunnel is judged on its own, not all at one instant.
# (§5.8: Ns/Nr compared modulo 2^16.)  0 when done; "tid ns una" of the
# tunnels still waiting in $IT_DIR/hello-pending.
ha_hello_pending() {
	local before=$1 tids=$2
	ha_lac_ctrl "$IT_DIR/ctrl-now" || { wc -l <"$tids"; return 1; }
	awk 'function after(a, b) { return (a - b + 65536) % 65536 < 32768 }
	     FILENAME == ARGV[1] {rx[$1] = $3; ns[$1] = $5; next}
	     FILENAME == ARGV[2] {nrx[$1] = $3; nns[$1] = $5; una[$1] = $6; next}
	     {t = $1
	      ok = (t in una) && after(una[t], ns[t]) &&
		   (nrx[t] > rx[t] || after(una[t], ns[t] + 1))
	      if (!ok) { n++; print t, nns[t], una[t] > "/dev/stderr" }}
	     END {print n + 0}' "$before" "$IT_DIR/ctrl-now" "$tids" 2>"$IT_DIR/hello-pending"
}

ha_hello_done() { [ "$(ha_hello_pending "$1" "$2")" = 0 ]; }

# ha_unacked SNAP TIDS_FILE: how many tunnels of TIDS_FILE have not yet had
# acknowledged everything the LAC had sent when SNAP (ha_lac_ctrl) was taken
# (their una is still before SNAP's Ns).  Monotone, like ha_hello_pending;
# "tid ns una" of those waiting in $IT_DIR/unacked.
ha_unacked() {
	local snap=$1 tids=$2
	ha_lac_ctrl "$IT_DIR/ctrl-now" || { wc -l <"$tids"; return 1; }
	awk 'function after(a, b) { return (a - b + 65536) % 65536 < 32768 }
	     FILENAME == ARGV[1] {ns[$1] = $5; next}
	     FILENAME == ARGV[2] {una[$1] = $6; next}
	     {t = $1
	      if (!(t in una) || !after(una[t], ns[t])) { n++; print t, ns[t], una[t] > "/dev/stderr" }}
	     END {print n + 0}' "$snap" "$IT_DIR/ctrl-now" "$tids" 2>"$IT_DIR/unacked"
}

ha_all_acked() { [ "$(ha_unacked "$1" "$2")" = 0 ]; }

# ha_resync_held BOX: the LAC's tunnels that BOX (just taken over, the LAC
# unable to hear it) holds in resync whatever the LAC sends next: BOX has a
# message outstanding (a restored one, or its probe) that the LAC never
# received (the LAC's Nr is BOX's una), so no Nr the LAC can send ends the
# resync, and a call placed on such a tunnel must be refused with cause
# 611.  On any other tunnel the LAC's next message may legitimately end the
# resync (it acknowledges everything BOX has outstanding: the old active
# sent those messages and the LAC got them), and its call is then taken.
# The resync must still run on BOX (`show l2tp redundancy all`): a tunnel
# that finished it on such an acknowledgement and then sent a HELLO the LAC
# cannot hear looks the same on the wire.  One LAC tunnel ID a line.
ha_resync_held() {
	it_json lac show l2tp tunnel detail >"$IT_DIR/held-lac.json" || return 1
	it_json "$1" show l2tp tunnel detail >"$IT_DIR/held-lns.json" || return 1
	it_json "$1" show l2tp redundancy all >"$IT_DIR/held-red.json" || return 1
	jq -nr --slurpfile l "$IT_DIR/held-lac.json" --slurpfile b "$IT_DIR/held-lns.json" \
		--slurpfile r "$IT_DIR/held-red.json" "
		([\$r[0] | $IT_JQ_ROWS | select(.resync == \"running\") | {key: (.local_tunnel_id | tostring), value: true}] | from_entries) as \$run
		| ([\$b[0] | $IT_JQ_ROWS | {key: (.local_tunnel_id | tostring), value: .}] | from_entries) as \$lns
		| \$l[0] | $IT_JQ_ROWS | select(.state == \"established\")
		| \$lns[.remote_tunnel_id | tostring] as \$x
		| select(\$x != null and \$run[\$x.local_tunnel_id | tostring] == true
			 and \$x.ns != \$x.una and .nr == \$x.una) | .local_tunnel_id"
}

ha_some_held() { [ -n "$(ha_resync_held "$1" 2>/dev/null)" ]; }

# ha_seq_diag BOX TID...: the control channel of each of the LAC's tunnels
# TID seen from both ends (for a failure message): "lac T: ns una out
# rtx(oldest) rto | BOX T': ns nr una rx ooo".
ha_seq_diag() {
	local box=$1 tid lac ptid
	shift
	for tid in "$@"; do
		lac=$(it_json lac show l2tp tunnel detail |
			jq -r "$IT_JQ_ROWS | select(.local_tunnel_id == $tid)
			       | \"\(.remote_tunnel_id) ns \(.ns) una \(.una) out \(.outstanding) rtx \(.rtx_count) rto \(.rto_ms)\"")
		ptid=${lac%% *}
		printf 'lac %s: %s | %s %s: %s; ' "$tid" "${lac#* }" "$box" "$ptid" "$(it_json "$box" show l2tp tunnel detail |
			jq -r "$IT_JQ_ROWS | select(.local_tunnel_id == ${ptid:-0})
			       | \"ns \(.ns) nr \(.nr) una \(.una) rx \(.ctrl_stats.rx_msgs) ooo \(.ctrl_stats.rx_out_of_order)\"")"
	done
}

# ha_lac_has_tunnel_dial: `test vpdn dial ... tunnel <id>` (calls on an
# existing tunnel) is in the daemon's command table.
ha_lac_has_tunnel_dial() {
	it_ctl lac help 2>/dev/null | grep -E 'test vpdn dial' | grep -Eq '(^|[[:space:][])tunnel <'
}

# ha_dial_on_tunnel TID N: N new calls on the LAC's existing tunnel TID.
ha_dial_on_tunnel() {
	it_ctl lac test vpdn dial vpdn-group LAC sessions "$2" tunnel "$1" >/dev/null 2>&1
}

# ha_lac_est_ge N: the LAC has at least N established sessions.
ha_lac_est_ge() { [ "$(it_sessions lac established 2>/dev/null)" -ge "$1" ]; }

# ha_611_gt BOX N: more than N calls refused for HA resync in BOX's history.
ha_611_gt() { [ "$(ha_history_611 "$1" 2>/dev/null || echo 0)" -gt "$2" ]; }

# ha_views_agree BOX [SNAPSHOT]: the LAC's established tunnels and sessions
# are those of the LNS BOX (agree-lac, agree-lns in $IT_DIR after the call);
# with SNAPSHOT, on the tunnels it lists only (a tunnel the LAC opened as the
# active died was never checkpointed: the LAC keeps it until its
# retransmissions give up).
ha_views_agree() {
	ha_lac_snapshot "$IT_DIR/agree-lac.all" && ha_active_view "$1" "$IT_DIR/agree-lns.all" || return 1
	if [ -n "${2:-}" ]; then
		ha_only_tunnels_of "$2" "$IT_DIR/agree-lac.all" >"$IT_DIR/agree-lac"
		ha_only_tunnels_of "$2" "$IT_DIR/agree-lns.all" >"$IT_DIR/agree-lns"
	else
		cp "$IT_DIR/agree-lac.all" "$IT_DIR/agree-lac"
		cp "$IT_DIR/agree-lns.all" "$IT_DIR/agree-lns"
	fi
	cmp -s "$IT_DIR/agree-lac" "$IT_DIR/agree-lns"
}

# ha_only_tunnels_of SNAPSHOT FILE: the lines of FILE about the tunnels of
# SNAPSHOT.
ha_only_tunnels_of() {
	awk 'FILENAME == ARGV[1] {if ($1 == "T") keep[$2] = 1; next}
	     {id = $2; sub("/.*", "", id); if (id in keep) print}' "$1" "$2"
}

# ha_auth_refused_gt BOX N: BOX refused more than N checkpoint peers.
ha_auth_refused_gt() { [ "$(ha_auth_refused "$1" 2>/dev/null || echo 0)" -gt "$2" ]; }

# ha_lac_total_sessions: sessions the LAC holds in any state (cheap: the
# totals of `show l2tp tunnel`).
ha_lac_total_sessions() {
	it_json lac show l2tp tunnel | jq '.total_sessions // 0'
}

# ha_peer_block_from_vip / ha_peer_unblock: the peer drops what comes from
# the VIP (the LNS's control packets), to hold a new active in resync.
ha_peer_block_from_vip() {
	ip netns exec "${HA_NS[peer]}" nft -f - <<-EOF || it_fail "nftables block failed"
	table inet ha_hold {
		counter held { }
		chain input {
			type filter hook input priority 0; policy accept;
			ip saddr $IT_HA_VIP meta l4proto udp counter name held drop
		}
	}
	EOF
}

ha_peer_unblock() {
	ip netns exec "${HA_NS[peer]}" nft delete table inet ha_hold 2>/dev/null || true
}
