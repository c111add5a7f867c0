/*
 * A latency histogram with one fixed set of buckets, from 100 us to 30 s
 * (1-2.5-5 steps): checkpoint waits, RADIUS round trips and tunnel
 * resynchronisations all fall inside it.  A histogram is plain counters
 * (it can live in a stats struct and be zeroed with it); the metrics
 * endpoint renders it as a Prometheus histogram (cumulative buckets,
 * seconds).
 */
#ifndef L2TP_HIST_H
#define L2TP_HIST_H

#include <stdint.h>

#define HIST_BUCKETS	17	/* finite upper bounds; one more for +Inf */

struct hist {
	uint64_t bucket[HIST_BUCKETS + 1];	/* not cumulative; the last is +Inf */
	uint64_t count;
	uint64_t sum_us;
};

/* The upper bound of bucket i (i < HIST_BUCKETS), in microseconds. */
uint64_t hist_bound_us(unsigned i);
void hist_observe_us(struct hist *h, uint64_t us);
/*
 * The permille-th percentile (500: the median, 990: p99) as the upper
 * bound of the bucket that holds it, capped at max_us (the largest value
 * observed, kept by the caller: the +Inf bucket has no bound); 0 for an
 * empty histogram.  An upper bound, never an interpolation: "p99 <= 1 ms"
 * is what the buckets can say.
 */
uint64_t hist_quantile_us(const struct hist *h, unsigned permille, uint64_t max_us);

/*
 * The 1-based rank of the permille-th percentile among count (> 0)
 * observations (permille above 1000 read as 1000): both histograms walk
 * their buckets to it.
 */
static inline uint64_t hist_rank(uint64_t count, unsigned permille)
{
	uint64_t rank;

	if (permille > 1000)
		permille = 1000;
	rank = (count * permille + 999) / 1000;
	return rank == 0 ? 1 : rank;
}

#endif
