# shellcheck shell=bash
# The integration tier's helpers (tests/integration/t_*.sh): network
# namespaces on this host.  The helpers every tier shares are in tests/lib
# (it_*, see tests/lib/lib.sh: lifecycle, namespaces, our daemon, xl2tpd,
# configuration text); what is this tier's own is here, in ha_lib.sh (an HA
# pair behind keepalived, ha_*) and in radius_lib.sh (FreeRADIUS, rad_*).
#
# A scenario sources this file (or ha_lib.sh, radius_lib.sh), calls
# `it_init NAME`, and ends with `it_pass` or `it_fail REASON`.  It prints
# exactly one line on stdout:
#   PASS NAME
#   FAIL NAME: REASON
# Diagnostics (daemon log tails) go to stderr; the environment is described
# in tests/lib/lib.sh (L2T_BUILD, L2T_LOGDIR, L2T_VERBOSE, L2T_DEBUG ...).

# shellcheck source=../lib/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/lib.sh"

# scale_scenario TUNNELS PER_TUNNEL LOSS_PERCENT TEARDOWN DEADLINE
# Our LAC dials TUNNELS x PER_TUNNEL sessions to our LNS; both sides must show
# them all established (and agree on the tunnel ids and per-tunnel session
# counts); then TEARDOWN ("clear": clear every tunnel on the LAC; "sigterm":
# SIGTERM the LAC) must leave the LNS with no tunnel and no session, and both
# daemons must stop cleanly, without a sanitizer report.
scale_scenario() {
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
