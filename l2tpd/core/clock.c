/*
 * One monotonic clock and its timers (see clock.h).
 *
 * Timers sit in a binary min-heap ordered by (deadline, seq): the earliest
 * deadline is at heap[0], and timers due at the same millisecond fire in
 * the order they were started.  Each timer remembers its heap index, so
 * stop and restart are O(log n) without searching.
 *
 * A callback may start or stop any timer, itself included, and may free the
 * object holding its own timer: the clock takes a timer off the heap before
 * calling it and never touches it afterwards.
 */
#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include "core/clock.h"

#define CLOCK_HEAP_MIN	16

static int clock_timer_less(const struct l2tp_timer *a, const struct l2tp_timer *b)
{
	if (a->deadline != b->deadline)
		return a->deadline < b->deadline;
	return a->seq < b->seq;
}

static void clock_heap_set(struct l2tp_clock *c, size_t i, struct l2tp_timer *t)
{
	c->heap[i] = t;
	t->heap_idx = i;
}

static void clock_heap_up(struct l2tp_clock *c, size_t i)
{
	struct l2tp_timer *t = c->heap[i];

	while (i > 0) {
		size_t parent = (i - 1) / 2;

		if (!clock_timer_less(t, c->heap[parent]))
			break;
		clock_heap_set(c, i, c->heap[parent]);
		i = parent;
	}
	clock_heap_set(c, i, t);
}

static void clock_heap_down(struct l2tp_clock *c, size_t i)
{
	struct l2tp_timer *t = c->heap[i];

	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = l;

		if (l >= c->n)
			break;
		if (r < c->n && clock_timer_less(c->heap[r], c->heap[l]))
			m = r;
		if (!clock_timer_less(c->heap[m], t))
			break;
		clock_heap_set(c, i, c->heap[m]);
		i = m;
	}
	clock_heap_set(c, i, t);
}

/* Take t (armed) off the heap. */
static void clock_heap_remove(struct l2tp_clock *c, struct l2tp_timer *t)
{
	size_t i = t->heap_idx;
	struct l2tp_timer *last;

	t->heap_idx = SIZE_MAX;
	last = c->heap[--c->n];
	if (last == t)
		return;
	clock_heap_set(c, i, last);
	if (i > 0 && clock_timer_less(last, c->heap[(i - 1) / 2]))
		clock_heap_up(c, i);
	else
		clock_heap_down(c, i);
}

static int clock_heap_reserve(struct l2tp_clock *c)
{
	struct l2tp_timer **h;
	size_t cap;

	if (c->n < c->cap)
		return 0;
	cap = c->cap ? c->cap * 2 : CLOCK_HEAP_MIN;
	if (cap < c->cap || cap > SIZE_MAX / sizeof(*h))
		return -ENOMEM;
	h = realloc(c->heap, cap * sizeof(*h));
	if (!h)
		return -ENOMEM;
	c->heap = h;
	c->cap = cap;
	return 0;
}

/* The earliest (timer, deadline), to tell whether an operation moved it. */
struct clock_top {
	const struct l2tp_timer *t;
	uint64_t deadline;
};

static struct clock_top clock_top_get(const struct l2tp_clock *c)
{
	struct clock_top top = { NULL, 0 };

	if (c->n) {
		top.t = c->heap[0];
		top.deadline = c->heap[0]->deadline;
	}
	return top;
}

static void clock_notify_if_moved(struct l2tp_clock *c, struct clock_top before)
{
	struct clock_top after = clock_top_get(c);

	if (!c->changed)
		return;
	if (after.t != before.t || after.deadline != before.deadline)
		c->changed(c, c->changed_arg);
}

void clock_init(struct l2tp_clock *c, int simulated)
{
	c->simulated = simulated ? 1 : 0;
	c->sim_now = 0;
	c->next_seq = 0;
	c->heap = NULL;
	c->n = 0;
	c->cap = 0;
	c->changed = NULL;
	c->changed_arg = NULL;
}

void clock_destroy(struct l2tp_clock *c)
{
	size_t i;

	/* Timers still armed become disarmed, so a later stop is harmless. */
	for (i = 0; i < c->n; i++)
		c->heap[i]->heap_idx = SIZE_MAX;
	free(c->heap);
	c->heap = NULL;
	c->n = 0;
	c->cap = 0;
}

uint64_t clock_now(const struct l2tp_clock *c)
{
	struct timespec ts;

	if (c->simulated)
		return c->sim_now;
	if (clock_gettime(CLOCK_MONOTONIC, &ts) < 0)
		return 0;
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

uint64_t clock_now_us(const struct l2tp_clock *c)
{
	struct timespec ts;

	if (c->simulated)
		return c->sim_now * 1000u;
	if (clock_gettime(CLOCK_MONOTONIC, &ts) < 0)
		return 0;
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

uint64_t clock_wall_ms(const struct l2tp_clock *c)
{
	struct timespec ts;

	if (c->simulated)
		return CLOCK_SIM_WALL_EPOCH_MS + c->sim_now;
	if (clock_gettime(CLOCK_REALTIME, &ts) < 0)
		return 0;
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

time_t clock_wall_s(const struct l2tp_clock *c)
{
	if (c->simulated)
		return (time_t)(clock_wall_ms(c) / 1000u);
	return time(NULL);
}

void clock_timer_init(struct l2tp_timer *t, l2tp_timer_cb cb, void *arg)
{
	t->deadline = 0;
	t->heap_idx = SIZE_MAX;
	t->seq = 0;
	t->cb = cb;
	t->arg = arg;
}

int clock_timer_start(struct l2tp_clock *c, struct l2tp_timer *t, uint64_t delay_ms)
{
	struct clock_top before = clock_top_get(c);
	uint64_t now = clock_now(c);

	if (t->heap_idx == SIZE_MAX) {
		int err = clock_heap_reserve(c);

		if (err)
			return err;
		t->heap_idx = c->n;
		c->heap[c->n++] = t;
	}
	t->deadline = delay_ms > UINT64_MAX - now ? UINT64_MAX : now + delay_ms;
	t->seq = c->next_seq++;
	/* A restart may move the timer either way. */
	clock_heap_up(c, t->heap_idx);
	clock_heap_down(c, t->heap_idx);
	clock_notify_if_moved(c, before);
	return 0;
}

void clock_timer_stop(struct l2tp_clock *c, struct l2tp_timer *t)
{
	struct clock_top before;

	if (t->heap_idx == SIZE_MAX)
		return;
	before = clock_top_get(c);
	clock_heap_remove(c, t);
	clock_notify_if_moved(c, before);
}

int clock_timer_pending(const struct l2tp_timer *t)
{
	return t->heap_idx != SIZE_MAX;
}

int64_t clock_next_timeout(const struct l2tp_clock *c)
{
	uint64_t now, d;

	if (!c->n)
		return -1;
	now = clock_now(c);
	d = c->heap[0]->deadline;
	if (d <= now)
		return 0;
	d -= now;
	return d > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)d;
}

/*
 * Fire every timer due now.  Only timers started before this call may fire:
 * one that a callback (re)starts with a zero delay waits for the next run,
 * so a timer re-arming itself for "now" cannot spin the loop forever.
 */
unsigned clock_run(struct l2tp_clock *c)
{
	uint64_t now = clock_now(c);
	uint64_t seq_limit = c->next_seq;
	unsigned ran = 0;

	while (c->n) {
		struct l2tp_timer *t = c->heap[0];

		if (t->deadline > now)
			break;
		if (t->seq >= seq_limit) {
			/* Due now but started by a callback of this run: the
			 * (deadline, seq) order puts every older timer due now
			 * before it, so nothing older is left either. */
			break;
		}
		clock_heap_remove(c, t);
		ran++;
		t->cb(t, t->arg);	/* t may be gone once this returns */
	}
	if (ran && c->changed)
		c->changed(c, c->changed_arg);
	return ran;
}

void clock_advance(struct l2tp_clock *c, uint64_t ms)
{
	uint64_t target;

	if (!c->simulated)
		return;
	target = ms > UINT64_MAX - c->sim_now ? UINT64_MAX : c->sim_now + ms;
	/* Step from deadline to deadline so each callback runs at its own time. */
	while (c->n && c->heap[0]->deadline <= target) {
		if (c->heap[0]->deadline > c->sim_now)
			c->sim_now = c->heap[0]->deadline;
		clock_run(c);
	}
	c->sim_now = target;
}
