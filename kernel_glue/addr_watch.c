#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "kernel_glue/addr_watch.h"

int addr_watch_open(char *err, size_t errsz)
{
	struct sockaddr_nl sa;
	int fd, e;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0) {
		e = errno;
		snprintf(err, errsz, "rtnetlink socket: %s", strerror(e));
		return -e;
	}
	memset(&sa, 0, sizeof(sa));
	sa.nl_family = AF_NETLINK;
	sa.nl_groups = RTMGRP_IPV4_IFADDR;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		e = errno;
		close(fd);
		snprintf(err, errsz, "rtnetlink address group: %s", strerror(e));
		return -e;
	}
	return fd;
}

struct aw_attrs {
	const struct nlattr *local, *address;
};

static int aw_attr(const struct nlattr *a, void *data)
{
	struct aw_attrs *at = data;

	if (mnl_attr_type_valid(a, IFA_MAX) < 0)
		return MNL_CB_OK;	/* a newer kernel's attribute */
	switch (mnl_attr_get_type(a)) {
	case IFA_LOCAL:
	case IFA_ADDRESS:
		if (mnl_attr_get_payload_len(a) != sizeof(struct in_addr))
			return MNL_CB_ERROR;
		if (mnl_attr_get_type(a) == IFA_LOCAL)
			at->local = a;
		else
			at->address = a;
		break;
	default:
		break;
	}
	return MNL_CB_OK;
}

/* One RTM_NEWADDR / RTM_DELADDR: 1 when passed to cb, 0 when not IPv4,
 * -EINVAL when malformed. */
static int aw_one(const struct nlmsghdr *nlh, addr_watch_cb cb, void *arg)
{
	const struct ifaddrmsg *ifa;
	struct aw_attrs at = { NULL, NULL };
	struct in_addr a;

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*ifa)))
		return -EINVAL;
	ifa = mnl_nlmsg_get_payload(nlh);
	if (ifa->ifa_family != AF_INET)
		return 0;
	if (mnl_attr_parse(nlh, sizeof(*ifa), aw_attr, &at) < 0)
		return -EINVAL;
	if (at.local == NULL)
		at.local = at.address;
	if (at.local == NULL)
		return -EINVAL;
	memcpy(&a, mnl_attr_get_payload(at.local), sizeof(a));
	cb(arg, nlh->nlmsg_type == RTM_NEWADDR, (int)ifa->ifa_index, a);
	return 1;
}

int addr_watch_parse(const void *buf, size_t len, addr_watch_cb cb, void *arg)
{
	const struct nlmsghdr *nlh = buf;
	int left = len > INT32_MAX ? INT32_MAX : (int)len, n = 0, rc;

	while (mnl_nlmsg_ok(nlh, left)) {
		if (nlh->nlmsg_type == RTM_NEWADDR || nlh->nlmsg_type == RTM_DELADDR) {
			rc = aw_one(nlh, cb, arg);
			if (rc < 0)
				return rc;
			n += rc;
		}
		nlh = mnl_nlmsg_next(nlh, &left);
	}
	/* bytes left over that do not make a message: a cut datagram */
	return left != 0 ? -EINVAL : n;
}

int addr_watch_read(int fd, addr_watch_cb cb, void *arg, char *err, size_t errsz)
{
	uint8_t buf[8192] __attribute__((aligned(NLMSG_ALIGNTO)));
	struct sockaddr_nl from;
	socklen_t fl;
	ssize_t r;
	int n = 0, rc, e;

	for (;;) {
		fl = sizeof(from);
		r = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl);
		if (r < 0) {
			e = errno;
			if (e == EAGAIN || e == EWOULDBLOCK)
				return n;
			if (e == EINTR)
				continue;
			snprintf(err, errsz, "rtnetlink address announcements: %s", strerror(e));
			return -e;
		}
		if (from.nl_pid != 0)
			continue;	/* only the kernel announces */
		rc = addr_watch_parse(buf, (size_t)r, cb, arg);
		if (rc < 0) {
			snprintf(err, errsz, "rtnetlink address announcement malformed (%zd bytes)", r);
			return rc;
		}
		n += rc;
	}
}
