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

/* struct ppp_stats is counters only (uint64_t, nested structs of them). */
#define T_NCOUNTERS	(sizeof(struct ppp_stats) / sizeof(uint64_t))

static void t_stats_add(struct ppp_stats *sum, const struct ppp_stats *st)
{
	uint64_t v[T_NCOUNTERS], w[T_NCOUNTERS];

	memcpy(v, sum, sizeof(v));
	memcpy(w, st, sizeof(w));
	for (size_t i = 0; i < T_NCOUNTERS; i++)
		v[i] += w[i];
	memcpy(sum, v, sizeof(v));
}

/* The counters of the daemon's live links, added to *sum; their number. */
static unsigned t_live_links(struct harness *h, struct ppp_stats *sum)
{
	const struct l2tp_tunnel *t;
	const struct l2tp_session *s;
	struct ppp_stats st;
	unsigned n = 0;

	LIST_FOREACH(t, &h->d.tunnels, link) {
		LIST_FOREACH(s, &t->session_list, link) {
			if (s->ppp == NULL)
				continue;
			ppp_get_stats(s->ppp, &st);
			t_stats_add(sum, &st);
			n++;
		}
	}
	return n;
}

/* The daemon's running totals are what the links gone counted (gone)
 * plus what the live links count, counter by counter; n links live. */
static void t_totals_check(struct harness *h, const struct ppp_stats *gone, unsigned n)
{
	struct ppp_stats want = *gone;
	uint64_t v[T_NCOUNTERS], w[T_NCOUNTERS];

	assert_int_equal(t_live_links(h, &want), n);
	assert_int_equal(h->d.ppp_links, n);
	memcpy(v, &h->d.ppp_totals, sizeof(v));
	memcpy(w, &want, sizeof(w));
	for (size_t i = 0; i < T_NCOUNTERS; i++) {
		if (v[i] != w[i])
			fail_msg("counter %zu of struct ppp_stats: totals %llu, links %llu", i,
				 (unsigned long long)v[i], (unsigned long long)w[i]);
	}
}

/* The session's link counted what it counted up to now: into *gone. */
static void t_link_goes(struct fake_subscriber *u, struct ppp_stats *gone)
{
	struct l2tp_session *s = fake_subscriber_session(u);
	struct ppp_stats st;

	assert_non_null(s);
	assert_non_null(s->ppp);
	ppp_get_stats(s->ppp, &st);
	t_stats_add(gone, &st);
}

/*
 * `show l2tp statistics` reads the PPP links' running totals (the daemon's
 * ppp_totals, counted as each link counts) instead of summing every live
 * link at each call: they equal the links' own counters, summed, as links
 * come, carry traffic and go (a link's counters neither lost nor counted
 * twice when it goes), and the command still shows them once every link
 * is gone.
 */
static void test_ppp_totals(void **state)
{
	struct fake_subscribers *subs;
	struct harness *h = t_new(state, &subs);
	struct fake_subscriber *u[3];
	struct ppp_stats gone;
	struct ppp_config c;
	struct h_peer *lac;
	char want[64], *out;
	unsigned i;

	memset(&gone, 0, sizeof(gone));
	t_totals_check(h, &gone, 0);
	lac = h_lns_tunnel(h, "192.0.2.2", 100, "lac1");
	fake_subscriber_config(&c, "local1", "lpass");
	c.n_auth = 1;		/* PAP */
	c.echo_interval = 1;	/* the subscribers' echoes: traffic */
	for (i = 0; i < 3; i++) {
		u[i] = t_call_waiting(h, subs, lac, (uint16_t)(9 + i), &c);
		t_totals_check(h, &gone, i);	/* its link starts at the ICCN */
		h_iccn(lac, u[i]->sid);
		h_send(lac);
		fake_subscribers_pump(subs, lac);
		assert_int_equal(u[i]->ups, 1);
		t_totals_check(h, &gone, i + 1);
	}
	assert_true(h->d.ppp_totals.lcp.tx_conf_req >= 3);
	assert_true(h->d.ppp_totals.ipcp.rx_packets >= 3);
	assert_true(h->d.ppp_totals.rx_frames > 0);
	assert_int_equal(h->d.ppp_totals.lcp_ext.echo_req_rx, 0);
	/* traffic: two rounds of LCP echoes */
	for (i = 0; i < 2; i++) {
		clock_advance(&h->d.clk, 1000);
		fake_subscribers_pump(subs, lac);
	}
	assert_true(h->d.ppp_totals.lcp_ext.echo_req_rx >= 3);
	t_totals_check(h, &gone, 3);
	/* one call cleared by the LAC */
	t_link_goes(u[1], &gone);
	h_cdn(lac, u[1]->sid, 10, L2TP_CDN_ADMIN);
	h_send(lac);
	assert_null(fake_subscriber_session(u[1]));
	t_totals_check(h, &gone, 2);
	clock_advance(&h->d.clk, 1000);
	fake_subscribers_pump(subs, lac);
	t_totals_check(h, &gone, 2);
	/* the tunnel, with the two others */
	t_link_goes(u[0], &gone);
	t_link_goes(u[2], &gone);
	h_stopccn(lac, 6);
	h_send(lac);
	t_totals_check(h, &gone, 0);
	assert_true(gone.lcp.tx_conf_req >= 3);
	snprintf(want, sizeof(want), "LCP Configure-Requests %llu,",
		 (unsigned long long)gone.lcp.tx_conf_req);
	out = h_cmd(h, "show l2tp statistics", 0);
	assert_non_null(strstr(out, "PPP links 0 live"));
	assert_non_null(strstr(out, want));
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_lcp_before_iccn, h_teardown),
		cmocka_unit_test_teardown(test_up_log_lines, h_teardown),
		cmocka_unit_test_teardown(test_up_log_lines_debug, h_teardown),
		cmocka_unit_test_teardown(test_session_log_filtered, h_teardown),
		cmocka_unit_test_teardown(test_ppp_totals, h_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
