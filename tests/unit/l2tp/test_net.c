/*
 * l2tp/net.c on real sockets (loopback): an ephemeral port is never handed
 * to two of our sockets, though every one carries SO_REUSEADDR, and a port
 * of ours can still be bound again (a restart, a takeover, a rebind), and
 * a socket bound to a shared port holds a burst meant for others; the
 * send queue (l2tp/txq.h): one sendmmsg per socket, each socket's order
 * kept, a refused datagram dropped without the others, and counted in
 * the daemon's send errors even when a full queue left on its own, and in
 * its tunnel's.
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
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>

#include "l2tpd.h"
#include "l2tp/net.h"
#include "l2tp/tunnel.h"
#include "l2tp/txq.h"

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

/*
 * A socket bound to a port we share, not connected yet (an LNS tunnel's
 * socket between its bind() and its connect()), is where the kernel puts
 * every datagram to that port that no connected socket takes: a LAC's
 * burst of SCCCNs and ICRQs for other tunnels must all be held there, not
 * dropped past the default receive buffer (about 256 datagrams).
 */
#define NET_BURST	1000

static void test_shared_port_holds_burst(void **state)
{
	struct sockaddr_in l = loopback(0), t, s = loopback(0);
	uint8_t msg[132], buf[256];
	unsigned got = 0, i;
	int fl, ft, fs;

	(void)state;
	fl = l2tp_net_socket_bound(&l);		/* the listening socket */
	assert_true(fl >= 0);
	t = l;
	ft = l2tp_net_socket_bound(&t);		/* the tunnel's, same port */
	fs = l2tp_net_socket_bound(&s);		/* the LAC */
	assert_true(ft >= 0 && fs >= 0);
	memset(msg, 0xc8, sizeof(msg));		/* an SCCRQ's size */
	for (i = 0; i < NET_BURST; i++)
		assert_int_equal(sendto(fs, msg, sizeof(msg), 0, (struct sockaddr *)&l,
					sizeof(l)), (ssize_t)sizeof(msg));
	/* loopback delivers before sendto returns: queued here or dropped */
	while (recv(ft, buf, sizeof(buf), MSG_DONTWAIT) == (ssize_t)sizeof(msg))
		got++;
	while (recv(fl, buf, sizeof(buf), MSG_DONTWAIT) == (ssize_t)sizeof(msg))
		got++;
	assert_int_equal(got, NET_BURST);
	close(fl);
	close(ft);
	close(fs);
}

/* l2tp_net_addr_str: what inet_ntop writes, for every digit count. */
static void test_addr_str(void **state)
{
	static const char *const addrs[] = {
		"0.0.0.0", "255.255.255.255", "10.1.0.2", "9.99.100.199",
		"192.168.100.7", "100.10.1.0", "1.2.3.4", "250.205.52.25",
	};
	char want[INET_ADDRSTRLEN], got[INET_ADDRSTRLEN];
	struct in_addr a;
	unsigned i, v;

	(void)state;
	for (i = 0; i < sizeof(addrs) / sizeof(addrs[0]); i++) {
		assert_int_equal(inet_pton(AF_INET, addrs[i], &a), 1);
		assert_string_equal(l2tp_net_addr_str(a, got), addrs[i]);
	}
	for (v = 0; v < 256; v++) {		/* every octet, in every place */
		a.s_addr = htonl(v << 24 | (255 - v) << 16 | v << 8 | (v * 7 % 256));
		assert_non_null(inet_ntop(AF_INET, &a, want, sizeof(want)));
		assert_string_equal(l2tp_net_addr_str(a, got), want);
	}
}

/* A receiving socket on loopback; its address in *sa. */
static int receiver(struct sockaddr_in *sa)
{
	*sa = loopback(0);
	return l2tp_net_socket_bound(sa);
}

/* The next datagram on fd (non-blocking: it was sent before), as text. */
static void expect_datagram(int fd, const char *want)
{
	char buf[64];
	ssize_t n = recv(fd, buf, sizeof(buf) - 1, 0);

	assert_true(n >= 0);
	buf[n] = '\0';
	assert_string_equal(buf, want);
}

static void test_txq_batches_per_socket(void **state)
{
	struct l2tp_txq q;
	struct sockaddr_in ra, rb, sa = loopback(0), sb = loopback(0);
	int fra = receiver(&ra), frb = receiver(&rb);
	int fsa = l2tp_net_socket_bound(&sa), fsb = l2tp_net_socket_bound(&sb);
	char msg[16];
	int i;

	(void)state;
	memset(&q, 0, sizeof(q));
	assert_true(fra >= 0 && frb >= 0 && fsa >= 0 && fsb >= 0);
	assert_int_equal(connect(fsa, (struct sockaddr *)&ra, sizeof(ra)), 0);
	/* interleaved: a connected socket and one sending to an address */
	for (i = 0; i < 5; i++) {
		snprintf(msg, sizeof(msg), "a%d", i);
		assert_int_equal(l2tp_txq_add(&q, fsa, NULL, msg, strlen(msg)), 0);
		snprintf(msg, sizeof(msg), "b%d", i);
		assert_int_equal(l2tp_txq_add(&q, fsb, &rb, msg, strlen(msg)), 0);
	}
	assert_int_equal(q.calls, 0);		/* nothing left yet */
	assert_int_equal(l2tp_txq_flush(&q), 0);
	assert_int_equal(q.calls, 2);		/* one call a socket */
	assert_int_equal(q.datagrams, 10);
	for (i = 0; i < 5; i++) {
		snprintf(msg, sizeof(msg), "a%d", i);
		expect_datagram(fra, msg);
		snprintf(msg, sizeof(msg), "b%d", i);
		expect_datagram(frb, msg);
	}
	/* a full queue leaves before the next datagram joins it */
	for (i = 0; i < L2TP_TXQ_MAX + 1; i++)
		assert_int_equal(l2tp_txq_add(&q, fsb, &rb, "c", 1), 0);
	assert_int_equal(q.calls, 3);
	assert_int_equal(q.n, 1);
	l2tp_txq_fini(&q);
	assert_int_equal(q.datagrams, 10 + L2TP_TXQ_MAX + 1);
	assert_null(q.arena);
	close(fra);
	close(frb);
	close(fsa);
	close(fsb);
}

/* A socket the kernel refuses (closed) loses its datagrams, counted; the
 * other socket's leave all the same. */
static void test_txq_refused_dropped(void **state)
{
	struct l2tp_txq q;
	struct sockaddr_in ra, sa = loopback(0), sb = loopback(0);
	int fra = receiver(&ra), fsa = l2tp_net_socket_bound(&sa);
	int fsb = l2tp_net_socket_bound(&sb);

	(void)state;
	memset(&q, 0, sizeof(q));
	assert_true(fra >= 0 && fsa >= 0 && fsb >= 0);
	assert_int_equal(l2tp_txq_add(&q, fsb, &ra, "x0", 2), 0);
	assert_int_equal(l2tp_txq_add(&q, fsa, &ra, "ok0", 3), 0);
	assert_int_equal(l2tp_txq_add(&q, fsb, &ra, "x1", 2), 0);
	assert_int_equal(l2tp_txq_add(&q, fsa, &ra, "ok1", 3), 0);
	close(fsb);
	assert_int_equal(l2tp_txq_flush(&q), 2);
	assert_int_equal(q.errors, 2);
	assert_int_equal(q.datagrams, 2);
	expect_datagram(fra, "ok0");
	expect_datagram(fra, "ok1");
	l2tp_txq_fini(&q);
	close(fra);
	close(fsa);
}

/* A full queue leaves inside l2tp_txq_add: what the kernel refused then is
 * counted in the daemon's send errors at the turn's flush too, with the rest. */
static void test_txq_full_flush_refused_counted(void **state)
{
	struct l2tpd *d = calloc(1, sizeof(*d));
	struct sockaddr_in ra, sb = loopback(0);
	int fra = receiver(&ra), fsb = l2tp_net_socket_bound(&sb);
	int i;

	(void)state;
	assert_non_null(d);
	assert_true(fra >= 0 && fsb >= 0);
	close(fsb);	/* every datagram for it is refused */
	for (i = 0; i < L2TP_TXQ_MAX + 3; i++)
		assert_int_equal(l2tp_txq_add(&d->txq, fsb, &ra, "x", 1), 0);
	assert_int_equal(d->txq.n, 3);		/* the first L2TP_TXQ_MAX left */
	assert_int_equal(d->txq.errors, L2TP_TXQ_MAX);
	l2tp_net_flush(d);
	assert_int_equal(d->txq.errors, L2TP_TXQ_MAX + 3);
	assert_int_equal(d->stats.tx_errors, L2TP_TXQ_MAX + 3);
	/* counted once: a flush with nothing queued adds nothing */
	l2tp_net_flush(d);
	assert_int_equal(d->stats.tx_errors, L2TP_TXQ_MAX + 3);
	l2tp_txq_fini(&d->txq);
	close(fra);
	free(d);
}

/* A tunnel of d's on socket fd, sending to peer. */
static struct l2tp_tunnel *t_tunnel(struct l2tpd *d, int fd, const struct sockaddr_in *peer)
{
	struct l2tp_tunnel *t = calloc(1, sizeof(*t));

	assert_non_null(t);
	t->d = d;
	t->fd = fd;
	t->peer = *peer;
	return t;
}

/* What the queue drops is counted in the send errors of the tunnel whose
 * datagram it was (`show l2tp tunnel`), those dropped when a full queue
 * left inside l2tp_txq_add too; another tunnel's datagrams, sent, are not. */
static void test_txq_refused_tunnel_counted(void **state)
{
	struct l2tpd *d = calloc(1, sizeof(*d));
	struct sockaddr_in ra, sa = loopback(0), sb = loopback(0);
	int fra = receiver(&ra), fsa = l2tp_net_socket_bound(&sa);
	int fsb = l2tp_net_socket_bound(&sb);
	struct l2tp_tunnel *ta, *tb;
	uint8_t x = 'x';
	int i;

	(void)state;
	assert_non_null(d);
	assert_true(fra >= 0 && fsa >= 0 && fsb >= 0);
	assert_int_equal(l2tpd_init(d, 1), 0);	/* the daemon's queue, as it is set up */
	ta = t_tunnel(d, fsa, &ra);
	tb = t_tunnel(d, fsb, &ra);
	close(fsb);	/* every datagram of tb is refused */
	for (i = 0; i < L2TP_TXQ_MAX + 3; i++) {
		assert_int_equal(l2tp_net_xmit(tb, &x, 1), 0);
		if (i % 8 == 0)
			assert_int_equal(l2tp_net_xmit(ta, &x, 1), 0);
	}
	/* one full queue left inside l2tp_txq_add */
	assert_true(d->txq.errors > 0 && d->txq.errors < L2TP_TXQ_MAX + 3);
	assert_int_equal(tb->ctrl.stats.tx_errors, d->txq.errors);
	l2tp_net_flush(d);
	assert_int_equal(d->stats.tx_errors, L2TP_TXQ_MAX + 3);
	assert_int_equal(tb->ctrl.stats.tx_errors, L2TP_TXQ_MAX + 3);
	assert_int_equal(ta->ctrl.stats.tx_errors, 0);
	assert_int_equal(d->txq.datagrams, (L2TP_TXQ_MAX + 3 + 7) / 8);
	l2tpd_fini(d);
	close(fra);
	close(fsa);
	free(ta);
	free(tb);
	free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ephemeral_ports_distinct),
		cmocka_unit_test(test_port_bound_again),
		cmocka_unit_test(test_shared_port_holds_burst),
		cmocka_unit_test(test_addr_str),
		cmocka_unit_test(test_txq_batches_per_socket),
		cmocka_unit_test(test_txq_refused_dropped),
		cmocka_unit_test(test_txq_full_flush_refused_counted),
		cmocka_unit_test(test_txq_refused_tunnel_counted),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
