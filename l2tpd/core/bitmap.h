/*
 * A bit per slot in a byte array, the pools' in-use maps (core/ippool.c,
 * ipv6/pool.c): bit i is bit i % 8 of byte i / 8.  The caller sizes the
 * array ((n + 7) / 8 bytes) and keeps i below n.
 */
#ifndef CORE_BITMAP_H
#define CORE_BITMAP_H

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

#endif
