/*
 * The pool of random bytes drawn ahead (core/rand_pool.c): bytes come from
 * rand_bytes() RAND_POOL_SIZE at a time (here a counting stand-in, so the
 * test sees which bytes go where), each handed out once and in order, a
 * request larger than the pool straight from the source.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/rand.h"
#include "core/rand_pool.h"

/* The stand-in source: byte i of its output is (i & 0xff), counted. */
static unsigned src_calls;
static size_t src_next;

void rand_bytes(void *buf, size_t len)
{
	uint8_t *p = buf;

	src_calls++;
	for (size_t i = 0; i < len; i++)
		p[i] = (uint8_t)(src_next++ & 0xff);
}

static void reset(void)
{
	src_calls = 0;
	src_next = 0;
}

static void test_pool_order_and_refill(void **state)
{
	static struct rand_pool p;
	uint8_t b[RAND_POOL_SIZE];
	size_t got = 0;

	(void)state;
	reset();
	memset(&p, 0, sizeof p);
	/* 2 bytes at a time: one fill serves RAND_POOL_SIZE / 2 draws */
	while (got + 2 <= RAND_POOL_SIZE) {
		uint8_t id[2];

		rand_pool_bytes(&p, id, sizeof id);
		assert_int_equal(id[0], (uint8_t)got);
		assert_int_equal(id[1], (uint8_t)(got + 1));
		got += 2;
	}
	assert_int_equal(src_calls, 1);
	/* across a refill: the tail of the old fill is spent first (here
	 * none), then the new fill's bytes follow in order */
	rand_pool_bytes(&p, b, 3);
	assert_int_equal(src_calls, 2);
	assert_int_equal(b[0], (uint8_t)RAND_POOL_SIZE);
	assert_int_equal(b[2], (uint8_t)(RAND_POOL_SIZE + 2));
	/* handed out once: the pool keeps no copy of what it gave */
	assert_int_equal(p.buf[0] | p.buf[1] | p.buf[2], 0);
}

static void test_pool_split_and_large(void **state)
{
	static struct rand_pool p;
	uint8_t b[RAND_POOL_SIZE + 8];

	(void)state;
	reset();
	memset(&p, 0, sizeof p);
	rand_pool_bytes(&p, b, RAND_POOL_SIZE - 1);
	assert_int_equal(src_calls, 1);
	/* 4 bytes: the last one of this fill, then 3 of the next */
	rand_pool_bytes(&p, b, 4);
	assert_int_equal(src_calls, 2);
	assert_int_equal(b[0], (uint8_t)(RAND_POOL_SIZE - 1));
	assert_int_equal(b[1], (uint8_t)RAND_POOL_SIZE);
	assert_int_equal(b[3], (uint8_t)(RAND_POOL_SIZE + 2));
	/* larger than the pool: from the source directly, the pool untouched */
	rand_pool_bytes(&p, b, sizeof b);
	assert_int_equal(src_calls, 3);
	assert_int_equal(p.used, 3);
	assert_int_equal(b[0], (uint8_t)(2 * RAND_POOL_SIZE));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pool_order_and_refill),
		cmocka_unit_test(test_pool_split_and_large),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
