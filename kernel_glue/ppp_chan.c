/*
 * PPPoL2TP sockets, /dev/ppp channels and units, PPP frames.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <net/if.h>		/* before the linux headers: libc-compat */
#include "kernel_glue/ppp_chan.h"
#include <libmnl/libmnl.h>
#include <linux/if_link.h>
#include <linux/ppp-ioctl.h>
#include <linux/rtnetlink.h>
#include "kernel_glue/nl_l2tp.h"

#define PPP_CHAN_DEV		"/dev/ppp"
#define PPP_CHAN_WBUF		2048	/* frames larger than this are copied via the heap */

static void ppp_chan_err(char *err, size_t errsz, const char *what, int rc)
{
	if (err != NULL && errsz > 0)
		snprintf(err, errsz, "%s: %s", what, strerror(-rc));
}

static void ppp_chan_closefd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

void ppp_chan_init(struct ppp_chan *c)
{
	memset(c, 0, sizeof(*c));
	c->pppox_fd = c->chan_fd = c->unit_fd = -1;
	c->chan_index = c->unit = -1;
}

void ppp_chan_sockaddr(struct sockaddr_pppol2tp *sa, const struct ppp_chan_addr *a)
{
	memset(sa, 0, sizeof(*sa));
	sa->sa_family = AF_PPPOX;
	sa->sa_protocol = PX_PROTO_OL2TP;
	sa->pppol2tp.pid = 0;		/* the fd below belongs to us */
	sa->pppol2tp.fd = -1;		/* the kernel tunnel exists already */
	sa->pppol2tp.addr.sin_family = AF_INET;
	sa->pppol2tp.addr.sin_addr.s_addr = a->peer_addr;
	sa->pppol2tp.addr.sin_port = a->peer_port;
	sa->pppol2tp.s_tunnel = a->tunnel_id;
	sa->pppol2tp.s_session = a->session_id;
	sa->pppol2tp.d_tunnel = a->peer_tunnel_id;
	sa->pppol2tp.d_session = a->peer_session_id;
}

static int ppp_chan_open_dev(int *fd)
{
	*fd = open(PPP_CHAN_DEV, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	return *fd < 0 ? -errno : 0;
}

int ppp_chan_attach(struct ppp_chan *c, int type, int proto, const struct sockaddr *sa,
		    socklen_t salen, const char *name, char *err, size_t errsz)
{
	char what[48];
	int rc;

	ppp_chan_init(c);
	snprintf(what, sizeof(what), "%s socket", name);
	c->pppox_fd = socket(AF_PPPOX, type | SOCK_CLOEXEC, proto);
	if (c->pppox_fd < 0)
		goto fail_errno;
	snprintf(what, sizeof(what), "%s connect", name);
	if (connect(c->pppox_fd, sa, salen) < 0)
		goto fail_errno;
	snprintf(what, sizeof(what), "PPPIOCGCHAN");
	if (ioctl(c->pppox_fd, PPPIOCGCHAN, &c->chan_index) < 0)
		goto fail_errno;
	snprintf(what, sizeof(what), "open %s", PPP_CHAN_DEV);
	if (ppp_chan_open_dev(&c->chan_fd) < 0)
		goto fail_errno;
	snprintf(what, sizeof(what), "PPPIOCATTCHAN");
	if (ioctl(c->chan_fd, PPPIOCATTCHAN, &c->chan_index) < 0)
		goto fail_errno;
	return 0;
fail_errno:
	rc = -errno;
	ppp_chan_err(err, errsz, what, rc);
	ppp_chan_close(c);
	return rc;
}

int ppp_chan_open(struct ppp_chan *c, const struct ppp_chan_addr *a, char *err, size_t errsz)
{
	union {
		struct sockaddr_pppol2tp pl;	/* packed: reached through the union */
		struct sockaddr sa;
	} u;

	ppp_chan_sockaddr(&u.pl, a);
	return ppp_chan_attach(c, SOCK_DGRAM | SOCK_NONBLOCK, PX_PROTO_OL2TP, &u.sa, sizeof(u.pl),
			       "PPPoL2TP", err, errsz);
}

int ppp_chan_socket_open(const struct ppp_chan_addr *a, char *err, size_t errsz)
{
	union {
		struct sockaddr_pppol2tp pl;	/* packed: reached through the union */
		struct sockaddr sa;
	} u;
	int fd, rc;

	fd = socket(AF_PPPOX, SOCK_DGRAM | SOCK_CLOEXEC, PX_PROTO_OL2TP);
	if (fd < 0) {
		rc = -errno;
		ppp_chan_err(err, errsz, "PPPoL2TP socket", rc);
		return rc;
	}
	ppp_chan_sockaddr(&u.pl, a);
	if (connect(fd, &u.sa, sizeof(u.pl)) < 0) {
		rc = -errno;
		ppp_chan_err(err, errsz, "PPPoL2TP connect", rc);
		close(fd);
		return rc;
	}
	return fd;
}

/* A request's header and zeroed extra header (extra octets, ifinfomsg
 * or ifaddrmsg) at the start of buf, or NULL when buf cannot hold them. */
static struct nlmsghdr *ppp_chan_req_start(void *buf, size_t size, uint32_t seq, uint16_t type,
					   uint16_t flags, size_t extra)
{
	struct nlmsghdr *nlh;

	if (size < MNL_NLMSG_HDRLEN + MNL_ALIGN(extra))
		return NULL;
	memset(buf, 0, size);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	nlh->nlmsg_seq = seq;
	mnl_nlmsg_put_extra_header(nlh, extra);
	return nlh;
}

int ppp_chan_newlink_build(void *buf, size_t size, uint32_t seq, const char *ifname, int fd)
{
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;
	struct nlattr *info, *data;

	if (ifname == NULL || ifname[0] == '\0' || strlen(ifname) >= PPP_CHAN_IFNAMSIZ)
		return -EINVAL;
	nlh = ppp_chan_req_start(buf, size, seq, RTM_NEWLINK,
				 NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, sizeof(*ifi));
	if (nlh == NULL)
		return -EMSGSIZE;
	ifi = mnl_nlmsg_get_payload(nlh);
	ifi->ifi_family = AF_UNSPEC;
	if (!mnl_attr_put_strz_check(nlh, size, IFLA_IFNAME, ifname))
		return -EMSGSIZE;
	info = mnl_attr_nest_start_check(nlh, size, IFLA_LINKINFO);
	if (info == NULL || !mnl_attr_put_strz_check(nlh, size, IFLA_INFO_KIND, "ppp"))
		return -EMSGSIZE;
	data = mnl_attr_nest_start_check(nlh, size, IFLA_INFO_DATA);
	if (data == NULL || !mnl_attr_put_u32_check(nlh, size, IFLA_PPP_DEV_FD, (uint32_t)fd))
		return -EMSGSIZE;
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, info);
	return (int)nlh->nlmsg_len;
}

int ppp_chan_setlink_build(void *buf, size_t size, uint32_t seq, int ifindex, unsigned int mtu,
			   int up)
{
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;

	if (ifindex <= 0 || (mtu == 0 && up < 0))
		return -EINVAL;
	nlh = ppp_chan_req_start(buf, size, seq, RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK,
				 sizeof(*ifi));
	if (nlh == NULL)
		return -EMSGSIZE;
	ifi = mnl_nlmsg_get_payload(nlh);
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	if (up >= 0) {
		ifi->ifi_change = IFF_UP;
		ifi->ifi_flags = up ? IFF_UP : 0;
	}
	if (mtu && !mnl_attr_put_u32_check(nlh, size, IFLA_MTU, mtu))
		return -EMSGSIZE;
	return (int)nlh->nlmsg_len;
}

int ppp_chan_addr4_build(void *buf, size_t size, uint32_t seq, int ifindex, uint32_t local,
			 uint32_t peer)
{
	struct nlmsghdr *nlh;
	struct ifaddrmsg *ifa;

	if (ifindex <= 0 || local == 0 || peer == 0)
		return -EINVAL;
	nlh = ppp_chan_req_start(buf, size, seq, RTM_NEWADDR,
				 NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, sizeof(*ifa));
	if (nlh == NULL)
		return -EMSGSIZE;
	ifa = mnl_nlmsg_get_payload(nlh);
	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = 32;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	ifa->ifa_index = (uint32_t)ifindex;
	if (!mnl_attr_put_check(nlh, size, IFA_LOCAL, sizeof(local), &local) ||
	    !mnl_attr_put_check(nlh, size, IFA_ADDRESS, sizeof(peer), &peer))
		return -EMSGSIZE;
	return (int)nlh->nlmsg_len;
}

int ppp_chan_ifindex(const char *ifname, char *err, size_t errsz)
{
	unsigned int i;
	int rc;

	if (ifname == NULL || ifname[0] == '\0' || strlen(ifname) >= PPP_CHAN_IFNAMSIZ) {
		rc = -EINVAL;
	} else {
		i = if_nametoindex(ifname);
		if (i > 0 && i <= INT_MAX)
			return (int)i;
		rc = i > 0 || errno == 0 ? -ENODEV : -errno;
	}
	if (err != NULL && errsz > 0)
		snprintf(err, errsz, "link %s: %s", ifname ? ifname : "?", strerror(-rc));
	return rc;
}

/* A request built (len or -errno) sent through route: 0 or -errno, said in
 * err as "what: why (the kernel's words)". */
static int ppp_chan_route_send(struct nl_l2tp_sock *route, const uint32_t *req, int len,
			       const char *what, char *err, size_t errsz)
{
	struct nl_l2tp_reply r = { 0 };
	int rc = len;

	if (rc >= 0)
		rc = nl_l2tp_sock_transact(route, (const struct nlmsghdr *)req, &r);
	if (rc < 0 && err != NULL && errsz > 0)
		snprintf(err, errsz, "%s: %s%s%s%s", what, strerror(-rc), r.ext_msg[0] ? " (" : "",
			 r.ext_msg, r.ext_msg[0] ? ")" : "");
	return rc < 0 ? rc : 0;
}

int ppp_chan_link_set(struct nl_l2tp_sock *route, int ifindex, unsigned int mtu, int up,
		      char *err, size_t errsz)
{
	uint32_t req[NL_L2TP_REQ_MAX / 4];

	return ppp_chan_route_send(route, req,
				   ppp_chan_setlink_build(req, sizeof(req), nl_l2tp_sock_seq(route),
							  ifindex, mtu, up),
				   mtu ? "set mtu" : up ? "set up" : "set down", err, errsz);
}

int ppp_chan_addr4_add(struct nl_l2tp_sock *route, int ifindex, uint32_t local, uint32_t peer,
		       char *err, size_t errsz)
{
	uint32_t req[NL_L2TP_REQ_MAX / 4];

	return ppp_chan_route_send(route, req,
				   ppp_chan_addr4_build(req, sizeof(req), nl_l2tp_sock_seq(route),
							ifindex, local, peer),
				   "add address", err, errsz);
}

int ppp_chan_name_unit(const char *ifname)
{
	const char *p;
	long n = 0;

	if (ifname == NULL || strncmp(ifname, "ppp", 3) != 0 || ifname[3] == '\0')
		return -1;
	if (ifname[3] == '0' && ifname[4] != '\0')
		return -1;	/* "ppp07" is not what the kernel would call unit 7 */
	for (p = ifname + 3; *p; p++) {
		if (*p < '0' || *p > '9' || n > 99999999)
			return -1;
		n = n * 10 + (*p - '0');
	}
	return (int)n;
}

/* RTM_NEWLINK kind "ppp": the fresh /dev/ppp fd becomes the unit, named. */
static int ppp_chan_newlink(struct nl_l2tp_sock *route, const char *ifname, int fd,
			    char *ext, size_t extsz)
{
	uint32_t req[NL_L2TP_REQ_MAX / 4];
	struct nl_l2tp_reply r = { 0 };
	int rc;

	rc = ppp_chan_newlink_build(req, sizeof(req), nl_l2tp_sock_seq(route), ifname, fd);
	if (rc < 0)
		return rc;
	rc = nl_l2tp_sock_transact(route, (const struct nlmsghdr *)req, &r);
	snprintf(ext, extsz, "%s", r.ext_msg);
	return rc;
}

int ppp_chan_unit_open(struct ppp_chan *c, const char *ifname, struct nl_l2tp_sock *route,
		       char *err, size_t errsz)
{
	char ext[128] = "";
	const char *what;
	int rc, fd = -1, unit = -1, named = ifname != NULL && ifname[0] != '\0';

	if (c->chan_fd < 0 || c->unit_fd >= 0) {
		rc = c->chan_fd < 0 ? -ENOTCONN : -EEXIST;
		ppp_chan_err(err, errsz, "PPP unit", rc);
		return rc;
	}
	if (named && strlen(ifname) >= PPP_CHAN_IFNAMSIZ) {
		ppp_chan_err(err, errsz, "PPP unit name", -EINVAL);
		return -EINVAL;
	}
	what = "open " PPP_CHAN_DEV;
	rc = ppp_chan_open_dev(&fd);
	if (rc < 0)
		goto fail;
	rc = -EOPNOTSUPP;
	if (named && route != NULL) {
		what = "RTM_NEWLINK ppp";
		rc = ppp_chan_newlink(route, ifname, fd, ext, sizeof(ext));
		if (rc == 0) {
			what = "PPPIOCGUNIT";
			if (ioctl(fd, PPPIOCGUNIT, &unit) < 0) {
				rc = -errno;
				goto fail;
			}
		}
	}
	if (rc == -EOPNOTSUPP) {
		/* No name, or a kernel without RTM_NEWLINK for ppp: by number. */
		unit = named ? ppp_chan_name_unit(ifname) : -1;
		if (named && unit < 0) {
			what = "PPP unit name other than pppN";
			goto fail;	/* only RTM_NEWLINK can give it */
		}
		what = "PPPIOCNEWUNIT";
		rc = ioctl(fd, PPPIOCNEWUNIT, &unit) < 0 ? -errno : 0;
	}
	if (rc < 0)
		goto fail;
	what = "PPPIOCCONNECT";
	if (ioctl(c->chan_fd, PPPIOCCONNECT, &unit) < 0) {
		rc = -errno;
		goto fail;
	}
	c->unit_fd = fd;
	c->unit = unit;
	if (named)
		snprintf(c->ifname, sizeof(c->ifname), "%s", ifname);
	else
		snprintf(c->ifname, sizeof(c->ifname), "ppp%d", unit);
	return 0;
fail:
	if (fd >= 0)
		close(fd);	/* the unit, if made, goes with it */
	if (err != NULL && errsz > 0) {
		if (ext[0])
			snprintf(err, errsz, "%s: %s (%s)", what, strerror(-rc), ext);
		else
			ppp_chan_err(err, errsz, what, rc);
	}
	return rc;
}

int ppp_chan_set_mru(const struct ppp_chan *c, int mru)
{
	if (c->unit_fd < 0)
		return -ENOTCONN;
	if (ioctl(c->unit_fd, PPPIOCSMRU, &mru) < 0)
		return -errno;
	return 0;
}

ssize_t ppp_chan_read(int fd, uint16_t *proto, uint8_t *buf, size_t size)
{
	ssize_t n;
	size_t hl;

	do {
		n = read(fd, buf, size);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	if (n == 0)
		return -EPIPE;		/* the channel or unit is dead */
	/* RFC 1661 §2: a protocol's low byte is odd, its high byte even. */
	if (buf[0] & 1) {
		hl = 1;
		*proto = buf[0];
	} else {
		if (n < 2 || !(buf[1] & 1))
			return -EBADMSG;
		hl = 2;
		*proto = (uint16_t)(buf[0] << 8 | buf[1]);
	}
	memmove(buf, buf + hl, (size_t)n - hl);
	return n - (ssize_t)hl;
}

int ppp_chan_write(int fd, uint16_t proto, const uint8_t *payload, size_t len)
{
	uint8_t sbuf[PPP_CHAN_WBUF], *f = sbuf;
	ssize_t n;
	int rc = 0;

	/* /dev/ppp has no writev: one frame must be one write(). */
	if (len + 2 > sizeof(sbuf)) {
		f = malloc(len + 2);
		if (f == NULL)
			return -ENOMEM;
	}
	f[0] = (uint8_t)(proto >> 8);
	f[1] = (uint8_t)proto;
	if (len)
		memcpy(f + 2, payload, len);
	do {
		n = write(fd, f, len + 2);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		rc = errno == EWOULDBLOCK ? -EAGAIN : -errno;
	else if ((size_t)n != len + 2)
		rc = -EIO;
	if (f != sbuf)
		free(f);
	return rc;
}

int ppp_chan_fd_for(const struct ppp_chan *c, uint16_t proto)
{
	/* Without a unit, the kernel queues every protocol on the channel. */
	if (proto >= 0xc000 || c->unit_fd < 0)
		return c->chan_fd;
	return c->unit_fd;
}

void ppp_chan_unit_close(struct ppp_chan *c)
{
	if (c->unit_fd >= 0 && c->chan_fd >= 0)
		(void)ioctl(c->chan_fd, PPPIOCDISCONN);
	ppp_chan_closefd(&c->unit_fd);
	c->unit = -1;
	c->ifname[0] = '\0';
}

void ppp_chan_forget(struct ppp_chan *c)
{
	ppp_chan_closefd(&c->unit_fd);
	ppp_chan_closefd(&c->chan_fd);
	ppp_chan_closefd(&c->pppox_fd);
	c->chan_index = c->unit = -1;
	c->ifname[0] = '\0';
}

void ppp_chan_close(struct ppp_chan *c)
{
	ppp_chan_unit_close(c);
	ppp_chan_closefd(&c->chan_fd);
	ppp_chan_closefd(&c->pppox_fd);	/* last: the kernel session goes with it */
	c->chan_index = -1;
}
