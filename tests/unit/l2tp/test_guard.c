/*
 * l2tp/guard.c on the simulated clock: the token bucket, the half-open
 * table and its eviction order, SCCRQ retransmissions, the access list,
 * per-source and total SCCRQ rates (their defaults never cap a mass
 * reconnect), intrusion protection (block, expiry,
 * trusted), the source table's recycling, session limits and the ICRQ rate
 * (CDN result 4 and a failure record), the descriptor budget.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include "harness.h"
#include "core/history.h"
#include "l2tp/guard.h"
#include "l2tp/session.h"
#include "l2tp/tunnel.h"

#define CFG_LNS \
	"hostname lns1\n" \
	"vpdn enable\n" \
	"vpdn-group LNS\n" \
	" accept-dialin\n" \
	"  protocol l2tp\n" \
	" local name lns1\n" \
	" l2tp tunnel password s3cret\n"

static struct harness *guard_daemon(void **state, const char *extra)
{
	char cfg[2048];

	snprintf(cfg, sizeof(cfg), "%s%s", CFG_LNS, extra);
	return h_new(state, cfg);
}

static const struct l2tp_guard_stats *gst(struct harness *h)
{
	return &h->d.guard.stats;
}

/* An SCCRQ from p, with a new Assigned Tunnel ID and, when port is not 0,
 * from that source port (a flood's distinct SCCRQs). */
static void sccrq_from(struct h_peer *p, uint16_t tid, uint16_t port)
{
	p->tid = tid;
	p->ns = 0;
	p->nr = 0;
	p->dtid = 0;
	if (port != 0)
		p->addr.sin_port = htons(port);
	h_sccrq(p, "lac1");
	h_send(p);
}

/* --- the token bucket ------------------------------------------------------ */

static void test_rate_bucket(void **state)
{
	struct l2tp_rate r = { 0 };
	unsigned i, n = 0;

	for (i = 0; i < 10; i++)
		n += (unsigned)l2tp_rate_take(&r, 1000, 5, 1000);
	assert_int_equal(n, 5);			/* the burst is the rate */
	assert_int_equal(l2tp_rate_take(&r, 1199, 5, 1000), 0);
	assert_int_equal(l2tp_rate_take(&r, 1200, 5, 1000), 1);	/* 200 ms: one more */
	assert_int_equal(l2tp_rate_take(&r, 1200, 5, 1000), 0);
	for (i = 0, n = 0; i < 10; i++)
		n += (unsigned)l2tp_rate_take(&r, 60000, 5, 1000);
	assert_int_equal(n, 5);			/* a long pause refills no more than 5 */
	/* 3 per 10 s */
	memset(&r, 0, sizeof(r));
	for (i = 0, n = 0; i < 5; i++)
		n += (unsigned)l2tp_rate_take(&r, 0, 3, 10000);
	assert_int_equal(n, 3);
	assert_int_equal(l2tp_rate_take(&r, 3000, 3, 10000), 0);
	assert_int_equal(l2tp_rate_take(&r, 3334, 3, 10000), 1);
	assert_int_equal(l2tp_rate_take(&r, 0, 0, 1000), 1);	/* 0: no limit */
}

/* --- the half-open table --------------------------------------------------- */

/* Half-open tunnels cost no socket; the oldest go first when the table is
 * full, silently, and never an established tunnel. */
static void test_half_open_eviction_order(void **state)
{
	struct harness *h = guard_daemon(state, "l2tp tunnel half-open-limit 3\n");
	struct h_peer *p[6];
	struct l2tp_tunnel *est;
	uint8_t chal[16];
	struct l2tp_msg *m;
	char ip[32];
	unsigned i;

	for (i = 0; i < 3; i++) {
		snprintf(ip, sizeof(ip), "192.0.2.%u", 10 + i);
		p[i] = h_peer_new(h, ip, (uint16_t)(100 + i), H_SECRET);
		h_sccrq(p[i], "lac1");
		h_send(p[i]);
		m = h_expect(h, p[i], L2TP_MSG_SCCRP);
		if (i == 1)
			h_get_bytes(m, L2TP_AVP_CHALLENGE, chal, sizeof(chal));
		assert_non_null(h_tunnel(p[i]));
		assert_true(h_tunnel(p[i])->half_open);
		assert_true(h_tunnel(p[i])->via_listen);
	}
	assert_int_equal(h->d.guard.n_half_open, 3);
	/* p[1] proves the secret: established, out of the table. */
	h_scccn(p[1]);
	h_put_response(p[1], L2TP_MSG_SCCCN, H_SECRET, chal, sizeof(chal));
	h_send(p[1]);
	est = h_tunnel(p[1]);
	assert_int_equal(est->state, L2TP_TUNNEL_ESTABLISHED);
	assert_false(est->half_open);
	assert_int_equal(h->d.guard.n_half_open, 2);
	/* Three more: the first fits, then p[0] and p[2] (the oldest) go;
	 * the established p[1] stays. */
	for (i = 3; i < 6; i++) {
		snprintf(ip, sizeof(ip), "192.0.2.%u", 10 + i);
		p[i] = h_peer_new(h, ip, (uint16_t)(100 + i), H_SECRET);
		h_sccrq(p[i], "lac1");
		h_send(p[i]);
		h_expect(h, p[i], L2TP_MSG_SCCRP);
	}
	l2tp_tunnel_reap(&h->d);
	assert_null(h_tunnel(p[0]));
	assert_null(h_tunnel(p[2]));
	assert_non_null(h_tunnel(p[3]));
	assert_non_null(h_tunnel(p[4]));
	assert_non_null(h_tunnel(p[5]));
	assert_ptr_equal(h_tunnel(p[1]), est);
	assert_int_equal(est->state, L2TP_TUNNEL_ESTABLISHED);
	assert_int_equal(gst(h)->half_open_evicted, 2);
	assert_int_equal(gst(h)->half_open_peak, 3);
	assert_int_equal(h->d.guard.n_half_open, 3);
	/* The evicted were told nothing. */
	h_flush_acks(h);
	assert_int_equal(h_waiting(h, p[0], 0), 0);
	assert_int_equal(h_waiting(h, p[2], 0), 0);
}

/* A retransmitted SCCRQ finds its half-open tunnel: no second tunnel, and
 * the SCCRP that comes again has the same Tunnel ID and Challenge. */
static void test_sccrq_retransmission_same_sccrp(void **state)
{
	struct harness *h = guard_daemon(state, "");
	struct h_peer *p = h_peer_new(h, "192.0.2.20", 77, H_SECRET);
	uint8_t dgram[1024], chal1[16], chal2[16];
	struct l2tp_msg *m;
	uint16_t tid1, tid2;
	size_t len;

	h_sccrq(p, "lac1");
	len = h_seal(p, dgram, sizeof(dgram));
	h_deliver(p, dgram, len);
	m = h_expect(h, p, L2TP_MSG_SCCRP);
	assert_int_equal(l2tp_msg_get_u16(m, L2TP_AVP_ASSIGNED_TUNNEL_ID, &tid1), 0);
	h_get_bytes(m, L2TP_AVP_CHALLENGE, chal1, sizeof(chal1));
	/* Our SCCRP was lost: the LAC sends its SCCRQ again; the tunnel's
	 * channel acknowledges the duplicate (§5.8). */
	h_deliver(p, dgram, len);
	assert_int_equal(h->d.n_tunnels, 1);
	assert_int_equal(h_tunnel(p)->ctrl.stats.rx_duplicates, 1);
	clock_advance(&h->d.clk, 1000);
	m = h_expect(h, p, L2TP_MSG_SCCRP);
	assert_int_equal(l2tp_msg_get_u16(m, L2TP_AVP_ASSIGNED_TUNNEL_ID, &tid2), 0);
	h_get_bytes(m, L2TP_AVP_CHALLENGE, chal2, sizeof(chal2));
	assert_int_equal(tid1, tid2);
	assert_memory_equal(chal1, chal2, sizeof(chal1));
	assert_int_equal(h->d.n_tunnels, 1);
	assert_int_equal(h->d.guard.n_half_open, 1);
}

/* A second SCCRQ from a peer port whose first tunnel is still half-open
 * waits (no socket for an unproven peer); once the first is established,
 * the retransmission is answered from a port of its own. */
static void test_second_tunnel_waits_for_first(void **state)
{
	struct harness *h = guard_daemon(state, "");
	struct h_peer *a = h_peer_new(h, "192.0.2.30", 30, H_SECRET);
	struct h_peer *b = h_peer_new(h, "192.0.2.30", 31, H_SECRET);
	struct l2tp_msg *m;
	uint8_t chal[16];

	h_sccrq(a, "lac1");
	h_send(a);
	m = h_expect(h, a, L2TP_MSG_SCCRP);
	h_get_bytes(m, L2TP_AVP_CHALLENGE, chal, sizeof(chal));
	h_sccrq(b, "lac1");
	h_send(b);
	assert_int_equal(gst(h)->drop_deferred, 1);
	assert_int_equal(h->d.n_tunnels, 1);
	h_expect_nothing(h, b);
	h_scccn(a);
	h_put_response(a, L2TP_MSG_SCCCN, H_SECRET, chal, sizeof(chal));
	h_send(a);
	assert_int_equal(h_tunnel(a)->state, L2TP_TUNNEL_ESTABLISHED);
	/* b retransmits (Ns 0 again) */
	b->ns = 0;
	h_sccrq(b, "lac1");
	h_send(b);
	h_expect(h, b, L2TP_MSG_SCCRP);
	assert_true(h_tunnel(b)->own_port);
	assert_false(h_tunnel(b)->via_listen);
	assert_int_equal(h->d.stats.tunnels_own_port, 1);
}

/* --- access list and rates ------------------------------------------------- */

static void test_access_list(void **state)
{
	struct harness *h = guard_daemon(state, "l2tp access-list permit 192.0.2.0 0.0.0.255\n"
					 "l2tp access-list permit 203.0.113.7\n");
	struct h_peer *out = h_peer_new(h, "198.51.100.7", 40, H_SECRET);
	struct h_peer *in = h_peer_new(h, "192.0.2.99", 41, H_SECRET);
	struct h_peer *one = h_peer_new(h, "203.0.113.7", 42, H_SECRET);
	struct h_peer *next = h_peer_new(h, "203.0.113.8", 43, H_SECRET);

	h_sccrq(out, "lac1");
	h_send(out);
	h_sccrq(next, "lac1");
	h_send(next);
	assert_int_equal(gst(h)->drop_acl, 2);
	assert_int_equal(h->d.n_tunnels, 0);
	h_flush_acks(h);
	h_expect_nothing(h, NULL);
	h_sccrq(in, "lac1");
	h_send(in);
	h_expect(h, in, L2TP_MSG_SCCRP);
	h_sccrq(one, "lac1");
	h_send(one);
	h_expect(h, one, L2TP_MSG_SCCRP);
	assert_int_equal(gst(h)->sccrq_passed, 2);
}

static void test_rate_per_source(void **state)
{
	struct harness *h = guard_daemon(state, "l2tp rate-limit sccrq per-source 3\n");
	struct h_peer *p = h_peer_new(h, "192.0.2.50", 1, H_SECRET);
	struct h_peer *q = h_peer_new(h, "192.0.2.51", 900, H_SECRET);
	unsigned i;

	for (i = 0; i < 5; i++)
		sccrq_from(p, (uint16_t)(10 + i), (uint16_t)(5000 + i));
	assert_int_equal(gst(h)->sccrq_passed, 3);
	assert_int_equal(gst(h)->drop_rate_source, 2);
	assert_int_equal(h->d.n_tunnels, 3);
	/* another source is not held back by this one */
	sccrq_from(q, 900, 0);
	h_expect(h, q, L2TP_MSG_SCCRP);
	/* a third of a second later: one more token */
	clock_advance(&h->d.clk, 334);
	sccrq_from(p, 20, 6000);
	sccrq_from(p, 21, 6001);
	assert_int_equal(gst(h)->sccrq_passed, 5);
	assert_int_equal(gst(h)->drop_rate_source, 3);
}

/* Past the total, heavy sources are dropped and a light one still passes. */
static void test_rate_total_spares_light_sources(void **state)
{
	struct harness *h = guard_daemon(state, "l2tp rate-limit sccrq total 5\n");
	struct h_peer *heavy = h_peer_new(h, "192.0.2.60", 1, H_SECRET);
	struct h_peer *light = h_peer_new(h, "192.0.2.61", 500, H_SECRET);
	unsigned i;

	for (i = 0; i < 10; i++)
		sccrq_from(heavy, (uint16_t)(10 + i), (uint16_t)(7000 + i));
	assert_int_equal(gst(h)->sccrq_passed, 5);
	assert_int_equal(gst(h)->drop_rate_total, 5);
	for (i = 0; i < L2TP_GUARD_LIGHT + 2; i++)
		sccrq_from(light, (uint16_t)(500 + i), (uint16_t)(8000 + i));
	assert_int_equal(gst(h)->sccrq_passed, 5 + L2TP_GUARD_LIGHT);
	assert_int_equal(gst(h)->drop_rate_total, 5 + 2);
	/* the next interval: the heavy source passes again */
	clock_advance(&h->d.clk, 1000);
	sccrq_from(heavy, 40, 7100);
	assert_int_equal(gst(h)->sccrq_passed, 6 + L2TP_GUARD_LIGHT);
}

/* reconnect(h, n, per_ms): n SCCRQs from one LAC address, per_ms a
 * millisecond of the daemon's clock (a LAC re-establishing its tunnels
 * after its pair failed over); how many the guard let through. */
static unsigned reconnect(struct harness *h, unsigned n, unsigned per_ms)
{
	struct sockaddr_in from = { .sin_family = AF_INET, .sin_port = htons(1701) };
	unsigned i, passed = 0;

	inet_pton(AF_INET, "192.0.2.70", &from.sin_addr);
	for (i = 0; i < n; i++) {
		if (l2tp_guard_sccrq(&h->d, &from) == L2TP_GUARD_PASS)
			passed++;
		if ((i + 1) % per_ms == 0)
			clock_advance(&h->d.clk, 1);
	}
	return passed;
}

/* The defaults never cap a mass reconnect: 5,000 tunnels from one address
 * in one second all pass, and so does one LAC's burst up to the per-source
 * default at a single instant. */
static void test_rate_default_mass_reconnect(void **state)
{
	struct harness *h = guard_daemon(state, "");

	assert_int_equal(reconnect(h, 5000, 5), 5000);
	assert_int_equal(gst(h)->drop_rate_source + gst(h)->drop_rate_total, 0);
	clock_advance(&h->d.clk, 2000);
	assert_int_equal(reconnect(h, CONFIG_DEF_SCCRQ_SOURCE, UINT_MAX), CONFIG_DEF_SCCRQ_SOURCE);
	assert_int_equal(gst(h)->drop_rate_source + gst(h)->drop_rate_total, 0);
}

/* ... and a configured limit still caps the same reconnect: a bucket of
 * 1,000 refilled at 1 a millisecond over the second. */
static void test_rate_configured_caps_reconnect(void **state)
{
	struct harness *h = guard_daemon(state, "l2tp rate-limit sccrq per-source 1000\n");

	assert_int_equal(reconnect(h, 5000, 5), 1999);
	assert_int_equal(gst(h)->drop_rate_source, 5000 - 1999);
}

/* --- intrusion protection --------------------------------------------------- */

/* One wrong-secret attempt from p: SCCRQ, SCCRP, SCCCN with a wrong
 * response, StopCCN result 4 (not authorized). */
static void wrong_secret_attempt(struct harness *h, struct h_peer *p, uint16_t tid, uint16_t port)
{
	struct l2tp_msg *m;
	uint8_t chal[16];

	sccrq_from(p, tid, port);
	m = h_expect(h, p, L2TP_MSG_SCCRP);
	h_get_bytes(m, L2TP_AVP_CHALLENGE, chal, sizeof(chal));
	h_scccn(p);
	h_put_response(p, L2TP_MSG_SCCCN, "wrong", chal, sizeof(chal));
	h_send(p);
	h_expect_result(h, p, L2TP_MSG_STOPCCN, L2TP_STOPCCN_NOT_AUTHORIZED, H_ANY);
}

static void test_block_after_failures(void **state)
{
	struct harness *h = guard_daemon(state, "l2tp intrusion-protection failures 3 within 60 "
					 "block 30\n");
	struct h_peer *bad = h_peer_new(h, "203.0.113.5", 1, H_SECRET);
	struct h_peer *good;
	struct in_addr a;
	unsigned i;

	inet_pton(AF_INET, "203.0.113.5", &a);
	/* two failures, then a pause longer than T: the count starts again */
	wrong_secret_attempt(h, bad, 10, 4000);
	wrong_secret_attempt(h, bad, 11, 4001);
	clock_advance(&h->d.clk, 61000);
	h_drain(h);	/* the StopCCNs' retransmissions */
	wrong_secret_attempt(h, bad, 12, 4002);
	wrong_secret_attempt(h, bad, 13, 4003);
	assert_false(l2tp_guard_blocked(&h->d, a));
	wrong_secret_attempt(h, bad, 14, 4004);
	assert_true(l2tp_guard_blocked(&h->d, a));
	assert_int_equal(gst(h)->sources_blocked, 1);
	assert_int_equal(gst(h)->auth_failures, 5);
	/* blocked: dropped before any state, nothing sent */
	for (i = 0; i < 3; i++)
		sccrq_from(bad, (uint16_t)(20 + i), (uint16_t)(4100 + i));
	assert_int_equal(gst(h)->drop_blocked, 3);
	h_flush_acks(h);
	assert_int_equal(h_waiting(h, bad, 0), 0);
	/* the right secret from another address comes up meanwhile */
	good = h_lns_tunnel(h, "192.0.2.70", 700, "lac1");
	assert_int_equal(h_tunnel(good)->state, L2TP_TUNNEL_ESTABLISHED);
	/* after B seconds it may try again */
	clock_advance(&h->d.clk, 30000);
	h_drain(h);
	assert_false(l2tp_guard_blocked(&h->d, a));
	sccrq_from(bad, 30, 4200);
	h_expect(h, bad, L2TP_MSG_SCCRP);
}

static void test_trusted_never_blocked(void **state)
{
	struct harness *h = guard_daemon(state, "l2tp intrusion-protection failures 2 within 60 "
					 "block 30\n"
					 "l2tp intrusion-protection trusted 203.0.113.0 0.0.0.255\n");
	struct h_peer *p = h_peer_new(h, "203.0.113.9", 1, H_SECRET);
	struct in_addr a;
	unsigned i;

	inet_pton(AF_INET, "203.0.113.9", &a);
	for (i = 0; i < 4; i++)
		wrong_secret_attempt(h, p, (uint16_t)(10 + i), (uint16_t)(4000 + i));
	assert_false(l2tp_guard_blocked(&h->d, a));
	assert_int_equal(gst(h)->sources_blocked, 0);
	assert_int_equal(gst(h)->auth_failures, 4);
}

static void test_clear_blocked(void **state)
{
	struct harness *h = guard_daemon(state, "l2tp intrusion-protection failures 1 within 60 "
					 "block 300\n");
	struct in_addr a, b;

	inet_pton(AF_INET, "203.0.113.1", &a);
	inet_pton(AF_INET, "203.0.113.2", &b);
	l2tp_guard_auth_failed(&h->d, a);
	l2tp_guard_auth_failed(&h->d, b);
	assert_true(l2tp_guard_blocked(&h->d, a));
	assert_int_equal(l2tp_guard_unblock(&h->d, a), 1);
	assert_false(l2tp_guard_blocked(&h->d, a));
	assert_true(l2tp_guard_blocked(&h->d, b));
	b.s_addr = INADDR_ANY;
	assert_int_equal(l2tp_guard_unblock(&h->d, b), 1);
}

/* A flood from many addresses recycles source entries, never a blocked one. */
static void test_source_table_keeps_blocked(void **state)
{
	struct harness *h = guard_daemon(state, "l2tp intrusion-protection failures 1 within 60 "
					 "block 300\n"
					 "l2tp rate-limit sccrq total 1000000\n");
	struct sockaddr_in from = { .sin_family = AF_INET, .sin_port = htons(1701) };
	struct in_addr blocked;
	uint32_t i;

	inet_pton(AF_INET, "203.0.113.3", &blocked);
	l2tp_guard_auth_failed(&h->d, blocked);
	for (i = 0; i < 100000; i++) {
		from.sin_addr.s_addr = htonl(0x0a000000u + i);
		assert_int_equal(l2tp_guard_sccrq(&h->d, &from), L2TP_GUARD_PASS);
		if (i % 1000 == 0)
			clock_advance(&h->d.clk, 1);
	}
	assert_true(gst(h)->sources_recycled >= 100000 - L2TP_GUARD_SRC_SETS * L2TP_GUARD_SRC_WAYS);
	assert_true(l2tp_guard_blocked(&h->d, blocked));
	from.sin_addr = blocked;
	assert_int_equal(l2tp_guard_sccrq(&h->d, &from), L2TP_GUARD_DROP_BLOCKED);
}

/* Neighbouring addresses (a LAC farm in one subnet) each keep their own
 * entry: 1,000 of them recycle nothing. */
static void test_source_table_spreads_a_subnet(void **state)
{
	struct harness *h = guard_daemon(state, "");
	struct sockaddr_in from = { .sin_family = AF_INET, .sin_port = htons(1701) };
	uint32_t i, pass;

	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < 1000; i++) {
			from.sin_addr.s_addr = htonl(0x0a030000u + i);
			l2tp_guard_sccrq(&h->d, &from);
		}
	assert_int_equal(gst(h)->sources_recycled, 0);
}

/* --- calls ---------------------------------------------------------------- */

static void expect_limit_cdn(struct harness *h, struct h_peer *p, uint16_t peer_sid)
{
	struct l2tp_msg *m;

	h_icrq(p, peer_sid, peer_sid);
	h_send(p);
	m = h_expect_result(h, p, L2TP_MSG_CDN, L2TP_CDN_NO_FACILITIES_TEMP, H_ANY);
	assert_int_equal(m->hdr.session_id, peer_sid);
}

static void test_session_limit_global(void **state)
{
	struct harness *h = guard_daemon(state, "vpdn session-limit 2\n");
	struct h_peer *p = h_lns_tunnel(h, "192.0.2.80", 80, "lac1");
	const struct history_rec *r;
	uint16_t s1, s2;

	s1 = h_lns_call(h, p, 1);
	s2 = h_lns_call(h, p, 2);
	expect_limit_cdn(h, p, 3);
	assert_int_equal(gst(h)->calls_limit_refused, 1);
	assert_int_equal(history_failure_count(h->d.history), 1);
	r = history_failure_nth(h->d.history, 0);
	assert_int_equal(r->cause, L2TP_CDN_NO_FACILITIES_TEMP);
	assert_int_equal(r->peer_sid, 3);
	/* the others are untouched */
	assert_int_equal(l2tp_session_find(h_tunnel(p), s1)->state, L2TP_SESSION_ESTABLISHED);
	assert_int_equal(l2tp_session_find(h_tunnel(p), s2)->state, L2TP_SESSION_ESTABLISHED);
	assert_int_equal(h->d.n_sessions, 2);
	h_flush_acks(h);
	h_expect_nothing(h, p);
	/* one goes: the next call fits */
	h_cdn(p, s1, 1, 1);
	h_send(p);
	h_lns_call(h, p, 4);
}

static void test_session_limit_group(void **state)
{
	struct harness *h = guard_daemon(state, "vpdn-group LNS\n session-limit 1\n");
	struct h_peer *p = h_lns_tunnel(h, "192.0.2.81", 81, "lac1");
	struct h_peer *q = h_lns_tunnel(h, "192.0.2.82", 82, "lac1");

	h_lns_call(h, p, 1);
	expect_limit_cdn(h, q, 1);	/* the group's limit counts both tunnels */
	assert_int_equal(gst(h)->calls_limit_refused, 1);
	assert_int_equal(h->d.n_sessions, 1);
}

static void test_icrq_rate(void **state)
{
	struct harness *h = guard_daemon(state, "l2tp rate-limit icrq per-tunnel 2\n");
	struct h_peer *p = h_lns_tunnel(h, "192.0.2.83", 83, "lac1");

	h_lns_call(h, p, 1);
	h_lns_call(h, p, 2);
	expect_limit_cdn(h, p, 3);
	assert_int_equal(gst(h)->calls_rate_refused, 1);
	clock_advance(&h->d.clk, 500);
	h_lns_call(h, p, 4);
	assert_int_equal(h->d.n_sessions, 3);
}

/* The default never caps a mass reconnect: 20,000 ICRQs in a second. */
static void test_icrq_default_generous(void **state)
{
	struct harness *h = guard_daemon(state, "");
	struct l2tp_rate r = { 0 };
	unsigned i, n = 0;

	for (i = 0; i < 20000; i++)
		n += (unsigned)l2tp_rate_take(&r, 5, h->d.cfg.guard.icrq_tunnel, 1000);
	assert_int_equal(n, 20000);
}

/* --- descriptors ----------------------------------------------------------- */

static void test_fd_budget(void **state)
{
	struct harness *h = guard_daemon(state, "");

	h->d.guard.fd_limit = 100;
	assert_int_equal(l2tp_guard_fd(&h->d, 99), 0);
	assert_int_equal(l2tp_guard_fd(&h->d, 100), -EMFILE);
	assert_int_equal(l2tp_guard_fd(&h->d, 5000), -EMFILE);
	assert_int_equal(gst(h)->fd_budget_refused, 2);
	h->d.guard.fd_limit = 0;
	assert_int_equal(l2tp_guard_fd(&h->d, 5000), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rate_bucket),
		cmocka_unit_test_setup_teardown(test_half_open_eviction_order, h_setup, h_teardown),
		cmocka_unit_test_setup_teardown(test_sccrq_retransmission_same_sccrp, h_setup,
						h_teardown),
		cmocka_unit_test_setup_teardown(test_second_tunnel_waits_for_first, h_setup,
						h_teardown),
		cmocka_unit_test_setup_teardown(test_access_list, h_setup, h_teardown),
		cmocka_unit_test_setup_teardown(test_rate_per_source, h_setup, h_teardown),
		cmocka_unit_test_setup_teardown(test_rate_total_spares_light_sources, h_setup,
						h_teardown),
		cmocka_unit_test_setup_teardown(test_rate_default_mass_reconnect, h_setup, h_teardown),
		cmocka_unit_test_setup_teardown(test_rate_configured_caps_reconnect, h_setup,
						h_teardown),
		cmocka_unit_test_setup_teardown(test_block_after_failures, h_setup, h_teardown),
		cmocka_unit_test_setup_teardown(test_trusted_never_blocked, h_setup, h_teardown),
		cmocka_unit_test_setup_teardown(test_clear_blocked, h_setup, h_teardown),
		cmocka_unit_test_setup_teardown(test_source_table_keeps_blocked, h_setup,
						h_teardown),
		cmocka_unit_test_setup_teardown(test_source_table_spreads_a_subnet, h_setup,
						h_teardown),
		cmocka_unit_test_setup_teardown(test_session_limit_global, h_setup, h_teardown),
		cmocka_unit_test_setup_teardown(test_session_limit_group, h_setup, h_teardown),
		cmocka_unit_test_setup_teardown(test_icrq_rate, h_setup, h_teardown),
		cmocka_unit_test_setup_teardown(test_icrq_default_generous, h_setup, h_teardown),
		cmocka_unit_test_setup_teardown(test_fd_budget, h_setup, h_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
