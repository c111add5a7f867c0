/*
 * IPv6 prefix pools (`ipv6 local pool NAME PREFIX/LEN ASSIGN-LEN`): a
 * bitmap per pool of its 2^(ASSIGN-LEN - LEN) prefixes, built from the
 * configuration at start, as core/ippool.h does for IPv4 addresses.  The
 * pools are a list the caller keeps (the daemon's d->pools6).  A pool of
 * /128s (addresses for DHCPv6 IA_NA) never gives the address whose
 * interface identifier is zero: RFC 4291 §2.6.1's Subnet-Router anycast.
 */
#ifndef L2TP_IPV6_POOL_H
#define L2TP_IPV6_POOL_H

#include <stdint.h>

#include "ipv6/pkt.h"

struct l2tpd_config;

struct ipv6_pool {
	struct ipv6_pool *next;
	char name[64];
	uint8_t prefix[IPV6_ADDR_LEN];
	uint8_t len;
	uint8_t assign;		/* the length of each prefix given */
	uint32_t slots;		/* 2^(assign - len): the bitmap's indices */
	uint32_t size;		/* of those, the ones given out */
	uint32_t in_use;
	int anycast;		/* index 0 is the Subnet-Router anycast address: held */
	uint32_t cursor;	/* next index to try: spreads reuse of freed prefixes */
	uint64_t exhausted;	/* allocations refused: pool empty */
	uint8_t *bits;
};

/* Build *pools from cfg->pools6 (freeing what was there): 0 or -ENOMEM
 * (then *pools is empty), -EINVAL for a pool the configuration should
 * have refused (assign < len or too many prefixes). */
int ipv6_pool_setup(struct ipv6_pool **pools, const struct l2tpd_config *cfg);
void ipv6_pool_teardown(struct ipv6_pool **pools);
struct ipv6_pool *ipv6_pool_find(struct ipv6_pool *pools, const char *name);
/* A prefix from pool `name` (out, its length in *plen): 0, -ENOENT (no
 * such pool), -ENOSPC (empty, counted). */
int ipv6_pool_alloc(struct ipv6_pool *pools, const char *name, uint8_t out[IPV6_ADDR_LEN],
		    uint8_t *plen);
/* Take a given prefix out of the pool (from RADIUS or a checkpoint): 0,
 * -ENOENT, -ERANGE (not one of the pool's prefixes), -EEXIST. */
int ipv6_pool_reserve(struct ipv6_pool *pools, const char *name, const uint8_t p[IPV6_ADDR_LEN],
		      uint8_t plen);
/* Give a prefix back: 0, or -ENOENT / -ERANGE / -EALREADY (not taken). */
int ipv6_pool_free(struct ipv6_pool *pools, const char *name, const uint8_t p[IPV6_ADDR_LEN],
		   uint8_t plen);
/* Prefixes in use in pool `name`: 0 or more, -ENOENT when there is none. */
long ipv6_pool_in_use(struct ipv6_pool *pools, const char *name);
/* "2001:db8::/56" into out (INET6_ADDRSTRLEN + 4 octets). */
void ipv6_prefix_format(const uint8_t p[IPV6_ADDR_LEN], uint8_t len, char *out, size_t cap);

#endif
