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

/* One subscriber up (PAP, local user) with the daemon's log at level,
 * its lines gathered in b. */
static void t_one_up(void **state, unsigned debug, struct log_buf *b)
{
	struct fake_subscribers *subs;
	struct harness *h = t_new(state, &subs);
	struct fake_subscriber *u;
	struct ppp_config c;
	struct h_peer *lac;

	h->d.log.level = LOG_INFO;
	h->d.log.debug = debug;
	log_buffer_on(&h->d.log, b);
	lac = h_lns_tunnel(h, "192.0.2.2", 100, "lac1");
	fake_subscriber_config(&c, "local1", "lpass");
	c.n_auth = 1;		/* PAP */
	u = t_call_waiting(h, subs, lac, 9, &c);
	h_iccn(lac, u->sid);
	h_send(lac);
	fake_subscribers_pump(subs, lac);
	assert_int_equal(u->ups, 1);
	/* What was gathered stays in b: no flush, no more lines. */
	h->d.log.buf = NULL;
	h->d.log.level = LOG_CRIT;
	h->d.log.debug = 0;
}

/*
 * At the default level a link set up writes one line, which says what an
 * operator needs (user, addresses, method, MRUs), beside the L2TP
 * session's "established"; the layers' own lines (LCP and IPCP opened,
 * the user checked and authenticated) are written at debug only.
 */
static void test_up_log_lines(void **state)
{
	static struct log_buf b;

	t_one_up(state, 0, &b);
	assert_int_equal(h_log_lines_with(&b, "PPP up: user \"local1\" local 10.0.0.1 peer 10.1.0.1, pap, MRU "), 1);
	assert_int_equal(h_log_lines_with(&b, "PPP up"), 1);
	assert_int_equal(h_log_lines_with(&b, "established (peer session 9"), 1);
	assert_int_equal(h_log_lines_with(&b, "opened"), 0);
	assert_int_equal(h_log_lines_with(&b, "authenticated"), 0);
	assert_int_equal(h_log_lines_with(&b, "checking user"), 0);
	assert_int_equal(h_log_lines_with(&b, "MRU"), 1);
	assert_int_equal(h_log_lines_with(&b, "remote"), 0);
	/* nothing else of the session at info */
	assert_int_equal(h_log_lines_with(&b, ": info: session "), 2);
}

static void test_up_log_lines_debug(void **state)
{
	static struct log_buf b;

	t_one_up(state, LOG_DBG_EVENT, &b);
	assert_int_equal(h_log_lines_with(&b, "PPP up: user \"local1\" local 10.0.0.1 peer 10.1.0.1, pap, MRU "), 1);
	/* both ends' LCP and IPCP */
	assert_int_equal(h_log_lines_with(&b, "LCP: opened"), 2);
	assert_int_equal(h_log_lines_with(&b, "IPCP: opened"), 2);
	assert_int_equal(h_log_lines_with(&b, "IPCP: local 10.0.0.1 remote 10.1.0.1"), 1);
	assert_int_equal(h_log_lines_with(&b, "pap: checking user \"local1\""), 1);
	assert_int_equal(h_log_lines_with(&b, "PPP user \"local1\" authenticated (local), address 10.1.0.1"), 1);
	assert_int_equal(h_log_lines_with(&b, "pap: user \"local1\" authenticated"), 2);
	assert_int_equal(h_log_lines_with(&b, "sub: PAP: authenticated"), 1);	/* the peer's end */
}

static unsigned t_built;

static unsigned t_build(void)
{
	return ++t_built;
}

/* A session line filtered by the level has its arguments not built. */
static void test_session_log_filtered(void **state)
{
	struct fake_subscribers *subs;
	struct harness *h = t_new(state, &subs);
	struct fake_subscriber *u;
	struct ppp_config c;
	struct h_peer *lac;
	struct l2tp_session *s;
	static struct log_buf b;

	lac = h_lns_tunnel(h, "192.0.2.2", 100, "lac1");
	fake_subscriber_config(&c, "local1", "lpass");
	u = t_call_waiting(h, subs, lac, 9, &c);
	s = fake_subscriber_session(u);
	assert_non_null(s);
	log_buffer_on(&h->d.log, &b);
	h->d.log.level = LOG_NOTICE;
	t_built = 0;
	session_log(s, LOG_INFO, "built %u", t_build());
	session_debug(s, LOG_DBG_FSM, "built %u", t_build());
	assert_int_equal(t_built, 0);
	assert_int_equal(b.len, 0);
	h->d.log.level = LOG_INFO;
	h->d.log.debug = LOG_DBG_FSM;
	session_log(s, LOG_INFO, "built %u", t_build());
	session_debug(s, LOG_DBG_FSM, "built %u", t_build());
	assert_int_equal(t_built, 2);
	assert_int_equal(h_log_lines_with(&b, ": info: session "), 1);
	assert_int_equal(h_log_lines_with(&b, ": debug: session "), 1);
	assert_int_equal(h_log_lines_with(&b, "built 2"), 1);
	h->d.log.buf = NULL;
	h->d.log.level = LOG_CRIT;
	h->d.log.debug = 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_lcp_before_iccn, h_teardown),
		cmocka_unit_test_teardown(test_up_log_lines, h_teardown),
		cmocka_unit_test_teardown(test_up_log_lines_debug, h_teardown),
		cmocka_unit_test_teardown(test_session_log_filtered, h_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
