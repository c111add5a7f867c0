/*
 * What the libFuzzer targets of tests/fuzz/ share: a check that aborts
 * (libFuzzer keeps the input), and a reader of the input's bytes that
 * never reads past its end.
 */
#ifndef TEST_FUZZ_H
#define TEST_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define FUZZ_CHECK(c)                                                                   \
	do {                                                                            \
		if (!(c)) {                                                             \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #c); \
			abort();                                                        \
		}                                                                       \
	} while (0)

struct fuzz_in {
	const uint8_t *p;
	size_t n;
};

/* The next byte (0 at the end: *in is then empty). */
static inline uint8_t fuzz_u8(struct fuzz_in *in)
{
	uint8_t v = 0;

	if (in->n > 0) {
		v = in->p[0];
		in->p++;
		in->n--;
	}
	return v;
}

/* Up to len bytes; *got says how many there were. */
static inline const uint8_t *fuzz_bytes(struct fuzz_in *in, size_t len, size_t *got)
{
	const uint8_t *v = in->p;

	*got = len < in->n ? len : in->n;
	in->p += *got;
	in->n -= *got;
	return v;
}

/* The harness and the fakes fail through cmocka: outside a cmocka test,
 * an abort (the input is kept), not an exit. */
static inline void fuzz_cmocka_abort(void)
{
	setenv("CMOCKA_TEST_ABORT", "1", 1);
}

#endif
