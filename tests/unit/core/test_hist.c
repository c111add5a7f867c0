/*
 * Latency histograms (core/hist.c): the bucket an observation falls in and
 * the percentiles read back from the buckets (upper bounds, capped at the
 * largest value observed).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/hist.h"

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hist_buckets),
		cmocka_unit_test(test_hist_quantile),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
