/*
 * The receive side of the subscribers' IPv6 control traffic under the
 * linux data path.  Router Solicitations go to ff02::2 and DHCPv6 to
 * ff02::1:2; one socket joined to those groups on thousands of pppN would
 * hold thousands of memberships, bounded by net.core.optmem_max.  A
 * packet socket needs none: one AF_PACKET socket (SOCK_DGRAM, ETH_P_IPV6,
 * every interface) sees what each interface receives, and a classic BPF
 * filter keeps only, on PPP interfaces (ARPHRD_PPP), IPv6 packets whose
 * next header is ICMPv6 type 133 (RFC 4861 §4.1) or UDP to port 547
 * (RFC 8415 §7.2), without extension headers; the session is found by the
 * packet's interface index (sll_ifindex).
 */
#ifndef V6RX_H
#define V6RX_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <linux/filter.h>

#define V6RX_BPF_LEN	14	/* instructions of the filter */
#define V6RX_SNAPLEN	0xffff

/* The filter into f (cap instructions): its length, or -ENOSPC. */
int v6rx_filter(struct sock_filter *f, size_t cap);
/* The socket, nonblocking, filter attached: an fd, or a negative errno
 * (err says what failed). */
int v6rx_open(char *err, size_t errsz);
/* One packet (the IPv6 header first): its length and the interface it came
 * in on; -EAGAIN when none is waiting, -ENOMSG for one we sent. */
ssize_t v6rx_recv(int fd, uint8_t *buf, size_t cap, int *ifindex);
/* The kernel's counts of a packet socket since the last call
 * (PACKET_STATISTICS: the packets that passed its filter, those dropped
 * among them included, and those it dropped for a full queue; reading
 * resets both): 0, or a negative errno. */
int v6rx_kernel_stats(int fd, uint64_t *packets, uint64_t *drops);

#endif
