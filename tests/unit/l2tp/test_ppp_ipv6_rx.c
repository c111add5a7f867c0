/*
 * The links whose IPv6 server runs, by their pppN's interface index
 * (l2tp/ppp_ipv6_rx.c): the linux path's receive socket finds the link of
 * each packet by it.  Ten thousand links, indexed, each found; half of
 * them gone and no longer found, the others still; a link without an
 * interface, or indexed twice, changes nothing; the index spreads
 * consecutive interface indexes (as the kernel numbers pppN) over its
 * buckets: no bucket holds more than a few.
 * The kernel's counts of the receive socket (PACKET_STATISTICS, reset by
 * each read) summed into the daemon's: a packet socket on the loopback
 * interface with a small queue, loopback datagrams sent and not read.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>

#include "l2tpd.h"
#include "kernel_glue/v6rx.h"
#include "l2tp/ppp.h"
#include "l2tp/ppp_int.h"

#define T_LINKS		10000
#define T_FIRST_IF	40		/* pppN follow the boxes' other interfaces */

static struct l2tp_ppp_link *t_links(void)
{
	struct l2tp_ppp_link *pl = calloc(T_LINKS, sizeof(*pl));

	assert_non_null(pl);
	for (int i = 0; i < T_LINKS; i++) {
		pl[i].dp_open = 1;
		pl[i].dpp.ifindex = T_FIRST_IF + i;
	}
	return pl;
}

/* The longest chain of the index's buckets. */
static unsigned t_longest(struct l2tpd *d)
{
	unsigned most = 0;

	for (unsigned b = 0; b < L2TP_V6_IFINDEX_BUCKETS; b++) {
		struct l2tp_ppp_link *pl;
		unsigned n = 0;

		LIST_FOREACH(pl, &d->v6_by_ifindex[b], v6_link)
			n++;
		if (n > most)
			most = n;
	}
	return most;
}

static void test_index_many(void **state)
{
	struct l2tpd *d = calloc(1, sizeof(*d));
	struct l2tp_ppp_link *pl = t_links();
	unsigned most;

	(void)state;
	assert_non_null(d);
	for (int i = 0; i < T_LINKS; i++)
		l2tp_ppp_ipv6_index(d, &pl[i]);
	assert_int_equal(d->v6_indexed, T_LINKS);
	for (int i = 0; i < T_LINKS; i++)
		assert_ptr_equal(l2tp_ppp_ipv6_by_ifindex(d, T_FIRST_IF + i), &pl[i]);
	/* nothing under an index no link has */
	assert_null(l2tp_ppp_ipv6_by_ifindex(d, T_FIRST_IF - 1));
	assert_null(l2tp_ppp_ipv6_by_ifindex(d, T_FIRST_IF + T_LINKS));
	assert_null(l2tp_ppp_ipv6_by_ifindex(d, 0));
	assert_null(l2tp_ppp_ipv6_by_ifindex(d, -5));
	/* 10,000 over 1024 buckets: about 10 each, none past 3 times that */
	most = t_longest(d);
	print_message("longest bucket: %u links of %u\n", most, T_LINKS);
	assert_true(most <= 32);
	/* indexed twice: once */
	l2tp_ppp_ipv6_index(d, &pl[7]);
	assert_int_equal(d->v6_indexed, T_LINKS);
	/* the even ones go */
	for (int i = 0; i < T_LINKS; i += 2)
		l2tp_ppp_ipv6_unindex(d, &pl[i]);
	assert_int_equal(d->v6_indexed, T_LINKS / 2);
	for (int i = 0; i < T_LINKS; i++)
		assert_ptr_equal(l2tp_ppp_ipv6_by_ifindex(d, T_FIRST_IF + i),
				 i % 2 ? &pl[i] : NULL);
	/* gone twice: nothing more */
	l2tp_ppp_ipv6_unindex(d, &pl[0]);
	assert_int_equal(d->v6_indexed, T_LINKS / 2);
	for (int i = 1; i < T_LINKS; i += 2)
		l2tp_ppp_ipv6_unindex(d, &pl[i]);
	assert_int_equal(d->v6_indexed, 0);
	assert_int_equal(t_longest(d), 0);
	free(pl);
	free(d);
}

/* No pppN (the null path, or a unit not open): not indexed. */
static void test_index_no_interface(void **state)
{
	struct l2tpd *d = calloc(1, sizeof(*d));
	struct l2tp_ppp_link a, b;

	(void)state;
	assert_non_null(d);
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	a.dp_open = 1;			/* ifindex 0 */
	b.dpp.ifindex = 12;		/* dp not open */
	l2tp_ppp_ipv6_index(d, &a);
	l2tp_ppp_ipv6_index(d, &b);
	assert_int_equal(d->v6_indexed, 0);
	assert_null(l2tp_ppp_ipv6_by_ifindex(d, 12));
	l2tp_ppp_ipv6_unindex(d, &a);
	assert_int_equal(d->v6_indexed, 0);
	free(d);
}

#define T_SENT		200	/* loopback datagrams */

/* A packet socket on lo with the smallest queue: -1 without the right. */
static int t_lo_socket(void)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL) };
	int fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_NONBLOCK, htons(ETH_P_ALL));
	int small = 1;

	if (fd < 0)
		return -1;
	sll.sll_ifindex = (int)if_nametoindex("lo");
	assert_true(sll.sll_ifindex > 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sll, sizeof(sll)), 0);
	assert_int_equal(setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small)), 0);
	return fd;
}

/* T_SENT datagrams to a socket of ours on 127.0.0.1, read by nobody. */
static void t_lo_traffic(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t al = sizeof(a);
	int rx = socket(AF_INET, SOCK_DGRAM, 0), tx = socket(AF_INET, SOCK_DGRAM, 0);
	char payload[512] = { 0 };

	assert_true(rx >= 0 && tx >= 0);
	assert_int_equal(bind(rx, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(getsockname(rx, (struct sockaddr *)&a, &al), 0);
	for (int i = 0; i < T_SENT; i++)
		(void)sendto(tx, payload, sizeof(payload), 0, (struct sockaddr *)&a, sizeof(a));
	close(tx);
	close(rx);
}

static void test_kernel_counters(void **state)
{
	struct l2tpd *d = calloc(1, sizeof(*d));
	uint64_t packets = 0, drops = 0, first_packets, first_drops;
	int fd = t_lo_socket();

	(void)state;
	assert_non_null(d);
	if (fd < 0) {
		free(d);
		skip();
	}
	d->v6rx_fd = fd;
	t_lo_traffic();
	/* the kernel saw them all; its queue of a few packets dropped most */
	l2tp_ppp_ipv6_rx_counters(d);
	first_packets = d->v6rx.kernel_packets;
	first_drops = d->v6rx.kernel_drops;
	print_message("kernel: %llu packets, %llu dropped\n", (unsigned long long)first_packets,
		      (unsigned long long)first_drops);
	assert_true(first_packets >= T_SENT);
	assert_true(first_drops > 0);
	assert_true(first_drops < first_packets);
	/* a read resets the kernel's count: the daemon's sums */
	assert_int_equal(v6rx_kernel_stats(fd, &packets, &drops), 0);
	assert_true(packets < first_packets);
	t_lo_traffic();
	l2tp_ppp_ipv6_rx_counters(d);
	assert_true(d->v6rx.kernel_packets >= first_packets + T_SENT);
	/* the queue still full: round two dropped, summed with round one */
	assert_true(d->v6rx.kernel_drops >= first_drops + T_SENT / 2);
	/* no socket: nothing read, nothing changed */
	close(fd);
	d->v6rx_fd = -1;
	packets = d->v6rx.kernel_packets;
	l2tp_ppp_ipv6_rx_counters(d);
	assert_int_equal(d->v6rx.kernel_packets, packets);
	assert_int_equal(v6rx_kernel_stats(-1, &packets, &drops), -EBADF);
	free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_index_many),
		cmocka_unit_test(test_index_no_interface),
		cmocka_unit_test(test_kernel_counters),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
