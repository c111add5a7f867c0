/*
 * A LAC call's PPP starts once its ICCN has left (l2tp/iccn_wait.c): the
 * daemon as LAC dials PPP subscribers, the test is the LNS and holds the
 * daemon's send window full (RFC 2661 §5.8, 4 messages: the peer
 * advertises no RWS) by not acknowledging, so the ICCNs wait.  No PPP
 * frame may leave for a call before its ICCN does: otherwise the
 * subscriber's RFC 1661 Restart timer runs while the LNS cannot yet
 * answer.  Once acknowledged, every ICCN leaves and its call's first LCP
 * Configure-Request follows; a call cleared while it waits is forgotten.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "l2tp/dial.h"
#include "l2tp/session.h"
#include "l2tp/tunnel.h"

#define T_CALLS	3	/* with the SCCCN: the peer's window of 4, full */

static const char cfg_lac[] =
	H_CFG_LAC
	" l2tp tunnel hello 0\n";

struct t_frames {
	unsigned n;			/* PPP frames the daemon sent */
	unsigned per_sid[T_CALLS + 1];	/* by the test's session ID (1..T_CALLS) */
};

static void t_data_rx(void *arg, uint16_t tid, uint16_t sid, const uint8_t *frame, size_t len)
{
	struct t_frames *f = arg;

	(void)tid;
	(void)frame;
	(void)len;
	assert_true(sid >= 1 && sid <= T_CALLS);
	f->n++;
	f->per_sid[sid]++;
}

/* The ICCNs the daemon has sent since the last call (test's session IDs
 * counted in seen[]). */
static unsigned t_iccns(struct harness *h, struct h_peer *p, unsigned *seen)
{
	struct l2tp_msg *m;
	unsigned n = 0;

	while ((m = h_next(h, p)) != NULL) {
		if (m->type != L2TP_MSG_ICCN)
			continue;
		assert_true(m->hdr.session_id >= 1 && m->hdr.session_id <= T_CALLS);
		seen[m->hdr.session_id]++;
		n++;
	}
	return n;
}

/* Dial T_CALLS, answer every ICRQ without acknowledging it: the ICCNs
 * wait.  dsid[i] is the daemon's session of the test's session i + 1;
 * *all the Nr that acknowledges everything (p->nr is left behind it). */
static struct harness *t_setup(void **state, struct h_peer **pp, struct t_frames *f,
			       uint16_t *dsid, uint16_t *all)
{
	struct harness *h = h_new(state, cfg_lac);
	struct h_peer *p = h_peer_new(h, "192.0.2.2", 1101, "s3cret");
	char err[128] = "";
	uint16_t held;
	unsigned i;

	memset(f, 0, sizeof(*f));
	h->data_rx = t_data_rx;
	h->data_arg = f;
	assert_int_equal(l2tp_dial_ppp(&h->d, h_group(h, "LAC"), T_CALLS, 0, "alice", "pw", err,
				       sizeof(err)), T_CALLS);
	h_lac_answer(h, p, "lns1");
	/* SCCRQ, SCCCN and the ICRQs have left (p->nr counts what the daemon
	 * sent): acknowledge the SCCRQ only, 4 stay in flight */
	assert_int_equal(p->nr, T_CALLS + 2);
	held = 1;
	for (i = 0; i < T_CALLS; i++) {
		struct l2tp_msg *m = h_expect(h, p, L2TP_MSG_ICRQ);

		assert_int_equal(l2tp_msg_get_u16(m, L2TP_AVP_ASSIGNED_SESSION_ID, &dsid[i]), 0);
	}
	*all = p->nr;
	p->nr = held;
	for (i = 0; i < T_CALLS; i++) {
		h_icrp(p, dsid[i], (uint16_t)(i + 1));
		h_send(p);
	}
	*pp = p;
	return h;
}

static void test_ppp_waits_for_iccn(void **state)
{
	struct l2tp_tunnel *t;
	struct t_frames f;
	struct h_peer *p;
	uint16_t dsid[T_CALLS];
	unsigned seen[T_CALLS + 1] = { 0 }, i;
	uint16_t all;
	struct harness *h = t_setup(state, &p, &f, dsid, &all);

	t = h_tunnel(p);
	assert_non_null(t);
	/* Every call is up on the L2TP side, its ICCN queued, no PPP yet. */
	assert_int_equal(t_iccns(h, p, seen), 0);
	assert_int_equal(f.n, 0);
	assert_int_equal(t->iccn_waiting, T_CALLS);
	assert_int_equal(h->d.stats.ppp_after_iccn, T_CALLS);
	for (i = 0; i < T_CALLS; i++) {
		struct l2tp_session *s = l2tp_session_find(t, dsid[i]);

		assert_non_null(s);
		assert_int_equal(s->state, L2TP_SESSION_ESTABLISHED);
		assert_null(s->ppp);
	}
	/* The acknowledgement opens the window: each ICCN leaves, then its
	 * call's LCP Configure-Request. */
	p->nr = all;
	h_send_zlb(p);
	assert_int_equal(t_iccns(h, p, seen), T_CALLS);
	for (i = 1; i <= T_CALLS; i++) {
		assert_int_equal(seen[i], 1);
		assert_int_equal(f.per_sid[i], 1);
	}
	assert_int_equal(t->iccn_waiting, 0);
	assert_int_equal(t->n_iccn_left, 0);
	for (i = 0; i < T_CALLS; i++)
		assert_non_null(l2tp_session_find(t, dsid[i])->ppp);
}

/* A call cleared while its ICCN waits: forgotten, the others start. */
static void test_cleared_while_waiting(void **state)
{
	struct l2tp_tunnel *t;
	struct t_frames f;
	struct h_peer *p;
	uint16_t dsid[T_CALLS];
	unsigned seen[T_CALLS + 1] = { 0 };
	uint16_t all;
	struct harness *h = t_setup(state, &p, &f, dsid, &all);

	t = h_tunnel(p);
	assert_non_null(t);
	h_cdn(p, dsid[1], 2, L2TP_CDN_ADMIN);
	h_send(p);
	assert_null(l2tp_session_find(t, dsid[1]));
	assert_int_equal(t->iccn_waiting, T_CALLS - 1);
	p->nr = all;
	h_send_zlb(p);
	(void)t_iccns(h, p, seen);
	assert_int_equal(f.per_sid[1], 1);
	assert_int_equal(f.per_sid[2], 0);
	assert_int_equal(f.per_sid[3], 1);
	assert_int_equal(t->iccn_waiting, 0);
	assert_int_equal(t->n_iccn_left, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_ppp_waits_for_iccn, h_teardown),
		cmocka_unit_test_teardown(test_cleared_while_waiting, h_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
