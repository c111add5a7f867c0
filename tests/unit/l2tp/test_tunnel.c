/*
 * Unit tests of the tunnel and session state machines (l2tp/tunnel.c,
 * l2tp/session.c, RFC 2661 §5, §7), driven through l2tp_net_input() by the
 * fake peers of harness.h, on the simulated clock.  The tables at the top
 * of l2tp/tunnel.c and l2tp/session.c say what the daemon must answer; each
 * test checks the answer on the wire, the state, and what the (null) data
 * path was asked to do.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <setjmp.h>
#include <cmocka.h>

#include "harness.h"
#include "l2tp/auth.h"
#include "l2tp/dial.h"
#include "l2tp/observer.h"
#include "l2tp/session.h"
#include "l2tp/tunnel.h"

/* §5.7, §5.8 with the defaults (rto 1 s doubling to 8 s, 5 retries): the
 * first transmission and five retransmissions, 1+2+4+8+8+8 s. */
#define FULL_CYCLE_MS	31000

static const char cfg_lns[] =
	"hostname lns1\n"
	"vpdn enable\n"
	"vpdn-group LNS\n"
	" accept-dialin\n"
	"  protocol l2tp\n"
	" local name lns1\n"
	" l2tp tunnel password s3cret\n";

static const char cfg_lns_nopass[] =
	"hostname lns1\n"
	"vpdn enable\n"
	"vpdn-group LNS\n"
	" accept-dialin\n"
	"  protocol l2tp\n"
	" local name lns1\n";

static const char cfg_lns_only_lacx[] =
	"hostname lns1\n"
	"vpdn enable\n"
	"vpdn-group LNS\n"
	" accept-dialin\n"
	"  protocol l2tp\n"
	" terminate-from hostname lacX\n"
	" local name lns1\n"
	" l2tp tunnel password s3cret\n";

static const char cfg_lac[] =
	H_CFG_LAC;

/* Both roles: tunnels to 192.0.2.2 and from anyone (for the tie breaker). */
static const char cfg_both[] =
	H_CFG_LAC
	"vpdn-group LNS\n"
	" accept-dialin\n"
	"  protocol l2tp\n"
	" local name lac1\n"
	" l2tp tunnel password s3cret\n";

static void advance_to(struct harness *h, uint64_t when)
{
	uint64_t now = clock_now(&h->d.clk);

	assert_true(when >= now);
	clock_advance(&h->d.clk, when - now);
}

static uint16_t msg_u16(const struct l2tp_msg *m, uint16_t type)
{
	uint16_t v = 0;

	assert_int_equal(l2tp_msg_get_u16(m, type, &v), 0);
	return v;
}

static void assert_host_name(const struct l2tp_msg *m, const char *want)
{
	char host[64];

	assert_int_equal(l2tp_msg_get_str(m, L2TP_AVP_HOST_NAME, host, sizeof(host)), 0);
	assert_string_equal(host, want);
}

/* ------------------------------------------------------------------------ */
/* 1. LNS: tunnel, call, teardown                                           */

static void test_lns_lifecycle(void **state)
{
	struct harness *h = h_new(state, cfg_lns);
	struct l2tpd *d = &h->d;
	struct h_peer *p = h_peer_new(h, "192.0.2.1", 101, H_SECRET);
	const struct l2tp_avp *ver;
	struct l2tp_tunnel *t;
	struct l2tp_session *s;
	struct l2tp_msg *m;
	uint8_t chal[16];
	uint16_t dsid;
	uint64_t t0;

	/* §6.1 SCCRQ -> §6.2 SCCRP */
	h_sccrq(p, "lac1");
	h_send(p);
	assert_int_equal(d->n_tunnels, 1);
	m = h_expect(h, p, L2TP_MSG_SCCRP);
	assert_int_equal(m->hdr.tunnel_id, 101);
	assert_int_equal(m->hdr.session_id, 0);
	assert_int_equal(m->hdr.ns, 0);
	assert_int_equal(m->hdr.nr, 1);
	assert_int_not_equal(msg_u16(m, L2TP_AVP_ASSIGNED_TUNNEL_ID), 0);
	assert_int_equal(msg_u16(m, L2TP_AVP_ASSIGNED_TUNNEL_ID), p->dtid);
	assert_host_name(m, "lns1");
	assert_int_equal(msg_u16(m, L2TP_AVP_RECV_WINDOW_SIZE), 4);
	ver = l2tp_msg_avp(m, L2TP_AVP_PROTOCOL_VERSION);
	assert_non_null(ver);
	assert_int_equal(ver->len, 2);
	assert_int_equal(ver->val[0], 1);
	assert_int_equal(ver->val[1], 0);
	assert_true(l2tp_msg_has(m, L2TP_AVP_FRAMING_CAP));
	h_get_bytes(m, L2TP_AVP_CHALLENGE, chal, sizeof(chal));
	assert_false(l2tp_msg_has(m, L2TP_AVP_CHALLENGE_RESPONSE));	/* we did not challenge */
	h_expect_nothing(h, p);
	t = h_tunnel(p);
	assert_non_null(t);
	assert_int_equal(t->state, L2TP_TUNNEL_WAIT_CTL_CONN);
	assert_int_equal(t->peer_tid, 101);
	assert_string_equal(t->peer_host, "lac1");
	assert_int_equal(d->dp->count.tunnel_create, 0);

	/* §6.3 SCCCN with the right response -> established */
	h_scccn(p);
	h_put_response(p, L2TP_MSG_SCCCN, H_SECRET, chal, sizeof(chal));
	h_send(p);
	assert_int_equal(t->state, L2TP_TUNNEL_ESTABLISHED);
	assert_int_equal(d->dp->count.tunnel_create, 1);
	assert_int_equal(d->dp->count.tunnels, 1);
	assert_int_equal(d->stats.tunnel_auth_failures, 0);
	h_expect_only_ack(h, p);

	/* §6.6 ICRQ -> §6.7 ICRP */
	h_icrq(p, 7, 1);
	h_send(p);
	m = h_expect(h, p, L2TP_MSG_ICRP);
	assert_int_equal(m->hdr.tunnel_id, 101);
	assert_int_equal(m->hdr.session_id, 7);
	dsid = msg_u16(m, L2TP_AVP_ASSIGNED_SESSION_ID);
	assert_int_not_equal(dsid, 0);
	s = l2tp_session_find(t, dsid);
	assert_non_null(s);
	assert_int_equal(s->state, L2TP_SESSION_WAIT_CONNECT);
	assert_int_equal(s->peer_sid, 7);
	assert_int_equal(s->call_serial, 1);
	assert_int_equal(d->dp->count.session_create, 0);

	/* §6.8 ICCN -> established */
	h_iccn(p, dsid);
	h_send(p);
	assert_int_equal(s->state, L2TP_SESSION_ESTABLISHED);
	assert_int_equal(s->tx_speed, 10000000);
	assert_int_equal(d->dp->count.session_create, 1);
	assert_int_equal(d->dp->count.sessions, 1);
	assert_int_equal(d->n_sessions, 1);
	h_expect_only_ack(h, p);

	/* §6.12 CDN -> the session is gone */
	h_cdn(p, dsid, 7, L2TP_CDN_ADMIN);
	h_send(p);
	assert_null(l2tp_session_find(t, dsid));
	assert_int_equal(t->n_sessions, 0);
	assert_int_equal(d->n_sessions, 0);
	assert_int_equal(d->dp->count.session_delete, 1);
	assert_int_equal(d->dp->count.sessions, 0);
	h_expect_only_ack(h, p);	/* a CDN is not answered with a CDN */

	/* §6.4 StopCCN -> CLOSING, held a full retransmission cycle (§5.7) */
	t0 = clock_now(&d->clk);
	h_stopccn(p, L2TP_STOPCCN_GENERAL);
	h_send(p);
	assert_int_equal(t->state, L2TP_TUNNEL_CLOSING);
	assert_int_equal(t->stop_result, L2TP_STOPCCN_GENERAL);
	assert_int_equal(t->stop_by_peer, 1);
	assert_int_equal(d->dp->count.tunnel_delete, 1);
	assert_int_equal(d->dp->count.tunnels, 0);
	/* acknowledged at once, not after the ack delay */
	assert_int_equal(h_waiting(h, p, 1), 1);
	h_expect_only_ack(h, p);
	advance_to(h, t0 + FULL_CYCLE_MS - 1);
	assert_ptr_equal(h_tunnel(p), t);
	assert_int_equal(d->n_tunnels, 1);
	advance_to(h, t0 + FULL_CYCLE_MS);
	assert_null(h_tunnel(p));
	l2tp_tunnel_reap(d);
	assert_int_equal(d->n_tunnels, 0);
	assert_true(LIST_EMPTY(&d->tunnels));
	h_expect_nothing(h, NULL);	/* nothing retransmitted, no StopCCN of ours */
	assert_int_equal(d->stats.tunnels_failed, 0);
}

/* ------------------------------------------------------------------------ */
/* 2. LNS: the peer answers our challenge wrongly, or not at all            */

/* SCCRQ, SCCRP; returns the challenge the SCCRP carried. */
static struct h_peer *lns_until_sccrp(struct harness *h, const char *ip, uint16_t tid,
				      uint8_t chal[16])
{
	struct h_peer *p = h_peer_new(h, ip, tid, H_SECRET);
	struct l2tp_msg *m;

	h_sccrq(p, "lac1");
	h_send(p);
	m = h_expect(h, p, L2TP_MSG_SCCRP);
	h_get_bytes(m, L2TP_AVP_CHALLENGE, chal, 16);
	return p;
}

static void expect_auth_stopccn(struct harness *h, struct h_peer *p)
{
	struct l2tp_tunnel *t = h_tunnel(p);
	struct l2tp_msg *m;

	m = h_expect_result(h, p, L2TP_MSG_STOPCCN, L2TP_STOPCCN_NOT_AUTHORIZED, H_ANY);
	assert_int_equal(m->hdr.tunnel_id, p->tid);
	assert_int_equal(msg_u16(m, L2TP_AVP_ASSIGNED_TUNNEL_ID), p->dtid);
	assert_non_null(t);
	assert_int_equal(t->state, L2TP_TUNNEL_CLOSING);
	h_expect_nothing(h, p);
}

static void test_lns_auth_failures(void **state)
{
	struct harness *h = h_new(state, cfg_lns);
	struct l2tpd *d = &h->d;
	struct h_peer *p;
	uint8_t chal[16];

	/* a response computed with another secret */
	p = lns_until_sccrp(h, "192.0.2.1", 201, chal);
	h_scccn(p);
	h_put_response(p, L2TP_MSG_SCCCN, "wrong", chal, sizeof(chal));
	h_send(p);
	expect_auth_stopccn(h, p);
	assert_int_equal(d->stats.tunnel_auth_failures, 1);

	/* no response at all */
	p = lns_until_sccrp(h, "192.0.2.3", 202, chal);
	h_scccn(p);
	h_send(p);
	expect_auth_stopccn(h, p);
	assert_int_equal(d->stats.tunnel_auth_failures, 2);

	/* §4.2: the message type is hashed: the SCCRP's response in an SCCCN */
	p = lns_until_sccrp(h, "192.0.2.4", 203, chal);
	h_scccn(p);
	h_put_response(p, L2TP_MSG_SCCRP, H_SECRET, chal, sizeof(chal));
	h_send(p);
	expect_auth_stopccn(h, p);
	assert_int_equal(d->stats.tunnel_auth_failures, 3);

	assert_int_equal(d->dp->count.tunnel_create, 0);
	assert_int_equal(d->n_tunnels, 3);	/* all CLOSING, waiting for the acks */
	/* the peers acknowledge the StopCCNs: the tunnels go */
	h_send_zlb(&h->peers[0]);
	h_send_zlb(&h->peers[1]);
	h_send_zlb(&h->peers[2]);
	l2tp_tunnel_reap(d);
	assert_int_equal(d->n_tunnels, 0);
	assert_true(LIST_EMPTY(&d->tunnels));
}

/* ------------------------------------------------------------------------ */
/* 3. LNS: the peer challenges us                                           */

static void test_lns_answers_challenge(void **state)
{
	struct harness *h = h_new(state, cfg_lns);
	struct h_peer *p = h_peer_new(h, "192.0.2.1", 301, H_SECRET);
	struct l2tp_msg *m;
	uint8_t resp[16], want[16], chal[16];

	h_sccrq(p, "lac1");
	h_put_challenge(p);
	h_send(p);
	m = h_expect(h, p, L2TP_MSG_SCCRP);
	h_get_bytes(m, L2TP_AVP_CHALLENGE_RESPONSE, resp, sizeof(resp));
	l2tp_auth_response(L2TP_MSG_SCCRP, (const uint8_t *)H_SECRET, strlen(H_SECRET),
			   p->challenge, sizeof(p->challenge), want);
	assert_memory_equal(resp, want, sizeof(want));
	/* and it challenges us back; answering completes the tunnel */
	h_get_bytes(m, L2TP_AVP_CHALLENGE, chal, sizeof(chal));
	h_scccn(p);
	h_put_response(p, L2TP_MSG_SCCCN, H_SECRET, chal, sizeof(chal));
	h_send(p);
	assert_int_equal(h_tunnel(p)->state, L2TP_TUNNEL_ESTABLISHED);
}

static void test_lns_challenged_without_secret(void **state)
{
	struct harness *h = h_new(state, cfg_lns_nopass);
	struct l2tpd *d = &h->d;
	struct h_peer *p = h_peer_new(h, "192.0.2.1", 311, NULL);
	struct h_peer *q = h_peer_new(h, "192.0.2.3", 312, NULL);
	struct l2tp_msg *m;

	/* a challenge we cannot answer: StopCCN 4 instead of an SCCRP */
	h_sccrq(p, "lac1");
	h_put_challenge(p);
	h_send(p);
	m = h_expect_result(h, p, L2TP_MSG_STOPCCN, L2TP_STOPCCN_NOT_AUTHORIZED, H_ANY);
	assert_int_equal(m->hdr.tunnel_id, 311);
	h_expect_nothing(h, p);
	assert_int_equal(d->stats.tunnel_auth_failures, 1);
	assert_int_equal(d->stats.tunnels_refused, 1);

	/* without a challenge either way, no authentication */
	h_sccrq(q, "lac1");
	h_send(q);
	m = h_expect(h, q, L2TP_MSG_SCCRP);
	assert_false(l2tp_msg_has(m, L2TP_AVP_CHALLENGE));
	assert_false(l2tp_msg_has(m, L2TP_AVP_CHALLENGE_RESPONSE));
	h_scccn(q);
	h_send(q);
	assert_int_equal(h_tunnel(q)->state, L2TP_TUNNEL_ESTABLISHED);
	assert_int_equal(d->stats.tunnel_auth_failures, 1);
}

/* ------------------------------------------------------------------------ */
/* 4. LNS: refused SCCRQs, retransmitted SCCRQ                              */

static void test_lns_no_group(void **state)
{
	struct harness *h = h_new(state, cfg_lns_only_lacx);
	struct l2tpd *d = &h->d;
	struct h_peer *p = h_peer_new(h, "192.0.2.1", 401, H_SECRET);
	struct h_peer *q = h_peer_new(h, "192.0.2.3", 402, H_SECRET);
	struct l2tp_msg *m;

	h_sccrq(p, "lac1");
	h_send(p);
	m = h_expect_result(h, p, L2TP_MSG_STOPCCN, L2TP_STOPCCN_NOT_AUTHORIZED, H_ANY);
	assert_int_equal(m->hdr.tunnel_id, 401);
	assert_int_equal(msg_u16(m, L2TP_AVP_ASSIGNED_TUNNEL_ID), p->dtid);
	h_expect_nothing(h, p);
	assert_int_equal(d->stats.tunnels_refused, 1);

	/* the host the group names is accepted */
	h_sccrq(q, "lacX");
	h_send(q);
	m = h_expect(h, q, L2TP_MSG_SCCRP);
	assert_host_name(m, "lns1");
	assert_int_equal(d->stats.tunnels_refused, 1);
}

static void test_lns_bad_version(void **state)
{
	struct harness *h = h_new(state, cfg_lns);
	struct h_peer *p = h_peer_new(h, "192.0.2.1", 411, H_SECRET);
	static const uint8_t v20[2] = { 2, 0 };
	struct l2tp_msgbuf *b;

	/* an SCCRQ exactly like h_sccrq()'s but for Protocol Version 2.0 */
	b = h_msg(p, L2TP_MSG_SCCRQ, 0);
	l2tp_avp_put(b, L2TP_AVP_PROTOCOL_VERSION, v20, sizeof(v20), 0);
	l2tp_avp_put_u32(b, L2TP_AVP_FRAMING_CAP, L2TP_FRAMING_SYNC, 0);
	l2tp_avp_put_str(b, L2TP_AVP_HOST_NAME, "lac1", 0);
	l2tp_avp_put_u16(b, L2TP_AVP_ASSIGNED_TUNNEL_ID, p->tid, 0);
	h_send(p);
	h_expect_result(h, p, L2TP_MSG_STOPCCN, L2TP_STOPCCN_BAD_VERSION, H_ANY);
	h_expect_nothing(h, p);
	assert_int_equal(h_tunnel(p)->state, L2TP_TUNNEL_CLOSING);
}

static void test_lns_sccrq_retransmitted(void **state)
{
	struct harness *h = h_new(state, cfg_lns);
	struct l2tpd *d = &h->d;
	struct h_peer *p = h_peer_new(h, "192.0.2.1", 421, H_SECRET);
	uint8_t sccrq[L2TP_MAX_MSG_LEN];
	struct l2tp_msg *m;
	struct h_pkt *pk;
	size_t len;

	h_sccrq(p, "lac1");
	len = h_seal(p, sccrq, sizeof(sccrq));
	h_deliver(p, sccrq, len);
	m = h_expect(h, p, L2TP_MSG_SCCRP);
	assert_int_equal(m->hdr.ns, 0);
	/* the same datagram again (our SCCRP "lost"): no second tunnel, and
	 * the duplicate is acknowledged at once (§5.8) */
	h_deliver(p, sccrq, len);
	assert_int_equal(d->n_tunnels, 1);
	assert_int_equal(d->stats.tunnels_created, 1);
	assert_int_equal(h_waiting(h, p, 0), 0);
	assert_int_equal(h_waiting(h, p, 1), 1);
	pk = TAILQ_FIRST(&h->q);
	assert_true(pk->zlb);
	assert_int_equal(pk->nr, 1);
	assert_int_equal(pk->dtid, p->dtid);
	h_drain(h);
	assert_int_equal(h_tunnel(p)->state, L2TP_TUNNEL_WAIT_CTL_CONN);
}

/* ------------------------------------------------------------------------ */
/* 5. Unexpected messages                                                   */

static void test_unexpected_tunnel_messages(void **state)
{
	struct harness *h = h_new(state, cfg_lns);
	struct h_peer *p, *q, *r;
	uint8_t chal[16];

	/* ICRQ before the tunnel is up (§7.2: WAIT_CTL_CONN) */
	p = lns_until_sccrp(h, "192.0.2.1", 501, chal);
	h_icrq(p, 5, 1);
	h_send(p);
	h_expect_result(h, p, L2TP_MSG_STOPCCN, L2TP_STOPCCN_FSM_ERROR, H_ANY);
	h_expect_nothing(h, p);
	assert_int_equal(h_tunnel(p)->state, L2TP_TUNNEL_CLOSING);
	assert_int_equal(h_tunnel(p)->n_sessions, 0);

	/* SCCRP on an established tunnel */
	q = h_lns_tunnel(h, "192.0.2.3", 502, "lac1");
	h_expect_only_ack(h, q);
	h_sccrp(q, "lac1");
	h_send(q);
	h_expect_result(h, q, L2TP_MSG_STOPCCN, L2TP_STOPCCN_FSM_ERROR, H_ANY);
	assert_int_equal(h_tunnel(q)->state, L2TP_TUNNEL_CLOSING);

	/* SCCCN on an established tunnel */
	r = h_lns_tunnel(h, "192.0.2.4", 503, "lac1");
	h_expect_only_ack(h, r);
	h_scccn(r);
	h_send(r);
	h_expect_result(h, r, L2TP_MSG_STOPCCN, L2TP_STOPCCN_FSM_ERROR, H_ANY);
	assert_int_equal(h_tunnel(r)->state, L2TP_TUNNEL_CLOSING);
	assert_int_equal(h->d.dp->count.tunnels, 0);
}

static void test_unexpected_session_messages(void **state)
{
	struct harness *h = h_new(state, cfg_lns);
	struct l2tpd *d = &h->d;
	struct h_peer *p = h_lns_tunnel(h, "192.0.2.1", 511, "lac1");
	struct l2tp_tunnel *t = h_tunnel(p);
	struct l2tp_session *s;
	struct l2tp_msgbuf *b;
	struct l2tp_msg *m;
	uint16_t dsid, unknown;
	uint8_t call_errors[26] = { 0 };
	uint8_t accm[10] = { 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

	h_expect_only_ack(h, p);

	/* ICRP to the LNS for its own call in WAIT_CONNECT: CDN, call cleared */
	h_icrq(p, 21, 1);
	h_send(p);
	m = h_expect(h, p, L2TP_MSG_ICRP);
	dsid = msg_u16(m, L2TP_AVP_ASSIGNED_SESSION_ID);
	h_icrp(p, dsid, 21);
	h_send(p);
	m = h_expect_result(h, p, L2TP_MSG_CDN, L2TP_CDN_GENERAL_ERROR, H_ANY);
	assert_int_equal(m->hdr.session_id, 21);
	assert_int_equal(msg_u16(m, L2TP_AVP_ASSIGNED_SESSION_ID), dsid);
	assert_null(l2tp_session_find(t, dsid));
	assert_int_equal(t->state, L2TP_TUNNEL_ESTABLISHED);
	h_expect_nothing(h, p);

	/* ICCN for a session we do not hold: cleared (CDN to Session ID 0) */
	unknown = (uint16_t)(dsid + 1000);
	assert_null(l2tp_session_find(t, unknown));
	h_iccn(p, unknown);
	h_send(p);
	h_expect_result(h, p, L2TP_MSG_CDN, L2TP_CDN_GENERAL_ERROR, L2TP_ERR_BAD_SESSION_ID);
	assert_int_equal(t->n_sessions, 0);

	/* CDN for a session we do not hold: ignored, no CDN back */
	h_cdn(p, unknown, 22, L2TP_CDN_ADMIN);
	h_send(p);
	h_expect_only_ack(h, p);

	/* OCRQ to the LNS: CDN to its Assigned Session ID, no session */
	h_ocrq(p, 23, 2, "5551234");
	h_send(p);
	m = h_expect_result(h, p, L2TP_MSG_CDN, L2TP_CDN_GENERAL_ERROR, H_ANY);
	assert_int_equal(m->hdr.session_id, 23);
	h_expect_nothing(h, p);
	assert_int_equal(t->n_sessions, 0);

	/* HELLO: an acknowledgement and nothing else (§6.5) */
	h_hello(p);
	h_send(p);
	h_expect_only_ack(h, p);

	/* WEN and SLI on an established call: accepted (§6.15, §6.16) */
	dsid = h_lns_call(h, p, 24);
	s = l2tp_session_find(t, dsid);
	assert_non_null(s);
	assert_int_equal(s->state, L2TP_SESSION_ESTABLISHED);
	h_expect_only_ack(h, p);
	call_errors[5] = 3;	/* 3 CRC errors */
	b = h_msg(p, L2TP_MSG_WEN, dsid);
	l2tp_avp_put(b, L2TP_AVP_CALL_ERRORS, call_errors, sizeof(call_errors), 0);
	h_send(p);
	h_expect_only_ack(h, p);
	b = h_msg(p, L2TP_MSG_SLI, dsid);
	l2tp_avp_put(b, L2TP_AVP_ACCM, accm, sizeof(accm), 0);
	h_send(p);
	h_expect_only_ack(h, p);
	assert_ptr_equal(l2tp_session_find(t, dsid), s);
	assert_int_equal(s->state, L2TP_SESSION_ESTABLISHED);
	assert_int_equal(d->dp->count.session_delete, 0);

	/* §4.4.1: an unknown message type without the M bit is ignored, but
	 * it took an Ns and is acknowledged */
	h_msg_flags(p, 200, 0, 0);
	h_send(p);
	h_expect_only_ack(h, p);
	assert_int_equal(t->state, L2TP_TUNNEL_ESTABLISHED);
	assert_int_equal(s->state, L2TP_SESSION_ESTABLISHED);

	/* ... and with the M bit it clears the tunnel */
	h_msg_flags(p, 200, L2TP_AVP_M, 0);
	h_send(p);
	h_expect_result(h, p, L2TP_MSG_STOPCCN, L2TP_STOPCCN_GENERAL_ERROR,
			L2TP_ERR_UNKNOWN_MANDATORY);
	assert_int_equal(t->state, L2TP_TUNNEL_CLOSING);
	assert_int_equal(d->dp->count.sessions, 0);
	assert_int_equal(d->dp->count.tunnels, 0);
}

/* ------------------------------------------------------------------------ */
/* 6. Unknown AVPs (§4.1)                                                   */

#define VENDOR_ID	9	/* any vendor; the daemon knows none */

static void put_vendor_avp(struct h_peer *p, uint16_t mflag)
{
	static const uint8_t v[4] = { 1, 2, 3, 4 };

	l2tp_avp_put_raw(&p->b, VENDOR_ID, 42, mflag, v, sizeof(v));
}

static void test_unknown_avps(void **state)
{
	struct harness *h = h_new(state, cfg_lns);
	struct l2tpd *d = &h->d;
	struct h_peer *p = h_lns_tunnel(h, "192.0.2.1", 601, "lac1");
	struct l2tp_tunnel *t = h_tunnel(p);
	struct l2tp_session *s;
	struct l2tp_msg *m;
	uint16_t dsid;

	h_expect_only_ack(h, p);

	/* in an ICCN for a call in WAIT_CONNECT: that call is cleared */
	h_icrq(p, 31, 1);
	h_send(p);
	dsid = msg_u16(h_expect(h, p, L2TP_MSG_ICRP), L2TP_AVP_ASSIGNED_SESSION_ID);
	h_iccn(p, dsid);
	put_vendor_avp(p, L2TP_AVP_M);
	h_send(p);
	m = h_expect_result(h, p, L2TP_MSG_CDN, L2TP_CDN_GENERAL_ERROR, L2TP_ERR_UNKNOWN_MANDATORY);
	assert_int_equal(m->hdr.session_id, 31);
	assert_int_equal(msg_u16(m, L2TP_AVP_ASSIGNED_SESSION_ID), dsid);
	assert_null(l2tp_session_find(t, dsid));
	assert_int_equal(d->dp->count.session_create, 0);
	assert_int_equal(t->state, L2TP_TUNNEL_ESTABLISHED);
	h_expect_nothing(h, p);

	/* in an ICRQ: refused with a CDN to its Assigned Session ID */
	h_icrq(p, 32, 2);
	put_vendor_avp(p, L2TP_AVP_M);
	h_send(p);
	m = h_expect_result(h, p, L2TP_MSG_CDN, L2TP_CDN_GENERAL_ERROR, L2TP_ERR_UNKNOWN_MANDATORY);
	assert_int_equal(m->hdr.session_id, 32);
	assert_int_equal(t->n_sessions, 0);
	h_expect_nothing(h, p);

	/* without the M bit: ignored, the call proceeds */
	h_icrq(p, 33, 3);
	put_vendor_avp(p, 0);
	h_send(p);
	dsid = msg_u16(h_expect(h, p, L2TP_MSG_ICRP), L2TP_AVP_ASSIGNED_SESSION_ID);
	h_iccn(p, dsid);
	put_vendor_avp(p, 0);
	h_send(p);
	h_expect_only_ack(h, p);
	s = l2tp_session_find(t, dsid);
	assert_non_null(s);
	assert_int_equal(s->state, L2TP_SESSION_ESTABLISHED);
	assert_int_equal(d->dp->count.session_create, 1);

	/* in a HELLO, a tunnel message: StopCCN, General error 8 */
	h_hello(p);
	put_vendor_avp(p, L2TP_AVP_M);
	h_send(p);
	m = h_expect_result(h, p, L2TP_MSG_STOPCCN, L2TP_STOPCCN_GENERAL_ERROR,
			    L2TP_ERR_UNKNOWN_MANDATORY);
	assert_int_equal(msg_u16(m, L2TP_AVP_ASSIGNED_TUNNEL_ID), p->dtid);
	assert_int_equal(t->state, L2TP_TUNNEL_CLOSING);
}

/* ------------------------------------------------------------------------ */
/* 7. A malformed message clears its call, not the others                   */

static void test_malformed_iccn(void **state)
{
	struct harness *h = h_new(state, cfg_lns);
	struct l2tpd *d = &h->d;
	struct h_peer *p = h_lns_tunnel(h, "192.0.2.1", 701, "lac1");
	struct l2tp_tunnel *t = h_tunnel(p);
	static const uint8_t speed[4] = { 0, 0x98, 0x96, 0x80 };
	uint8_t buf[L2TP_MAX_MSG_LEN];
	struct l2tp_msg *m, *want;
	uint16_t a, b;
	size_t off, len;

	a = h_lns_call(h, p, 41);
	h_icrq(p, 42, 2);
	h_send(p);
	b = msg_u16(h_expect(h, p, L2TP_MSG_ICRP), L2TP_AVP_ASSIGNED_SESSION_ID);
	h_flush_acks(h);
	h_expect_nothing(h, p);	/* the ICRP acknowledged both ICCN and ICRQ */
	assert_int_equal(l2tp_session_find(t, a)->state, L2TP_SESSION_ESTABLISHED);
	assert_int_equal(l2tp_session_find(t, b)->state, L2TP_SESSION_WAIT_CONNECT);

	/* call b's ICCN with a last AVP whose Length says 4 (< 6, §4.1) */
	h_iccn(p, b);
	off = p->b.len;
	l2tp_avp_put_raw(&p->b, 0, L2TP_AVP_RX_CONNECT_SPEED, L2TP_AVP_M, speed, sizeof(speed));
	len = h_seal(p, buf, sizeof(buf));
	buf[off] &= (uint8_t)~(L2TP_AVP_LEN_MASK >> 8);
	buf[off + 1] = 4;

	/* what the decoder asks for */
	want = malloc(sizeof(*want));
	assert_non_null(want);
	assert_int_equal(l2tp_msg_decode(buf, len, want), -EBADMSG);
	assert_int_equal(want->err.result, L2TP_CDN_GENERAL_ERROR);
	assert_int_equal(want->err.error, L2TP_ERR_BAD_LENGTH);
	assert_true(want->err.session_level);

	h_deliver(p, buf, len);
	m = h_expect_result(h, p, L2TP_MSG_CDN, want->err.result, want->err.error);
	free(want);
	assert_int_equal(m->hdr.session_id, 42);
	assert_int_equal(msg_u16(m, L2TP_AVP_ASSIGNED_SESSION_ID), b);
	h_expect_nothing(h, p);
	assert_null(l2tp_session_find(t, b));
	/* call a and the tunnel are untouched */
	assert_int_equal(l2tp_session_find(t, a)->state, L2TP_SESSION_ESTABLISHED);
	assert_int_equal(t->state, L2TP_TUNNEL_ESTABLISHED);
	assert_int_equal(t->n_sessions, 1);
	assert_int_equal(d->dp->count.sessions, 1);
	/* and the channel goes on */
	h_hello(p);
	h_send(p);
	h_expect_only_ack(h, p);
}

/* ------------------------------------------------------------------------ */
/* 8. Sequence numbers (§5.8)                                               */

static void test_out_of_order_and_duplicate(void **state)
{
	struct harness *h = h_new(state, cfg_lns);
	struct l2tpd *d = &h->d;
	struct h_peer *p = h_lns_tunnel(h, "192.0.2.1", 801, "lac1");
	struct l2tp_tunnel *t = h_tunnel(p);
	uint8_t first[L2TP_MAX_MSG_LEN], second[L2TP_MAX_MSG_LEN];
	size_t len1, len2;
	struct l2tp_msg *m;
	struct h_pkt *pk;

	h_expect_only_ack(h, p);
	assert_int_equal(p->ns, 2);	/* SCCRQ 0, SCCCN 1 */

	h_icrq(p, 51, 1);
	len1 = h_seal(p, first, sizeof(first));		/* Ns 2 */
	h_icrq(p, 52, 2);
	len2 = h_seal(p, second, sizeof(second));	/* Ns 3 */

	/* Ns 3 first: held, and the gap shown at once with Nr 2 */
	h_deliver(p, second, len2);
	assert_int_equal(t->n_sessions, 0);
	assert_int_equal(h_waiting(h, p, 0), 0);
	assert_int_equal(h_waiting(h, p, 1), 1);
	pk = TAILQ_FIRST(&h->q);
	assert_true(pk->zlb);
	assert_int_equal(pk->nr, 2);
	h_drain(h);

	/* Ns 2 fills the gap: both calls, in order */
	h_deliver(p, first, len1);
	assert_int_equal(t->n_sessions, 2);
	m = h_expect(h, p, L2TP_MSG_ICRP);
	assert_int_equal(m->hdr.session_id, 51);
	m = h_expect(h, p, L2TP_MSG_ICRP);
	assert_int_equal(m->hdr.session_id, 52);
	assert_int_equal(m->hdr.nr, 4);
	h_flush_acks(h);
	h_expect_nothing(h, p);	/* the ICRPs acknowledged both */

	/* Ns 2 again: a duplicate, re-acknowledged at once, not processed */
	h_deliver(p, first, len1);
	assert_int_equal(h_waiting(h, p, 0), 0);
	assert_int_equal(h_waiting(h, p, 1), 1);
	pk = TAILQ_FIRST(&h->q);
	assert_true(pk->zlb);
	assert_int_equal(pk->nr, 4);
	h_drain(h);
	assert_int_equal(t->n_sessions, 2);
	assert_int_equal(d->n_sessions, 2);
	assert_int_equal(t->ctrl.stats.rx_duplicates, 1);
}

/* ------------------------------------------------------------------------ */
/* 9. LAC: dial, three calls                                                */

static void test_lac_dial(void **state)
{
	struct harness *h = h_new(state, cfg_lac);
	struct l2tpd *d = &h->d;
	struct h_peer *p = h_peer_new(h, "192.0.2.2", 901, H_SECRET);
	struct l2tp_session *s;
	struct l2tp_tunnel *t;
	struct l2tp_msg *m;
	uint8_t chal[16], resp[16], want[16];
	uint16_t dsid[3];
	uint64_t tb;
	char err[128];
	int i;

	assert_int_equal(l2tp_dial(d, h_group(h, "LAC"), 3, 0, err, sizeof(err)), 3);
	assert_int_equal(d->n_tunnels, 1);
	t = h_tunnel(p);
	assert_non_null(t);
	assert_int_equal(t->state, L2TP_TUNNEL_WAIT_CTL_REPLY);
	assert_int_equal(t->n_sessions, 3);
	LIST_FOREACH(s, &t->session_list, link)
		assert_int_equal(s->state, L2TP_SESSION_WAIT_TUNNEL);

	/* §6.1 SCCRQ: Tie Breaker and Challenge */
	m = h_expect(h, p, L2TP_MSG_SCCRQ);
	assert_int_equal(m->hdr.tunnel_id, 0);
	assert_int_equal(m->hdr.ns, 0);
	assert_int_equal(msg_u16(m, L2TP_AVP_ASSIGNED_TUNNEL_ID), t->tid);
	assert_host_name(m, "lac1");
	assert_int_equal(l2tp_msg_get_u64(m, L2TP_AVP_TIE_BREAKER, &tb), 0);
	assert_true(tb == t->tie_breaker);
	h_get_bytes(m, L2TP_AVP_CHALLENGE, chal, sizeof(chal));
	h_expect_nothing(h, p);	/* no ICRQ before the tunnel is up */

	/* SCCRP answering it and challenging back -> SCCCN, then the ICRQs */
	h_sccrp(p, "lns1");
	h_put_response(p, L2TP_MSG_SCCRP, H_SECRET, chal, sizeof(chal));
	h_put_challenge(p);
	h_send(p);
	assert_int_equal(t->state, L2TP_TUNNEL_ESTABLISHED);
	assert_int_equal(t->peer_tid, 901);
	assert_int_equal(d->dp->count.tunnel_create, 1);
	m = h_expect(h, p, L2TP_MSG_SCCCN);
	assert_int_equal(m->hdr.tunnel_id, 901);
	assert_int_equal(m->hdr.nr, 1);
	h_get_bytes(m, L2TP_AVP_CHALLENGE_RESPONSE, resp, sizeof(resp));
	l2tp_auth_response(L2TP_MSG_SCCCN, (const uint8_t *)H_SECRET, strlen(H_SECRET),
			   p->challenge, sizeof(p->challenge), want);
	assert_memory_equal(resp, want, sizeof(want));
	for (i = 0; i < 3; i++) {
		uint32_t serial = 0;

		m = h_expect(h, p, L2TP_MSG_ICRQ);
		assert_int_equal(m->hdr.tunnel_id, 901);
		assert_int_equal(m->hdr.session_id, 0);
		dsid[i] = msg_u16(m, L2TP_AVP_ASSIGNED_SESSION_ID);
		assert_int_not_equal(dsid[i], 0);
		assert_int_equal(l2tp_msg_get_u32(m, L2TP_AVP_CALL_SERIAL_NUMBER, &serial), 0);
		assert_true(serial >= 1 && serial <= 3);
		assert_int_equal(l2tp_session_find(t, dsid[i])->state, L2TP_SESSION_WAIT_REPLY);
	}
	assert_int_not_equal(dsid[0], dsid[1]);
	assert_int_not_equal(dsid[1], dsid[2]);
	assert_int_not_equal(dsid[0], dsid[2]);
	h_expect_nothing(h, p);

	/* ICRP for each -> ICCN for each -> established */
	for (i = 0; i < 3; i++) {
		h_icrp(p, dsid[i], (uint16_t)(1001 + i));
		h_send(p);
		m = h_expect(h, p, L2TP_MSG_ICCN);
		assert_int_equal(m->hdr.session_id, 1001 + i);
		assert_true(l2tp_msg_has(m, L2TP_AVP_TX_CONNECT_SPEED));
		assert_true(l2tp_msg_has(m, L2TP_AVP_FRAMING_TYPE));
		s = l2tp_session_find(t, dsid[i]);
		assert_int_equal(s->state, L2TP_SESSION_ESTABLISHED);
		assert_int_equal(s->peer_sid, 1001 + i);
	}
	assert_int_equal(d->dp->count.session_create, 3);
	assert_int_equal(d->dp->count.sessions, 3);
	assert_int_equal(d->n_sessions, 3);
	h_send_zlb(p);
	h_expect_nothing(h, p);
}

static void test_lac_bad_sccrp(void **state)
{
	struct harness *h = h_new(state, cfg_lac);
	struct l2tpd *d = &h->d;
	struct h_peer *p = h_peer_new(h, "192.0.2.2", 911, H_SECRET);
	struct h_peer *q = h_peer_new(h, "192.0.2.2", 912, H_SECRET);
	struct l2tp_msg *m;
	uint8_t chal[16];
	char err[128];

	/* a response made with another secret */
	assert_int_equal(l2tp_dial(d, h_group(h, "LAC"), 1, 0, err, sizeof(err)), 1);
	m = h_expect(h, p, L2TP_MSG_SCCRQ);
	h_get_bytes(m, L2TP_AVP_CHALLENGE, chal, sizeof(chal));
	h_sccrp(p, "lns1");
	h_put_response(p, L2TP_MSG_SCCRP, "wrong", chal, sizeof(chal));
	h_send(p);
	m = h_expect_result(h, p, L2TP_MSG_STOPCCN, L2TP_STOPCCN_NOT_AUTHORIZED, H_ANY);
	assert_int_equal(m->hdr.tunnel_id, 911);
	h_expect_nothing(h, p);	/* no SCCCN, no ICRQ */
	assert_int_equal(d->stats.tunnel_auth_failures, 1);
	assert_int_equal(h_tunnel(p)->state, L2TP_TUNNEL_CLOSING);
	assert_int_equal(h_tunnel(p)->n_sessions, 0);
	assert_int_equal(d->dp->count.tunnel_create, 0);

	/* no response at all */
	assert_int_equal(l2tp_dial(d, h_group(h, "LAC"), 1, 0, err, sizeof(err)), 1);
	h_expect(h, q, L2TP_MSG_SCCRQ);
	h_sccrp(q, "lns1");
	h_send(q);
	h_expect_result(h, q, L2TP_MSG_STOPCCN, L2TP_STOPCCN_NOT_AUTHORIZED, H_ANY);
	h_expect_nothing(h, q);
	assert_int_equal(d->stats.tunnel_auth_failures, 2);
}

/* ------------------------------------------------------------------------ */
/* 10. LAC: nobody answers the SCCRQ                                        */

static void test_lac_no_answer(void **state)
{
	static const unsigned rto_s[] = { 1, 2, 4, 8, 8 };
	struct harness *h = h_new(state, cfg_lac);
	struct l2tpd *d = &h->d;
	struct h_peer *p = h_peer_new(h, "192.0.2.2", 1001, H_SECRET);
	uint64_t when;
	char err[128];
	unsigned i, copies = 0;
	struct l2tp_msg *m;

	assert_int_equal(l2tp_dial(d, h_group(h, "LAC"), 1, 0, err, sizeof(err)), 1);
	when = clock_now(&d->clk);
	for (i = 0; i <= 5; i++) {
		/* each copy goes at its own time, not a millisecond before */
		if (i > 0) {
			when += rto_s[i - 1] * 1000u;
			advance_to(h, when - 1);
			assert_int_equal(h_waiting(h, p, 0), 0);
			advance_to(h, when);
		}
		m = h_expect(h, p, L2TP_MSG_SCCRQ);
		assert_int_equal(m->hdr.ns, 0);
		copies++;
	}
	assert_int_equal(copies, 6);	/* the SCCRQ and 5 retransmissions */
	/* the last one gets rto_max to be answered */
	advance_to(h, when + 8000 - 1);
	assert_non_null(h_tunnel(p));
	assert_int_equal(d->stats.tunnels_failed, 0);
	advance_to(h, when + 8000);
	assert_null(h_tunnel(p));
	assert_int_equal(d->stats.tunnels_failed, 1);
	h_expect_nothing(h, p);	/* nobody to address a StopCCN to */
	l2tp_tunnel_reap(d);
	assert_int_equal(d->n_tunnels, 0);
	assert_int_equal(d->n_sessions, 0);
	assert_true(LIST_EMPTY(&d->tunnels));
}

/* ------------------------------------------------------------------------ */
/* 11. Outgoing calls                                                       */

static void test_lac_outgoing_call(void **state)
{
	struct harness *h = h_new(state, cfg_lac);
	struct l2tpd *d = &h->d;
	struct h_peer *p = h_peer_new(h, "192.0.2.2", 1101, H_SECRET);
	struct l2tp_session *s;
	struct l2tp_tunnel *t;
	struct l2tp_msg *m;
	uint16_t dsid;
	int err = 0;

	t = l2tp_tunnel_open(d, h_group(h, "LAC"), &err);
	assert_non_null(t);
	h_lac_answer(h, p, "lns1");
	assert_int_equal(t->state, L2TP_TUNNEL_ESTABLISHED);
	h_expect_nothing(h, p);

	/* §6.7 OCRQ from the LNS -> §6.8 OCRP, §6.9 OCCN */
	h_ocrq(p, 55, 9, "5551234");
	h_send(p);
	m = h_expect(h, p, L2TP_MSG_OCRP);
	assert_int_equal(m->hdr.session_id, 55);
	dsid = msg_u16(m, L2TP_AVP_ASSIGNED_SESSION_ID);
	assert_int_not_equal(dsid, 0);
	m = h_expect(h, p, L2TP_MSG_OCCN);
	assert_int_equal(m->hdr.session_id, 55);
	assert_true(l2tp_msg_has(m, L2TP_AVP_TX_CONNECT_SPEED));
	assert_true(l2tp_msg_has(m, L2TP_AVP_FRAMING_TYPE));
	s = l2tp_session_find(t, dsid);
	assert_non_null(s);
	assert_int_equal(s->state, L2TP_SESSION_ESTABLISHED);
	assert_int_equal(s->kind, L2TP_CALL_OUTGOING);
	assert_int_equal(s->peer_sid, 55);
	assert_string_equal(s->called, "5551234");
	assert_int_equal(d->dp->count.session_create, 1);
}

static void test_lns_call_out(void **state)
{
	struct harness *h = h_new(state, cfg_lns);
	struct l2tpd *d = &h->d;
	struct h_peer *p = h_lns_tunnel(h, "192.0.2.1", 1111, "lac1");
	struct l2tp_tunnel *t = h_tunnel(p);
	struct l2tp_session *s;
	struct l2tp_msg *m;
	char called[64];
	int err = 0;

	h_expect_only_ack(h, p);
	s = l2tp_session_call_out(t, "5550000", &err);
	assert_non_null(s);
	assert_int_equal(s->state, L2TP_SESSION_WAIT_REPLY);
	m = h_expect(h, p, L2TP_MSG_OCRQ);
	assert_int_equal(m->hdr.session_id, 0);
	assert_int_equal(msg_u16(m, L2TP_AVP_ASSIGNED_SESSION_ID), s->sid);
	assert_int_equal(l2tp_msg_get_str(m, L2TP_AVP_CALLED_NUMBER, called, sizeof(called)), 0);
	assert_string_equal(called, "5550000");

	h_ocrp(p, s->sid, 66);
	h_send(p);
	assert_int_equal(s->state, L2TP_SESSION_WAIT_CONNECT);
	assert_int_equal(s->peer_sid, 66);
	h_expect_only_ack(h, p);
	assert_int_equal(d->dp->count.session_create, 0);

	h_occn(p, s->sid);
	h_send(p);
	assert_int_equal(s->state, L2TP_SESSION_ESTABLISHED);
	assert_int_equal(d->dp->count.session_create, 1);
	h_expect_only_ack(h, p);
}

/* ------------------------------------------------------------------------ */
/* 12. Tie breaker (§4.4.3: the lower value wins)                           */

/* Our SCCRQ to 192.0.2.2 (peer p) is outstanding when q, the same host,
 * sends its own with Tie Breaker `theirs`. */
static struct l2tp_tunnel *tie_setup(struct harness *h, struct h_peer **p, struct h_peer **q,
				     uint64_t theirs)
{
	struct l2tp_tunnel *t;
	int err = 0;

	*p = h_peer_new(h, "192.0.2.2", 1201, H_SECRET);
	t = l2tp_tunnel_open(&h->d, h_group(h, "LAC"), &err);
	assert_non_null(t);
	assert_ptr_equal(h_tunnel(*p), t);
	/* theirs is UINT64_MAX or 0: ours must lie strictly between
	 * (fails once in 2^63 runs) */
	assert_true(t->tie_breaker != 0 && t->tie_breaker != UINT64_MAX);
	*q = h_peer_new(h, "192.0.2.2", 1202, H_SECRET);
	h_sccrq(*q, "lns2");
	l2tp_avp_put_u64(&(*q)->b, L2TP_AVP_TIE_BREAKER, theirs, 0);
	h_send(*q);
	return t;
}

static void test_tie_breaker_we_win(void **state)
{
	struct harness *h = h_new(state, cfg_both);
	struct l2tpd *d = &h->d;
	struct h_peer *p, *q;
	struct l2tp_tunnel *t = tie_setup(h, &p, &q, UINT64_MAX);

	/* theirs is higher: their SCCRQ is discarded, ours stands */
	h_expect_nothing(h, q);
	assert_int_equal(d->n_tunnels, 1);
	assert_int_equal(d->stats.tunnels_created, 1);
	assert_ptr_equal(h_tunnel(p), t);
	assert_int_equal(t->state, L2TP_TUNNEL_WAIT_CTL_REPLY);
	h_lac_answer(h, p, "lns2");
	assert_int_equal(t->state, L2TP_TUNNEL_ESTABLISHED);
}

static void test_tie_breaker_we_lose(void **state)
{
	struct harness *h = h_new(state, cfg_both);
	struct l2tpd *d = &h->d;
	struct h_peer *p, *q;
	struct l2tp_tunnel *t, *ours;
	struct l2tp_msg *m;
	uint8_t chal[16];

	ours = tie_setup(h, &p, &q, 0);
	/* theirs is lower: ours is withdrawn (freed at the next reap), theirs
	 * answered */
	assert_true(ours->dead);
	assert_int_equal(d->n_tunnels, 1);
	m = h_expect(h, q, L2TP_MSG_SCCRP);
	assert_int_equal(m->hdr.tunnel_id, 1202);
	assert_host_name(m, "lac1");
	h_get_bytes(m, L2TP_AVP_CHALLENGE, chal, sizeof(chal));
	t = h_tunnel(q);
	assert_non_null(t);
	assert_true(t->lns);
	assert_int_equal(t->state, L2TP_TUNNEL_WAIT_CTL_CONN);
	/* our SCCRQ went before the race; it is never sent again */
	h_expect(h, p, L2TP_MSG_SCCRQ);
	clock_advance(&d->clk, 2000);
	h_expect_nothing(h, p);
	h_scccn(q);
	h_put_response(q, L2TP_MSG_SCCCN, H_SECRET, chal, sizeof(chal));
	h_send(q);
	assert_int_equal(t->state, L2TP_TUNNEL_ESTABLISHED);
	l2tp_tunnel_reap(d);
	assert_int_equal(d->n_tunnels, 1);
	assert_ptr_equal(LIST_FIRST(&d->tunnels), t);
	assert_null(LIST_NEXT(t, link));
}

/* ------------------------------------------------------------------------ */
/* 13. Graceful shutdown                                                    */

static void test_shutdown(void **state)
{
	struct harness *h = h_new(state, cfg_lns);
	struct l2tpd *d = &h->d;
	struct h_peer *p = h_lns_tunnel(h, "192.0.2.1", 1301, "lac1");
	struct h_peer *q = h_lns_tunnel(h, "192.0.2.3", 1302, "lac2");
	struct h_peer *late = h_peer_new(h, "192.0.2.4", 1303, H_SECRET);
	struct h_peer *peers[2] = { p, q };
	struct l2tp_msg *m;
	int i;

	h_lns_call(h, p, 71);
	h_lns_call(h, q, 72);
	h_expect_only_ack(h, p);
	h_expect_only_ack(h, q);
	assert_int_equal(d->dp->count.sessions, 2);

	l2tpd_shutdown(d);
	for (i = 0; i < 2; i++) {
		m = h_expect_result(h, peers[i], L2TP_MSG_STOPCCN, L2TP_STOPCCN_SHUTDOWN, H_ANY);
		assert_int_equal(m->hdr.tunnel_id, peers[i]->tid);
		assert_int_equal(msg_u16(m, L2TP_AVP_ASSIGNED_TUNNEL_ID), peers[i]->dtid);
		assert_int_equal(h_tunnel(peers[i])->state, L2TP_TUNNEL_CLOSING);
	}
	h_expect_nothing(h, NULL);
	assert_int_equal(d->dp->count.sessions, 0);
	assert_int_equal(d->dp->count.tunnels, 0);

	/* no new tunnel while shutting down */
	h_sccrq(late, "lac3");
	h_send(late);
	h_expect_nothing(h, NULL);
	assert_int_equal(d->n_tunnels, 2);

	/* both acknowledge: both tunnels go */
	h_send_zlb(p);
	h_send_zlb(q);
	l2tp_tunnel_reap(d);
	assert_int_equal(d->n_tunnels, 0);
	assert_true(LIST_EMPTY(&d->tunnels));
}


/* ------------------------------------------------------------------------ */
/* LAC answers before the peer's Tunnel ID is known, malformed SCCRQ.       */
/*                                                                          */
/* Regression tests: each of the four below failed (one crashed) before    */
/* the fix it names.                                                        */

static uint16_t pkt_tid(const struct h_pkt *pk)
{
	return (uint16_t)(pk->buf[4] << 8 | pk->buf[5]);
}

/*
 * The LNS refuses our SCCRQ with a StopCCN (§6.4: it carries its Assigned
 * Tunnel ID).  The ack must go to that Tunnel ID, not to 0 (it once did,
 * and the LNS never saw it).
 */
static void test_lac_stopccn_before_sccrp(void **state)
{
	struct harness *h = h_new(state, cfg_lac);
	struct l2tpd *d = &h->d;
	struct h_peer *p = h_peer_new(h, "192.0.2.2", 1401, H_SECRET);
	struct l2tp_tunnel *t;
	struct h_pkt *pk;
	char err[128];

	assert_int_equal(l2tp_dial(d, h_group(h, "LAC"), 1, 0, err, sizeof(err)), 1);
	t = h_tunnel(p);
	h_expect(h, p, L2TP_MSG_SCCRQ);
	h_stopccn(p, L2TP_STOPCCN_NOT_AUTHORIZED);
	h_send(p);
	assert_int_equal(t->state, L2TP_TUNNEL_CLOSING);
	assert_int_equal(t->n_sessions, 0);
	assert_int_equal(d->stats.tunnels_failed, 1);
	assert_int_equal(d->stats.tunnel_auth_failures, 1);
	/* acknowledged at once, to the Tunnel ID the StopCCN assigned */
	assert_int_equal(h_waiting(h, p, 1), 1);
	pk = TAILQ_FIRST(&h->q);
	assert_true(pk->zlb);
	assert_int_equal(pk->nr, 1);
	assert_int_equal(pkt_tid(pk), 1401);
}

/*
 * An SCCRP with Protocol Version 2.0 gets StopCCN result 5 addressed to its
 * Assigned Tunnel ID (once the version was checked before the ID was read,
 * and the tunnel vanished without a word, leaving the LNS half-open).
 */
static void test_lac_sccrp_bad_version(void **state)
{
	struct harness *h = h_new(state, cfg_lac);
	struct l2tpd *d = &h->d;
	struct h_peer *p = h_peer_new(h, "192.0.2.2", 1411, H_SECRET);
	static const uint8_t v20[2] = { 2, 0 };
	struct l2tp_msgbuf *b;
	struct l2tp_msg *m;
	char err[128];

	assert_int_equal(l2tp_dial(d, h_group(h, "LAC"), 1, 0, err, sizeof(err)), 1);
	h_expect(h, p, L2TP_MSG_SCCRQ);
	b = h_msg(p, L2TP_MSG_SCCRP, 0);
	l2tp_avp_put(b, L2TP_AVP_PROTOCOL_VERSION, v20, sizeof(v20), 0);
	l2tp_avp_put_u32(b, L2TP_AVP_FRAMING_CAP, L2TP_FRAMING_SYNC, 0);
	l2tp_avp_put_str(b, L2TP_AVP_HOST_NAME, "lns1", 0);
	l2tp_avp_put_u16(b, L2TP_AVP_ASSIGNED_TUNNEL_ID, p->tid, 0);
	h_send(p);
	m = h_expect_result(h, p, L2TP_MSG_STOPCCN, L2TP_STOPCCN_BAD_VERSION, H_ANY);
	assert_int_equal(m->hdr.tunnel_id, 1411);
	assert_int_equal(msg_u16(m, L2TP_AVP_ASSIGNED_TUNNEL_ID), p->dtid);
}

/*
 * Regression (remote crash): while the LAC waits for the SCCRP, the peer
 * sends Ns 1 (held out of order), then an Ns 0 that makes the tunnel clear
 * itself with nobody to address a StopCCN to (peer_tid 0): an SCCRP with
 * Assigned Tunnel ID 0, or any session message (FSM error).
 * l2tp_tunnel_clear() then calls l2tp_tunnel_destroy() -> l2tp_ctrl_destroy()
 * from inside the channel's deliver callback used to free the channel while
 * l2tp_ctrl_deliver_in_order() went on with the held message
 * (clock_timer_start on a NULL clock).  Now the channel is only stopped
 * there and freed by the reaper; the tunnel must just go.  Each case runs in a child process so that the crash fails
 * this test only.
 */
static int lac_cleared_mid_delivery(struct harness *h, struct h_peer *p, int variant)
{
	uint8_t first[L2TP_MAX_MSG_LEN], second[L2TP_MAX_MSG_LEN];
	size_t l0, l1;
	int status;
	pid_t pid;

	if (variant == 0) {
		h_msg(p, L2TP_MSG_SCCRP, 0);
		l2tp_avp_put_version(&p->b);
		l2tp_avp_put_u32(&p->b, L2TP_AVP_FRAMING_CAP, L2TP_FRAMING_SYNC, 0);
		l2tp_avp_put_str(&p->b, L2TP_AVP_HOST_NAME, "lns1", 0);
		l2tp_avp_put_u16(&p->b, L2TP_AVP_ASSIGNED_TUNNEL_ID, 0, 0);
	} else {
		h_icrq(p, 1, 1);
	}
	l0 = h_seal(p, first, sizeof(first));		/* Ns 0 */
	h_hello(p);
	l1 = h_seal(p, second, sizeof(second));		/* Ns 1 */
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		/* no cmocka here: a failure must end this process, not resume
		 * the test run in it */
		signal(SIGSEGV, SIG_DFL);
		signal(SIGBUS, SIG_DFL);
		signal(SIGABRT, SIG_DFL);
		signal(SIGILL, SIG_DFL);
		signal(SIGFPE, SIG_DFL);
		h_deliver(p, second, l1);
		h_deliver(p, first, l0);
		if (h_tunnel(p) != NULL)
			_exit(3);
		if (h_waiting(h, p, 0) != 0)
			_exit(4);
		l2tp_tunnel_reap(&h->d);
		_exit(h->d.n_tunnels == 0 ? 0 : 5);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (WIFSIGNALED(status)) {
		print_error("variant %d: the daemon crashed (signal %d)\n", variant, WTERMSIG(status));
		return -1;
	}
	assert_true(WIFEXITED(status));
	if (WEXITSTATUS(status) != 0) {
		print_error("variant %d: child exit %d (3: tunnel kept, 4: message sent, "
			    "5: not reaped; other: sanitizer report)\n", variant, WEXITSTATUS(status));
		return -1;
	}
	return 0;
}

static void test_lac_cleared_mid_delivery(void **state)
{
	struct harness *h = h_new(state, cfg_lac);
	struct h_peer *p = h_peer_new(h, "192.0.2.2", 1421, H_SECRET);
	char err[128];
	int variant, failed = 0;

	assert_int_equal(l2tp_dial(&h->d, h_group(h, "LAC"), 1, 0, err, sizeof(err)), 1);
	h_expect(h, p, L2TP_MSG_SCCRQ);
	for (variant = 0; variant < 2; variant++) {
		if (lac_cleared_mid_delivery(h, p, variant) < 0)
			failed++;
		p->ns = 0;	/* the parent's tunnel saw neither */
	}
	assert_int_equal(failed, 0);
}

/*
 * Regression (counter): a malformed SCCRQ is refused with a StopCCN and
 * counted in stats.tunnels_refused (it was not: the count looked at the
 * wrong state).
 */
static void test_lns_malformed_sccrq(void **state)
{
	struct harness *h = h_new(state, cfg_lns);
	struct l2tpd *d = &h->d;
	struct h_peer *p = h_peer_new(h, "192.0.2.1", 1431, H_SECRET);
	struct l2tp_msgbuf *b;
	struct l2tp_msg *m;

	/* no Host Name: §6.1 requires one */
	b = h_msg(p, L2TP_MSG_SCCRQ, 0);
	l2tp_avp_put_version(b);
	l2tp_avp_put_u32(b, L2TP_AVP_FRAMING_CAP, L2TP_FRAMING_SYNC, 0);
	l2tp_avp_put_u16(b, L2TP_AVP_ASSIGNED_TUNNEL_ID, p->tid, 0);
	h_send(p);
	m = h_expect_result(h, p, L2TP_MSG_STOPCCN, L2TP_STOPCCN_GENERAL_ERROR, L2TP_ERR_BAD_VALUE);
	assert_int_equal(m->hdr.tunnel_id, 1431);
	h_expect_nothing(h, p);
	assert_int_equal(h_tunnel(p)->state, L2TP_TUNNEL_CLOSING);
	assert_int_equal(d->stats.tunnels_refused, 1);
}

/* The observer list (l2tp/observer.h): what a room above l2tp/ hears of one
 * tunnel and one call, and in which state; a full list is refused. */
struct obs_rec {
	unsigned tunnel_changed, tunnel_seq, tunnel_deleted, session_changed, session_deleted;
	enum l2tp_tunnel_state last_tunnel_state;
	enum l2tp_session_state last_session_state;
	int deleted_dead;		/* the tunnel was dead when said deleted */
};

static void obs_tunnel_changed(void *arg, struct l2tp_tunnel *t)
{
	struct obs_rec *r = arg;

	r->tunnel_changed++;
	r->last_tunnel_state = t->state;
}

static void obs_tunnel_seq(void *arg, struct l2tp_tunnel *t)
{
	((struct obs_rec *)arg)->tunnel_seq++;
}

static void obs_tunnel_deleted(void *arg, struct l2tp_tunnel *t)
{
	struct obs_rec *r = arg;

	r->tunnel_deleted++;
	r->deleted_dead = t->dead;
}

static void obs_session_changed(void *arg, struct l2tp_session *s)
{
	struct obs_rec *r = arg;

	r->session_changed++;
	r->last_session_state = s->state;
}

static void obs_session_deleted(void *arg, struct l2tp_session *s)
{
	((struct obs_rec *)arg)->session_deleted++;
}

static const struct l2tp_observer_ops obs_ops = {
	.tunnel_changed = obs_tunnel_changed,
	.tunnel_seq = obs_tunnel_seq,
	.tunnel_deleted = obs_tunnel_deleted,
	.session_changed = obs_session_changed,
	.session_deleted = obs_session_deleted,
};

static void test_observers(void **state)
{
	struct harness *h = h_new(state, cfg_lns);
	struct l2tpd *d = &h->d;
	struct obs_rec r = { 0 };
	struct h_peer *p;
	struct l2tp_tunnel *t;
	uint16_t dsid;
	uint64_t t0;

	assert_int_equal(l2tp_observer_add(d, &obs_ops, &r), 0);
	p = h_lns_tunnel(h, "192.0.2.9", 901, "lac1");
	t = h_tunnel(p);
	assert_non_null(t);
	assert_true(r.tunnel_changed >= 2);	/* WAIT_CTL_CONN, ESTABLISHED */
	assert_int_equal(r.last_tunnel_state, L2TP_TUNNEL_ESTABLISHED);
	assert_true(r.tunnel_seq > 0);
	dsid = h_lns_call(h, p, 9);
	assert_int_equal(r.session_changed, 2);	/* WAIT_CONNECT, ESTABLISHED */
	assert_int_equal(r.last_session_state, L2TP_SESSION_ESTABLISHED);
	h_cdn(p, dsid, 9, L2TP_CDN_ADMIN);
	h_send(p);
	assert_int_equal(r.session_deleted, 1);
	h_lns_call(h, p, 10);
	t0 = clock_now(&d->clk);
	h_stopccn(p, L2TP_STOPCCN_GENERAL);
	h_send(p);
	/* closing: its call goes at once, the tunnel lingers (§5.7) */
	assert_int_equal(r.last_tunnel_state, L2TP_TUNNEL_CLOSING);
	assert_int_equal(r.session_deleted, 2);
	assert_int_equal(r.tunnel_deleted, 0);
	advance_to(h, t0 + FULL_CYCLE_MS);
	assert_int_equal(r.tunnel_deleted, 1);
	assert_true(r.deleted_dead);
	/* ha/, aaa/ and metrics/ registered at l2tpd_init, this test one: two more fit */
	assert_int_equal(l2tp_observer_add(d, &obs_ops, &r), 0);
	assert_int_equal(l2tp_observer_add(d, &obs_ops, &r), 0);
	assert_int_equal(l2tp_observer_add(d, &obs_ops, &r), -ENOSPC);
}

#define T(f) cmocka_unit_test_setup_teardown(f, h_setup, h_teardown)

/* An ICCN for a call we do not hold (half made at a takeover): CDN to
 * Session ID 0 naming the call by the ID the peer addressed. */
static void test_iccn_unknown_session(void **state)
{
	struct harness *h = h_new(state, cfg_lns);
	struct h_peer *p = h_lns_tunnel(h, "192.0.2.7", 77, "lac1");
	struct l2tp_msg *m;
	uint16_t v = 0;

	h_flush_acks(h);
	h_drain(h);
	h_iccn(p, 4242);
	h_send(p);
	m = h_expect_result(h, p, L2TP_MSG_CDN, L2TP_CDN_GENERAL_ERROR, L2TP_ERR_BAD_SESSION_ID);
	assert_int_equal(m->hdr.session_id, 0);
	assert_int_equal(l2tp_msg_get_u16(m, L2TP_AVP_ASSIGNED_SESSION_ID, &v), 0);
	assert_int_equal(v, 4242);
}

/*
 * §8.1, the LAC's source port: the first tunnel to an LNS from 1701, a
 * second one to the same LNS from an ephemeral port (one kernel tunnel per
 * 4-tuple), one to another LNS from 1701 again, and 1701 again once the
 * first is gone (twice: the daemon remembers which tunnel holds 1701);
 * `l2tp tunnel source-port` fixes it.
 */
static void test_lac_source_port(void **state)
{
	static const char cfg[] =
		"hostname lac1\n"
		"vpdn enable\n"
		"vpdn-group LAC\n"
		" request-dialin\n"
		"  protocol l2tp\n"
		" initiate-to ip 192.0.2.2\n"
		" local name lac1\n"
		"vpdn-group LAC2\n"
		" request-dialin\n"
		"  protocol l2tp\n"
		" initiate-to ip 192.0.2.3\n"
		" local name lac1\n"
		"vpdn-group FIXED\n"
		" request-dialin\n"
		"  protocol l2tp\n"
		" initiate-to ip 192.0.2.2\n"
		" l2tp tunnel source-port 5000\n";
	struct harness *h = h_new(state, cfg);
	struct l2tp_tunnel *t1, *t2, *t3, *t4, *t5;
	int err = 0;

	t1 = l2tp_tunnel_open(&h->d, h_group(h, "LAC"), &err);
	assert_non_null(t1);
	assert_int_equal(ntohs(t1->local.sin_port), 1701);
	t2 = l2tp_tunnel_open(&h->d, h_group(h, "LAC"), &err);
	assert_non_null(t2);
	assert_int_equal(ntohs(t2->local.sin_port), 0);	/* ephemeral */
	t3 = l2tp_tunnel_open(&h->d, h_group(h, "LAC2"), &err);
	assert_non_null(t3);
	assert_int_equal(ntohs(t3->local.sin_port), 1701);
	t4 = l2tp_tunnel_open(&h->d, h_group(h, "FIXED"), &err);
	assert_non_null(t4);
	assert_int_equal(ntohs(t4->local.sin_port), 5000);
	l2tp_tunnel_destroy(t1);	/* dead, not reaped yet: its port is free */
	t5 = l2tp_tunnel_open(&h->d, h_group(h, "LAC"), &err);
	assert_non_null(t5);
	assert_int_equal(ntohs(t5->local.sin_port), 1701);
	/* The one that holds 1701 toward that LNS is remembered, and
	 * forgotten when it goes: a mass dial asks no scan of every tunnel. */
	t2 = l2tp_tunnel_open(&h->d, h_group(h, "LAC"), &err);
	assert_non_null(t2);
	assert_int_equal(ntohs(t2->local.sin_port), 0);
	l2tp_tunnel_destroy(t5);
	t5 = l2tp_tunnel_open(&h->d, h_group(h, "LAC"), &err);
	assert_non_null(t5);
	assert_int_equal(ntohs(t5->local.sin_port), 1701);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_lac_source_port),
		T(test_lns_lifecycle),
		T(test_lns_auth_failures),
		T(test_lns_answers_challenge),
		T(test_lns_challenged_without_secret),
		T(test_lns_no_group),
		T(test_lns_bad_version),
		T(test_lns_sccrq_retransmitted),
		T(test_unexpected_tunnel_messages),
		T(test_unexpected_session_messages),
		T(test_unknown_avps),
		T(test_malformed_iccn),
		T(test_out_of_order_and_duplicate),
		T(test_lac_dial),
		T(test_lac_bad_sccrp),
		T(test_lac_no_answer),
		T(test_lac_outgoing_call),
		T(test_lns_call_out),
		T(test_tie_breaker_we_win),
		T(test_tie_breaker_we_lose),
		T(test_shutdown),
		/* known bugs, see above */
		T(test_lac_stopccn_before_sccrp),
		T(test_lac_sccrp_bad_version),
		T(test_lac_cleared_mid_delivery),
		T(test_lns_malformed_sccrq),
		T(test_iccn_unknown_session),
		T(test_observers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
