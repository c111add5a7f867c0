/* Fine, log-linear latency histograms (see hist_fine.h). */
#include "core/hist.h"
#include "core/hist_fine.h"

/* Below 2 * SUB the buckets are one microsecond wide: the value is its
 * index.  Above, a value whose highest bit is e falls in power e's SUB
 * buckets, each 2^(e - SUB_BITS) wide, and its top SUB_BITS + 1 bits
 * (SUB .. 2 * SUB - 1) say which one: the layout is continuous. */
unsigned hist_fine_index(uint64_t us)
{
	unsigned e, shift;

	if (us > HIST_FINE_TOP_US)
		return HIST_FINE_BUCKETS - 1;
	if (us < 2 * HIST_FINE_SUB)
		return (unsigned)us;
	e = 63 - (unsigned)__builtin_clzll(us);
	shift = e - HIST_FINE_SUB_BITS;
	return shift * HIST_FINE_SUB + (unsigned)(us >> shift);
}

uint64_t hist_fine_upper_us(unsigned i)
{
	unsigned shift;

	if (i >= HIST_FINE_BUCKETS)
		return HIST_FINE_TOP_US;
	if (i < 2 * HIST_FINE_SUB)
		return i;
	shift = i / HIST_FINE_SUB - 1;
	return ((uint64_t)(i - shift * HIST_FINE_SUB + 1) << shift) - 1;
}

void hist_fine_observe_us(struct hist_fine *h, uint64_t us)
{
	h->bucket[hist_fine_index(us)]++;
	h->count++;
	h->sum_us += us;
	if (us > h->max_us)
		h->max_us = us;
}

void hist_fine_add(struct hist_fine *dst, const struct hist_fine *src)
{
	unsigned i;

	for (i = 0; i < HIST_FINE_BUCKETS; i++)
		dst->bucket[i] += src->bucket[i];
	dst->count += src->count;
	dst->sum_us += src->sum_us;
	if (src->max_us > dst->max_us)
		dst->max_us = src->max_us;
}

uint64_t hist_fine_quantile_us(const struct hist_fine *h, unsigned permille)
{
	uint64_t rank, seen = 0, upper;
	unsigned i;

	if (h->count == 0)
		return 0;
	rank = hist_rank(h->count, permille);
	for (i = 0; i < HIST_FINE_BUCKETS - 1; i++) {
		seen += h->bucket[i];
		if (seen >= rank)
			break;
	}
	/* The last bucket's values may lie beyond its bound: only the
	 * largest value bounds them. */
	if (i == HIST_FINE_BUCKETS - 1)
		return h->max_us;
	upper = hist_fine_upper_us(i);
	return upper < h->max_us ? upper : h->max_us;
}

int hist_fine_next(const struct hist_fine *h, unsigned *i, uint64_t *upper_us,
		   uint64_t *count)
{
	while (*i < HIST_FINE_BUCKETS && h->bucket[*i] == 0)
		(*i)++;
	if (*i >= HIST_FINE_BUCKETS)
		return 0;
	*upper_us = hist_fine_upper_us(*i);
	*count = h->bucket[*i];
	(*i)++;
	return 1;
}
