/*
 * The failure history (see history.h): a ring of fixed-size records,
 * newest at ring[(head + cap - 1) % cap].
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "core/history.h"

struct vpdn_history {
	const struct l2tp_clock *clk;
	const unsigned *size;		/* the configured size; 0: the default */
	struct history_rec *ring;
	unsigned cap;			/* slots */
	unsigned n;			/* records held, <= cap */
	unsigned head;			/* the next slot written */
	uint64_t recorded;		/* failures since start (repeats included) */
	uint64_t dropped;		/* lost for want of memory */
};

static unsigned history_want(const struct vpdn_history *h)
{
	unsigned n = h->size ? *h->size : 0;

	return n ? n : CONFIG_DEF_HISTORY;
}

/* The i-th newest record (0 = newest); i < h->n. */
static struct history_rec *history_nth(const struct vpdn_history *h, unsigned i)
{
	return &h->ring[(h->head + h->cap - 1 - i) % h->cap];
}

/* Give the ring the configured size, keeping the newest records. */
static int history_resize(struct vpdn_history *h, unsigned cap)
{
	struct history_rec *ring;
	unsigned keep;

	if (cap == h->cap)
		return 0;
	ring = calloc(cap, sizeof *ring);
	if (!ring)
		return -ENOMEM;
	keep = h->n < cap ? h->n : cap;
	/* oldest kept first, so the newest lands at ring[keep - 1] */
	for (unsigned i = 0; i < keep; i++)
		ring[i] = *history_nth(h, keep - 1 - i);
	free(h->ring);
	h->ring = ring;
	h->cap = cap;
	h->n = keep;
	h->head = keep % cap;
	return 0;
}

int history_init(struct vpdn_history **hp, const struct l2tp_clock *clk, const unsigned *size)
{
	struct vpdn_history *h;

	if (*hp)
		return history_resize(*hp, history_want(*hp));
	h = calloc(1, sizeof *h);
	if (!h)
		return -ENOMEM;
	h->clk = clk;
	h->size = size;
	if (history_resize(h, history_want(h))) {
		free(h);
		return -ENOMEM;
	}
	*hp = h;
	return 0;
}

void history_free(struct vpdn_history **hp)
{
	if (!*hp)
		return;
	free((*hp)->ring);
	free(*hp);
	*hp = NULL;
}

static void history_copy(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src ? src : "");
}

void history_failure_add(struct vpdn_history *h, const char *user, uint16_t tid,
			 uint16_t peer_tid, uint16_t sid, uint16_t peer_sid, uint32_t peer_addr_n,
			 unsigned cause, const char *text)
{
	struct history_rec *r;

	if (!h)
		return;
	/* a ring that could not be resized keeps its old size */
	if (history_resize(h, history_want(h)) && !h->cap) {
		h->dropped++;
		return;
	}
	h->recorded++;
	if (h->n && user && user[0]) {
		r = history_nth(h, 0);
		if (r->cause == cause && r->peer_addr == peer_addr_n && strcmp(r->user, user) == 0) {
			/* the same subscriber failing again: one record, counted */
			r->repeat++;
			r->wall = clock_wall_s(h->clk);
			r->mono_ms = clock_now(h->clk);
			r->tid = tid;
			r->peer_tid = peer_tid;
			r->sid = sid;
			r->peer_sid = peer_sid;
			history_copy(r->text, sizeof r->text, text);
			return;
		}
	}
	r = &h->ring[h->head];
	memset(r, 0, sizeof *r);
	r->wall = clock_wall_s(h->clk);
	r->mono_ms = clock_now(h->clk);
	history_copy(r->user, sizeof r->user, user);
	r->tid = tid;
	r->peer_tid = peer_tid;
	r->sid = sid;
	r->peer_sid = peer_sid;
	r->peer_addr = peer_addr_n;
	r->cause = cause;
	r->repeat = 1;
	history_copy(r->text, sizeof r->text, text);
	h->head = (h->head + 1) % h->cap;
	if (h->n < h->cap)
		h->n++;
}

unsigned history_failure_count(const struct vpdn_history *h)
{
	return h ? h->n : 0;
}

void history_failure_clear(struct vpdn_history *h)
{
	if (!h)
		return;
	memset(h->ring, 0, (size_t)h->cap * sizeof *h->ring);
	h->n = 0;
	h->head = 0;
}

const struct history_rec *history_failure_nth(const struct vpdn_history *h, unsigned i)
{
	return h && i < h->n ? history_nth(h, i) : NULL;
}

unsigned history_table_size(const struct vpdn_history *h)
{
	return h ? h->cap : 0;
}

uint64_t history_recorded(const struct vpdn_history *h)
{
	return h ? h->recorded : 0;
}

uint64_t history_dropped(const struct vpdn_history *h)
{
	return h ? h->dropped : 0;
}
