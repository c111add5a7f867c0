/*
 * Unpredictable bytes drawn ahead (core/rand.h's), for the callers that
 * want a few at a time and often: a session ID is two bytes, and a
 * getrandom(2) call for each cost a system call a session.  The bytes are
 * the kernel's, only fetched RAND_POOL_SIZE at a time; each is handed out
 * once.  The pool is its owner's (struct l2tpd), nothing here is global.
 */
#ifndef RAND_POOL_H
#define RAND_POOL_H

#include <stddef.h>
#include <stdint.h>

#define RAND_POOL_SIZE	256

struct rand_pool {
	size_t used;			/* bytes of buf handed out; 0 in a new pool */
	uint8_t buf[RAND_POOL_SIZE];	/* valid once used > 0 or after a fill */
	int filled;			/* buf holds fresh bytes */
};

/* Fill buf (len bytes) from the pool, refilled from rand_bytes() when it
 * runs out; a request larger than the pool bypasses it. */
void rand_pool_bytes(struct rand_pool *p, void *buf, size_t len);

#endif
