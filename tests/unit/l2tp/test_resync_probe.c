/*
 * Unit tests of the resync probe schedule of the control channel
 * (l2tp/ctrl.c, l2tp_ctrl_rtx_delay; DESIGN.md, resync step 2), on the
 * simulated clock: while a channel resynchronises, its oldest probe is
 * resent every resync_rto_ms until rto_min_ms after it was first sent, then
 * on the ordinary §5.8 schedule, and a peer that never answers is declared
 * dead exactly when it would have been without the short resends.
 *
 * Also the Ns a message queued behind the peer's window is told it will
 * take (ops->queued, which HA checkpoints it with): the Ns it does take.
 *
 * One channel; what it transmits is logged with the time (nothing reaches a
 * peer); the peer's acknowledgement is a ZLB handed to l2tp_ctrl_input().
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
#include "l2tp/proto.h"

#define MAX_TX	64

struct probe_ep {
	struct l2tp_clock clk;
	struct l2tp_ctrl ctrl;
	uint64_t tx_ms[MAX_TX];		/* when each non-ZLB left */
	uint16_t tx_ns[MAX_TX];
	unsigned n_tx, n_zlb;
	unsigned dead, resynced, probes;
	uint64_t dead_ms;
	/* ops->queued and ops->numbered: the Ns told, by message (its
	 * Call Serial Number AVP: the order it was sent in) */
	uint16_t queued_ns[MAX_TX], numbered_ns[MAX_TX];
	unsigned n_queued, n_numbered;
};

static int pe_xmit(void *arg, const uint8_t *buf, size_t len)
{
	struct probe_ep *e = arg;
	struct l2tp_hdr h;

	assert_int_equal(l2tp_hdr_parse(buf, len, &h), 0);
	if (h.length <= h.hdr_len) {
		e->n_zlb++;
		return 0;
	}
	assert_true(e->n_tx < MAX_TX);
	e->tx_ms[e->n_tx] = clock_now(&e->clk);
	e->tx_ns[e->n_tx] = h.ns;
	e->n_tx++;
	return 0;
}

static void pe_deliver(void *arg, const uint8_t *buf, size_t len, const struct l2tp_hdr *h)
{
}

static void pe_dead(void *arg)
{
	struct probe_ep *e = arg;

	e->dead++;
	e->dead_ms = clock_now(&e->clk);
}

static void pe_send_hello(struct probe_ep *e)
{
	struct l2tp_msgbuf b;
	int len;

	l2tp_msgbuf_init(&b, L2TP_MSG_HELLO, 9, 0);
	len = l2tp_msgbuf_finish(&b);
	assert_true(len > 0);
	assert_int_equal(l2tp_ctrl_send(&e->ctrl, b.buf, (size_t)len), 0);
}

static void pe_probe(void *arg)
{
	struct probe_ep *e = arg;

	e->probes++;
	pe_send_hello(e);
}

static void pe_resynced(void *arg)
{
	struct probe_ep *e = arg;

	e->resynced++;
}

/* The serial a message of test_queued_ns carries; MAX_TX for the others. */
static uint32_t pe_serial(const uint8_t *buf, size_t len)
{
	struct l2tp_msg m;
	uint32_t v = 0;

	assert_int_equal(l2tp_msg_decode(buf, len, &m), 0);
	if (l2tp_msg_get_u32(&m, L2TP_AVP_CALL_SERIAL_NUMBER, &v) < 0)
		return MAX_TX;
	return v;
}

static void pe_queued(void *arg, uint16_t ns, const uint8_t *buf, size_t len)
{
	struct probe_ep *e = arg;
	uint32_t k = pe_serial(buf, len);
	struct l2tp_hdr h;

	if (k >= MAX_TX)
		return;
	assert_int_equal(l2tp_hdr_parse(buf, len, &h), 0);
	assert_int_equal(h.ns, ns);	/* the copy carries it */
	e->queued_ns[k] = ns;
	e->n_queued++;
}

static void pe_numbered(void *arg, uint16_t ns, const uint8_t *buf, size_t len)
{
	struct probe_ep *e = arg;
	uint32_t k = pe_serial(buf, len);

	if (k >= MAX_TX)
		return;
	e->numbered_ns[k] = ns;
	e->n_numbered++;
}

static const struct l2tp_ctrl_ops pe_ops = {
	.xmit = pe_xmit,
	.deliver = pe_deliver,
	.dead = pe_dead,
	.probe = pe_probe,
	.resynced = pe_resynced,
	.queued = pe_queued,
	.numbered = pe_numbered,
};

/* A channel restored from a checkpoint with nothing outstanding (Ns 40,
 * Nr 7), its peer's window 4; resync_rto_ms as given (0: off). */
static struct probe_ep *pe_new(unsigned resync_rto_ms)
{
	struct probe_ep *e = calloc(1, sizeof(*e));
	struct l2tp_ctrl_cfg cfg;

	assert_non_null(e);
	clock_init(&e->clk, 1);
	l2tp_ctrl_cfg_default(&cfg);
	cfg.hello_ms = 0;
	cfg.resync_rto_ms = resync_rto_ms;
	assert_int_equal(l2tp_ctrl_init(&e->ctrl, &e->clk, &cfg, &pe_ops, e), 0);
	l2tp_ctrl_set_peer(&e->ctrl, 9, 4);
	l2tp_ctrl_restore(&e->ctrl, 40, 7, 40, 4);
	return e;
}

static void pe_free(struct probe_ep *e)
{
	l2tp_ctrl_destroy(&e->ctrl);
	clock_destroy(&e->clk);
	free(e);
}

/* The peer's ZLB acknowledging everything up to (not including) nr. */
static void pe_peer_ack(struct probe_ep *e, uint16_t nr)
{
	struct l2tp_msgbuf b;
	struct l2tp_hdr h;
	int len;

	l2tp_msgbuf_init_zlb(&b, 77);
	len = l2tp_msgbuf_finish(&b);
	assert_true(len > 0);
	l2tp_hdr_set_seq(b.buf, 7, nr);
	assert_int_equal(l2tp_hdr_parse(b.buf, (size_t)len, &h), 0);
	assert_int_equal(l2tp_ctrl_input(&e->ctrl, &h, b.buf, (size_t)len), 0);
}

/* Step the clock 10 ms at a time up to `until`. */
static void pe_run(struct probe_ep *e, uint64_t until)
{
	while (clock_now(&e->clk) < until)
		clock_advance(&e->clk, 10);
}

/*
 * No answer at all: the probe (a HELLO, Ns 40) leaves at 0, is resent at
 * 20 ms and then every 100 ms up to 920 ms, then at 1, 3, 7, 15 and 23 s as
 * §5.8's backoff has it; the peer is declared dead at 31 s, as without the
 * short resends.
 */
static void test_probe_schedule_no_answer(void **state)
{
	static const uint64_t want[] = { 0, 20, 120, 220, 320, 420, 520, 620, 720, 820, 920,
					 1000, 3000, 7000, 15000, 23000 };
	struct probe_ep *fast = pe_new(100), *slow = pe_new(0);
	unsigned i;

	l2tp_ctrl_resync_start(&fast->ctrl, 3);
	l2tp_ctrl_resync_start(&slow->ctrl, 3);
	assert_int_equal(fast->probes, 1);
	pe_run(fast, 40000);
	pe_run(slow, 40000);
	assert_int_equal(fast->n_tx, sizeof(want) / sizeof(want[0]));
	for (i = 0; i < fast->n_tx; i++) {
		assert_int_equal(fast->tx_ms[i], want[i]);
		assert_int_equal(fast->tx_ns[i], 40);	/* the same probe each time */
	}
	assert_int_equal(fast->ctrl.stats.resync_fast_rtx, 10);
	assert_int_equal(fast->ctrl.stats.tx_retransmits, 15);
	/* Without the short timer: the ordinary schedule only. */
	assert_int_equal(slow->n_tx, 6);
	assert_int_equal(slow->tx_ms[1], 1000);
	assert_int_equal(slow->ctrl.stats.resync_fast_rtx, 0);
	/* The same verdict at the same time. */
	assert_int_equal(fast->dead, 1);
	assert_int_equal(slow->dead, 1);
	assert_int_equal(fast->dead_ms, slow->dead_ms);
	assert_int_equal(fast->dead_ms, 31000);
	assert_int_equal(fast->resynced, 0);
	pe_free(fast);
	pe_free(slow);
}

/*
 * The first probes are lost while the address moves; the peer hears the
 * third resend (at 220 ms) and acknowledges it at 300 ms: resync ends
 * then, not after the 1 s retransmission, and nothing more is resent.
 */
static void test_probe_answered_early(void **state)
{
	struct probe_ep *e = pe_new(100);

	l2tp_ctrl_resync_start(&e->ctrl, 3);
	pe_run(e, 300);
	assert_int_equal(e->n_tx, 4);	/* 0, 20, 120, 220 */
	assert_int_equal(e->tx_ms[1], 20);
	assert_int_equal(e->tx_ms[3], 220);
	pe_peer_ack(e, 41);
	assert_int_equal(e->resynced, 1);
	assert_false(e->ctrl.resync);
	pe_run(e, 40000);
	assert_int_equal(e->n_tx, 4);
	assert_int_equal(e->dead, 0);
	pe_free(e);
}

/*
 * Checkpointed messages outstanding (Ns 40..42 restored, window 3): only
 * the oldest is resent on the short timer; once the peer acknowledges it,
 * the next oldest (already sent at 0) goes on its own schedule from the
 * ordinary timeout, not at once.
 */
static void test_probe_restored_messages(void **state)
{
	struct probe_ep *e = calloc(1, sizeof(*e));
	struct l2tp_ctrl_cfg cfg;
	struct l2tp_msgbuf b;
	uint16_t ns;
	int len;

	assert_non_null(e);
	clock_init(&e->clk, 1);
	l2tp_ctrl_cfg_default(&cfg);
	cfg.hello_ms = 0;
	assert_int_equal(cfg.resync_rto_ms, 100);	/* the default */
	assert_int_equal(l2tp_ctrl_init(&e->ctrl, &e->clk, &cfg, &pe_ops, e), 0);
	l2tp_ctrl_set_peer(&e->ctrl, 9, 4);
	l2tp_ctrl_restore(&e->ctrl, 43, 7, 40, 4);
	for (ns = 40; ns < 43; ns++) {
		l2tp_msgbuf_init(&b, L2TP_MSG_HELLO, 9, 0);
		len = l2tp_msgbuf_finish(&b);
		assert_true(len > 0);
		assert_int_equal(l2tp_ctrl_restore_msg(&e->ctrl, ns, b.buf, (size_t)len), 0);
	}
	l2tp_ctrl_resync_start(&e->ctrl, 3);
	assert_int_equal(e->probes, 0);
	assert_int_equal(e->n_tx, 3);
	pe_run(e, 250);
	assert_int_equal(e->n_tx, 6);	/* Ns 40 again at 20, 120 and 220 */
	assert_int_equal(e->tx_ns[3], 40);
	assert_int_equal(e->tx_ns[5], 40);
	pe_run(e, 1500);
	/* 40..42 once each at 0; Ns 40 at 20, 120 .. 920 (10 times) and 1000. */
	assert_int_equal(e->n_tx, 14);
	pe_peer_ack(e, 41);	/* at 1.5 s */
	assert_true(e->ctrl.resync);
	pe_run(e, 2490);
	assert_int_equal(e->n_tx, 14);	/* Ns 41: nothing before 1 s from the ack */
	pe_run(e, 2500);
	assert_int_equal(e->n_tx, 15);
	assert_int_equal(e->tx_ns[14], 41);
	pe_peer_ack(e, 43);
	assert_int_equal(e->resynced, 1);
	pe_free(e);
}

/* Outside resync, the ordinary schedule: the first retransmission at 1 s. */
static void test_probe_not_resyncing(void **state)
{
	struct probe_ep *e = pe_new(100);

	pe_send_hello(e);
	pe_run(e, 1500);
	assert_int_equal(e->n_tx, 2);
	assert_int_equal(e->tx_ms[1], 1000);
	assert_int_equal(e->ctrl.stats.resync_fast_rtx, 0);
	pe_free(e);
}

/*
 * Eight messages on a peer window of 3: three leave at once, five wait;
 * each waiting one is told the Ns it will take (Ns 40 is the next), and
 * takes exactly that as acknowledgements open the window.
 */
static void test_queued_ns(void **state)
{
	struct probe_ep *e = pe_new(100);
	struct l2tp_msgbuf b;
	uint32_t k;
	int len;

	l2tp_ctrl_set_peer(&e->ctrl, 9, 3);
	for (k = 0; k < 8; k++) {
		l2tp_msgbuf_init(&b, L2TP_MSG_HELLO, 9, 0);
		l2tp_avp_put_u32(&b, L2TP_AVP_CALL_SERIAL_NUMBER, k, 0);
		len = l2tp_msgbuf_finish(&b);
		assert_true(len > 0);
		assert_int_equal(l2tp_ctrl_send(&e->ctrl, b.buf, (size_t)len), 0);
	}
	assert_int_equal(e->n_numbered, 3);
	assert_int_equal(e->n_queued, 5);
	assert_int_equal(e->ctrl.n_pending, 5);
	for (k = 3; k < 8; k++)
		assert_int_equal(e->queued_ns[k], 40 + k);
	pe_peer_ack(e, 42);	/* two acknowledged: two more go */
	assert_int_equal(e->n_numbered, 5);
	pe_peer_ack(e, 45);	/* all that left: the last three go */
	assert_int_equal(e->n_numbered, 8);
	assert_int_equal(e->ctrl.n_pending, 0);
	for (k = 0; k < 8; k++)
		assert_int_equal(e->numbered_ns[k], 40 + k);
	for (k = 3; k < 8; k++)
		assert_int_equal(e->queued_ns[k], e->numbered_ns[k]);
	assert_int_equal(e->n_queued, 5);	/* told once each */
	pe_free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_probe_schedule_no_answer),
		cmocka_unit_test(test_probe_answered_early),
		cmocka_unit_test(test_probe_restored_messages),
		cmocka_unit_test(test_probe_not_resyncing),
		cmocka_unit_test(test_queued_ns),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
