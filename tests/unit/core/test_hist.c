/*
 * Latency histograms (core/hist.c, core/hist_fine.c): the bucket an
 * observation falls in and the percentiles read back from the buckets
 * (upper bounds, capped at the largest value observed); the fine one's
 * bound checked against the exact percentiles of random samples.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/hist.h"
#include "core/hist_fine.h"

static void test_hist_buckets(void **state)
{
	struct hist h;

	(void)state;
	memset(&h, 0, sizeof h);
	hist_observe_us(&h, 100);	/* on a bound: that bucket (le) */
	hist_observe_us(&h, 101);
	hist_observe_us(&h, 40000000);	/* beyond the last bound: +Inf */
	assert_int_equal(h.bucket[0], 1);
	assert_int_equal(h.bucket[1], 1);
	assert_int_equal(h.bucket[HIST_BUCKETS], 1);
	assert_int_equal(h.count, 3);
	assert_int_equal(hist_bound_us(0), 100);
	assert_int_equal(hist_bound_us(HIST_BUCKETS), UINT64_MAX);
}

static void test_hist_quantile(void **state)
{
	struct hist h;
	unsigned i;

	(void)state;
	memset(&h, 0, sizeof h);
	assert_int_equal(hist_quantile_us(&h, 500, 0), 0);	/* empty */
	/* 98 fast (<= 250 us), one at 3 ms, one at 20 ms. */
	for (i = 0; i < 98; i++)
		hist_observe_us(&h, 200);
	hist_observe_us(&h, 3000);
	hist_observe_us(&h, 20000);
	assert_int_equal(hist_quantile_us(&h, 500, 20000), 250);
	assert_int_equal(hist_quantile_us(&h, 980, 20000), 250);
	/* the 99th of 100 is the 3 ms one: its bucket ends at 5 ms */
	assert_int_equal(hist_quantile_us(&h, 990, 20000), 5000);
	/* the 100th: bucket 25 ms, capped at the largest seen */
	assert_int_equal(hist_quantile_us(&h, 1000, 20000), 20000);
	assert_int_equal(hist_quantile_us(&h, 2000, 20000), 20000);
	/* the +Inf bucket has no bound: the largest seen */
	hist_observe_us(&h, 45000000);
	assert_int_equal(hist_quantile_us(&h, 1000, 45000000), 45000000);
	/* the median of three is the second, not the first */
	memset(&h, 0, sizeof h);
	hist_observe_us(&h, 200);
	hist_observe_us(&h, 3000);
	hist_observe_us(&h, 3000);
	assert_int_equal(hist_quantile_us(&h, 500, 3000), 3000);
	/* one observation: every percentile is it (its bucket, capped) */
	memset(&h, 0, sizeof h);
	hist_observe_us(&h, 700);
	assert_int_equal(hist_quantile_us(&h, 1, 700), 700);
	assert_int_equal(hist_quantile_us(&h, 0, 700), 700);
}

/* ---- the fine histogram ---- */

static struct hist_fine fh, fh2;

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* The exact percentile of sorted v[0..n): the rank-th smallest, the rank
 * as hist_fine_quantile_us takes it (ceil(n * permille / 1000), >= 1). */
static uint64_t exact_pct(const uint64_t *v, size_t n, unsigned permille)
{
	size_t rank = (n * permille + 999) / 1000;

	return v[rank ? rank - 1 : 0];
}

/* Every bucket's bounds: contiguous from 0, each no wider than 1/SUB of
 * its lower bound, and every value goes to the bucket whose bounds hold it. */
static void test_hist_fine_layout(void **state)
{
	uint64_t lo = 0, up;
	unsigned i;

	(void)state;
	for (i = 0; i < HIST_FINE_BUCKETS; i++) {
		up = hist_fine_upper_us(i);
		assert_true(up >= lo);
		assert_true((up - lo + 1) * HIST_FINE_SUB <= (lo > HIST_FINE_SUB ? lo : HIST_FINE_SUB));
		assert_int_equal(hist_fine_index(lo), i);
		assert_int_equal(hist_fine_index(up), i);
		lo = up + 1;
	}
	assert_int_equal(up, HIST_FINE_TOP_US);
	assert_true(HIST_FINE_TOP_US >= 60000000);	/* a minute at least */
	assert_int_equal(hist_fine_upper_us(0), 0);
	assert_int_equal(hist_fine_upper_us(2 * HIST_FINE_SUB - 1), 2 * HIST_FINE_SUB - 1);
	/* 512 .. 1023 us: 16 us wide */
	assert_int_equal(hist_fine_index(1008), hist_fine_index(1023));
	assert_int_not_equal(hist_fine_index(1007), hist_fine_index(1008));
	assert_int_equal(hist_fine_upper_us(hist_fine_index(1000)), 1007);
	assert_int_not_equal(hist_fine_index(1023), hist_fine_index(1024));
}

/* Random samples from 0 to the top, shifted right by a random count (so
 * that every power of two gets some): each percentile read back is never
 * below the exact one and at most 1/SUB above it. */
static void test_hist_fine_random(void **state)
{
	static uint64_t v[20000];
	static const unsigned pm[] = { 1, 100, 500, 900, 990, 999, 1000 };
	unsigned round, k;
	size_t i, n;

	(void)state;
	srandom(16);
	for (round = 0; round < 20; round++) {
		n = 1 + (size_t)random() % (sizeof v / sizeof v[0]);
		memset(&fh, 0, sizeof fh);
		for (i = 0; i < n; i++) {
			uint64_t r = (uint64_t)random() % (HIST_FINE_TOP_US + 1);

			v[i] = r >> (random() % HIST_FINE_TOP_BITS);
			hist_fine_observe_us(&fh, v[i]);
		}
		qsort(v, n, sizeof v[0], cmp_u64);
		assert_int_equal(fh.count, n);
		assert_int_equal(fh.max_us, v[n - 1]);
		for (k = 0; k < sizeof pm / sizeof pm[0]; k++) {
			uint64_t t = exact_pct(v, n, pm[k]);
			uint64_t q = hist_fine_quantile_us(&fh, pm[k]);

			assert_true(q >= t);
			assert_true(q * HIST_FINE_SUB <= t * (HIST_FINE_SUB + 1) + HIST_FINE_SUB - 1);
			assert_true(q * 1000 <= t * (1000 + HIST_FINE_ERR_PERMILLE) + 999);
		}
		assert_int_equal(hist_fine_quantile_us(&fh, 1000), v[n - 1]);
	}
}

/* A light load's waits: 982 from 150 to 399 us, 18 from 500 to 942 us.
 * The coarse buckets can only say p99 <= 1 ms (capped at the max); the
 * fine ones say how far below. */
static void test_hist_fine_below_1ms(void **state)
{
	struct hist c;
	unsigned i;

	(void)state;
	memset(&fh, 0, sizeof fh);
	memset(&c, 0, sizeof c);
	for (i = 0; i < 1000; i++) {
		uint64_t us = i < 982 ? 150 + i % 250 : 500 + (i - 982) * 26;

		hist_fine_observe_us(&fh, us);
		hist_observe_us(&c, us);
	}
	assert_int_equal(hist_quantile_us(&c, 990, fh.max_us), 942);
	/* the 990th is 500 + 7 * 26 = 682 us: its bucket is 672 .. 687 */
	assert_int_equal(hist_fine_quantile_us(&fh, 990), 687);
	/* the 500th is 274 us (150 .. 381 us four times each, then three
	 * times): its bucket is 272 .. 279 */
	assert_int_equal(hist_fine_quantile_us(&fh, 500), 279);
	assert_int_equal(hist_fine_quantile_us(&fh, 1000), 942);
}

/* Beyond the top: the last bucket, whose percentile is the largest value
 * (not the bucket's bound, which would be below it). */
static void test_hist_fine_clamp(void **state)
{
	(void)state;
	memset(&fh, 0, sizeof fh);
	hist_fine_observe_us(&fh, 100);
	hist_fine_observe_us(&fh, 90000000);
	hist_fine_observe_us(&fh, UINT64_MAX / 2);
	assert_int_equal(hist_fine_index(90000000), HIST_FINE_BUCKETS - 1);
	assert_int_equal(fh.bucket[HIST_FINE_BUCKETS - 1], 2);
	assert_int_equal(fh.max_us, UINT64_MAX / 2);
	assert_int_equal(hist_fine_quantile_us(&fh, 500), UINT64_MAX / 2);
	assert_int_equal(hist_fine_quantile_us(&fh, 300), 101);	/* 100 .. 101 */
	/* one at the top bound itself: the largest seen, not the bound */
	memset(&fh, 0, sizeof fh);
	hist_fine_observe_us(&fh, HIST_FINE_TOP_US - 5);
	assert_int_equal(hist_fine_quantile_us(&fh, 500), HIST_FINE_TOP_US - 5);
}

static void test_hist_fine_empty(void **state)
{
	uint64_t up = 7, count = 7;
	unsigned i = 0;

	(void)state;
	memset(&fh, 0, sizeof fh);
	assert_int_equal(hist_fine_quantile_us(&fh, 500), 0);
	assert_int_equal(hist_fine_quantile_us(&fh, 1000), 0);
	assert_int_equal(hist_fine_next(&fh, &i, &up, &count), 0);
	assert_int_equal(up, 7);
	hist_fine_observe_us(&fh, 0);	/* a zero wait is a wait */
	assert_int_equal(fh.count, 1);
	assert_int_equal(hist_fine_quantile_us(&fh, 990), 0);
	i = 0;
	assert_int_equal(hist_fine_next(&fh, &i, &up, &count), 1);
	assert_int_equal(up, 0);
	assert_int_equal(count, 1);
}

/* Two halves added up read as the whole; the sparse form lists the
 * non-empty buckets only, in order, and adds up to the count. */
static void test_hist_fine_add_sparse(void **state)
{
	static struct hist_fine whole;
	uint64_t up, count, last = 0, total = 0;
	unsigned i, k, n = 0;

	(void)state;
	memset(&fh, 0, sizeof fh);
	memset(&fh2, 0, sizeof fh2);
	memset(&whole, 0, sizeof whole);
	srandom(7);
	for (i = 0; i < 5000; i++) {
		uint64_t us = (uint64_t)random() % 200000;

		hist_fine_observe_us(i % 3 ? &fh : &fh2, us);
		hist_fine_observe_us(&whole, us);
	}
	hist_fine_add(&fh, &fh2);
	assert_memory_equal(&fh, &whole, sizeof whole);
	for (k = 1; k <= 1000; k += 37)
		assert_int_equal(hist_fine_quantile_us(&fh, k), hist_fine_quantile_us(&whole, k));
	/* the larger max wins, whichever side it is on */
	memset(&fh2, 0, sizeof fh2);
	hist_fine_observe_us(&fh2, 300000);
	hist_fine_add(&fh, &fh2);
	assert_int_equal(fh.max_us, 300000);
	hist_fine_add(&fh2, &whole);
	assert_int_equal(fh2.max_us, 300000);
	i = 0;
	while (hist_fine_next(&whole, &i, &up, &count)) {
		assert_true(count > 0);
		assert_true(n == 0 || up > last);
		assert_int_equal(whole.bucket[hist_fine_index(up)], count);
		last = up;
		total += count;
		n++;
	}
	assert_int_equal(total, whole.count);
	for (i = 0, k = 0; i < HIST_FINE_BUCKETS; i++)
		k += whole.bucket[i] != 0;
	assert_int_equal(n, k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hist_buckets),
		cmocka_unit_test(test_hist_quantile),
		cmocka_unit_test(test_hist_fine_layout),
		cmocka_unit_test(test_hist_fine_random),
		cmocka_unit_test(test_hist_fine_below_1ms),
		cmocka_unit_test(test_hist_fine_clamp),
		cmocka_unit_test(test_hist_fine_empty),
		cmocka_unit_test(test_hist_fine_add_sparse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
