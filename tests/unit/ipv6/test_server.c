/*
 * The IPv6 server of a PPP link (ipv6/server.c, server_dhcp.c) on a
 * simulated clock, its packets caught and parsed back: router
 * advertisements (at start, the initial ones, periodic, answering a
 * solicitation, rate-limited), and DHCPv6 prefix delegation through a
 * client's life: Solicit/Advertise, Request/Reply binding its DUID and
 * IAID, Renew and Rebind extending it, a Renew naming another server
 * dropped, another client refused, Release, rapid commit, Confirm, the
 * lease expiring, malformed messages counted, and a checkpointed lease
 * restored whose Renew is answered with the same prefix.  IA_NA: the
 * session's address given, bound, renewed, released, expired, confirmed
 * on link, restored; refused when there is none or another client holds
 * it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "core/clock.h"
#include "ipv6/server.h"

struct t_link {
	struct l2tp_clock clk;
	struct ipv6_server s;
	uint8_t pkt[8][1280];
	size_t len[8];
	unsigned n;
	unsigned declines;		/* ops->declined calls */
};

static const uint8_t our_ifid[8] = { 0, 0, 0, 0, 0, 0, 0, 1 };
static const uint8_t peer_ifid[8] = { 0x02, 0x11, 0x22, 0xff, 0xfe, 0x33, 0x44, 0x55 };
static const uint8_t duid_a[10] = { 0, 3, 0, 1, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55 };
static const uint8_t duid_b[10] = { 0, 3, 0, 1, 0x00, 0x11, 0x22, 0x33, 0x44, 0x66 };

static void t_send(void *arg, const uint8_t *pkt, size_t len)
{
	struct t_link *l = arg;

	assert_true(l->n < 8);
	assert_true(len <= sizeof(l->pkt[0]));
	memcpy(l->pkt[l->n], pkt, len);
	l->len[l->n++] = len;
}

static void t_declined(void *arg)
{
	struct t_link *l = arg;

	l->declines++;
}

static const struct ipv6_server_ops t_ops = { .send = t_send, .declined = t_declined };

static void t_pfx(const char *s, uint8_t out[16])
{
	assert_int_equal(inet_pton(AF_INET6, s, out), 1);
}

static int t_setup(void **state)
{
	static struct t_link l;
	struct ipv6_server_cfg cfg = { 0 };
	uint8_t p64[16], pd[16];

	memset(&l, 0, sizeof(l));
	clock_init(&l.clk, 1);
	cfg.ra_flags = ND_RA_OTHER;
	cfg.ra_interval = 200;
	cfg.ra_lifetime = 1800;
	cfg.mtu = 1460;
	t_pfx("2001:db8::53", cfg.dns[0]);
	cfg.pd_valid = 7200;
	cfg.pd_preferred = 3600;
	dhcp6_duid_uuid(&cfg.duid, (const uint8_t[16]){ 0xab, 0xcd });
	ipv6_server_init(&l.s, &t_ops, &l, &l.clk, &cfg, our_ifid, peer_ifid);
	t_pfx("2001:db8:1:7::", p64);
	t_pfx("2001:db8:100:700::", pd);
	ipv6_server_set_prefixes(&l.s, p64, pd, 56);
	*state = &l;
	return 0;
}

static int t_teardown(void **state)
{
	struct t_link *l = *state;

	ipv6_server_stop(&l->s);
	clock_destroy(&l->clk);
	return 0;
}

/* The RA caught at index i, parsed. */
static void t_ra(struct t_link *l, unsigned i, struct nd_ra *ra)
{
	struct ipv6_stats st = { 0 };
	struct ipv6_pkt p;

	assert_true(i < l->n);
	assert_int_equal(ipv6_pkt_parse(l->pkt[i], l->len[i], &p, &st), 0);
	assert_memory_equal(p.dst, ipv6_all_nodes, 16);
	assert_int_equal(nd_ra_parse(&p, ra, &st), 0);
}

static void test_ra_schedule(void **state)
{
	struct t_link *l = *state;
	uint8_t p64[16];
	struct nd_ra ra;

	assert_int_equal(ipv6_server_start(&l->s), 0);
	clock_advance(&l->clk, 0);
	assert_int_equal(l->n, 1);
	t_ra(l, 0, &ra);
	t_pfx("2001:db8:1:7::", p64);
	assert_int_equal(ra.n_prefix, 1);
	assert_memory_equal(ra.prefix[0].prefix, p64, 16);
	assert_int_equal(ra.prefix[0].len, 64);
	assert_int_equal(ra.prefix[0].flags, ND_PREFIX_ONLINK | ND_PREFIX_AUTO);
	assert_int_equal(ra.flags, ND_RA_OTHER);
	assert_int_equal(ra.router_lifetime, 1800);
	assert_int_equal(ra.mtu, 1460);
	assert_int_equal(ra.n_rdnss, 1);
	assert_int_equal(ra.rdnss_lifetime, 600);
	/* two more 16 s apart, then every 200 s */
	clock_advance(&l->clk, 15999);
	assert_int_equal(l->n, 1);
	clock_advance(&l->clk, 1);
	assert_int_equal(l->n, 2);
	clock_advance(&l->clk, 16000);
	assert_int_equal(l->n, 3);
	clock_advance(&l->clk, 199999);
	assert_int_equal(l->n, 3);
	clock_advance(&l->clk, 1);
	assert_int_equal(l->n, 4);
	assert_int_equal(l->s.st.ra_tx, 4);
	/* the last one: lifetimes 0 */
	ipv6_server_send_ra(&l->s, 1);
	t_ra(l, 4, &ra);
	assert_int_equal(ra.router_lifetime, 0);
	assert_int_equal(ra.prefix[0].valid, 0);
}

static void test_rs(void **state)
{
	struct t_link *l = *state;
	uint8_t rs[64];
	size_t n = nd_rs_build(rs, sizeof(rs), l->s.peer_ll);

	clock_advance(&l->clk, 1000);
	assert_int_equal(ipv6_server_input(&l->s, rs, n), 0);
	assert_int_equal(l->n, 1);
	assert_int_equal(l->s.st.rs_rx, 1);
	/* a second within 3 s: rate-limited, counted */
	clock_advance(&l->clk, 2999);
	assert_int_equal(ipv6_server_input(&l->s, rs, n), 0);
	assert_int_equal(l->n, 1);
	assert_int_equal(l->s.st.rs_rate_limited, 1);
	clock_advance(&l->clk, 1);
	assert_int_equal(ipv6_server_input(&l->s, rs, n), 0);
	assert_int_equal(l->n, 2);
	/* malformed: counted in parse, nothing sent */
	rs[7] = 64;
	assert_int_equal(ipv6_server_input(&l->s, rs, n), -EINVAL);
	assert_int_equal(l->s.st.parse.err[IPV6_ERR_ND_HOP_LIMIT], 1);
	assert_int_equal(l->n, 2);
}

/* A client message from the peer's link-local address: one IA of code. */
static int t_dhcp_ia(struct t_link *l, uint8_t type, const uint8_t *duid, uint16_t code,
		     uint32_t iaid, const struct dhcp6_duid *server, int rapid)
{
	struct dhcp6_msg m;
	uint8_t msg[512], pkt[600];
	size_t n;

	dhcp6_msg_init(&m, type, 0x42);
	m.client.len = 10;
	memcpy(m.client.b, duid, 10);
	if (server)
		m.server = *server;
	m.rapid_commit = rapid;
	m.n_oro = 1;
	m.oro[0] = DHCP6_OPT_DNS_SERVERS;
	m.n_ia = 1;
	m.ia[0].code = code;
	m.ia[0].iaid = iaid;
	m.ia[0].status = DHCP6_ST_NONE;
	n = dhcp6_build(msg, sizeof(msg), &m);
	assert_true(n > 0);
	n = ipv6_udp_build(pkt, sizeof(pkt), l->s.peer_ll, ipv6_all_dhcp, DHCP6_CLIENT_PORT,
			   DHCP6_SERVER_PORT, msg, n);
	return ipv6_server_input(&l->s, pkt, n);
}

static int t_dhcp(struct t_link *l, uint8_t type, const uint8_t *duid, uint32_t iaid,
		  const struct dhcp6_duid *server, int rapid)
{
	return t_dhcp_ia(l, type, duid, DHCP6_OPT_IA_PD, iaid, server, rapid);
}

/* The last packet sent, as DHCPv6 to the peer. */
static void t_answer(struct t_link *l, struct dhcp6_msg *m)
{
	struct ipv6_stats st = { 0 };
	struct ipv6_pkt p;
	struct ipv6_udp u;

	assert_true(l->n > 0);
	assert_int_equal(ipv6_pkt_parse(l->pkt[l->n - 1], l->len[l->n - 1], &p, &st), 0);
	assert_memory_equal(p.dst, l->s.peer_ll, 16);
	assert_memory_equal(p.src, l->s.ll, 16);
	assert_int_equal(ipv6_udp_parse(&p, &u, &st), 0);
	assert_int_equal(u.sport, DHCP6_SERVER_PORT);
	assert_int_equal(u.dport, DHCP6_CLIENT_PORT);
	assert_int_equal(dhcp6_parse(u.data, u.len, m, &st), 0);
	assert_int_equal(m->xid, 0x42);
}

static void t_assert_pd(const struct dhcp6_msg *m, uint32_t iaid)
{
	uint8_t pd[16];

	t_pfx("2001:db8:100:700::", pd);
	assert_int_equal(m->n_ia, 1);
	assert_int_equal(m->ia[0].code, DHCP6_OPT_IA_PD);
	assert_int_equal(m->ia[0].iaid, iaid);
	assert_int_equal(m->ia[0].status, DHCP6_ST_NONE);
	assert_int_equal(m->ia[0].t1, 1800);
	assert_int_equal(m->ia[0].t2, 2880);
	assert_int_equal(m->ia[0].n_lease, 1);
	assert_memory_equal(m->ia[0].lease[0].addr, pd, 16);
	assert_int_equal(m->ia[0].lease[0].plen, 56);
	assert_int_equal(m->ia[0].lease[0].valid, 7200);
	assert_int_equal(m->ia[0].lease[0].preferred, 3600);
}

static void test_pd_life(void **state)
{
	struct t_link *l = *state;
	struct dhcp6_duid other;
	struct dhcp6_msg m;

	/* Solicit: Advertise, nothing bound */
	assert_int_equal(t_dhcp(l, DHCP6_SOLICIT, duid_a, 7, NULL, 0), 0);
	t_answer(l, &m);
	assert_int_equal(m.type, DHCP6_ADVERTISE);
	assert_true(dhcp6_duid_equal(&m.server, &l->s.cfg.duid));
	assert_int_equal(m.client.len, 10);
	assert_int_equal(m.n_dns, 1);
	t_assert_pd(&m, 7);
	assert_false(l->s.lease.bound);
	/* Request: Reply, bound to this DUID and IAID */
	clock_advance(&l->clk, 1000);
	assert_int_equal(t_dhcp(l, DHCP6_REQUEST, duid_a, 7, &l->s.cfg.duid, 0), 0);
	t_answer(l, &m);
	assert_int_equal(m.type, DHCP6_REPLY);
	t_assert_pd(&m, 7);
	assert_true(l->s.lease.bound);
	assert_int_equal(l->s.lease.iaid, 7);
	assert_memory_equal(l->s.lease.client.b, duid_a, 10);
	assert_int_equal(l->s.lease.start_ms, 1000);
	/* another client: no prefix for it */
	assert_int_equal(t_dhcp(l, DHCP6_SOLICIT, duid_b, 1, NULL, 0), 0);
	t_answer(l, &m);
	assert_int_equal(m.ia[0].status, DHCP6_ST_NO_PREFIX_AVAIL);
	assert_int_equal(m.ia[0].n_lease, 0);
	assert_int_equal(l->s.st.dhcp_no_prefix, 1);
	/* Renew naming another server: dropped (RFC 8415 §16.6) */
	dhcp6_duid_uuid(&other, (const uint8_t[16]){ 0x99 });
	l->n = 0;
	assert_int_equal(t_dhcp(l, DHCP6_RENEW, duid_a, 7, &other, 0), -EPERM);
	assert_int_equal(l->n, 0);
	assert_int_equal(l->s.st.dhcp_wrong_server, 1);
	/* Renew at T1: the same prefix, the lease restarted */
	clock_advance(&l->clk, 1800000);
	assert_int_equal(t_dhcp(l, DHCP6_RENEW, duid_a, 7, &l->s.cfg.duid, 0), 0);
	t_answer(l, &m);
	t_assert_pd(&m, 7);
	assert_int_equal(l->s.lease.start_ms, 1801000);
	/* Renew of an IAID we do not hold: NoBinding */
	assert_int_equal(t_dhcp(l, DHCP6_RENEW, duid_a, 8, &l->s.cfg.duid, 0), 0);
	t_answer(l, &m);
	assert_int_equal(m.ia[0].status, DHCP6_ST_NO_BINDING);
	assert_int_equal(l->s.st.dhcp_no_binding, 1);
	/* Rebind: no server named; same prefix */
	assert_int_equal(t_dhcp(l, DHCP6_REBIND, duid_a, 7, NULL, 0), 0);
	t_answer(l, &m);
	t_assert_pd(&m, 7);
	/* a Rebind naming a server is refused by §16.7 */
	assert_int_equal(t_dhcp(l, DHCP6_REBIND, duid_a, 7, &l->s.cfg.duid, 0), -EINVAL);
	assert_int_equal(l->s.st.parse.err[IPV6_ERR_DHCP_IDS], 1);
	/* Release: unbound, Success */
	assert_int_equal(t_dhcp(l, DHCP6_RELEASE, duid_a, 7, &l->s.cfg.duid, 0), 0);
	t_answer(l, &m);
	assert_int_equal(m.status, DHCP6_ST_SUCCESS);
	assert_false(l->s.lease.bound);
	/* now the other client may have it, at once by rapid commit? not
	 * configured: an Advertise */
	assert_int_equal(t_dhcp(l, DHCP6_SOLICIT, duid_b, 1, NULL, 1), 0);
	t_answer(l, &m);
	assert_int_equal(m.type, DHCP6_ADVERTISE);
	assert_false(m.rapid_commit);
	assert_int_equal(l->s.st.dhcp_rx[DHCP6_SOLICIT], 3);
	assert_int_equal(l->s.st.dhcp_tx[DHCP6_ADVERTISE], 3);
}

static void test_rapid_commit_and_expiry(void **state)
{
	struct t_link *l = *state;
	struct dhcp6_msg m;

	l->s.cfg.rapid_commit = 1;
	assert_int_equal(t_dhcp(l, DHCP6_SOLICIT, duid_a, 3, NULL, 1), 0);
	t_answer(l, &m);
	assert_int_equal(m.type, DHCP6_REPLY);
	assert_true(m.rapid_commit);
	t_assert_pd(&m, 3);
	assert_true(l->s.lease.bound);
	/* no Renew: the binding goes with the valid lifetime */
	clock_advance(&l->clk, 7199999);
	assert_true(l->s.lease.bound);
	clock_advance(&l->clk, 1);
	assert_false(l->s.lease.bound);
	assert_int_equal(l->s.st.leases_expired, 1);
	assert_int_equal(t_dhcp(l, DHCP6_RENEW, duid_a, 3, &l->s.cfg.duid, 0), 0);
	t_answer(l, &m);
	assert_int_equal(m.ia[0].status, DHCP6_ST_NO_BINDING);
}

static void test_restored_lease(void **state)
{
	struct t_link *l = *state;
	struct ipv6_lease lease = { 0 };
	struct dhcp6_msg m;

	/* as a checkpoint carries it: bound 1000 s ago (at 0, now 1000 s) */
	clock_advance(&l->clk, 1000000);
	lease.bound = 1;
	lease.client.len = 10;
	memcpy(lease.client.b, duid_a, 10);
	lease.iaid = 9;
	lease.start_ms = 0;
	lease.valid = 7200;
	lease.preferred = 3600;
	ipv6_server_restore_lease(&l->s, &lease);
	/* the client's Renew, naming the shared server DUID: the same prefix */
	assert_int_equal(t_dhcp(l, DHCP6_RENEW, duid_a, 9, &l->s.cfg.duid, 0), 0);
	t_answer(l, &m);
	assert_int_equal(m.type, DHCP6_REPLY);
	t_assert_pd(&m, 9);
	/* a restored lease past its end expires at once */
	lease.start_ms = 0;
	lease.valid = 10;
	ipv6_server_restore_lease(&l->s, &lease);
	clock_advance(&l->clk, 0);
	assert_false(l->s.lease.bound);
}

static void test_confirm_info_malformed(void **state)
{
	struct t_link *l = *state;
	struct dhcp6_msg m;
	uint8_t msg[512], pkt[600];
	size_t n;

	/* Confirm with an address on the link, then one off it */
	dhcp6_msg_init(&m, DHCP6_CONFIRM, 0x42);
	m.client.len = 10;
	memcpy(m.client.b, duid_a, 10);
	m.n_ia = 1;
	m.ia[0].code = DHCP6_OPT_IA_NA;
	m.ia[0].status = DHCP6_ST_NONE;
	m.ia[0].n_lease = 1;
	m.ia[0].lease[0].plen = 128;
	m.ia[0].lease[0].status = DHCP6_ST_NONE;
	t_pfx("2001:db8:1:7::99", m.ia[0].lease[0].addr);
	n = dhcp6_build(msg, sizeof(msg), &m);
	n = ipv6_udp_build(pkt, sizeof(pkt), l->s.peer_ll, ipv6_all_dhcp, 546, 547, msg, n);
	assert_int_equal(ipv6_server_input(&l->s, pkt, n), 0);
	t_answer(l, &m);
	assert_int_equal(m.status, DHCP6_ST_SUCCESS);
	dhcp6_msg_init(&m, DHCP6_CONFIRM, 0x42);
	m.client.len = 10;
	memcpy(m.client.b, duid_a, 10);
	m.n_ia = 1;
	m.ia[0].code = DHCP6_OPT_IA_NA;
	m.ia[0].status = DHCP6_ST_NONE;
	m.ia[0].n_lease = 1;
	m.ia[0].lease[0].plen = 128;
	m.ia[0].lease[0].status = DHCP6_ST_NONE;
	t_pfx("2001:db8:9::99", m.ia[0].lease[0].addr);
	n = dhcp6_build(msg, sizeof(msg), &m);
	n = ipv6_udp_build(pkt, sizeof(pkt), l->s.peer_ll, ipv6_all_dhcp, 546, 547, msg, n);
	assert_int_equal(ipv6_server_input(&l->s, pkt, n), 0);
	t_answer(l, &m);
	assert_int_equal(m.status, DHCP6_ST_NOT_ON_LINK);
	/* a Confirm without addresses: no Reply (§18.3.3) */
	l->n = 0;
	dhcp6_msg_init(&m, DHCP6_CONFIRM, 0x42);
	m.client.len = 10;
	memcpy(m.client.b, duid_a, 10);
	m.n_ia = 1;
	m.ia[0].code = DHCP6_OPT_IA_NA;
	m.ia[0].status = DHCP6_ST_NONE;
	n = dhcp6_build(msg, sizeof(msg), &m);
	n = ipv6_udp_build(pkt, sizeof(pkt), l->s.peer_ll, ipv6_all_dhcp, 546, 547, msg, n);
	assert_int_equal(ipv6_server_input(&l->s, pkt, n), 0);
	assert_int_equal(l->n, 0);
	/* a truncated option: refused, counted, no answer */
	msg[0] = DHCP6_SOLICIT;
	msg[4] = 0;
	msg[5] = 1;
	msg[6] = 0;
	msg[7] = 200;
	n = ipv6_udp_build(pkt, sizeof(pkt), l->s.peer_ll, ipv6_all_dhcp, 546, 547, msg, 12);
	assert_int_equal(ipv6_server_input(&l->s, pkt, n), -EINVAL);
	assert_int_equal(l->s.st.parse.err[IPV6_ERR_DHCP_OPT_PAST], 1);
	assert_int_equal(l->n, 0);
	/* UDP to another port: not ours */
	n = ipv6_udp_build(pkt, sizeof(pkt), l->s.peer_ll, ipv6_all_dhcp, 546, 53, msg, 12);
	assert_int_equal(ipv6_server_input(&l->s, pkt, n), -ENOMSG);
	assert_int_equal(l->s.st.other_rx, 1);
}

static void t_assert_na(const struct dhcp6_msg *m, uint32_t iaid)
{
	uint8_t na[16];

	t_pfx("2001:db8:ff::21", na);
	assert_int_equal(m->n_ia, 1);
	assert_int_equal(m->ia[0].code, DHCP6_OPT_IA_NA);
	assert_int_equal(m->ia[0].iaid, iaid);
	assert_int_equal(m->ia[0].status, DHCP6_ST_NONE);
	assert_int_equal(m->ia[0].t1, 1800);
	assert_int_equal(m->ia[0].n_lease, 1);
	assert_memory_equal(m->ia[0].lease[0].addr, na, 16);
	assert_int_equal(m->ia[0].lease[0].plen, 128);
	assert_int_equal(m->ia[0].lease[0].valid, 7200);
	assert_int_equal(m->ia[0].lease[0].preferred, 3600);
}

/* No address configured: IA_NA gets NoAddrsAvail, counted; with one, a
 * client's life: Solicit, Request, Renew, Confirm, Release, expiry; the
 * prefix's binding untouched by all of it. */
static void test_na_life(void **state)
{
	struct t_link *l = *state;
	struct dhcp6_msg m;
	uint8_t na[16];

	assert_int_equal(t_dhcp_ia(l, DHCP6_SOLICIT, duid_a, DHCP6_OPT_IA_NA, 5, NULL, 0), 0);
	t_answer(l, &m);
	assert_int_equal(m.ia[0].status, DHCP6_ST_NO_ADDRS_AVAIL);
	assert_int_equal(m.ia[0].n_lease, 0);
	assert_int_equal(l->s.st.dhcp_no_addr, 1);
	t_pfx("2001:db8:ff::21", na);
	ipv6_server_set_address(&l->s, na);
	assert_int_equal(t_dhcp_ia(l, DHCP6_SOLICIT, duid_a, DHCP6_OPT_IA_NA, 5, NULL, 0), 0);
	t_answer(l, &m);
	assert_int_equal(m.type, DHCP6_ADVERTISE);
	t_assert_na(&m, 5);
	assert_false(l->s.na_lease.bound);
	clock_advance(&l->clk, 1000);
	assert_int_equal(t_dhcp_ia(l, DHCP6_REQUEST, duid_a, DHCP6_OPT_IA_NA, 5, &l->s.cfg.duid, 0),
			 0);
	t_answer(l, &m);
	t_assert_na(&m, 5);
	assert_true(l->s.na_lease.bound);
	assert_false(l->s.lease.bound);
	assert_int_equal(l->s.na_lease.iaid, 5);
	assert_int_equal(l->s.na_lease.start_ms, 1000);
	/* another client: none for it */
	assert_int_equal(t_dhcp_ia(l, DHCP6_SOLICIT, duid_b, DHCP6_OPT_IA_NA, 5, NULL, 0), 0);
	t_answer(l, &m);
	assert_int_equal(m.ia[0].status, DHCP6_ST_NO_ADDRS_AVAIL);
	assert_int_equal(l->s.st.dhcp_no_addr, 2);
	/* Renew: extended; another IAID: NoBinding */
	clock_advance(&l->clk, 1800000);
	assert_int_equal(t_dhcp_ia(l, DHCP6_RENEW, duid_a, DHCP6_OPT_IA_NA, 5, &l->s.cfg.duid, 0),
			 0);
	t_answer(l, &m);
	t_assert_na(&m, 5);
	assert_int_equal(l->s.na_lease.start_ms, 1801000);
	assert_int_equal(t_dhcp_ia(l, DHCP6_RENEW, duid_a, DHCP6_OPT_IA_NA, 6, &l->s.cfg.duid, 0),
			 0);
	t_answer(l, &m);
	assert_int_equal(m.ia[0].status, DHCP6_ST_NO_BINDING);
	/* no Renew: the binding goes at the valid lifetime, counted */
	clock_advance(&l->clk, 7199999);
	assert_true(l->s.na_lease.bound);
	clock_advance(&l->clk, 1);
	assert_false(l->s.na_lease.bound);
	assert_int_equal(l->s.st.leases_expired, 1);
	/* bound again, then Released */
	assert_int_equal(t_dhcp_ia(l, DHCP6_REQUEST, duid_a, DHCP6_OPT_IA_NA, 5, &l->s.cfg.duid, 0),
			 0);
	assert_true(l->s.na_lease.bound);
	assert_int_equal(t_dhcp_ia(l, DHCP6_RELEASE, duid_a, DHCP6_OPT_IA_NA, 5, &l->s.cfg.duid, 0),
			 0);
	t_answer(l, &m);
	assert_int_equal(m.status, DHCP6_ST_SUCCESS);
	assert_false(l->s.na_lease.bound);
	assert_int_equal(l->s.st.dhcp_no_binding, 1);
}

/* A Decline (RFC 8415 §18.3.8) of client duid: IA_NA iaid carrying
 * address na, and IA_NA 9 that no binding has. */
static int t_decline(struct t_link *l, const uint8_t *duid, uint32_t iaid, const uint8_t *na)
{
	struct dhcp6_msg m;
	uint8_t msg[512], pkt[600];
	size_t n;

	dhcp6_msg_init(&m, DHCP6_DECLINE, 0x42);
	m.client.len = 10;
	memcpy(m.client.b, duid, 10);
	m.server = l->s.cfg.duid;
	m.n_ia = 2;
	m.ia[0].code = DHCP6_OPT_IA_NA;
	m.ia[0].iaid = iaid;
	m.ia[0].status = DHCP6_ST_NONE;
	m.ia[0].n_lease = 1;
	memcpy(m.ia[0].lease[0].addr, na, 16);
	m.ia[0].lease[0].plen = 128;
	m.ia[0].lease[0].status = DHCP6_ST_NONE;
	m.ia[1].code = DHCP6_OPT_IA_NA;
	m.ia[1].iaid = 9;
	m.ia[1].status = DHCP6_ST_NONE;
	n = dhcp6_build(msg, sizeof(msg), &m);
	assert_true(n > 0);
	n = ipv6_udp_build(pkt, sizeof(pkt), l->s.peer_ll, ipv6_all_dhcp, DHCP6_CLIENT_PORT,
			   DHCP6_SERVER_PORT, msg, n);
	return ipv6_server_input(&l->s, pkt, n);
}

/* Decline: the bound address is unbound and held back (IA_NA gets
 * NoAddrsAvail) for IPV6_SRV_DECLINE_HOLD_MS, the caller told; the Reply
 * says Success, NoBinding for the IA with no binding; counted.  Another
 * client's Decline declines nothing. */
static void test_na_decline(void **state)
{
	struct t_link *l = *state;
	struct dhcp6_msg m;
	uint8_t na[16];

	t_pfx("2001:db8:ff::21", na);
	ipv6_server_set_address(&l->s, na);
	assert_int_equal(t_dhcp_ia(l, DHCP6_REQUEST, duid_a, DHCP6_OPT_IA_NA, 5, &l->s.cfg.duid, 0),
			 0);
	assert_true(l->s.na_lease.bound);
	/* another client's: nothing declined, NoBinding for both IAs */
	assert_int_equal(t_decline(l, duid_b, 5, na), 0);
	t_answer(l, &m);
	l->n = 0;
	assert_int_equal(m.type, DHCP6_REPLY);
	assert_int_equal(m.status, DHCP6_ST_SUCCESS);
	assert_int_equal(m.n_ia, 2);
	assert_int_equal(m.ia[0].status, DHCP6_ST_NO_BINDING);
	assert_true(l->s.na_lease.bound);
	assert_int_equal(l->s.st.dhcp_declined, 0);
	assert_int_equal(l->declines, 0);
	/* the client's own */
	assert_int_equal(t_decline(l, duid_a, 5, na), 0);
	t_answer(l, &m);
	l->n = 0;
	assert_int_equal(m.type, DHCP6_REPLY);
	assert_int_equal(m.status, DHCP6_ST_SUCCESS);
	assert_int_equal(m.n_ia, 1);
	assert_int_equal(m.ia[0].iaid, 9);
	assert_int_equal(m.ia[0].status, DHCP6_ST_NO_BINDING);
	assert_false(l->s.na_lease.bound);
	assert_int_equal(l->s.st.dhcp_declined, 1);
	assert_int_equal(l->s.st.dhcp_rx[DHCP6_DECLINE], 2);
	assert_int_equal(l->declines, 1);
	/* held back: not offered, to this client or another */
	assert_int_equal(t_dhcp_ia(l, DHCP6_SOLICIT, duid_a, DHCP6_OPT_IA_NA, 5, NULL, 0), 0);
	t_answer(l, &m);
	l->n = 0;
	assert_int_equal(m.ia[0].status, DHCP6_ST_NO_ADDRS_AVAIL);
	clock_advance(&l->clk, IPV6_SRV_DECLINE_HOLD_MS - 1);
	assert_int_equal(t_dhcp_ia(l, DHCP6_REQUEST, duid_b, DHCP6_OPT_IA_NA, 5, &l->s.cfg.duid, 0),
			 0);
	t_answer(l, &m);
	l->n = 0;
	assert_int_equal(m.ia[0].status, DHCP6_ST_NO_ADDRS_AVAIL);
	assert_false(l->s.na_lease.bound);
	/* the hold over: given again */
	clock_advance(&l->clk, 1);
	assert_int_equal(t_dhcp_ia(l, DHCP6_SOLICIT, duid_a, DHCP6_OPT_IA_NA, 5, NULL, 0), 0);
	t_answer(l, &m);
	l->n = 0;
	t_assert_na(&m, 5);
	/* a new address from the caller ends the hold at once */
	assert_int_equal(t_dhcp_ia(l, DHCP6_REQUEST, duid_a, DHCP6_OPT_IA_NA, 5, &l->s.cfg.duid, 0),
			 0);
	assert_int_equal(t_decline(l, duid_a, 5, na), 0);
	assert_int_equal(l->s.st.dhcp_declined, 2);
	ipv6_server_set_address(&l->s, na);
	assert_int_equal(t_dhcp_ia(l, DHCP6_SOLICIT, duid_a, DHCP6_OPT_IA_NA, 5, NULL, 0), 0);
	t_answer(l, &m);
	l->n = 0;
	t_assert_na(&m, 5);
}

/* Rapid commit gives the address at once; the address confirmed on link
 * though outside the /64; a checkpointed address lease restored answers
 * the Renew; `clear` unbinds it. */
static void test_na_rapid_confirm_restore(void **state)
{
	struct t_link *l = *state;
	struct ipv6_lease lease = { 0 };
	struct dhcp6_msg m, c;
	uint8_t na[16], msg[512], pkt[600];
	size_t n;

	t_pfx("2001:db8:ff::21", na);
	ipv6_server_set_address(&l->s, na);
	l->s.cfg.rapid_commit = 1;
	assert_int_equal(t_dhcp_ia(l, DHCP6_SOLICIT, duid_a, DHCP6_OPT_IA_NA, 5, NULL, 1), 0);
	t_answer(l, &m);
	assert_int_equal(m.type, DHCP6_REPLY);
	assert_true(m.rapid_commit);
	t_assert_na(&m, 5);
	assert_true(l->s.na_lease.bound);
	/* Confirm of the address: on link (Success) */
	dhcp6_msg_init(&c, DHCP6_CONFIRM, 0x42);
	c.client.len = 10;
	memcpy(c.client.b, duid_a, 10);
	c.n_ia = 1;
	c.ia[0].code = DHCP6_OPT_IA_NA;
	c.ia[0].iaid = 5;
	c.ia[0].status = DHCP6_ST_NONE;
	c.ia[0].n_lease = 1;
	c.ia[0].lease[0].plen = 128;
	c.ia[0].lease[0].status = DHCP6_ST_NONE;
	memcpy(c.ia[0].lease[0].addr, na, 16);
	n = dhcp6_build(msg, sizeof(msg), &c);
	n = ipv6_udp_build(pkt, sizeof(pkt), l->s.peer_ll, ipv6_all_dhcp, 546, 547, msg, n);
	assert_int_equal(ipv6_server_input(&l->s, pkt, n), 0);
	t_answer(l, &m);
	assert_int_equal(m.status, DHCP6_ST_SUCCESS);
	/* clear: unbound, then a restored lease (as HA checkpoints it) */
	assert_int_equal(ipv6_server_unbind(&l->s, DHCP6_OPT_IA_NA), 0);
	assert_false(l->s.na_lease.bound);
	assert_int_equal(ipv6_server_unbind(&l->s, DHCP6_OPT_IA_NA), -ENOENT);
	lease.bound = 1;
	lease.client.len = 10;
	memcpy(lease.client.b, duid_a, 10);
	lease.iaid = 9;
	lease.valid = 7200;
	lease.preferred = 3600;
	ipv6_server_restore_na_lease(&l->s, &lease);
	assert_false(l->s.lease.bound);
	assert_int_equal(t_dhcp_ia(l, DHCP6_RENEW, duid_a, DHCP6_OPT_IA_NA, 9, &l->s.cfg.duid, 0),
			 0);
	t_answer(l, &m);
	t_assert_na(&m, 9);
	clock_advance(&l->clk, 7200000);
	assert_false(l->s.na_lease.bound);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_ra_schedule, t_setup, t_teardown),
		cmocka_unit_test_setup_teardown(test_rs, t_setup, t_teardown),
		cmocka_unit_test_setup_teardown(test_pd_life, t_setup, t_teardown),
		cmocka_unit_test_setup_teardown(test_rapid_commit_and_expiry, t_setup, t_teardown),
		cmocka_unit_test_setup_teardown(test_restored_lease, t_setup, t_teardown),
		cmocka_unit_test_setup_teardown(test_confirm_info_malformed, t_setup, t_teardown),
		cmocka_unit_test_setup_teardown(test_na_life, t_setup, t_teardown),
		cmocka_unit_test_setup_teardown(test_na_decline, t_setup, t_teardown),
		cmocka_unit_test_setup_teardown(test_na_rapid_confirm_restore, t_setup, t_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
