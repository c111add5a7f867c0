#!/bin/bash
# The LAC's source port (RFC 2661 §8.1): the first tunnel to an LNS leaves
# from UDP 1701, a second one to the same LNS from another port (the
# kernel keeps one tunnel per 4-tuple); both come up and carry a call.
# Seen from both ends: the LAC's local ports, the LNS's remote ports.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
it_init lac_port
it_require_l2tpd
it_require_cmd jq ip
it_two_hosts

it_l2tpd lns "$NS_LNS" "$(it_conf_lns lns1 s3cret)"
it_l2tpd lac "$NS_LAC" "$(it_conf_lac lac1 s3cret "$IT_LNS_ADDR")"

it_ctl lac test vpdn dial vpdn-group LAC sessions 1 >"$IT_DIR/dial1.out" 2>&1 ||
	it_fail "first dial failed: $(head -c 300 "$IT_DIR/dial1.out")"
it_wait 20 it_sessions_eq lns 1 || it_fail "first call not up on the LNS"
it_ctl lac test vpdn dial vpdn-group LAC sessions 1 per-tunnel 1 >"$IT_DIR/dial2.out" 2>&1 ||
	it_fail "second dial failed: $(head -c 300 "$IT_DIR/dial2.out")"
it_wait 20 it_tunnels_eq lns 2 established || it_fail "second tunnel not up: $(it_tunnels lns)"
it_wait 20 it_sessions_eq lns 2 || it_fail "second call not up on the LNS"
it_tunnels_eq lac 2 established || it_fail "the LAC does not see two established tunnels"

ports() { it_json "$1" show l2tp tunnel detail | jq -r "$IT_JQ_ROWS | .$2" | sort -n | tr '\n' ' '; }
lac_ports=$(ports lac local_port)
lns_ports=$(ports lns remote_port)
it_log "LAC local ports: $lac_ports; LNS sees remote ports: $lns_ports"
read -ra p <<<"$lac_ports"
[ "${#p[@]}" = 2 ] || it_fail "expected 2 LAC tunnels, got ports: $lac_ports"
{ [ "${p[0]}" = 1701 ] || [ "${p[1]}" = 1701 ]; } || it_fail "no LAC tunnel leaves from 1701: $lac_ports"
[ "${p[0]}" != "${p[1]}" ] || it_fail "both LAC tunnels leave from port ${p[0]}"
read -ra p <<<"$lns_ports"
[ "${#p[@]}" = 2 ] || it_fail "expected 2 LNS tunnels, got ports: $lns_ports"
{ [ "${p[0]}" = 1701 ] || [ "${p[1]}" = 1701 ]; } || it_fail "the LNS sees no tunnel from port 1701: $lns_ports"
[ "${p[0]}" != "${p[1]}" ] || it_fail "the LNS sees both tunnels from port ${p[0]}"
it_check_healthy lns
it_check_healthy lac
it_pass
