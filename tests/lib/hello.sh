# shellcheck shell=bash
# HELLO rounds of one daemon's tunnels (see lib.sh), judged tunnel by tunnel:
# did every tunnel exchange a message with its peer, acknowledged, since a
# snapshot?  (t_flood.sh: the established tunnels of the LAC go on through
# a flood of the LNS.)
#
#   it_ctrl_snapshot NAME FILE       per established tunnel of NAME
#                                    "tid tx_msgs rx_msgs outstanding ns una"
#   it_hello_pending NAME BEFORE TIDS  how many tunnels of TIDS (a tid a line)
#                                    have not had their round since BEFORE

it_ctrl_snapshot() {
	it_json "$1" show l2tp tunnel detail |
		jq -r "$IT_JQ_ROWS | select(.state == \"established\")
		       | \"\(.local_tunnel_id) \(.ctrl_stats.tx_msgs) \(.ctrl_stats.rx_msgs) \(.outstanding) \(.ns) \(.una)\"" |
		sort >"$2"
}

# A tunnel has had its round once its una has passed the Ns it was at in
# BEFORE (all it had sent then is acknowledged) and either it received a
# message in order since or something it sent since was acknowledged.  Both
# only ever become true, so a tunnel done stays done whatever HELLO it has
# in flight at the next poll (§5.8: Ns/Nr modulo 2^16).  The tunnels still
# waiting, "tid ns una", are in $IT_DIR/hello-pending.
it_hello_pending() {
	local name=$1 before=$2 tids=$3
	it_ctrl_snapshot "$name" "$IT_DIR/ctrl-now" || { wc -l <"$tids"; return 1; }
	awk 'function after(a, b) { return (a - b + 65536) % 65536 < 32768 }
	     FILENAME == ARGV[1] {rx[$1] = $3; ns[$1] = $5; next}
	     FILENAME == ARGV[2] {nrx[$1] = $3; nns[$1] = $5; una[$1] = $6; next}
	     {t = $1
	      ok = (t in una) && after(una[t], ns[t]) &&
		   (nrx[t] > rx[t] || after(una[t], ns[t] + 1))
	      if (!ok) { n++; print t, nns[t], una[t] > "/dev/stderr" }}
	     END {print n + 0}' "$before" "$IT_DIR/ctrl-now" "$tids" 2>"$IT_DIR/hello-pending"
}

it_hello_done() { [ "$(it_hello_pending "$1" "$2" "$3")" = 0 ]; }
