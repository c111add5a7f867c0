/*
 * One clock and its timers, so that tests can drive time.
 *
 * The daemon runs the clock in real mode (CLOCK_MONOTONIC) and arms one
 * libev timer for clock_next_timeout(); unit tests run it in simulated mode
 * and move time with clock_advance().  Timers are kept in a binary min-heap;
 * a timer's callback may start or stop any timer, itself included.
 *
 * Every reading of time goes through here: the monotonic clock (clock_now,
 * clock_now_us) for timers and durations, the wall clock (clock_wall_ms,
 * clock_wall_s) for what people read or other boxes compare.  A simulated
 * clock has a simulated wall clock too, CLOCK_SIM_WALL_EPOCH_MS plus the
 * simulated time, so a test sees the same dates on every run.
 */
#ifndef L2TP_CLOCK_H
#define L2TP_CLOCK_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* The simulated wall clock at simulated time 0: 2024-01-01 00:00:00 UTC. */
#define CLOCK_SIM_WALL_EPOCH_MS	1704067200000ULL

struct l2tp_timer;
typedef void (*l2tp_timer_cb)(struct l2tp_timer *t, void *arg);

struct l2tp_timer {
	uint64_t deadline;	/* ms on the clock */
	size_t heap_idx;	/* position in the heap, SIZE_MAX when not armed */
	uint64_t seq;		/* tie-break: timers due together fire in start order */
	l2tp_timer_cb cb;
	void *arg;
};

struct l2tp_clock {
	int simulated;
	uint64_t sim_now;	/* ms, simulated mode only */
	uint64_t next_seq;
	struct l2tp_timer **heap;
	size_t n, cap;
	/* Called when the earliest deadline may have changed (the daemon re-arms
	 * its libev timer); may be NULL. */
	void (*changed)(struct l2tp_clock *c, void *arg);
	void *changed_arg;
};

void clock_init(struct l2tp_clock *c, int simulated);
void clock_destroy(struct l2tp_clock *c);
/* Monotonic milliseconds: the timers' time. */
uint64_t clock_now(const struct l2tp_clock *c);
/* Monotonic microseconds, for measuring short waits (simulated: ms * 1000). */
uint64_t clock_now_us(const struct l2tp_clock *c);
/* Wall-clock time (CLOCK_REALTIME): ms and s since the Epoch.  Simulated:
 * CLOCK_SIM_WALL_EPOCH_MS plus the simulated time. */
uint64_t clock_wall_ms(const struct l2tp_clock *c);
time_t clock_wall_s(const struct l2tp_clock *c);

void clock_timer_init(struct l2tp_timer *t, l2tp_timer_cb cb, void *arg);
/* (Re)arm t to fire delay_ms from now.  Returns 0 or -ENOMEM. */
int clock_timer_start(struct l2tp_clock *c, struct l2tp_timer *t, uint64_t delay_ms);
void clock_timer_stop(struct l2tp_clock *c, struct l2tp_timer *t);
int clock_timer_pending(const struct l2tp_timer *t);

/* Milliseconds until the earliest deadline (0 if overdue), -1 if none. */
int64_t clock_next_timeout(const struct l2tp_clock *c);
/* Run every timer whose deadline has passed; returns how many ran. */
unsigned clock_run(struct l2tp_clock *c);
/* Simulated mode: move time forward by ms, firing timers in deadline order
 * at their own deadlines (so a callback sees clock_now() == its deadline). */
void clock_advance(struct l2tp_clock *c, uint64_t ms);

#endif
