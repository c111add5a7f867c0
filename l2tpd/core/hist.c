/* Latency histograms (see hist.h). */
#include "common/util.h"
#include "core/hist.h"

static const uint64_t hist_bounds_us[HIST_BUCKETS] = {
	100, 250, 500,
	1000, 2500, 5000,
	10000, 25000, 50000,
	100000, 250000, 500000,
	1000000, 2500000, 5000000,
	10000000, 30000000,
};

uint64_t hist_bound_us(unsigned i)
{
	return i < ARRAY_SIZE(hist_bounds_us) ? hist_bounds_us[i] : UINT64_MAX;
}

void hist_observe_us(struct hist *h, uint64_t us)
{
	unsigned i = 0;

	while (i < HIST_BUCKETS && us > hist_bounds_us[i])
		i++;
	h->bucket[i]++;
	h->count++;
	h->sum_us += us;
}

uint64_t hist_quantile_us(const struct hist *h, unsigned permille, uint64_t max_us)
{
	uint64_t rank, seen = 0;
	unsigned i;

	if (h->count == 0)
		return 0;
	rank = hist_rank(h->count, permille);
	for (i = 0; i <= HIST_BUCKETS; i++) {
		seen += h->bucket[i];
		if (seen >= rank)
			break;
	}
	if (i >= HIST_BUCKETS)
		return max_us;
	return hist_bounds_us[i] < max_us ? hist_bounds_us[i] : max_us;
}
