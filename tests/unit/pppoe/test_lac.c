/*
 * The LAC's PPP of a PPPoE session (pppoe/lac.c): a subscriber played by
 * our own PPP stack (peer role) behind a fake access port (tests/unit/lib/
 * fake_pppoe_sub.h; its frames read from a faked kernel path, fake_dp.h,
 * when the session is terminated in pppN), an LNS played by a scripted
 * L2TP peer (tests/unit/lib/harness.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fake_dp.h"
#include "fake_pppoe_sub.h"
#include "fake_radius.h"
#include "golden.h"
#include "harness.h"
#include "cli/cmd.h"
#include "cli/config_reload.h"
#include "core/ippool.h"
#include "core/out.h"
#include "kernel_glue/dp.h"
#include "l2tp/msg.h"
#include "l2tp/proto.h"
#include "l2tp/session.h"
#include "l2tp/tunnel.h"
#include "ppp/ppp.h"
#include "pppoe/access.h"

static const uint8_t port_mac[6] = { 0x02, 0xac, 0x00, 0x00, 0x00, 0x01 };

static struct fake_sub S;

static struct harness *lac_new(void **state, const char *extra)
{
	char cfg[2048];
	struct harness *h;
	char err[256];

	snprintf(cfg, sizeof cfg,
		 FAKE_SUB_CFG_LAC
		 FAKE_SUB_CFG_LOCAL_USER
		 FAKE_SUB_CFG_LOCAL_VT
		 " ppp authentication pap chap\n"
		 FAKE_SUB_CFG_BBA
		 " lcp timeout 5\n"
		 FAKE_SUB_CFG_ETH1 "%s", extra);
	h = h_new(state, cfg);
	assert_int_equal(ippool_setup(&h->d.pools, &h->d.cfg), 0);
	memset(&S, 0, sizeof S);
	S.h = h;
	S.port_mac = port_mac;
	h->data_rx = fake_sub_lns_rx;
	h->data_arg = &S;
	assert_int_equal(pppoe_access_start(&h->d, &fake_sub_port_ops, &S, err, sizeof err), 0);
	return h;
}

/* What the ICRQ said of the line (RFC 2661 §4.4.4, RFC 5515 §4). */
struct icrq_seen {
	char calling[80], remote_id[80];
	uint64_t rate_down;		/* 0: absent */
};

/* h_lac_answer(), the Host Name of the SCCRQ kept in host. */
static void lns_answer_sccrq(struct harness *h, struct h_peer *p, char *host, size_t size)
{
	struct l2tp_msg *m = h_expect(h, p, L2TP_MSG_SCCRQ);
	uint8_t chal[16], resp[16], want[16];

	assert_int_equal(l2tp_msg_get_str(m, L2TP_AVP_HOST_NAME, host, size), 0);
	h_get_bytes(m, L2TP_AVP_CHALLENGE, chal, sizeof(chal));
	h_sccrp(p, "lns1");
	h_put_response(p, L2TP_MSG_SCCRP, H_SECRET, chal, sizeof(chal));
	h_put_challenge(p);
	h_send(p);
	m = h_expect(h, p, L2TP_MSG_SCCCN);
	h_get_bytes(m, L2TP_AVP_CHALLENGE_RESPONSE, resp, sizeof(resp));
	l2tp_auth_response(L2TP_MSG_SCCCN, (const uint8_t *)H_SECRET, strlen(H_SECRET),
			   p->challenge, sizeof(p->challenge), want);
	assert_memory_equal(resp, want, sizeof(want));
}

/* The call the LAC placed: its tunnel answered (the SCCRQ's Host Name in
 * host when not NULL), the ICRQ read, the ICCN returned. */
static struct l2tp_msg *lns_take_call_host(struct harness *h, struct h_peer *p,
					   struct icrq_seen *q, char *host, size_t size)
{
	struct l2tp_msg *m;

	if (host != NULL)
		lns_answer_sccrq(h, p, host, size);
	else
		h_lac_answer(h, p, "lns1");
	m = h_expect(h, p, L2TP_MSG_ICRQ);
	assert_int_equal(l2tp_msg_get_u16(m, L2TP_AVP_ASSIGNED_SESSION_ID, &S.lns_sid), 0);
	S.lns_tid = p->dtid;
	memset(q, 0, sizeof(*q));
	assert_int_equal(l2tp_msg_get_str(m, L2TP_AVP_CALLING_NUMBER, q->calling,
					  sizeof q->calling), 0);
	l2tp_msg_get_vstr(m, L2TP_VENDOR_BBF, L2TP_BBF_AGENT_REMOTE_ID, q->remote_id,
			  sizeof q->remote_id);
	l2tp_msg_get_vu64(m, L2TP_VENDOR_BBF, L2TP_BBF_ACTUAL_RATE_DOWN, &q->rate_down);
	h_icrp(p, S.lns_sid, 501);
	h_send(p);
	return h_expect(h, p, L2TP_MSG_ICCN);
}

static struct l2tp_msg *lns_take_call(struct harness *h, struct h_peer *p, struct icrq_seen *q)
{
	return lns_take_call_host(h, p, q, NULL, 0);
}

static const struct pppoe_session *only_session(struct harness *h)
{
	return TAILQ_FIRST(&h->d.access->ac->sessions);
}

/* PAP: LCP and PAP with the LAC, the call to the LNS of the domain with
 * the proxy and the access line, the LNS's PAP-Ack relayed, IPCP relayed
 * both ways; the LNS's CDN ends the PPPoE session with a PADT. */
static void test_lac_pap_call(void **state)
{
	struct harness *h = lac_new(state, "");
	struct h_peer *p = h_peer_new(h, "192.0.2.2", 901, H_SECRET);
	struct l2tp_msg *m;
	struct icrq_seen q;
	const struct pppoe_lac_stats *st = &h->d.access->lac;
	uint8_t pap_ack[] = { 0xc0, 0x23, 0x02, 0x00, 0x00, 0x05, 0x00 };
	char str[80];
	const uint8_t *v;
	size_t len;
	uint32_t u32;
	uint16_t u16;
	struct out o;

	h_at_free(h, fake_sub_free, &S);
	fake_sub_dial(&S, 0x11, 1, "alice@isp.example", "wonderland");
	assert_int_equal(st->calls_placed, 1);
	assert_false(S.up);
	m = lns_take_call(h, p, &q);
	/* ICCN: proxy LCP (all three), proxy PAP, the line's speeds */
	assert_int_equal(l2tp_msg_get_bytes(m, L2TP_AVP_INITIAL_RCVD_LCP_CONFREQ, &v, &len), 0);
	assert_true(len > 0);
	assert_int_equal(l2tp_msg_get_bytes(m, L2TP_AVP_LAST_SENT_LCP_CONFREQ, &v, &len), 0);
	assert_true(len > 0);
	assert_int_equal(l2tp_msg_get_bytes(m, L2TP_AVP_LAST_RCVD_LCP_CONFREQ, &v, &len), 0);
	assert_true(len > 0);
	assert_int_equal(l2tp_msg_get_u16(m, L2TP_AVP_PROXY_AUTHEN_TYPE, &u16), 0);
	assert_int_equal(u16, L2TP_PROXY_AUTH_PAP);
	assert_int_equal(l2tp_msg_get_str(m, L2TP_AVP_PROXY_AUTHEN_NAME, str, sizeof str), 0);
	assert_string_equal(str, "alice@isp.example");
	assert_int_equal(l2tp_msg_get_bytes(m, L2TP_AVP_PROXY_AUTHEN_RESPONSE, &v, &len), 0);
	assert_int_equal(len, 10);
	assert_memory_equal(v, "wonderland", 10);
	assert_int_equal(l2tp_msg_get_u16(m, L2TP_AVP_PROXY_AUTHEN_ID, &u16), 0);
	pap_ack[3] = (uint8_t)u16;	/* the LNS answers the subscriber's request */
	assert_int_equal(l2tp_msg_get_u32(m, L2TP_AVP_TX_CONNECT_SPEED, &u32), 0);
	assert_int_equal(u32, 16000000);
	assert_int_equal(l2tp_msg_get_u32(m, L2TP_AVP_RX_CONNECT_SPEED, &u32), 0);
	assert_int_equal(u32, 1000000);
	/* ICRQ: Calling Number from the Agent-Circuit-Id; RFC 5515 */
	assert_string_equal(q.calling, "dslam1 atm 7");
	assert_string_equal(q.remote_id, "cpe-42");
	assert_int_equal(q.rate_down, 16000000);
	assert_int_equal(st->calls_up, 1);
	/* the LNS's verdict reaches the subscriber, IPCP goes both ways */
	fake_sub_lns_send(&S, p, pap_ack, sizeof pap_ack);
	assert_int_equal(st->relayed_down, 1);
	assert_true(S.n_to_lns > 0);		/* the subscriber's IPCP Configure-Request */
	assert_int_equal(S.to_lns[0].b[0], 0xff);
	assert_int_equal(S.to_lns[0].b[2] << 8 | S.to_lns[0].b[3], PPP_PROTO_IPCP);
	assert_int_equal(st->relayed_up, S.n_to_lns);
	assert_int_equal(ppp_get_phase(S.ppp), PPP_PHASE_NETWORK);
	/* show pppoe session: relaying, with the call (golden "pppoe_lac") */
	golden_begin("pppoe_lac");
	golden_show(&h->d, "show_pppoe_session", "show pppoe session");
	golden_show(&h->d, "show_pppoe_statistics", "show pppoe statistics");
	golden_end();
	out_init(&o, 1);
	assert_int_equal(cmd_exec(&h->d, "show pppoe session", &o), 0);
	snprintf(str, sizeof str, "\"l2tp_tunnel_id\":%u", S.lns_tid);
	assert_non_null(strstr(o.buf, str));
	assert_non_null(strstr(o.buf, "\"ppp_state\":\"relaying\""));
	assert_non_null(strstr(o.buf, "\"user\":\"alice@isp.example\""));
	out_free(&o);
	/* the LNS clears the call: PADT to the subscriber */
	h_cdn(p, S.lns_sid, 501, L2TP_CDN_ADMIN);
	h_send(p);
	clock_advance(&h->d.clk, 1);
	assert_int_equal(S.padt_rx, 1);
	assert_null(only_session(h));
	assert_int_equal(st->cleared_by_cdn, 1);
}

/* CHAP, then the subscriber's PADT: a CDN with the RFC 3145 cause. */
static void test_lac_chap_padt(void **state)
{
	struct harness *h = lac_new(state, "interface Virtual-Template1\n"
				    " ppp authentication chap\n");
	struct h_peer *p = h_peer_new(h, "192.0.2.2", 902, H_SECRET);
	struct l2tp_msg *m;
	struct icrq_seen q;
	const uint8_t *v;
	size_t len;
	uint16_t u16;

	h_at_free(h, fake_sub_free, &S);
	fake_sub_dial(&S, 0x12, 0, "bob@isp.example", "builder");
	m = lns_take_call(h, p, &q);
	assert_int_equal(l2tp_msg_get_u16(m, L2TP_AVP_PROXY_AUTHEN_TYPE, &u16), 0);
	assert_int_equal(u16, L2TP_PROXY_AUTH_CHAP);
	assert_int_equal(l2tp_msg_get_bytes(m, L2TP_AVP_PROXY_AUTHEN_CHALLENGE, &v, &len), 0);
	assert_true(len > 0);
	assert_int_equal(l2tp_msg_get_bytes(m, L2TP_AVP_PROXY_AUTHEN_RESPONSE, &v, &len), 0);
	assert_int_equal(len, 16);
	/* no access line: Calling Number is the MAC */
	assert_string_equal(q.calling, "02:00:00:00:00:12");
	assert_int_equal(q.rate_down, 0);
	fake_sub_padt(&S);
	m = h_expect_result(h, p, L2TP_MSG_CDN, L2TP_CDN_LOST_CARRIER, H_ANY);
	assert_int_equal(l2tp_msg_get_bytes(m, L2TP_AVP_PPP_DISCONNECT_CAUSE, &v, &len), 0);
	assert_int_equal(v[1], L2TP_PPP_DISC_NORMAL);
	assert_int_equal(v[4], L2TP_PPP_DISC_AT_PEER);
	assert_null(only_session(h));
}

/* A subscriber that never finishes LCP is cleared (PADT) after `lcp
 * timeout`, counted; one that did is untouched. */
static void test_lac_lcp_timeout(void **state)
{
	struct harness *h = lac_new(state, "");
	const struct pppoe_lac_stats *st = &h->d.access->lac;
	const struct pppoe_session *s;

	h_at_free(h, fake_sub_free, &S);
	fake_sub_dial(&S, 0x13, 0, "loc@home.example", "lpw");	/* terminated here */
	assert_true(S.up);
	fake_sub_dial(&S, 0x14, 0, NULL, NULL);		/* silent */
	clock_advance(&h->d.clk, 4900);
	assert_int_equal(st->lcp_timeouts, 0);
	S.n_to_sub = 0;
	clock_advance(&h->d.clk, 200);
	assert_int_equal(st->lcp_timeouts, 1);
	assert_int_equal(S.padt_rx, 1);
	s = only_session(h);
	assert_non_null(s);
	assert_int_equal(s->mac[5], 0x13);
	assert_null(TAILQ_NEXT(s, link));
}

/* No vpdn-group for the domain: terminated here, an address from the
 * template's pool; a wrong password and a template without a pool are
 * refused. */
static void test_lac_local(void **state)
{
	struct harness *h = lac_new(state, "");
	const struct pppoe_lac_stats *st = &h->d.access->lac;
	struct pppoe_lac_info li;
	char a[16];

	h_at_free(h, fake_sub_free, &S);
	fake_sub_dial(&S, 0x15, 0, "loc@home.example", "lpw");
	assert_true(S.up);
	assert_string_equal(inet_ntop(AF_INET, &S.addr, a, sizeof a), "10.99.0.1");
	assert_int_equal(ippool_in_use(h->d.pools, "LOCAL"), 1);
	assert_int_equal(pppoe_lac_info(only_session(h), &li), 0);
	assert_int_equal(li.state, PPPOE_LAC_LOCAL_UP);
	assert_int_equal(li.tunnel_id, 0);
	assert_int_equal(st->local_up, 1);
	assert_int_equal(st->calls_placed, 0);
	fake_sub_free(&S);
	S.up = 0;
	fake_sub_dial(&S, 0x16, 0, "loc@home.example", "wrong");
	assert_false(S.up);
	assert_int_equal(st->local_refused, 1);
	/* the address goes back with the session */
	pppoe_session_close(h->d.access->ac, (struct pppoe_session *)only_session(h),
			    PPPOE_END_CLEAR);
	clock_advance(&h->d.clk, 1);
	assert_null(only_session(h));
	assert_int_equal(ippool_in_use(h->d.pools, "LOCAL"), 0);
	fake_sub_free(&S);
	fake_sub_dial(&S, 0x17, 0, "loc@home.example", "lpw");
	assert_true(S.up);
	assert_int_equal(ippool_in_use(h->d.pools, "LOCAL"), 1);
}

static void test_lac_local_no_pool(void **state)
{
	struct harness *h = lac_new(state, "interface Virtual-Template1\n"
				    " no peer default ip address pool\n");

	h_at_free(h, fake_sub_free, &S);
	fake_sub_dial(&S, 0x18, 0, "loc@home.example", "lpw");
	assert_false(S.up);
	assert_int_equal(h->d.access->lac.local_refused, 1);
	assert_int_equal(h->d.access->lac.local_up, 0);
}

/* -d linux: a subscriber terminated here gets its own pppN as an LNS
 * session does: the kernel's PPPoE session (open), a unit on its channel
 * once authenticated (unit), configured when IPCP opens (configure: MRU,
 * MTU from the PPPoE payload, the /32 pair, up, the adjust-mss group);
 * LCP and PAP on the channel, IPCP on the unit; the PADT closes it all. */
static void test_lac_local_kernel(void **state)
{
	struct harness *h = lac_new(state, "interface Virtual-Template1\n"
				    " ip tcp adjust-mss 1400\n"
				    " mtu 1500\n");
	const struct dp_ppp_config *c;
	struct fake_dp *F;
	char want[96], a[16];

	F = S.dp = fake_dp_attach(h);
	fake_dp_pppoe(F);
	h_at_free(h, fake_sub_free, &S);
	fake_sub_dial(&S, 0x31, 0, "loc@home.example", "lpw");
	assert_true(S.up);
	snprintf(want, sizeof want, "open %u unit %u configure %u ", S.sid, S.sid, S.sid);
	assert_string_equal(F->log, want);
	assert_true(S.lcp_on[0] > 0);
	assert_int_equal(S.lcp_on[1], 0);
	assert_true(S.ncp_on[1] > 0);
	assert_int_equal(S.ncp_on[0], 0);
	c = &F->pppoe_cfg;
	assert_string_equal(inet_ntop(AF_INET, &c->local, a, sizeof a), "10.99.255.254");
	assert_string_equal(inet_ntop(AF_INET, &c->peer, a, sizeof a), "10.99.0.1");
	assert_int_equal(c->up, 1);
	assert_int_equal(c->mtu, 1492);		/* RFC 2516 §7, below the template's */
	assert_int_equal(c->mru, 1492);
	assert_int_equal(c->mss, 1400);
	assert_int_equal(h->d.access->lac.local_up, 1);
	assert_int_equal(h->d.dp->count.ppp_units, 1);
	assert_int_equal(h->d.dp->count.pppoe_channels, 1);
	/* show pppoe session names the pppN (golden "pppoe_local") */
	golden_begin("pppoe_local");
	golden_show(&h->d, "show_pppoe_session", "show pppoe session");
	golden_end();
	/* a reload that takes adjust-mss off the template: 1400 stays in the
	 * kernel's clamp table while this pppN lives (l2tp/mss.h) */
	{
		struct out o;
		char *cut, err[256];

		out_init(&o, 0);
		assert_int_equal(cmd_exec(&h->d, "show running-config", &o), 0);
		cut = strstr(o.buf, " ip tcp adjust-mss 1400\n");
		assert_non_null(cut);
		memmove(cut, cut + strlen(" ip tcp adjust-mss 1400\n"),
			strlen(cut + strlen(" ip tcp adjust-mss 1400\n")) + 1);
		assert_true(config_reload_string(&h->d, o.buf, "test", err, sizeof err) >= 0);
		out_free(&o);
		assert_int_equal(F->n, 1);
		assert_int_equal(F->mss[0], 1400);
	}
	/* the subscriber hangs up: pppN, channel and socket go, the address too */
	fake_sub_padt(&S);
	snprintf(want + strlen(want), sizeof want - strlen(want), "close %u ", S.sid);
	assert_string_equal(F->log, want);
	assert_int_equal(h->d.dp->count.ppp_units, 0);
	assert_int_equal(h->d.dp->count.pppoe_channels, 0);
	assert_int_equal(ippool_in_use(h->d.pools, "LOCAL"), 0);
	assert_null(only_session(h));
	assert_int_equal(h->d.access->lac.local_unit_failed, 0);
}

/* -d linux, the kernel refusing: a PPPoE socket that will not connect
 * (a PADT at once, counted), a unit it will not make (authentication
 * refused), a unit it will not configure (cleared): each counted, each
 * subscriber told with a PADT, nothing left open, and the next
 * subscriber served. */
static void test_lac_local_kernel_refused(void **state)
{
	struct harness *h = lac_new(state, "");
	const struct pppoe_lac_stats *st = &h->d.access->lac;
	struct fake_dp *F;
	unsigned padt;

	F = S.dp = fake_dp_attach(h);
	fake_dp_pppoe(F);
	h_at_free(h, fake_sub_free, &S);
	F->pppoe_fail = -ENODEV;
	assert_int_equal(fake_sub_discover(&S, 0x32, 0), PPPOE_CODE_PADT);
	assert_int_equal(S.padt_rx, 1);
	assert_int_equal(h->d.access->ppp_start_failed, 1);
	assert_int_equal(st->kernel_open_failed, 1);
	assert_null(only_session(h));
	/* no unit: refused at authentication, then the PADT */
	F->unit_fail = -EPERM;
	fake_sub_dial(&S, 0x33, 0, "loc@home.example", "lpw");
	assert_false(S.up);
	assert_int_equal(st->local_unit_failed, 1);
	padt = S.padt_rx;
	for (int i = 0; i < 8 && only_session(h) != NULL; i++) {
		clock_advance(&h->d.clk, 3000);
		fake_sub_pump(&S);
	}
	assert_null(only_session(h));
	assert_true(S.padt_rx > padt);
	/* a unit the kernel will not configure: cleared */
	fake_sub_free(&S);
	F->pppoe_configure_fail = -ENETDOWN;
	fake_sub_dial(&S, 0x34, 0, "loc@home.example", "lpw");
	assert_int_equal(st->local_unit_failed, 2);
	assert_int_equal(st->local_up, 0);
	padt = S.padt_rx;
	clock_advance(&h->d.clk, 1);
	assert_null(only_session(h));
	assert_int_equal(S.padt_rx, padt + 1);
	assert_int_equal(h->d.dp->count.ppp_units, 0);
	assert_int_equal(h->d.dp->count.pppoe_channels, 0);
	assert_int_equal(ippool_in_use(h->d.pools, "LOCAL"), 0);
	/* and the next one comes up; its MRU, below the PPPoE payload and the
	 * template's mtu (1460), is pppN's MTU */
	fake_sub_free(&S);
	S.up = 0;
	S.mru = 1400;
	fake_sub_dial(&S, 0x35, 0, "loc@home.example", "lpw");
	assert_true(S.up);
	assert_int_equal(st->local_up, 1);
	assert_int_equal(h->d.dp->count.ppp_units, 1);
	assert_int_equal(F->pppoe_cfg.mtu, 1400);
}

static uint32_t acct_u32(const struct radius_msg *m, uint8_t type)
{
	uint32_t v = 0;

	assert_non_null(radius_find(m, type));
	assert_int_equal(radius_get_u32(radius_find(m, type), &v), 0);
	return v;
}

/* `aaa accounting network`: the LAC accounts a relayed call (Start once it
 * is up, Stop when the subscriber's PADT clears it) with the user and the
 * RFC 2867 tunnel attributes. */
static void test_lac_accounting(void **state)
{
	struct harness *h = lac_new(state, "aaa new-model\n"
				    "aaa accounting network default start-stop group radius\n"
				    "radius-server host 192.0.2.9 key k\n");
	struct fake_radius *rad = fake_radius_new(h);
	struct h_peer *p = h_peer_new(h, "192.0.2.2", 904, H_SECRET);
	const struct radius_attr *a;
	struct radius_msg m;
	struct icrq_seen q;
	char str[80];

	h_at_free(h, fake_sub_free, &S);
	fake_sub_dial(&S, 0x1a, 0, "alice@isp.example", "wonderland");
	assert_int_equal(fake_radius_count(rad, RADIUS_ACCT), 0);	/* not up yet */
	lns_take_call(h, p, &q);
	assert_int_equal(fake_radius_count(rad, RADIUS_ACCT), 1);
	fake_radius_parse(fake_radius_nth(rad, RADIUS_ACCT, 0), &m);
	assert_int_equal(acct_u32(&m, RADIUS_ATTR_ACCT_STATUS_TYPE), 1);	/* Start */
	assert_int_equal(radius_get_str(radius_find(&m, RADIUS_ATTR_USER_NAME), str, sizeof str),
			 0);
	assert_string_equal(str, "alice@isp.example");
	a = radius_find(&m, RADIUS_ATTR_TUNNEL_TYPE);
	assert_non_null(a);
	assert_int_equal(a->len, 4);
	assert_int_equal(a->val[3], 3);		/* L2TP */
	a = radius_find(&m, RADIUS_ATTR_TUNNEL_SERVER_ENDPOINT);
	assert_non_null(a);
	assert_int_equal(a->len, 1 + strlen("192.0.2.2"));
	assert_memory_equal(a->val + 1, "192.0.2.2", a->len - 1);
	{
		char want[32], got[32];

		snprintf(want, sizeof want, "%u/%u", S.lns_tid, S.lns_sid);
		assert_int_equal(radius_get_str(radius_find(&m, RADIUS_ATTR_ACCT_TUNNEL_CONNECTION),
						got, sizeof got), 0);
		assert_string_equal(got, want);
	}
	/* the subscriber leaves: Stop, User Request */
	fake_sub_padt(&S);
	assert_int_equal(fake_radius_count(rad, RADIUS_ACCT), 2);
	fake_radius_parse(fake_radius_nth(rad, RADIUS_ACCT, 1), &m);
	assert_int_equal(acct_u32(&m, RADIUS_ATTR_ACCT_STATUS_TYPE), 2);	/* Stop */
	assert_int_equal(acct_u32(&m, RADIUS_ATTR_ACCT_TERMINATE_CAUSE), L2TP_TC_USER_REQUEST);
	assert_non_null(radius_find(&m, RADIUS_ATTR_TUNNEL_SERVER_ENDPOINT));
}

/* A data path whose kernel objects would take the call's frames: no call
 * (relaying needs the null path), the subscriber refused, counted. */
static void test_lac_kernel_path_refused(void **state)
{
	struct harness *h = lac_new(state, "");
	struct h_peer *p = h_peer_new(h, "192.0.2.2", 903, H_SECRET);
	const struct dp_ops *null_ops = h->d.dp->ops;
	struct dp_ops kernel_ops = *null_ops;

	h_at_free(h, fake_sub_free, &S);
	kernel_ops.caps |= DP_CAP_KERNEL;
	h->d.dp->ops = &kernel_ops;
	fake_sub_dial(&S, 0x19, 0, "alice@isp.example", "wonderland");
	assert_int_equal(h->d.access->lac.call_failed, 1);
	assert_int_equal(h->d.access->lac.calls_placed, 0);
	assert_false(S.up);
	h_expect_nothing(h, p);
	h->d.dp->ops = null_ops;
}

/* A PPP frame (protocol first) holding an IPv4 TCP SYN with MSS 1460. */
static size_t syn_frame(uint8_t *f)
{
	static const uint8_t syn[] = {
		0x00, 0x21,
		0x45, 0x00, 0x00, 44, 0, 0, 0, 0, 64, 6, 0, 0, 10, 0, 0, 1, 192, 0, 2, 7,
		0xc3, 0x50, 0x00, 0x50, 1, 2, 3, 4, 0, 0, 0, 0, 0x60, 0x02, 0xfa, 0xf0,
		0x12, 0x34, 0, 0, 2, 4, 0x05, 0xb4,
	};

	memcpy(f, syn, sizeof(syn));
	return sizeof(syn);
}

/* `ip tcp adjust-mss 1400` in the bba-group's template: the SYN's MSS is
 * lowered both ways on the relayed call; the checksum moves with it. */
static void test_lac_adjust_mss(void **state)
{
	struct harness *h = lac_new(state, "interface Virtual-Template1\n"
				    " ip tcp adjust-mss 1400\n");
	struct h_peer *p = h_peer_new(h, "192.0.2.2", 909, H_SECRET);
	const struct pppoe_lac_stats *st = &h->d.access->lac;
	uint8_t f[64], b[128] = { 0x00, L2TP_VERSION };
	const uint8_t *t;
	struct icrq_seen q;
	size_t len;

	h_at_free(h, fake_sub_free, &S);
	fake_sub_dial(&S, 0x27, 0, "alice@isp.example", "wonderland");
	lns_take_call(h, p, &q);
	S.n_to_lns = 0;
	len = syn_frame(f);
	fake_sub_push(S.to_ac, &S.n_to_ac, f, len);
	fake_sub_pump(&S);
	assert_int_equal(S.n_to_lns, 1);
	t = S.to_lns[0].b + 2 + 2 + 20;		/* FF 03, protocol, IPv4 header */
	assert_int_equal(t[22] << 8 | t[23], 1400);
	assert_int_equal(t[16] << 8 | t[17], 0x1234 + 60);	/* 1460 - 1400, RFC 1624 */
	assert_int_equal(st->mss_clamped, 1);
	/* the LNS's SYN-ACK, toward the subscriber */
	b[2] = (uint8_t)(S.lns_tid >> 8);
	b[3] = (uint8_t)S.lns_tid;
	b[4] = (uint8_t)(S.lns_sid >> 8);
	b[5] = (uint8_t)S.lns_sid;
	b[6] = 0xff;
	b[7] = 0x03;
	memcpy(b + 8, f, len);
	b[8 + 2 + 20 + 13] = 0x12;		/* SYN-ACK */
	S.n_to_sub = 0;
	h_deliver(p, b, len + 8);
	assert_int_equal(S.n_to_sub, 1);
	t = S.to_sub[0].b + 2 + 20;
	assert_int_equal(t[22] << 8 | t[23], 1400);
	assert_int_equal(st->mss_clamped, 2);
	S.n_to_sub = 0;
	/* a SYN already small, and a malformed one: relayed as they are */
	len = syn_frame(f);
	f[2 + 20 + 22] = 0x04;			/* MSS 1204 */
	fake_sub_push(S.to_ac, &S.n_to_ac, f, len);
	f[2 + 20 + 21] = 9;			/* MSS option of length 9 */
	fake_sub_push(S.to_ac, &S.n_to_ac, f, len);
	S.n_to_lns = 0;
	fake_sub_pump(&S);
	assert_int_equal(S.n_to_lns, 2);
	assert_int_equal(S.to_lns[0].b[4 + 20 + 22] << 8 | S.to_lns[0].b[4 + 20 + 23], 0x04b4);
	assert_int_equal(st->mss_clamped, 2);
	assert_int_equal(st->mss_malformed, 1);
}

/* --- the tunnel chosen by RADIUS (RFC 2868) ---------------------------------- */

#define RAD_AUTHZ "aaa new-model\n" \
		  "aaa authorization network default group radius\n" \
		  "radius-server host 192.0.2.9 key k\n"

static void put_tagged(struct radius_pkt *p, uint8_t type, uint8_t tag, uint32_t v,
		       const char *str)
{
	uint8_t b[64] = { tag, (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };
	size_t n = 4;

	if (str != NULL) {
		n = 1 + strlen(str);
		memcpy(b + 1, str, n - 1);
	}
	assert_int_equal(radius_put(p, type, b, n), 0);
}

/* The pending Access-Request is for the domain; answered with one set
 * (tag 1) toward server, of this Tunnel-Type. */
static void rad_answer_set(struct fake_radius *rad, const char *server, uint32_t type,
			   const char *assign, const char *client)
{
	struct fake_radius_req *r = fake_radius_pending(rad, RADIUS_AUTH);
	struct radius_pkt rp;
	struct radius_msg m;
	char str[64];

	assert_non_null(r);
	fake_radius_parse(r, &m);
	assert_int_equal(radius_get_str(radius_find(&m, RADIUS_ATTR_USER_NAME), str, sizeof str),
			 0);
	assert_string_equal(str, "isp.example");
	radius_pkt_init(&rp, RADIUS_ACCESS_ACCEPT);
	put_tagged(&rp, RADIUS_ATTR_TUNNEL_TYPE, 1, type, NULL);
	put_tagged(&rp, RADIUS_ATTR_TUNNEL_MEDIUM_TYPE, 1, 1, NULL);
	put_tagged(&rp, RADIUS_ATTR_TUNNEL_SERVER_ENDPOINT, 1, 0, server);
	if (assign != NULL)
		put_tagged(&rp, RADIUS_ATTR_TUNNEL_ASSIGNMENT_ID, 1, 0, assign);
	if (client != NULL)
		put_tagged(&rp, RADIUS_ATTR_TUNNEL_CLIENT_AUTH_ID, 1, 0, client);
	fake_radius_answer(r, &rp);
	fake_sub_pump(&S);
}

/* RADIUS names 192.0.2.3 for the domain: the call goes there, not to the
 * vpdn-group's 192.0.2.2; a second subscriber of the same assignment
 * shares the tunnel (RFC 2868 §3.7). */
static void test_lac_radius_tunnel(void **state)
{
	struct harness *h = lac_new(state, RAD_AUTHZ);
	struct fake_radius *rad = fake_radius_new(h);
	struct h_peer *grp = h_peer_new(h, "192.0.2.2", 905, H_SECRET);
	struct h_peer *p = h_peer_new(h, "192.0.2.3", 906, H_SECRET);
	const struct pppoe_lac_stats *st = &h->d.access->lac;
	struct pppoe_lac_info li;
	struct icrq_seen q;
	uint16_t lns_sid;
	char host[64];

	h_at_free(h, fake_sub_free, &S);
	fake_sub_dial(&S, 0x21, 0, "alice@isp.example", "wonderland");
	assert_int_equal(st->radius_asked, 1);
	assert_int_equal(pppoe_lac_info(only_session(h), &li), 0);
	assert_int_equal(li.state, PPPOE_LAC_AUTHORIZING);
	h_expect_nothing(h, grp);
	h_expect_nothing(h, p);
	rad_answer_set(rad, "192.0.2.3", 3, "isp", "bras-west");
	assert_int_equal(st->radius_chosen, 1);
	assert_int_equal(st->calls_placed, 1);
	lns_take_call_host(h, p, &q, host, sizeof host);
	assert_string_equal(host, "bras-west");	/* Tunnel-Client-Auth-Id, not lac1 */
	assert_int_equal(st->calls_up, 1);
	h_expect_nothing(h, grp);
	assert_true(h_tunnel(p)->aaa_chosen);
	assert_string_equal(h_tunnel(p)->aaa_assignment_id, "isp");
	lns_sid = S.lns_sid;
	/* the second subscriber: the same tunnel, an ICRQ on it */
	fake_sub_free(&S);
	fake_sub_dial(&S, 0x22, 0, "bob@isp.example", "builder");
	rad_answer_set(rad, "192.0.2.3", 3, "isp", "bras-west");
	assert_int_equal(st->radius_chosen, 2);
	h_expect(h, p, L2TP_MSG_ICRQ);
	assert_int_equal(h_tunnel(p)->n_sessions, 2);
	h_expect_nothing(h, grp);
	assert_int_not_equal(lns_sid, 0);
}

/* Two sets: the preferred LNS answers the SCCRQ with a StopCCN, the call
 * moves to the second set's LNS (from the event loop) and comes up there;
 * the subscriber sees nothing of it. */
static void test_lac_radius_next_set(void **state)
{
	struct harness *h = lac_new(state, RAD_AUTHZ);
	struct fake_radius *rad = fake_radius_new(h);
	struct h_peer *p1 = h_peer_new(h, "192.0.2.3", 910, H_SECRET);
	struct h_peer *p2 = h_peer_new(h, "192.0.2.4", 911, H_SECRET);
	const struct pppoe_lac_stats *st = &h->d.access->lac;
	struct fake_radius_req *r;
	struct radius_pkt rp;
	struct icrq_seen q;
	struct l2tp_msg *m;
	const uint8_t *v;
	size_t len;

	h_at_free(h, fake_sub_free, &S);
	fake_sub_dial(&S, 0x28, 0, "alice@isp.example", "wonderland");
	r = fake_radius_pending(rad, RADIUS_AUTH);
	assert_non_null(r);
	radius_pkt_init(&rp, RADIUS_ACCESS_ACCEPT);
	put_tagged(&rp, RADIUS_ATTR_TUNNEL_TYPE, 2, 3, NULL);
	put_tagged(&rp, RADIUS_ATTR_TUNNEL_MEDIUM_TYPE, 2, 1, NULL);
	put_tagged(&rp, RADIUS_ATTR_TUNNEL_SERVER_ENDPOINT, 2, 0, "192.0.2.4");
	put_tagged(&rp, RADIUS_ATTR_TUNNEL_PREFERENCE, 2, 2, NULL);
	put_tagged(&rp, RADIUS_ATTR_TUNNEL_TYPE, 1, 3, NULL);
	put_tagged(&rp, RADIUS_ATTR_TUNNEL_MEDIUM_TYPE, 1, 1, NULL);
	put_tagged(&rp, RADIUS_ATTR_TUNNEL_SERVER_ENDPOINT, 1, 0, "192.0.2.3");
	put_tagged(&rp, RADIUS_ATTR_TUNNEL_PREFERENCE, 1, 1, NULL);
	fake_radius_answer(r, &rp);
	fake_sub_pump(&S);
	h_expect(h, p1, L2TP_MSG_SCCRQ);
	h_expect_nothing(h, p2);
	h_stopccn(p1, L2TP_STOPCCN_NOT_AUTHORIZED);
	h_send(p1);
	h_expect_nothing(h, p2);		/* from the event loop */
	clock_advance(&h->d.clk, 1);
	assert_int_equal(st->radius_next, 1);
	m = lns_take_call(h, p2, &q);
	assert_int_equal(l2tp_msg_get_bytes(m, L2TP_AVP_PROXY_AUTHEN_RESPONSE, &v, &len), 0);
	assert_int_equal(len, 10);		/* the proxy, kept for the second call */
	assert_int_equal(st->calls_up, 1);
	assert_int_equal(st->radius_chosen, 2);
	assert_int_equal(S.padt_rx, 0);
	assert_non_null(only_session(h));
}

/* Tunnel attributes none of which is usable (Tunnel-Type PPTP): the
 * subscriber is refused (PAP fails, PADT), no call anywhere; a
 * subscriber terminated here meanwhile is untouched. */
static void test_lac_radius_refused(void **state)
{
	struct harness *h = lac_new(state, RAD_AUTHZ);
	struct fake_radius *rad = fake_radius_new(h);
	struct h_peer *grp = h_peer_new(h, "192.0.2.2", 907, H_SECRET);
	const struct pppoe_lac_stats *st = &h->d.access->lac;
	const struct pppoe_session *s;

	h_at_free(h, fake_sub_free, &S);
	fake_sub_dial(&S, 0x23, 0, "loc@home.example", "lpw");	/* no domain group: here */
	assert_false(S.up);
	assert_int_equal(st->radius_asked, 1);		/* home.example asked first */
	fake_radius_no_answer(fake_radius_pending(rad, RADIUS_AUTH), -ETIMEDOUT);
	fake_sub_pump(&S);
	assert_true(S.up);
	assert_int_equal(st->local_up, 1);
	assert_int_equal(st->radius_none, 1);
	fake_sub_free(&S);
	S.up = 0;
	fake_sub_dial(&S, 0x24, 0, "mallory@isp.example", "x");
	rad_answer_set(rad, "192.0.2.3", 1 /* PPTP */, NULL, NULL);
	assert_int_equal(st->radius_refused, 1);
	assert_int_equal(st->calls_placed, 0);
	assert_int_equal(h->d.aaa.stats.tunnel_refused, 1);
	assert_false(S.up);
	clock_advance(&h->d.clk, 10000);
	fake_sub_pump(&S);
	clock_advance(&h->d.clk, 10000);
	assert_int_equal(S.padt_rx, 1);
	h_expect_nothing(h, grp);
	s = only_session(h);
	assert_non_null(s);
	assert_int_equal(s->mac[5], 0x23);		/* the local one is still there */
	assert_null(TAILQ_NEXT(s, link));
}

/* No answer from RADIUS: the vpdn-group of the domain decides. */
static void test_lac_radius_no_answer(void **state)
{
	struct harness *h = lac_new(state, RAD_AUTHZ);
	struct fake_radius *rad = fake_radius_new(h);
	struct h_peer *grp = h_peer_new(h, "192.0.2.2", 908, H_SECRET);
	const struct pppoe_lac_stats *st = &h->d.access->lac;
	struct icrq_seen q;

	h_at_free(h, fake_sub_free, &S);
	fake_sub_dial(&S, 0x25, 0, "alice@isp.example", "wonderland");
	assert_int_equal(st->calls_placed, 0);
	fake_radius_no_answer(fake_radius_pending(rad, RADIUS_AUTH), -ETIMEDOUT);
	fake_sub_pump(&S);
	assert_int_equal(st->radius_none, 1);
	assert_int_equal(st->calls_placed, 1);
	assert_int_equal(st->radius_chosen, 0);
	lns_take_call(h, grp, &q);
	assert_int_equal(st->calls_up, 1);
}

/* The subscriber leaves while RADIUS thinks: the question is withdrawn. */
static void test_lac_radius_padt_while_asking(void **state)
{
	struct harness *h = lac_new(state, RAD_AUTHZ);
	struct fake_radius *rad = fake_radius_new(h);
	struct fake_radius_req *r;

	h_at_free(h, fake_sub_free, &S);
	fake_sub_dial(&S, 0x26, 0, "alice@isp.example", "wonderland");
	r = fake_radius_pending(rad, RADIUS_AUTH);
	assert_non_null(r);
	fake_sub_padt(&S);
	assert_null(only_session(h));
	assert_true(r->cancelled);
	assert_null(LIST_FIRST(&h->d.aaa.choices));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_lac_pap_call, h_teardown),
		cmocka_unit_test_teardown(test_lac_chap_padt, h_teardown),
		cmocka_unit_test_teardown(test_lac_lcp_timeout, h_teardown),
		cmocka_unit_test_teardown(test_lac_local, h_teardown),
		cmocka_unit_test_teardown(test_lac_local_no_pool, h_teardown),
		cmocka_unit_test_teardown(test_lac_local_kernel, h_teardown),
		cmocka_unit_test_teardown(test_lac_local_kernel_refused, h_teardown),
		cmocka_unit_test_teardown(test_lac_kernel_path_refused, h_teardown),
		cmocka_unit_test_teardown(test_lac_accounting, h_teardown),
		cmocka_unit_test_teardown(test_lac_adjust_mss, h_teardown),
		cmocka_unit_test_teardown(test_lac_radius_tunnel, h_teardown),
		cmocka_unit_test_teardown(test_lac_radius_next_set, h_teardown),
		cmocka_unit_test_teardown(test_lac_radius_refused, h_teardown),
		cmocka_unit_test_teardown(test_lac_radius_no_answer, h_teardown),
		cmocka_unit_test_teardown(test_lac_radius_padt_while_asking, h_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
