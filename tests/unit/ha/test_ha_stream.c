/*
 * Unit tests of the active's record stream (ha/emit.c): each control
 * message goes to the standby once, and the standby still ends holding
 * every message the active holds, with the Ns it has or will take.
 *
 * A message is recorded when the channel numbers it, or when it waits for
 * the peer's window (with the Ns it will take); a tunnel recorded in the
 * turn (established, say) has every message it holds recorded after its
 * tunnel record at the end of the turn.  The copies the standby already
 * has are not sent again: a message numbered with the Ns its copy took
 * while it waited, or one the end of the turn records anyway.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include "harness.h"
#include "core/clock.h"
#include "fake_standby.h"
#include "ha/ha_int.h"
#include "haproto/ha_shadow.h"
#include "l2tp/msg.h"
#include "l2tp/net.h"
#include "l2tp/proto.h"
#include "l2tp/session.h"
#include "l2tp/tunnel.h"

static const char cfg_ha[] = H_CFG_HA;

/* The peer's message as the daemon reads it, within the loop turn: the
 * turn's records are made at its end (ha_flush), which the test calls. */
static void read_in_turn(struct h_peer *p)
{
	uint8_t buf[L2TP_MAX_MSG_LEN];
	size_t len = h_seal(p, buf, sizeof(buf));

	l2tp_net_input(&p->h->d, -1, buf, len, &p->addr, &p->local);
}

/* A copy and the message agree but for the Nr (a new active writes its
 * own into the header of every message it sends). */
static void same_but_nr(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
	assert_int_equal(alen, blen);
	assert_true(alen > L2TP_HDR_LEN_CTRL);
	assert_memory_equal(a, b, 10);	/* flags, length, IDs, Ns */
	assert_memory_equal(a + 12, b + 12, alen - 12);
}

/* The standby holds exactly the messages t holds: those sent and not yet
 * acknowledged, then those waiting, with the Ns each will take. */
static void standby_holds_all(const struct fake_standby *b, const struct l2tp_tunnel *t)
{
	const struct ha_shadow_tunnel *st = ha_shadow_tunnel(b->shadow, t->tid);
	const struct l2tp_ctrl_pkt *pk;
	uint16_t ns = t->ctrl.ns;
	size_t i = 0;

	assert_non_null(st);
	TAILQ_FOREACH(pk, &t->ctrl.sent, link) {
		assert_true(i < st->n_msgs);
		assert_int_equal(st->msgs[i].ns, pk->ns);
		same_but_nr(st->msgs[i].buf, st->msgs[i].len, pk->buf, pk->len);
		i++;
	}
	TAILQ_FOREACH(pk, &t->ctrl.pending, link) {
		assert_true(i < st->n_msgs);
		assert_int_equal(st->msgs[i].ns, ns++);
		same_but_nr(st->msgs[i].buf, st->msgs[i].len, pk->buf, pk->len);
		i++;
	}
	assert_int_equal(i, st->n_msgs);
}

/*
 * The peer sends its SCCCN and six ICRQs back to back: the tunnel is
 * established and six ICRPs are made in the same turn, four numbered (the
 * peer's window) and two waiting.  Each ICRP goes once, after the tunnel
 * record; the two waiting are not recorded again when the peer's ack lets
 * them go.  The standby holds what the active holds all along, and after
 * a failover the new active sends the peer every ICRP it is owed.
 */
static void test_stream_icrp_once(void **state)
{
	struct harness *h = h_new(state, cfg_ha);
	struct fake_standby *b = fake_standby_new(h, 1);
	struct h_peer *p = h_peer_new(h, "192.0.2.7", 77, H_SECRET);
	struct l2tp_tunnel *t;
	struct l2tp_msg *m;
	uint8_t chal[16];
	unsigned n = 0;

	h_sccrq(p, "lac1");
	h_send(p);
	m = h_expect(h, p, L2TP_MSG_SCCRP);
	h_get_bytes(m, L2TP_AVP_CHALLENGE, chal, sizeof(chal));
	h_scccn(p);
	h_put_response(p, L2TP_MSG_SCCCN, H_SECRET, chal, sizeof(chal));
	read_in_turn(p);
	for (uint16_t sid = 1; sid <= 6; sid++) {
		h_icrq(p, sid, sid);
		read_in_turn(p);
	}
	ha_flush(&h->d);
	t = h_tunnel(p);
	assert_non_null(t);
	assert_int_equal(t->state, L2TP_TUNNEL_ESTABLISHED);
	assert_int_equal(t->ctrl.n_pending, 2);	/* two ICRPs behind the window */
	assert_int_equal(b->by_type[HA_REC_TUNNEL], 1);
	assert_int_equal(b->by_type[HA_REC_CTRL_MSG], 6);
	standby_holds_all(b, t);
	/* The peer acknowledges the four: the two waiting go, not recorded
	 * again (the standby has them with these Ns). */
	while ((m = h_next(h, p)) != NULL)
		n += m->type == L2TP_MSG_ICRP;
	assert_int_equal(n, 4);
	h_send_zlb(p);
	assert_int_equal(t->ctrl.n_pending, 0);
	assert_int_equal(b->by_type[HA_REC_CTRL_MSG], 6);
	standby_holds_all(b, t);
	/* The active dies before the peer hears the last two: the new active
	 * sends them, from its copies. */
	fake_standby_fail_over(b);
	h_send_zlb(p);
	h_flush_acks(h);
	n = 0;
	while ((m = h_next(h, p)) != NULL)
		n += m->type == L2TP_MSG_ICRP;
	assert_int_equal(n, 2);
}

static uint64_t sink_seq;
static unsigned sink_msgs;
static uint16_t sink_last_ns;

static uint64_t count_sink(void *arg, const struct ha_rec *r)
{
	(void)arg;
	if (r->type == HA_REC_CTRL_MSG) {
		sink_msgs++;
		sink_last_ns = r->u.msg.ns;
	}
	return ++sink_seq;
}

/*
 * The bookkeeping itself: a numbered message whose copy the standby has
 * (same Ns, in order) is not recorded again; any other Ns is, and the
 * copies after it are no longer trusted; nothing is recorded while the
 * tunnel's record is owed (the end of the turn records every message).
 */
static void test_stream_copies(void **state)
{
	struct harness *h = h_new(state, cfg_ha);
	struct h_peer *p = h_lns_tunnel(h, "192.0.2.7", 77, "lac1");
	struct l2tp_tunnel *t = h_tunnel(p);
	static const uint8_t msg[] = { 0xc8, 0x02, 0, 20 };

	ha_flush(&h->d);	/* nothing owed: off the dirty list */
	assert_int_equal(t->ha_dirty, 0);
	h->d.ha.test_sink = count_sink;
	sink_seq = sink_msgs = 0;
	/* Two wait with Ns 5 and 6, then are numbered 5 and 6: two records. */
	ha_emit_msg_queued(&h->d, t, 5, msg, sizeof(msg));
	ha_emit_msg_queued(&h->d, t, 6, msg, sizeof(msg));
	ha_emit_msg(&h->d, t, 5, msg, sizeof(msg));
	ha_emit_msg(&h->d, t, 6, msg, sizeof(msg));
	assert_int_equal(sink_msgs, 2);
	/* One not copied: recorded. */
	ha_emit_msg(&h->d, t, 7, msg, sizeof(msg));
	assert_int_equal(sink_msgs, 3);
	assert_int_equal(sink_last_ns, 7);
	/* Copies 8 and 9, but the channel numbers 9 first (its numbers
	 * moved): recorded, and 8 and 9 after it too. */
	ha_emit_msg_queued(&h->d, t, 8, msg, sizeof(msg));
	ha_emit_msg_queued(&h->d, t, 9, msg, sizeof(msg));
	assert_int_equal(sink_msgs, 5);
	ha_emit_msg(&h->d, t, 9, msg, sizeof(msg));
	assert_int_equal(sink_msgs, 6);
	ha_emit_msg(&h->d, t, 8, msg, sizeof(msg));
	ha_emit_msg(&h->d, t, 9, msg, sizeof(msg));
	assert_int_equal(sink_msgs, 8);
	/* A copy that is not after the last starts over: 20 copied, not 10. */
	ha_emit_msg_queued(&h->d, t, 10, msg, sizeof(msg));
	ha_emit_msg_queued(&h->d, t, 20, msg, sizeof(msg));
	ha_emit_msg(&h->d, t, 20, msg, sizeof(msg));
	assert_int_equal(sink_msgs, 10);
	ha_emit_msg(&h->d, t, 10, msg, sizeof(msg));
	assert_int_equal(sink_msgs, 11);
	/* Resynchronising, no copy is trusted. */
	ha_emit_msg_queued(&h->d, t, 30, msg, sizeof(msg));
	t->ctrl.resync = 1;
	ha_emit_msg(&h->d, t, 30, msg, sizeof(msg));
	t->ctrl.resync = 0;
	assert_int_equal(sink_msgs, 13);
	/* The tunnel's record owed: neither kind is recorded now. */
	t->ha_dirty = HA_DIRTY_TUNNEL;
	ha_emit_msg_queued(&h->d, t, 40, msg, sizeof(msg));
	ha_emit_msg(&h->d, t, 41, msg, sizeof(msg));
	assert_int_equal(sink_msgs, 13);
	t->ha_dirty = HA_DIRTY_SEQ;
	ha_emit_msg(&h->d, t, 42, msg, sizeof(msg));
	assert_int_equal(sink_msgs, 14);
	t->ha_dirty = 0;
	h->d.ha.test_sink = NULL;
}

/* A session's record carries its times on the wall clock, each as long
 * ago as on the daemon's own; a time not yet reached (or none) as none. */
static void test_stream_session_times(void **state)
{
	struct harness *h = h_new(state, cfg_ha);
	struct h_peer *p = h_lns_tunnel(h, "192.0.2.7", 77, "lac1");
	struct ha_session_rec *r = calloc(1, sizeof(*r));
	struct l2tp_session *s;
	uint64_t now, wall;

	assert_non_null(r);
	h_lns_call(h, p, 5);
	clock_advance(&h->d.clk, 5000);
	s = LIST_FIRST(&h_tunnel(p)->session_list);
	assert_non_null(s);
	now = clock_now(&h->d.clk);
	wall = clock_wall_ms(&h->d.clk);
	s->created_ms = now - 4000;
	s->established_ms = now - 1500;
	s->ppp_up_ms = now + 10;
	ha_fill_session(&h->d, s, r);
	assert_int_equal(r->created_ms, wall - 4000);
	assert_int_equal(r->established_ms, wall - 1500);
	assert_int_equal(r->ppp_up_ms, 0);
	s->established_ms = 0;
	ha_fill_session(&h->d, s, r);
	assert_int_equal(r->established_ms, 0);
	free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_stream_icrp_once, h_teardown),
		cmocka_unit_test_teardown(test_stream_copies, h_teardown),
		cmocka_unit_test_teardown(test_stream_session_times, h_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
