/*
 * A bit per slot in a byte array, the pools' in-use maps (core/ippool.c,
 * ipv6/pool.c): bit i is bit i % 8 of byte i / 8.  The caller sizes the
 * array ((n + 7) / 8 bytes) and keeps i below n.
 */
#ifndef CORE_BITMAP_H
#define CORE_BITMAP_H

#include <errno.h>
#include <stdint.h>

static inline int bitmap_get(const uint8_t *bits, uint32_t i)
{
	return bits[i / 8] >> (i % 8) & 1;
}

static inline void bitmap_put(uint8_t *bits, uint32_t i, int v)
{
	if (v)
		bits[i / 8] |= (uint8_t)(1u << (i % 8));
	else
		bits[i / 8] &= (uint8_t)~(1u << (i % 8));
}

/* A pool's allocation: the first free slot of n from *cursor on
 * (wrapping), marked used, and *cursor moved past it, so that a slot just
 * freed is the last to be given again.  0 with the slot in *i, or -ENOSPC
 * when all n are used. */
static inline int bitmap_take(uint8_t *bits, uint32_t n, uint32_t *cursor, uint32_t *i)
{
	for (uint32_t k = 0; k < n; k++) {
		uint32_t j = (*cursor + k) % n;

		if (!bitmap_get(bits, j)) {
			bitmap_put(bits, j, 1);
			*cursor = (j + 1) % n;
			*i = j;
			return 0;
		}
	}
	return -ENOSPC;
}

#endif
