/*
 * IPv4 address pools.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

static int ippool_bit(const struct ippool *p, uint32_t i)
{
	return p->bits[i / 8] >> (i % 8) & 1;
}

static void ippool_set(struct ippool *p, uint32_t i, int v)
{
	if (v)
		p->bits[i / 8] |= (uint8_t)(1u << (i % 8));
	else
		p->bits[i / 8] &= (uint8_t)~(1u << (i % 8));
}

int ippool_alloc(struct ippool *pools, const char *name, struct in_addr *out)
{
	struct ippool *p = ippool_find(pools, name);
	uint32_t n;

	if (p == NULL)
		return -ENOENT;
	if (p->in_use >= p->size) {
		p->exhausted++;
		return -ENOSPC;
	}
	for (n = 0; n < p->size; n++) {
		uint32_t i = (p->cursor + n) % p->size;

		if (!ippool_bit(p, i)) {
			ippool_set(p, i, 1);
			p->in_use++;
			p->cursor = (i + 1) % p->size;
			out->s_addr = htonl(p->first + i);
			return 0;
		}
	}
	return -ENOSPC;	/* not reached: in_use < size */
}

int ippool_reserve(struct ippool *pools, const char *name, struct in_addr a)
{
	struct ippool *p = ippool_find(pools, name);
	uint32_t h = ntohl(a.s_addr);

	if (p == NULL)
		return -ENOENT;
	if (h < p->first || h - p->first >= p->size)
		return -ERANGE;
	if (ippool_bit(p, h - p->first))
		return -EEXIST;
	ippool_set(p, h - p->first, 1);
	p->in_use++;
	return 0;
}

void ippool_free(struct ippool *pools, const char *name, struct in_addr a)
{
	struct ippool *p = ippool_find(pools, name);
	uint32_t h = ntohl(a.s_addr);

	if (p == NULL || h < p->first || h - p->first >= p->size ||
	    !ippool_bit(p, h - p->first))
		return;
	ippool_set(p, h - p->first, 0);
	p->in_use--;
}

unsigned ippool_in_use(struct ippool *pools, const char *name)
{
	struct ippool *p = ippool_find(pools, name);

	return p ? p->in_use : 0;
}
