# shellcheck shell=bash
# l2tpns (Debian) as the LNS peer of our LAC (see lib.sh).

# _it_l2tpns_ready NAME NS: alive and listening on UDP 1701
_it_l2tpns_ready() {
	it_alive "$1" && grep -q ":1701 " <<<"$(ip netns exec "$2" ss -lun)"
}

# it_l2tpns NAME NS ADDR SECRET: l2tpns in NS bound to ADDR with the
# tunnel secret SECRET, its configuration $IT_DIR/NAME.conf, its log
# $IT_DIR/NAME.log (debug 4: it logs every AVP it decodes), its stdout
# $IT_DIR/NAME_out.log.  It runs in a session of its own (setsid): left in
# the scenario's process group, its exit ended the scenario too.  l2tpns
# authenticates through RADIUS only, not run here.  Waits until it listens
# on UDP 1701.
it_l2tpns() {
	local name=$1 ns=$2 addr=$3 secret=$4
	cat >"$IT_DIR/$name.conf" <<-CONF
	set debug 4
	set log_file "$IT_DIR/$name.log"
	set pid_file "$IT_DIR/$name.pid"
	set bind_address $addr
	set l2tp_secret "$secret"
	set primary_dns 10.9.0.53
	set primary_radius 127.0.0.1
	set radius_secret "unused"
	set cli_bind_address 127.0.0.1
	set cluster_interface veth0
	CONF
	: >"$IT_DIR/$name.log"
	it_daemon "${name}_out" "$ns" setsid l2tpns -c "$IT_DIR/$name.conf"
	it_wait 10 _it_l2tpns_ready "${name}_out" "$ns" ||
		it_fail "$name did not start: $(tail -n 5 "$IT_DIR/${name}_out.log" | tr '\n' ' ')"
}
