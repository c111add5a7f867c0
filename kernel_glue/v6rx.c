/*
 * The subscribers' Router Solicitations and DHCPv6 under the linux data
 * path: one packet socket, one filter (see kernel_glue/v6rx.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if_arp.h>
#include <sys/socket.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>

#include "kernel_glue/v6rx.h"

/* Offsets in the IPv6 packet (SOCK_DGRAM: no link header). */
#define V6RX_OFF_NEXT		6	/* IPv6 Next Header */
#define V6RX_OFF_L4		40	/* the ICMPv6 type, the UDP source port */
#define V6RX_OFF_DPORT		42	/* the UDP destination port */

/* The instructions' places, for the jumps (relative: target - here - 1). */
enum {
	V6RX_I_HATYPE, V6RX_I_IS_PPP, V6RX_I_VER, V6RX_I_VER_MASK, V6RX_I_IS_V6, V6RX_I_NEXT,
	V6RX_I_IS_ICMP, V6RX_I_TYPE, V6RX_I_IS_RS, V6RX_I_IS_UDP, V6RX_I_DPORT, V6RX_I_IS_547,
	V6RX_I_ACCEPT, V6RX_I_DROP,
};

#define V6RX_J(from, to)	((uint8_t)((to) - (from) - 1))

static const struct sock_filter v6rx_prog[V6RX_BPF_LEN] = {
	[V6RX_I_HATYPE] = BPF_STMT(BPF_LD | BPF_W | BPF_ABS, SKF_AD_OFF + SKF_AD_HATYPE),
	[V6RX_I_IS_PPP] = BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ARPHRD_PPP, 0,
				   V6RX_J(V6RX_I_IS_PPP, V6RX_I_DROP)),
	[V6RX_I_VER] = BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 0),
	[V6RX_I_VER_MASK] = BPF_STMT(BPF_ALU | BPF_AND | BPF_K, 0xf0),
	[V6RX_I_IS_V6] = BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0x60, 0,
				  V6RX_J(V6RX_I_IS_V6, V6RX_I_DROP)),
	[V6RX_I_NEXT] = BPF_STMT(BPF_LD | BPF_B | BPF_ABS, V6RX_OFF_NEXT),
	[V6RX_I_IS_ICMP] = BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_ICMPV6, 0,
				    V6RX_J(V6RX_I_IS_ICMP, V6RX_I_IS_UDP)),
	[V6RX_I_TYPE] = BPF_STMT(BPF_LD | BPF_B | BPF_ABS, V6RX_OFF_L4),
	[V6RX_I_IS_RS] = BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 133,
				  V6RX_J(V6RX_I_IS_RS, V6RX_I_ACCEPT),
				  V6RX_J(V6RX_I_IS_RS, V6RX_I_DROP)),
	[V6RX_I_IS_UDP] = BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_UDP, 0,
				   V6RX_J(V6RX_I_IS_UDP, V6RX_I_DROP)),
	[V6RX_I_DPORT] = BPF_STMT(BPF_LD | BPF_H | BPF_ABS, V6RX_OFF_DPORT),
	[V6RX_I_IS_547] = BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 547,
				   V6RX_J(V6RX_I_IS_547, V6RX_I_ACCEPT),
				   V6RX_J(V6RX_I_IS_547, V6RX_I_DROP)),
	[V6RX_I_ACCEPT] = BPF_STMT(BPF_RET | BPF_K, V6RX_SNAPLEN),
	[V6RX_I_DROP] = BPF_STMT(BPF_RET | BPF_K, 0),
};

int v6rx_filter(struct sock_filter *f, size_t cap)
{
	if (cap < V6RX_BPF_LEN)
		return -ENOSPC;
	memcpy(f, v6rx_prog, sizeof(v6rx_prog));
	return V6RX_BPF_LEN;
}

int v6rx_open(char *err, size_t errsz)
{
	struct sock_filter f[V6RX_BPF_LEN];
	struct sock_fprog prog = { (unsigned short)v6rx_filter(f, V6RX_BPF_LEN), f };
	int fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, htons(ETH_P_IPV6));
	int rc;

	if (fd < 0) {
		rc = -errno;
		snprintf(err, errsz, "IPv6 receive socket: %s", strerror(-rc));
		return rc;
	}
	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog)) < 0) {
		rc = -errno;
		snprintf(err, errsz, "IPv6 receive filter: %s", strerror(-rc));
		close(fd);
		return rc;
	}
	return fd;
}

ssize_t v6rx_recv(int fd, uint8_t *buf, size_t cap, int *ifindex)
{
	struct sockaddr_ll sll;
	socklen_t sl = sizeof(sll);
	ssize_t n = recvfrom(fd, buf, cap, 0, (struct sockaddr *)&sll, &sl);

	if (n < 0)
		return -errno;
	if (sll.sll_pkttype == PACKET_OUTGOING)
		return -ENOMSG;
	*ifindex = sll.sll_ifindex;
	return n;
}

int v6rx_kernel_stats(int fd, uint64_t *packets, uint64_t *drops)
{
	struct tpacket_stats st;
	socklen_t sl = sizeof(st);

	if (getsockopt(fd, SOL_PACKET, PACKET_STATISTICS, &st, &sl) < 0)
		return -errno;
	*packets = st.tp_packets;
	*drops = st.tp_drops;
	return 0;
}
