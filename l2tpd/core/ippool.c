/*
 * IPv4 address pools.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/bitmap.h"
#include "core/config.h"
#include "core/ippool.h"

int ippool_setup(struct ippool **pools, const struct l2tpd_config *cfg)
{
	const struct config_pool *cp;

	ippool_teardown(pools);
	TAILQ_FOREACH(cp, &cfg->pools, link) {
		uint32_t first = ntohl(cp->first.s_addr), last = ntohl(cp->last.s_addr);
		struct ippool *p = calloc(1, sizeof(*p));

		if (p == NULL || last < first)
			goto fail;
		p->size = last - first + 1;
		p->bits = calloc((p->size + 7) / 8, 1);
		if (p->bits == NULL) {
			free(p);
			goto fail;
		}
		p->first = first;
		snprintf(p->name, sizeof(p->name), "%s", cp->name);
		p->next = *pools;
		*pools = p;
	}
	return 0;
fail:
	ippool_teardown(pools);
	return -ENOMEM;
}

/* The addresses in use of o move into n; -EBUSY if one does not fit. */
static int ippool_carry(const struct ippool *o, struct ippool *n, char *err, size_t errsz)
{
	uint32_t left = o->in_use;

	for (uint32_t i = 0; i < o->size && left; i++) {
		uint32_t h = o->first + i;
		struct in_addr a = { htonl(h) };

		if (!bitmap_get(o->bits, i))
			continue;
		left--;
		if (h < n->first || h - n->first >= n->size) {
			snprintf(err, errsz, "ip local pool %s: address %s is in use and would "
				 "fall outside the pool (%u addresses in use; a pool cannot "
				 "shrink under them)", o->name, inet_ntoa(a), o->in_use);
			return -EBUSY;
		}
		bitmap_put(n->bits, h - n->first, 1);
		n->in_use++;
	}
	n->exhausted = o->exhausted;
	n->cursor = o->cursor < n->size ? o->cursor : 0;
	return 0;
}

int ippool_prepare(const struct ippool *old, const struct l2tpd_config *cfg,
		   struct ippool **out, char *err, size_t errsz)
{
	const struct ippool *o;
	int rc;

	*out = NULL;
	if (ippool_setup(out, cfg) < 0) {
		snprintf(err, errsz, "out of memory");
		return -ENOMEM;
	}
	for (o = old; o != NULL; o = o->next) {
		struct ippool *n = ippool_find(*out, o->name);

		if (n == NULL && o->in_use) {
			snprintf(err, errsz, "ip local pool %s: %u addresses are in use; the pool "
				 "cannot be removed under them", o->name, o->in_use);
			rc = -EBUSY;
			goto fail;
		}
		if (n == NULL)
			continue;
		rc = ippool_carry(o, n, err, errsz);
		if (rc < 0)
			goto fail;
	}
	return 0;
fail:
	ippool_teardown(out);
	return rc;
}

void ippool_teardown(struct ippool **pools)
{
	struct ippool *p;

	while ((p = *pools) != NULL) {
		*pools = p->next;
		free(p->bits);
		free(p);
	}
}

struct ippool *ippool_find(struct ippool *pools, const char *name)
{
	struct ippool *p;

	for (p = pools; p != NULL; p = p->next)
		if (strcmp(p->name, name) == 0)
			return p;
	return NULL;
}

int ippool_alloc(struct ippool *pools, const char *name, struct in_addr *out)
{
	struct ippool *p = ippool_find(pools, name);
	uint32_t i;

	if (p == NULL)
		return -ENOENT;
	if (p->in_use >= p->size) {
		p->exhausted++;
		return -ENOSPC;
	}
	if (bitmap_take(p->bits, p->size, &p->cursor, &i) < 0)
		return -ENOSPC;	/* not reached: in_use < size */
	p->in_use++;
	out->s_addr = htonl(p->first + i);
	return 0;
}

int ippool_reserve(struct ippool *pools, const char *name, struct in_addr a)
{
	struct ippool *p = ippool_find(pools, name);
	uint32_t h = ntohl(a.s_addr);

	if (p == NULL)
		return -ENOENT;
	if (h < p->first || h - p->first >= p->size)
		return -ERANGE;
	if (bitmap_get(p->bits, h - p->first))
		return -EEXIST;
	bitmap_put(p->bits, h - p->first, 1);
	p->in_use++;
	return 0;
}

void ippool_free(struct ippool *pools, const char *name, struct in_addr a)
{
	struct ippool *p = ippool_find(pools, name);
	uint32_t h = ntohl(a.s_addr);

	if (p == NULL || h < p->first || h - p->first >= p->size ||
	    !bitmap_get(p->bits, h - p->first))
		return;
	bitmap_put(p->bits, h - p->first, 0);
	p->in_use--;
}

unsigned ippool_in_use(struct ippool *pools, const char *name)
{
	struct ippool *p = ippool_find(pools, name);

	return p ? p->in_use : 0;
}
