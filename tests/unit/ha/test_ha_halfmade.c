/*
 * Unit tests of the calls half made when the active dies (ha/takeover.c;
 * DESIGN.md, HA contract): a call whose ICRP (or OCRP) the standby holds
 * is rebuilt waiting in WAIT_CONNECT; the peer, which never saw its
 * ICCN (OCCN) acknowledged by the dead box, sends it again and the call
 * comes up on the new active, as a live one would.  A call the peer does
 * not finish within its retransmission budget after the tunnel has
 * resynchronised is cleared with a CDN, and only then.
 *
 * The daemon of harness.h is the active of a pair whose standby is
 * fake_standby.h's; a failover is the daemon dying and rebuilding itself
 * from that standby's shadow store while its scripted peer goes on.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include "harness.h"
#include "fake_standby.h"
#include "fake_subscriber.h"
#include "core/ippool.h"
#include "l2tp/session.h"
#include "l2tp/tunnel.h"

static const char cfg_ha[] = H_CFG_HA;

/* The same pair with PPP subscribers (PAP, local users). */
static const char cfg_ha_ppp[] =
	"hostname lns1\n"
	"vpdn enable\n"
	"redundancy\n"
	" mode sso\n"
	" checkpoint local 10.99.0.1\n"
	" checkpoint peer 10.99.0.2\n"
	" checkpoint security none\n"
	"!\n"
	"username alice password secret\n"
	"ip local pool P1 10.1.0.1 10.1.0.50\n"
	"interface Virtual-Template 1\n"
	" ip address 10.0.0.1 255.255.255.255\n"
	" peer default ip address pool P1\n"
	" no keepalive\n"
	" ppp authentication pap\n"
	"vpdn-group LNS\n"
	" accept-dialin\n"
	"  protocol l2tp\n"
	"  virtual-template 1\n"
	" local name lns1\n"
	" l2tp tunnel password s3cret\n"
	" l2tp tunnel hello 0\n"
	" l2tp tunnel resync 3\n";

/* The peer's budget with the default timers: 1+2+4+8+8+8 s (RFC 2661 §5.8). */
#define BUDGET_MS	31000

struct halfmade {
	struct harness *h;
	struct fake_standby *b;
	struct h_peer *p;
	uint16_t up_sid;	/* an established call */
	uint16_t half_sid;	/* the half-made one: ICRP sent, ICCN lost */
	uint8_t iccn[512];	/* the ICCN the peer sent the dead box */
	size_t iccn_len;
	uint16_t iccn_ns;
};

/*
 * A tunnel with one established call; a second call gets its ICRP (the
 * standby holds it: WAIT_CONNECT), the peer sends its ICCN, and the active
 * dies before the ICCN reaches it.  The standby takes over.
 */
static void halfmade_setup(void **state, struct halfmade *x)
{
	struct l2tp_msg *m;
	struct l2tp_session *s;

	memset(x, 0, sizeof(*x));
	x->h = h_new(state, cfg_ha);
	x->b = fake_standby_new(x->h, 1);
	x->p = h_lns_tunnel(x->h, "192.0.2.7", 77, "lac1");
	x->up_sid = h_lns_call(x->h, x->p, 100);
	h_flush_acks(x->h);
	h_drain(x->h);
	h_icrq(x->p, 200, 200);
	h_send(x->p);
	m = h_expect(x->h, x->p, L2TP_MSG_ICRP);
	assert_int_equal(l2tp_msg_get_u16(m, L2TP_AVP_ASSIGNED_SESSION_ID, &x->half_sid), 0);
	h_flush_acks(x->h);
	h_drain(x->h);
	/* The ICCN leaves the peer and is lost with the box. */
	x->iccn_ns = x->p->ns;
	h_iccn(x->p, x->half_sid);
	x->iccn_len = h_seal(x->p, x->iccn, sizeof(x->iccn));

	fake_standby_fail_over(x->b);
	assert_int_equal(x->h->d.ha.stats.takeover_sessions, 1);
	assert_int_equal(x->h->d.ha.stats.takeover_waiting, 1);
	s = l2tp_session_find(h_tunnel(x->p), x->half_sid);
	assert_non_null(s);
	assert_int_equal(s->state, L2TP_SESSION_WAIT_CONNECT);
	assert_int_equal(s->peer_sid, 200);
	assert_true(s->ha_half);
	assert_int_equal(x->h->d.dp->count.sessions, 1);	/* no kernel session yet */
	assert_true(h_tunnel(x->p)->resyncing);
}

/* The peer resends its ICCN (RFC 2661 §5.8: the same Ns, the Nr of now). */
static void halfmade_resend_iccn(struct halfmade *x)
{
	l2tp_hdr_set_seq(x->iccn, x->iccn_ns, x->p->nr);
	h_deliver(x->p, x->iccn, x->iccn_len);
}

/* Every message to the peer until now: none may be a CDN. */
static void halfmade_no_cdn(struct halfmade *x)
{
	struct l2tp_msg *m;

	while ((m = h_next(x->h, x->p)) != NULL)
		assert_int_not_equal(m->type, L2TP_MSG_CDN);
}

/*
 * The tunnel resynchronises (the peer acknowledges the probe), then the
 * peer's next retransmission of the ICCN, a second later, brings the call
 * up: kernel session, ESTABLISHED, counted as finished; no CDN, then or
 * after the budget.
 */
static void test_halfmade_iccn_after_resync(void **state)
{
	struct halfmade x;
	struct l2tp_session *s;

	halfmade_setup(state, &x);
	h_expect(x.h, x.p, L2TP_MSG_ICRP);	/* the probe: the unacknowledged ICRP again */
	h_send_zlb(x.p);
	assert_false(h_tunnel(x.p)->resyncing);
	assert_int_equal(x.h->d.ha.stats.resync_ok, 1);
	clock_advance(&x.h->d.clk, 1000);
	halfmade_resend_iccn(&x);
	s = l2tp_session_find(h_tunnel(x.p), x.half_sid);
	assert_non_null(s);
	assert_int_equal(s->state, L2TP_SESSION_ESTABLISHED);
	assert_false(s->ha_half);
	assert_int_equal(x.h->d.dp->count.sessions, 2);
	assert_int_equal(x.h->d.ha.stats.takeover_completed, 1);
	h_flush_acks(x.h);
	halfmade_no_cdn(&x);
	/* Long past the budget: the call stays; the ICCN was acknowledged. */
	clock_advance(&x.h->d.clk, 2 * BUDGET_MS);
	h_send_zlb(x.p);
	h_flush_acks(x.h);
	halfmade_no_cdn(&x);
	assert_non_null(l2tp_session_find(h_tunnel(x.p), x.half_sid));
	assert_non_null(l2tp_session_find(h_tunnel(x.p), x.up_sid));
	assert_int_equal(x.h->d.ha.stats.takeover_cleared, 0);
	assert_int_equal(h_tunnel(x.p)->ctrl.stats.rx_bad_nr, 0);
	fake_standby_detach(x.b);
}

/*
 * The active takes the ICCN (the call is up) and dies while sending that
 * turn's records: only the first reaches the standby.  It must be the
 * call's record, not the Nr that acknowledges the ICCN: with the Nr alone
 * the standby would hold the call half made and take the peer's resent
 * ICCN for a duplicate, and the call would be cleared after the budget.
 * The resent ICCN, to a call rebuilt up, is the retransmission it is.
 */
static void test_halfmade_cut_after_iccn(void **state)
{
	struct harness *h = h_new(state, cfg_ha);
	struct fake_standby *b = fake_standby_new(h, 1);
	struct h_peer *p = h_lns_tunnel(h, "192.0.2.7", 77, "lac1");
	struct l2tp_msg *m;
	struct l2tp_session *s;
	uint8_t iccn[512];
	size_t iccn_len;
	uint16_t sid = 0, iccn_ns;

	h_lns_call(h, p, 100);
	h_flush_acks(h);
	h_drain(h);
	h_icrq(p, 200, 200);
	h_send(p);
	m = h_expect(h, p, L2TP_MSG_ICRP);
	assert_int_equal(l2tp_msg_get_u16(m, L2TP_AVP_ASSIGNED_SESSION_ID, &sid), 0);
	h_flush_acks(h);
	h_drain(h);
	iccn_ns = p->ns;
	h_iccn(p, sid);
	iccn_len = h_seal(p, iccn, sizeof(iccn));
	b->lose_after = b->seq + 1;	/* the first record of the ICCN's turn only */
	h_deliver(p, iccn, iccn_len);
	assert_int_equal(l2tp_session_find(h_tunnel(p), sid)->state, L2TP_SESSION_ESTABLISHED);
	assert_true(b->seq > b->lose_after);	/* more than one record that turn */

	fake_standby_fail_over(b);
	s = l2tp_session_find(h_tunnel(p), sid);
	assert_non_null(s);
	assert_int_equal(s->state, L2TP_SESSION_ESTABLISHED);
	h_drain(h);
	/* The peer never saw the ICCN acknowledged: it resends it. */
	l2tp_hdr_set_seq(iccn, iccn_ns, p->nr);
	h_deliver(p, iccn, iccn_len);
	h_send_zlb(p);
	clock_advance(&h->d.clk, 2 * BUDGET_MS);
	h_send_zlb(p);
	h_flush_acks(h);
	while ((m = h_next(h, p)) != NULL)
		assert_int_not_equal(m->type, L2TP_MSG_CDN);
	s = l2tp_session_find(h_tunnel(p), sid);
	assert_non_null(s);
	assert_int_equal(s->state, L2TP_SESSION_ESTABLISHED);
	assert_int_equal(h_tunnel(p)->stats.rx_unexpected, 0);
	fake_standby_detach(b);
}

/*
 * The active answers an ICRQ and dies while sending that turn's records:
 * the ICRP and the call reach the standby, the Nr past the ICRQ does not.
 * The peer's resent ICRQ (it never saw the ICRP) is then a retransmission
 * of a call the new active holds: not refused (no 611, no second call),
 * answered by the checkpointed ICRP, and the peer's ICCN brings it up.
 */
static void test_halfmade_cut_after_icrq(void **state)
{
	struct harness *h = h_new(state, cfg_ha);
	struct fake_standby *b = fake_standby_new(h, 1);
	struct h_peer *p = h_lns_tunnel(h, "192.0.2.7", 77, "lac1");
	struct l2tp_msg *m;
	struct l2tp_session *s;
	uint8_t icrq[512];
	size_t icrq_len;
	uint16_t sid = 0, icrq_ns;
	uint64_t refused;

	h_lns_call(h, p, 100);
	h_flush_acks(h);
	h_drain(h);
	icrq_ns = p->ns;
	h_icrq(p, 200, 200);
	icrq_len = h_seal(p, icrq, sizeof(icrq));
	b->lose_after = b->seq + 2;	/* the ICRP and the call, not the Nr */
	h_deliver(p, icrq, icrq_len);
	assert_true(b->seq > b->lose_after);
	h_drain(h);			/* the ICRP is lost with the box */

	fake_standby_fail_over(b);
	refused = h_tunnel(p)->stats.sessions_refused;
	l2tp_hdr_set_seq(icrq, icrq_ns, p->nr);
	h_deliver(p, icrq, icrq_len);
	assert_int_equal(h_tunnel(p)->stats.sessions_refused, refused);
	m = h_expect(h, p, L2TP_MSG_ICRP);	/* the checkpointed one */
	assert_int_equal(l2tp_msg_get_u16(m, L2TP_AVP_ASSIGNED_SESSION_ID, &sid), 0);
	h_iccn(p, sid);
	h_send(p);
	s = l2tp_session_find(h_tunnel(p), sid);
	assert_non_null(s);
	assert_int_equal(s->state, L2TP_SESSION_ESTABLISHED);
	assert_int_equal(s->peer_sid, 200);
	h_flush_acks(h);
	while ((m = h_next(h, p)) != NULL)
		assert_int_not_equal(m->type, L2TP_MSG_CDN);
	fake_standby_detach(b);
}

/* The ICCN comes while the probe is still unanswered: its Nr ends the
 * resync and the call comes up at once. */
static void test_halfmade_iccn_during_resync(void **state)
{
	struct halfmade x;
	struct l2tp_session *s;

	halfmade_setup(state, &x);
	h_expect(x.h, x.p, L2TP_MSG_ICRP);
	halfmade_resend_iccn(&x);
	assert_false(h_tunnel(x.p)->resyncing);
	s = l2tp_session_find(h_tunnel(x.p), x.half_sid);
	assert_non_null(s);
	assert_int_equal(s->state, L2TP_SESSION_ESTABLISHED);
	assert_int_equal(x.h->d.ha.stats.takeover_completed, 1);
	clock_advance(&x.h->d.clk, 2 * BUDGET_MS);
	h_send_zlb(x.p);
	h_flush_acks(x.h);
	halfmade_no_cdn(&x);
	assert_int_equal(x.h->d.ha.stats.takeover_cleared, 0);
	fake_standby_detach(x.b);
}

/*
 * The peer never finishes the call (it gave up on it without a word): the
 * call waits the peer's whole budget from the end of the resync, then gets
 * the CDN (result 4, temporary lack of facilities); the established call
 * is untouched.
 */
static void test_halfmade_never_finished(void **state)
{
	struct halfmade x;
	struct l2tp_msg *m;
	uint16_t v;

	halfmade_setup(state, &x);
	x.p->ns = x.iccn_ns;	/* it never sent (nor will resend) the ICCN */
	h_expect(x.h, x.p, L2TP_MSG_ICRP);
	clock_advance(&x.h->d.clk, 5000);	/* the resync takes a while */
	h_send_zlb(x.p);
	assert_false(h_tunnel(x.p)->resyncing);
	clock_advance(&x.h->d.clk, BUDGET_MS - 1 - H_ACK_DELAY_MS);
	h_send_zlb(x.p);
	h_flush_acks(x.h);	/* BUDGET_MS - 1 after the resync */
	halfmade_no_cdn(&x);
	assert_non_null(l2tp_session_find(h_tunnel(x.p), x.half_sid));
	clock_advance(&x.h->d.clk, 1);
	m = h_expect_result(x.h, x.p, L2TP_MSG_CDN, L2TP_CDN_NO_FACILITIES_TEMP, H_ANY);
	assert_int_equal(m->hdr.session_id, 200);
	assert_int_equal(l2tp_msg_get_u16(m, L2TP_AVP_ASSIGNED_SESSION_ID, &v), 0);
	assert_int_equal(v, x.half_sid);
	assert_null(l2tp_session_find(h_tunnel(x.p), x.half_sid));
	assert_non_null(l2tp_session_find(h_tunnel(x.p), x.up_sid));
	assert_int_equal(x.h->d.ha.stats.takeover_cleared, 1);
	assert_int_equal(x.h->d.ha.stats.takeover_completed, 0);
	fake_standby_detach(x.b);
}

/* The peer clears the call itself (CDN) while it waits: it goes, nothing
 * is said, and no timer is left behind. */
static void test_halfmade_peer_clears(void **state)
{
	struct halfmade x;

	halfmade_setup(state, &x);
	x.p->ns = x.iccn_ns;	/* it sends a CDN instead of the ICCN */
	h_expect(x.h, x.p, L2TP_MSG_ICRP);
	h_send_zlb(x.p);
	h_cdn(x.p, x.half_sid, 200, 3);
	h_send(x.p);
	assert_null(l2tp_session_find(h_tunnel(x.p), x.half_sid));
	clock_advance(&x.h->d.clk, 2 * BUDGET_MS);
	h_send_zlb(x.p);
	h_flush_acks(x.h);
	halfmade_no_cdn(&x);
	assert_int_equal(x.h->d.ha.stats.takeover_cleared, 0);
	fake_standby_detach(x.b);
}

/*
 * An outgoing call of the LNS (§5.4): OCRQ sent, the peer's OCRP
 * received (WAIT_CONNECT, checkpointed), its OCCN lost with the box.  The
 * peer resends the OCCN after the resync: the call comes up.
 */
static void test_halfmade_outgoing(void **state)
{
	struct harness *h = h_new(state, cfg_ha);
	struct fake_standby *b = fake_standby_new(h, 1);
	struct h_peer *p = h_lns_tunnel(h, "192.0.2.7", 77, "lac1");
	struct l2tp_session *s;
	uint8_t occn[512];
	size_t len;
	uint16_t sid, ns;
	int err;

	h_flush_acks(h);
	h_drain(h);
	s = l2tp_session_call_out(h_tunnel(p), "5551234", &err);
	assert_non_null(s);
	sid = s->sid;
	h_expect(h, p, L2TP_MSG_OCRQ);
	h_ocrp(p, sid, 300);
	h_send(p);
	assert_int_equal(l2tp_session_find(h_tunnel(p), sid)->state, L2TP_SESSION_WAIT_CONNECT);
	h_flush_acks(h);
	h_drain(h);
	ns = p->ns;
	h_occn(p, sid);
	len = h_seal(p, occn, sizeof(occn));

	fake_standby_fail_over(b);
	assert_int_equal(h->d.ha.stats.takeover_waiting, 1);
	s = l2tp_session_find(h_tunnel(p), sid);
	assert_non_null(s);
	assert_int_equal(s->kind, L2TP_CALL_OUTGOING);
	h_expect(h, p, L2TP_MSG_HELLO);
	h_send_zlb(p);
	clock_advance(&h->d.clk, 1000);
	l2tp_hdr_set_seq(occn, ns, p->nr);
	h_deliver(p, occn, len);
	s = l2tp_session_find(h_tunnel(p), sid);
	assert_non_null(s);
	assert_int_equal(s->state, L2TP_SESSION_ESTABLISHED);
	assert_int_equal(h->d.ha.stats.takeover_completed, 1);
	fake_standby_detach(b);
}

/*
 * Six calls at once on a peer whose window is 4 (RFC 2661 §5.8): the
 * active numbers four ICRPs and queues two behind the window; the standby
 * holds all six calls (WAIT_CONNECT) and the two queued ICRPs, each with
 * the Ns it would take.  The active dies before any ICRP is acknowledged.
 * The new active sends the two queued ICRPs (they never left the dead box:
 * without their copies, their calls, whose ICRQs were acknowledged, would
 * wait for an ICRP forever), and every call comes up.
 */
static void test_halfmade_queued_icrp(void **state)
{
	struct harness *h = h_new(state, cfg_ha);
	struct fake_standby *b = fake_standby_new(h, 1);
	struct h_peer *p = h_lns_tunnel(h, "192.0.2.7", 77, "lac1");
	uint8_t buf[6][256];
	size_t len[6];
	uint16_t sid[6], got[6], v;
	unsigned i, j, n_got = 0;
	struct l2tp_msg *m;

	h_flush_acks(h);
	h_drain(h);
	/* Six ICRQs sent back to back: none acknowledges an ICRP. */
	for (i = 0; i < 6; i++) {
		h_icrq(p, (uint16_t)(300 + i), 300 + i);
		len[i] = h_seal(p, buf[i], sizeof(buf[i]));
	}
	for (i = 0; i < 6; i++)
		h_deliver(p, buf[i], len[i]);
	assert_int_equal(h_tunnel(p)->ctrl.n_pending, 2);
	assert_int_equal(b->by_type[HA_REC_CTRL_MSG], 6);
	for (i = 0; i < 6; i++) {
		struct l2tp_session *s;

		sid[i] = 0;
		LIST_FOREACH(s, &h_tunnel(p)->session_list, link)
			if (s->peer_sid == 300 + i)
				sid[i] = s->sid;
		assert_int_not_equal(sid[i], 0);
	}
	/* The four numbered ICRPs left the box and reached the peer. */
	while ((m = h_next(h, p)) != NULL) {
		assert_int_equal(m->type, L2TP_MSG_ICRP);
		assert_int_equal(l2tp_msg_get_u16(m, L2TP_AVP_ASSIGNED_SESSION_ID, &v), 0);
		got[n_got++] = v;
	}
	assert_int_equal(n_got, 4);

	fake_standby_fail_over(b);
	assert_int_equal(h->d.ha.stats.takeover_waiting, 6);
	/* The peer takes what comes (the four again, then the two it never
	 * had, in Ns order) and acknowledges it, until it has all six. */
	for (j = 0; j < 20 && n_got < 6; j++) {
		while ((m = h_next(h, p)) != NULL) {
			assert_int_equal(m->type, L2TP_MSG_ICRP);
			assert_int_equal(l2tp_msg_get_u16(m, L2TP_AVP_ASSIGNED_SESSION_ID, &v), 0);
			for (i = 0; i < n_got && got[i] != v; i++)
				;
			if (i == n_got)
				got[n_got++] = v;
		}
		h_send_zlb(p);
		clock_advance(&h->d.clk, 100);
	}
	assert_int_equal(n_got, 6);
	for (i = 0; i < 6; i++) {
		for (j = 0; j < 6 && got[j] != sid[i]; j++)
			;
		assert_true(j < 6);
	}
	/* The peer finishes every call. */
	for (i = 0; i < 6; i++) {
		h_iccn(p, sid[i]);
		h_send(p);
	}
	for (i = 0; i < 6; i++)
		assert_int_equal(l2tp_session_find(h_tunnel(p), sid[i])->state,
				 L2TP_SESSION_ESTABLISHED);
	assert_int_equal(h->d.ha.stats.takeover_completed, 6);
	fake_standby_detach(b);
}

/*
 * An established call whose PPP was still negotiating when the active died
 * (LCP sent, the subscriber silent): the L2TP call is the LAC's, so it is
 * kept; its PPP starts afresh on the new active, and the subscriber comes
 * up there (LCP, PAP, IPCP), with no CDN.
 */
static void test_halfmade_ppp_restarted(void **state)
{
	struct harness *h = h_new(state, cfg_ha_ppp);
	struct fake_subscribers *subs = fake_subscribers_new(h);
	struct fake_standby *b = fake_standby_new(h, 1);
	struct h_peer *p;
	struct fake_subscriber *u;
	struct l2tp_session *s;
	struct ppp_config c;
	struct l2tp_msg *m;
	uint16_t sid;

	assert_int_equal(ippool_setup(&h->d.pools, &h->d.cfg), 0);
	p = h_lns_tunnel(h, "192.0.2.7", 77, "lac1");
	u = fake_subscriber_add(subs, p, 5);
	sid = u->sid = h_lns_call(h, p, 5);
	s = l2tp_session_find(h_tunnel(p), sid);
	assert_non_null(s);
	assert_non_null(s->ppp);	/* negotiating: LCP sent, unanswered */
	assert_false(s->ppp_up);
	h_flush_acks(h);
	h_drain(h);

	fake_standby_crash(b);
	fake_subscribers_clear(subs);	/* what the dead box sent is lost */
	u = fake_subscriber_add(subs, p, 5);	/* its link opens later */
	u->sid = sid;
	fake_standby_take_over(b);
	assert_int_equal(h->d.ha.stats.takeover_sessions, 1);
	assert_int_equal(h->d.ha.stats.takeover_cleared, 0);
	s = l2tp_session_find(h_tunnel(p), sid);
	assert_non_null(s);
	assert_int_equal(s->state, L2TP_SESSION_ESTABLISHED);
	assert_non_null(s->ppp);	/* started again */
	assert_int_equal(h->d.dp->count.sessions, 1);

	fake_subscriber_config(&c, "alice", "secret");
	fake_subscriber_open(u, &c);
	fake_subscribers_pump(subs, p);
	assert_int_equal(u->ups, 1);
	s = l2tp_session_find(h_tunnel(p), sid);
	assert_non_null(s);
	assert_true(s->ppp_up);
	while ((m = h_next(h, p)) != NULL)
		assert_int_not_equal(m->type, L2TP_MSG_CDN);
	fake_standby_detach(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_halfmade_iccn_after_resync, h_teardown),
		cmocka_unit_test_teardown(test_halfmade_cut_after_iccn, h_teardown),
		cmocka_unit_test_teardown(test_halfmade_cut_after_icrq, h_teardown),
		cmocka_unit_test_teardown(test_halfmade_iccn_during_resync, h_teardown),
		cmocka_unit_test_teardown(test_halfmade_never_finished, h_teardown),
		cmocka_unit_test_teardown(test_halfmade_peer_clears, h_teardown),
		cmocka_unit_test_teardown(test_halfmade_outgoing, h_teardown),
		cmocka_unit_test_teardown(test_halfmade_queued_icrp, h_teardown),
		cmocka_unit_test_teardown(test_halfmade_ppp_restarted, h_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
