/*
 * The standby of fake_standby.h.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include "fake_standby.h"
#include "haproto/ckpt.h"
#include "haproto/ha_shadow.h"

/* ha_test_attach()'s sink: one record, as the checkpoint link carries it. */
static uint64_t fake_standby_sink(void *arg, const struct ha_rec *r)
{
	struct fake_standby *b = arg;
	uint8_t buf[70000];
	struct ha_rec out;
	uint64_t seq = 0;
	uint32_t ver = 0;
	int len;

	assert_non_null(b->shadow);
	len = ckpt_encode(r, b->seq + 1, buf, sizeof(buf));
	assert_true(len > 0);
	memset(&out, 0, sizeof(out));
	assert_int_equal(ckpt_decode(buf, (size_t)len, &out, &seq, &ver), 0);
	assert_int_equal(seq, b->seq + 1);
	assert_int_equal(out.type, r->type);
	if (b->lose_after == 0 || seq <= b->lose_after)
		assert_int_equal(ha_shadow_apply(b->shadow, &out), 0);
	ha_rec_clear(&out);
	b->seq++;
	b->bytes += (uint64_t)len;
	if ((unsigned)r->type < FAKE_STANDBY_REC_TYPES)
		b->by_type[r->type]++;
	if (b->auto_ack)
		fake_standby_ack(b);
	return b->seq;
}

static void fake_standby_free(void *arg)
{
	struct fake_standby *b = arg;

	ha_shadow_free(b->shadow);
	free(b);
}

struct fake_standby *fake_standby_new(struct harness *h, int auto_ack)
{
	struct fake_standby *b = calloc(1, sizeof(*b));

	assert_non_null(b);
	b->shadow = ha_shadow_new();
	assert_non_null(b->shadow);
	b->auto_ack = auto_ack;
	b->h = h;
	h_at_free(h, fake_standby_free, b);
	ha_test_attach(&h->d, fake_standby_sink, b);
	return b;
}

void fake_standby_ack(struct fake_standby *b)
{
	ha_test_ack(&b->h->d, b->seq);
}

void fake_standby_detach(struct fake_standby *b)
{
	if (b->h->d.ha.test_arg == b)
		b->h->d.ha.test_sink = NULL;
}

void fake_standby_crash(struct fake_standby *b)
{
	struct harness *h = b->h;

	ha_test_crash(&h->d);
	assert_int_equal(h->d.n_tunnels, 0);
	assert_int_equal(h->d.dp->count.tunnels, 0);
	h_drain(h);
}

void fake_standby_take_over(struct fake_standby *b)
{
	struct l2tpd *d = &b->h->d;

	assert_non_null(b->shadow);
	d->ha.shadow = b->shadow;
	ha_takeover(d, "test");
	ha_takeover_rebuild_all(d);	/* the store is b's: nothing may wait on it */
	d->ha.shadow = NULL;
}

void fake_standby_fail_over(struct fake_standby *b)
{
	fake_standby_crash(b);
	fake_standby_take_over(b);
}

void fake_standby_hand_over(struct fake_standby *b)
{
	struct l2tpd *d = &b->h->d;

	assert_non_null(b->shadow);
	assert_null(d->ha.shadow);
	fake_standby_detach(b);
	d->ha.shadow = b->shadow;
	b->shadow = NULL;
}
