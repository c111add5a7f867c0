/*
 * The daemon of the golden scenarios (see golden_daemon.h).
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include "golden_daemon.h"
#include "core/history.h"
#include "core/ippool.h"
#include "ipv6/pool.h"
#include "l2tp/ctrl.h"
#include "l2tp/session.h"
#include "l2tp/tunnel.h"

/* --- the daemon ------------------------------------------------------------- */

struct harness *g_daemon(void **state, const char *config)
{
	struct harness *h = h_new(state, config);
	struct fake_radius *rad = fake_radius_new(h);

	/* a kind of server is there (its requests taken) when the
	 * configuration names a RADIUS server, as with the real client */
	rad->configured[RADIUS_AUTH] = h->d.cfg.radius.n_servers > 0;
	rad->configured[RADIUS_ACCT] = h->d.cfg.radius.n_servers > 0;
	fake_subscribers_new(h);
	/* aaa_init() draws the Acct-Session-Id prefix from getrandom(2), not
	 * through rand_bytes(): a fixed one instead. */
	h->d.aaa.boot_id = 0x5eed0001;
	clock_advance(&h->d.clk, 3600000);	/* started at 01:00:00: times are not 0 */
	/* what l2tpd_start() sets up, but sockets (the RFC 5176 server is
	 * the scenario's business: it binds one) */
	assert_int_equal(ippool_setup(&h->d.pools, &h->d.cfg), 0);
	assert_int_equal(ipv6_pool_setup(&h->d.pools6, &h->d.cfg), 0);
	assert_int_equal(history_init(&h->d.history, &h->d.clk, &h->d.cfg.history_size), 0);
	assert_int_equal(radius_client_init(&h->d), 0);
	return h;
}

void g_settle(struct harness *h)
{
	for (unsigned round = 0; round < 100; round++) {
		int moved = fake_subscribers_pump(h->subscribers, NULL), acked = 0;
		int owed[H_MAX_PEERS] = { 0 };

		/* a peer acknowledges what is waiting for it, and what the
		 * test took from the queue without acknowledging it */
		for (unsigned i = 0; i < h->n_peers; i++) {
			struct l2tp_tunnel *t = h_tunnel(&h->peers[i]);

			owed[i] = t != NULL && (h_waiting(h, &h->peers[i], 0) > 0 ||
						l2tp_ctrl_outstanding(&t->ctrl) > 0);
			acked |= owed[i];
		}
		h_drain(h);
		for (unsigned i = 0; i < h->n_peers; i++)
			if (owed[i])
				h_send_zlb(&h->peers[i]);
		if (!moved && !acked)
			return;
	}
	fail_msg("the daemon does not settle");
}

/* From timer to timer, g_settle() after each, as the event loop turns
 * (and flushes HA records) after each: every message sent meanwhile (a
 * HELLO) is acknowledged before it is due for retransmission. */
void g_advance(struct harness *h, uint64_t ms)
{
	uint64_t end = clock_now(&h->d.clk) + ms;

	for (unsigned turns = 0; turns < 100000; turns++) {
		uint64_t now = clock_now(&h->d.clk), step;
		int64_t next = clock_next_timeout(&h->d.clk);

		if (now >= end)
			return;
		step = end - now;
		if (next >= 0 && (uint64_t)next < step)
			step = (uint64_t)next;
		clock_advance(&h->d.clk, step);
		g_settle(h);
	}
	fail_msg("the daemon's timers do not let time pass");
}

/* --- the RADIUS server ------------------------------------------------------ */

void g_radius_answer(struct harness *h, int kind, const struct radius_pkt *reply)
{
	fake_radius_answer(fake_radius_oldest(h->radius, kind), reply);
	g_settle(h);
}

void g_radius_timeout(struct harness *h, int kind)
{
	fake_radius_no_answer(fake_radius_oldest(h->radius, kind), -ETIMEDOUT);
	g_settle(h);
}

/* --- calls and subscribers ------------------------------------------------- */

uint16_t g_call(struct harness *h, struct h_peer *p, uint16_t peer_sid, const char *calling,
		const char *called)
{
	struct l2tp_msg *m;
	uint16_t dsid = 0;

	h_icrq(p, peer_sid, 1000u + peer_sid);
	l2tp_avp_put_str(&p->b, L2TP_AVP_CALLING_NUMBER, calling, 0);
	l2tp_avp_put_str(&p->b, L2TP_AVP_CALLED_NUMBER, called, 0);
	h_send(p);
	m = h_expect(h, p, L2TP_MSG_ICRP);
	assert_int_equal(l2tp_msg_get_u16(m, L2TP_AVP_ASSIGNED_SESSION_ID, &dsid), 0);
	h_iccn(p, dsid);
	h_send(p);
	return dsid;
}

uint16_t g_subscriber(struct harness *h, struct h_peer *p, uint16_t peer_sid,
		      const char *calling, const char *user, const char *password)
{
	/* the LNS's first frames wait for the link */
	struct fake_subscriber *u = fake_subscriber_add(h->subscribers, p, peer_sid);
	struct ppp_config c;

	g_settle(h);
	u->sid = g_call(h, p, peer_sid, calling, "4000");
	fake_subscriber_config(&c, user, password);
	fake_subscriber_open(u, &c);
	g_settle(h);
	return u->sid;
}
