/*
 * LAC switching pieces checked on the host, without the kernel's pppoe:
 * the null backend refuses the PPPoE ops (its access side relays in user
 * space instead) and says so; PPPIOCBRIDGECHAN refused as a kernel before
 * 5.11 refuses it (ENOTTY, here from /dev/null) is reported in words
 * naming the version needed, leaves the channel unbridged, and the close
 * still closes every fd; a channel with a unit is refused a bridge (and
 * its unit closed with it); a PPPoE session that cannot be opened (an
 * interface name too long, an interface that does not exist, or no pppoe
 * in this kernel) leaves no fd behind.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "kernel_glue/dp.h"
#include "kernel_glue/pppoe_chan.h"

static int t_fd_open(int fd)
{
	return fcntl(fd, F_GETFD) >= 0;
}

static void test_null_refuses(void **state)
{
	struct dp_pppoe_params p = { .sid = 7, .peer_mac = { 2, 0, 0, 0, 0, 1 }, .ifname = "eth1" };
	struct dp_ppp_params l2 = { .tunnel_id = 1, .session_id = 2 };
	char err[256];
	struct dp *dp;
	int fd = 5;

	(void)state;
	assert_int_equal(dp_create("null", &dp, err, sizeof(err)), 0);
	assert_false(dp_can(dp, DP_CAP_BRIDGE));
	assert_int_equal(dp_pppoe_open(dp, &p, &fd), -EOPNOTSUPP);
	assert_int_equal(fd, -1);
	assert_non_null(strstr(dp->err, "not supported"));
	assert_int_equal(dp_pppoe_bridge(dp, 7, &l2), -EOPNOTSUPP);
	assert_int_equal(dp_pppoe_close(dp, 7), -EOPNOTSUPP);
	assert_int_equal(dp->count.pppoe_open + dp->count.bridge_open + dp->count.bridges, 0);
	dp_destroy(dp);
}

static void test_bridge_old_kernel(void **state)
{
	struct pppoe_chan c;
	char err[160] = "";
	int fd;

	(void)state;
	pppoe_chan_init(&c);
	assert_int_equal(pppoe_chan_bridge(&c, 3, err, sizeof(err)), -ENOTCONN);
	/* a kernel before 5.11 answers ENOTTY to PPPIOCBRIDGECHAN, as /dev/null does */
	c.pc.chan_fd = fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(pppoe_chan_bridge(&c, 3, err, sizeof(err)), -ENOTTY);
	assert_non_null(strstr(err, "PPPIOCBRIDGECHAN"));
	assert_non_null(strstr(err, "Linux 5.11"));
	assert_int_equal(c.bridged, 0);
	/* a channel with a unit (a session terminated here) is never bridged */
	c.pc.unit_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	assert_int_equal(pppoe_chan_bridge(&c, 3, err, sizeof(err)), -EALREADY);
	assert_non_null(strstr(err, "unit"));
	pppoe_chan_close(&c);
	assert_false(t_fd_open(fd));
	assert_int_equal(c.pc.unit_fd, -1);
	assert_int_equal(c.pc.chan_fd, -1);
	assert_int_equal(c.pc.pppox_fd, -1);
}

static void test_open_fails_clean(void **state)
{
	const uint8_t mac[6] = { 2, 0, 0, 0, 0, 1 };
	struct pppoe_chan c;
	char err[160] = "";
	int probe;

	(void)state;
	assert_int_equal(pppoe_chan_open(&c, 7, mac, "an-interface-name-too-long", err,
					 sizeof(err)), -ENAMETOOLONG);
	assert_int_equal(c.pc.pppox_fd, -1);
	assert_int_equal(c.pc.chan_fd, -1);
	/* no such interface (or no pppoe in this kernel): refused, nothing left */
	err[0] = '\0';
	assert_true(pppoe_chan_open(&c, 7, mac, "nonexist9", err, sizeof(err)) < 0);
	assert_true(err[0] != '\0');
	assert_int_equal(c.pc.pppox_fd, -1);
	assert_int_equal(c.pc.chan_fd, -1);
	assert_int_equal(c.bridged, 0);
	/* the lowest free fd is the one after stdio and cmocka's: none leaked */
	probe = open("/dev/null", O_RDONLY | O_CLOEXEC);
	assert_true(probe >= 0);
	close(probe);
	assert_int_equal(pppoe_chan_open(&c, 7, mac, "nonexist9", err, sizeof(err)) < 0, 1);
	assert_int_equal(open("/dev/null", O_RDONLY | O_CLOEXEC), probe);
	close(probe);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_null_refuses),
		cmocka_unit_test(test_bridge_old_kernel),
		cmocka_unit_test(test_open_fails_clean),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
