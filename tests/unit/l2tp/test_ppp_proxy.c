/*
 * The LNS honours what the LAC proxied (RFC 2661 §4.4.5, l2tp/ppp_proxy.c,
 * ppp/proxy.c): with acceptable proxy LCP it starts in the Authenticate
 * phase without a Configure-Request, checks the proxied PAP or CHAP-MD5
 * credentials and answers the subscriber with its Identifier; a wrong
 * password is refused (CDN with the RFC 3145 cause); a mismatch is
 * renegotiated (`lcp renegotiation on-mismatch`) or refused (not
 * configured); `lcp renegotiation always` ignores the proxy.  The
 * subscriber is a real PPP link (fake_subscriber.h) left by the proxy in
 * LCP Opened, waiting for the verdict.
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
#include "fake_subscriber.h"
#include "core/ippool.h"
#include "l2tp/call_info.h"
#include "l2tp/ppp.h"
#include "l2tp/session.h"
#include "l2tp/tunnel.h"
#include "ppp/ppp.h"

#define CFG_HEAD \
	"hostname lns1\n" \
	"vpdn enable\n" \
	"username alice password apass\n" \
	"ip local pool P1 10.1.0.1 10.1.0.50\n" \
	"interface Virtual-Template 1\n" \
	" ip address 10.0.0.1 255.255.255.255\n" \
	" peer default ip address pool P1\n" \
	" no keepalive\n" \
	" ppp authentication pap chap\n" \
	"vpdn-group LNS\n" \
	" accept-dialin\n" \
	"  protocol l2tp\n" \
	"  virtual-template 1\n"
#define CFG_TAIL \
	" local name lns1\n" \
	" l2tp tunnel password s3cret\n" \
	" l2tp tunnel hello 0\n"

static const char cfg_never[] = CFG_HEAD CFG_TAIL;
static const char cfg_mismatch[] = CFG_HEAD "  lcp renegotiation on-mismatch\n" CFG_TAIL;
static const char cfg_always[] = CFG_HEAD "  lcp renegotiation always\n" CFG_TAIL;

struct t_call {
	struct fake_subscriber *u;
	struct l2tp_session *s;
	uint16_t dsid;
};

/* A call whose ICCN carries ci, its subscriber opened as the proxy left
 * it (proxied) or from scratch; the frames are not moved yet. */
static void t_call(struct harness *h, struct fake_subscribers *subs, struct h_peer *lac,
		   uint16_t peer_sid, const struct l2tp_call_info *ci, const char *pass,
		   int proxied, struct t_call *c)
{
	struct l2tp_msgbuf *b;
	struct l2tp_msg *m;
	struct ppp_config pc;
	struct ppp_proxy px;

	h_flush_acks(h);
	h_drain(h);
	h_icrq(lac, peer_sid, peer_sid);
	h_send(lac);
	m = h_expect(h, lac, L2TP_MSG_ICRP);
	c->dsid = 0;
	assert_int_equal(l2tp_msg_get_u16(m, L2TP_AVP_ASSIGNED_SESSION_ID, &c->dsid), 0);
	c->u = fake_subscriber_add(subs, lac, peer_sid);
	c->u->sid = c->dsid;
	fake_subscriber_config(&pc, ci->auth_name, pass);
	if (proxied) {
		memset(&px, 0, sizeof(px));
		px.our_req = ci->lcp_last_rcvd;
		px.our_len = ci->lcp_last_rcvd_len;
		px.peer_req = ci->lcp_last_sent;
		px.peer_len = ci->lcp_last_sent_len;
		px.has_auth = 1;
		px.auth.method = ci->auth_type == L2TP_PROXY_AUTH_CHAP ? PPP_AUTH_CHAP_MD5 :
								       PPP_AUTH_PAP;
		px.auth.id = ci->auth_id;
		fake_subscriber_open_proxied(c->u, &pc, &px);
	} else {
		fake_subscriber_open(c->u, &pc);
	}
	b = h_iccn(lac, c->dsid);
	l2tp_call_info_put_iccn(ci, b, 0);
	h_send(lac);
	c->s = l2tp_session_find(h_tunnel(lac), c->dsid);
}

static struct harness *t_new(void **state, const char *cfg, struct fake_subscribers **subs,
			     struct h_peer **lac)
{
	struct harness *h = h_new(state, cfg);

	*subs = fake_subscribers_new(h);
	assert_int_equal(ippool_setup(&h->d.pools, &h->d.cfg), 0);
	clock_advance(&h->d.clk, 1000000);
	*lac = h_lns_tunnel(h, "192.0.2.9", 301, "lac1");
	return h;
}

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint64_t lns_conf_reqs(const struct l2tp_session *s)
{
	struct ppp_stats st;

	ppp_get_stats(s->ppp, &st);
	return st.lcp.tx_conf_req;
}

static void sub_lcp(const struct fake_subscriber *u, uint64_t *req, uint64_t *ack)
{
	struct ppp_stats st;

	ppp_get_stats(u->ppp, &st);
	*req = st.lcp.tx_conf_req;
	*ack = st.lcp.tx_conf_ack;
}

/* PAP and CHAP-MD5 proxied and accepted: authenticated once, no LCP
 * Configure-Request either way, IPCP up with an address.  At info the
 * session logs its call established and its PPP up, nothing between; the
 * proxy's steps are debug l2tp event lines (switched on for CHAP). */
static void proxy_accepted(void **state, int chap)
{
	struct fake_subscribers *subs;
	struct h_peer *lac;
	struct harness *h = t_new(state, cfg_never, &subs, &lac);
	struct l2tp_call_info ci;
	struct t_call c;
	uint64_t req, ack;
	static struct log_buf b;

	h->d.log.level = LOG_INFO;
	h->d.log.debug = chap ? LOG_DBG_EVENT : 0;
	log_buffer_on(&h->d.log, &b);
	memset(&ci, 0, sizeof(ci));
	assert_int_equal(l2tp_ppp_proxy_play(&ci, "alice", "apass", chap), 0);
	t_call(h, subs, lac, 5, &ci, "apass", 1, &c);
	assert_non_null(c.s);
	assert_non_null(c.s->ppp);
	/* past LCP at once: the local users answered, IPCP runs */
	assert_int_equal(ppp_get_phase(c.s->ppp), PPP_PHASE_NETWORK);
	assert_true(h->d.stats.proxy_accepted == 1);
	fake_subscribers_pump(subs, lac);
	assert_int_equal(c.u->ups, 1);
	assert_int_equal(c.u->up, 1);
	assert_true(c.u->st.local_addr.s_addr != 0);
	assert_string_equal(c.s->user, "alice");
	assert_int_equal(lns_conf_reqs(c.s), 0);
	sub_lcp(c.u, &req, &ack);
	assert_int_equal(req, 0);
	assert_int_equal(ack, 0);
	assert_true(h->d.stats.ppp_auth_ok == 1);
	assert_true(h->d.stats.proxy_renegotiated == 0);
	/* the negotiated magic numbers are the proxy's, both ends */
	assert_int_equal(c.s->ppp->lcp.peer_magic, rd32(ci.lcp_last_rcvd + 6));
	assert_int_equal(c.s->ppp->lcp.magic, rd32(ci.lcp_last_sent + ci.lcp_last_sent_len - 4));
	assert_int_equal(c.s->ppp->lcp.peer_mru, 1492);
	assert_int_equal(c.s->ppp->lcp.peer_magic, c.u->ppp->lcp.magic);
	assert_int_equal(c.s->ppp->lcp.magic, c.u->ppp->lcp.peer_magic);
	assert_int_equal(h_log_lines_with(&b, ": info: session "), 2);
	assert_int_equal(h_log_lines_with(&b, "established (peer session 5"), 1);
	assert_int_equal(h_log_lines_with(&b, "PPP up: user \"alice\""), 1);
	assert_int_equal(h_log_lines_with(&b, "LCP from the LAC's proxy: MRU "), chap ? 1 : 0);
	assert_int_equal(h_log_lines_with(&b, "opened as proxied by the LAC: chap Identifier "),
			 chap ? 1 : 0);
	h->d.log.buf = NULL;	/* nothing for stderr */
	h->d.log.level = LOG_CRIT;
	h->d.log.debug = 0;
}

static void test_proxy_pap_accepted(void **state)
{
	proxy_accepted(state, 0);
}

static void test_proxy_chap_accepted(void **state)
{
	proxy_accepted(state, 1);
}

/* A wrong proxied password: PAP Nak to the subscriber, the call cleared
 * with a CDN (result and RFC 3145 cause 16), counted as refused. */
static void test_proxy_wrong_password(void **state)
{
	struct fake_subscribers *subs;
	struct h_peer *lac;
	struct harness *h = t_new(state, cfg_never, &subs, &lac);
	struct l2tp_call_info ci;
	struct l2tp_msg *m;
	struct t_call c;
	const uint8_t *v;
	size_t len;

	memset(&ci, 0, sizeof(ci));
	assert_int_equal(l2tp_ppp_proxy_play(&ci, "alice", "wrong", 0), 0);
	t_call(h, subs, lac, 6, &ci, "wrong", 1, &c);
	assert_non_null(c.s);
	h_flush_acks(h);
	h_drain(h);
	/* the Nak reaches the subscriber, the LNS clears the call (LCP
	 * Terminate, then the CDN); the captured messages are kept */
	fake_subscribers_pump(subs, NULL);
	clock_advance(&h->d.clk, 1);
	m = h_expect(h, lac, L2TP_MSG_CDN);
	assert_int_equal(m->hdr.session_id, 6);
	assert_int_equal(l2tp_msg_get_bytes(m, L2TP_AVP_PPP_DISCONNECT_CAUSE, &v, &len), 0);
	assert_true(len >= 5);
	assert_int_equal(v[0] << 8 | v[1], L2TP_PPP_DISC_AUTH_FAILED);
	assert_true(h->d.stats.proxy_refused == 1);
	assert_true(h->d.stats.ppp_auth_failures == 1);
	assert_null(l2tp_session_find(h_tunnel(lac), c.dsid));
}

/* The LAC asked CHAP; an LNS that only takes PAP cannot use the proxy:
 * `on-mismatch` negotiates LCP again (the subscriber then authenticates
 * with PAP), no renegotiation configured refuses the call. */
static void test_proxy_mismatch_renegotiated(void **state)
{
	static const char cfg_pap_only[] =
		"hostname lns1\n"
		"vpdn enable\n"
		"username alice password apass\n"
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
		"  lcp renegotiation on-mismatch\n"
		" local name lns1\n"
		" l2tp tunnel password s3cret\n"
		" l2tp tunnel hello 0\n";
	struct fake_subscribers *subs;
	struct h_peer *lac;
	struct harness *h = t_new(state, cfg_pap_only, &subs, &lac);
	struct l2tp_call_info ci;
	struct t_call c;
	uint64_t req, ack;

	memset(&ci, 0, sizeof(ci));
	assert_int_equal(l2tp_ppp_proxy_play(&ci, "alice", "apass", 1), 0);
	t_call(h, subs, lac, 7, &ci, "apass", 1, &c);
	assert_non_null(c.s);
	assert_true(h->d.stats.proxy_renegotiated == 1);
	assert_true(h->d.stats.proxy_accepted == 0);
	fake_subscribers_pump(subs, lac);
	assert_int_equal(c.u->ups, 1);
	assert_true(lns_conf_reqs(c.s) >= 1);	/* LCP negotiated again */
	sub_lcp(c.u, &req, &ack);
	assert_true(ack >= 1);
	assert_int_equal(c.s->ppp->auth_method, PPP_AUTH_PAP);
}

static void test_proxy_mismatch_refused(void **state)
{
	struct fake_subscribers *subs;
	struct h_peer *lac;
	struct harness *h = t_new(state, cfg_never, &subs, &lac);
	struct l2tp_call_info ci;
	struct l2tp_msg *m;
	struct t_call c;
	const uint8_t *v;
	size_t len;

	memset(&ci, 0, sizeof(ci));
	assert_int_equal(l2tp_ppp_proxy_play(&ci, "alice", "apass", 0), 0);
	/* the subscriber asked for ACFC, which this LNS rejects */
	ci.lcp_last_rcvd[ci.lcp_last_rcvd_len++] = 8;
	ci.lcp_last_rcvd[ci.lcp_last_rcvd_len++] = 2;
	t_call(h, subs, lac, 8, &ci, "apass", 0, &c);
	assert_null(c.s);
	m = h_expect_result(h, lac, L2TP_MSG_CDN, L2TP_CDN_NO_FACILITIES_PERM, H_ANY);
	assert_int_equal(l2tp_msg_get_bytes(m, L2TP_AVP_PPP_DISCONNECT_CAUSE, &v, &len), 0);
	assert_int_equal(v[0] << 8 | v[1], L2TP_PPP_DISC_RENEG_DISABLED);
	assert_true(h->d.stats.proxy_refused == 1);
}

/* `lcp renegotiation always`: the proxy is ignored. */
static void test_proxy_always_renegotiates(void **state)
{
	struct fake_subscribers *subs;
	struct h_peer *lac;
	struct harness *h = t_new(state, cfg_always, &subs, &lac);
	struct l2tp_call_info ci;
	struct t_call c;

	memset(&ci, 0, sizeof(ci));
	assert_int_equal(l2tp_ppp_proxy_play(&ci, "alice", "apass", 0), 0);
	t_call(h, subs, lac, 9, &ci, "apass", 0, &c);
	assert_non_null(c.s);
	assert_int_equal(ppp_get_phase(c.s->ppp), PPP_PHASE_ESTABLISH);
	fake_subscribers_pump(subs, lac);
	assert_int_equal(c.u->ups, 1);
	assert_true(lns_conf_reqs(c.s) >= 1);
	assert_true(h->d.stats.proxy_renegotiated == 1);
	assert_true(h->d.stats.proxy_accepted == 0);
}

static const struct ppp_ops no_ops;

/* MS-CHAPv2 cannot be proxied: an LCP that asked it is renegotiated. */
static void test_proxy_mschapv2_renegotiated(void **state)
{
	struct fake_subscribers *subs;
	struct h_peer *lac;
	struct harness *h = t_new(state, cfg_mismatch, &subs, &lac);
	struct l2tp_call_info ci;
	struct t_call c;
	char why[128] = "";
	struct ppp_proxy px;

	memset(&ci, 0, sizeof(ci));
	assert_int_equal(l2tp_ppp_proxy_play(&ci, "alice", "apass", 1), 0);
	/* the LAC's auth option: CHAP algorithm 0x81 (MS-CHAPv2) */
	assert_int_equal(ci.lcp_last_sent[8], 5);
	ci.lcp_last_sent[8] = 0x81;
	ci.flags &= ~(unsigned)L2TP_CI_PROXY_AUTH;	/* no type for it (§4.4.5) */
	t_call(h, subs, lac, 10, &ci, "apass", 0, &c);
	assert_non_null(c.s);
	assert_true(h->d.stats.proxy_renegotiated == 1);
	fake_subscribers_pump(subs, lac);
	assert_int_equal(c.u->ups, 1);
	/* and ppp_open_proxy says why */
	memset(&px, 0, sizeof(px));
	px.our_req = ci.lcp_last_sent;
	px.our_len = ci.lcp_last_sent_len;
	px.peer_req = ci.lcp_last_rcvd;
	px.peer_len = ci.lcp_last_rcvd_len;
	{
		struct ppp_config pc;
		struct ppp *p;

		ppp_config_init(&pc);
		pc.auth[0] = PPP_AUTH_MSCHAPV2;
		pc.n_auth = 1;
		p = ppp_new(&pc, &no_ops, NULL, &h->d.clk, &h->d.log, "t: ");
		assert_non_null(p);
		assert_int_equal(ppp_open_proxy(p, &px, why, sizeof(why)), -EPROTO);
		assert_non_null(strstr(why, "ms-chap-v2 not acceptable by proxy"));
		ppp_free(p);
	}
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, h_setup, h_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_proxy_pap_accepted),
		T(test_proxy_chap_accepted),
		T(test_proxy_wrong_password),
		T(test_proxy_mismatch_renegotiated),
		T(test_proxy_mismatch_refused),
		T(test_proxy_always_renegotiates),
		T(test_proxy_mschapv2_renegotiated),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
