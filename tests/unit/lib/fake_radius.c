/*
 * The RADIUS server of fake_radius.h.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include "fake_radius.h"

/* The daemon's hooks are handed the daemon alone: the harness holds it. */
static struct fake_radius *fake_radius_of(const struct l2tpd *d)
{
	const struct harness *h = (const struct harness *)d;

	assert_non_null(h->radius);
	return h->radius;
}

static int fake_radius_send(struct l2tpd *d, int kind, const struct radius_pkt *p,
			    void (*cb)(void *arg, int status, const struct radius_msg *m), void *arg,
			    struct radius_req **out)
{
	struct fake_radius *rad = fake_radius_of(d);
	struct fake_radius_req *r;

	assert_true(kind >= 0 && kind < FAKE_RADIUS_KINDS);
	if (!rad->configured[kind])
		return -ENOENT;
	assert_true(rad->n < FAKE_RADIUS_MAX);
	r = &rad->q[rad->n++];
	memset(r, 0, sizeof(*r));
	r->kind = kind;
	r->pkt = *p;
	r->cb = cb;
	r->arg = arg;
	if (out != NULL)
		*out = (struct radius_req *)r;
	return 0;
}

static void fake_radius_cancel(struct radius_req *rq)
{
	((struct fake_radius_req *)rq)->cancelled = 1;
}

static int fake_radius_configured(const struct l2tpd *d, int kind)
{
	return kind >= 0 && kind < FAKE_RADIUS_KINDS && fake_radius_of(d)->configured[kind];
}

static int fake_radius_reply_auth_get(const struct l2tpd *d, uint8_t req_auth[16],
				      const char **secret)
{
	const struct fake_radius *rad = fake_radius_of(d);

	memcpy(req_auth, rad->req_auth, 16);
	*secret = rad->secret;
	return 0;
}

static void fake_radius_free(void *arg)
{
	free(arg);
}

struct fake_radius *fake_radius_new(struct harness *h)
{
	struct fake_radius *rad = calloc(1, sizeof(*rad));

	assert_non_null(rad);
	assert_null(h->radius);
	rad->h = h;
	rad->configured[RADIUS_AUTH] = 1;
	rad->configured[RADIUS_ACCT] = 1;
	h->radius = rad;
	h_at_free(h, fake_radius_free, rad);
	h->d.aaa.ops.send = fake_radius_send;
	h->d.aaa.ops.cancel = fake_radius_cancel;
	h->d.aaa.ops.configured = fake_radius_configured;
	return rad;
}

void fake_radius_reply_auth(struct fake_radius *rad, const uint8_t req_auth[16],
			    const char *secret)
{
	memcpy(rad->req_auth, req_auth, 16);
	rad->secret = secret;
	rad->h->d.aaa.ops.reply_auth = fake_radius_reply_auth_get;
}

unsigned fake_radius_count(const struct fake_radius *rad, int kind)
{
	unsigned n = 0;

	for (unsigned i = 0; i < rad->n; i++)
		n += rad->q[i].kind == kind;
	return n;
}

struct fake_radius_req *fake_radius_nth(struct fake_radius *rad, int kind, unsigned nth)
{
	for (unsigned i = 0; i < rad->n; i++)
		if (rad->q[i].kind == kind && nth-- == 0)
			return &rad->q[i];
	return NULL;
}

struct fake_radius_req *fake_radius_pending(struct fake_radius *rad, int kind)
{
	for (unsigned i = rad->n; i > 0; i--) {
		struct fake_radius_req *r = &rad->q[i - 1];

		if (r->kind == kind && !r->answered && !r->cancelled)
			return r;
	}
	return NULL;
}

struct fake_radius_req *fake_radius_oldest(struct fake_radius *rad, int kind)
{
	for (unsigned i = 0; i < rad->n; i++) {
		struct fake_radius_req *r = &rad->q[i];

		if (r->kind == kind && !r->answered && !r->cancelled)
			return r;
	}
	return NULL;
}

struct fake_radius_req *fake_radius_last(struct fake_radius *rad)
{
	assert_true(rad->n > 0);
	return &rad->q[rad->n - 1];
}

void fake_radius_parse(const struct fake_radius_req *r, struct radius_msg *m)
{
	assert_non_null(r);
	assert_int_equal(radius_parse(r->pkt.buf, r->pkt.len, m), 0);
}

void fake_radius_answer(struct fake_radius_req *r, const struct radius_pkt *reply)
{
	struct radius_msg m;

	assert_non_null(r);
	assert_false(r->answered);
	assert_false(r->cancelled);
	assert_int_equal(radius_parse(reply->buf, reply->len, &m), 0);
	r->answered = 1;
	r->cb(r->arg, 0, &m);
}

void fake_radius_no_answer(struct fake_radius_req *r, int status)
{
	assert_non_null(r);
	assert_false(r->answered);
	assert_false(r->cancelled);
	r->answered = 1;
	r->cb(r->arg, status, NULL);
}

void fake_radius_put_avpair(struct radius_pkt *p, const char *avpair)
{
	assert_int_equal(radius_put_vsa(p, RADIUS_VENDOR_CISCO, RADIUS_CISCO_AVPAIR, avpair,
					strlen(avpair)), 0);
}
