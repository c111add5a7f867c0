# shellcheck shell=bash
# Configuration text for our daemon (see lib.sh), in pieces a scenario puts
# together in $(...): each prints whole lines.  A scenario with a line no
# piece has writes it itself.
#
#   it_conf_lns HOSTNAME SECRET [EXTRA_GROUP_LINES] [TEMPLATE]
#   it_conf_lac HOSTNAME SECRET LNS_ADDRESS [EXTRA_GROUP_LINES]
#       a whole LNS (LAC): vpdn-group LNS (LAC) with it_conf_tunnel's lines
#   it_conf_head HOSTNAME                      hostname, vpdn enable
#   it_conf_dialin TEMPLATE GROUP_LINES        vpdn-group LNS (accept-dialin)
#   it_conf_dialout LNS_ADDRESS GROUP_LINES    vpdn-group LAC (request-dialin)
#   it_conf_tunnel NAME SECRET [HELLO]         local name, password, hello,
#                                              retransmission
#   it_conf_template LOCAL_ADDRESS AUTH [EXTRA_LINES] [POOL_LAST]
#                                              pool SUBS and Virtual-Template1
#   it_conf_users N                            username subI password pwI
#   it_conf_redundancy LOCAL PEER VIP SECURITY_LINES   the HA pair's block

# it_conf_head HOSTNAME
it_conf_head() {
	printf 'hostname %s\nvpdn enable\n' "$1"
}

# it_conf_dialin TEMPLATE GROUP_LINES: the LNS group; TEMPLATE (a
# Virtual-Template number, or "") under accept-dialin, then GROUP_LINES
# (each with its leading space).
it_conf_dialin() {
	printf 'vpdn-group LNS\n accept-dialin\n  protocol l2tp\n'
	if [ -n "$1" ]; then
		printf '  virtual-template %s\n' "$1"
	fi
	printf '%s\n' "$2"
}

# it_conf_dialout LNS_ADDRESS GROUP_LINES: the LAC group toward LNS_ADDRESS.
it_conf_dialout() {
	printf 'vpdn-group LAC\n request-dialin\n  protocol l2tp\n initiate-to ip %s\n' "$1"
	printf '%s\n' "$2"
}

# it_conf_tunnel NAME SECRET [HELLO]: a group's tunnel lines: local name,
# tunnel password, hello (default 60 s), L2T_RETRIES retransmissions (default
# 5) from 1 s up to 8 s.
it_conf_tunnel() {
	cat <<-EOF
	 local name $1
	 l2tp tunnel password $2
	 l2tp tunnel hello ${3:-60}
	 l2tp tunnel retransmit retries ${L2T_RETRIES:-5}
	 l2tp tunnel retransmit timeout min 1
	 l2tp tunnel retransmit timeout max 8
	EOF
}

# it_conf_lns HOSTNAME SECRET [EXTRA_GROUP_LINES] [TEMPLATE]
it_conf_lns() {
	it_conf_head "$1"
	it_conf_dialin "${4:-}" "$(it_conf_tunnel "$1" "$2")
${3:-}"
}

# it_conf_lac HOSTNAME SECRET LNS_ADDRESS [EXTRA_GROUP_LINES]
it_conf_lac() {
	it_conf_head "$1"
	it_conf_dialout "$3" "$(it_conf_tunnel "$1" "$2")
${4:-}"
}

# it_conf_template LOCAL_ADDRESS AUTH [EXTRA_LINES] [POOL_LAST]: the pool
# SUBS (10.200.0.1 to POOL_LAST, default 10.200.0.254) and
# Virtual-Template1: LOCAL_ADDRESS, peers from SUBS, `ppp authentication
# AUTH`, then EXTRA_LINES (each with its leading space).
it_conf_template() {
	cat <<-EOF
	ip local pool SUBS 10.200.0.1 ${4:-10.200.0.254}
	interface Virtual-Template1
	 ip address $1 255.255.255.255
	 peer default ip address pool SUBS
	 ppp authentication $2
	EOF
	if [ -n "${3:-}" ]; then
		printf '%s\n' "$3"
	fi
}

# it_conf_users N: local users sub1..subN, passwords pw1..pwN.
it_conf_users() {
	local i
	for ((i = 1; i <= $1; i++)); do
		printf 'username sub%d password pw%d\n' "$i" "$i"
	done
}

# it_conf_redundancy LOCAL PEER VIP SECURITY_LINES: the redundancy block of
# one box of an HA pair: checkpoint link from LOCAL to PEER (an address,
# and "port N" if any), SECURITY_LINES (" checkpoint security none", or the
# CURVE keys and timers), the virtual address.
it_conf_redundancy() {
	printf 'redundancy\n mode sso\n checkpoint local %s\n checkpoint peer %s\n%s\n virtual-address %s\n!\n' \
		"$1" "$2" "$4" "$3"
}
