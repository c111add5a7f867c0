/*
 * Unit tests of the PPP link of an L2TP session (l2tp/ppp.c) with the
 * daemon of harness.c as LNS and a real PPP subscriber (fake_subscriber.h)
 * on a call of its LAC.  The subscriber's frames wait in a queue until the
 * test hands them to the daemon, so they can overtake control messages.
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
#include "fake_subscriber.h"
#include "core/ippool.h"
#include "l2tp/session.h"
#include "l2tp/tunnel.h"
#include "ppp/ppp.h"

/* Local users only: no RADIUS round trip. */
static const char cfg_lns[] =
	"hostname lns1\n"
	"vpdn enable\n"
	"username local1 password lpass\n"
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
	" l2tp tunnel hello 0\n";

static struct harness *t_new(void **state, struct fake_subscribers **subs)
{
	struct harness *h = h_new(state, cfg_lns);

	*subs = fake_subscribers_new(h);
	assert_int_equal(ippool_setup(&h->d.pools, &h->d.cfg), 0);
	clock_advance(&h->d.clk, 1000000);	/* times are not 0 */
	return h;
}

/* An incoming call (ICRQ, ICRP; no ICCN yet) and its subscriber, whose
 * PPP link is open: its first Configure-Request waits to be sent. */
static struct fake_subscriber *t_call_waiting(struct harness *h, struct fake_subscribers *subs,
					      struct h_peer *lac, uint16_t peer_sid,
					      const struct ppp_config *c)
{
	struct fake_subscriber *u;
	struct l2tp_msg *m;
	uint16_t dsid = 0;

	h_flush_acks(h);
	h_drain(h);
	h_icrq(lac, peer_sid, peer_sid);
	h_send(lac);
	m = h_expect(h, lac, L2TP_MSG_ICRP);
	assert_int_equal(l2tp_msg_get_u16(m, L2TP_AVP_ASSIGNED_SESSION_ID, &dsid), 0);
	u = fake_subscriber_add(subs, lac, peer_sid);
	u->sid = dsid;
	fake_subscriber_open(u, c);
	return u;
}

/*
 * The subscriber's first LCP Configure-Request reaches the LNS before the
 * ICCN: the LAC started PPP when it queued its ICCN, which waited in its
 * send window (or was lost).  The LNS holds the frame while the call waits
 * for its ICCN and hands it to PPP when the call comes up, so LCP opens
 * without either side's Restart timer (no clock advance, no Configure-
 * Request sent twice).  Frames for a call that never connects are freed
 * with it; a flood of them is bounded.
 */
static void test_lcp_before_iccn(void **state)
{
	struct fake_subscribers *subs;
	struct harness *h = t_new(state, &subs);
	struct fake_subscriber *u;
	struct ppp_config c;
	struct ppp_stats st;
	struct l2tp_session *s;
	struct h_peer *lac;

	lac = h_lns_tunnel(h, "192.0.2.2", 100, "lac1");
	fake_subscriber_config(&c, "local1", "lpass");
	c.n_auth = 1;		/* PAP */
	u = t_call_waiting(h, subs, lac, 9, &c);
	/* The Configure-Request overtakes the ICCN. */
	assert_true(fake_subscriber_send_one(u));
	s = fake_subscriber_session(u);
	assert_non_null(s);
	assert_int_equal(s->state, L2TP_SESSION_WAIT_CONNECT);
	assert_int_equal(h->d.stats.rx_data_early, 1);
	h_iccn(lac, u->sid);
	h_send(lac);
	fake_subscribers_pump(subs, lac);
	assert_int_equal(u->ups, 1);
	s = fake_subscriber_session(u);
	assert_non_null(s);
	assert_non_null(s->ppp);
	ppp_get_stats(s->ppp, &st);
	assert_int_equal(st.lcp.tx_retransmits, 0);
	assert_int_equal(st.lcp.tx_conf_req, 1);
	ppp_get_stats(u->ppp, &st);
	assert_int_equal(st.lcp.tx_retransmits, 0);
	assert_null(s->early);

	/* A call that never connects: what it held goes with it, and no call
	 * holds more than a few frames. */
	fake_subscribers_clear(subs);
	u = t_call_waiting(h, subs, lac, 10, &c);
	for (unsigned i = 0; i < 7; i++)
		clock_advance(&h->d.clk, 3000);	/* the subscriber's Restart timer */
	while (fake_subscriber_send_one(u))
		;
	assert_int_equal(h->d.stats.rx_data_early, 1 + 4);
	assert_true(h->d.stats.rx_data_no_ppp >= 1);
	h_cdn(lac, u->sid, 10, L2TP_CDN_ADMIN);
	h_send(lac);
	assert_null(fake_subscriber_session(u));	/* freed with its frames (ASan: no leak) */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_lcp_before_iccn, h_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
