/*
 * IPv4 address pools (`ip local pool NAME FIRST LAST`): a bitmap per pool,
 * built from the configuration at start.  The pools are a list the caller
 * keeps (the daemon's d->pools) and hands in.
 */
#ifndef L2TP_IPPOOL_H
#define L2TP_IPPOOL_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

struct l2tpd_config;

struct ippool {
	struct ippool *next;
	char name[64];
	uint32_t first;		/* host order */
	uint32_t size;
	uint32_t in_use;
	uint32_t cursor;	/* next index to try: spreads reuse of freed addresses */
	uint64_t exhausted;	/* allocations refused: pool empty */
	uint8_t *bits;
};

/* Build *pools from the configuration's (freeing what was there).  0 or
 * -ENOMEM (then *pools is empty). */
int ippool_setup(struct ippool **pools, const struct l2tpd_config *cfg);
/*
 * The pools of a new configuration, built beside the running ones (a
 * reload, before anything is applied): a pool kept keeps its addresses in
 * use, its counters and its cursor.  0 with *out built; -EBUSY when an
 * address in use would fall outside its pool (shrunk, moved or removed),
 * the reason in err; -ENOMEM.  The caller swaps the lists once every other
 * check has passed.
 */
int ippool_prepare(const struct ippool *old, const struct l2tpd_config *cfg,
		   struct ippool **out, char *err, size_t errsz);
/* Free every pool; *pools is NULL after. */
void ippool_teardown(struct ippool **pools);
struct ippool *ippool_find(struct ippool *pools, const char *name);
/* An address from pool `name`: 0, -ENOENT (no such pool), -ENOSPC (empty). */
int ippool_alloc(struct ippool *pools, const char *name, struct in_addr *out);
/* Take a given address out of the pool (a RADIUS/checkpoint address that
 * falls inside it): 0, -EEXIST, -ERANGE (not in the pool). */
int ippool_reserve(struct ippool *pools, const char *name, struct in_addr a);
void ippool_free(struct ippool *pools, const char *name, struct in_addr a);
unsigned ippool_in_use(struct ippool *pools, const char *name);

#endif
