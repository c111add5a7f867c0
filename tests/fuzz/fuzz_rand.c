/*
 * Every random byte of the daemon comes from rand_bytes(); this definition
 * replaces core/rand.c's (never linked then), so that an input does the
 * same thing each time it runs: a kept crash replays.  xorshift64*,
 * reseeded by fuzz_rand_reset() at the start of each input.
 */
#include <stddef.h>
#include <stdint.h>

#include "core/rand.h"
#include "fuzz_rand.h"

#define FUZZ_RAND_SEED	0x9e3779b97f4a7c15ULL

static uint64_t fuzz_rng = FUZZ_RAND_SEED;

void fuzz_rand_reset(void)
{
	fuzz_rng = FUZZ_RAND_SEED;
}

void rand_bytes(void *buf, size_t len)
{
	uint8_t *p = buf;

	while (len > 0) {
		uint64_t v;

		fuzz_rng ^= fuzz_rng >> 12;
		fuzz_rng ^= fuzz_rng << 25;
		fuzz_rng ^= fuzz_rng >> 27;
		v = fuzz_rng * 0x2545f4914f6cdd1dULL;
		for (unsigned i = 0; i < 8 && len > 0; i++, len--)
			*p++ = (uint8_t)(v >> (8 * i));
	}
}
