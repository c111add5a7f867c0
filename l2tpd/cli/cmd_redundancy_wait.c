/*
 * The checkpoint-before-acknowledge wait of `show l2tp|vpdn redundancy
 * detail` (see cmd_redundancy_wait.h).
 *
 * The text prints the fine histograms' percentiles: upper bounds, at most
 * HIST_FINE_ERR_PERMILLE above the true value (a coarse bucket, 500 us ..
 * 1 ms, could only say "p99 <= 1 ms").  JSON keeps the coarse percentiles
 * and buckets (the metrics endpoint's set) and adds each fine histogram,
 * sparse, for a tool that adds rounds up or takes one reading from another
 * before it computes its own.
 */
#include "cli/cmd_redundancy_wait.h"
#include "core/hist.h"
#include "core/hist_fine.h"
#include "core/out.h"
#include "ha/ha.h"

/* JSON only: a fine histogram, its percentiles and its non-empty buckets
 * as [upper_us, count] pairs (the last bucket's values may exceed its
 * bound: max_us bounds them). */
static void cmd_redundancy_wait_fine(struct out *o, const char *key, const struct hist_fine *h)
{
	uint64_t upper, count;
	unsigned i = 0;

	out_obj_open(o, key);
	out_uint(o, "count", NULL, h->count);
	out_uint(o, "p50_us", NULL, hist_fine_quantile_us(h, 500));
	out_uint(o, "p99_us", NULL, hist_fine_quantile_us(h, 990));
	out_uint(o, "max_us", NULL, h->max_us);
	out_uint(o, "error_permille", NULL, HIST_FINE_ERR_PERMILLE);
	out_arr_open(o, "buckets");
	while (hist_fine_next(h, &i, &upper, &count)) {
		out_arr_open(o, NULL);
		out_uint(o, NULL, NULL, upper);
		out_uint(o, NULL, NULL, count);
		out_arr_close(o);
	}
	out_arr_close(o);
	out_obj_close(o);
}

void cmd_redundancy_wait_pct(struct out *o, const struct ha_stats *st)
{
	const struct hist_fine *w = &st->egress_wait_fine, *a = &st->egress_ack_wait_fine;
	uint64_t max = st->egress_wait_us_max;

	out_text(o, ", wait p50 <= %llu us, p99 <= %llu us",
		 (unsigned long long)hist_fine_quantile_us(w, 500),
		 (unsigned long long)hist_fine_quantile_us(w, 990));
	out_text(o, " (after the records left: p50 <= %llu us, p99 <= %llu us; bounds within %u.%u %%)",
		 (unsigned long long)hist_fine_quantile_us(a, 500),
		 (unsigned long long)hist_fine_quantile_us(a, 990),
		 HIST_FINE_ERR_PERMILLE / 10, HIST_FINE_ERR_PERMILLE % 10);
	out_uint(o, "egress_wait_us_p50", NULL, hist_quantile_us(&st->egress_wait, 500, max));
	out_uint(o, "egress_wait_us_p99", NULL, hist_quantile_us(&st->egress_wait, 990, max));
	out_uint(o, "egress_ack_wait_us_p50", NULL,
		 hist_quantile_us(&st->egress_ack_wait, 500, max));
	out_uint(o, "egress_ack_wait_us_p99", NULL,
		 hist_quantile_us(&st->egress_ack_wait, 990, max));
	cmd_redundancy_wait_fine(o, "egress_wait_fine", w);
	cmd_redundancy_wait_fine(o, "egress_ack_wait_fine", a);
}

/* JSON only: a coarse histogram's buckets (not cumulative). */
static void cmd_redundancy_wait_hist(struct out *o, const char *key, const struct hist *h)
{
	unsigned i;

	out_arr_open(o, key);
	for (i = 0; i <= HIST_BUCKETS; i++) {
		out_obj_open(o, NULL);
		if (i < HIST_BUCKETS)
			out_uint(o, "le_us", NULL, hist_bound_us(i));
		out_uint(o, "count", NULL, h->bucket[i]);
		out_obj_close(o);
	}
	out_arr_close(o);
}

void cmd_redundancy_wait_hists(struct out *o, const struct ha_stats *st)
{
	cmd_redundancy_wait_hist(o, "egress_wait_histogram", &st->egress_wait);
	cmd_redundancy_wait_hist(o, "egress_ack_wait_histogram", &st->egress_ack_wait);
}
