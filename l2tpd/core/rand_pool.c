/*
 * Unpredictable bytes drawn ahead (see core/rand_pool.h).  A file of its
 * own, beside rand.c: a test that links its own rand_bytes() gets its
 * bytes through the pool too.
 */
#include <string.h>
#include "core/rand.h"
#include "core/rand_pool.h"

void rand_pool_bytes(struct rand_pool *p, void *buf, size_t len)
{
	uint8_t *out = buf;

	if (len > sizeof(p->buf)) {
		rand_bytes(buf, len);
		return;
	}
	while (len > 0) {
		size_t take;

		if (!p->filled || p->used == sizeof(p->buf)) {
			rand_bytes(p->buf, sizeof(p->buf));
			p->filled = 1;
			p->used = 0;
		}
		take = sizeof(p->buf) - p->used;
		if (take > len)
			take = len;
		memcpy(out, p->buf + p->used, take);
		/* Handed out once: not left behind for a later reader. */
		memset(p->buf + p->used, 0, take);
		p->used += take;
		out += take;
		len -= take;
	}
}
