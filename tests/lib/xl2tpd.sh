# shellcheck shell=bash
# xl2tpd as a peer of our daemon (see lib.sh).
#
# Without kernel PPP (the integration tier's host), the pppd that xl2tpd
# starts for every call exits at once ("You need to create the /dev/ppp
# device node") and xl2tpd then clears the call.  To keep calls up long
# enough to observe them, xl2tpd runs in a private mount namespace where
# /usr/sbin/pppd (the path compiled into xl2tpd) is a stand-in that only
# waits to be killed (IT_FAKE_PPPD=1, the default; L2T_REAL_PPPD=1 or
# IT_FAKE_PPPD=0, as the kernel tier sets it, keep the real pppd).

it_fake_pppd() {
	cat >"$IT_DIR/pppd" <<-'EOF'
	#!/bin/sh
	# stand-in for pppd: hold the call until xl2tpd sends SIGTERM
	exec sleep 100000
	EOF
	chmod 755 "$IT_DIR/pppd"
}

# it_xl2tpd NAME NS CONFIG_TEXT [SECRETS_TEXT]: xl2tpd in the foreground in
# NS with its own config, L2TP secrets, pid file and control FIFO
# ($IT_DIR/NAME.control), log $IT_DIR/NAME.log (the pppd it starts logs
# there too when its options say nothing else).  Waits until it listens.
it_xl2tpd() {
	local name=$1 ns=$2
	local args=(-D -c "$IT_DIR/$name.conf" -s "$IT_DIR/$name.secrets"
		-p "$IT_DIR/$name.pid" -C "$IT_DIR/$name.control")
	printf '%s\n' "$3" >"$IT_DIR/$name.conf"
	printf '%s\n' "${4:-}" >"$IT_DIR/$name.secrets"
	chmod 600 "$IT_DIR/$name.secrets"
	if [ "$IT_FAKE_PPPD" = 1 ] && [ "${L2T_REAL_PPPD:-0}" != 1 ]; then
		it_fake_pppd
		# shellcheck disable=SC2016 # expanded by the inner shell
		it_daemon "$name" "$ns" unshare -m --propagation private sh -c '
			mount --bind "$1" /usr/sbin/pppd || exit 1
			shift
			exec xl2tpd "$@"' sh "$IT_DIR/pppd" "${args[@]}"
	else
		it_daemon "$name" "$ns" xl2tpd "${args[@]}"
	fi
	if ! it_wait 10 it_grep_log_case "$name" 'Listening on IP address'; then
		it_alive "$name" || it_fail "xl2tpd $name exited at start-up"
		it_fail "xl2tpd $name is not listening after 10 s"
	fi
	it_wait 10 test -p "$IT_DIR/$name.control" || it_fail "xl2tpd $name has no control FIFO"
}

# it_xl2tpd_conf_lns FIRST-LAST LOCAL_IP: the configuration of xl2tpd as an
# LNS on port 1701 (hostname xlns, a tunnel challenge, no PPP
# authentication) giving its PPP peers addresses FIRST to LAST and
# LOCAL_IP for itself; its secrets for it_xl2tpd: "* * SECRET".
it_xl2tpd_conf_lns() {
	cat <<-EOF
	[global]
	port = 1701
	[lns default]
	ip range = $1
	local ip = $2
	hostname = xlns
	challenge = yes
	require authentication = no
	length bit = yes
	EOF
}

# it_xl2tpd_cmd NAME LINE: write one command to xl2tpd's control FIFO.
it_xl2tpd_cmd() {
	# shellcheck disable=SC2016 # expanded by the inner shell
	timeout 5 sh -c 'printf "%s\n" "$1" >"$2"' sh "$2" "$IT_DIR/$1.control" ||
		it_fail "could not write '$2' to the control FIFO of xl2tpd $1"
}
