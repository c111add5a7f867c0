/*
 * A fine latency histogram, log-linear (the HDR histogram's layout): each
 * power of two of microseconds is cut into HIST_FINE_SUB equal
 * sub-buckets, so that a bucket is never wider than 1/HIST_FINE_SUB of the
 * values it holds.  From 0 to 2 * HIST_FINE_SUB - 1 us a bucket is one
 * microsecond (exact); the last bucket ends at HIST_FINE_TOP_US (about
 * 67 s) and also takes every larger value (clamped), whose size the
 * largest value, kept apart, still tells.
 *
 * core/hist.h's coarse buckets (1-2.5-5 steps) are what the metrics
 * endpoint exports; this one is for percentiles that must say "p99 < 1 ms"
 * when the coarse bucket is 500 us .. 1 ms wide.  Plain counters, as
 * struct hist: zeroed with the stats struct that holds it.
 */
#ifndef L2TP_HIST_FINE_H
#define L2TP_HIST_FINE_H

#include <stdint.h>

#define HIST_FINE_SUB_BITS	5
#define HIST_FINE_SUB		(1u << HIST_FINE_SUB_BITS)	/* sub-buckets a power of two */
#define HIST_FINE_TOP_BITS	26				/* 2^26 us = 67.1 s */
#define HIST_FINE_TOP_US	((UINT64_C(1) << HIST_FINE_TOP_BITS) - 1)
#define HIST_FINE_BUCKETS	((HIST_FINE_TOP_BITS - HIST_FINE_SUB_BITS + 1) * HIST_FINE_SUB)
/* A quantile is at most this many thousandths above the true value
 * (1000 / HIST_FINE_SUB, rounded up). */
#define HIST_FINE_ERR_PERMILLE	((1000 + HIST_FINE_SUB - 1) / HIST_FINE_SUB)

struct hist_fine {
	uint64_t count;
	uint64_t sum_us;
	uint64_t max_us;		/* the largest value, clamped or not */
	uint64_t bucket[HIST_FINE_BUCKETS];
};

/* The bucket that holds us (the last one for anything beyond it). */
unsigned hist_fine_index(uint64_t us);
/* The largest value bucket i holds (its inclusive upper bound); the last
 * bucket's is HIST_FINE_TOP_US, though it also holds larger ones. */
uint64_t hist_fine_upper_us(unsigned i);
void hist_fine_observe_us(struct hist_fine *h, uint64_t us);
/* Add src's observations to dst's (rounds, windows, threads). */
void hist_fine_add(struct hist_fine *dst, const struct hist_fine *src);
/*
 * The permille-th percentile (500: the median, 990: p99; above 1000 is
 * 1000) as an upper bound: the upper bound of the bucket of the observation
 * of that rank, capped at the largest value observed; the largest value
 * itself in the last bucket.  True <= returned <= true * (1 + 1/SUB).
 * 0 for an empty histogram.
 */
uint64_t hist_fine_quantile_us(const struct hist_fine *h, unsigned permille);
/*
 * The sparse form, the non-empty buckets in order: start with *i = 0; each
 * call stores the next one's upper bound and count and returns 1, then 0
 * once there is none left.
 */
int hist_fine_next(const struct hist_fine *h, unsigned *i, uint64_t *upper_us,
		   uint64_t *count);

#endif
