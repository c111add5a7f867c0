/*
 * kernel_glue/addr_watch: rtnetlink address announcements parsed from
 * buffers built by the same code that asks the kernel for an address
 * (rtnl_ctx_addr4_build), malformed ones refused, and, where this process
 * may make a network namespace, the kernel's own announcement of an
 * address added to its loopback; there too, a request the kernel refuses
 * with an errno libnl has no code for (ENETDOWN: routes through the
 * namespace's loopback while it is down) fails with the kernel's errno,
 * not libnl's "failure" (EIO).
 */
#define _GNU_SOURCE	/* unshare() */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/wait.h>
#include <cmocka.h>
#include "t_netns.h"
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include "kernel_glue/addr_watch.h"
#include "kernel_glue/rtnl.h"

struct seen {
	int n;
	int added[4], ifindex[4];
	struct in_addr a[4];
};

static void note(void *arg, int added, int ifindex, struct in_addr a)
{
	struct seen *s = arg;

	assert_true(s->n < 4);
	s->added[s->n] = added;
	s->ifindex[s->n] = ifindex;
	s->a[s->n] = a;
	s->n++;
}

static uint32_t ip(const char *s)
{
	struct in_addr a;

	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return a.s_addr;
}

/* A request as rtnl builds it, turned into what the kernel announces. */
static size_t announce(uint8_t *buf, size_t size, int add, int ifindex, const char *local)
{
	int n = rtnl_ctx_addr4_build(buf, size, add, ifindex, ip(local), ip(local));
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;

	assert_true(n > 0);
	nlh->nlmsg_flags = 0;
	return (size_t)n;
}

static void test_parse_new_and_del(void **state)
{
	uint32_t w[256];
	uint8_t *buf = (uint8_t *)w;
	struct seen s = { 0 };
	size_t n;

	(void)state;
	n = announce(buf, sizeof(w), 1, 7, "192.0.2.10");
	n += announce(buf + n, sizeof(w) - n, 0, 9, "198.51.100.1");
	assert_int_equal(addr_watch_parse(buf, n, note, &s), 2);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.added[0], 1);
	assert_int_equal(s.ifindex[0], 7);
	assert_int_equal(s.a[0].s_addr, ip("192.0.2.10"));
	assert_int_equal(s.added[1], 0);
	assert_int_equal(s.ifindex[1], 9);
	assert_int_equal(s.a[1].s_addr, ip("198.51.100.1"));
}

static void test_parse_ignores_others(void **state)
{
	uint32_t w[256];
	uint8_t *buf = (uint8_t *)w;
	struct seen s = { 0 };
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	struct ifaddrmsg *ifa;
	size_t n;

	(void)state;
	/* an IPv6 address: not ours to watch */
	n = announce(buf, sizeof(w), 1, 7, "192.0.2.10");
	ifa = NLMSG_DATA(nlh);
	ifa->ifa_family = AF_INET6;
	assert_int_equal(addr_watch_parse(buf, n, note, &s), 0);
	/* a link announcement */
	ifa->ifa_family = AF_INET;
	nlh->nlmsg_type = RTM_NEWLINK;
	assert_int_equal(addr_watch_parse(buf, n, note, &s), 0);
	assert_int_equal(s.n, 0);
}

static void test_parse_malformed(void **state)
{
	uint32_t w[256];
	uint8_t *buf = (uint8_t *)w;
	struct seen s = { 0 };
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	struct nlattr *a;
	size_t n;

	(void)state;
	n = announce(buf, sizeof(w), 1, 7, "192.0.2.10");
	/* cut short: the datagram ends inside the message */
	assert_int_equal(addr_watch_parse(buf, n - 2, note, &s), -EINVAL);
	/* a header that claims less than an ifaddrmsg */
	nlh->nlmsg_len = NLMSG_LENGTH(2);
	assert_int_equal(addr_watch_parse(buf, NLMSG_ALIGN(nlh->nlmsg_len), note, &s), -EINVAL);
	/* an address attribute of 3 bytes */
	n = announce(buf, sizeof(w), 1, 7, "192.0.2.10");
	a = (struct nlattr *)((uint8_t *)NLMSG_DATA(nlh) + NLMSG_ALIGN(sizeof(struct ifaddrmsg)));
	assert_true(a->nla_type == IFA_LOCAL || a->nla_type == IFA_ADDRESS);
	a->nla_len = NLA_HDRLEN + 3;
	assert_int_equal(addr_watch_parse(buf, n, note, &s), -EINVAL);
	/* no address at all */
	nlh->nlmsg_len = NLMSG_LENGTH(sizeof(struct ifaddrmsg));
	assert_int_equal(addr_watch_parse(buf, nlh->nlmsg_len, note, &s), -EINVAL);
	assert_int_equal(s.n, 0);
}

/* In a network namespace of its own (a child process: root only), an
 * address added to lo is announced to the watching socket. */
static void test_kernel_announces(void **state)
{
	char err[160];
	pid_t pid;
	int status;

	(void)state;
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct rtnl_ctx *r;
		struct seen s = { 0 };
		int fd, i;

		if (unshare(CLONE_NEWNET) < 0)
			_exit(77);
		fd = addr_watch_open(err, sizeof(err));
		if (fd < 0 || rtnl_ctx_open(&r, err, sizeof(err)) < 0)
			_exit(1);
		if (rtnl_ctx_addr4_add(r, 1, ip("192.0.2.10"), ip("192.0.2.10"), err, sizeof(err)) < 0)
			_exit(2);
		for (i = 0; i < 100 && s.n == 0; i++) {
			if (addr_watch_read(fd, note, &s, err, sizeof(err)) < 0)
				_exit(3);
			if (s.n == 0)
				usleep(10000);
		}
		if (s.n != 1 || !s.added[0] || s.ifindex[0] != 1 || s.a[0].s_addr != ip("192.0.2.10"))
			_exit(4);
		rtnl_ctx_close(r);
		close(fd);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	if (WEXITSTATUS(status) == 77)
		skip();
	assert_int_equal(WEXITSTATUS(status), 0);
}

/* The child's part of test_kernel_errno: its exit status says what went wrong. */
static int t_errno_child(void)
{
	static const uint8_t p6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 1 };
	struct rtnl_route6 rt6 = { p6, 64, NULL, 0 };
	struct rtnl_ctx *r;
	char err[160];

	if (rtnl_ctx_open(&r, err, sizeof(err)) < 0)
		return 1;
	/* lo of a new namespace is down: "Nexthop device is not up" */
	if (rtnl_ctx_route6_add(r, 1, &rt6, err, sizeof(err)) != -ENETDOWN ||
	    strstr(err, strerror(ENETDOWN)) == NULL)
		return 2;
	if (rtnl_ctx_route4_add(r, 1, ip("10.1.0.0"), 24, err, sizeof(err)) != -ENETDOWN)
		return 3;
	/* up: the same requests pass, a second time EEXIST */
	if (rtnl_ctx_set_up(r, 1, NULL, 1, err, sizeof(err)) < 0)
		return 4;
	if (rtnl_ctx_route6_add(r, 1, &rt6, err, sizeof(err)) < 0 ||
	    rtnl_ctx_route4_add(r, 1, ip("10.1.0.0"), 24, err, sizeof(err)) < 0)
		return 5;
	if (rtnl_ctx_route6_add(r, 1, &rt6, err, sizeof(err)) != -EEXIST)
		return 6;
	rtnl_ctx_close(r);
	return 0;
}

static void test_kernel_errno(void **state)
{
	(void)state;
	t_in_netns(t_errno_child);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_new_and_del),
		cmocka_unit_test(test_parse_ignores_others),
		cmocka_unit_test(test_parse_malformed),
		cmocka_unit_test(test_kernel_announces),
		cmocka_unit_test(test_kernel_errno),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
