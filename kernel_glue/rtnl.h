/*
 * Links, addresses and routes through libnl-route-3: what a PPP unit needs
 * once it exists (kernel-api.md step 6) and what tear-down must undo.
 *
 * Every call returns 0 (or an ifindex) or a negative errno; err, when not
 * NULL, receives one line saying what failed.  libnl's own error codes
 * never leave this file.  Names are rtnl_ctx_* so as not to collide with
 * libnl's rtnl_link_*, rtnl_addr_*, rtnl_route_*.
 */
#ifndef RTNL_H
#define RTNL_H

#include <stddef.h>
#include <stdint.h>

struct rtnl_ctx;

int rtnl_ctx_open(struct rtnl_ctx **out, char *err, size_t errsz);
void rtnl_ctx_close(struct rtnl_ctx *r);

/* libnl's -NLE_* -> -errno (-EIO for what has no better match). */
int rtnl_ctx_errno(int nlerr);

/* The ifindex of a link by name: > 0, or -ENODEV. */
int rtnl_ctx_ifindex(struct rtnl_ctx *r, const char *name, char *err, size_t errsz);

/* A link by ifindex, or by name when ifindex is 0. */
int rtnl_ctx_set_mtu(struct rtnl_ctx *r, int ifindex, const char *name, unsigned int mtu,
		     char *err, size_t errsz);
int rtnl_ctx_set_up(struct rtnl_ctx *r, int ifindex, const char *name, int up,
		    char *err, size_t errsz);
/* IFLA_GROUP (the interface group nftables' iifgroup/oifgroup match); not 0. */
int rtnl_ctx_set_group(struct rtnl_ctx *r, int ifindex, const char *name, uint32_t group,
		       char *err, size_t errsz);

/* A /32 point-to-point address: IFA_LOCAL ours, IFA_ADDRESS the peer (network order). */
int rtnl_ctx_addr4_add(struct rtnl_ctx *r, int ifindex, uint32_t local, uint32_t peer,
		       char *err, size_t errsz);

/* dst/plen (network order; host bits are cleared) via the interface, main table. */
int rtnl_ctx_route4_add(struct rtnl_ctx *r, int ifindex, uint32_t dst, unsigned int plen,
			char *err, size_t errsz);
int rtnl_ctx_route4_del(struct rtnl_ctx *r, int ifindex, uint32_t dst, unsigned int plen,
			char *err, size_t errsz);

/* An IPv6 dst/plen (host bits cleared) via the interface, main table: to
 * gw when not NULL (a delegated prefix or a Framed-IPv6-Route to the
 * subscriber's link-local address, or RADIUS's gateway), else on-link (the
 * link's /64); with priority metric when not 0. */
struct rtnl_route6 {
	const uint8_t *dst;		/* 16 octets */
	unsigned int plen;
	const uint8_t *gw;		/* 16 octets, or NULL */
	uint32_t metric;
};
int rtnl_ctx_route6_add(struct rtnl_ctx *r, int ifindex, const struct rtnl_route6 *rt,
			char *err, size_t errsz);
int rtnl_ctx_route6_del(struct rtnl_ctx *r, int ifindex, const struct rtnl_route6 *rt,
			char *err, size_t errsz);

/*
 * The requests themselves, built without a socket (for the tests) and
 * copied into buf: the length, or -EINVAL / -EMSGSIZE.  The socket layer
 * adds NLM_F_REQUEST, NLM_F_ACK, sequence number and port id when sending.
 * mtu 0 / up < 0 / group 0: unchanged.
 */
int rtnl_ctx_link_build(void *buf, size_t size, int ifindex, unsigned int mtu, int up,
			uint32_t group);
int rtnl_ctx_addr4_build(void *buf, size_t size, int add, int ifindex, uint32_t local,
			 uint32_t peer);
int rtnl_ctx_route4_build(void *buf, size_t size, int add, int ifindex, uint32_t dst,
			  unsigned int plen);
int rtnl_ctx_route6_build(void *buf, size_t size, int add, int ifindex,
			  const struct rtnl_route6 *rt);

#endif
