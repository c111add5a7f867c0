/*
 * Unit tests of the clock (core/clock.c) and of the reliable control channel
 * (l2tp/ctrl.c, RFC 2661 §5.8).
 *
 * Two channels, A and B, talk through a simulated network driven by the
 * simulated clock: every packet a channel transmits becomes a timer on the
 * same clock that fires after a per-packet delay and hands the packet to the
 * other channel.  Loss, duplication and reordering (random extra delay) come
 * from a seeded xorshift generator, so every run is the same.  No test
 * sleeps.
 *
 * Each data message is a HELLO carrying a Call Serial Number AVP whose value
 * is the sender's running count: the receiver checks that it sees 0, 1, 2...
 * exactly once each and in order.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include "core/clock.h"
#include "l2tp/avp.h"
#include "l2tp/ctrl.h"
#include "l2tp/msg.h"

/* ------------------------------------------------------------------ */
/* Reading what the channel put on the wire (§3.1 control header).    */

static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

struct wire {
	uint16_t length, tid, ns, nr;
	int zlb;
};

static void wire_read(const uint8_t *buf, size_t len, struct wire *w)
{
	assert_true(len >= L2TP_HDR_LEN_CTRL);
	assert_true(buf[0] & 0x80);	/* T */
	w->length = rd16(buf + 2);
	assert_int_equal(w->length, len);
	w->tid = rd16(buf + 4);
	w->ns = rd16(buf + 8);
	w->nr = rd16(buf + 10);
	w->zlb = w->length == L2TP_HDR_LEN_CTRL;
}

/* Header parse and serial decode, through the library's codec. */
static void test_hdr_parse(const uint8_t *buf, size_t len, struct l2tp_hdr *h)
{
	assert_int_equal(l2tp_hdr_parse(buf, len, h), 0);
	assert_true(h->is_ctrl);
}

static uint32_t test_msg_serial(struct l2tp_msg *m, const uint8_t *buf, size_t len)
{
	uint32_t serial = 0;

	assert_int_equal(l2tp_msg_decode(buf, len, m), 0);
	assert_int_equal(m->type, L2TP_MSG_HELLO);
	assert_int_equal(l2tp_msg_get_u32(m, L2TP_AVP_CALL_SERIAL_NUMBER, &serial), 0);
	return serial;
}

/* Encode a data message; Ns/Nr are the channel's business. */
static size_t test_build(struct l2tp_msgbuf *b, uint16_t tid, uint32_t serial)
{
	int len;

	l2tp_msgbuf_init(b, L2TP_MSG_HELLO, tid, 0);
	l2tp_avp_put_u32(b, L2TP_AVP_CALL_SERIAL_NUMBER, serial, 0);
	len = l2tp_msgbuf_finish(b);
	assert_true(len > L2TP_HDR_LEN_CTRL);
	return (size_t)len;
}

/* ------------------------------------------------------------------ */
/* Deterministic randomness.                                          */

static uint64_t xorshift64(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*s = x;
	return x;
}

static unsigned rnd(uint64_t *s, unsigned n)
{
	return (unsigned)(xorshift64(s) % n);
}

/* ------------------------------------------------------------------ */
/* Endpoints and the simulated network.                               */

#define LOG_MAX	64

struct net;

struct ep {
	struct l2tp_ctrl ctrl;
	struct l2tp_clock *clk;
	struct net *net;	/* NULL: packets are only logged */
	int idx;
	uint16_t tid, peer_tid;

	uint32_t tx_serial;	/* next serial to send */
	uint32_t total;		/* serials to send in all */
	uint32_t rx_serial;	/* next serial expected */
	uint16_t rx_ns;		/* next Ns expected at delivery */
	unsigned reply_pct;	/* chance to send from inside deliver */
	int traffic;		/* a traffic timer sends bursts */
	struct l2tp_timer traffic_timer;

	uint16_t nr_seen;	/* newest Nr the network brought us */
	unsigned max_in_flight;	/* largest Ns - nr_seen + 1 seen on the wire */

	unsigned dead_calls, hello_calls;
	uint64_t hello_at, dead_at;
	uint64_t last_deliver_ms;
	unsigned xmits;

	/* HA: a gate holding what leaves until the next checkpoint */
	int gated;
	struct net_pkt *held[256];
	unsigned n_held;
	unsigned probes, resynced;

	struct wire log[LOG_MAX];	/* first LOG_MAX transmissions */
	uint64_t log_ms[LOG_MAX];
	unsigned nlog;

	struct l2tp_msg msg;	/* decode scratch */
};

struct net {
	struct l2tp_clock *clk;
	uint64_t rng;
	unsigned loss_pct, dup_pct;
	unsigned delay_ms, jitter_ms;
	struct ep *ep[2];
	unsigned in_net;
	unsigned sent, lost, duped;
};

struct net_pkt {
	struct l2tp_timer t;
	struct net *net;
	int to;
	size_t len;
	uint8_t buf[];
};

static void ep_send_next(struct ep *e)
{
	struct l2tp_msgbuf b;
	size_t len = test_build(&b, e->peer_tid, e->tx_serial);

	assert_int_equal(l2tp_ctrl_send(&e->ctrl, b.buf, len), 0);
	e->tx_serial++;
}

static void net_arrive(struct l2tp_timer *t, void *arg)
{
	struct net_pkt *p = arg;
	struct net *n = p->net;
	struct ep *e = n->ep[p->to];
	struct l2tp_hdr h;

	(void)t;
	n->in_net--;
	test_hdr_parse(p->buf, p->len, &h);
	assert_int_equal(h.tunnel_id, e->tid);
	if (l2tp_seq_before(e->nr_seen, h.nr))
		e->nr_seen = h.nr;
	assert_int_equal(l2tp_ctrl_input(&e->ctrl, &h, p->buf, p->len), 0);
	free(p);
}

static void net_queue(struct net *n, int to, const uint8_t *buf, size_t len, unsigned delay)
{
	struct net_pkt *p = malloc(sizeof(*p) + len);

	assert_non_null(p);
	p->net = n;
	p->to = to;
	p->len = len;
	memcpy(p->buf, buf, len);
	clock_timer_init(&p->t, net_arrive, p);
	assert_int_equal(clock_timer_start(n->clk, &p->t, delay), 0);
	n->in_net++;
}

static void net_send(struct net *n, int to, const uint8_t *buf, size_t len)
{
	unsigned copies = 1, i;

	n->sent++;
	if (rnd(&n->rng, 100) < n->loss_pct) {
		n->lost++;
		return;
	}
	if (rnd(&n->rng, 100) < n->dup_pct) {
		copies = 2;
		n->duped++;
	}
	for (i = 0; i < copies; i++)
		net_queue(n, to, buf, len, n->delay_ms + rnd(&n->rng, n->jitter_ms + 1));
}

static int ep_xmit(void *arg, const uint8_t *buf, size_t len)
{
	struct ep *e = arg;
	struct wire w;

	wire_read(buf, len, &w);
	assert_int_equal(w.tid, e->peer_tid);
	/* §5.8: every message, new or retransmitted, carries Nr as of now. */
	assert_int_equal(w.nr, e->ctrl.nr);
	if (w.zlb) {
		/* A ZLB carries our next Ns, unincremented. */
		assert_int_equal(w.ns, e->ctrl.ns);
	} else {
		/* The send window, seen from the wire: no Ns at or past the
		 * newest Nr we received plus the peer's window. */
		unsigned in_flight = (uint16_t)(w.ns - e->nr_seen) + 1u;

		assert_true(in_flight <= e->ctrl.swnd);
		if (in_flight > e->max_in_flight)
			e->max_in_flight = in_flight;
	}
	if (e->nlog < LOG_MAX) {
		e->log[e->nlog] = w;
		e->log_ms[e->nlog] = clock_now(e->clk);
		e->nlog++;
	}
	e->xmits++;
	if (e->gated) {
		struct net_pkt *p = malloc(sizeof(*p) + len);

		assert_non_null(p);
		assert_true(e->n_held < 256);
		p->len = len;
		memcpy(p->buf, buf, len);
		e->held[e->n_held++] = p;
		return 0;
	}
	if (e->net)
		net_send(e->net, !e->idx, buf, len);
	return 0;
}

static void ep_deliver(void *arg, const uint8_t *buf, size_t len, const struct l2tp_hdr *h)
{
	struct ep *e = arg;
	uint32_t serial = test_msg_serial(&e->msg, buf, len);

	assert_int_equal(h->ns, e->rx_ns);
	e->rx_ns++;
	assert_int_equal(serial, e->rx_serial);	/* exactly once, in order */
	e->rx_serial++;
	e->last_deliver_ms = clock_now(e->clk);
	if (e->net && e->tx_serial < e->total && rnd(&e->net->rng, 100) < e->reply_pct)
		ep_send_next(e);	/* reentrant send: piggy-backs our Nr */
}

static void ep_dead(void *arg)
{
	struct ep *e = arg;

	e->dead_calls++;
	e->dead_at = clock_now(e->clk);
}

static void ep_hello(void *arg)
{
	struct ep *e = arg;

	e->hello_calls++;
	e->hello_at = clock_now(e->clk);
}

/* Resync probe: the next message of the stream (any message will do). */
static void ep_probe(void *arg)
{
	struct ep *e = arg;

	e->probes++;
	if (e->tx_serial >= e->total)
		e->total++;
	ep_send_next(e);
}

static void ep_resynced(void *arg)
{
	struct ep *e = arg;

	e->resynced++;
}

static const struct l2tp_ctrl_ops ep_ops = {
	.xmit = ep_xmit,
	.deliver = ep_deliver,
	.dead = ep_dead,
	.hello = ep_hello,
	.probe = ep_probe,
	.resynced = ep_resynced,
};

static void ep_traffic(struct l2tp_timer *t, void *arg)
{
	struct ep *e = arg;
	unsigned burst = rnd(&e->net->rng, 4);

	(void)t;
	while (burst-- && e->tx_serial < e->total)
		ep_send_next(e);
	if (e->tx_serial < e->total)
		assert_int_equal(clock_timer_start(e->clk, &e->traffic_timer,
						   10 + rnd(&e->net->rng, 40)), 0);
}

static struct ep *ep_new(struct l2tp_clock *clk, int idx, const struct l2tp_ctrl_cfg *cfg)
{
	struct ep *e = calloc(1, sizeof(*e));

	assert_non_null(e);
	e->clk = clk;
	e->idx = idx;
	e->tid = idx ? 200 : 100;
	e->peer_tid = idx ? 100 : 200;
	assert_int_equal(l2tp_ctrl_init(&e->ctrl, clk, cfg, &ep_ops, e), 0);
	l2tp_ctrl_set_peer(&e->ctrl, e->peer_tid, 0);
	clock_timer_init(&e->traffic_timer, ep_traffic, e);
	return e;
}

static void ep_free(struct ep *e)
{
	while (e->n_held > 0)
		free(e->held[--e->n_held]);
	clock_timer_stop(e->clk, &e->traffic_timer);
	l2tp_ctrl_destroy(&e->ctrl);
	free(e);
}

/* Config for the network tests: no HELLO, a patient retransmitter. */
static void cfg_net(struct l2tp_ctrl_cfg *cfg, unsigned retries)
{
	l2tp_ctrl_cfg_default(cfg);
	cfg->hello_ms = 0;
	cfg->retries = retries;
}

struct pair {
	struct l2tp_clock clk;
	struct net net;
	struct ep *a, *b;
};

static void pair_init(struct pair *p, const struct l2tp_ctrl_cfg *cfg, uint64_t seed)
{
	memset(p, 0, sizeof(*p));
	clock_init(&p->clk, 1);
	p->net.clk = &p->clk;
	p->net.rng = seed;
	p->net.delay_ms = 10;
	p->a = ep_new(&p->clk, 0, cfg);
	p->b = ep_new(&p->clk, 1, cfg);
	p->a->net = p->b->net = &p->net;
	p->net.ep[0] = p->a;
	p->net.ep[1] = p->b;
}

static void pair_start_traffic(struct pair *p, uint32_t total, unsigned reply_pct)
{
	struct ep *e[2] = { p->a, p->b };
	int i;

	for (i = 0; i < 2; i++) {
		e[i]->total = total;
		e[i]->reply_pct = reply_pct;
		assert_int_equal(clock_timer_start(&p->clk, &e[i]->traffic_timer, 0), 0);
	}
}

static int pair_done(const struct pair *p)
{
	return p->a->rx_serial == p->b->total && p->b->rx_serial == p->a->total &&
	       p->a->tx_serial == p->a->total && p->b->tx_serial == p->b->total &&
	       l2tp_ctrl_idle(&p->a->ctrl) && l2tp_ctrl_idle(&p->b->ctrl);
}

/* Run until every message is delivered and acknowledged, then drain the
 * network (late duplicates, the last ZLBs).  Returns the elapsed time. */
static uint64_t pair_run(struct pair *p, uint64_t limit_ms)
{
	uint64_t start = clock_now(&p->clk);

	while (!pair_done(p)) {
		assert_true(clock_now(&p->clk) - start < limit_ms);
		clock_advance(&p->clk, 10);
	}
	while (p->net.in_net || p->a->ctrl.ack_pending || p->b->ctrl.ack_pending)
		clock_advance(&p->clk, 10);
	assert_int_equal(l2tp_ctrl_outstanding(&p->a->ctrl), 0);
	assert_int_equal(l2tp_ctrl_outstanding(&p->b->ctrl), 0);
	assert_int_equal(p->a->dead_calls + p->b->dead_calls, 0);
	assert_int_equal(p->a->ctrl.stats.rx_bad_nr + p->b->ctrl.stats.rx_bad_nr, 0);
	return clock_now(&p->clk) - start;
}

static void pair_free(struct pair *p)
{
	ep_free(p->a);
	ep_free(p->b);
	assert_int_equal(p->clk.n, 0);	/* every timer stopped */
	clock_destroy(&p->clk);
}

/* ------------------------------------------------------------------ */
/* A lone channel fed by hand.                                        */

struct solo {
	struct l2tp_clock clk;
	struct ep *e;
};

static void solo_init(struct solo *s, const struct l2tp_ctrl_cfg *cfg)
{
	clock_init(&s->clk, 1);
	s->e = ep_new(&s->clk, 0, cfg);
}

static void solo_free(struct solo *s)
{
	ep_free(s->e);
	assert_int_equal(s->clk.n, 0);
	clock_destroy(&s->clk);
}

/* Feed the channel a message from its peer: a data message with serial, or
 * a ZLB when zlb is set.  Returns l2tp_ctrl_input()'s answer. */
static int solo_input(struct solo *s, int zlb, uint32_t serial, uint16_t ns, uint16_t nr)
{
	struct l2tp_msgbuf b;
	struct l2tp_hdr h;
	size_t len;

	if (zlb) {
		l2tp_msgbuf_init_zlb(&b, s->e->tid);
		len = (size_t)l2tp_msgbuf_finish(&b);
	} else {
		len = test_build(&b, s->e->tid, serial);
	}
	l2tp_hdr_set_seq(b.buf, ns, nr);
	test_hdr_parse(b.buf, len, &h);
	/* What the wire check in ep_xmit() counts the window from: Nr values
	 * that acknowledge only what was really sent. */
	if (l2tp_seq_before(s->e->nr_seen, nr) && !l2tp_seq_before(s->e->ctrl.ns, nr))
		s->e->nr_seen = nr;
	return l2tp_ctrl_input(&s->e->ctrl, &h, b.buf, len);
}

static const struct wire *solo_last(const struct solo *s)
{
	assert_true(s->e->nlog > 0);
	return &s->e->log[s->e->nlog - 1];
}

/* ================================================================== */
/* Clock                                                              */

struct fire_log {
	struct l2tp_clock *clk;
	int order[64];
	uint64_t at[64];
	unsigned n;
	struct l2tp_timer *victim;	/* stopped by timer 0 */
	struct l2tp_timer *extra;	/* started by timer 1 with delay 0 */
	unsigned self_restarts;
};

struct tmr {
	struct l2tp_timer t;
	struct fire_log *log;
	int id;
};

static void tmr_cb(struct l2tp_timer *t, void *arg)
{
	struct tmr *m = arg;
	struct fire_log *l = m->log;

	assert_ptr_equal(t, &m->t);
	assert_false(clock_timer_pending(t));
	assert_true(l->n < 64);
	l->order[l->n] = m->id;
	l->at[l->n] = clock_now(l->clk);
	l->n++;
	if (m->id == 0 && l->victim)
		clock_timer_stop(l->clk, l->victim);
	if (m->id == 1 && l->extra)
		assert_int_equal(clock_timer_start(l->clk, l->extra, 0), 0);
	if (m->id == 2 && l->self_restarts) {
		l->self_restarts--;
		assert_int_equal(clock_timer_start(l->clk, t, 5), 0);
	}
}

static void test_clock_order(void **state)
{
	struct l2tp_clock clk;
	struct fire_log l = { .clk = &clk };
	struct tmr m[6];
	static const unsigned delay[6] = { 30, 10, 20, 10, 50, 10 };
	static const int want[6] = { 1, 3, 5, 2, 0, 4 };
	unsigned i;

	(void)state;
	clock_init(&clk, 1);
	assert_int_equal(clock_next_timeout(&clk), -1);
	for (i = 0; i < 6; i++) {
		m[i].log = &l;
		m[i].id = (int)i;
		clock_timer_init(&m[i].t, tmr_cb, &m[i]);
		assert_false(clock_timer_pending(&m[i].t));
		assert_int_equal(clock_timer_start(&clk, &m[i].t, delay[i]), 0);
		assert_true(clock_timer_pending(&m[i].t));
	}
	assert_int_equal(clock_next_timeout(&clk), 10);
	clock_advance(&clk, 9);
	assert_int_equal(l.n, 0);
	assert_int_equal(clock_next_timeout(&clk), 1);
	clock_advance(&clk, 100);
	assert_int_equal(clock_now(&clk), 109);
	assert_int_equal(l.n, 6);
	/* Deadline order; equal deadlines in start order; each at its time. */
	for (i = 0; i < 6; i++) {
		assert_int_equal(l.order[i], want[i]);
		assert_int_equal(l.at[i], delay[want[i]]);
	}
	assert_int_equal(clock_next_timeout(&clk), -1);
	clock_destroy(&clk);
}

static void test_clock_reentrant(void **state)
{
	struct l2tp_clock clk;
	struct fire_log l = { .clk = &clk };
	struct tmr m[5];
	unsigned i;

	(void)state;
	clock_init(&clk, 1);
	for (i = 0; i < 5; i++) {
		m[i].log = &l;
		m[i].id = (int)i;
		clock_timer_init(&m[i].t, tmr_cb, &m[i]);
	}
	l.victim = &m[3].t;	/* 0 stops 3, due at the same time */
	l.extra = &m[4].t;	/* 1 starts 4 for "now" */
	l.self_restarts = 2;	/* 2 re-arms itself twice, +5 ms */
	assert_int_equal(clock_timer_start(&clk, &m[0].t, 10), 0);
	assert_int_equal(clock_timer_start(&clk, &m[3].t, 10), 0);
	assert_int_equal(clock_timer_start(&clk, &m[1].t, 20), 0);
	assert_int_equal(clock_timer_start(&clk, &m[2].t, 20), 0);
	/* Restarting moves a timer: 1 now due at 15, after 2's start. */
	assert_int_equal(clock_timer_start(&clk, &m[1].t, 15), 0);
	clock_advance(&clk, 1000);
	assert_int_equal(l.n, 6);
	assert_int_equal(l.order[0], 0);
	assert_int_equal(l.at[0], 10);
	assert_int_equal(l.order[1], 1);
	assert_int_equal(l.at[1], 15);
	assert_int_equal(l.order[2], 4);	/* started by 1 for 15 */
	assert_int_equal(l.at[2], 15);
	assert_int_equal(l.order[3], 2);
	assert_int_equal(l.at[3], 20);
	assert_int_equal(l.order[4], 2);
	assert_int_equal(l.at[4], 25);
	assert_int_equal(l.order[5], 2);
	assert_int_equal(l.at[5], 30);
	assert_false(clock_timer_pending(&m[3].t));
	/* Stopping a stopped timer is harmless. */
	clock_timer_stop(&clk, &m[3].t);
	assert_int_equal(clk.n, 0);
	clock_destroy(&clk);
}

static void count_changed(struct l2tp_clock *c, void *arg)
{
	(void)c;
	(*(unsigned *)arg)++;
}

static void test_clock_changed_hook(void **state)
{
	struct l2tp_clock clk;
	struct fire_log l = { .clk = &clk };
	struct tmr m[3];
	unsigned changed = 0, i;

	(void)state;
	clock_init(&clk, 1);
	clk.changed = count_changed;
	clk.changed_arg = &changed;
	for (i = 0; i < 3; i++) {
		m[i].log = &l;
		m[i].id = 10 + (int)i;
		clock_timer_init(&m[i].t, tmr_cb, &m[i]);
	}
	assert_int_equal(clock_timer_start(&clk, &m[0].t, 100), 0);
	assert_int_equal(changed, 1);		/* first timer */
	assert_int_equal(clock_timer_start(&clk, &m[1].t, 200), 0);
	assert_int_equal(changed, 1);		/* later: earliest unchanged */
	assert_int_equal(clock_timer_start(&clk, &m[2].t, 50), 0);
	assert_int_equal(changed, 2);		/* new earliest */
	clock_timer_stop(&clk, &m[1].t);
	assert_int_equal(changed, 2);		/* not the earliest */
	clock_timer_stop(&clk, &m[2].t);
	assert_int_equal(changed, 3);		/* the earliest went */
	assert_int_equal(clock_next_timeout(&clk), 100);
	clock_advance(&clk, 100);
	assert_int_equal(l.n, 1);
	assert_true(changed >= 4);
	clock_destroy(&clk);
}

/* Many timers started, restarted and stopped at random: every armed timer
 * fires once, at its deadline, in (deadline, start) order. */
struct stress {
	struct l2tp_timer t;
	uint64_t want_at;
	uint64_t start_seq;
	unsigned fired;
	struct l2tp_clock *clk;
	uint64_t *last_at, *last_seq;
};

static void stress_cb(struct l2tp_timer *t, void *arg)
{
	struct stress *s = arg;
	uint64_t now = clock_now(s->clk);

	(void)t;
	assert_int_equal(now, s->want_at);
	assert_true(now > *s->last_at || (now == *s->last_at && s->start_seq > *s->last_seq));
	*s->last_at = now;
	*s->last_seq = s->start_seq;
	s->fired++;
}

static void test_clock_heap_stress(void **state)
{
	enum { N = 500 };
	struct l2tp_clock clk;
	struct stress *s = calloc(N, sizeof(*s));
	uint64_t rng = 0x9e3779b97f4a7c15ull, last_at = 0, last_seq = 0, seq = 1;
	int armed[N] = { 0 };
	unsigned i, round;

	(void)state;
	assert_non_null(s);
	clock_init(&clk, 1);
	for (i = 0; i < N; i++) {
		s[i].clk = &clk;
		s[i].last_at = &last_at;
		s[i].last_seq = &last_seq;
		clock_timer_init(&s[i].t, stress_cb, &s[i]);
	}
	for (round = 0; round < 20; round++) {
		for (i = 0; i < 2 * N; i++) {
			unsigned k = rnd(&rng, N);

			if (rnd(&rng, 4) == 0) {
				clock_timer_stop(&clk, &s[k].t);
				armed[k] = 0;
			} else {
				uint64_t d = rnd(&rng, 300);

				assert_int_equal(clock_timer_start(&clk, &s[k].t, d), 0);
				s[k].want_at = clock_now(&clk) + d;
				s[k].start_seq = seq++;
				armed[k] = 1;
			}
		}
		for (i = 0; i < N; i++) {
			s[i].fired = 0;
			assert_int_equal(clock_timer_pending(&s[i].t), armed[i]);
		}
		last_seq = 0;
		clock_advance(&clk, 300);
		for (i = 0; i < N; i++) {
			assert_int_equal(s[i].fired, armed[i]);
			armed[i] = 0;
		}
		assert_int_equal(clk.n, 0);
	}
	clock_destroy(&clk);
	free(s);
}

struct spin {
	struct l2tp_timer t;
	struct l2tp_clock *clk;
	unsigned fired;
};

static void spin_cb(struct l2tp_timer *t, void *arg)
{
	struct spin *s = arg;

	if (++s->fired < 1000)
		assert_int_equal(clock_timer_start(s->clk, t, 0), 0);
}

/* A timer re-arming itself for "now" runs once per clock_run(), so the
 * event loop cannot spin. */
static void test_clock_run_no_spin(void **state)
{
	struct l2tp_clock clk;
	struct spin s = { .clk = &clk };

	(void)state;
	clock_init(&clk, 1);
	clock_timer_init(&s.t, spin_cb, &s);
	assert_int_equal(clock_timer_start(&clk, &s.t, 0), 0);
	assert_int_equal(clock_run(&clk), 1);
	assert_int_equal(s.fired, 1);
	assert_int_equal(clock_run(&clk), 1);
	assert_int_equal(s.fired, 2);
	clock_timer_stop(&clk, &s.t);
	clock_destroy(&clk);
}

static void test_clock_real(void **state)
{
	struct l2tp_clock clk;
	struct fire_log l = { .clk = &clk };
	struct tmr m = { .log = &l, .id = 7 };
	uint64_t t0, t1;

	(void)state;
	clock_init(&clk, 0);
	t0 = clock_now(&clk);
	assert_true(t0 > 0);
	clock_timer_init(&m.t, tmr_cb, &m);
	assert_int_equal(clock_timer_start(&clk, &m.t, 0), 0);
	assert_int_equal(clock_next_timeout(&clk), 0);
	assert_int_equal(clock_run(&clk), 1);
	assert_int_equal(l.n, 1);
	assert_int_equal(clock_timer_start(&clk, &m.t, 3600 * 1000), 0);
	assert_int_equal(clock_run(&clk), 0);
	assert_true(clock_next_timeout(&clk) > 3599 * 1000);
	t1 = clock_now(&clk);
	assert_true(t1 >= t0);
	clock_advance(&clk, 10000000);	/* no effect on a real clock */
	assert_true(clock_now(&clk) - t1 < 1000000);
	clock_timer_stop(&clk, &m.t);
	clock_destroy(&clk);
}

/* ================================================================== */
/* Control channel                                                    */

static void test_seq_before(void **state)
{
	(void)state;
	assert_true(l2tp_seq_before(0, 1));
	assert_false(l2tp_seq_before(1, 0));
	assert_false(l2tp_seq_before(5, 5));
	assert_true(l2tp_seq_before(65535, 0));
	assert_true(l2tp_seq_before(65530, 3));
	assert_false(l2tp_seq_before(3, 65530));
	assert_true(l2tp_seq_before(0, 32767));
	assert_false(l2tp_seq_before(0, 32768));
}

/* (1) Clean path: everything delivered exactly once, in order. */
static void test_clean_path(void **state)
{
	struct l2tp_ctrl_cfg cfg;
	struct pair p;

	(void)state;
	cfg_net(&cfg, 5);
	pair_init(&p, &cfg, 1);
	pair_start_traffic(&p, 200, 50);
	pair_run(&p, 60000);
	assert_int_equal(p.a->rx_serial, 200);
	assert_int_equal(p.b->rx_serial, 200);
	assert_int_equal(p.a->ctrl.stats.rx_msgs, 200);
	assert_int_equal(p.a->ctrl.stats.tx_msgs, 200);
	assert_int_equal(p.a->ctrl.stats.tx_retransmits + p.b->ctrl.stats.tx_retransmits, 0);
	assert_int_equal(p.a->ctrl.stats.rx_duplicates + p.b->ctrl.stats.rx_duplicates, 0);
	assert_int_equal(p.a->ctrl.stats.rx_out_of_order + p.b->ctrl.stats.rx_out_of_order, 0);
	assert_int_equal(p.a->ctrl.stats.tx_errors + p.b->ctrl.stats.tx_errors, 0);
	pair_free(&p);
}

/* A ping-pong on a 5 ms network: each end sends 20 messages, each one the
 * answer to a message received, once the test has a send its first.
 * Checked after the run: a's last frame is the ZLB that acknowledges b's
 * last answer, ack_delay_ms after a delivered it. */
static void pingpong_init(struct pair *p, struct l2tp_ctrl_cfg *cfg, uint64_t seed)
{
	cfg_net(cfg, 5);
	pair_init(p, cfg, seed);
	p->a->total = p->b->total = 20;
	p->a->reply_pct = p->b->reply_pct = 100;
}

static void assert_last_zlb_delayed(const struct pair *p, const struct l2tp_ctrl_cfg *cfg)
{
	const struct wire *w = &p->a->log[p->a->nlog - 1];

	assert_int_equal(p->a->ctrl.stats.tx_zlb, 1);
	assert_true(w->zlb);
	assert_int_equal(w->nr, 20);
	assert_int_equal(p->a->log_ms[p->a->nlog - 1] - p->a->last_deliver_ms, cfg->ack_delay_ms);
}

/* (1) Ping-pong: every reply piggy-backs the ack; the last message gets a
 * ZLB exactly ack_delay_ms after its delivery. */
static void test_piggyback_and_delayed_zlb(void **state)
{
	struct l2tp_ctrl_cfg cfg;
	struct pair p;

	(void)state;
	pingpong_init(&p, &cfg, 2);
	ep_send_next(p.a);	/* A 0 -> B replies 0 -> A sends 1 -> ... */
	pair_run(&p, 60000);
	assert_int_equal(p.a->rx_serial, 20);
	assert_int_equal(p.b->rx_serial, 20);
	assert_int_equal(p.b->ctrl.stats.tx_zlb, 0);	/* all piggy-backed */
	assert_last_zlb_delayed(&p, &cfg);		/* B's last reply */
	pair_free(&p);
}

/* (1b) A message answered from the delivery callback is acknowledged by
 * the answer: the delayed-ack timer is not even armed (a start and a stop
 * of a heap timer for each message of a set-up); the unanswered last one
 * still gets its ZLB after ack_delay_ms. */
static void test_answered_arms_no_ack_timer(void **state)
{
	struct l2tp_ctrl_cfg cfg;
	struct pair p;

	(void)state;
	pingpong_init(&p, &cfg, 3);
	/* every start of a timer writes its sequence number */
	p.b->ctrl.ack_timer.seq = UINT64_MAX;
	ep_send_next(p.a);
	pair_run(&p, 60000);
	assert_int_equal(p.b->rx_serial, 20);
	assert_int_equal(p.b->ctrl.stats.tx_zlb, 0);
	assert_true(p.b->ctrl.ack_timer.seq == UINT64_MAX);	/* never armed */
	assert_last_zlb_delayed(&p, &cfg);			/* B's last reply */
	pair_free(&p);
}

static void lossy_run(unsigned loss, unsigned dup, uint64_t seed, uint16_t start_a,
		      uint16_t start_b, uint32_t total)
{
	struct l2tp_ctrl_cfg cfg;
	struct pair p;
	uint64_t tx_rtx, rx_dup, rx_ooo, elapsed;

	cfg_net(&cfg, 40);
	pair_init(&p, &cfg, seed);
	p.net.loss_pct = loss;
	p.net.dup_pct = dup;
	p.net.jitter_ms = 60;	/* 10..70 ms: heavy reordering */
	/* Start the sequence spaces where asked (fields set after init). */
	p.a->ctrl.ns = p.a->ctrl.una = start_a;
	p.b->ctrl.nr = p.b->rx_ns = start_a;
	p.a->nr_seen = start_a;
	p.b->ctrl.ns = p.b->ctrl.una = start_b;
	p.a->ctrl.nr = p.a->rx_ns = start_b;
	p.b->nr_seen = start_b;
	pair_start_traffic(&p, total, 30);
	elapsed = pair_run(&p, 3600 * 1000);
	print_message("loss %u%% dup %u%%: %u packets, %u lost, %u duplicated, %llu s; "
		      "retransmits %llu/%llu, duplicates %llu/%llu, out of order %llu/%llu, "
		      "beyond window %llu/%llu, ZLBs %llu/%llu\n", loss, dup, p.net.sent,
		      p.net.lost, p.net.duped, (unsigned long long)(elapsed / 1000),
		      (unsigned long long)p.a->ctrl.stats.tx_retransmits,
		      (unsigned long long)p.b->ctrl.stats.tx_retransmits,
		      (unsigned long long)p.a->ctrl.stats.rx_duplicates,
		      (unsigned long long)p.b->ctrl.stats.rx_duplicates,
		      (unsigned long long)p.a->ctrl.stats.rx_out_of_order,
		      (unsigned long long)p.b->ctrl.stats.rx_out_of_order,
		      (unsigned long long)p.a->ctrl.stats.rx_out_of_window,
		      (unsigned long long)p.b->ctrl.stats.rx_out_of_window,
		      (unsigned long long)p.a->ctrl.stats.tx_zlb,
		      (unsigned long long)p.b->ctrl.stats.tx_zlb);

	assert_int_equal(p.a->rx_serial, total);
	assert_int_equal(p.b->rx_serial, total);
	assert_int_equal(p.a->ctrl.stats.rx_msgs, total);
	assert_int_equal(p.b->ctrl.stats.rx_msgs, total);
	assert_int_equal(p.a->ctrl.ns, (uint16_t)(start_a + total));
	assert_int_equal(p.b->ctrl.nr, (uint16_t)(start_a + total));
	assert_int_equal(p.b->ctrl.ns, (uint16_t)(start_b + total));
	assert_int_equal(p.a->ctrl.nr, (uint16_t)(start_b + total));
	assert_true(p.net.lost > 0);
	if (dup)
		assert_true(p.net.duped > 0);
	tx_rtx = p.a->ctrl.stats.tx_retransmits + p.b->ctrl.stats.tx_retransmits;
	rx_dup = p.a->ctrl.stats.rx_duplicates + p.b->ctrl.stats.rx_duplicates;
	rx_ooo = p.a->ctrl.stats.rx_out_of_order + p.b->ctrl.stats.rx_out_of_order;
	assert_true(tx_rtx > 0);
	assert_true(rx_dup > 0);
	assert_true(rx_ooo > 0);
	assert_int_equal(p.a->ctrl.ooo_n + p.b->ctrl.ooo_n, 0);
	pair_free(&p);
}

/* (2) Loss, duplication and reordering. */
static void test_lossy_10(void **state)
{
	(void)state;
	lossy_run(10, 5, 0x1234567ull, 0, 0, 1000);
}

static void test_lossy_30(void **state)
{
	(void)state;
	lossy_run(30, 10, 0xfeedfaceull, 0, 0, 1000);
}

/* (3) Ns/Nr wrap from 65530 (A) and 65533 (B) past 65535 -> 0. */
static void test_wraparound(void **state)
{
	(void)state;
	lossy_run(20, 5, 0xabcdefull, 65530, 65533, 300);
}

/* (4) Never more than the peer's RWS in flight, measured on the wire. */
static void test_send_window(void **state)
{
	static const struct { uint16_t rws, want; } cases[] = {
		{ 0, 4 }, { 4, 4 }, { 2, 2 }, { 1, 1 }, { 8, 8 },
	};
	unsigned i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct l2tp_ctrl_cfg cfg;
		struct pair p;

		cfg_net(&cfg, 5);
		cfg.rws = 8;	/* B can take 8 */
		pair_init(&p, &cfg, 3 + i);
		l2tp_ctrl_set_peer(&p.a->ctrl, p.a->peer_tid, cases[i].rws);
		assert_int_equal(p.a->ctrl.swnd, cases[i].want);
		p.a->total = 60;
		/* Everything at once: the rest waits for the window. */
		while (p.a->tx_serial < p.a->total)
			ep_send_next(p.a);
		assert_int_equal(l2tp_ctrl_outstanding(&p.a->ctrl), 60);
		assert_int_equal(p.a->xmits, cases[i].want);
		pair_run(&p, 60000);
		assert_int_equal(p.b->rx_serial, 60);
		assert_int_equal(p.a->max_in_flight, cases[i].want);
		pair_free(&p);
	}
}

/* (4) A window opened later by set_peer lets waiting messages go. */
static void test_set_peer_opens_window(void **state)
{
	struct l2tp_ctrl_cfg cfg;
	struct solo s;
	unsigned i;

	(void)state;
	cfg_net(&cfg, 5);
	solo_init(&s, &cfg);
	l2tp_ctrl_set_peer(&s.e->ctrl, s.e->peer_tid, 1);
	for (i = 0; i < 5; i++)
		ep_send_next(s.e);
	assert_int_equal(s.e->xmits, 1);
	l2tp_ctrl_set_peer(&s.e->ctrl, s.e->peer_tid, 3);
	assert_int_equal(s.e->xmits, 3);
	assert_int_equal(s.e->log[2].ns, 2);
	assert_int_equal(l2tp_ctrl_outstanding(&s.e->ctrl), 5);
	/* Ack two: two more go. */
	assert_int_equal(solo_input(&s, 1, 0, 0, 2), 0);
	assert_int_equal(s.e->xmits, 5);
	assert_int_equal(l2tp_ctrl_outstanding(&s.e->ctrl), 3);
	solo_free(&s);
}

/* (5) A duplicate is dropped and re-acknowledged at once with a ZLB. */
static void test_duplicate_reack(void **state)
{
	struct l2tp_ctrl_cfg cfg;
	struct solo s;

	(void)state;
	cfg_net(&cfg, 5);
	solo_init(&s, &cfg);
	assert_int_equal(solo_input(&s, 0, 0, 0, 0), 0);
	assert_int_equal(s.e->rx_serial, 1);
	assert_int_equal(s.e->xmits, 0);	/* ack is delayed */
	assert_true(s.e->ctrl.ack_pending);

	clock_advance(&s.clk, 5);
	assert_int_equal(solo_input(&s, 0, 0, 0, 0), 0);	/* again */
	assert_int_equal(s.e->rx_serial, 1);			/* not delivered twice */
	assert_int_equal(s.e->ctrl.stats.rx_duplicates, 1);
	assert_int_equal(s.e->xmits, 1);			/* at once */
	assert_true(solo_last(&s)->zlb);
	assert_int_equal(solo_last(&s)->nr, 1);
	assert_int_equal(s.e->log_ms[0], 5);
	assert_false(s.e->ctrl.ack_pending);			/* that ZLB was the ack */
	clock_advance(&s.clk, 1000);
	assert_int_equal(s.e->xmits, 1);

	/* A duplicate long after, even across the wrap, is still re-acked. */
	s.e->ctrl.nr = s.e->rx_ns = 3;
	assert_int_equal(solo_input(&s, 0, 9, 65535, 0), 0);
	assert_int_equal(s.e->ctrl.stats.rx_duplicates, 2);
	assert_int_equal(s.e->xmits, 2);
	assert_int_equal(solo_last(&s)->nr, 3);
	solo_free(&s);
}

/* (6) Early messages inside the window are held and delivered when the gap
 * fills; beyond the window they are dropped; every one is acked at once. */
static void test_out_of_order(void **state)
{
	struct l2tp_ctrl_cfg cfg;
	struct solo s;

	(void)state;
	cfg_net(&cfg, 5);
	cfg.rws = 4;	/* expects 0; holds 1..4 */
	solo_init(&s, &cfg);

	assert_int_equal(solo_input(&s, 0, 2, 2, 0), 0);
	assert_int_equal(solo_input(&s, 0, 1, 1, 0), 0);
	assert_int_equal(solo_input(&s, 0, 4, 4, 0), 0);
	assert_int_equal(s.e->ctrl.stats.rx_out_of_order, 3);
	assert_int_equal(s.e->ctrl.ooo_n, 3);
	assert_int_equal(s.e->rx_serial, 0);		/* nothing delivered yet */
	assert_int_equal(s.e->xmits, 3);		/* each acked at once ... */
	assert_true(solo_last(&s)->zlb);
	assert_int_equal(solo_last(&s)->nr, 0);	/* ... showing the gap */

	assert_int_equal(solo_input(&s, 0, 5, 5, 0), 0);	/* beyond */
	assert_int_equal(s.e->ctrl.stats.rx_out_of_window, 1);
	assert_int_equal(s.e->xmits, 4);
	assert_int_equal(solo_input(&s, 0, 2, 2, 0), 0);	/* held twice */
	assert_int_equal(s.e->ctrl.stats.rx_duplicates, 1);
	assert_int_equal(s.e->ctrl.ooo_n, 3);
	assert_int_equal(s.e->xmits, 5);			/* re-acked too */

	/* 0 fills the gap: 0, 1, 2 go; 3 is missing so 4 stays.  Three
	 * delivered is at least half the window: acked at once, not delayed
	 * (a peer with a full window would otherwise stall for the delay). */
	assert_int_equal(solo_input(&s, 0, 0, 0, 0), 0);
	assert_int_equal(s.e->rx_serial, 3);
	assert_int_equal(s.e->ctrl.nr, 3);
	assert_int_equal(s.e->ctrl.ooo_n, 1);
	assert_int_equal(s.e->xmits, 6);
	assert_true(solo_last(&s)->zlb);
	assert_int_equal(solo_last(&s)->nr, 3);
	/* 3 arrives: 3 and 4 go (two: half the window, acked at once), then
	 * 5 (dropped before) is inside. */
	assert_int_equal(solo_input(&s, 0, 3, 3, 0), 0);
	assert_int_equal(s.e->rx_serial, 5);
	assert_int_equal(s.e->ctrl.ooo_n, 0);
	assert_int_equal(s.e->xmits, 7);
	assert_int_equal(solo_last(&s)->nr, 5);
	assert_int_equal(solo_input(&s, 0, 5, 5, 0), 0);
	assert_int_equal(s.e->rx_serial, 6);
	assert_int_equal(s.e->ctrl.stats.rx_msgs, 6);
	/* A lone in-order message waits for the delayed ZLB. */
	assert_int_equal(s.e->xmits, 7);
	clock_advance(&s.clk, cfg.ack_delay_ms - 1);
	assert_int_equal(s.e->xmits, 7);
	clock_advance(&s.clk, 1);
	assert_int_equal(s.e->xmits, 8);
	assert_int_equal(solo_last(&s)->nr, 6);
	solo_free(&s);
}

/* (7) Backoff 1, 2, 4, 8, 8 s, then ops->dead once, 8 s after the last. */
static void test_backoff_and_dead(void **state)
{
	static const uint64_t want[] = { 0, 1000, 3000, 7000, 15000, 23000 };
	struct l2tp_ctrl_cfg cfg;
	struct solo s;
	uint8_t buf[L2TP_HDR_LEN_CTRL + 8];
	unsigned i;

	(void)state;
	cfg_net(&cfg, 5);
	cfg.rto_min_ms = 1000;
	cfg.rto_max_ms = 8000;
	solo_init(&s, &cfg);
	ep_send_next(s.e);
	clock_advance(&s.clk, 100000);
	assert_int_equal(s.e->xmits, 6);
	for (i = 0; i < 6; i++) {
		assert_int_equal(s.e->log_ms[i], want[i]);
		assert_false(s.e->log[i].zlb);
		assert_int_equal(s.e->log[i].ns, 0);
	}
	assert_int_equal(s.e->ctrl.stats.tx_retransmits, 5);
	assert_int_equal(s.e->dead_calls, 1);
	assert_int_equal(s.e->dead_at, 31000);
	assert_true(s.e->ctrl.dead);
	/* Dead: nothing more, sends and input refused. */
	memset(buf, 0, sizeof(buf));
	buf[0] = 0xc8;
	buf[1] = 0x02;
	assert_int_equal(l2tp_ctrl_send(&s.e->ctrl, buf, sizeof(buf)), -EPIPE);
	assert_int_equal(solo_input(&s, 1, 0, 0, 1), -EPIPE);
	clock_advance(&s.clk, 100000);
	assert_int_equal(s.e->xmits, 6);
	assert_int_equal(s.e->dead_calls, 1);
	assert_int_equal(s.clk.n, 0);
	solo_free(&s);
}

/* (7) Progress resets the backoff: the next message starts from rto_min;
 * one whose own timeout ran out while it waited behind the oldest is resent
 * at the acknowledgement, one sent more recently waits for its timer. */
static void test_backoff_reset_on_ack(void **state)
{
	struct l2tp_ctrl_cfg cfg;
	struct solo s;

	(void)state;
	cfg_net(&cfg, 5);
	solo_init(&s, &cfg);
	ep_send_next(s.e);		/* Ns 0 at 0 */
	ep_send_next(s.e);		/* Ns 1 at 0 */
	clock_advance(&s.clk, 3500);	/* 0 resent at 1000 and 3000 */
	assert_int_equal(s.e->xmits, 4);
	assert_int_equal(s.e->ctrl.rto_ms, 4000);
	assert_int_equal(solo_input(&s, 1, 0, 0, 1), 0);	/* 0 acked at 3500 */
	assert_int_equal(s.e->ctrl.rto_ms, 1000);
	assert_int_equal(s.e->ctrl.rtx_count, 0);
	assert_int_equal(s.e->xmits, 5);			/* 1, sent at 0, resent now */
	assert_int_equal(solo_last(&s)->ns, 1);
	assert_int_equal(s.e->log_ms[4], 3500);
	assert_int_equal(s.e->ctrl.stats.tx_rtx_overdue, 1);
	clock_advance(&s.clk, 999);
	assert_int_equal(s.e->xmits, 5);
	clock_advance(&s.clk, 1);
	assert_int_equal(s.e->xmits, 6);			/* then on its timer: 4500 */
	assert_int_equal(solo_last(&s)->ns, 1);
	assert_int_equal(s.e->log_ms[5], 4500);
	assert_int_equal(solo_input(&s, 1, 0, 0, 2), 0);	/* all acked */
	assert_false(clock_timer_pending(&s.e->ctrl.rtx_timer));
	assert_true(l2tp_ctrl_idle(&s.e->ctrl));
	/* Karn: the RTT comes only from a message sent once. */
	assert_int_equal(s.e->ctrl.stats.rtt_last_ms, 0);

	/* Ns 2 at 4500, resent at 5500; Ns 3 sent at 6000; 2 acked at 6500:
	 * 3 has waited 500 ms only, so it keeps its timer (7500). */
	ep_send_next(s.e);
	clock_advance(&s.clk, 1500);
	ep_send_next(s.e);
	assert_int_equal(s.e->xmits, 9);
	clock_advance(&s.clk, 500);
	assert_int_equal(solo_input(&s, 1, 0, 0, 3), 0);
	assert_int_equal(s.e->xmits, 9);
	assert_int_equal(s.e->ctrl.stats.tx_rtx_overdue, 1);
	clock_advance(&s.clk, 999);
	assert_int_equal(s.e->xmits, 9);
	clock_advance(&s.clk, 1);
	assert_int_equal(s.e->xmits, 10);
	assert_int_equal(solo_last(&s)->ns, 3);
	solo_free(&s);
}

/* (7b) A whole window lost at once (received by a peer's box that then
 * died): after the oldest's timeout, each acknowledgement brings the next
 * message at once, not rto_min later: 8 messages recovered in one
 * timeout, not eight. */
static void test_window_lost(void **state)
{
	struct l2tp_ctrl_cfg cfg;
	struct solo s;
	uint16_t k;

	(void)state;
	cfg_net(&cfg, 5);
	solo_init(&s, &cfg);
	l2tp_ctrl_set_peer(&s.e->ctrl, s.e->peer_tid, 8);
	for (k = 0; k < 8; k++)
		ep_send_next(s.e);	/* Ns 0..7 at 0, all lost */
	assert_int_equal(s.e->xmits, 8);
	clock_advance(&s.clk, 1000);	/* 0 resent */
	assert_int_equal(s.e->xmits, 9);
	for (k = 1; k < 8; k++) {
		assert_int_equal(solo_input(&s, 1, 0, 0, k), 0);
		assert_int_equal(s.e->xmits, 9 + k);
		assert_int_equal(solo_last(&s)->ns, k);
		assert_int_equal(s.e->log_ms[8 + k], 1000);
	}
	assert_int_equal(solo_input(&s, 1, 0, 0, 8), 0);
	assert_true(l2tp_ctrl_idle(&s.e->ctrl));
	assert_int_equal(s.e->ctrl.stats.tx_rtx_overdue, 7);
	assert_int_equal(s.e->ctrl.stats.tx_retransmits, 8);
	solo_free(&s);
}

/* (8) HELLO after hello_ms of silence, not before; traffic resets it. */
static void test_hello(void **state)
{
	struct l2tp_ctrl_cfg cfg;
	struct solo s;

	(void)state;
	cfg_net(&cfg, 5);
	cfg.hello_ms = 60000;
	solo_init(&s, &cfg);
	clock_advance(&s.clk, 59999);
	assert_int_equal(s.e->hello_calls, 0);
	clock_advance(&s.clk, 1);
	assert_int_equal(s.e->hello_calls, 1);
	assert_int_equal(s.e->hello_at, 60000);
	/* One callback per silence: the HELLO it causes is reliable. */
	clock_advance(&s.clk, 200000);
	assert_int_equal(s.e->hello_calls, 1);

	/* A ZLB at 290000 and a message at 320000 each push it back. */
	clock_advance(&s.clk, 30000);		/* now 290000 */
	assert_int_equal(solo_input(&s, 1, 0, 0, 0), 0);
	clock_advance(&s.clk, 30000);		/* 320000 */
	assert_int_equal(solo_input(&s, 0, 0, 0, 0), 0);
	clock_advance(&s.clk, 59999);
	assert_int_equal(s.e->hello_calls, 1);
	clock_advance(&s.clk, 1);
	assert_int_equal(s.e->hello_calls, 2);
	assert_int_equal(s.e->hello_at, 380000);
	solo_free(&s);
}

/* (8b) The peer's messages do not move the hello timer one by one (each
 * move a heap operation, on every message of every tunnel): it fires
 * where it was armed and is armed again for the rest of the silence, so
 * the HELLO still comes hello_ms after the last message. */
static void test_hello_not_moved_per_message(void **state)
{
	struct l2tp_ctrl_cfg cfg;
	struct solo s;
	uint64_t armed;
	uint16_t i;

	(void)state;
	cfg_net(&cfg, 5);
	cfg.hello_ms = 60000;
	solo_init(&s, &cfg);
	armed = s.e->ctrl.hello_timer.seq;
	for (i = 0; i < 50; i++) {		/* a ZLB a second, 1 .. 50 s */
		clock_advance(&s.clk, 1000);
		assert_int_equal(solo_input(&s, 1, 0, 0, 0), 0);
	}
	assert_true(s.e->ctrl.hello_timer.seq == armed);	/* not restarted */
	clock_advance(&s.clk, 59999);		/* 109999: 1 ms short of the silence */
	assert_int_equal(s.e->hello_calls, 0);
	assert_true(s.e->ctrl.hello_timer.seq != armed);	/* re-armed once, at 60 s */
	clock_advance(&s.clk, 1);
	assert_int_equal(s.e->hello_calls, 1);
	assert_int_equal(s.e->hello_at, 110000);
	solo_free(&s);
}

/* (9) An Nr acknowledging what was never sent is counted, frees nothing,
 * and the message's Ns is still honoured. */
static void test_bad_nr(void **state)
{
	struct l2tp_ctrl_cfg cfg;
	struct solo s;

	(void)state;
	cfg_net(&cfg, 5);
	solo_init(&s, &cfg);
	l2tp_ctrl_set_peer(&s.e->ctrl, s.e->peer_tid, 2);
	ep_send_next(s.e);
	ep_send_next(s.e);
	ep_send_next(s.e);	/* Ns 0, 1 sent; the third waits */
	assert_int_equal(s.e->ctrl.ns, 2);
	assert_int_equal(l2tp_ctrl_outstanding(&s.e->ctrl), 3);

	/* Nr 3 would cover the waiting message, never sent. */
	assert_int_equal(solo_input(&s, 1, 0, 0, 3), -EBADMSG);
	assert_int_equal(s.e->ctrl.stats.rx_bad_nr, 1);
	assert_int_equal(l2tp_ctrl_outstanding(&s.e->ctrl), 3);
	assert_int_equal(s.e->xmits, 2);

	/* Far ahead, on a message: Nr ignored, message delivered and acked. */
	assert_int_equal(solo_input(&s, 0, 0, 0, 30000), -EBADMSG);
	assert_int_equal(s.e->ctrl.stats.rx_bad_nr, 2);
	assert_int_equal(l2tp_ctrl_outstanding(&s.e->ctrl), 3);
	assert_int_equal(s.e->rx_serial, 1);
	assert_int_equal(s.e->ctrl.nr, 1);

	/* A stale Nr (before anything outstanding, modulo 2^16) is not an
	 * error: a late packet.  It frees nothing either. */
	assert_int_equal(solo_input(&s, 1, 0, 1, 40000), 0);
	assert_int_equal(s.e->ctrl.stats.rx_bad_nr, 2);
	assert_int_equal(l2tp_ctrl_outstanding(&s.e->ctrl), 3);

	/* The right Nr still works afterwards. */
	assert_int_equal(solo_input(&s, 1, 0, 1, 2), 0);
	assert_int_equal(l2tp_ctrl_outstanding(&s.e->ctrl), 1);
	assert_int_equal(s.e->xmits, 3);	/* the third went */
	assert_int_equal(solo_last(&s)->ns, 2);
	assert_int_equal(solo_last(&s)->nr, 1);	/* piggy-backs the ack */
	solo_free(&s);
}

/* Misuse is refused; destroy frees everything still queued. */
static void test_misuse_and_destroy(void **state)
{
	struct l2tp_ctrl_cfg cfg;
	struct solo s;
	struct l2tp_msgbuf b;
	uint8_t zlb[L2TP_HDR_LEN_CTRL];
	unsigned i;

	(void)state;
	cfg_net(&cfg, 5);
	cfg.rws = 8;
	solo_init(&s, &cfg);
	memset(zlb, 0, sizeof(zlb));
	zlb[0] = 0xc8;
	zlb[1] = 0x02;
	assert_int_equal(l2tp_ctrl_send(&s.e->ctrl, zlb, sizeof(zlb)), -EINVAL);
	assert_int_equal(l2tp_ctrl_send(&s.e->ctrl, NULL, 20), -EINVAL);
	test_build(&b, s.e->peer_tid, 1);
	b.buf[0] &= 0x7f;	/* not a control message */
	assert_int_equal(l2tp_ctrl_send(&s.e->ctrl, b.buf, b.len), -EINVAL);
	/* Leave messages in flight, waiting, out of order and an ack due. */
	for (i = 0; i < 10; i++)
		ep_send_next(s.e);
	assert_int_equal(solo_input(&s, 0, 0, 0, 0), 0);
	assert_int_equal(solo_input(&s, 0, 3, 3, 0), 0);
	assert_int_equal(solo_input(&s, 0, 5, 5, 0), 0);
	assert_int_equal(s.e->ctrl.ooo_n, 2);
	l2tp_ctrl_flush_ack(&s.e->ctrl);
	assert_int_equal(solo_last(&s)->nr, 1);
	solo_free(&s);		/* ASan / leak check: nothing left behind */
}

/* ================================================================== */
/* HA: restore from a checkpoint and resynchronise (DESIGN.md)        */

/* What the standby holds for A: sequence state, the copies of A's
 * unacknowledged messages, and the application's own counters. */
struct ckpt {
	uint16_t ns, nr, una;
	uint32_t tx_serial, total, rx_serial;
	uint16_t rx_ns;
	unsigned n;
	struct {
		uint16_t ns;
		size_t len;
		uint8_t buf[64];
	} msgs[64];
};

static void ckpt_take(const struct ep *e, struct ckpt *c)
{
	const struct l2tp_ctrl_pkt *p;

	c->ns = e->ctrl.ns;
	c->nr = e->ctrl.nr;
	p = TAILQ_FIRST(&e->ctrl.sent);
	c->una = p ? p->ns : e->ctrl.ns;
	c->tx_serial = e->tx_serial;
	c->total = e->total;
	c->rx_serial = e->rx_serial;
	c->rx_ns = e->rx_ns;
	c->n = 0;
	TAILQ_FOREACH(p, &e->ctrl.sent, link) {
		assert_true(c->n < 64 && p->len <= 64);
		c->msgs[c->n].ns = p->ns;
		c->msgs[c->n].len = p->len;
		memcpy(c->msgs[c->n].buf, p->buf, p->len);
		c->n++;
	}
	/* Messages waiting for the window are state too: the application
	 * has produced them.  The model gives them back to the application. */
	TAILQ_FOREACH(p, &e->ctrl.pending, link)
		c->tx_serial--;
}

/* Checkpoint before acknowledge: every `period` ms the standby takes a
 * checkpoint, then what A held leaves. */
struct gate {
	struct l2tp_timer t;
	struct pair *p;
	struct ckpt ck;
	unsigned period;
	unsigned taken;
};

static void gate_tick(struct l2tp_timer *t, void *arg)
{
	struct gate *g = arg;
	struct ep *a = g->p->a;
	unsigned i;

	(void)t;
	ckpt_take(a, &g->ck);
	g->taken++;
	for (i = 0; i < a->n_held; i++) {
		net_send(a->net, 1, a->held[i]->buf, a->held[i]->len);
		free(a->held[i]);
	}
	a->n_held = 0;
	assert_int_equal(clock_timer_start(&g->p->clk, &g->t, g->period), 0);
}

/* A dies (what it held never leaves); A' is built from the checkpoint and
 * resynchronises with at most `window` messages in flight. */
static void fail_over(struct pair *p, const struct ckpt *c, const struct l2tp_ctrl_cfg *cfg,
		      unsigned window)
{
	struct ep *a;
	unsigned i;

	clock_timer_stop(&p->clk, &p->a->traffic_timer);
	ep_free(p->a);
	a = ep_new(&p->clk, 0, cfg);
	a->net = &p->net;
	p->net.ep[0] = a;
	p->a = a;
	l2tp_ctrl_restore(&a->ctrl, c->ns, c->nr, c->una, 0);
	for (i = 0; i < c->n; i++)
		assert_int_equal(l2tp_ctrl_restore_msg(&a->ctrl, c->msgs[i].ns, c->msgs[i].buf,
						       c->msgs[i].len), 0);
	a->tx_serial = c->tx_serial;
	a->total = c->total;
	a->rx_serial = c->rx_serial;
	a->rx_ns = c->rx_ns;
	a->nr_seen = c->una;
	a->reply_pct = 30;
	l2tp_ctrl_resync_start(&a->ctrl, window);
	if (a->tx_serial < a->total)
		assert_int_equal(clock_timer_start(&p->clk, &a->traffic_timer, 0), 0);
}

/*
 * Both ends stream messages (with loss, duplication and reordering); A is
 * checkpointed every few ms and its output waits for the checkpoint.  A
 * dies at an arbitrary moment; A' resynchronises from the checkpoint.  The
 * peer must see every message exactly once and in order, and so must A',
 * with no bad Nr on either side and nobody declared dead.
 */
static void failover_run(uint64_t seed, unsigned loss, unsigned crash_ms, unsigned window)
{
	struct l2tp_ctrl_cfg cfg;
	struct pair p;
	struct gate g;
	uint64_t t0;

	cfg_net(&cfg, 10);
	cfg.rws = 8;
	pair_init(&p, &cfg, seed);
	p.net.loss_pct = loss;
	p.net.dup_pct = loss / 2;
	p.net.jitter_ms = 15;
	p.a->gated = 1;
	memset(&g, 0, sizeof(g));
	g.p = &p;
	g.period = 7;
	clock_timer_init(&g.t, gate_tick, &g);
	assert_int_equal(clock_timer_start(&p.clk, &g.t, 0), 0);
	pair_start_traffic(&p, 400, 30);
	t0 = clock_now(&p.clk);
	while (clock_now(&p.clk) - t0 < crash_ms)
		clock_advance(&p.clk, 1);
	clock_timer_stop(&p.clk, &g.t);
	assert_true(g.taken > 0);
	fail_over(&p, &g.ck, &cfg, window);
	pair_run(&p, 600000);
	assert_int_equal(p.a->resynced, 1);
	assert_int_equal(p.b->dead_calls, 0);
	pair_free(&p);
}

static void test_resync_failover(void **state)
{
	static const unsigned crash_at[] = { 3, 40, 111, 250, 777, 1500 };
	unsigned i, w;

	(void)state;
	for (i = 0; i < sizeof(crash_at) / sizeof(crash_at[0]); i++)
		for (w = 1; w <= 8; w *= 2) {
			failover_run(0x1234 + i * 7 + w, 0, crash_at[i], w);
			failover_run(0x9876 + i * 13 + w, 10, crash_at[i], w);
		}
}

/* Restore validation and the resync window on the wire. */
static void test_resync_restore(void **state)
{
	struct l2tp_ctrl_cfg cfg;
	struct l2tp_msgbuf b;
	struct solo s;
	size_t len;
	uint16_t ns;

	(void)state;
	cfg_net(&cfg, 5);
	cfg.rws = 8;
	solo_init(&s, &cfg);
	l2tp_ctrl_restore(&s.e->ctrl, 110, 50, 100, 8);
	len = test_build(&b, s.e->peer_tid, 0);
	/* Outside una..ns-1, or out of order: refused. */
	assert_int_equal(l2tp_ctrl_restore_msg(&s.e->ctrl, 99, b.buf, len), -EINVAL);
	assert_int_equal(l2tp_ctrl_restore_msg(&s.e->ctrl, 110, b.buf, len), -EINVAL);
	/* Not a control message that can go out as it is (a checkpoint
	 * record is input too): refused. */
	b.buf[0] &= (uint8_t)~(L2TP_HDR_S >> 8);	/* S=0 */
	assert_int_equal(l2tp_ctrl_restore_msg(&s.e->ctrl, 100, b.buf, len), -EINVAL);
	len = test_build(&b, s.e->peer_tid, 100);
	b.buf[1] = (b.buf[1] & 0xf0) | 3;		/* version 3 */
	assert_int_equal(l2tp_ctrl_restore_msg(&s.e->ctrl, 100, b.buf, len), -EINVAL);
	len = test_build(&b, s.e->peer_tid, 100);
	assert_int_equal(l2tp_ctrl_restore_msg(&s.e->ctrl, 100, b.buf, len - 1), -EINVAL);
	assert_int_equal(l2tp_ctrl_restore_msg(&s.e->ctrl, 100, b.buf, len + 1), -EINVAL);
	for (ns = 100; ns < 110; ns++) {
		len = test_build(&b, s.e->peer_tid, ns);
		assert_int_equal(l2tp_ctrl_restore_msg(&s.e->ctrl, ns, b.buf, len), 0);
	}
	assert_int_equal(l2tp_ctrl_restore_msg(&s.e->ctrl, 105, b.buf, len), -EINVAL);
	assert_int_equal(s.e->xmits, 0);		/* restoring sends nothing */
	s.e->nr_seen = 100;
	s.e->total = 1000;
	s.e->tx_serial = 110;
	l2tp_ctrl_resync_start(&s.e->ctrl, 3);
	/* Three in flight, oldest first, each with the checkpointed Nr. */
	assert_int_equal(s.e->xmits, 3);
	assert_int_equal(s.e->log[0].ns, 100);
	assert_int_equal(s.e->log[2].ns, 102);
	assert_int_equal(s.e->log[2].nr, 50);
	/* A new message waits while resynchronising. */
	ep_send_next(s.e);
	assert_int_equal(s.e->xmits, 3);
	/* The peer had 100 and 101 already: its ack lets two more go. */
	assert_int_equal(solo_input(&s, 1, 0, 50, 102), 0);
	assert_int_equal(s.e->xmits, 5);
	assert_int_equal(solo_last(&s)->ns, 104);
	assert_int_equal(s.e->resynced, 0);
	/* Everything acknowledged: committed, the held message leaves. */
	assert_int_equal(solo_input(&s, 1, 0, 50, 110), 0);
	assert_int_equal(s.e->resynced, 1);
	assert_int_equal(solo_last(&s)->ns, 110);
	assert_false(s.e->ctrl.resync);
	solo_free(&s);
}

/*
 * The old active sent messages it never checkpointed: the peer's Nr is
 * past our Ns.  Our Ns moves there (bounded by the window); a wild Nr is
 * still a bad one.  With nothing to resend, one probe asks.
 */
static void test_resync_peer_ahead(void **state)
{
	struct l2tp_ctrl_cfg cfg;
	struct solo s;

	(void)state;
	cfg_net(&cfg, 5);
	solo_init(&s, &cfg);
	l2tp_ctrl_restore(&s.e->ctrl, 20, 7, 20, 4);
	s.e->nr_seen = 20;
	s.e->total = 1000;
	s.e->tx_serial = 20;
	l2tp_ctrl_resync_start(&s.e->ctrl, 4);
	assert_int_equal(s.e->probes, 1);
	assert_int_equal(s.e->xmits, 1);
	assert_int_equal(s.e->log[0].ns, 20);
	assert_int_equal(s.e->log[0].nr, 7);
	/* Far beyond the window: bad, ignored. */
	assert_int_equal(solo_input(&s, 1, 0, 7, 20 + 4 + 2), -EBADMSG);
	assert_int_equal(s.e->resynced, 0);
	/* The peer had 20 and 21 (21 never checkpointed): Nr 22. */
	ep_send_next(s.e);		/* held */
	assert_int_equal(s.e->xmits, 1);
	assert_int_equal(solo_input(&s, 1, 0, 7, 22), 0);
	assert_int_equal(s.e->resynced, 1);
	assert_int_equal(s.e->ctrl.stats.resync_jumps, 1);
	assert_int_equal(s.e->ctrl.ns, 23);
	assert_int_equal(solo_last(&s)->ns, 22);	/* the held message, renumbered */
	solo_free(&s);
}

/*
 * Our checkpointed Nr is behind: the old active acknowledged messages it
 * never checkpointed, so the peer goes on past them and never resends
 * them.  After resync_gap_ms the gap is skipped.  A gap the peer does fill
 * (it retransmits) is not.
 */
static void test_resync_learn_nr(void **state)
{
	struct l2tp_ctrl_cfg cfg;
	struct solo s;

	(void)state;
	cfg_net(&cfg, 5);
	cfg.rws = 8;
	cfg.resync_gap_ms = 3000;
	solo_init(&s, &cfg);
	l2tp_ctrl_restore(&s.e->ctrl, 10, 5, 10, 8);
	s.e->nr_seen = 10;
	s.e->total = 1000;
	s.e->tx_serial = 10;
	s.e->rx_serial = 7;	/* the peer's application is at serial 7 */
	s.e->rx_ns = 7;
	l2tp_ctrl_resync_start(&s.e->ctrl, 4);
	assert_int_equal(solo_input(&s, 1, 0, 7, 11), 0);	/* probe acknowledged */
	assert_int_equal(s.e->resynced, 1);
	/* The peer's next messages are Ns 7 and 8 (5 and 6 it thinks done). */
	assert_int_equal(solo_input(&s, 0, 7, 7, 11), 0);
	assert_int_equal(solo_input(&s, 0, 8, 8, 11), 0);
	assert_int_equal(s.e->rx_serial, 7);		/* held */
	clock_advance(&s.clk, 2999);
	assert_int_equal(s.e->rx_serial, 7);
	clock_advance(&s.clk, 1);
	assert_int_equal(s.e->rx_serial, 9);		/* both delivered, in order */
	assert_int_equal(s.e->ctrl.nr, 9);
	assert_int_equal(s.e->ctrl.stats.resync_nr_jumps, 1);
	/* From now on a gap is an ordinary one: held until filled. */
	assert_int_equal(solo_input(&s, 0, 10, 10, 11), 0);
	clock_advance(&s.clk, 10000);
	assert_int_equal(s.e->rx_serial, 9);
	assert_int_equal(solo_input(&s, 0, 9, 9, 11), 0);
	assert_int_equal(s.e->rx_serial, 11);
	solo_free(&s);

	/* The peer owes us Ns 5: it sends 6 first, then retransmits 5. */
	solo_init(&s, &cfg);
	l2tp_ctrl_restore(&s.e->ctrl, 10, 5, 10, 8);
	s.e->nr_seen = 10;
	s.e->total = 1000;
	s.e->tx_serial = 10;
	s.e->rx_serial = 5;
	s.e->rx_ns = 5;
	l2tp_ctrl_resync_start(&s.e->ctrl, 4);
	assert_int_equal(solo_input(&s, 0, 6, 6, 11), 0);
	clock_advance(&s.clk, 1000);
	assert_int_equal(solo_input(&s, 0, 5, 5, 11), 0);
	assert_int_equal(s.e->rx_serial, 7);
	clock_advance(&s.clk, 10000);
	assert_int_equal(s.e->ctrl.stats.resync_nr_jumps, 0);
	assert_int_equal(s.e->ctrl.nr, 7);
	solo_free(&s);
}

/* A peer that never answers: the retransmission budget ends it. */
static void test_resync_no_answer(void **state)
{
	struct l2tp_ctrl_cfg cfg;
	struct solo s;

	(void)state;
	cfg_net(&cfg, 3);
	solo_init(&s, &cfg);
	l2tp_ctrl_restore(&s.e->ctrl, 5, 5, 5, 4);
	s.e->nr_seen = 5;
	s.e->total = 1;
	l2tp_ctrl_resync_start(&s.e->ctrl, 2);
	clock_advance(&s.clk, 60000);
	assert_int_equal(s.e->dead_calls, 1);
	assert_int_equal(s.e->resynced, 0);
	/* The probe, 10 short resends in its first second (at 20 ms, then
	 * every 100 ms: l2tp/ctrl.c's resync schedule) and 3 retransmissions. */
	assert_int_equal(s.e->xmits, 4 + 10);
	assert_int_equal(s.e->ctrl.stats.resync_fast_rtx, 10);
	solo_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clock_order),
		cmocka_unit_test(test_clock_reentrant),
		cmocka_unit_test(test_clock_changed_hook),
		cmocka_unit_test(test_clock_heap_stress),
		cmocka_unit_test(test_clock_run_no_spin),
		cmocka_unit_test(test_clock_real),
		cmocka_unit_test(test_seq_before),
		cmocka_unit_test(test_clean_path),
		cmocka_unit_test(test_piggyback_and_delayed_zlb),
		cmocka_unit_test(test_answered_arms_no_ack_timer),
		cmocka_unit_test(test_lossy_10),
		cmocka_unit_test(test_lossy_30),
		cmocka_unit_test(test_wraparound),
		cmocka_unit_test(test_send_window),
		cmocka_unit_test(test_set_peer_opens_window),
		cmocka_unit_test(test_duplicate_reack),
		cmocka_unit_test(test_out_of_order),
		cmocka_unit_test(test_backoff_and_dead),
		cmocka_unit_test(test_backoff_reset_on_ack),
		cmocka_unit_test(test_window_lost),
		cmocka_unit_test(test_hello),
		cmocka_unit_test(test_hello_not_moved_per_message),
		cmocka_unit_test(test_bad_nr),
		cmocka_unit_test(test_misuse_and_destroy),
		cmocka_unit_test(test_resync_restore),
		cmocka_unit_test(test_resync_peer_ahead),
		cmocka_unit_test(test_resync_no_answer),
		cmocka_unit_test(test_resync_learn_nr),
		cmocka_unit_test(test_resync_failover),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
