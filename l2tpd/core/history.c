/*
 * The failure history (see history.h): a ring of fixed-size records,
 * newest at ring[(head + cap - 1) % cap].
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/history.h"
#include "l2tpd.h"
#include "core/out.h"

#define HISTORY_USER_MAX	64
#define HISTORY_TEXT_MAX	96

struct history_rec {
	time_t wall;			/* for the operator: when, on the wall clock */
	uint64_t mono_ms;		/* d->clk: how long ago */
	char user[HISTORY_USER_MAX];
	uint16_t tid, peer_tid, sid, peer_sid;
	uint32_t peer_addr;		/* network order */
	unsigned cause;
	unsigned repeat;		/* 1 + the repeats folded into it */
	char text[HISTORY_TEXT_MAX];
};

struct vpdn_history {
	struct history_rec *ring;
	unsigned cap;			/* slots */
	unsigned n;			/* records held, <= cap */
	unsigned head;			/* the next slot written */
	uint64_t recorded;		/* failures since start (repeats included) */
	uint64_t dropped;		/* lost for want of memory */
};

static unsigned history_want(const struct l2tpd *d)
{
	unsigned n = d->cfg.history_size;

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

int history_init(struct l2tpd *d)
{
	struct vpdn_history *h;

	if (d->history)
		return history_resize(d->history, history_want(d));
	h = calloc(1, sizeof *h);
	if (!h)
		return -ENOMEM;
	if (history_resize(h, history_want(d))) {
		free(h);
		return -ENOMEM;
	}
	d->history = h;
	return 0;
}

void history_free(struct l2tpd *d)
{
	if (!d->history)
		return;
	free(d->history->ring);
	free(d->history);
	d->history = NULL;
}

static void history_copy(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src ? src : "");
}

void history_failure_add(struct l2tpd *d, const char *user, uint16_t tid, uint16_t peer_tid,
			 uint16_t sid, uint16_t peer_sid, uint32_t peer_addr_n, unsigned cause,
			 const char *text)
{
	struct vpdn_history *h;
	struct history_rec *r;

	/* a ring that could not be resized keeps its old size */
	if (history_init(d) && !(d->history && d->history->cap)) {
		if (d->history)
			d->history->dropped++;
		return;
	}
	h = d->history;
	h->recorded++;
	if (h->n && user && user[0]) {
		r = history_nth(h, 0);
		if (r->cause == cause && r->peer_addr == peer_addr_n && strcmp(r->user, user) == 0) {
			/* the same subscriber failing again: one record, counted */
			r->repeat++;
			r->wall = clock_wall_s(&d->clk);
			r->mono_ms = clock_now(&d->clk);
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
	r->wall = clock_wall_s(&d->clk);
	r->mono_ms = clock_now(&d->clk);
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

unsigned history_failure_count(const struct l2tpd *d)
{
	return d->history ? d->history->n : 0;
}

void history_failure_clear(struct l2tpd *d)
{
	struct vpdn_history *h = d->history;

	if (!h)
		return;
	memset(h->ring, 0, (size_t)h->cap * sizeof *h->ring);
	h->n = 0;
	h->head = 0;
}

static void history_rec_out(struct l2tpd *d, struct out *o, const struct history_rec *r)
{
	char addr[INET_ADDRSTRLEN] = "-", when[32] = "-", age[32];
	struct in_addr a = { .s_addr = r->peer_addr };
	uint64_t now = clock_now(&d->clk);
	uint64_t ago = now > r->mono_ms ? now - r->mono_ms : 0;
	struct tm tm;

	if (r->peer_addr)
		inet_ntop(AF_INET, &a, addr, sizeof addr);
	if (localtime_r(&r->wall, &tm))
		strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
	out_fmt_age(age, sizeof age, ago);
	out_obj_open(o, NULL);
	out_str(o, "user", "\nUser: %s\n", r->user[0] ? r->user : "-");
	out_uint(o, "local_tunnel_id", "Local tunnel ID: %u", r->tid);
	out_uint(o, "local_session_id", ", local session ID: %u\n", r->sid);
	out_uint(o, "remote_tunnel_id", "Remote tunnel ID: %u", r->peer_tid);
	out_uint(o, "remote_session_id", ", remote session ID: %u\n", r->peer_sid);
	out_str(o, "peer_address", "Peer address: %s\n", addr);
	out_str(o, "log_time", "Log time: %s", when);
	out_uint(o, "time", NULL, (uint64_t)r->wall);
	out_text(o, " (%s ago)", age);
	out_uint(o, "age_seconds", NULL, ago / 1000);
	out_uint(o, "repeat_count", ", Error repeat count: %u\n", r->repeat);
	out_uint(o, "cause", "Failure cause: %u\n", r->cause);
	out_str(o, "reason", "Failure reason: %s\n", r->text[0] ? r->text : "-");
	out_obj_close(o);
}

void history_failure_show(struct l2tpd *d, struct out *o)
{
	const struct vpdn_history *h = d->history;
	unsigned n = h ? h->n : 0;

	out_uint(o, "table_size", "Table size: %u\n", h ? h->cap : history_want(d));
	out_uint(o, "entries", "Number of entries in table: %u\n", n);
	out_uint(o, "recorded", NULL, h ? h->recorded : 0);
	out_uint(o, "dropped", NULL, h ? h->dropped : 0);
	if (!n)
		out_text(o, "VPDN user failure table is empty\n");
	out_arr_open(o, "failures");
	for (unsigned i = 0; i < n; i++)
		history_rec_out(d, o, history_nth(h, i));
	out_arr_close(o);
}
