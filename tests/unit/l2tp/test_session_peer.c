/*
 * The sessions of a tunnel by the peer's Session ID (l2tp/session_peer.c):
 * an ICRQ reusing the Assigned Session ID of a live call is refused (RFC
 * 2661 §5.6) without touching that call, and the ID is free again once its
 * call is gone; a CDN to Session ID 0 finds its call by the peer's ID
 * (§5.6); a thousand calls leave nothing outside the index.  What the data
 * path is told of a call's PPP channel names both ends of it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <string.h>

#include "harness.h"
#include "kernel_glue/dp.h"
#include "l2tp/session.h"
#include "l2tp/tunnel.h"

static const char cfg_lns[] =
	"hostname lns1\n"
	"vpdn enable\n"
	"vpdn-group LNS\n"
	" accept-dialin\n"
	"  protocol l2tp\n"
	" local name lns1\n"
	" l2tp tunnel password s3cret\n";

static uint16_t msg_u16(const struct l2tp_msg *m, uint16_t type)
{
	uint16_t v = 0;

	assert_int_equal(l2tp_msg_get_u16(m, type, &v), 0);
	return v;
}

static void test_icrq_peer_sid_in_use(void **state)
{
	struct harness *h = h_new(state, cfg_lns);
	struct h_peer *p = h_lns_tunnel(h, "192.0.2.1", 801, "lac1");
	struct l2tp_tunnel *t = h_tunnel(p);
	struct l2tp_msg *m;
	uint16_t a, b;

	a = h_lns_call(h, p, 41);
	h_lns_call(h, p, 43);
	h_flush_acks(h);
	h_drain(h);
	/* a second call with 41: refused, to 41, and call a untouched */
	h_icrq(p, 41, 2);
	h_send(p);
	m = h_expect_result(h, p, L2TP_MSG_CDN, L2TP_CDN_GENERAL_ERROR, L2TP_ERR_BAD_SESSION_ID);
	assert_int_equal(m->hdr.session_id, 41);
	assert_int_equal(t->n_sessions, 2);
	assert_int_equal(t->stats.sessions_refused, 1);
	assert_int_equal(l2tp_session_find(t, a)->state, L2TP_SESSION_ESTABLISHED);
	assert_ptr_equal(l2tp_session_find_peer(t, 41, NULL), l2tp_session_find(t, a));

	/* the peer clears a: 41 is free again */
	h_cdn(p, a, 41, 1);
	h_send(p);
	h_flush_acks(h);
	h_drain(h);
	assert_null(l2tp_session_find(t, a));
	assert_null(l2tp_session_find_peer(t, 41, NULL));
	h_icrq(p, 41, 3);
	h_send(p);
	m = h_expect(h, p, L2TP_MSG_ICRP);
	assert_int_equal(m->hdr.session_id, 41);
	b = msg_u16(m, L2TP_AVP_ASSIGNED_SESSION_ID);
	assert_ptr_equal(l2tp_session_find_peer(t, 41, NULL), l2tp_session_find(t, b));
	assert_int_equal(t->n_sessions, 2);
	assert_int_equal(t->peer_unindexed, 0);
}

/* §5.6: a CDN to Session ID 0 names its call by the Assigned Session ID. */
static void test_cdn_to_zero(void **state)
{
	struct harness *h = h_new(state, cfg_lns);
	struct h_peer *p = h_lns_tunnel(h, "192.0.2.1", 802, "lac1");
	struct l2tp_tunnel *t = h_tunnel(p);
	uint16_t a, b;

	a = h_lns_call(h, p, 51);
	h_icrq(p, 52, 2);
	h_send(p);
	b = msg_u16(h_expect(h, p, L2TP_MSG_ICRP), L2TP_AVP_ASSIGNED_SESSION_ID);
	h_cdn(p, 0, 52, 1);
	h_send(p);
	h_flush_acks(h);
	h_drain(h);
	assert_null(l2tp_session_find(t, b));
	assert_non_null(l2tp_session_find(t, a));
	assert_int_equal(t->n_sessions, 1);
}

/* Many calls: every one found by its peer ID, none left to the walk; all
 * gone, the index is empty. */
static void test_many_calls(void **state)
{
	struct harness *h = h_new(state, cfg_lns);
	struct h_peer *p = h_lns_tunnel(h, "192.0.2.1", 803, "lac1");
	struct l2tp_tunnel *t = h_tunnel(p);
	uint16_t sid[300], i;

	for (i = 0; i < 300; i++) {
		sid[i] = h_lns_call(h, p, (uint16_t)(1000 + i));
		h_flush_acks(h);
		h_drain(h);
	}
	assert_int_equal(t->n_sessions, 300);
	assert_int_equal(t->peer_unindexed, 0);
	for (i = 0; i < 300; i++)
		assert_ptr_equal(l2tp_session_find_peer(t, (uint16_t)(1000 + i), NULL),
				 l2tp_session_find(t, sid[i]));
	assert_null(l2tp_session_find_peer(t, 999, NULL));
	assert_null(l2tp_session_find_peer(t, 0, NULL));
	for (i = 0; i < 300; i++)
		l2tp_session_destroy(l2tp_session_find(t, sid[i]));
	for (i = 0; i < 300; i++)
		assert_null(l2tp_session_find_peer(t, (uint16_t)(1000 + i), NULL));
}

/* A second session with a peer ID already indexed (a takeover's rebuilt
 * call, a hostile peer's ICRP to our LAC) is found by the walk, and the
 * count of such sessions goes back to 0 as they go. */
static int is_second(const struct l2tp_session *s)
{
	return s->call_serial == 2;
}

static void test_unindexed(void **state)
{
	struct harness *h = h_new(state, cfg_lns);
	struct h_peer *p = h_lns_tunnel(h, "192.0.2.1", 804, "lac1");
	struct l2tp_tunnel *t = h_tunnel(p);
	struct l2tp_session *s1, *s2;
	int err;

	s1 = l2tp_session_adopt(t, 500, 1, &err);
	s2 = l2tp_session_adopt(t, 501, 1, &err);
	assert_non_null(s1);
	assert_non_null(s2);
	s1->call_serial = 1;
	s2->call_serial = 2;
	l2tp_session_set_peer_sid(s1, 77);
	l2tp_session_set_peer_sid(s2, 77);
	assert_int_equal(t->peer_unindexed, 1);
	assert_ptr_equal(l2tp_session_find_peer(t, 77, NULL), s1);
	assert_ptr_equal(l2tp_session_find_peer(t, 77, is_second), s2);
	l2tp_session_destroy(s1);
	assert_ptr_equal(l2tp_session_find_peer(t, 77, NULL), s2);
	l2tp_session_set_peer_sid(s2, 78);	/* out of the walk, into the index */
	assert_int_equal(t->peer_unindexed, 0);
	assert_ptr_equal(l2tp_session_find_peer(t, 78, NULL), s2);
	assert_null(l2tp_session_find_peer(t, 77, NULL));
	l2tp_session_destroy(s2);
	assert_int_equal(t->peer_unindexed, 0);
}

/* The data path's names for a call's PPP channel: our IDs, the peer's
 * (its Assigned Tunnel and Session IDs), the tunnel's peer address and port. */
static void test_dp_params(void **state)
{
	struct harness *h = h_new(state, cfg_lns);
	struct h_peer *p = h_lns_tunnel(h, "192.0.2.1", 805, "lac1");
	struct l2tp_tunnel *t = h_tunnel(p);
	struct dp_ppp_params pp;
	uint16_t a = h_lns_call(h, p, 47);

	memset(&pp, 0xa5, sizeof(pp));
	l2tp_session_dp_params(l2tp_session_find(t, a), &pp);
	assert_int_equal(pp.tunnel_id, p->dtid);
	assert_int_equal(pp.session_id, a);
	assert_int_equal(pp.peer_tunnel_id, 805);
	assert_int_equal(pp.peer_session_id, 47);
	assert_int_equal(pp.peer_addr, inet_addr("192.0.2.1"));
	assert_int_equal(pp.peer_port, p->addr.sin_port);
	assert_int_not_equal(pp.peer_port, 0);
}

#define T(f) cmocka_unit_test_setup_teardown(f, h_setup, h_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_icrq_peer_sid_in_use),
		T(test_cdn_to_zero),
		T(test_many_calls),
		T(test_unindexed),
		T(test_dp_params),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
