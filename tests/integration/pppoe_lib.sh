# shellcheck shell=bash
# PPPoE subscribers through our LAC to another LNS (t_pppoe_xl2tpd,
# t_pppoe_l2tpns) or to ours (t_pppoe_lac: the access segment only): the
# access segment, the LAC's configuration, the
# subscriber generator (pppoe_sub.py) and the proof that each call's ICCN
# carried the subscriber's proxy LCP and authentication (RFC 2661
# §4.4.5).  Sourced after lib.sh; N is the number of subscribers.

PPPOE_SUB=$(dirname "${BASH_SOURCE[0]}")/pppoe_sub.py

# pppoe_interop_setup: the two hosts (lib.sh) and a subscriber namespace
# NS_SUB, its acc0 a veth pair with the LAC's acc0
pppoe_interop_setup() {
	it_two_hosts
	it_netns NS_SUB sub
	ip -n "$NS_LAC" link add acc0 type veth peer name acc0 netns "$NS_SUB" || it_fail "veth"
	ip -n "$NS_LAC" link set acc0 up
	ip -n "$NS_SUB" link set acc0 up
}

# pppoe_interop_lac_conf: our LAC's configuration, PPPoE on acc0, the
# domain isp.example tunnelled to the LNS with the secret s3cret
pppoe_interop_lac_conf() {
	it_conf_head lac1
	printf 'vpdn-group LAC\n request-dialin\n  protocol l2tp\n  domain isp.example\n'
	printf ' initiate-to ip %s\n%s\n' "$IT_LNS_ADDR" "$(it_conf_tunnel lac1 s3cret)"
	cat <<-EOF
	interface Virtual-Template1
	 ppp authentication pap
	bba-group pppoe global
	 virtual-template 1
	interface acc0
	 pppoe enable group global
	EOF
}

# pppoe_interop_subs MAC_BASE NAME: N subscribers subN@isp.example (PAP),
# their summary in $IT_DIR/NAME.json
pppoe_interop_subs() {
	ip netns exec "$NS_SUB" python3 "$PPPOE_SUB" acc0 "$N" --user 'sub{n}@isp.example' \
		--password 'pw{n}' --auth pap --mac-base "$1" --deadline 8 --padt >"$IT_DIR/$2.json" 2>&1
}

# pppoe_interop_proxy_iccns: our packet log shows, for each subscriber, an
# ICCN with its Last Sent LCP CONFREQ and its PAP name
pppoe_interop_proxy_iccns() {
	local i
	for ((i = 1; i <= N; i++)); do
		grep -q "send ICCN.*Last Sent LCP CONFREQ=.*Proxy Authen Type=3.*Proxy Authen Name=\"sub$i@isp.example\"" \
			"$IT_DIR/lac.log" || return 1
	done
}
