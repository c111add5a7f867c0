/*
 * The access port across a hitless restart (pppoe/port.h, struct
 * pppoe_port_handed): the new process opens its port on the packet socket
 * the process before handed over, not a new one, and reads the frames
 * queued in it during the handover; a descriptor that is no packet socket
 * bound to that interface is refused and closed.  On "lo", with a real
 * PF_PACKET socket: skipped without CAP_NET_RAW.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "harness.h"
#include "pppoe/port.h"
#include "pppoe/proto.h"

struct handed {
	int ifindex, fd, taken;
};

static int take(void *arg, int ifindex)
{
	struct handed *h = arg;

	if (ifindex != h->ifindex || h->taken)
		return -1;
	h->taken = 1;
	return h->fd;
}

static int fd_open(int fd)
{
	return fd >= 0 && fcntl(fd, F_GETFD) >= 0;
}

/* A raw socket on lo, or a skip without the privilege. */
static int raw_or_skip(void)
{
	int fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(PPPOE_ETH_P_DISC));

	if (fd < 0 && (errno == EPERM || errno == EACCES || errno == EAFNOSUPPORT))
		skip();
	assert_true(fd >= 0);
	return fd;
}

/* A PADI from 02:00:00:00:00:01 on lo. */
static void send_padi(int fd, int ifindex)
{
	uint8_t f[60] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0, 0, 0, 0, 0x01,
			  0x88, 0x63, 0x11, PPPOE_CODE_PADI, 0, 0, 0, 4, 0x01, 0x01, 0, 0 };
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_ifindex = ifindex,
				   .sll_halen = 6 };

	memset(sll.sll_addr, 0xff, 6);
	assert_int_equal(sendto(fd, f, sizeof f, 0, (struct sockaddr *)&sll, sizeof sll),
			 (ssize_t)sizeof f);
}

static void test_port_adopted(void **state)
{
	struct harness *h = h_new(state, "hostname bras1\n");
	const struct pppoe_port_ops *ops = &pppoe_port_packet_ops;
	int lo = (int)if_nametoindex("lo"), raw = raw_or_skip(), ifindex = 0, fd;
	struct handed hd = { lo, -1, 0 };
	struct pppoe_port_handed ph = { take, &hd };
	uint8_t mac[6], buf[256];
	void *a = NULL, *b = NULL;
	ssize_t n;

	/* the process before's port */
	assert_int_equal(ops->open(NULL, &h->d, "lo", &ifindex, mac, &a), 0);
	assert_int_equal(ifindex, lo);
	fd = ops->fd(NULL, a);
	assert_true(fd >= 0);
	/* a PADI arrives during the handover */
	send_padi(raw, lo);
	hd.fd = dup(fd);
	assert_true(hd.fd >= 0);
	ops->close(NULL, a);	/* the process before exits */
	/* the new one: the same socket, the PADI in it */
	assert_int_equal(ops->open(&ph, &h->d, "lo", &ifindex, mac, &b), 0);
	assert_true(hd.taken);
	assert_int_equal(ops->fd(&ph, b), hd.fd);
	n = recv(hd.fd, buf, sizeof buf, MSG_DONTWAIT);
	assert_true(n >= 20);
	assert_int_equal(buf[12] << 8 | buf[13], 0x8863);
	assert_int_equal(buf[15], PPPOE_CODE_PADI);
	ops->close(NULL, b);
	assert_false(fd_open(hd.fd));
	close(raw);
}

/* A UDP socket, a cooked packet socket, a packet socket bound to no
 * interface: refused, closed. */
static void test_port_handed_refused(void **state)
{
	struct harness *h = h_new(state, "hostname bras1\n");
	const struct pppoe_port_ops *ops = &pppoe_port_packet_ops;
	int lo = (int)if_nametoindex("lo"), raw = raw_or_skip(), ifindex = 0;
	struct handed hd = { lo, -1, 0 };
	struct pppoe_port_handed ph = { take, &hd };
	uint8_t mac[6];
	void *b = NULL;

	hd.fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	assert_true(hd.fd >= 0);
	assert_int_equal(ops->open(&ph, &h->d, "lo", &ifindex, mac, &b), -EBADF);
	assert_false(fd_open(hd.fd));
	/* a packet socket on lo, but cooked (SOCK_DGRAM: no Ethernet header) */
	{
		struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_ifindex = lo,
					   .sll_protocol = htons(PPPOE_ETH_P_DISC) };

		hd.fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, htons(PPPOE_ETH_P_DISC));
		assert_true(hd.fd >= 0);
		assert_int_equal(bind(hd.fd, (struct sockaddr *)&sll, sizeof sll), 0);
		hd.taken = 0;
		assert_int_equal(ops->open(&ph, &h->d, "lo", &ifindex, mac, &b), -EBADF);
		assert_false(fd_open(hd.fd));
	}
	hd.fd = raw;	/* not bound: ifindex 0 */
	hd.taken = 0;
	assert_int_equal(ops->open(&ph, &h->d, "lo", &ifindex, mac, &b), -EBADF);
	assert_false(fd_open(raw));
	/* nothing handed over for it: a port is opened */
	hd.taken = 1;
	assert_int_equal(ops->open(&ph, &h->d, "lo", &ifindex, mac, &b), 0);
	ops->close(NULL, b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_port_adopted, h_teardown),
		cmocka_unit_test_teardown(test_port_handed_refused, h_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
