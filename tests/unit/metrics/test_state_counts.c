/*
 * The tunnels and sessions by state that l2tp/ counts as states change
 * (d->tunnels_in, d->sessions_in), which `l2tpd_tunnels` and
 * `l2tpd_sessions` export without a walk: after every step of a tunnel's
 * and a call's life, as LNS and as LAC (up, a call cleared, a tunnel
 * cleared, closed by its peer, given up on), and across an HA failover
 * (the active's objects gone, the standby's rebuilt), the counts equal a
 * full walk of the tunnels, and the exposition says the same.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include "harness.h"
#include "prom_series.h"
#include "fake_standby.h"
#include "l2tp/dial.h"
#include "l2tp/proto.h"
#include "l2tp/session.h"
#include "l2tp/tunnel.h"
#include "l2tp/tunnel_int.h"	/* l2tp_tunnel_set_state */
#include "metrics/metrics.h"
#include "metrics/prom.h"

static const char cfg_lns[] =
	"hostname lns0\n"
	"vpdn enable\n"
	"vpdn-group LNS\n"
	" accept-dialin\n"
	"  protocol l2tp\n"
	" l2tp tunnel password " H_SECRET "\n";

/* The counts a walk finds: the live tunnels, and their sessions. */
struct walk {
	unsigned t[L2TPD_TUNNEL_STATES], s[L2TPD_SESSION_STATES];
	unsigned tunnels, sessions;
};

static void walk(const struct l2tpd *d, struct walk *w)
{
	const struct l2tp_tunnel *t;
	const struct l2tp_session *s;

	memset(w, 0, sizeof *w);
	LIST_FOREACH(t, &d->tunnels, link) {
		if (t->dead)
			continue;
		assert_true((unsigned)t->state < L2TPD_TUNNEL_STATES);
		w->t[t->state]++;
		w->tunnels++;
		LIST_FOREACH(s, &t->session_list, link) {
			assert_true((unsigned)s->state < L2TPD_SESSION_STATES);
			w->s[s->state]++;
			w->sessions++;
		}
	}
}


/* The counters equal the walk, state by state, and so does the metrics'
 * exposition; the walk's totals are the daemon's.  Returns the walk for
 * the caller's own expectations. */
static struct walk check(struct l2tpd *d)
{
	char name[64];
	struct walk w;
	struct prom pr;

	walk(d, &w);
	assert_int_equal(w.tunnels, d->n_tunnels);
	assert_int_equal(w.sessions, d->n_sessions);
	prom_init(&pr);
	metrics_render(d, &pr);
	assert_int_equal(pr.err, 0);
	for (unsigned i = 0; i < L2TPD_TUNNEL_STATES; i++) {
		assert_int_equal(d->tunnels_in[i], w.t[i]);
		snprintf(name, sizeof name, "l2tpd_tunnels{state=\"%s\"}",
			 l2tp_tunnel_state_string(i));
		assert_int_equal(series(pr.buf, name), w.t[i]);
	}
	for (unsigned i = 0; i < L2TPD_SESSION_STATES; i++) {
		assert_int_equal(d->sessions_in[i], w.s[i]);
		snprintf(name, sizeof name, "l2tpd_sessions{state=\"%s\"}",
			 l2tp_session_state_string(i));
		assert_int_equal(series(pr.buf, name), w.s[i]);
	}
	prom_free(&pr);
	return w;
}

/* LNS: tunnels and calls up, a call half made then finished, calls
 * cleared by the peer, a tunnel the peer stops, one we clear. */
static void test_counts_lns(void **state)
{
	struct harness *h = h_new(state, cfg_lns);
	struct l2tpd *d = &h->d;
	struct h_peer *p, *q;
	uint16_t s1, half;
	struct walk w;

	check(d);
	p = h_lns_tunnel(h, "192.0.2.2", 7, "lac1");
	check(d);
	s1 = h_lns_call(h, p, 1);
	h_lns_call(h, p, 2);
	check(d);
	h_icrq(p, 3, 3);			/* half made: ICRP sent */
	h_send(p);
	assert_int_equal(l2tp_msg_get_u16(h_expect(h, p, L2TP_MSG_ICRP),
					  L2TP_AVP_ASSIGNED_SESSION_ID, &half), 0);
	w = check(d);
	assert_int_equal(w.s[L2TP_SESSION_ESTABLISHED], 2);
	assert_int_equal(w.s[L2TP_SESSION_WAIT_CONNECT], 1);
	h_iccn(p, half);			/* ... and finished */
	h_send(p);
	w = check(d);
	assert_int_equal(w.s[L2TP_SESSION_ESTABLISHED], 3);
	h_cdn(p, s1, 1, L2TP_CDN_LOST_CARRIER);	/* the peer clears one */
	h_send(p);
	w = check(d);
	assert_int_equal(w.s[L2TP_SESSION_ESTABLISHED], 2);

	q = h_lns_tunnel(h, "192.0.2.3", 8, "lac2");
	h_lns_call(h, q, 1);
	w = check(d);
	assert_int_equal(w.t[L2TP_TUNNEL_ESTABLISHED], 2);
	h_stopccn(q, L2TP_STOPCCN_GENERAL);	/* the peer stops its tunnel: */
	h_send(q);
	w = check(d);
	assert_int_equal(w.t[L2TP_TUNNEL_CLOSING], 1);	/* held a while (5.7) */
	assert_int_equal(w.sessions, 2);		/* its call gone */

	/* we clear the other: closing too, then both gone */
	l2tp_tunnel_clear(h_tunnel(p), L2TP_STOPCCN_GENERAL, -1, "test");
	w = check(d);
	assert_int_equal(w.t[L2TP_TUNNEL_CLOSING], 2);
	clock_advance(&d->clk, 60000);
	l2tp_tunnel_reap(d);
	w = check(d);
	assert_int_equal(w.tunnels + w.sessions, 0);
}

/* LAC: calls placed while their tunnels come up, one tunnel answered,
 * the other given up on when its peer never answers. */
static void test_counts_lac(void **state)
{
	struct harness *h = h_new(state, H_CFG_LAC);
	struct l2tpd *d = &h->d;
	struct h_peer *lns = h_peer_new(h, "192.0.2.2", 100, H_SECRET);
	char err[256] = "";
	struct walk w;

	assert_int_equal(l2tp_dial(d, h_group(h, "LAC"), 4, 2, err, sizeof err), 4);
	w = check(d);
	assert_int_equal(w.t[L2TP_TUNNEL_WAIT_CTL_REPLY], 2);
	assert_int_equal(w.s[L2TP_SESSION_WAIT_TUNNEL], 4);
	h_lac_answer(h, lns, "lns1");		/* the first SCCRQ's peer answers */
	w = check(d);
	assert_int_equal(w.t[L2TP_TUNNEL_ESTABLISHED], 1);
	assert_int_equal(w.s[L2TP_SESSION_WAIT_REPLY], 2);
	/* the second tunnel's SCCRQ goes unanswered: given up on, calls
	 * and all; the first, answered, stays */
	clock_advance(&d->clk, 120000);
	l2tp_tunnel_reap(d);
	w = check(d);
	assert_int_equal(w.t[L2TP_TUNNEL_WAIT_CTL_REPLY], 0);
	assert_int_equal(w.s[L2TP_SESSION_WAIT_TUNNEL], 0);
}

/* HA: the active's tunnels and calls (one half made), a failover (the
 * active's objects gone, then rebuilt from the standby's store: tunnels
 * established, calls established or waiting), tunnels gone after. */
static void test_counts_failover(void **state)
{
	struct harness *h = h_new(state, H_CFG_HA);
	struct l2tpd *d = &h->d;
	struct fake_standby *b = fake_standby_new(h, 1);
	struct l2tp_tunnel *t;
	struct h_peer *p[2];
	struct walk w;

	p[0] = h_lns_tunnel(h, "192.0.2.7", 70, "lac1");
	p[1] = h_lns_tunnel(h, "192.0.2.8", 71, "lac1");
	for (unsigned j = 0; j < 3; j++) {
		h_lns_call(h, p[0], (uint16_t)(100 + j));
		h_lns_call(h, p[1], (uint16_t)(100 + j));
	}
	h_icrq(p[0], 200, 200);			/* half made */
	h_send(p[0]);
	h_flush_acks(h);
	h_drain(h);
	w = check(d);
	assert_int_equal(w.s[L2TP_SESSION_ESTABLISHED], 6);
	assert_int_equal(w.s[L2TP_SESSION_WAIT_CONNECT], 1);

	fake_standby_crash(b);			/* the active is gone */
	w = check(d);
	assert_int_equal(w.tunnels + w.sessions, 0);
	fake_standby_take_over(b);		/* the standby rebuilds */
	w = check(d);
	assert_int_equal(w.t[L2TP_TUNNEL_ESTABLISHED], 2);
	assert_int_equal(w.s[L2TP_SESSION_ESTABLISHED], 6);
	assert_int_equal(w.s[L2TP_SESSION_WAIT_CONNECT], 1);

	l2tp_tunnel_destroy(h_tunnel(p[1]));
	l2tp_tunnel_reap(d);
	w = check(d);
	assert_int_equal(w.tunnels, 1);
	assert_int_equal(w.sessions, 4);
	/* a change of state after its end (a callback up the stack when it
	 * went) counts nothing: it was counted out when it died */
	t = h_tunnel(p[0]);
	l2tp_tunnel_destroy(t);
	l2tp_tunnel_set_state(t, L2TP_TUNNEL_CLOSING);
	w = check(d);
	assert_int_equal(w.tunnels + w.sessions, 0);
	l2tp_tunnel_reap(d);
	check(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_counts_lns, h_teardown),
		cmocka_unit_test_teardown(test_counts_lac, h_teardown),
		cmocka_unit_test_teardown(test_counts_failover, h_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
