/*
 * A LAC test subscriber's IPv6 (l2tp/ppp_ipv6_lac.c): the daemon as LAC
 * dials one subscriber with the group's `l2tp subscriber ipv6`; the test
 * is the LNS, its own PPP and IPv6 server (ipv6/server.h) on the call.
 * Once IPv6CP opens the subscriber solicits an RA and a delegated prefix,
 * records both, renews at T1, rebinds at T2 when the server is silent,
 * and refuses a malformed answer (counted, nothing learnt from it).  With
 * `l2tp subscriber ipv6 address` and `rapid-commit` it asks for an IA_NA
 * too and binds in two messages when the server commits at once.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>

#include "harness.h"
#include "cli/cmd.h"
#include "core/out.h"
#include "ipv6/dhcp6.h"
#include "ipv6/server.h"
#include "l2tp/dial.h"
#include "l2tp/ppp.h"
#include "l2tp/session.h"
#include "l2tp/tunnel.h"
#include "ppp/ppp.h"
#include "ppp/proto.h"

#define T_PEER_SID	77
#define T_PREFERRED	600	/* s: T1 300, T2 480 */

static const char cfg_lac[] =
	H_CFG_LAC
	" l2tp tunnel hello 0\n"
	" l2tp subscriber ipv6\n";

#define T_QUEUE		64

/* Frames one way, delivered by t_pump() (never from inside the sender). */
struct t_queue {
	uint8_t buf[T_QUEUE][1600];
	size_t len[T_QUEUE];
	unsigned n;
};

static void t_push(struct t_queue *q, const uint8_t *buf, size_t len)
{
	assert_true(q->n < T_QUEUE && len <= sizeof(q->buf[0]));
	memcpy(q->buf[q->n], buf, len);
	q->len[q->n++] = len;
}

/* The test's LNS end of the call. */
struct t_lns {
	struct t_queue to_lac, to_lns;
	struct harness *h;
	struct h_peer *p;
	uint16_t dsid;			/* the daemon's session */
	struct ppp *ppp;
	struct ipv6_server srv;
	int srv_on;
	int mute;			/* drop what the subscriber sends to the server */
	int rapid;			/* the server commits a Solicit at once */
	int has_na;			/* the server gives na by IA_NA */
	uint8_t pfx[16], pd[16], na[16];
};

static void t_lns_output(void *arg, uint16_t proto, const uint8_t *buf, size_t len)
{
	struct t_lns *e = arg;
	uint8_t pkt[2048];

	assert_true(len + 10 <= sizeof(pkt));
	pkt[0] = 0x00;
	pkt[1] = 0x02;
	pkt[2] = (uint8_t)(e->p->dtid >> 8);
	pkt[3] = (uint8_t)e->p->dtid;
	pkt[4] = (uint8_t)(e->dsid >> 8);
	pkt[5] = (uint8_t)e->dsid;
	pkt[6] = 0xff;
	pkt[7] = 0x03;
	pkt[8] = (uint8_t)(proto >> 8);
	pkt[9] = (uint8_t)proto;
	memcpy(pkt + 10, buf, len);
	t_push(&e->to_lac, pkt, len + 10);
}

static void t_srv_send(void *arg, const uint8_t *pkt, size_t len)
{
	struct t_lns *e = arg;

	assert_int_equal(ppp_send_ipv6(e->ppp, pkt, len), 0);
}

static const struct ipv6_server_ops t_srv_ops = { .send = t_srv_send };

static void t_lns_up(void *arg, uint16_t proto, const struct ppp_state *st)
{
	struct t_lns *e = arg;
	struct ipv6_server_cfg c = { .ra_interval = 600, .ra_lifetime = 1800,
				     .pd_valid = 2 * T_PREFERRED, .pd_preferred = T_PREFERRED };
	uint8_t uuid[16] = { 1, 2, 3 };

	if (proto != PPP_PROTO_IPV6CP)
		return;
	dhcp6_duid_uuid(&c.duid, uuid);
	c.rapid_commit = e->rapid;
	ipv6_server_init(&e->srv, &t_srv_ops, e, &e->h->d.clk, &c, st->local_ifid, st->peer_ifid);
	ipv6_server_set_prefixes(&e->srv, e->pfx, e->pd, 56);
	ipv6_server_set_address(&e->srv, e->has_na ? e->na : NULL);
	e->srv_on = 1;
	assert_int_equal(ipv6_server_start(&e->srv), 0);
}

static void t_lns_ipv6(void *arg, const uint8_t *pkt, size_t len)
{
	struct t_lns *e = arg;

	if (e->srv_on && !e->mute)
		(void)ipv6_server_input(&e->srv, pkt, len);
}

static void t_lns_down(void *arg, const char *reason)
{
	(void)arg;
	(void)reason;
}

static const struct ppp_ops t_lns_ops = {
	.output = t_lns_output,
	.up = t_lns_up,
	.down = t_lns_down,
	.ipv6_input = t_lns_ipv6,
};

static void t_data_rx(void *arg, uint16_t tid, uint16_t sid, const uint8_t *frame, size_t len)
{
	struct t_lns *e = arg;

	assert_int_equal(sid, T_PEER_SID);
	t_push(&e->to_lns, frame, len);
}

/* Deliver what is queued both ways until nothing moves. */
static void t_pump(struct t_lns *e)
{
	static struct t_queue q;

	for (int round = 0; round < 1000; round++) {
		if (e->to_lac.n == 0 && e->to_lns.n == 0)
			return;
		q = e->to_lac;
		e->to_lac.n = 0;
		for (unsigned i = 0; i < q.n; i++)
			h_deliver(e->p, q.buf[i], q.len[i]);
		q = e->to_lns;
		e->to_lns.n = 0;
		for (unsigned i = 0; i < q.n; i++)
			ppp_input(e->ppp, q.buf[i], q.len[i]);
	}
	fail_msg("the link does not settle");
}

/* The clock on by ms, a second at most at a time, frames delivered. */
static void t_run(struct t_lns *e, uint64_t ms)
{
	while (ms > 0) {
		uint64_t step = ms > 1000 ? 1000 : ms;

		clock_advance(&e->h->d.clk, step);
		t_pump(e);
		ms -= step;
	}
}

static uint16_t msg_u16(const struct l2tp_msg *m, uint16_t type)
{
	uint16_t v = 0;

	assert_int_equal(l2tp_msg_get_u16(m, type, &v), 0);
	return v;
}

/* The call placed and answered, PPP and IPv6CP up both ends: the LAC
 * configured by cfg, the server committing at once (rapid) and giving an
 * address (na) or not. */
static struct l2tp_session *t_dial_cfg(void **state, struct t_lns *e, const char *cfg,
				       int rapid, int na)
{
	struct ppp_config c;
	struct l2tp_msg *m;
	char err[128] = "";

	memset(e, 0, sizeof(*e));
	e->rapid = rapid;
	e->has_na = na;
	e->h = h_new(state, cfg);
	e->p = h_peer_new(e->h, "192.0.2.2", 1101, "s3cret");
	e->pfx[0] = 0x20, e->pfx[1] = 0x01, e->pfx[2] = 0x0d, e->pfx[3] = 0xb8, e->pfx[5] = 7;
	memcpy(e->pd, e->pfx, 16);
	e->pd[4] = 1;
	e->pd[6] = 0x42;
	memcpy(e->na, e->pfx, 16);
	e->na[5] = 0xff;
	e->na[15] = 0x21;
	ppp_config_init(&c);
	c.role = PPP_ROLE_AUTHENTICATOR;
	c.n_auth = 0;
	c.local_addr.s_addr = htonl(0x0a000001);
	c.peer_addr.s_addr = htonl(0x0a000002);
	c.ipv6 = 1;
	c.echo_interval = 0;
	e->ppp = ppp_new(&c, &t_lns_ops, e, &e->h->d.clk, &e->h->d.log, "lns: ");
	assert_non_null(e->ppp);
	e->h->data_rx = t_data_rx;
	e->h->data_arg = e;
	assert_int_equal(l2tp_dial_ppp(&e->h->d, h_group(e->h, "LAC"), 1, 0, "alice", "pw", err,
				       sizeof(err)), 1);
	h_lac_answer(e->h, e->p, "lns1");
	m = h_expect(e->h, e->p, L2TP_MSG_ICRQ);
	e->dsid = msg_u16(m, L2TP_AVP_ASSIGNED_SESSION_ID);
	h_icrp(e->p, e->dsid, T_PEER_SID);
	h_send(e->p);
	h_expect(e->h, e->p, L2TP_MSG_ICCN);
	h_send_zlb(e->p);
	assert_int_equal(ppp_open(e->ppp), 0);
	t_pump(e);
	t_run(e, 5000);
	return l2tp_session_find(h_tunnel(e->p), e->dsid);
}

static struct l2tp_session *t_dial(void **state, struct t_lns *e)
{
	return t_dial_cfg(state, e, cfg_lac, 0, 0);
}

static void t_free(struct t_lns *e)
{
	if (e->srv_on)
		ipv6_server_stop(&e->srv);
	ppp_free(e->ppp);
}

/* Solicit, Advertise, Request, Reply: both prefixes learnt and shown;
 * Renew at T1 keeps the prefix; a silent server: Rebind at T2. */
static void test_solicit_renew_rebind(void **state)
{
	struct t_lns e;
	struct l2tp_session *s = t_dial(state, &e);
	const struct l2tp_ppp_v6c *c;
	uint32_t renews;
	char *txt;

	assert_non_null(s);
	assert_true(e.srv_on);
	c = l2tp_ppp_ipv6_lac(s);
	assert_non_null(c);
	assert_true(c->has_prefix);
	assert_memory_equal(c->prefix, e.pfx, 16);
	assert_true(c->has_pd);
	assert_memory_equal(c->pd, e.pd, 16);
	assert_int_equal(c->pd_len, 56);
	assert_int_equal(c->state, DHCP6_REPLY);
	assert_int_equal(c->rs_tx, 1);
	assert_true(c->ra_rx >= 1);
	assert_int_equal(c->dhcp_tx[DHCP6_SOLICIT], 1);
	assert_int_equal(c->dhcp_tx[DHCP6_REQUEST], 1);
	assert_int_equal(e.srv.st.dhcp_rx[DHCP6_REQUEST], 1);
	assert_true(e.srv.lease.bound);
	txt = h_cmd(e.h, "show l2tp session detail", 0);
	assert_non_null(strstr(txt, "  IPv6 subscriber link-local fe80::"));
	assert_non_null(strstr(txt, ", prefix 2001:db8:7::/64, delegated 2001:db8:107:4200::/56\n"
				    "  DHCPv6 bound, renew in 295 s, bindings 1 (rapid commit 0), "
				    "renews 0, retransmissions 0\n"));
	/* not asked: no address, no Rapid Commit (the server's Advertise) */
	assert_null(strstr(txt, "IPv6 address"));
	assert_false(c->has_na);
	assert_int_equal(c->bound_rapid, 0);
	assert_int_equal(e.srv.st.dhcp_rx[DHCP6_SOLICIT], 1);
	assert_int_equal(e.srv.st.dhcp_tx[DHCP6_ADVERTISE], 1);
	free(txt);

	/* T1: a Renew, answered, the same prefix */
	t_run(&e, 300 * 1000);
	assert_ptr_equal(l2tp_session_find(h_tunnel(e.p), e.dsid), s);
	assert_ptr_equal(l2tp_ppp_ipv6_lac(s), c);
	assert_int_equal(c->renews, 1);
	assert_int_equal(e.srv.st.dhcp_rx[DHCP6_RENEW], 1);
	assert_int_equal(c->state, DHCP6_REPLY);
	assert_memory_equal(c->pd, e.pd, 16);
	assert_int_equal(c->bound, 2);

	/* the server falls silent: the next Renew (T1) retransmitted, a Rebind at T2 */
	e.mute = 1;
	t_run(&e, 500 * 1000);
	assert_int_equal(c->state, DHCP6_REBIND);
	assert_true(c->retrans > 0);
	assert_true(c->dhcp_tx[DHCP6_REBIND] >= 1);
	e.mute = 0;
	t_run(&e, 60 * 1000);
	assert_int_equal(c->state, DHCP6_REPLY);
	assert_int_equal(e.srv.st.dhcp_rx[DHCP6_REBIND] >= 1, 1);
	assert_memory_equal(c->pd, e.pd, 16);

	/* `test ipv6 dhcp renew`: a Renew now, before T1 */
	renews = c->renews;
	txt = h_cmd(e.h, "test ipv6 dhcp renew", 0);
	assert_string_equal(txt, "1 DHCPv6 clients renewing\n");
	free(txt);
	t_run(&e, 100);
	assert_int_equal(c->renews, renews + 1);
	assert_int_equal(c->state, DHCP6_REPLY);
	assert_memory_equal(c->pd, e.pd, 16);
	t_free(&e);
}

/* Malformed DHCPv6 to the subscriber: refused and counted, nothing learnt;
 * an answer of another transaction: ignored. */
static void test_bad_answer(void **state)
{
	struct t_lns e;
	struct l2tp_session *s = t_dial(state, &e);
	const struct l2tp_ppp_v6c *c = l2tp_ppp_ipv6_lac(s);
	uint8_t ll[16], dhcp[512], pkt[1024];
	uint64_t refused = 0;
	struct dhcp6_msg m;
	size_t n;

	assert_non_null(c);
	/* T1 with the server silent: a Renew under way */
	e.mute = 1;
	t_run(&e, 300 * 1000);
	assert_int_equal(c->state, DHCP6_RENEW);
	ipv6_link_local(ll, (const uint8_t[8]){ 0, 0, 0, 0, 0, 0, 0, 9 });
	/* an option whose length runs past the message */
	dhcp[0] = DHCP6_REPLY;
	dhcp[1] = (uint8_t)(c->xid >> 16), dhcp[2] = (uint8_t)(c->xid >> 8), dhcp[3] = (uint8_t)c->xid;
	dhcp[4] = 0, dhcp[5] = DHCP6_OPT_IA_PD, dhcp[6] = 0, dhcp[7] = 200;
	n = ipv6_udp_build(pkt, sizeof(pkt), ll, c->ll, DHCP6_SERVER_PORT, DHCP6_CLIENT_PORT, dhcp,
			   8);
	assert_int_equal(ppp_send_ipv6(e.ppp, pkt, n), 0);
	t_pump(&e);
	for (unsigned i = 0; i < IPV6_ERR_COUNT; i++)
		refused += c->st.err[i];
	assert_int_equal(c->st.err[IPV6_ERR_DHCP_OPT_PAST], 1);
	assert_int_equal(refused, 1);
	assert_int_equal(c->state, DHCP6_RENEW);
	assert_memory_equal(c->pd, e.pd, 16);

	/* a well-formed Reply of another transaction, with another prefix */
	dhcp6_msg_init(&m, DHCP6_REPLY, (c->xid + 1) & 0xffffff);
	m.client = c->duid;
	m.server = c->server;
	m.n_ia = 1;
	m.ia[0].code = DHCP6_OPT_IA_PD;
	m.ia[0].iaid = 1;
	m.ia[0].status = DHCP6_ST_NONE;
	m.ia[0].n_lease = 1;
	m.ia[0].lease[0].plen = 56;
	m.ia[0].lease[0].valid = 100;
	m.ia[0].lease[0].status = DHCP6_ST_NONE;
	n = dhcp6_build(dhcp, sizeof(dhcp), &m);
	assert_true(n > 0);
	n = ipv6_udp_build(pkt, sizeof(pkt), ll, c->ll, DHCP6_SERVER_PORT, DHCP6_CLIENT_PORT, dhcp,
			   n);
	assert_int_equal(ppp_send_ipv6(e.ppp, pkt, n), 0);
	t_pump(&e);
	assert_int_equal(c->dhcp_ignored, 1);
	assert_int_equal(c->state, DHCP6_RENEW);
	assert_int_equal(c->bound, 1);
	assert_memory_equal(c->pd, e.pd, 16);
	t_free(&e);
}

static const char cfg_lac_na_rapid[] =
	H_CFG_LAC
	" l2tp tunnel hello 0\n"
	" l2tp subscriber ipv6\n"
	" l2tp subscriber ipv6 address\n"
	" l2tp subscriber ipv6 rapid-commit\n";

/* Rapid Commit both ends (RFC 8415 §18.2.1, §18.3.1): Solicit, Reply,
 * bound, no Advertise, no Request; the IA_NA's address learnt with the
 * prefix, renewed with it, shown. */
static void test_rapid_commit_address(void **state)
{
	struct t_lns e;
	struct l2tp_session *s = t_dial_cfg(state, &e, cfg_lac_na_rapid, 1, 1);
	const struct l2tp_ppp_v6c *c;
	char *txt;

	assert_non_null(s);
	c = l2tp_ppp_ipv6_lac(s);
	assert_non_null(c);
	assert_int_equal(c->state, DHCP6_REPLY);
	assert_int_equal(c->bound, 1);
	assert_int_equal(c->bound_rapid, 1);
	assert_int_equal(c->dhcp_tx[DHCP6_SOLICIT], 1);
	assert_int_equal(c->dhcp_tx[DHCP6_REQUEST], 0);
	assert_int_equal(c->dhcp_rx[DHCP6_ADVERTISE], 0);
	assert_int_equal(e.srv.st.dhcp_tx[DHCP6_ADVERTISE], 0);
	assert_int_equal(e.srv.st.dhcp_tx[DHCP6_REPLY], 1);
	assert_memory_equal(c->pd, e.pd, 16);
	assert_true(c->has_na);
	assert_memory_equal(c->na, e.na, 16);
	assert_true(e.srv.na_lease.bound);
	assert_true(dhcp6_duid_equal(&e.srv.na_lease.client, &c->duid));
	assert_int_equal(e.srv.na_lease.iaid, 2);
	txt = h_cmd(e.h, "show l2tp session detail", 0);
	assert_non_null(strstr(txt, "  IPv6 address 2001:db8:ff::21\n"));
	assert_non_null(strstr(txt, "bindings 1 (rapid commit 1)"));
	free(txt);
	/* T1: the Renew carries both IAs; both renewed */
	t_run(&e, 300 * 1000);
	assert_int_equal(c->renews, 1);
	assert_int_equal(c->state, DHCP6_REPLY);
	assert_true(c->has_na);
	assert_memory_equal(c->na, e.na, 16);
	assert_int_equal(e.srv.na_lease.start_ms, e.srv.lease.start_ms);
	assert_true(e.srv.na_lease.start_ms >= 300 * 1000);
	assert_int_equal(e.srv.st.dhcp_no_binding, 0);
	t_free(&e);
}

/* Each end alone: a subscriber soliciting with Rapid Commit from a server
 * that does not commit gets an Advertise and Requests; a server that
 * would commit answers a Solicit without Rapid Commit by Advertise.  No
 * address to give: the IA_NA refused, counted, the prefix bound. */
static void test_rapid_commit_one_end(void **state)
{
	struct t_lns e;
	struct l2tp_session *s = t_dial_cfg(state, &e, cfg_lac_na_rapid, 0, 0);
	const struct l2tp_ppp_v6c *c = l2tp_ppp_ipv6_lac(s);

	assert_non_null(c);
	assert_int_equal(c->state, DHCP6_REPLY);
	assert_int_equal(c->bound_rapid, 0);
	assert_int_equal(c->dhcp_tx[DHCP6_REQUEST], 1);
	assert_int_equal(e.srv.st.dhcp_tx[DHCP6_ADVERTISE], 1);
	assert_false(c->has_na);
	assert_true(c->dhcp_refused >= 1);
	assert_int_equal(e.srv.st.dhcp_no_addr, 2);	/* Solicit, Request */
	assert_memory_equal(c->pd, e.pd, 16);
	t_free(&e);
	h_teardown(state);

	s = t_dial_cfg(state, &e, cfg_lac, 1, 1);
	c = l2tp_ppp_ipv6_lac(s);
	assert_non_null(c);
	assert_int_equal(c->state, DHCP6_REPLY);
	assert_int_equal(c->bound_rapid, 0);
	assert_int_equal(e.srv.st.dhcp_tx[DHCP6_ADVERTISE], 1);
	assert_int_equal(e.srv.st.dhcp_rx[DHCP6_REQUEST], 1);
	assert_false(e.srv.na_lease.bound);	/* not asked */
	t_free(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_solicit_renew_rebind, h_teardown),
		cmocka_unit_test_teardown(test_bad_answer, h_teardown),
		cmocka_unit_test_teardown(test_rapid_commit_address, h_teardown),
		cmocka_unit_test_teardown(test_rapid_commit_one_end, h_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
