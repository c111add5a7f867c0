# shellcheck shell=bash
# Network namespaces (see lib.sh): each is "$IT_NS_PREFIX-SUFFIX", removed by
# the cleanup; veth pairs; one bridged segment; nftables rules.

# it_netns VAR SUFFIX: create namespace "$IT_NS_PREFIX-SUFFIX" (loopback up)
# and store its name in variable VAR.
it_netns() {
	local _it_ns="$IT_NS_PREFIX-$2"
	ip netns add "$_it_ns" || it_fail "ip netns add $_it_ns failed"
	IT_NETNS+=("$_it_ns")
	ip -n "$_it_ns" link set lo up
	printf -v "$1" '%s' "$_it_ns"
}

# it_veth NS1 ADDR1/LEN NS2 ADDR2/LEN [NAME]: a veth pair (both ends NAME,
# default veth0) joining two namespaces, addressed and up.
it_veth() {
	local ns1=$1 a1=$2 ns2=$3 a2=$4 dev=${5:-veth0}
	ip -n "$ns1" link add "$dev" type veth peer name "$dev" netns "$ns2" ||
		it_fail "veth between $ns1 and $ns2 failed"
	ip -n "$ns1" addr add "$a1" dev "$dev"
	ip -n "$ns2" addr add "$a2" dev "$dev"
	ip -n "$ns1" link set "$dev" up
	ip -n "$ns2" link set "$dev" up
}

# Addresses of the two-host scenarios.
IT_LAC_ADDR=10.1.0.1
IT_LNS_ADDR=10.1.0.2

# it_two_hosts: namespaces $NS_LAC and $NS_LNS joined by veth
# ($IT_LAC_ADDR, $IT_LNS_ADDR on 10.1.0.0/24).
it_two_hosts() {
	it_netns NS_LAC lac
	it_netns NS_LNS lns
	it_veth "$NS_LAC" "$IT_LAC_ADDR/24" "$NS_LNS" "$IT_LNS_ADDR/24"
}

# it_bridge VAR SUFFIX: namespace SUFFIX (named in VAR) holding the bridge
# br0, up: one L2 segment that it_bridge_port plugs namespaces into (STP
# off, so a port forwards at once).
it_bridge() {
	it_netns "$1" "$2"
	ip -n "${!1}" link add br0 type bridge ||
		it_fail "no bridge in ${!1} (kernel module bridge)"
	ip -n "${!1}" link set br0 up
}

# it_bridge_port BRNS NS [ADDR/LEN...]: NS joins the segment of BRNS: its
# eth0 (a veth) plugged into br0 as port p-SUFFIX, with the given
# addresses, up.  Deleting eth0 in NS unplugs it (both ends go).
it_bridge_port() {
	local br=$1 ns=$2 a port=p-${2#"$IT_NS_PREFIX"-}
	shift 2
	ip -n "$ns" link add eth0 type veth peer name "$port" netns "$br" ||
		it_fail "veth from $ns to the bridge in $br failed"
	ip -n "$br" link set "$port" master br0 up
	for a in "$@"; do
		ip -n "$ns" addr add "$a" dev eth0
	done
	ip -n "$ns" link set eth0 up
}

# The segment of an HA pair of our LNS (t_ha_*.sh through ha_lib.sh, the
# kernel tier's HA scenarios, the HA benchmark): boxes a and b, their
# checkpoint link on the same segment, the virtual address (VIP) the active
# holds, the peer (a LAC, subscribers) at IT_HA_PEER_ADDR.
# shellcheck disable=SC2034 # read by the tiers
IT_HA_VIP=192.0.2.10
IT_HA_PEER_ADDR=192.0.2.100
declare -A IT_HA_ADDR=([a]=192.0.2.1 [b]=192.0.2.2)
declare -A IT_HA_CKPT=([a]=10.99.0.1 [b]=10.99.0.2)

# it_ha_segment VAR SUFFIX: namespaces NS_BR (the bridge, "br"), NS_A, NS_B
# (boxes a and b: IT_HA_ADDR/24 and IT_HA_CKPT/24 on eth0) and SUFFIX (named
# in VAR: IT_HA_PEER_ADDR/24) on one segment.
it_ha_segment() {
	it_bridge NS_BR br
	it_netns NS_A a
	it_netns NS_B b
	it_netns "$1" "$2"
	it_bridge_port "$NS_BR" "$NS_A" "${IT_HA_ADDR[a]}/24" "${IT_HA_CKPT[a]}/24"
	it_bridge_port "$NS_BR" "$NS_B" "${IT_HA_ADDR[b]}/24" "${IT_HA_CKPT[b]}/24"
	it_bridge_port "$NS_BR" "${!1}" "$IT_HA_PEER_ADDR/24"
}

# it_nft NS: load the nftables rules on stdin in NS (their tables are
# deleted by the cleanup); the status of nft.
it_nft() {
	IT_NFT_NETNS+=("$1")
	ip netns exec "$1" nft -f -
}

# it_loss NS PERCENT: drop PERCENT % of UDP packets at random, in both
# directions, in namespace NS (nftables numgen; there is no netem here).
it_loss() {
	local ns=$1 pct=$2
	it_nft "$ns" <<-EOF || it_fail "nftables loss rule failed in $ns"
	table inet l2tloss {
		counter dropped_in { }
		counter dropped_out { }
		chain input {
			type filter hook input priority 0; policy accept;
			meta l4proto udp numgen random mod 100 < $pct counter name dropped_in drop
		}
		chain output {
			type filter hook output priority 0; policy accept;
			meta l4proto udp numgen random mod 100 < $pct counter name dropped_out drop
		}
	}
	EOF
}

# it_loss_counts NS: "in OUT" packets dropped so far.
it_loss_counts() {
	local ns=$1
	ip netns exec "$ns" nft -j list counters table inet l2tloss 2>/dev/null |
		jq -r '[.nftables[] | select(.counter) | .counter | {(.name): .packets}] | add
		       | "\(.dropped_in // 0) \(.dropped_out // 0)"'
}

it_loss_off() {
	ip netns exec "$1" nft delete table inet l2tloss 2>/dev/null || true
}
