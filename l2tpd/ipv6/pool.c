/*
 * IPv6 prefix pools (see ipv6/pool.h).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/bitmap.h"
#include "core/config.h"
#include "ipv6/pool.h"

/* Is the interface identifier (the low 64 bits) of a zero?  The pool's
 * bits past its length are zero already (the configuration checks it). */
static int ipv6_pool_iid_zero(const uint8_t a[IPV6_ADDR_LEN])
{
	static const uint8_t zero[8];

	return memcmp(a + 8, zero, sizeof(zero)) == 0;
}

static struct ipv6_pool *ipv6_pool_new(const struct config_pool6 *cp)
{
	unsigned width = (unsigned)cp->assign - cp->len;	/* checked by the caller */
	struct ipv6_pool *p = calloc(1, sizeof(*p));

	if (p == NULL)
		return NULL;
	p->slots = 1u << width;
	p->size = p->slots;
	p->bits = calloc((p->slots + 7) / 8, 1);
	if (p->bits == NULL) {
		free(p);
		return NULL;
	}
	memcpy(p->prefix, cp->prefix, IPV6_ADDR_LEN);
	p->len = cp->len;
	p->assign = cp->assign;
	/* RFC 4291 §2.6.1: the address of a /64 with a zero interface
	 * identifier is its Subnet-Router anycast address, not a host's */
	if (p->assign == 128 && p->len >= 64 && ipv6_pool_iid_zero(p->prefix)) {
		p->anycast = 1;
		p->bits[0] = 1;
		p->size--;
	}
	snprintf(p->name, sizeof(p->name), "%s", cp->name);
	return p;
}

int ipv6_pool_setup(struct ipv6_pool **pools, const struct l2tpd_config *cfg)
{
	const struct config_pool6 *cp;

	ipv6_pool_teardown(pools);
	TAILQ_FOREACH(cp, &cfg->pools6, link) {
		struct ipv6_pool *p;

		/* the configuration refuses these; a pool built anyway would
		 * hand out prefixes outside itself */
		if (cp->assign < cp->len || cp->assign > 128 ||
		    (unsigned)cp->assign - cp->len > CONFIG_POOL6_MAX_BITS) {
			ipv6_pool_teardown(pools);
			return -EINVAL;
		}
		p = ipv6_pool_new(cp);
		if (p == NULL) {
			ipv6_pool_teardown(pools);
			return -ENOMEM;
		}
		p->next = *pools;
		*pools = p;
	}
	return 0;
}

void ipv6_pool_teardown(struct ipv6_pool **pools)
{
	struct ipv6_pool *p;

	while ((p = *pools) != NULL) {
		*pools = p->next;
		free(p->bits);
		free(p);
	}
}

struct ipv6_pool *ipv6_pool_find(struct ipv6_pool *pools, const char *name)
{
	struct ipv6_pool *p;

	for (p = pools; p != NULL; p = p->next)
		if (strcmp(p->name, name) == 0)
			return p;
	return NULL;
}

/* The i-th prefix: the pool's prefix with i in bits len..assign-1. */
static void ipv6_pool_prefix(const struct ipv6_pool *p, uint32_t i, uint8_t out[IPV6_ADDR_LEN])
{
	unsigned b;

	memcpy(out, p->prefix, IPV6_ADDR_LEN);
	for (b = 0; b < (unsigned)(p->assign - p->len); b++) {
		unsigned pos = p->assign - 1 - b;	/* from the most significant bit */

		if (i >> b & 1)
			out[pos / 8] |= (uint8_t)(0x80 >> (pos % 8));
	}
}

/* The index of prefix a/plen in p: 0 (in *i) or -ERANGE. */
static int ipv6_pool_index(const struct ipv6_pool *p, const uint8_t a[IPV6_ADDR_LEN], uint8_t plen,
			   uint32_t *i)
{
	uint8_t back[IPV6_ADDR_LEN];
	unsigned b;

	if (plen != p->assign || !ipv6_prefix_match(a, p->prefix, p->len))
		return -ERANGE;
	*i = 0;
	*i = 0;
	for (b = 0; b < (unsigned)(p->assign - p->len); b++) {
		unsigned pos = p->assign - 1 - b;

		if (a[pos / 8] & (0x80 >> (pos % 8)))
			*i |= 1u << b;
	}
	/* bits past the prefix length must be zero: a/plen is that prefix */
	ipv6_pool_prefix(p, *i, back);
	if (p->anycast && *i == 0)
		return -ERANGE;	/* never one of the pool's to give */
	return memcmp(back, a, IPV6_ADDR_LEN) == 0 ? 0 : -ERANGE;
}

int ipv6_pool_alloc(struct ipv6_pool *pools, const char *name, uint8_t out[IPV6_ADDR_LEN],
		    uint8_t *plen)
{
	struct ipv6_pool *p = ipv6_pool_find(pools, name);
	uint32_t i;

	if (p == NULL)
		return -ENOENT;
	if (p->in_use >= p->size) {
		p->exhausted++;
		return -ENOSPC;
	}
	/* the anycast index 0, when held, is marked used from the start */
	if (bitmap_take(p->bits, p->slots, &p->cursor, &i) < 0)
		return -ENOSPC;	/* not reached: in_use < size */
	p->in_use++;
	ipv6_pool_prefix(p, i, out);
	*plen = p->assign;
	return 0;
}

/* Prefix a/plen of the pool called name marked used (1) or free (0):
 * 0, -ENOENT (no such pool), -ERANGE (not one of its prefixes), or
 * -EEXIST / -EALREADY when it was used / free already. */
static int ipv6_pool_mark(struct ipv6_pool *pools, const char *name,
			  const uint8_t a[IPV6_ADDR_LEN], uint8_t plen, int used)
{
	struct ipv6_pool *p = ipv6_pool_find(pools, name);
	uint32_t i;
	int rc;

	if (p == NULL)
		return -ENOENT;
	rc = ipv6_pool_index(p, a, plen, &i);
	if (rc < 0)
		return rc;
	if (bitmap_get(p->bits, i) == used)
		return used ? -EEXIST : -EALREADY;
	bitmap_put(p->bits, i, used);
	if (used)
		p->in_use++;
	else
		p->in_use--;
	return 0;
}

int ipv6_pool_reserve(struct ipv6_pool *pools, const char *name, const uint8_t a[IPV6_ADDR_LEN],
		      uint8_t plen)
{
	return ipv6_pool_mark(pools, name, a, plen, 1);
}

int ipv6_pool_free(struct ipv6_pool *pools, const char *name, const uint8_t a[IPV6_ADDR_LEN],
		   uint8_t plen)
{
	return ipv6_pool_mark(pools, name, a, plen, 0);
}

long ipv6_pool_in_use(struct ipv6_pool *pools, const char *name)
{
	struct ipv6_pool *p = ipv6_pool_find(pools, name);

	return p != NULL ? (long)p->in_use : -ENOENT;
}

void ipv6_prefix_format(const uint8_t p[IPV6_ADDR_LEN], uint8_t len, char *out, size_t cap)
{
	char a[INET6_ADDRSTRLEN];

	if (inet_ntop(AF_INET6, p, a, sizeof(a)) == NULL)
		snprintf(a, sizeof(a), "?");
	snprintf(out, cap, "%s/%u", a, len);
}
