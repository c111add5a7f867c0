/*
 * RADIUS and a session's IPv6 (aaa/ipv6.c, l2tp/ppp_ipv6.c): an
 * Access-Accept's Framed-IPv6-Prefix, Delegated-IPv6-Prefix,
 * Framed-IPv6-Address and DNS-Server-IPv6-Address used instead of the
 * template's pools and servers (the pools untouched); Framed-IPv6-Pool and
 * Delegated-IPv6-Prefix-Pool naming the pools; malformed ones refused and
 * counted; the prefixes and the address in Accounting-Stop.
 * Framed-IPv6-Route (RFC 3162 §2.5): parsed, the malformed ones refused
 * (the session kept), the rest routed via the subscriber (the list pppN
 * would carry), shown, and checkpointed: the new active has them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>

#include "harness.h"
#include "fake_radius.h"
#include "fake_standby.h"
#include "fake_subscriber.h"
#include "aaa/radius.h"
#include "cli/cmd.h"
#include "core/out.h"
#include "ha/ha.h"
#include "l2tp/ppp_int.h"
#include "core/ippool.h"
#include "ipv6/pool.h"
#include "l2tp/ppp.h"
#include "l2tp/session.h"
#include "l2tp/tunnel.h"
#include "ppp/ppp.h"

static const char cfg_lns[] =
	"hostname lns1\n"
	"vpdn enable\n"
	"ip local pool P1 10.1.0.1 10.1.0.50\n"
	"ipv6 local pool LINKS 2001:db8:1::/48 64\n"
	"ipv6 local pool PD 2001:db8:100::/40 56\n"
	"ipv6 local pool GOLD 2001:db8:200::/40 48\n"
	"ipv6 local pool NA 2001:db8:ff::/120 128\n"
	"ipv6 local pool NAGOLD 2001:db8:ff::100/120 128\n"
	"aaa new-model\n"
	"aaa authentication ppp default group radius\n"
	"aaa accounting network default start-stop group radius\n"
	"interface Virtual-Template 1\n"
	" ip address 10.0.0.1 255.255.255.255\n"
	" peer default ip address pool P1\n"
	" no keepalive\n"
	" ppp authentication pap\n"
	" ipv6 enable\n"
	" peer default ipv6 pool LINKS\n"
	" ipv6 dhcp server prefix-delegation pool PD\n"
	" ipv6 dhcp server address pool NA\n"
	" ipv6 dhcp server dns-server 2001:db8::53\n"
	"vpdn-group LNS\n"
	" accept-dialin\n"
	"  protocol l2tp\n"
	"  virtual-template 1\n"
	" local name lns1\n"
	" l2tp tunnel password s3cret\n"
	" l2tp tunnel hello 0\n";

struct tb {
	struct harness *h;
	struct fake_radius *rad;
	struct fake_subscribers *subs;
	struct h_peer *lac;
	struct fake_subscriber *sub;
	struct fake_standby *b;		/* with a redundancy block: from the start */
};

/* A subscriber up to the Access-Request, answered by rp (under cfg). */
static struct l2tp_session *t_up_cfg(struct tb *tb, void **state, const char *cfg,
				     const struct radius_pkt *rp)
{
	struct ppp_config c;
	struct fake_radius_req *r;

	memset(tb, 0, sizeof(*tb));
	tb->h = h_new(state, cfg);
	tb->b = strstr(cfg, "redundancy") != NULL ? fake_standby_new(tb->h, 1) : NULL;
	tb->rad = fake_radius_new(tb->h);
	tb->rad->configured[RADIUS_AUTH] = 1;
	tb->rad->configured[RADIUS_ACCT] = 1;
	tb->subs = fake_subscribers_new(tb->h);
	assert_int_equal(ippool_setup(&tb->h->d.pools, &tb->h->d.cfg), 0);
	assert_int_equal(ipv6_pool_setup(&tb->h->d.pools6, &tb->h->d.cfg), 0);
	clock_advance(&tb->h->d.clk, 1000000);
	tb->lac = h_lns_tunnel(tb->h, "192.0.2.2", 100, "lac1");
	fake_subscriber_config(&c, "alice", "pw");
	c.n_auth = 1;
	c.ipv6 = 1;
	tb->sub = fake_subscriber_add(tb->subs, tb->lac, 30);
	tb->sub->sid = h_lns_call(tb->h, tb->lac, 30);
	fake_subscriber_open(tb->sub, &c);
	fake_subscribers_pump(tb->subs, tb->lac);
	r = fake_radius_pending(tb->rad, RADIUS_AUTH);
	assert_non_null(r);
	fake_radius_answer(r, rp);
	fake_subscribers_pump(tb->subs, tb->lac);
	assert_int_equal(tb->sub->ups, 1);
	assert_true(tb->sub->v6_up);
	return fake_subscriber_session(tb->sub);
}

static struct l2tp_session *t_up(struct tb *tb, void **state, const struct radius_pkt *rp)
{
	return t_up_cfg(tb, state, cfg_lns, rp);
}

static void t_prefix_attr(struct radius_pkt *rp, uint8_t type, const char *pfx, uint8_t len)
{
	uint8_t v[18] = { 0, len };

	assert_int_equal(inet_pton(AF_INET6, pfx, v + 2), 1);
	radius_put(rp, type, v, 2 + ((size_t)len + 7) / 8);
}

static void t_str6(const uint8_t *a, uint8_t len, char *out, size_t cap)
{
	ipv6_prefix_format(a, len, out, cap);
}

static void test_radius_prefixes(void **state)
{
	struct radius_pkt rp;
	struct radius_msg m;
	struct tb tb;
	struct l2tp_session *s;
	const struct l2tp_ppp_v6 *v;
	const struct radius_attr *a;
	uint8_t dns[16], na[16];
	char p[64];

	radius_pkt_init(&rp, RADIUS_ACCESS_ACCEPT);
	t_prefix_attr(&rp, RADIUS_ATTR_FRAMED_IPV6_PREFIX, "2001:db8:aaaa:1::", 64);
	t_prefix_attr(&rp, RADIUS_ATTR_DELEGATED_IPV6_PREFIX, "2001:db8:bbbb::", 48);
	assert_int_equal(inet_pton(AF_INET6, "2001:db8::5353", dns), 1);
	radius_put(&rp, RADIUS_ATTR_DNS_SERVER_IPV6_ADDRESS, dns, 16);
	assert_int_equal(inet_pton(AF_INET6, "2001:db8:eeee::9", na), 1);
	radius_put(&rp, RADIUS_ATTR_FRAMED_IPV6_ADDRESS, na, 16);
	radius_put(&rp, RADIUS_ATTR_FRAMED_INTERFACE_ID, "\x02\x00\x00\x00\x00\x00\x00\x07", 8);
	radius_put_str(&rp, RADIUS_ATTR_FRAMED_IPV6_ROUTE, "2001:db8:cccc::/48 :: 1");
	s = t_up(&tb, state, &rp);
	v = l2tp_ppp_ipv6(s);
	assert_non_null(v);
	t_str6(v->srv.prefix, 64, p, sizeof p);
	assert_string_equal(p, "2001:db8:aaaa:1::/64");
	assert_string_equal(v->pool6, "");
	t_str6(v->srv.pd, v->srv.pd_len, p, sizeof p);
	assert_string_equal(p, "2001:db8:bbbb::/48");
	assert_memory_equal(v->srv.cfg.dns[0], dns, 16);
	assert_true(v->srv.has_na);
	assert_memory_equal(v->srv.na, na, 16);
	assert_string_equal(v->na_pool, "");
	assert_non_null(s->aaa_v6);
	assert_true(s->aaa_v6->has_ifid);
	assert_int_equal(s->aaa_v6->n_routes, 1);
	t_str6(s->aaa_v6->route[0].dst, s->aaa_v6->route[0].plen, p, sizeof p);
	assert_string_equal(p, "2001:db8:cccc::/48");
	assert_int_equal(s->aaa_v6->route[0].metric, 1);
	assert_int_equal(v->n_framed, 1);
	/* the pools were not used */
	assert_int_equal(ipv6_pool_in_use(tb.h->d.pools6, "LINKS"), 0);
	assert_int_equal(ipv6_pool_in_use(tb.h->d.pools6, "PD"), 0);
	assert_int_equal(ipv6_pool_in_use(tb.h->d.pools6, "NA"), 0);
	/* the session ends: Accounting-Stop carries both prefixes and the
	 * address */
	h_cdn(tb.lac, tb.sub->sid, 30, L2TP_CDN_ADMIN);
	h_send(tb.lac);
	fake_radius_parse(fake_radius_last(tb.rad), &m);
	a = radius_find(&m, RADIUS_ATTR_ACCT_STATUS_TYPE);
	assert_non_null(a);
	assert_int_equal(a->val[3], 2);		/* Stop */
	a = radius_find(&m, RADIUS_ATTR_FRAMED_IPV6_PREFIX);
	assert_non_null(a);
	assert_int_equal(a->len, 10);
	assert_int_equal(a->val[1], 64);
	a = radius_find(&m, RADIUS_ATTR_DELEGATED_IPV6_PREFIX);
	assert_non_null(a);
	assert_int_equal(a->len, 8);
	assert_int_equal(a->val[1], 48);
	assert_int_equal(a->val[6], 0xbb);	/* 20 01 0d b8 bb bb */
	a = radius_find(&m, RADIUS_ATTR_FRAMED_IPV6_ADDRESS);
	assert_non_null(a);
	assert_int_equal(a->len, 16);
	assert_memory_equal(a->val, na, 16);
}

static void test_radius_pools_and_refusals(void **state)
{
	struct radius_pkt rp;
	struct tb tb;
	struct l2tp_session *s;
	const struct l2tp_ppp_v6 *v;
	char p[64];
	uint64_t refused;

	radius_pkt_init(&rp, RADIUS_ACCESS_ACCEPT);
	radius_put_str(&rp, RADIUS_ATTR_DELEGATED_IPV6_PREFIX_POOL, "GOLD");
	radius_put_str(&rp, RADIUS_ATTR_STATEFUL_IPV6_ADDRESS_POOL, "NAGOLD");
	/* a /56 as Framed-IPv6-Prefix (not a /64), a prefix with bits past
	 * its length, a DNS server of 4 octets: refused, counted */
	t_prefix_attr(&rp, RADIUS_ATTR_FRAMED_IPV6_PREFIX, "2001:db8:aaaa::", 56);
	radius_put(&rp, RADIUS_ATTR_DELEGATED_IPV6_PREFIX, "\x00\x20\x20\x01\x0d\xb8\x01", 7);
	radius_put(&rp, RADIUS_ATTR_DNS_SERVER_IPV6_ADDRESS, "\x01\x02\x03\x04", 4);
	/* an address of 15 octets: refused, RADIUS's pool used */
	radius_put(&rp, RADIUS_ATTR_FRAMED_IPV6_ADDRESS, "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\1",
		   15);
	s = t_up(&tb, state, &rp);
	refused = tb.h->d.aaa.stats.attr_refused;
	assert_int_equal(refused, 4);
	v = l2tp_ppp_ipv6(s);
	assert_non_null(v);
	/* the /64 from the template's pool, the delegated prefix from GOLD */
	assert_string_equal(v->pool6, "LINKS");
	assert_string_equal(v->pd_pool, "GOLD");
	t_str6(v->srv.pd, v->srv.pd_len, p, sizeof p);
	assert_string_equal(p, "2001:db8:200::/48");
	assert_int_equal(ipv6_pool_in_use(tb.h->d.pools6, "GOLD"), 1);
	assert_int_equal(ipv6_pool_in_use(tb.h->d.pools6, "PD"), 0);
	assert_string_equal(v->na_pool, "NAGOLD");
	assert_int_equal(ipv6_pool_in_use(tb.h->d.pools6, "NAGOLD"), 1);
	assert_int_equal(ipv6_pool_in_use(tb.h->d.pools6, "NA"), 0);
	t_str6(v->srv.na, 128, p, sizeof p);
	assert_string_equal(p, "2001:db8:ff::100/128");
	h_cdn(tb.lac, tb.sub->sid, 30, L2TP_CDN_ADMIN);
	h_send(tb.lac);
	assert_int_equal(ipv6_pool_in_use(tb.h->d.pools6, "NAGOLD"), 0);
	assert_int_equal(ipv6_pool_in_use(tb.h->d.pools6, "GOLD"), 0);
	assert_int_equal(ipv6_pool_in_use(tb.h->d.pools6, "LINKS"), 0);
}

/* The text of Framed-IPv6-Route values into an Access-Accept. */
static void t_routes(struct radius_pkt *rp, const char *const *r, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		radius_put_str(rp, RADIUS_ATTR_FRAMED_IPV6_ROUTE, r[i]);
}

/* Malformed routes refused and counted, the session kept with the good
 * ones; the good ones routed via the subscriber's link-local address (::)
 * or their gateway, with their metric; shown as recorded (no pppN). */
static void test_framed_routes(void **state)
{
	static const char *const r[] = {
		"2001:db8:cccc::/48 :: 1",	/* good: via the subscriber */
		"2001:db8::/129",		/* a length past 128 */
		"2001:db8::/0",			/* no length worth a route */
		"2001:db8::1/48",		/* bits past the length */
		"2001:db8:1::",			/* no length */
		"ff02::/16",			/* multicast */
		"2001:db8:2::/48 ff02::1",	/* a multicast gateway */
		"2001:db8:3::/48 :: x",		/* a metric that is no number */
		"route to nowhere",
		"2001:db8:dddd::/56 fe80::99 7 3",	/* good: its gateway, metric 7 */
	};
	struct dp_route6 dr[PPP_V6_ROUTES_MAX];
	unsigned bit[PPP_V6_ROUTES_MAX], n;
	struct radius_pkt rp;
	struct tb tb;
	struct l2tp_session *s;
	const struct l2tp_ppp_v6 *v;
	uint8_t gw[16], want[16];
	char *txt, p[64];

	radius_pkt_init(&rp, RADIUS_ACCESS_ACCEPT);
	t_routes(&rp, r, 10);
	s = t_up(&tb, state, &rp);
	assert_int_equal(tb.h->d.aaa.stats.attr_refused, 8);
	assert_int_equal(s->state, L2TP_SESSION_ESTABLISHED);
	v = l2tp_ppp_ipv6(s);
	assert_non_null(v);
	assert_int_equal(v->n_framed, 2);
	/* what pppN carries under the linux path: the /64, the /56, then the
	 * Framed-IPv6-Routes */
	n = l2tp_ppp_ipv6_route_list(v, dr, bit);
	assert_int_equal(n, 4);
	t_str6(dr[2].dst, (uint8_t)dr[2].plen, p, sizeof p);
	assert_string_equal(p, "2001:db8:cccc::/48");
	assert_true(dr[2].has_gw);
	assert_memory_equal(dr[2].gw, v->srv.peer_ll, 16);
	assert_int_equal(dr[2].metric, 1);
	assert_int_equal(bit[2], PPP_V6_ROUTE_FRAMED(0));
	assert_int_equal(inet_pton(AF_INET6, "fe80::99", gw), 1);
	assert_memory_equal(dr[3].gw, gw, 16);
	assert_int_equal(dr[3].metric, 7);
	assert_int_equal(bit[3], PPP_V6_ROUTE_FRAMED(1));
	assert_int_equal(inet_pton(AF_INET6, "2001:db8:dddd::", want), 1);
	assert_memory_equal(dr[3].dst, want, 16);
	/* null path: no pppN, recorded only */
	assert_int_equal(v->routes, 0);
	txt = h_cmd(tb.h, "show l2tp session detail", 0);
	assert_non_null(strstr(txt, "  IPv6 Framed-Route 2001:db8:cccc::/48 via fe80::"));
	assert_non_null(strstr(txt, " metric 1, not installed (recorded)\n"
			       "  IPv6 Framed-Route 2001:db8:dddd::/56 via fe80::99 metric 7, "
			       "not installed (recorded)\n"));
	free(txt);
}

/* More than 4: the fifth refused. */
static void test_framed_routes_limit(void **state)
{
	static const char *const r[] = {
		"2001:db8:1::/48", "2001:db8:2::/48", "2001:db8:3::/48", "2001:db8:4::/48",
		"2001:db8:5::/48",
	};
	struct radius_pkt rp;
	struct tb tb;
	struct l2tp_session *s;

	radius_pkt_init(&rp, RADIUS_ACCESS_ACCEPT);
	t_routes(&rp, r, 5);
	s = t_up(&tb, state, &rp);
	assert_int_equal(tb.h->d.aaa.stats.attr_refused, 1);
	assert_int_equal(l2tp_ppp_ipv6(s)->n_framed, 4);
}

/* The routes are checkpointed: the new active has them, to install on its
 * pppN (RFC 3162 §2.5: RADIUS is not asked again). */
static void test_framed_routes_takeover(void **state)
{
	static char cfg[sizeof(cfg_lns) + sizeof(H_CFG_HA_TAIL)];
	static const char *const r[] = { "2001:db8:cccc::/48 :: 1", "2001:db8:dddd::/56 fe80::99 7" };
	struct radius_pkt rp;
	struct tb tb;
	struct fake_standby *b;
	const struct l2tp_ppp_v6 *v;
	struct ipv6_route before[2];

	snprintf(cfg, sizeof(cfg), "%s%s", cfg_lns, H_CFG_HA_TAIL);
	radius_pkt_init(&rp, RADIUS_ACCESS_ACCEPT);
	t_routes(&rp, r, 2);
	(void)t_up_cfg(&tb, state, cfg, &rp);
	b = tb.b;
	v = l2tp_ppp_ipv6(fake_subscriber_session(tb.sub));
	assert_int_equal(v->n_framed, 2);
	memcpy(before, v->framed, sizeof(before));
	clock_advance(&tb.h->d.clk, 1000);
	ha_flush(&tb.h->d);
	fake_standby_crash(b);
	fake_standby_take_over(b);
	h_send_zlb(tb.lac);
	v = l2tp_ppp_ipv6(fake_subscriber_session(tb.sub));
	assert_non_null(v);
	assert_int_equal(v->n_framed, 2);
	assert_memory_equal(v->framed, before, sizeof(before));
	fake_standby_detach(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_radius_prefixes, h_teardown),
		cmocka_unit_test_teardown(test_radius_pools_and_refusals, h_teardown),
		cmocka_unit_test_teardown(test_framed_routes, h_teardown),
		cmocka_unit_test_teardown(test_framed_routes_limit, h_teardown),
		cmocka_unit_test_teardown(test_framed_routes_takeover, h_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
