/*
 * l2tp/net.c on real sockets (loopback): an ephemeral port is never handed
 * to two of our sockets, though every one carries SO_REUSEADDR, and a port
 * of ours can still be bound again (a restart, a takeover, a rebind).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <sys/resource.h>
#include <unistd.h>
#include <cmocka.h>

#include "l2tp/net.h"

/* Enough sockets that, were ports handed out twice, a pair would share one
 * all but surely: about n^2 / 2 / 28,232 pairs among Linux's default
 * ephemeral range (17 for 1,000: no pair at all is 1 chance in 10^7). */
#define NET_SOCKETS	1000

static struct sockaddr_in loopback(uint16_t port)
{
	struct sockaddr_in sa;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sa.sin_port = htons(port);
	return sa;
}

static unsigned sockets_allowed(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return 0;
	if (rl.rlim_cur < NET_SOCKETS + 64 && rl.rlim_max > rl.rlim_cur) {
		rl.rlim_cur = rl.rlim_max < NET_SOCKETS + 64 ? rl.rlim_max : NET_SOCKETS + 64;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
		(void)getrlimit(RLIMIT_NOFILE, &rl);
	}
	return rl.rlim_cur > 64 ? (unsigned)(rl.rlim_cur - 64) : 0;
}

static void test_ephemeral_ports_distinct(void **state)
{
	static int fd[NET_SOCKETS];
	static uint8_t seen[65536];
	unsigned n = sockets_allowed(), i, shared = 0;

	(void)state;
	if (n > NET_SOCKETS)
		n = NET_SOCKETS;
	/* Fewer descriptors than that would make the test blind. */
	assert_true(n >= NET_SOCKETS / 2);
	memset(seen, 0, sizeof(seen));
	for (i = 0; i < n; i++) {
		struct sockaddr_in sa = loopback(0);

		fd[i] = l2tp_net_socket_bound(&sa);
		assert_true(fd[i] >= 0);
		assert_int_not_equal(sa.sin_port, 0);
		if (seen[ntohs(sa.sin_port)]++)
			shared++;
	}
	assert_int_equal(shared, 0);
	for (i = 0; i < n; i++)
		close(fd[i]);
}

static void test_port_bound_again(void **state)
{
	struct sockaddr_in a = loopback(0), b;
	int fa, fb, fc;

	(void)state;
	fa = l2tp_net_socket_bound(&a);
	assert_true(fa >= 0);
	/* The same port, asked for by number: shared (SO_REUSEADDR is back). */
	b = a;
	fb = l2tp_net_socket_bound(&b);
	assert_true(fb >= 0);
	assert_int_equal(b.sin_port, a.sin_port);
	/* ... and a third one on it too. */
	fc = l2tp_net_socket_bound(&b);
	assert_true(fc >= 0);
	close(fa);
	close(fb);
	close(fc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ephemeral_ports_distinct),
		cmocka_unit_test(test_port_bound_again),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
