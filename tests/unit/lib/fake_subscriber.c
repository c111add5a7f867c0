/*
 * The PPP subscribers of fake_subscriber.h.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include "fake_subscriber.h"
#include "l2tp/session.h"
#include "l2tp/tunnel.h"
#include "ppp/proto.h"

#define FAKE_PUMP_ROUNDS	10000

struct fake_frame {
	struct fake_frame *next;
	size_t len;
	uint8_t buf[];
};

static void fake_frame_push(struct fake_frame **q, const uint8_t *buf, size_t len)
{
	struct fake_frame *f = malloc(sizeof(*f) + len), **pp = q;

	assert_non_null(f);
	f->next = NULL;
	f->len = len;
	memcpy(f->buf, buf, len);
	while (*pp != NULL)
		pp = &(*pp)->next;
	*pp = f;
}

static struct fake_frame *fake_frame_pop(struct fake_frame **q)
{
	struct fake_frame *f = *q;

	if (f != NULL)
		*q = f->next;
	return f;
}

static void fake_frames_free(struct fake_frame **q)
{
	struct fake_frame *f;

	while ((f = fake_frame_pop(q)) != NULL)
		free(f);
}

/* --- the daemon's side ------------------------------------------------------ */

/* The harness's data_rx: a frame of the daemon to the subscriber of the
 * LAC's tunnel and session in the header. */
static void fake_subscribers_rx(void *arg, uint16_t tid, uint16_t sid, const uint8_t *frame,
				size_t len)
{
	struct fake_subscribers *set = arg;

	for (unsigned i = 0; i < set->n; i++) {
		struct fake_subscriber *u = &set->sub[i];

		if (u->lac->tid == tid && u->peer_sid == sid) {
			fake_frame_push(&u->to_sub, frame, len);
			return;
		}
	}
	set->dropped++;
}

static void fake_subscribers_free(void *arg)
{
	fake_subscribers_clear(arg);
	free(arg);
}

struct fake_subscribers *fake_subscribers_new(struct harness *h)
{
	struct fake_subscribers *set = calloc(1, sizeof(*set));

	assert_non_null(set);
	assert_null(h->data_rx);
	set->h = h;
	h->data_rx = fake_subscribers_rx;
	h->data_arg = set;
	h->subscribers = set;
	h_at_free(h, fake_subscribers_free, set);
	return set;
}

void fake_subscribers_clear(struct fake_subscribers *set)
{
	for (unsigned i = 0; i < set->n; i++) {
		struct fake_subscriber *u = &set->sub[i];

		/* the link first: going, it may still say something */
		if (u->ppp != NULL)
			ppp_free(u->ppp);
		u->ppp = NULL;
		fake_frames_free(&u->to_sub);
		fake_frames_free(&u->to_lns);
	}
	memset(set->sub, 0, sizeof(set->sub));
	set->n = 0;
}

unsigned fake_subscribers_up(const struct fake_subscribers *set)
{
	unsigned n = 0;

	for (unsigned i = 0; i < set->n; i++)
		n += set->sub[i].up != 0;
	return n;
}

/* One frame each way for every subscriber; 1 if any moved. */
static int fake_subscribers_move(struct fake_subscribers *set)
{
	int moved = 0;

	for (unsigned i = 0; i < set->n; i++) {
		struct fake_subscriber *u = &set->sub[i];

		if (fake_subscriber_take_one(u))
			moved = 1;
		if (fake_subscriber_send_one(u))
			moved = 1;
	}
	return moved;
}

int fake_subscribers_pump(struct fake_subscribers *set, struct h_peer *lac)
{
	struct harness *h = set->h;
	int any = 0;

	for (unsigned round = 0; round < FAKE_PUMP_ROUNDS; round++) {
		int moved;

		clock_advance(&h->d.clk, 0);
		moved = fake_subscribers_move(set);
		if (!moved && lac != NULL && h_waiting(h, lac, 1) > 0) {
			/* the LAC acknowledges what the LNS sent it (CDNs) */
			h_drain(h);
			h_send_zlb(lac);
			moved = 1;
		}
		if (!moved)
			return any;
		any = 1;
	}
	fail_msg("PPP does not settle");
	return any;
}

/* --- a subscriber -------------------------------------------------------------- */

/* Its PPP link's output: a data message to the daemon's session (T=0, no
 * Length, no sequence numbers, then Address and Control). */
static void fake_subscriber_output(void *arg, uint16_t proto, const uint8_t *buf, size_t len)
{
	struct fake_subscriber *u = arg;
	uint8_t pkt[2048];

	assert_true(len + 10 <= sizeof(pkt));
	pkt[0] = 0x00;
	pkt[1] = 0x02;
	pkt[2] = (uint8_t)(u->lac->dtid >> 8);
	pkt[3] = (uint8_t)u->lac->dtid;
	pkt[4] = (uint8_t)(u->sid >> 8);
	pkt[5] = (uint8_t)u->sid;
	pkt[6] = 0xff;
	pkt[7] = 0x03;
	pkt[8] = (uint8_t)(proto >> 8);
	pkt[9] = (uint8_t)proto;
	memcpy(pkt + 10, buf, len);
	fake_frame_push(&u->to_lns, pkt, len + 10);
}

static void fake_subscriber_up(void *arg, uint16_t proto, const struct ppp_state *st)
{
	struct fake_subscriber *u = arg;

	if (proto == PPP_PROTO_IPCP) {
		u->up = 1;
		u->ups++;
		u->st = *st;
	}
	if (proto == PPP_PROTO_IPV6CP) {
		u->v6_up = 1;
		u->st6 = *st;
	}
}

static void fake_subscriber_ipv6(void *arg, const uint8_t *pkt, size_t len)
{
	struct fake_subscriber *u = arg;

	u->v6_rx++;
	if (len > sizeof(u->v6_pkt[0]))
		return;
	if (u->v6_n == FAKE_V6_KEEP) {
		memmove(u->v6_pkt[0], u->v6_pkt[1], sizeof(u->v6_pkt[0]) * (FAKE_V6_KEEP - 1));
		memmove(u->v6_len, u->v6_len + 1, sizeof(u->v6_len[0]) * (FAKE_V6_KEEP - 1));
		u->v6_n--;
	}
	memcpy(u->v6_pkt[u->v6_n], pkt, len);
	u->v6_len[u->v6_n++] = len;
}

int fake_subscriber_send_ipv6(struct fake_subscriber *u, const uint8_t *pkt, size_t len)
{
	return ppp_send_ipv6(u->ppp, pkt, len);
}

static void fake_subscriber_down(void *arg, const char *reason)
{
	struct fake_subscriber *u = arg;

	u->up = 0;
	u->v6_up = 0;
	u->downs++;
}

static const struct ppp_ops fake_subscriber_ops = {
	.output = fake_subscriber_output,
	.up = fake_subscriber_up,
	.down = fake_subscriber_down,
	.ipv6_input = fake_subscriber_ipv6,
};

struct fake_subscriber *fake_subscriber_add(struct fake_subscribers *set, struct h_peer *lac,
					    uint16_t peer_sid)
{
	struct fake_subscriber *u;

	assert_true(set->n < FAKE_SUBSCRIBERS_MAX);
	u = &set->sub[set->n++];
	memset(u, 0, sizeof(*u));
	u->set = set;
	u->lac = lac;
	u->peer_sid = peer_sid;
	return u;
}

void fake_subscriber_config(struct ppp_config *c, const char *user, const char *password)
{
	ppp_config_init(c);
	c->role = PPP_ROLE_PEER;
	c->auth[0] = PPP_AUTH_PAP;
	c->auth[1] = PPP_AUTH_CHAP_MD5;
	c->auth[2] = PPP_AUTH_MSCHAPV2;
	c->n_auth = 3;
	snprintf(c->user, sizeof(c->user), "%s", user);
	snprintf(c->password, sizeof(c->password), "%s", password);
	c->echo_interval = 0;
}

void fake_subscriber_open(struct fake_subscriber *u, const struct ppp_config *c)
{
	struct l2tpd *d = &u->set->h->d;

	assert_null(u->ppp);
	u->ppp = ppp_new(c, &fake_subscriber_ops, u, &d->clk, &d->log, "sub: ");
	assert_non_null(u->ppp);
	assert_int_equal(ppp_open(u->ppp), 0);
}

void fake_subscriber_open_proxied(struct fake_subscriber *u, const struct ppp_config *c,
				  const struct ppp_proxy *px)
{
	struct l2tpd *d = &u->set->h->d;
	char why[128] = "";

	assert_null(u->ppp);
	u->ppp = ppp_new(c, &fake_subscriber_ops, u, &d->clk, &d->log, "sub: ");
	assert_non_null(u->ppp);
	assert_int_equal(ppp_open_proxied_peer(u->ppp, px, why, sizeof(why)), 0);
}

/* The first frame of q not of protocol `held` (0: any), taken off q. */
static struct fake_frame *fake_frame_pop_unheld(struct fake_frame **q, uint16_t held)
{
	while (*q != NULL && held != 0 && (*q)->len >= 10 &&
	       ((*q)->buf[8] << 8 | (*q)->buf[9]) == held)
		q = &(*q)->next;
	return fake_frame_pop(q);
}

int fake_subscriber_send_one(struct fake_subscriber *u)
{
	struct fake_frame *f = fake_frame_pop_unheld(&u->to_lns, u->hold_proto);

	if (f == NULL)
		return 0;
	h_deliver(u->lac, f->buf, f->len);
	free(f);
	return 1;
}

int fake_subscriber_take_one(struct fake_subscriber *u)
{
	struct fake_frame *f;

	if (u->ppp == NULL || (f = fake_frame_pop(&u->to_sub)) == NULL)
		return 0;
	ppp_input(u->ppp, f->buf, f->len);
	free(f);
	return 1;
}

struct l2tp_session *fake_subscriber_session(const struct fake_subscriber *u)
{
	struct l2tp_tunnel *t = u->set->h->d.tunnel_by_id[u->lac->dtid];

	return t != NULL ? l2tp_session_find(t, u->sid) : NULL;
}
