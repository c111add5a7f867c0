/*
 * Unit tests of the takeover's order (ha/takeover.c): the tunnels are
 * rebuilt and their resync probes leave in the takeover's own loop turn;
 * the sessions follow, a bounded batch a loop turn (bounded in time too),
 * each record leaving
 * the shadow store as it is rebuilt; a peer's message or data packet for
 * a tunnel whose sessions are not all rebuilt yet rebuilds them first, so
 * that nothing is answered as unknown or dropped.
 *
 * The daemon of harness.h is the active of a pair whose standby is
 * fake_standby.h's; the failover hands the standby's store to the daemon
 * (fake_standby_hand_over) and the loop turns are the clock's runs.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "harness.h"
#include "fake_standby.h"
#include "core/clock.h"
#include "ha/ha_int.h"
#include "haproto/ha_shadow.h"
#include "l2tp/avp.h"
#include "l2tp/proto.h"
#include "l2tp/session.h"
#include "l2tp/tunnel.h"

static const char cfg_ha[] = H_CFG_HA;

#define TUNNELS		3
#define PER_TUNNEL	300	/* more than a batch (256) in all, and in one */

struct pair {
	struct harness *h;
	struct fake_standby *b;
	struct h_peer *p[TUNNELS];
	uint16_t sid[TUNNELS][PER_TUNNEL];	/* ours, per call */
};

/* TUNNELS x PER_TUNNEL established calls, checkpointed; the active dies
 * and the daemon becomes the standby holding the store (not yet active). */
static void pair_setup(void **state, struct pair *x, unsigned tunnels)
{
	static const char *const ip[TUNNELS] = { "192.0.2.7", "192.0.2.8", "192.0.2.9" };
	unsigned i, j;

	memset(x, 0, sizeof(*x));
	x->h = h_new(state, cfg_ha);
	x->b = fake_standby_new(x->h, 1);
	for (i = 0; i < tunnels; i++) {
		x->p[i] = h_lns_tunnel(x->h, ip[i], (uint16_t)(70 + i), "lac1");
		for (j = 0; j < PER_TUNNEL; j++)
			x->sid[i][j] = h_lns_call(x->h, x->p[i], (uint16_t)(1000 + j));
		h_flush_acks(x->h);
		h_drain(x->h);
	}
	assert_int_equal(x->h->d.n_sessions, tunnels * PER_TUNNEL);
	fake_standby_crash(x->b);
	fake_standby_hand_over(x->b);
	assert_int_equal(x->h->d.n_sessions, 0);
}

static uint64_t shadow_sessions(struct l2tpd *d)
{
	struct ha_shadow_stats st;

	ha_shadow_get_stats(d->ha.shadow, &st);
	return st.sessions;
}

static unsigned tunnel_sessions(struct h_peer *p)
{
	struct l2tp_tunnel *t = h_tunnel(p);
	struct l2tp_session *s;
	unsigned n = 0;

	assert_non_null(t);
	LIST_FOREACH(s, &t->session_list, link)
		n++;
	return n;
}

/* Tunnels and probes first; sessions a batch a turn; the store emptied. */
static void test_rebuild_batches(void **state)
{
	struct pair x;
	struct l2tpd *d;
	unsigned i, turns = 0, prev = 0;

	pair_setup(state, &x, TUNNELS);
	d = &x.h->d;
	ha_takeover(d, "test");
	/* The turn of the takeover: every tunnel, no session, every probe out. */
	assert_int_equal(d->n_tunnels, TUNNELS);
	assert_int_equal(d->n_sessions, 0);
	assert_int_equal(d->ha.stats.takeover_tunnels, TUNNELS);
	assert_int_equal(d->ha.tunnels_resyncing, TUNNELS);
	assert_true(d->ha.rebuild.running);
	assert_int_equal(shadow_sessions(d), TUNNELS * PER_TUNNEL);
	for (i = 0; i < TUNNELS; i++) {
		assert_true(h_tunnel(x.p[i])->resyncing);
		h_expect(x.h, x.p[i], L2TP_MSG_HELLO);
	}
	/* Then at most a batch a turn, each record gone from the store as its
	 * session is rebuilt. */
	while (d->ha.rebuild.running) {
		clock_run(&d->clk);
		turns++;
		assert_true(d->n_sessions - prev <= 256);
		assert_true(d->n_sessions > prev);
		prev = d->n_sessions;
		if (d->ha.rebuild.running)
			assert_int_equal(shadow_sessions(d), TUNNELS * PER_TUNNEL - d->n_sessions);
		assert_true(turns < 10);
	}
	assert_int_equal(turns, (TUNNELS * PER_TUNNEL + 255) / 256);
	assert_int_equal(d->n_sessions, TUNNELS * PER_TUNNEL);
	assert_int_equal(d->ha.stats.takeover_sessions, TUNNELS * PER_TUNNEL);
	assert_int_equal(d->ha.stats.takeover_on_demand, 0);
	assert_int_equal(shadow_sessions(d), 0);
	assert_null(ha_shadow_next_tunnel(d->ha.shadow, 0));
	for (i = 0; i < TUNNELS; i++) {
		assert_int_equal(tunnel_sessions(x.p[i]), PER_TUNNEL);
		assert_non_null(l2tp_session_find(h_tunnel(x.p[i]), x.sid[i][PER_TUNNEL - 1]));
		h_send_zlb(x.p[i]);
		assert_false(h_tunnel(x.p[i])->resyncing);
	}
	assert_int_equal(d->ha.stats.resync_ok, TUNNELS);
	/* Nothing but the probes went out: no CDN for any call. */
	for (i = 0; i < TUNNELS; i++)
		h_expect_nothing(x.h, x.p[i]);
	assert_int_equal(d->ha.stats.takeover_cleared, 0);
}

/* A data path whose sessions take SLOW_MS each on the daemon's clock (a
 * PPP unit and its interface, under emulation): the rebuild's turns are
 * cut by time, and the probes' answers are read after the first session,
 * not after a batch of them. */
#define SLOW_MS		5

static struct l2tp_clock *slow_clk;
static struct dp_ops slow_ops;	/* outlives a failed test: its teardown uses it */
static int (*slow_next)(struct dp *dp, const struct dp_session_params *p);

static int slow_session_create(struct dp *dp, const struct dp_session_params *p)
{
	slow_clk->sim_now += SLOW_MS;
	return slow_next(dp, p);
}

/* A synced pair of TUNNELS tunnels whose data path spends SLOW_MS on each
 * session it makes, taken over: every tunnel's resync probe (HELLO) has
 * left.  Returns the data path's own operations, to be put back. */
static const struct dp_ops *slow_takeover(void **state, struct pair *x)
{
	struct l2tpd *d;
	const struct dp_ops *saved;
	unsigned i;

	pair_setup(state, x, TUNNELS);
	d = &x->h->d;
	saved = d->dp->ops;
	slow_ops = *saved;
	slow_next = slow_ops.session_create;
	slow_ops.session_create = slow_session_create;
	slow_clk = &d->clk;
	d->dp->ops = &slow_ops;
	ha_takeover(d, "test");
	for (i = 0; i < TUNNELS; i++)
		h_expect(x->h, x->p[i], L2TP_MSG_HELLO);
	return saved;
}

static void test_rebuild_slice(void **state)
{
	struct pair x;
	struct l2tpd *d;
	const struct dp_ops *saved;
	unsigned i, turns = 0;

	saved = slow_takeover(state, &x);
	d = &x.h->d;
	/* One session takes longer than a turn's slice: the turn ends there. */
	clock_run(&d->clk);
	assert_int_equal(d->n_sessions, 1);
	/* The answers, read before the next turn, end every resync at once:
	 * the takeover is complete after one session's time, not a batch's. */
	for (i = 0; i < TUNNELS; i++) {
		h_send_zlb(x.p[i]);
		assert_false(h_tunnel(x.p[i])->resyncing);
	}
	assert_int_equal(d->ha.stats.resync_ok, TUNNELS);
	assert_true(d->ha.stats.resync_duration_ms <= 2 * SLOW_MS);
	assert_true(d->ha.rebuild.running);
	/* The rest follows, a session a turn, every one rebuilt. */
	while (d->ha.rebuild.running && turns < 10) {
		unsigned prev = d->n_sessions;

		clock_run(&d->clk);
		turns++;
		assert_int_equal(d->n_sessions, prev + 1);
	}
	d->dp->ops = saved;
	assert_int_equal(turns, 10);
	ha_takeover_rebuild_all(d);
	assert_false(d->ha.rebuild.running);
	assert_int_equal(d->n_sessions, TUNNELS * PER_TUNNEL);
	assert_int_equal(d->ha.stats.takeover_cleared, 0);
}

/* The peer clears a call before its session was rebuilt: the tunnel's
 * sessions are rebuilt then and there, the CDN finds its call. */
static void test_rebuild_on_demand_cdn(void **state)
{
	struct pair x;
	struct l2tpd *d;
	struct l2tp_tunnel *t;
	uint16_t gone;

	pair_setup(state, &x, 2);
	d = &x.h->d;
	ha_takeover(d, "test");
	h_expect(x.h, x.p[0], L2TP_MSG_HELLO);
	h_expect(x.h, x.p[1], L2TP_MSG_HELLO);
	h_send_zlb(x.p[1]);		/* tunnel 1 resynced, its sessions not rebuilt */
	t = h_tunnel(x.p[1]);
	assert_false(t->resyncing);
	assert_true(t->sessions_pending);
	assert_int_equal(d->n_sessions, 0);
	gone = x.sid[1][PER_TUNNEL / 2];
	h_cdn(x.p[1], gone, (uint16_t)(1000 + PER_TUNNEL / 2), 3);
	h_send(x.p[1]);
	/* Tunnel 1's calls are all here but the cleared one; tunnel 0's wait. */
	assert_false(t->sessions_pending);
	assert_int_equal(d->ha.stats.takeover_on_demand, 1);
	assert_int_equal(tunnel_sessions(x.p[1]), PER_TUNNEL - 1);
	assert_null(l2tp_session_find(t, gone));
	assert_int_equal(t->stats.rx_unexpected, 0);
	assert_true(h_tunnel(x.p[0])->sessions_pending);
	assert_int_equal(tunnel_sessions(x.p[0]), 0);
	h_flush_acks(x.h);
	h_expect_only_ack(x.h, x.p[1]);
	/* The rest in the loop's turns; nothing is rebuilt twice. */
	while (d->ha.rebuild.running)
		clock_run(&d->clk);
	assert_int_equal(d->n_sessions, 2 * PER_TUNNEL - 1);
	assert_int_equal(d->ha.stats.takeover_sessions, 2 * PER_TUNNEL);
	assert_int_equal(d->ha.stats.takeover_errors, 0);
	assert_int_equal(shadow_sessions(d), 0);
}

/* A data message (an LCP frame) for session sid of peer p's tunnel. */
static void data_pkt(uint8_t pkt[16], const struct h_peer *p, uint16_t sid)
{
	uint16_t tid = htons(p->dtid);

	sid = htons(sid);
	memset(pkt, 0, 16);
	pkt[1] = 2;			/* L2TPv2 data: T=0, L=0, S=0, O=0 */
	memcpy(pkt + 2, &tid, 2);
	memcpy(pkt + 4, &sid, 2);
	pkt[6] = 0xff;			/* a PPP frame: address, control, LCP */
	pkt[7] = 0x03;
	pkt[8] = 0xc0;
	pkt[9] = 0x21;
}

/* The call of tunnel i with the lowest (hi: highest) Session ID: the
 * first (last) of its tunnel's the rebuild makes. */
static uint16_t sid_edge(const struct pair *x, unsigned i, int hi)
{
	uint16_t v = x->sid[i][0];
	unsigned j;

	for (j = 1; j < PER_TUNNEL; j++)
		if (hi ? x->sid[i][j] > v : x->sid[i][j] < v)
			v = x->sid[i][j];
	return v;
}

/* Data frames handed to a session: to its PPP, or counted as for a call
 * without PPP (the harness's calls run none). */
static uint64_t frames_delivered(struct l2tpd *d)
{
	struct l2tp_tunnel *t;
	struct l2tp_session *s;
	uint64_t n = d->stats.rx_data_no_ppp;

	LIST_FOREACH(t, &d->tunnels, link)
		LIST_FOREACH(s, &t->session_list, link)
			n += s->up_rx_packets;
	return n;
}

/* A data packet for a call not rebuilt yet (null data path): held, its
 * tunnel rebuilt first, and delivered to its session when it is there,
 * not dropped as for no session. */
static void test_rebuild_on_demand_data(void **state)
{
	struct pair x;
	struct l2tpd *d;
	struct l2tp_tunnel *t;
	uint8_t pkt[16];

	pair_setup(state, &x, 1);
	d = &x.h->d;
	ha_takeover(d, "test");
	assert_int_equal(d->n_sessions, 0);
	t = h_tunnel(x.p[0]);
	data_pkt(pkt, x.p[0], sid_edge(&x, 0, 0));
	h_deliver(x.p[0], pkt, sizeof(pkt));
	/* Held, nothing rebuilt in the socket's read. */
	assert_int_equal(d->n_sessions, 0);
	assert_int_equal(t->n_held, 1);
	assert_int_equal(d->stats.rx_data_no_session, 0);
	assert_int_equal(d->ha.stats.takeover_held, 1);
	/* The next turn rebuilds its session (a batch) and hands it the frame. */
	clock_run(&d->clk);
	assert_true(d->n_sessions > 0);
	assert_true(t->sessions_pending);
	assert_int_equal(t->n_held, 0);
	assert_int_equal(frames_delivered(d), 1);
	assert_int_equal(d->stats.rx_data_no_session, 0);
	/* A packet for a call the store never held waits for the tunnel's
	 * last session, then is dropped, counted. */
	data_pkt(pkt, x.p[0], (uint16_t)(sid_edge(&x, 0, 1) + 1));
	h_deliver(x.p[0], pkt, sizeof(pkt));
	assert_int_equal(t->n_held, 1);
	clock_run(&d->clk);
	assert_false(t->sessions_pending);
	assert_int_equal(t->n_held, 0);
	assert_int_equal(d->stats.rx_data_no_session, 1);
	assert_int_equal(d->n_sessions, PER_TUNNEL);
	assert_false(d->ha.rebuild.running);
	assert_int_equal(d->ha.stats.takeover_on_demand, 0);
	assert_int_equal(frames_delivered(d), 1);
}

/* More data packets than a tunnel holds: the rest rebuild its sessions in
 * the read, as a control message does; none is dropped. */
static void test_rebuild_data_overflow(void **state)
{
	struct pair x;
	struct l2tpd *d;
	struct l2tp_tunnel *t;
	uint8_t pkt[16];
	unsigned i;

	pair_setup(state, &x, 1);
	d = &x.h->d;
	ha_takeover(d, "test");
	t = h_tunnel(x.p[0]);
	for (i = 0; i < L2TP_HELD_MAX; i++) {
		data_pkt(pkt, x.p[0], x.sid[0][PER_TUNNEL - 1 - i]);
		h_deliver(x.p[0], pkt, sizeof(pkt));
	}
	assert_int_equal(t->n_held, L2TP_HELD_MAX);
	assert_int_equal(d->n_sessions, 0);
	data_pkt(pkt, x.p[0], x.sid[0][0]);
	h_deliver(x.p[0], pkt, sizeof(pkt));
	assert_int_equal(d->ha.stats.takeover_on_demand, 1);
	assert_int_equal(d->n_sessions, PER_TUNNEL);
	assert_int_equal(t->n_held, 0);
	assert_int_equal(frames_delivered(d), L2TP_HELD_MAX + 1);
	assert_int_equal(d->stats.rx_data_no_session, 0);
}

/* The probes' answers come with the subscribers' data for calls not
 * rebuilt yet, on a data path whose sessions are slow (SLOW_MS each): the
 * data does not rebuild its tunnel's sessions in the read, so the other
 * tunnels' answers read after it end their resync at once; the tunnels the
 * data waits for are rebuilt first, in the order it came, and every packet
 * reaches its session. */
static void test_rebuild_data_behind(void **state)
{
	struct pair x;
	struct l2tpd *d;
	const struct dp_ops *saved;
	uint8_t pkt[16];
	unsigned i, turns = 0;
	int order[TUNNELS], k = 0;

	saved = slow_takeover(state, &x);
	d = &x.h->d;
	clock_run(&d->clk);
	assert_int_equal(d->n_sessions, 1);	/* tunnel 0's first */
	/* Last tunnel first: each peer's data, then its answer. */
	for (i = TUNNELS; i-- > 0;) {
		data_pkt(pkt, x.p[i], sid_edge(&x, i, 1));
		h_deliver(x.p[i], pkt, sizeof(pkt));
		h_send_zlb(x.p[i]);
		assert_false(h_tunnel(x.p[i])->resyncing);
	}
	assert_int_equal(d->ha.stats.resync_ok, TUNNELS);
	assert_true(d->ha.stats.resync_duration_ms <= 2 * SLOW_MS);
	assert_int_equal(d->n_sessions, 1);
	/* A session a turn, the tunnels in the order their data came. */
	while (d->ha.rebuild.running && turns < TUNNELS * PER_TUNNEL + 10) {
		unsigned prev = d->n_sessions;

		clock_run(&d->clk);
		turns++;
		if (d->ha.rebuild.running)
			assert_int_equal(d->n_sessions, prev + 1);
		for (i = 0; i < TUNNELS; i++) {
			int j, seen = 0;

			for (j = 0; j < k; j++)
				seen |= order[j] == (int)i;
			if (!seen && h_tunnel(x.p[i])->n_held == 0)
				order[k++] = (int)i;	/* its packet went to its session */
		}
	}
	d->dp->ops = saved;
	assert_false(d->ha.rebuild.running);
	assert_int_equal(d->n_sessions, TUNNELS * PER_TUNNEL);
	assert_int_equal(k, TUNNELS);
	for (i = 0; i < TUNNELS; i++) {
		assert_int_equal(order[i], TUNNELS - 1 - i);
		assert_int_equal(h_tunnel(x.p[i])->n_held, 0);
	}
	assert_int_equal(frames_delivered(d), TUNNELS);
	assert_int_equal(d->stats.rx_data_no_session, 0);
	assert_int_equal(d->ha.stats.takeover_on_demand, 0);
	assert_int_equal(d->ha.stats.takeover_cleared, 0);
}

/* A half-made call (ICRP sent, no ICCN) rebuilt after its tunnel has
 * resynchronised: the peer's budget starts when it is rebuilt. */
static void test_rebuild_halfmade_late(void **state)
{
	struct pair x;
	struct l2tpd *d;
	struct l2tp_session *s;
	struct l2tp_msg *m;
	uint16_t half_sid = 0;

	memset(&x, 0, sizeof(x));
	x.h = h_new(state, cfg_ha);
	d = &x.h->d;
	x.b = fake_standby_new(x.h, 1);
	x.p[0] = h_lns_tunnel(x.h, "192.0.2.7", 70, "lac1");
	for (unsigned j = 0; j < PER_TUNNEL; j++)
		h_lns_call(x.h, x.p[0], (uint16_t)(1000 + j));
	h_flush_acks(x.h);
	h_drain(x.h);
	h_icrq(x.p[0], 200, 200);
	h_send(x.p[0]);
	m = h_expect(x.h, x.p[0], L2TP_MSG_ICRP);
	assert_int_equal(l2tp_msg_get_u16(m, L2TP_AVP_ASSIGNED_SESSION_ID, &half_sid), 0);
	h_flush_acks(x.h);
	h_drain(x.h);
	fake_standby_crash(x.b);
	fake_standby_hand_over(x.b);
	ha_takeover(d, "test");
	h_expect(x.h, x.p[0], L2TP_MSG_ICRP);	/* the probe: the unacknowledged ICRP */
	h_send_zlb(x.p[0]);
	assert_false(h_tunnel(x.p[0])->resyncing);
	assert_null(l2tp_session_find(h_tunnel(x.p[0]), half_sid));
	while (d->ha.rebuild.running)
		clock_run(&d->clk);
	s = l2tp_session_find(h_tunnel(x.p[0]), half_sid);
	assert_non_null(s);
	assert_int_equal(s->state, L2TP_SESSION_WAIT_CONNECT);
	assert_true(clock_timer_pending(&s->ha_connect_timer));
	/* The peer never finishes it: cleared once its budget is spent. */
	clock_advance(&d->clk, 31000 + 1000);
	assert_int_equal(d->ha.stats.takeover_cleared, 1);
	assert_null(l2tp_session_find(h_tunnel(x.p[0]), half_sid));
	assert_int_equal(d->n_sessions, PER_TUNNEL);
}

/* The peer closes a tunnel whose sessions wait: they are rebuilt to go as
 * any session goes (accounting, the observers), then the tunnel. */
static void test_rebuild_tunnel_closed(void **state)
{
	struct pair x;
	struct l2tpd *d;

	pair_setup(state, &x, 2);
	d = &x.h->d;
	ha_takeover(d, "test");
	h_expect(x.h, x.p[0], L2TP_MSG_HELLO);
	h_send_zlb(x.p[0]);
	h_stopccn(x.p[0], 1);
	h_send(x.p[0]);
	assert_int_equal(d->ha.stats.takeover_on_demand, 1);
	assert_int_equal(d->ha.stats.takeover_sessions, PER_TUNNEL);
	assert_int_equal(d->n_sessions, 0);
	assert_int_equal(d->dp->count.sessions, 0);
	while (d->ha.rebuild.running)
		clock_run(&d->clk);
	assert_int_equal(d->n_sessions, PER_TUNNEL);
	assert_int_equal(d->ha.stats.takeover_sessions, 2 * PER_TUNNEL);
	assert_int_equal(shadow_sessions(d), 0);
}

/* The box goes silent while sessions wait: nothing is rebuilt after. */
static void test_rebuild_demoted(void **state)
{
	struct pair x;
	struct l2tpd *d;
	char err[128];

	pair_setup(state, &x, 2);
	d = &x.h->d;
	ha_takeover(d, "test");
	clock_run(&d->clk);
	assert_true(d->ha.rebuild.running);
	assert_int_equal(ha_set_state(d, "backup", err, sizeof(err)), 0);
	assert_false(d->ha.rebuild.running);
	l2tp_tunnel_reap(d);
	assert_int_equal(d->n_tunnels, 0);
	assert_int_equal(d->n_sessions, 0);
	assert_int_equal(d->dp->count.sessions, 0);
	clock_advance(&d->clk, 10);
	assert_int_equal(d->n_sessions, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_rebuild_batches, h_teardown),
		cmocka_unit_test_teardown(test_rebuild_slice, h_teardown),
		cmocka_unit_test_teardown(test_rebuild_on_demand_cdn, h_teardown),
		cmocka_unit_test_teardown(test_rebuild_on_demand_data, h_teardown),
		cmocka_unit_test_teardown(test_rebuild_data_overflow, h_teardown),
		cmocka_unit_test_teardown(test_rebuild_data_behind, h_teardown),
		cmocka_unit_test_teardown(test_rebuild_halfmade_late, h_teardown),
		cmocka_unit_test_teardown(test_rebuild_tunnel_closed, h_teardown),
		cmocka_unit_test_teardown(test_rebuild_demoted, h_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
