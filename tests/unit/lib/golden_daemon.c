/*
 * The daemon, RADIUS server and PPP subscribers of the golden scenarios
 * (see golden_daemon.h).
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include "golden_daemon.h"
#include "core/history.h"
#include "core/ippool.h"
#include "l2tp/ctrl.h"
#include "l2tp/session.h"
#include "l2tp/tunnel.h"
#include "ppp/ppp.h"

/* --- the RADIUS server ------------------------------------------------------ */

/* aaa.c's RADIUS client is this double (d->aaa.ops): requests are kept and
 * answered by the test.  (The real client's counters are not moved by it:
 * the scenarios that show them set them.) */
struct g_req {
	int kind;
	void (*cb)(void *arg, int status, const struct radius_msg *m);
	void *arg;
	int done;		/* answered or cancelled */
};

#define G_REQS	64

static struct {
	struct g_req q[G_REQS];
	unsigned n;
} R;

static struct harness *g_h;	/* the daemon of the scenario */

static int g_radius_send(struct l2tpd *d, int kind, const struct radius_pkt *p,
			 void (*cb)(void *arg, int status, const struct radius_msg *m), void *arg,
			 struct radius_req **out)
{
	struct g_req *r;

	(void)d;
	(void)p;
	assert_true(R.n < G_REQS);
	r = &R.q[R.n++];
	memset(r, 0, sizeof *r);
	r->kind = kind;
	r->cb = cb;
	r->arg = arg;
	if (out != NULL)
		*out = (struct radius_req *)r;
	return 0;
}

static void g_radius_cancel(struct radius_req *rq)
{
	((struct g_req *)rq)->done = 1;
}

static int g_radius_configured(const struct l2tpd *d, int kind)
{
	(void)kind;
	return d->cfg.radius.n_servers > 0;
}

static struct g_req *g_radius_oldest(int kind)
{
	for (unsigned i = 0; i < R.n; i++)
		if (R.q[i].kind == kind && !R.q[i].done)
			return &R.q[i];
	fail_msg("no RADIUS %s request waits for an answer", kind == RADIUS_AUTH ? "auth" : "acct");
	return NULL;
}

void g_radius_answer(int kind, const struct radius_pkt *reply)
{
	struct g_req *r = g_radius_oldest(kind);
	struct radius_msg m;

	assert_int_equal(radius_parse(reply->buf, reply->len, &m), 0);
	r->done = 1;
	r->cb(r->arg, 0, &m);
	g_settle(g_h);
}

void g_radius_timeout(int kind)
{
	struct g_req *r = g_radius_oldest(kind);

	r->done = 1;
	r->cb(r->arg, -ETIMEDOUT, NULL);
	g_settle(g_h);
}

/* --- subscribers ---------------------------------------------------------------- */

struct g_frame {
	struct g_frame *next;
	size_t len;
	uint8_t buf[];
};

struct g_sub {
	struct h_peer *p;	/* the LAC its call came from */
	uint16_t sid, peer_sid;	/* the daemon's session, the LAC's */
	struct ppp *ppp;	/* NULL until the call is connected */
	struct g_frame *to_sub, *to_lns;
	int up;			/* IPCP opened */
};

#define G_SUBS	16

static struct g_sub g_subs[G_SUBS];
static unsigned g_n_subs;
static int (*g_xmit_ctrl)(struct l2tp_tunnel *t, const uint8_t *buf, size_t len);

static void g_frame_push(struct g_frame **q, const uint8_t *buf, size_t len)
{
	struct g_frame *f = malloc(sizeof(*f) + len), **pp = q;

	assert_non_null(f);
	f->next = NULL;
	f->len = len;
	memcpy(f->buf, buf, len);
	while (*pp != NULL)
		pp = &(*pp)->next;
	*pp = f;
}

static struct g_frame *g_frame_pop(struct g_frame **q)
{
	struct g_frame *f = *q;

	if (f != NULL)
		*q = f->next;
	return f;
}

/* Control messages to the harness; data messages (PPP) to the subscriber
 * of their session, by the LAC's Tunnel and Session IDs in the header. */
static int g_xmit(struct l2tp_tunnel *t, const uint8_t *buf, size_t len)
{
	uint16_t flags, tid, sid;
	size_t off = 2;

	if (len > 0 && (buf[0] & 0x80))
		return g_xmit_ctrl(t, buf, len);
	assert_true(len >= 6);
	flags = (uint16_t)(buf[0] << 8 | buf[1]);
	if (flags & 0x4000)		/* L: Length */
		off += 2;
	tid = (uint16_t)(buf[off] << 8 | buf[off + 1]);
	sid = (uint16_t)(buf[off + 2] << 8 | buf[off + 3]);
	off += 4;
	if (flags & 0x0800)		/* S: Ns, Nr */
		off += 4;
	if (flags & 0x0200)		/* O: Offset Size, padding */
		off += 2 + (size_t)(buf[off] << 8 | buf[off + 1]);
	assert_true(off <= len);
	for (unsigned i = 0; i < g_n_subs; i++)
		if (g_subs[i].p->tid == tid && g_subs[i].peer_sid == sid)
			g_frame_push(&g_subs[i].to_sub, buf + off, len - off);
	return 0;
}

/* A frame of the subscriber: a data message to the daemon's session. */
static void g_sub_output(void *arg, uint16_t proto, const uint8_t *buf, size_t len)
{
	struct g_sub *u = arg;
	uint8_t pkt[2048];

	assert_true(len + 10 <= sizeof pkt);
	pkt[0] = 0x00;
	pkt[1] = 0x02;
	pkt[2] = (uint8_t)(u->p->dtid >> 8);
	pkt[3] = (uint8_t)u->p->dtid;
	pkt[4] = (uint8_t)(u->sid >> 8);
	pkt[5] = (uint8_t)u->sid;
	pkt[6] = 0xff;
	pkt[7] = 0x03;
	pkt[8] = (uint8_t)(proto >> 8);
	pkt[9] = (uint8_t)proto;
	memcpy(pkt + 10, buf, len);
	g_frame_push(&u->to_lns, pkt, len + 10);
}

static void g_sub_up(void *arg, uint16_t proto, const struct ppp_state *st)
{
	(void)st;
	if (proto == PPP_PROTO_IPCP)
		((struct g_sub *)arg)->up = 1;
}

static void g_sub_down(void *arg, const char *reason)
{
	(void)reason;
	((struct g_sub *)arg)->up = 0;
}

static const struct ppp_ops g_sub_ops = {
	.output = g_sub_output, .up = g_sub_up, .down = g_sub_down,
};

/* Frames both ways until none is left; 1 if any moved. */
static int g_pump(struct harness *h)
{
	int any = 0;

	for (unsigned round = 0; round < 10000; round++) {
		int moved = 0;

		clock_advance(&h->d.clk, 0);
		for (unsigned i = 0; i < g_n_subs; i++) {
			struct g_sub *u = &g_subs[i];
			struct g_frame *f;

			if (u->ppp != NULL && (f = g_frame_pop(&u->to_sub)) != NULL) {
				ppp_input(u->ppp, f->buf, f->len);
				free(f);
				moved = 1;
			}
			if ((f = g_frame_pop(&u->to_lns)) != NULL) {
				h_deliver(u->p, f->buf, f->len);
				free(f);
				moved = 1;
			}
		}
		if (!moved)
			return any;
		any = 1;
	}
	fail_msg("PPP does not settle");
	return any;
}

void g_settle(struct harness *h)
{
	for (unsigned round = 0; round < 100; round++) {
		int moved = g_pump(h), acked = 0;
		int owed[H_MAX_PEERS] = { 0 };

		/* a peer acknowledges what is waiting for it, and what the
		 * test took from the queue without acknowledging it */
		for (unsigned i = 0; i < h->n_peers; i++) {
			struct l2tp_tunnel *t = h_tunnel(&h->peers[i]);

			owed[i] = t != NULL && (h_waiting(h, &h->peers[i], 0) > 0 ||
						l2tp_ctrl_outstanding(&t->ctrl) > 0);
			acked |= owed[i];
		}
		h_drain(h);
		for (unsigned i = 0; i < h->n_peers; i++)
			if (owed[i])
				h_send_zlb(&h->peers[i]);
		if (!moved && !acked)
			return;
	}
	fail_msg("the daemon does not settle");
}

/* From timer to timer, g_settle() after each, as the event loop turns
 * (and flushes HA records) after each: every message sent meanwhile (a
 * HELLO) is acknowledged before it is due for retransmission. */
void g_advance(struct harness *h, uint64_t ms)
{
	uint64_t end = clock_now(&h->d.clk) + ms;

	for (unsigned turns = 0; turns < 100000; turns++) {
		uint64_t now = clock_now(&h->d.clk), step;
		int64_t next = clock_next_timeout(&h->d.clk);

		if (now >= end)
			return;
		step = end - now;
		if (next >= 0 && (uint64_t)next < step)
			step = (uint64_t)next;
		clock_advance(&h->d.clk, step);
		g_settle(h);
	}
	fail_msg("the daemon's timers do not let time pass");
}

uint16_t g_call(struct harness *h, struct h_peer *p, uint16_t peer_sid, const char *calling,
		const char *called)
{
	struct l2tp_msg *m;
	uint16_t dsid = 0;

	h_icrq(p, peer_sid, 1000u + peer_sid);
	l2tp_avp_put_str(&p->b, L2TP_AVP_CALLING_NUMBER, calling, 0);
	l2tp_avp_put_str(&p->b, L2TP_AVP_CALLED_NUMBER, called, 0);
	h_send(p);
	m = h_expect(h, p, L2TP_MSG_ICRP);
	assert_int_equal(l2tp_msg_get_u16(m, L2TP_AVP_ASSIGNED_SESSION_ID, &dsid), 0);
	h_iccn(p, dsid);
	h_send(p);
	return dsid;
}

uint16_t g_subscriber(struct harness *h, struct h_peer *p, uint16_t peer_sid,
		      const char *calling, const char *user, const char *password)
{
	struct g_sub *u;
	struct ppp_config c;

	assert_true(g_n_subs < G_SUBS);
	u = &g_subs[g_n_subs++];
	memset(u, 0, sizeof *u);
	u->p = p;
	u->peer_sid = peer_sid;		/* the LNS's first frames wait for the link */
	g_settle(h);
	u->sid = g_call(h, p, peer_sid, calling, "4000");
	ppp_config_init(&c);
	c.role = PPP_ROLE_PEER;
	c.auth[0] = PPP_AUTH_PAP;
	c.auth[1] = PPP_AUTH_CHAP_MD5;
	c.auth[2] = PPP_AUTH_MSCHAPV2;
	c.n_auth = 3;
	snprintf(c.user, sizeof c.user, "%s", user);
	snprintf(c.password, sizeof c.password, "%s", password);
	c.echo_interval = 0;
	u->ppp = ppp_new(&c, &g_sub_ops, u, &h->d.clk, &h->d.log, "subscriber: ");
	assert_non_null(u->ppp);
	assert_int_equal(ppp_open(u->ppp), 0);
	g_settle(h);
	return u->sid;
}

unsigned g_subscribers_up(void)
{
	unsigned n = 0;

	for (unsigned i = 0; i < g_n_subs; i++)
		n += g_subs[i].up;
	return n;
}

void g_subscribers_free(void)
{
	for (unsigned i = 0; i < g_n_subs; i++) {
		struct g_sub *u = &g_subs[i];
		struct g_frame *f;

		if (u->ppp != NULL)
			ppp_free(u->ppp);
		while ((f = g_frame_pop(&u->to_sub)) != NULL)
			free(f);
		while ((f = g_frame_pop(&u->to_lns)) != NULL)
			free(f);
	}
	memset(g_subs, 0, sizeof g_subs);
	g_n_subs = 0;
}

/* --- the daemon ------------------------------------------------------------- */

struct harness *g_daemon(void **state, const char *config)
{
	struct harness *h = h_new(state, config);

	memset(&R, 0, sizeof R);
	g_subscribers_free();
	h->d.aaa.ops.send = g_radius_send;
	h->d.aaa.ops.cancel = g_radius_cancel;
	h->d.aaa.ops.configured = g_radius_configured;
	/* aaa_init() draws the Acct-Session-Id prefix from getrandom(2), not
	 * through rand_bytes(): a fixed one instead. */
	h->d.aaa.boot_id = 0x5eed0001;
	g_xmit_ctrl = h->d.xmit;
	h->d.xmit = g_xmit;
	clock_advance(&h->d.clk, 3600000);	/* started at 01:00:00: times are not 0 */
	/* what l2tpd_start() sets up, but sockets (the RFC 5176 server is
	 * the scenario's business: it binds one) */
	assert_int_equal(ippool_setup(&h->d.pools, &h->d.cfg), 0);
	assert_int_equal(history_init(&h->d.history, &h->d.clk, &h->d.cfg.history_size), 0);
	assert_int_equal(radius_client_init(&h->d), 0);
	g_h = h;
	return h;
}

int g_teardown(void **state)
{
	g_subscribers_free();
	g_h = NULL;
	return h_teardown(state);
}
