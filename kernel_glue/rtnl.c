/*
 * Links, addresses and routes through libnl-route-3.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <net/if.h>		/* before libnl's linux headers: libc-compat */
#include <netinet/in.h>
#include <netlink/errno.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/nexthop.h>
#include <netlink/route/route.h>
#include <linux/rtnetlink.h>
#include "common/util.h"
#include "kernel_glue/rtnl.h"

#define RTNL_CTX_TIMEOUT_S	2

struct rtnl_ctx {
	struct nl_sock *sk;
	int kernel_errno;		/* the last request's, as the kernel said it; 0 */
};

static const int rtnl_ctx_errnos[] = {
	[NLE_SUCCESS] = 0,
	[NLE_FAILURE] = EIO,
	[NLE_INTR] = EINTR,
	[NLE_BAD_SOCK] = EBADF,
	[NLE_AGAIN] = EAGAIN,
	[NLE_NOMEM] = ENOMEM,
	[NLE_EXIST] = EEXIST,
	[NLE_INVAL] = EINVAL,
	[NLE_RANGE] = ERANGE,
	[NLE_MSGSIZE] = EMSGSIZE,
	[NLE_OPNOTSUPP] = EOPNOTSUPP,
	[NLE_AF_NOSUPPORT] = EAFNOSUPPORT,
	[NLE_OBJ_NOTFOUND] = ENOENT,
	[NLE_NOATTR] = ENOENT,
	[NLE_MISSING_ATTR] = EINVAL,
	[NLE_AF_MISMATCH] = EINVAL,
	[NLE_SEQ_MISMATCH] = EPROTO,
	[NLE_MSG_OVERFLOW] = EOVERFLOW,
	[NLE_MSG_TRUNC] = EMSGSIZE,
	[NLE_NOADDR] = EADDRNOTAVAIL,
	[NLE_SRCRT_NOSUPPORT] = EOPNOTSUPP,
	[NLE_MSG_TOOSHORT] = EBADMSG,
	[NLE_MSGTYPE_NOSUPPORT] = EOPNOTSUPP,
	[NLE_OBJ_MISMATCH] = EINVAL,
	[NLE_NOCACHE] = ENOENT,
	[NLE_BUSY] = EBUSY,
	[NLE_PROTO_MISMATCH] = EPROTONOSUPPORT,
	[NLE_NOACCESS] = EACCES,
	[NLE_PERM] = EPERM,
	[NLE_PKTLOC_FILE] = ENOENT,
	[NLE_PARSE_ERR] = EBADMSG,
	[NLE_NODEV] = ENODEV,
	[NLE_IMMUTABLE] = EPERM,
	[NLE_DUMP_INTR] = EINTR,
	[NLE_ATTRSIZE] = ERANGE,
};

int rtnl_ctx_errno(int nlerr)
{
	unsigned int i = (unsigned int)(nlerr < 0 ? -nlerr : nlerr);

	if (i >= ARRAY_SIZE(rtnl_ctx_errnos))
		return -EIO;
	if (i != 0 && rtnl_ctx_errnos[i] == 0)
		return -EIO;
	return -rtnl_ctx_errnos[i];
}

static void rtnl_ctx_err(char *err, size_t errsz, const char *what, int rc)
{
	if (err != NULL && errsz > 0)
		snprintf(err, errsz, "%s: %s", what, strerror(-rc));
}

/* The kernel's refusal, kept: libnl maps errnos it has no code for
 * (ENETDOWN, "Nexthop device is not up") to NLE_FAILURE, which says
 * nothing.  The request still fails as libnl would make it (NL_STOP). */
static int rtnl_ctx_err_cb(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct rtnl_ctx *r = arg;

	(void)nla;
	r->kernel_errno = e->error < 0 ? -e->error : e->error;
	return NL_STOP;
}

int rtnl_ctx_open(struct rtnl_ctx **out, char *err, size_t errsz)
{
	struct timeval tv = { .tv_sec = RTNL_CTX_TIMEOUT_S };
	struct rtnl_ctx *r;
	int rc, fd;

	*out = NULL;
	r = calloc(1, sizeof(*r));
	if (r == NULL)
		return -ENOMEM;
	r->sk = nl_socket_alloc();
	if (r->sk == NULL) {
		rc = -ENOMEM;
		goto fail;
	}
	rc = nl_socket_modify_err_cb(r->sk, NL_CB_CUSTOM, rtnl_ctx_err_cb, r);
	if (rc < 0) {
		rc = rtnl_ctx_errno(rc);
		goto fail;
	}
	rc = nl_connect(r->sk, NETLINK_ROUTE);
	if (rc < 0) {
		rc = rtnl_ctx_errno(rc);
		goto fail;
	}
	fd = nl_socket_get_fd(r->sk);
	if (fcntl(fd, F_SETFD, FD_CLOEXEC) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0) {
		rc = -errno;
		goto fail;
	}
	*out = r;
	return 0;
fail:
	rtnl_ctx_err(err, errsz, "rtnetlink socket", rc);
	rtnl_ctx_close(r);
	return rc;
}

void rtnl_ctx_close(struct rtnl_ctx *r)
{
	if (r == NULL)
		return;
	if (r->sk)
		nl_socket_free(r->sk);	/* closes the socket */
	free(r);
}

/* Send a built request and wait for the acknowledgement; msg is consumed.
 * A refusal is the kernel's own errno. */
static int rtnl_ctx_send(struct rtnl_ctx *r, struct nl_msg *msg, const char *what,
			 char *err, size_t errsz)
{
	int rc;

	r->kernel_errno = 0;
	rc = nl_send_sync(r->sk, msg);
	if (rc < 0) {
		rc = r->kernel_errno ? -r->kernel_errno : rtnl_ctx_errno(rc);
		rtnl_ctx_err(err, errsz, what, rc);
		return rc;
	}
	return 0;
}

int rtnl_ctx_ifindex(struct rtnl_ctx *r, const char *name, char *err, size_t errsz)
{
	struct rtnl_link *link = NULL;
	char what[64];
	int rc;

	snprintf(what, sizeof(what), "link %s", name ? name : "?");
	if (name == NULL || name[0] == '\0' || strlen(name) >= IFNAMSIZ) {
		rtnl_ctx_err(err, errsz, what, -EINVAL);
		return -EINVAL;
	}
	rc = rtnl_link_get_kernel(r->sk, 0, name, &link);
	if (rc < 0) {
		rc = rtnl_ctx_errno(rc);
		if (rc == -ENOENT)
			rc = -ENODEV;
		rtnl_ctx_err(err, errsz, what, rc);
		return rc;
	}
	rc = rtnl_link_get_ifindex(link);
	rtnl_link_put(link);
	if (rc <= 0) {
		rtnl_ctx_err(err, errsz, what, -ENODEV);
		return -ENODEV;
	}
	return rc;
}

static int rtnl_ctx_link_msg(int ifindex, unsigned int mtu, int up, uint32_t group,
			     struct nl_msg **out)
{
	struct rtnl_link *orig = rtnl_link_alloc(), *chg = rtnl_link_alloc();
	int rc = -ENOMEM;

	*out = NULL;
	if (ifindex <= 0) {
		rc = -EINVAL;
		goto out;
	}
	if (orig == NULL || chg == NULL)
		goto out;
	rtnl_link_set_ifindex(orig, ifindex);
	if (mtu)
		rtnl_link_set_mtu(chg, mtu);
	if (up > 0)
		rtnl_link_set_flags(chg, IFF_UP);
	else if (up == 0)
		rtnl_link_unset_flags(chg, IFF_UP);
	if (group)
		rtnl_link_set_group(chg, group);
	rc = rtnl_link_build_change_request(orig, chg, 0, out);
	if (rc < 0)
		rc = rtnl_ctx_errno(rc);
out:
	if (orig)
		rtnl_link_put(orig);
	if (chg)
		rtnl_link_put(chg);
	return rc;
}

/* ifindex, or name's when ifindex is 0. */
static int rtnl_ctx_link_index(struct rtnl_ctx *r, int ifindex, const char *name,
			       char *err, size_t errsz)
{
	if (ifindex > 0)
		return ifindex;
	return rtnl_ctx_ifindex(r, name, err, errsz);
}

static int rtnl_ctx_link_change(struct rtnl_ctx *r, int ifindex, const char *name,
				unsigned int mtu, int up, uint32_t group, const char *what, char *err,
				size_t errsz)
{
	struct nl_msg *msg;
	int rc;

	rc = rtnl_ctx_link_index(r, ifindex, name, err, errsz);
	if (rc < 0)
		return rc;
	rc = rtnl_ctx_link_msg(rc, mtu, up, group, &msg);
	if (rc < 0) {
		rtnl_ctx_err(err, errsz, what, rc);
		return rc;
	}
	return rtnl_ctx_send(r, msg, what, err, errsz);
}

int rtnl_ctx_set_mtu(struct rtnl_ctx *r, int ifindex, const char *name, unsigned int mtu,
		     char *err, size_t errsz)
{
	if (mtu == 0) {
		rtnl_ctx_err(err, errsz, "set mtu", -EINVAL);
		return -EINVAL;
	}
	return rtnl_ctx_link_change(r, ifindex, name, mtu, -1, 0, "set mtu", err, errsz);
}

int rtnl_ctx_set_up(struct rtnl_ctx *r, int ifindex, const char *name, int up,
		    char *err, size_t errsz)
{
	return rtnl_ctx_link_change(r, ifindex, name, 0, up != 0, 0,
				    up ? "set up" : "set down", err, errsz);
}

int rtnl_ctx_set_group(struct rtnl_ctx *r, int ifindex, const char *name, uint32_t group,
		       char *err, size_t errsz)
{
	if (group == 0) {
		rtnl_ctx_err(err, errsz, "set group", -EINVAL);
		return -EINVAL;
	}
	return rtnl_ctx_link_change(r, ifindex, name, 0, -1, group, "set group", err, errsz);
}

static struct nl_addr *rtnl_ctx_inaddr(uint32_t a, unsigned int plen)
{
	struct nl_addr *na = nl_addr_build(AF_INET, &a, sizeof(a));

	if (na)
		nl_addr_set_prefixlen(na, (int)plen);
	return na;
}

static int rtnl_ctx_addr4_msg(int add, int ifindex, uint32_t local, uint32_t peer,
			      struct nl_msg **out)
{
	struct rtnl_addr *a = rtnl_addr_alloc();
	/* libnl refuses a local address with a prefix length once a peer is set:
	 * the prefix comes from the peer. */
	struct nl_addr *l = rtnl_ctx_inaddr(local, 0), *p = rtnl_ctx_inaddr(peer, 32);
	int rc = -ENOMEM;

	*out = NULL;
	if (ifindex <= 0 || local == 0 || peer == 0) {
		rc = -EINVAL;
		goto out;
	}
	if (a == NULL || l == NULL || p == NULL)
		goto out;
	rtnl_addr_set_ifindex(a, ifindex);
	rtnl_addr_set_family(a, AF_INET);
	rc = rtnl_addr_set_peer(a, p);
	if (rc >= 0)
		rc = rtnl_addr_set_local(a, l);
	if (rc < 0) {
		rc = rtnl_ctx_errno(rc);
		goto out;
	}
	rtnl_addr_set_prefixlen(a, 32);
	rc = add ? rtnl_addr_build_add_request(a, NLM_F_EXCL, out) :
		rtnl_addr_build_delete_request(a, 0, out);
	if (rc < 0)
		rc = rtnl_ctx_errno(rc);
out:
	if (l)
		nl_addr_put(l);
	if (p)
		nl_addr_put(p);
	if (a)
		rtnl_addr_put(a);
	return rc;
}

/* A request built (rc, msg) sent, or its failure said in err. */
static int rtnl_ctx_req_send(struct rtnl_ctx *r, int rc, struct nl_msg *msg, int add,
			     const char *what, char *err, size_t errsz)
{
	char w[32];

	snprintf(w, sizeof(w), "%s %s", add ? "add" : "delete", what);
	if (rc < 0) {
		rtnl_ctx_err(err, errsz, w, rc);
		return rc;
	}
	return rtnl_ctx_send(r, msg, w, err, errsz);
}

static int rtnl_ctx_addr4(struct rtnl_ctx *r, int add, int ifindex, uint32_t local,
			  uint32_t peer, char *err, size_t errsz)
{
	struct nl_msg *msg;
	int rc = rtnl_ctx_addr4_msg(add, ifindex, local, peer, &msg);

	return rtnl_ctx_req_send(r, rc, msg, add, "address", err, errsz);
}

int rtnl_ctx_addr4_add(struct rtnl_ctx *r, int ifindex, uint32_t local, uint32_t peer,
		       char *err, size_t errsz)
{
	return rtnl_ctx_addr4(r, 1, ifindex, local, peer, err, errsz);
}

/* A route to dst via ifindex (to gw, 16 octets, when not NULL; with
 * priority metric when not 0), main table, static: the request into *out.
 * IPv4 routes are on-link (scope link), IPv6 ones global. */
static int rtnl_ctx_route_msg(int add, int family, int ifindex, struct nl_addr *dst,
			      const uint8_t *gw, uint32_t metric, struct nl_msg **out)
{
	struct rtnl_route *rt = rtnl_route_alloc();
	struct rtnl_nexthop *nh = rtnl_route_nh_alloc();
	struct nl_addr *g = gw ? nl_addr_build(AF_INET6, gw, 16) : NULL;
	int rc = -ENOMEM;

	if (rt == NULL || nh == NULL || dst == NULL || (gw && g == NULL))
		goto out;
	rtnl_route_set_family(rt, (uint8_t)family);
	rtnl_route_set_table(rt, RT_TABLE_MAIN);
	rtnl_route_set_scope(rt, family == AF_INET ? RT_SCOPE_LINK : RT_SCOPE_UNIVERSE);
	rtnl_route_set_protocol(rt, RTPROT_STATIC);
	rtnl_route_set_type(rt, RTN_UNICAST);
	if (metric)
		rtnl_route_set_priority(rt, metric);
	rc = rtnl_route_set_dst(rt, dst);
	if (rc < 0) {
		rc = rtnl_ctx_errno(rc);
		goto out;
	}
	if (g)
		rtnl_route_nh_set_gateway(nh, g);
	rtnl_route_nh_set_ifindex(nh, ifindex);
	rtnl_route_add_nexthop(rt, nh);
	nh = NULL;		/* the route owns it now */
	rc = add ? rtnl_route_build_add_request(rt, NLM_F_EXCL, out) :
		rtnl_route_build_del_request(rt, 0, out);
	if (rc < 0)
		rc = rtnl_ctx_errno(rc);
out:
	if (g)
		nl_addr_put(g);
	if (nh)
		rtnl_route_nh_free(nh);
	if (rt)
		rtnl_route_put(rt);
	return rc;
}

static int rtnl_ctx_route4_msg(int add, int ifindex, uint32_t dst, unsigned int plen,
			       struct nl_msg **out)
{
	struct nl_addr *d;
	uint32_t mask;
	int rc;

	*out = NULL;
	if (ifindex <= 0 || plen > 32)
		return -EINVAL;
	mask = plen ? htonl(0xffffffffu << (32 - plen)) : 0;
	d = rtnl_ctx_inaddr(dst & mask, plen);
	rc = rtnl_ctx_route_msg(add, AF_INET, ifindex, d, NULL, 0, out);
	if (d)
		nl_addr_put(d);
	return rc;
}

int rtnl_ctx_route4_add(struct rtnl_ctx *r, int ifindex, uint32_t dst, unsigned int plen,
			char *err, size_t errsz)
{
	struct nl_msg *msg;
	int rc = rtnl_ctx_route4_msg(1, ifindex, dst, plen, &msg);

	return rtnl_ctx_req_send(r, rc, msg, 1, "route", err, errsz);
}

int rtnl_ctx_route4_del(struct rtnl_ctx *r, int ifindex, uint32_t dst, unsigned int plen,
			char *err, size_t errsz)
{
	struct nl_msg *msg;
	int rc = rtnl_ctx_route4_msg(0, ifindex, dst, plen, &msg);

	return rtnl_ctx_req_send(r, rc, msg, 0, "route", err, errsz);
}

/* The IPv6 destination, host bits cleared. */
static struct nl_addr *rtnl_ctx_in6addr(const uint8_t dst[16], unsigned int plen)
{
	uint8_t m[16];
	struct nl_addr *d;

	for (unsigned int i = 0; i < 16; i++) {
		unsigned int bits = plen > i * 8 ? plen - i * 8 : 0;

		m[i] = bits >= 8 ? dst[i] : (uint8_t)(dst[i] & (0xff00u >> bits));
	}
	d = nl_addr_build(AF_INET6, m, sizeof(m));
	if (d)
		nl_addr_set_prefixlen(d, (int)plen);
	return d;
}

static int rtnl_ctx_route6_msg(int add, int ifindex, const struct rtnl_route6 *rt,
			       struct nl_msg **out)
{
	struct nl_addr *d;
	int rc;

	*out = NULL;
	if (ifindex <= 0 || rt->plen > 128)
		return -EINVAL;
	d = rtnl_ctx_in6addr(rt->dst, rt->plen);
	rc = rtnl_ctx_route_msg(add, AF_INET6, ifindex, d, rt->gw, rt->metric, out);
	if (d)
		nl_addr_put(d);
	return rc;
}

int rtnl_ctx_route6_add(struct rtnl_ctx *r, int ifindex, const struct rtnl_route6 *rt,
			char *err, size_t errsz)
{
	struct nl_msg *msg;
	int rc = rtnl_ctx_route6_msg(1, ifindex, rt, &msg);

	return rtnl_ctx_req_send(r, rc, msg, 1, "IPv6 route", err, errsz);
}

int rtnl_ctx_route6_del(struct rtnl_ctx *r, int ifindex, const struct rtnl_route6 *rt,
			char *err, size_t errsz)
{
	struct nl_msg *msg;
	int rc = rtnl_ctx_route6_msg(0, ifindex, rt, &msg);

	return rtnl_ctx_req_send(r, rc, msg, 0, "IPv6 route", err, errsz);
}

/* ---- the same requests into a caller's buffer ---------------------------------- */

static int rtnl_ctx_copy(int rc, struct nl_msg *msg, void *buf, size_t size)
{
	struct nlmsghdr *nlh;

	if (rc < 0)
		return rc;
	nlh = nlmsg_hdr(msg);
	if (nlh->nlmsg_len > size) {
		rc = -EMSGSIZE;
	} else {
		memcpy(buf, nlh, nlh->nlmsg_len);
		rc = (int)nlh->nlmsg_len;
	}
	nlmsg_free(msg);
	return rc;
}

int rtnl_ctx_link_build(void *buf, size_t size, int ifindex, unsigned int mtu, int up,
			uint32_t group)
{
	struct nl_msg *msg;
	int rc = rtnl_ctx_link_msg(ifindex, mtu, up, group, &msg);

	return rtnl_ctx_copy(rc, msg, buf, size);
}

int rtnl_ctx_addr4_build(void *buf, size_t size, int add, int ifindex, uint32_t local,
			 uint32_t peer)
{
	struct nl_msg *msg;
	int rc = rtnl_ctx_addr4_msg(add, ifindex, local, peer, &msg);

	return rtnl_ctx_copy(rc, msg, buf, size);
}

int rtnl_ctx_route4_build(void *buf, size_t size, int add, int ifindex, uint32_t dst,
			  unsigned int plen)
{
	struct nl_msg *msg;
	int rc = rtnl_ctx_route4_msg(add, ifindex, dst, plen, &msg);

	return rtnl_ctx_copy(rc, msg, buf, size);
}

int rtnl_ctx_route6_build(void *buf, size_t size, int add, int ifindex,
			  const struct rtnl_route6 *rt)
{
	struct nl_msg *msg;
	int rc = rtnl_ctx_route6_msg(add, ifindex, rt, &msg);

	return rtnl_ctx_copy(rc, msg, buf, size);
}
