/*
 * A PPP link's IPv6 on the LNS (l2tp/ppp_ipv6.c) over the null data path,
 * with the daemon of harness.c and real PPP subscribers (fake_subscriber.h)
 * negotiating IPv6CP: each gets router advertisements with a /64 of its
 * own, answers to its Router Solicitation, and by DHCPv6 (Solicit,
 * Advertise, Request, Reply) a /56 of its own; malformed packets are
 * counted and answered by nothing, the other sessions untouched; the
 * prefixes go back to their pools when the sessions end.  With an address
 * pool, each gets an address of its own by IA_NA, shown, checkpointed and
 * answered by the new active after a takeover, freed at the end.  On a
 * pppN, IPv6CP opening before IPCP brings the unit up before the IPv6
 * routes go through it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <setjmp.h>
#include <cmocka.h>

#include "harness.h"
#include "fake_subscriber.h"
#include "fake_standby.h"
#include "ha/ha.h"
#include "cli/cmd.h"
#include "core/ippool.h"
#include "core/out.h"
#include "ipv6/pool.h"
#include "ipv6/server.h"
#include "l2tp/ppp.h"
#include "l2tp/ppp_int.h"
#include "l2tp/session.h"
#include "l2tp/tunnel.h"
#include "ppp/ppp.h"

#define T_SUBS	4

static const char cfg_lns[] =
	"hostname lns1\n"
	"vpdn enable\n"
	"username local1 password lpass\n"
	"ip local pool P1 10.1.0.1 10.1.0.50\n"
	"ipv6 local pool LINKS 2001:db8:1::/48 64\n"
	"ipv6 local pool PD 2001:db8:100::/40 56\n"
	"interface Virtual-Template 1\n"
	" ip address 10.0.0.1 255.255.255.255\n"
	" peer default ip address pool P1\n"
	" no keepalive\n"
	" ppp authentication pap\n"
	" ipv6 enable\n"
	" peer default ipv6 pool LINKS\n"
	" ipv6 nd other-config-flag\n"
	" ipv6 dhcp server prefix-delegation pool PD\n"
	" ipv6 dhcp server dns-server 2001:db8::53\n"
	"vpdn-group LNS\n"
	" accept-dialin\n"
	"  protocol l2tp\n"
	"  virtual-template 1\n"
	" local name lns1\n"
	" l2tp tunnel password s3cret\n"
	" l2tp tunnel hello 0\n";

struct t_env {
	struct harness *h;
	struct fake_subscribers *subs;
	struct h_peer *lac;
	struct fake_subscriber *u[T_SUBS];
	struct fake_standby *b;		/* with a redundancy block: from the start */
	int na;				/* t_dhcp asks for IA_NA too */
	const uint8_t *na_addr;		/* ... carrying this address (Decline) */
};

static void t_up_cfg(void **state, struct t_env *e, const char *cfg)
{
	struct ppp_config c;

	memset(e, 0, sizeof(*e));
	e->h = h_new(state, cfg);
	e->b = strstr(cfg, "redundancy") != NULL ? fake_standby_new(e->h, 1) : NULL;
	e->subs = fake_subscribers_new(e->h);
	assert_int_equal(ippool_setup(&e->h->d.pools, &e->h->d.cfg), 0);
	assert_int_equal(ipv6_pool_setup(&e->h->d.pools6, &e->h->d.cfg), 0);
	clock_advance(&e->h->d.clk, 1000000);
	e->lac = h_lns_tunnel(e->h, "192.0.2.2", 100, "lac1");
	fake_subscriber_config(&c, "local1", "lpass");
	c.n_auth = 1;
	c.ipv6 = 1;
	for (unsigned i = 0; i < T_SUBS; i++) {
		e->u[i] = fake_subscriber_add(e->subs, e->lac, (uint16_t)(20 + i));
		e->u[i]->sid = h_lns_call(e->h, e->lac, (uint16_t)(20 + i));
		fake_subscriber_open(e->u[i], &c);
	}
	fake_subscribers_pump(e->subs, e->lac);
	for (unsigned i = 0; i < T_SUBS; i++) {
		assert_int_equal(e->u[i]->ups, 1);
		assert_true(e->u[i]->v6_up);
	}
}

static void t_up(void **state, struct t_env *e)
{
	t_up_cfg(state, e, cfg_lns);
}

/* The subscriber's newest IPv6 packet, parsed. */
static void t_last(const struct fake_subscriber *u, struct ipv6_pkt *p)
{
	struct ipv6_stats st = { 0 };

	assert_true(u->v6_n > 0);
	assert_int_equal(ipv6_pkt_parse(u->v6_pkt[u->v6_n - 1], u->v6_len[u->v6_n - 1], p, &st), 0);
}

static void t_last_ra(const struct fake_subscriber *u, struct nd_ra *ra)
{
	struct ipv6_stats st = { 0 };
	struct ipv6_pkt p;

	t_last(u, &p);
	assert_int_equal(nd_ra_parse(&p, ra, &st), 0);
}

static void t_last_dhcp(const struct fake_subscriber *u, struct dhcp6_msg *m)
{
	struct ipv6_stats st = { 0 };
	struct ipv6_pkt p;
	struct ipv6_udp udp;

	t_last(u, &p);
	assert_int_equal(ipv6_udp_parse(&p, &udp, &st), 0);
	assert_int_equal(dhcp6_parse(udp.data, udp.len, m, &st), 0);
}

/* A DHCPv6 message of the subscriber for IA_PD iaid 1 (and IA_NA iaid 2
 * when e->na). */
static void t_dhcp(struct t_env *e, struct fake_subscriber *u, uint8_t type,
		   const struct dhcp6_duid *server);

/*
 * HA: a subscriber's prefixes and its DHCPv6 binding are checkpointed; the
 * box dies; the new active advertises the same /64, keeps the prefixes out
 * of its pools, and answers the client's Renew, which names the server
 * DUID of the dead box (RFC 8415 §16.6), with the same delegated prefix.
 */
static void test_takeover_keeps_prefixes(void **state)
{
	static char cfg[sizeof(cfg_lns) + sizeof(H_CFG_HA_TAIL)];
	struct t_env e;
	struct fake_standby *b;
	struct dhcp6_msg m;
	struct dhcp6_duid server;
	struct nd_ra ra;
	uint8_t p64[16], pd[16];
	const struct l2tp_ppp_v6 *v;
	unsigned rx;

	snprintf(cfg, sizeof(cfg), "%s%s", cfg_lns, H_CFG_HA_TAIL);
	t_up_cfg(state, &e, cfg);
	b = e.b;
	t_dhcp(&e, e.u[1], DHCP6_SOLICIT, NULL);
	t_last_dhcp(e.u[1], &m);
	server = m.server;
	t_dhcp(&e, e.u[1], DHCP6_REQUEST, &server);
	t_last_dhcp(e.u[1], &m);
	assert_int_equal(m.type, DHCP6_REPLY);
	memcpy(pd, m.ia[0].lease[0].addr, 16);
	v = l2tp_ppp_ipv6(fake_subscriber_session(e.u[1]));
	memcpy(p64, v->srv.prefix, 16);
	clock_advance(&e.h->d.clk, 1000);
	ha_flush(&e.h->d);

	fake_standby_crash(b);
	/* the standby box had a DUID of its own: the checkpoint's wins */
	dhcp6_duid_uuid(&e.h->d.dhcp6_duid, (const uint8_t[16]){ 0x5b });
	fake_standby_take_over(b);
	h_send_zlb(e.lac);	/* the LAC answers the resync probe */
	v = l2tp_ppp_ipv6(fake_subscriber_session(e.u[1]));
	assert_non_null(v);
	assert_memory_equal(v->srv.prefix, p64, 16);
	assert_memory_equal(v->srv.pd, pd, 16);
	assert_true(v->srv.lease.bound);
	assert_true(dhcp6_duid_equal(&v->srv.cfg.duid, &server));
	assert_true(dhcp6_duid_equal(&e.h->d.dhcp6_duid, &server));
	assert_int_equal(ipv6_pool_in_use(e.h->d.pools6, "LINKS"), T_SUBS);
	assert_int_equal(ipv6_pool_in_use(e.h->d.pools6, "PD"), T_SUBS);
	/* the new active advertises the same /64 */
	rx = e.u[1]->v6_rx;
	fake_subscribers_pump(e.subs, e.lac);
	assert_true(e.u[1]->v6_rx > rx);
	t_last_ra(e.u[1], &ra);
	assert_memory_equal(ra.prefix[0].prefix, p64, 16);
	/* the client's Renew at T1: the same prefix */
	clock_advance(&e.h->d.clk, 7200000);
	t_dhcp(&e, e.u[1], DHCP6_RENEW, &server);
	t_last_dhcp(e.u[1], &m);
	assert_int_equal(m.type, DHCP6_REPLY);
	assert_int_equal(m.ia[0].status, DHCP6_ST_NONE);
	assert_int_equal(m.ia[0].n_lease, 1);
	assert_memory_equal(m.ia[0].lease[0].addr, pd, 16);
	assert_int_equal(v->srv.st.dhcp_wrong_server, 0);
	/* another session's prefixes are still taken once: a new subscriber
	 * gets fresh ones (the pools knew the checkpointed ones) */
	fake_standby_detach(b);
}

static void t_dhcp(struct t_env *e, struct fake_subscriber *u, uint8_t type,
		   const struct dhcp6_duid *server)
{
	uint8_t ll[16], msg[512], pkt[600];
	struct dhcp6_msg m;
	size_t n;

	ipv6_link_local(ll, u->st6.local_ifid);
	dhcp6_msg_init(&m, type, 0x777);
	m.client.len = 10;
	memcpy(m.client.b, (const uint8_t[]){ 0, 3, 0, 1, 2, 0, 0, 0, 0, (uint8_t)u->peer_sid }, 10);
	if (server)
		m.server = *server;
	m.n_ia = 1;
	m.ia[0].code = DHCP6_OPT_IA_PD;
	m.ia[0].iaid = 1;
	m.ia[0].status = DHCP6_ST_NONE;
	if (e->na) {
		m.n_ia = 2;
		m.ia[1].code = DHCP6_OPT_IA_NA;
		m.ia[1].iaid = 2;
		m.ia[1].status = DHCP6_ST_NONE;
		if (e->na_addr != NULL) {
			m.ia[1].n_lease = 1;
			memcpy(m.ia[1].lease[0].addr, e->na_addr, 16);
			m.ia[1].lease[0].plen = 128;
			m.ia[1].lease[0].status = DHCP6_ST_NONE;
		}
	}
	n = dhcp6_build(msg, sizeof(msg), &m);
	n = ipv6_udp_build(pkt, sizeof(pkt), ll, ipv6_all_dhcp, DHCP6_CLIENT_PORT,
			   DHCP6_SERVER_PORT, msg, n);
	assert_int_equal(fake_subscriber_send_ipv6(u, pkt, n), 0);
	fake_subscribers_pump(e->subs, e->lac);
}

static void test_prefixes_per_session(void **state)
{
	struct t_env e;
	uint8_t p64[T_SUBS][16], pd[T_SUBS][16], ll[16], rs[64];
	struct dhcp6_msg m;
	struct nd_ra ra;

	t_up(state, &e);
	for (unsigned i = 0; i < T_SUBS; i++) {
		struct fake_subscriber *u = e.u[i];
		const struct l2tp_ppp_v6 *v = l2tp_ppp_ipv6(fake_subscriber_session(u));

		assert_non_null(v);
		/* the first RA came as IPv6CP opened */
		assert_int_equal(u->v6_rx, 1);
		t_last_ra(u, &ra);
		assert_int_equal(ra.n_prefix, 1);
		assert_int_equal(ra.prefix[0].len, 64);
		assert_int_equal(ra.flags, ND_RA_OTHER);
		assert_int_equal(ra.n_rdnss, 1);
		memcpy(p64[i], ra.prefix[0].prefix, 16);
		/* a Router Solicitation: answered */
		ipv6_link_local(ll, u->st6.local_ifid);
		assert_int_equal(fake_subscriber_send_ipv6(u, rs, nd_rs_build(rs, sizeof(rs), ll)), 0);
		fake_subscribers_pump(e.subs, e.lac);
		assert_int_equal(u->v6_rx, 2);
		assert_int_equal(v->srv.st.rs_rx, 1);
		/* DHCPv6: Solicit, Advertise, Request, Reply */
		t_dhcp(&e, u, DHCP6_SOLICIT, NULL);
		t_last_dhcp(u, &m);
		assert_int_equal(m.type, DHCP6_ADVERTISE);
		t_dhcp(&e, u, DHCP6_REQUEST, &m.server);
		t_last_dhcp(u, &m);
		assert_int_equal(m.type, DHCP6_REPLY);
		assert_int_equal(m.ia[0].n_lease, 1);
		assert_int_equal(m.ia[0].lease[0].plen, 56);
		memcpy(pd[i], m.ia[0].lease[0].addr, 16);
		assert_true(v->srv.lease.bound);
		for (unsigned j = 0; j < i; j++) {
			assert_memory_not_equal(p64[i], p64[j], 16);
			assert_memory_not_equal(pd[i], pd[j], 16);
		}
	}
	assert_int_equal(ipv6_pool_in_use(e.h->d.pools6, "LINKS"), T_SUBS);
	assert_int_equal(ipv6_pool_in_use(e.h->d.pools6, "PD"), T_SUBS);
	/* every session ends: its prefixes go back */
	for (unsigned i = 0; i < T_SUBS; i++) {
		h_cdn(e.lac, e.u[i]->sid, e.u[i]->peer_sid, L2TP_CDN_ADMIN);
		h_send(e.lac);
		assert_null(fake_subscriber_session(e.u[i]));
	}
	assert_int_equal(ipv6_pool_in_use(e.h->d.pools6, "LINKS"), 0);
	assert_int_equal(ipv6_pool_in_use(e.h->d.pools6, "PD"), 0);
}

/* The shows of a bound prefix, and `clear ipv6 dhcp binding`. */
static void test_show_and_clear(void **state)
{
	struct t_env e;
	struct dhcp6_msg m;
	char *txt, want[128];
	const struct l2tp_ppp_v6 *v;
	struct l2tp_session *s;

	t_up(state, &e);
	t_dhcp(&e, e.u[2], DHCP6_SOLICIT, NULL);
	t_last_dhcp(e.u[2], &m);
	t_dhcp(&e, e.u[2], DHCP6_REQUEST, &m.server);
	s = fake_subscriber_session(e.u[2]);
	v = l2tp_ppp_ipv6(s);
	assert_true(v->srv.lease.bound);
	txt = h_cmd(e.h, "show ipv6 dhcp binding", 0);
	assert_non_null(strstr(txt, "  DUID 00:03:00:01:02:00:00:00:00:16\n"
			       "  IA_PD IAID 0x00000001, prefix 2001:db8:100:200::/56, preferred "
			       "14400 s, valid 86400 s, expires in 86400 s\n1 DHCPv6 bindings\n"));
	free(txt);
	txt = h_cmd(e.h, "show l2tp session detail", 0);
	assert_non_null(strstr(txt, "  IPv6 prefix 2001:db8:1:2::/64 (pool LINKS), delegated "
			       "2001:db8:100:200::/56 (pool PD), bound\n"));
	assert_non_null(strstr(txt, "  IPv6 prefix 2001:db8:1::/64 (pool LINKS), delegated "
			       "2001:db8:100::/56 (pool PD), not bound\n"));
	free(txt);
	snprintf(want, sizeof want, "clear ipv6 dhcp binding tunnel %u session %u", s->t->tid,
		 s->sid);
	free(h_cmd(e.h, want, 0));
	assert_false(v->srv.lease.bound);
	free(h_cmd(e.h, want, -ENOENT));
	txt = h_cmd(e.h, "show ipv6 dhcp binding", 0);
	assert_string_equal(txt, "0 DHCPv6 bindings\n");
	free(txt);
}

static void test_malformed_counted(void **state)
{
	struct t_env e;
	uint8_t ll[16], bad[64];
	const struct l2tp_ppp_v6 *v;
	struct dhcp6_msg m;
	size_t n;

	t_up(state, &e);
	v = l2tp_ppp_ipv6(fake_subscriber_session(e.u[0]));
	assert_non_null(v);
	/* a DHCPv6 Solicit whose option runs past the message */
	ipv6_link_local(ll, e.u[0]->st6.local_ifid);
	memcpy(bad, (const uint8_t[]){ 1, 0, 0, 1, 0, 1, 0, 40, 0, 3 }, 10);
	n = ipv6_udp_build(bad + 0, sizeof(bad), ll, ipv6_all_dhcp, 546, 547,
			   (const uint8_t[]){ 1, 0, 0, 1, 0, 1, 0, 40, 0, 3 }, 10);
	assert_int_equal(fake_subscriber_send_ipv6(e.u[0], bad, n), 0);
	/* and a packet too short for IPv6 */
	assert_int_equal(fake_subscriber_send_ipv6(e.u[0], bad, 20), 0);
	fake_subscribers_pump(e.subs, e.lac);
	assert_int_equal(e.u[0]->v6_rx, 1);	/* the first RA only */
	assert_int_equal(v->srv.st.parse.err[IPV6_ERR_DHCP_OPT_PAST], 1);
	assert_int_equal(v->srv.st.parse.err[IPV6_ERR_SHORT], 1);
	/* the other sessions go on: one gets its prefix */
	t_dhcp(&e, e.u[1], DHCP6_SOLICIT, NULL);
	t_last_dhcp(e.u[1], &m);
	assert_int_equal(m.type, DHCP6_ADVERTISE);
	assert_int_equal(m.ia[0].n_lease, 1);
	assert_int_equal(fake_subscribers_up(e.subs), T_SUBS);
}

/* The daemon's sum of its IPv6 servers (d->v6_links, d->v6_live, which
 * `show ipv6 dhcp statistics` prints) equals a walk of every session's,
 * and the show says as many links; returns the links. */
static unsigned t_totals_check(struct harness *h)
{
	struct ipv6_server_stats sum;
	struct l2tp_tunnel *t;
	struct l2tp_session *s;
	unsigned n = 0;
	char want[32], *txt;

	memset(&sum, 0, sizeof(sum));
	LIST_FOREACH(t, &h->d.tunnels, link)
		LIST_FOREACH(s, &t->session_list, link)
			if (l2tp_ppp_ipv6(s) != NULL) {
				ipv6_server_stats_fold(&sum, &l2tp_ppp_ipv6(s)->srv.st, 1);
				n++;
			}
	assert_int_equal(h->d.v6_links, n);
	assert_memory_equal(&h->d.v6_live, &sum, sizeof(sum));
	snprintf(want, sizeof(want), "IPv6 links %u,", n);
	txt = h_cmd(h, "show ipv6 dhcp statistics", 0);
	assert_non_null(strstr(txt, want));
	free(txt);
	return n;
}

/*
 * The totals follow every count of every link: links up, DHCPv6 answered,
 * RAs sent, malformed packets refused, a session cleared, a failover (the
 * dead box's links gone, the new active's rebuilt with fresh counters), a
 * Renew after it.
 */
static void test_totals_equal_walk(void **state)
{
	static char cfg[sizeof(cfg_lns) + sizeof(H_CFG_HA_TAIL)];
	struct t_env e;
	struct dhcp6_msg m;
	struct dhcp6_duid server;
	uint8_t ll[16], bad[64];
	size_t n;

	snprintf(cfg, sizeof(cfg), "%s%s", cfg_lns, H_CFG_HA_TAIL);
	t_up_cfg(state, &e, cfg);
	assert_int_equal(t_totals_check(e.h), T_SUBS);
	t_dhcp(&e, e.u[1], DHCP6_SOLICIT, NULL);
	t_last_dhcp(e.u[1], &m);
	server = m.server;
	t_dhcp(&e, e.u[1], DHCP6_REQUEST, &server);
	assert_true(e.h->d.v6_live.dhcp_tx[DHCP6_REPLY] >= 1);
	t_totals_check(e.h);
	ipv6_link_local(ll, e.u[0]->st6.local_ifid);	/* malformed, twice */
	n = ipv6_udp_build(bad, sizeof(bad), ll, ipv6_all_dhcp, 546, 547,
			   (const uint8_t[]){ 1, 0, 0, 1, 0, 1, 0, 40, 0, 3 }, 10);
	assert_int_equal(fake_subscriber_send_ipv6(e.u[0], bad, n), 0);
	assert_int_equal(fake_subscriber_send_ipv6(e.u[0], bad, 20), 0);
	fake_subscribers_pump(e.subs, e.lac);
	assert_int_equal(e.h->d.v6_live.parse.err[IPV6_ERR_SHORT], 1);
	t_totals_check(e.h);
	clock_advance(&e.h->d.clk, 700000);		/* periodic RAs */
	fake_subscribers_pump(e.subs, e.lac);
	t_totals_check(e.h);
	h_cdn(e.lac, e.u[0]->sid, 20, L2TP_CDN_ADMIN);	/* the malformed one goes */
	h_send(e.lac);
	assert_int_equal(t_totals_check(e.h), T_SUBS - 1);
	assert_int_equal(e.h->d.v6_live.parse.err[IPV6_ERR_SHORT], 0);
	clock_advance(&e.h->d.clk, 1000);
	ha_flush(&e.h->d);

	fake_standby_crash(e.b);
	assert_int_equal(t_totals_check(e.h), 0);
	fake_standby_take_over(e.b);
	h_send_zlb(e.lac);
	assert_int_equal(t_totals_check(e.h), T_SUBS - 1);
	clock_advance(&e.h->d.clk, 7200000);		/* the Renew at T1 */
	t_dhcp(&e, e.u[1], DHCP6_RENEW, &server);
	t_last_dhcp(e.u[1], &m);
	assert_int_equal(m.type, DHCP6_REPLY);
	assert_true(e.h->d.v6_live.dhcp_rx[DHCP6_RENEW] >= 1);
	t_totals_check(e.h);
	fake_standby_detach(e.b);
}

static const char cfg_na_tail[] =
	"ipv6 local pool NA 2001:db8:ff::/120 128\n"
	"interface Virtual-Template 1\n"
	" ipv6 dhcp server address pool NA\n";

/* An address of the NA pool per subscriber (IA_NA with the IA_PD), shown
 * in the binding; checkpointed: the new active keeps it out of the pool and
 * answers the Renew with it; the session's end returns it. */
static void test_address_takeover(void **state)
{
	static char cfg[sizeof(cfg_lns) + sizeof(cfg_na_tail) + sizeof(H_CFG_HA_TAIL)];
	uint8_t na[T_SUBS][16];
	struct dhcp6_msg m;
	struct dhcp6_duid server;
	const struct l2tp_ppp_v6 *v;
	struct dhcp6_ia *ia;
	struct t_env e;
	char *txt;

	snprintf(cfg, sizeof(cfg), "%s%s%s", cfg_lns, H_CFG_HA_TAIL, cfg_na_tail);
	t_up_cfg(state, &e, cfg);
	e.na = 1;
	for (unsigned i = 0; i < T_SUBS; i++) {
		t_dhcp(&e, e.u[i], DHCP6_SOLICIT, NULL);
		t_last_dhcp(e.u[i], &m);
		server = m.server;
		t_dhcp(&e, e.u[i], DHCP6_REQUEST, &server);
		t_last_dhcp(e.u[i], &m);
		assert_int_equal(m.type, DHCP6_REPLY);
		ia = dhcp6_find_ia(&m, DHCP6_OPT_IA_NA, 2);
		assert_non_null(ia);
		assert_int_equal(ia->n_lease, 1);
		assert_int_equal(ia->lease[0].plen, 128);
		memcpy(na[i], ia->lease[0].addr, 16);
		assert_non_null(dhcp6_find_ia(&m, DHCP6_OPT_IA_PD, 1));
		for (unsigned j = 0; j < i; j++)
			assert_memory_not_equal(na[i], na[j], 16);
	}
	assert_int_equal(ipv6_pool_in_use(e.h->d.pools6, "NA"), T_SUBS);
	txt = h_cmd(e.h, "show ipv6 dhcp binding", 0);
	assert_non_null(strstr(txt, "  IA_NA IAID 0x00000002, address 2001:db8:ff::1, preferred "
			       "14400 s, valid 86400 s, expires in 86400 s\n"));
	free(txt);
	clock_advance(&e.h->d.clk, 1000);
	ha_flush(&e.h->d);

	fake_standby_crash(e.b);
	fake_standby_take_over(e.b);
	h_send_zlb(e.lac);
	v = l2tp_ppp_ipv6(fake_subscriber_session(e.u[1]));
	assert_non_null(v);
	assert_true(v->srv.has_na);
	assert_memory_equal(v->srv.na, na[1], 16);
	assert_true(v->srv.na_lease.bound);
	assert_int_equal(v->srv.na_lease.iaid, 2);
	assert_int_equal(ipv6_pool_in_use(e.h->d.pools6, "NA"), T_SUBS);
	/* the Renew: the same address, the checkpointed binding */
	clock_advance(&e.h->d.clk, 7200000);
	t_dhcp(&e, e.u[1], DHCP6_RENEW, &server);
	t_last_dhcp(e.u[1], &m);
	ia = dhcp6_find_ia(&m, DHCP6_OPT_IA_NA, 2);
	assert_non_null(ia);
	assert_int_equal(ia->status, DHCP6_ST_NONE);
	assert_memory_equal(ia->lease[0].addr, na[1], 16);
	assert_int_equal(v->srv.st.dhcp_no_binding, 0);
	/* the sessions end: the addresses go back */
	for (unsigned i = 0; i < T_SUBS; i++) {
		h_cdn(e.lac, e.u[i]->sid, e.u[i]->peer_sid, L2TP_CDN_ADMIN);
		h_send(e.lac);
	}
	assert_int_equal(ipv6_pool_in_use(e.h->d.pools6, "NA"), 0);
	fake_standby_detach(e.b);
}

/* The subscriber declines its address (RFC 8415 §18.3.8): answered
 * Success; the session gets another from the pool, the declined one stays
 * out of the pool (given to no other session) until the session ends;
 * counted in the session's show. */
static void test_address_decline(void **state)
{
	static char cfg[sizeof(cfg_lns) + sizeof(cfg_na_tail)];
	uint8_t na[16];
	struct dhcp6_msg m;
	struct dhcp6_duid server;
	const struct l2tp_ppp_v6 *v;
	struct dhcp6_ia *ia;
	struct t_env e;
	char *txt;

	snprintf(cfg, sizeof(cfg), "%s%s", cfg_lns, cfg_na_tail);
	t_up_cfg(state, &e, cfg);
	e.na = 1;
	t_dhcp(&e, e.u[0], DHCP6_SOLICIT, NULL);
	t_last_dhcp(e.u[0], &m);
	server = m.server;
	t_dhcp(&e, e.u[0], DHCP6_REQUEST, &server);
	t_last_dhcp(e.u[0], &m);
	ia = dhcp6_find_ia(&m, DHCP6_OPT_IA_NA, 2);
	assert_non_null(ia);
	memcpy(na, ia->lease[0].addr, 16);
	v = l2tp_ppp_ipv6(fake_subscriber_session(e.u[0]));
	assert_true(v->srv.na_lease.bound);
	assert_int_equal(ipv6_pool_in_use(e.h->d.pools6, "NA"), T_SUBS);
	e.na_addr = na;
	t_dhcp(&e, e.u[0], DHCP6_DECLINE, &server);
	e.na_addr = NULL;
	t_last_dhcp(e.u[0], &m);
	assert_int_equal(m.type, DHCP6_REPLY);
	assert_int_equal(m.status, DHCP6_ST_SUCCESS);
	assert_int_equal(m.n_ia, 0);	/* the IA_PD is not declined */
	assert_int_equal(v->srv.st.dhcp_declined, 1);
	assert_false(v->srv.na_lease.bound);
	/* another address for the session; the declined one kept out */
	assert_memory_not_equal(v->srv.na, na, 16);
	assert_int_equal(v->n_declined, 1);
	assert_int_equal(ipv6_pool_in_use(e.h->d.pools6, "NA"), T_SUBS + 1);
	t_dhcp(&e, e.u[0], DHCP6_REQUEST, &server);
	t_last_dhcp(e.u[0], &m);
	ia = dhcp6_find_ia(&m, DHCP6_OPT_IA_NA, 2);
	assert_non_null(ia);
	assert_int_equal(ia->status, DHCP6_ST_NONE);
	assert_memory_equal(ia->lease[0].addr, v->srv.na, 16);
	txt = h_cmd(e.h, "show l2tp session detail", 0);
	assert_non_null(strstr(txt, ", declined 1"));
	free(txt);
	/* the sum over the sessions (each of T_SUBS solicited a router) */
	txt = h_cmd(e.h, "show ipv6 dhcp statistics", 0);
	assert_non_null(strstr(txt, "IPv6 links 4, malformed packets refused 0\n"
			       "  Received: SOLICIT 1, REQUEST 2, CONFIRM 0, RENEW 0, REBIND 0, "
			       "RELEASE 0, DECLINE 1, INFORMATION-REQUEST 0\n"
			       "  Sent: ADVERTISE 1, REPLY 3\n"
			       "  Addresses declined 1, no binding 0, no prefix 0, no address 0,"));
	assert_non_null(strstr(txt, "IPv6 receive socket (linux data path): not open\n"));
	free(txt);
	/* the session ends: both go back */
	h_cdn(e.lac, e.u[0]->sid, e.u[0]->peer_sid, L2TP_CDN_ADMIN);
	h_send(e.lac);
	assert_int_equal(ipv6_pool_in_use(e.h->d.pools6, "NA"), T_SUBS - 1);
}

static void t_close_fd(void *arg)
{
	close(*(int *)arg);
}

/*
 * On a pppN, IPv6CP opens before IPCP (pppd's own order, seen under the
 * kernel): the unit goes up then, so that the link's /64 and delegated
 * prefix are routed through it at once; IPCP opening later adds its
 * addresses, the routes stay.  (The kernel refuses a route through an
 * interface that is down; so does the null path's record.)  The unit is
 * the null path's, given a descriptor and an interface index as the
 * kernel's pppN has; the PPP frames still travel in user space.
 */
static void test_pppn_ipv6cp_first(void **state)
{
	struct harness *h = h_new(state, cfg_lns);
	struct fake_subscribers *subs = fake_subscribers_new(h);
	static int fd;
	struct l2tp_session *s;
	struct l2tp_ppp_link *pl;
	struct fake_subscriber *u;
	struct ppp_config c;
	struct h_peer *lac;

	fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	h_at_free(h, t_close_fd, &fd);
	assert_int_equal(ippool_setup(&h->d.pools, &h->d.cfg), 0);
	assert_int_equal(ipv6_pool_setup(&h->d.pools6, &h->d.cfg), 0);
	clock_advance(&h->d.clk, 1000000);
	lac = h_lns_tunnel(h, "192.0.2.2", 100, "lac1");
	u = fake_subscriber_add(subs, lac, 20);
	u->sid = h_lns_call(h, lac, 20);
	s = fake_subscriber_session(u);
	assert_non_null(s);
	pl = s->ppp_link;
	assert_non_null(pl);
	assert_true(pl->dp_open);
	assert_int_equal(dp_ppp_unit_open(h->d.dp, s->t->tid, s->sid, "ppp9", &pl->dpp), 0);
	pl->dpp.unit_fd = fd;
	pl->dpp.ifindex = 41;
	fake_subscriber_config(&c, "local1", "lpass");
	c.n_auth = 1;
	c.ipv6 = 1;
	u->hold_proto = PPP_PROTO_IPCP;
	fake_subscriber_open(u, &c);
	fake_subscribers_pump(subs, lac);
	assert_true(u->v6_up);
	assert_false(u->up);
	assert_non_null(l2tp_ppp_ipv6(s));
	/* the /64 on-link and the /56 via the subscriber's link-local address */
	assert_int_equal(h->d.dp->count.routes, 2);
	u->hold_proto = 0;
	fake_subscribers_pump(subs, lac);
	assert_true(u->up);
	assert_int_equal(h->d.dp->count.routes, 2);
	/* the session ends: its routes go */
	h_cdn(lac, u->sid, u->peer_sid, L2TP_CDN_ADMIN);
	h_send(lac);
	assert_null(fake_subscriber_session(u));
	assert_int_equal(h->d.dp->count.routes, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_prefixes_per_session, h_teardown),
		cmocka_unit_test_teardown(test_malformed_counted, h_teardown),
		cmocka_unit_test_teardown(test_totals_equal_walk, h_teardown),
		cmocka_unit_test_teardown(test_show_and_clear, h_teardown),
		cmocka_unit_test_teardown(test_takeover_keeps_prefixes, h_teardown),
		cmocka_unit_test_teardown(test_address_takeover, h_teardown),
		cmocka_unit_test_teardown(test_address_decline, h_teardown),
		cmocka_unit_test_teardown(test_pppn_ipv6cp_first, h_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
