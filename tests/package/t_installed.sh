#!/bin/bash
# The installed package through a scenario (run by tests/package/run.sh
# once the .deb is installed): an active/standby LNS pair behind keepalived,
# our LAC with PPP subscribers authenticated and accounted by a private
# FreeRADIUS, a failover (the new active binds the VIP's sockets with
# IP_TRANSPARENT) -- every l2tpd the installed /usr/sbin/l2tpd, running as
# the user l2tpd with only CAP_NET_ADMIN, CAP_NET_RAW and
# CAP_NET_BIND_SERVICE: box a and the LAC as the systemd unit starts it
# (ambient capabilities), box b started as root with `-u l2tpd`.
# Checked on the way:
#   - /proc/PID/status of each daemon: uid and gid l2tpd, CapEff exactly
#     the three, CapBnd no more than them;
#   - the control socket: mode 0660, group l2tpd; a member of the group
#     that is not root may show but not run a root-only command; a user
#     outside the group cannot connect;
#   - /metrics of each box: `promtool check metrics` passes, and at quiet
#     moments its values sit between two `l2tpctl --json` reads taken
#     around it (before <= metric <= after), before and after the failover.
# shellcheck disable=SC2016 # $x in single quotes are jq's
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../integration/ha_lib.sh
. "$here/../integration/ha_lib.sh"
# shellcheck source=../integration/radius_lib.sh
. "$here/../integration/radius_lib.sh"
ha_init package_installed
rad_init
it_require_l2tpd
it_require_cmd curl promtool setpriv
N=${L2T_PKG_SESSIONS:-4}
RAD_ADDR_PEER=$IT_HA_PEER_ADDR
METRICS_PORT=9101
CAPS_HEX=0000000000003400	# CAP_NET_BIND_SERVICE (10), CAP_NET_ADMIN (12), CAP_NET_RAW (13)
L2TPD_UID=$(id -u l2tpd)
L2TPD_GID=$(getent group l2tpd | cut -d: -f3)

# The daemons run as l2tpd: their sockets go in the scenario's directory,
# which the group l2tpd may write; keepalived refuses notify scripts in such
# a directory, so theirs go in one of root's own.
chgrp l2tpd "$IT_DIR"
chmod 0770 "$IT_DIR"
PKG_SCRIPTS=$(mktemp -d /tmp/l2tpd-pkg-ka.XXXXXX)
# shellcheck disable=SC2317 # a cleanup hook
pkg_rm_scripts() { rm -rf "$PKG_SCRIPTS"; }
IT_CLEANUP_HOOKS+=(pkg_rm_scripts)
eval "$(declare -f ha_notify_script | sed 's|f=$IT_DIR/notify-|f=$PKG_SCRIPTS/notify-|')"

ha_topology
rad_start r1 "${HA_NS[peer]}" "$RAD_ADDR_PEER" 1812 1813

box_conf() {
	ha_conf_lns "$1" | awk '{ print } /^  protocol l2tp$/ { print "  virtual-template 1" }'
	rad_conf_servers r1
	rad_conf_aaa "group radius"
	rad_template pap
	echo "metrics listen ${IT_HA_ADDR[$1]} port $METRICS_PORT"
}

# pkg_creds NAME: the daemon runs as l2tpd with exactly the three capabilities.
pkg_creds() {
	local pid=${IT_DPID[$1]} st
	st=$(cat "/proc/$pid/status") || it_fail "$1: no /proc/$pid/status"
	printf '%s\n' "$st" | grep -E '^(Uid|Gid|Groups|CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs):' >"$IT_DIR/creds-$1"
	printf '%s\n' "$st" | awk -v u="$L2TPD_UID" '/^Uid:/ { exit !($2 == u && $3 == u && $4 == u && $5 == u) }' ||
		it_fail "$1 does not run as l2tpd ($L2TPD_UID): $(grep '^Uid' "$IT_DIR/creds-$1")"
	printf '%s\n' "$st" | awk -v g="$L2TPD_GID" '/^Gid:/ { exit !($2 == g && $3 == g && $4 == g && $5 == g) }' ||
		it_fail "$1 does not run as group l2tpd: $(grep '^Gid' "$IT_DIR/creds-$1")"
	[ "$(printf '%s\n' "$st" | awk '/^CapEff:/ { print $2 }')" = "$CAPS_HEX" ] ||
		it_fail "$1: CapEff is not $CAPS_HEX: $(tr '\n' ' ' <"$IT_DIR/creds-$1")"
	[ $((0x$(printf '%s\n' "$st" | awk '/^CapBnd:/ { print $2 }') & ~0x$CAPS_HEX)) = 0 ] ||
		it_fail "$1: bounding set wider than the three: $(grep '^CapBnd' "$IT_DIR/creds-$1")"
	it_say "$1 (pid $pid): $(tr '\n' ' ' <"$IT_DIR/creds-$1" | tr -s '\t ' ' ')"
}

# pkg_socket NAME: 0660, group l2tpd; an operator (a member of the group,
# not root) may show and is refused a root-only command; another user is
# not let in at all.
pkg_socket() {
	local sock=$IT_DIR/$1.sock out
	[ "$(stat -c '%a %G' "$sock")" = "660 l2tpd" ] || it_fail "$sock: $(stat -c '%a %U:%G' "$sock"), not 660 group l2tpd"
	out=$(setpriv --reuid=nobody --regid=nogroup --groups="$L2TPD_GID" "$L2TPCTL" -s "$sock" show l2tp redundancy 2>&1) ||
		it_fail "an operator (nobody in group l2tpd) cannot show: $out"
	out=$(setpriv --reuid=nobody --regid=nogroup --groups="$L2TPD_GID" "$L2TPCTL" -s "$sock" test redundancy crash-point none 2>&1) &&
		it_fail "an operator ran a root-only command: $out"
	printf '%s' "$out" | grep -q 'Permission denied' || it_fail "root-only refusal says: $out"
	out=$(setpriv --reuid=nobody --regid=nogroup --clear-groups "$L2TPCTL" -s "$sock" show l2tp tunnel 2>&1) &&
		it_fail "a user outside group l2tpd could use the control socket: $out"
	it_log "$1: control socket 660 l2tpd; operator may show, not crash-point; others refused"
}

# pkg_scrape BOX TAG: /metrics of BOX from the peer's namespace, checked by promtool.
pkg_scrape() {
	local f=$IT_DIR/metrics-$1-$2.txt
	ip netns exec "${HA_NS[peer]}" curl -sf -o "$f" "http://${IT_HA_ADDR[$1]}:$METRICS_PORT/metrics" ||
		it_fail "no /metrics from $1"
	promtool check metrics <"$f" >"$IT_DIR/promtool-$1-$2.txt" 2>&1 ||
		it_fail "promtool check metrics on $1 ($2): $(head -n 5 "$IT_DIR/promtool-$1-$2.txt" | tr '\n' ' ')"
	echo "$f"
}

# pkg_m FILE SERIES: a value; fails when the series is missing.
pkg_m() {
	local v
	v=$(awk -v s="$2" '$1 == s { print $2; f = 1 } END { exit !f }' "$1") || it_fail "$2 missing from $1"
	printf '%.0f\n' "$v"
}

# pkg_between NAME LOW METRIC HIGH
pkg_between() {
	if [ "$2" -gt "$3" ] || [ "$3" -gt "$4" ]; then
		it_fail "$1: metric $3 not within the shows' $2..$4"
	fi
}

# pkg_agree BOX TAG: metrics against the shows, read before and after.
pkg_agree() {
	local box=$1 tag=$2 f s0 s1 r0 r1 a0 a1 key
	s0=$(it_json "$box" show l2tp statistics)
	r0=$(it_json "$box" show l2tp redundancy detail)
	a0=$(it_json "$box" show radius server)
	f=$(pkg_scrape "$box" "$tag")
	s1=$(it_json "$box" show l2tp statistics)
	r1=$(it_json "$box" show l2tp redundancy detail)
	a1=$(it_json "$box" show radius server)
	pkg_between "$box sessions established" "$(it_sessions "$box" established)" \
		"$(pkg_m "$f" 'l2tpd_sessions{state="established"}')" "$(it_sessions "$box" established)"
	pkg_between "$box tunnels established" "$(it_tunnels "$box" established)" \
		"$(pkg_m "$f" 'l2tpd_tunnels{state="established"}')" "$(it_tunnels "$box" established)"
	for key in tunnels_created:'l2tpd_tunnel_setups_total{result="created"}' \
		sessions_created:'l2tpd_session_setups_total{result="created"}' \
		ppp_auth_ok:'l2tpd_ppp_authentications_total{result="success"}' \
		tx_packets:'l2tpd_packets_sent_total' rx_packets:'l2tpd_packets_received_total'; do
		pkg_between "$box ${key%%:*}" "$(jq ".${key%%:*}" <<<"$s0")" "$(pkg_m "$f" "${key#*:}")" \
			"$(jq ".${key%%:*}" <<<"$s1")"
	done
	pkg_between "$box records sent" "$(jq .events.records_tx <<<"$r0")" \
		"$(pkg_m "$f" 'l2tpd_ha_checkpoint_records_total{direction="sent"}')" "$(jq .events.records_tx <<<"$r1")"
	pkg_between "$box records applied" "$(jq .events.records_rx <<<"$r0")" \
		"$(pkg_m "$f" 'l2tpd_ha_checkpoint_records_total{direction="applied"}')" "$(jq .events.records_rx <<<"$r1")"
	# the active's show has the takeover and resync figures (a standby's has none)
	if [ "$(jq -r .role <<<"$r1")" = active ]; then
		pkg_between "$box takeovers" "$(jq .takeovers <<<"$r0")" "$(pkg_m "$f" l2tpd_ha_takeovers_total)" \
			"$(jq .takeovers <<<"$r1")"
		pkg_between "$box resynced" "$(jq .resynced_tunnels.success <<<"$r0")" \
			"$(pkg_m "$f" 'l2tpd_ha_tunnels_resynced_total{result="success"}')" \
			"$(jq .resynced_tunnels.success <<<"$r1")"
	fi
	[ "$(pkg_m "$f" "l2tpd_ha_role{role=\"$(jq -r .role <<<"$r1")\"}")" = 1 ] ||
		it_fail "$box: l2tpd_ha_role of $(jq -r .role <<<"$r1") is not 1"
	pkg_between "$box RADIUS accepts" "$(jq '.servers[0].auth.accepts' <<<"$a0")" \
		"$(pkg_m "$f" "l2tpd_radius_answers_total{server=\"$RAD_ADDR_PEER\",port=\"1812\",kind=\"auth\",code=\"access_accept\"}")" \
		"$(jq '.servers[0].auth.accepts' <<<"$a1")"
	pkg_between "$box RADIUS accounting answers" "$(jq '.servers[0].acct.responses' <<<"$a0")" \
		"$(pkg_m "$f" "l2tpd_radius_answers_total{server=\"$RAD_ADDR_PEER\",port=\"1813\",kind=\"acct\",code=\"accounting_response\"}")" \
		"$(jq '.servers[0].acct.responses' <<<"$a1")"
	it_say "$box ($tag): /metrics passes promtool ($(grep -vc '^#' "$f") samples) and agrees with the shows"
}

export L2T_PKG_DROP=b
ha_keys
ha_box_start a "$(box_conf a)"
it_wait 10 ha_is_active_on_vip a || ha_fail "box a not active on the VIP: $(it_ha_summary a)"
rad_require_radius a
ha_start_standby b "$(box_conf b)"
ha_lac_up ""
for d in a b lac; do
	pkg_creds "$d"
done
pkg_socket a
pkg_socket b

rad_dial lac alice wonderland "$N" || it_fail "dial failed"
it_wait 30 rad_user_up a alice "$N" || ha_fail "$(rad_user_count a alice) of $N sessions up on a"
ha_wait_synced a b 1 "$N" 30
it_wait 10 rad_acct_count_ge r1 Start "$N" || it_fail "$(rad_acct_count r1 Start) Accounting-Starts of $N"
sleep 1
pkg_agree a before
pkg_agree b before
[ "$(pkg_m "$IT_DIR/metrics-a-before.txt" 'l2tpd_sessions{state="established"}')" = "$N" ] ||
	it_fail "a: metrics say $(pkg_m "$IT_DIR/metrics-a-before.txt" 'l2tpd_sessions{state="established"}') sessions, not $N"
[ "$(pkg_m "$IT_DIR/metrics-b-before.txt" 'l2tpd_ha_standby_in_sync')" = 1 ] || it_fail "b: not in sync by its metrics"

# The failover: a dies, b takes the tunnels over on the VIP (IP_TRANSPARENT sockets).
ha_peer_block_from_vip
ha_kill_box a
it_wait 15 ha_is_active_on_vip b || ha_fail "b not active on the VIP after a died: $(it_ha_summary b)"
ha_peer_unblock
it_wait 60 it_ha_resync_done b 0 0 1 || ha_fail "b did not resync: $(it_ha_summary b)"
it_wait 10 rad_user_up b alice "$N" || ha_fail "$(rad_user_count b alice) of $N sessions on b after the takeover"
pkg_creds b
sleep 1
pkg_agree b after
f=$IT_DIR/metrics-b-after.txt
[ "$(pkg_m "$f" 'l2tpd_ha_role{role="active"}')" = 1 ] || it_fail "b: not active by its metrics"
[ "$(pkg_m "$f" l2tpd_ha_takeovers_total)" = 1 ] || it_fail "b: $(pkg_m "$f" l2tpd_ha_takeovers_total) takeovers by its metrics"
[ "$(pkg_m "$f" l2tpd_ha_resync_duration_seconds_count)" -ge 1 ] || it_fail "b: no resync in the duration histogram"
[ "$(pkg_m "$f" 'l2tpd_sessions{state="established"}')" = "$N" ] || it_fail "b: sessions after the failover by its metrics"

# The LAC hangs up: b sends every Accounting-Stop.
for id in $(it_tunnel_ids lac); do
	it_ctl lac clear l2tp tunnel id "$id" >/dev/null || true
done
it_wait 20 it_sessions_eq b 0 || it_fail "sessions left on b: $(it_sessions b)"
it_wait 15 rad_acct_count_ge r1 Stop "$N" || it_fail "$(rad_acct_count r1 Stop) Stops of $N after the hang-up"
it_check_healthy b
it_check_healthy lac
it_pass
